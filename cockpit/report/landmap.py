"""亩均一张图 (pure): the parcels of the query `parcel_map` as map features coloured by 亩均 class, 低效用地整治
state or vacancy, the 片区 outlines and labels, and the 片区 view drawn instead past `charts.MAX_ROWS` parcels.

Coordinates are longitude / latitude (WGS84); the chart (`charts.parcel_map`) projects them with Mercator fitted
to the features, with no tile server. Outlines are simplified to about a pixel of the drawn extent
(`tolerance_m`), so a provincial subset with detailed surveys stays small; 片区 outlines are the convex hulls of
their parcels (the data have no 片区 boundary).
"""

from __future__ import annotations

import collections
import functools
import json
import math

import pandas as pd

from cockpit.data import geo

MODES = ("亩均分类", "整治状态", "闲置地块")
OUT_OF_SCOPE = "筛选范围外"
NO_ENTERPRISE = "无企业"
NOT_RATED = "未参评"
GREY, LIGHT = "#c8ccd2", "#dde1e6"
STATE_COLORS = {"在用": "#9bbbe0", "已整治": "#3a9e6f", "整治中": "#e07b39", "闲置": "#c9463d"}
VACANCY_COLORS = {"闲置": "#c9463d", "整治中（收回、收购等）": "#e07b39", "在用": "#9bbbe0"}
MAX_PARSED = 10_000  # parsed outlines kept (two maps' worth of parcels; a few KB each)
MAP_PIXELS = 1200  # the map is drawn about this wide: outlines are simplified to one pixel of the extent


def legend(mode: str, class_order: list[str]) -> dict[str, str]:
    """Category → colour of a mode, in legend order (the last two: no enterprise, outside the filters)."""
    from cockpit.report.charts import CLASS_COLORS

    if mode == "亩均分类":
        classes = [c for c in class_order if c != NOT_RATED]
        out = dict(zip(classes, CLASS_COLORS[: len(classes)]))
        out[NOT_RATED] = CLASS_COLORS[4]
        out[NO_ENTERPRISE] = LIGHT
    elif mode == "整治状态":
        out = dict(STATE_COLORS)
    else:
        out = dict(VACANCY_COLORS)
    out[OUT_OF_SCOPE] = GREY
    return out


# the columns of `parcel_map` that `features` reads per parcel
ROW_FIELDS = (
    "parcel_id",
    "boundary_geojson",
    "ent_names",
    "ent_ids",
    "area_name",
    "area_mu",
    "n_enterprises",
    "in_scope",
    "state",
    "land_use",
    "method",
)


def _rows(frame: pd.DataFrame, fields: tuple[str, ...]) -> list:
    """The rows of `frame`'s `fields` as named tuples, as `itertuples` gives them, built from each column's list:
    itertuples steps through pandas' Arrow-backed string columns one value at a time (~4× slower at a few
    thousand parcels)."""
    row = collections.namedtuple("Row", fields)  # type: ignore[misc]
    return [row._make(values) for values in zip(*(frame[f].tolist() for f in fields))]


def _category(mode: str, row, cls: str | None) -> str:
    if not row.in_scope:
        return OUT_OF_SCOPE
    if mode == "亩均分类":
        if not row.n_enterprises:
            return NO_ENTERPRISE
        return cls or NOT_RATED
    if mode == "整治状态":
        return row.state
    if row.state == "闲置" or row.land_use == "闲置":
        return "闲置"
    return "整治中（收回、收购等）" if row.state == "整治中" and row.method in ("收回", "收购") else "在用"


def extent(shapes: pd.DataFrame) -> tuple[float, float, float, float]:
    """(lon min, lat min, lon max, lat max) of the `geometry` column (GeoJSON text) of `features` rows."""
    return _extent([geo.from_text(t) for t in shapes["geometry"]])


def _extent(geoms: list[dict]) -> tuple[float, float, float, float]:
    lons, lats = [], []
    for g in geoms:
        for rings in [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]:
            for p in rings[0]:
                lons.append(p[0])
                lats.append(p[1])
    return min(lons), min(lats), max(lons), max(lats)


def tolerance_m(bounds: tuple[float, float, float, float], pixels: int = MAP_PIXELS) -> float:
    """Metres of one pixel when the extent `bounds` (lon/lat) is drawn `pixels` wide."""
    lon0, lat0, lon1, lat1 = bounds
    k = math.cos(math.radians((lat0 + lat1) / 2))
    width = max((lon1 - lon0) * k, lat1 - lat0) * math.pi / 180 * geo.WGS84_A
    return width / pixels


def features(parcels: pd.DataFrame, units: pd.DataFrame, mode: str) -> pd.DataFrame:
    """One row per parcel with an outline: parcel_id, geometry (JSON text, simplified, wound for d3),
    category (the colour of `mode`), and for the tooltip: ent_names ('无' when none), area_name, area_mu,
    tax_per_mu, cls_label, state; ent_id = the parcel's largest enterprise (opened by a click), '' when none.

    `parcels`: rows of `parcel_map`; `units`: the 亩均 evaluation's units (unit_id = parcel_id, cls_label,
    tax_per_mu), or no rows when no year was evaluated."""
    cols = [
        "parcel_id",
        "geometry",
        "category",
        "ent_names",
        "area_name",
        "area_mu",
        "tax_per_mu",
        "cls_label",
        "state",
        "ent_id",
    ]
    geoms = _parsed(parcels["boundary_geojson"])
    keep = [g is not None for g in geoms]
    shaped, geoms = parcels[keep], [g for g in geoms if g is not None]
    if shaped.empty:
        return pd.DataFrame(columns=cols)
    tol = tolerance_step(tolerance_m(_extent(geoms)))
    # the first row of each drawn parcel's unit (as .loc on unit_id gave), as a dict: the units are every
    # evaluated parcel of the zone (~120,000 at a province), the map's parcels a few thousand
    if len(units):
        first = units[units["unit_id"].isin(shaped["parcel_id"])].drop_duplicates("unit_id")
        by_unit = dict(zip(first["unit_id"].tolist(), zip(first["cls_label"].tolist(), first["tax_per_mu"].tolist())))
    else:
        by_unit = {}
    rows = []
    for row in _rows(shaped, ROW_FIELDS):
        unit = by_unit.get(row.parcel_id)
        cls = None if unit is None else str(unit[0])
        rows.append(
            {
                "parcel_id": row.parcel_id,
                "geometry": _drawn(row.boundary_geojson, tol),
                "category": _category(mode, row, cls),
                "ent_names": row.ent_names if isinstance(row.ent_names, str) and row.ent_names else "无",
                "area_name": row.area_name,
                "area_mu": float(row.area_mu),
                "tax_per_mu": None if unit is None or pd.isna(unit[1]) else float(unit[1]),
                "cls_label": cls or (NO_ENTERPRISE if not row.n_enterprises else NOT_RATED),
                "state": row.state,
                "ent_id": (row.ent_ids or "").split(",")[0] if isinstance(row.ent_ids, str) else "",
            }
        )
    return pd.DataFrame(rows, columns=cols)


def tolerance_step(tolerance: float) -> float:
    """`tolerance` rounded down to a step of a factor √2 (…, 1, 1.41, 2, 2.83 m, …): never coarser than asked (one
    pixel), and the same for maps of about the same extent, so their parcels' drawn outlines are reused
    (`_drawn`). A 产业链 change keeps the 片区's parcels and their extent: every outline is then reused."""
    if not tolerance > 0 or not math.isfinite(tolerance):
        return 0.0
    return 2 ** (math.floor(math.log2(tolerance) * 2) / 2)


@functools.lru_cache(maxsize=MAX_PARSED)
def _drawn(text: str, tolerance: float) -> str:
    """One parcel's outline as drawn at `tolerance` (simplified, wound for d3, as JSON text): `geo.for_map` and
    `geo.to_text` took ~0.05 ms a parcel on every map of a new scope (~0.1 s for the ~2,000 parcels of a province's
    片区)."""
    geom = _parse(text)
    assert geom is not None  # only outlines that parsed are drawn
    return geo.to_text(geo.for_map(geom, tolerance))


def _parsed(texts) -> list[dict | None]:
    """Each outline parsed (None where there is none or it cannot be read: such a parcel is not drawn). The
    result is shared with other callers: read it, do not change it."""
    return [_parse(t) if isinstance(t, str) and t else None for t in texts]


@functools.lru_cache(maxsize=MAX_PARSED)
def _parse(text: str) -> dict | None:
    """One outline's GeoJSON text parsed, kept for the next map of an overlapping scope and for `outlines`,
    which reads the same parcels (the map parsed each outline twice per new scope: ~1 s at 5,000 parcels)."""
    try:
        return geo.parse(text)
    except geo.GeometryError:
        return None


def label(area_name: str) -> str:
    """A 片区's name on the map: the part after the last '·' ('新材料新装备产业园·化工集聚区' → '化工集聚区')."""
    return str(area_name).split("·")[-1]


def outlines(parcels: pd.DataFrame) -> pd.DataFrame:
    """Per 片区: the convex hull of its parcels' outlines (geometry, JSON text, wound for d3) and where its
    label goes (label_lon, label_lat: above the hull's top edge, centred), for `parcel_map`."""
    out = []
    shapes = pd.Series(_parsed(parcels["boundary_geojson"]), index=parcels.index)
    for name, group in shapes.dropna().groupby(parcels["area_name"], sort=True):
        points = [
            p
            for g in group
            for rings in ([g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"])
            for p in rings[0]
        ]
        hull = geo.convex_hull(points)
        if not hull:
            continue
        shape = {"type": "Polygon", "coordinates": [hull]}
        lon0, lat0, lon1, lat1 = geo.bounds(shape)
        out.append(
            {
                "area_name": label(name),
                "geometry": json.dumps(geo.rewind(shape), separators=(",", ":")),
                "label_lon": (lon0 + lon1) / 2,
                "label_lat": lat1 + (lat1 - lat0) * 0.08,
            }
        )
    return pd.DataFrame(out, columns=["area_name", "geometry", "label_lon", "label_lat"])


def area_view(areas: pd.DataFrame, counts: pd.DataFrame | None, mode: str) -> pd.DataFrame:
    """The map past MAX_ROWS parcels: one rectangle per 片区 (the extent of its outlines) with the share the mode
    is about: share_pct = D 类 among its rated enterprises (亩均分类; `counts`: area_name, rated, d_class),
    亩 in 整治 (整治状态) or 闲置 亩 (闲置地块) of its 亩; `areas` from the query `parcel_map_areas`."""
    rows = []
    rated = {} if counts is None else dict(zip(counts["area_name"], zip(counts["rated"], counts["d_class"])))
    for r in areas.itertuples(index=False):
        if pd.isna(r.lon_min):
            continue
        if mode == "亩均分类":
            n, d = rated.get(r.area_name, (0, 0))
            share = d / n * 100 if n else None
        elif mode == "整治状态":
            share = r.in_action_mu / r.area_mu * 100 if r.area_mu else None
        else:
            share = r.vacant_mu / r.area_mu * 100 if r.area_mu else None
        box = [
            [r.lon_min, r.lat_min],
            [r.lon_max, r.lat_min],
            [r.lon_max, r.lat_max],
            [r.lon_min, r.lat_max],
            [r.lon_min, r.lat_min],
        ]
        shape = geo.rewind({"type": "Polygon", "coordinates": [box]})
        rows.append(
            {
                "area_code": r.area_code,
                "area_name": r.area_name,
                "parcels": int(r.parcels),
                "area_mu": float(r.area_mu),
                "share_pct": share,
                "geometry": json.dumps(shape, separators=(",", ":")),
                "label_lon": (r.lon_min + r.lon_max) / 2,
                "label_lat": (r.lat_min + r.lat_max) / 2,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["area_code", "area_name", "parcels", "area_mu", "share_pct", "geometry", "label_lon", "label_lat"],
    )


SHARE_TITLE = {
    "亩均分类": "D 类企业占比（%）",
    "整治状态": "整治中地块面积占比（%）",
    "闲置地块": "闲置地块面积占比（%）",
}


TILE_PX = 256
TILE_WIDTH_PX = 800  # the map's extent is fitted into this width (the narrowest usual desktop map)
TILE_COVER_PX = 1600  # tiles are laid out this wide around the centre (a wider map shows white beyond)


def _world_px(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator pixel at zoom 0 (256 px for the world), y down."""
    s = math.sin(math.radians(max(-85.05, min(85.05, lat))))
    return TILE_PX * (lon + 180) / 360, TILE_PX * (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi))


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return x / TILE_PX * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / TILE_PX))))


def tiles(bounds: tuple[float, float, float, float], url: str, height: int, max_zoom: int = 19):
    """A base map of XYZ tiles under the parcels: the Mercator projection (d3 scale so one tile is 256 px, centred
    on `bounds`, the largest zoom that fits them in TILE_WIDTH_PX × `height`) and the tiles around the centre,
    each with its url (from the template `url`) and its north-west corner (lon, lat)."""
    lon0, lat0, lon1, lat1 = bounds
    (x0, y1), (x1, y0) = _world_px(lon0, lat0), _world_px(lon1, lat1)
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    zoom = int(max(0, min(max_zoom, math.floor(math.log2(min(TILE_WIDTH_PX / span_x, (height - 90) / span_y))))))
    n = 2**zoom
    cx, cy = (x0 + x1) / 2 * n, (y0 + y1) / 2 * n  # centre in pixels at this zoom
    first_x, last_x = math.floor((cx - TILE_COVER_PX / 2) / TILE_PX), math.floor((cx + TILE_COVER_PX / 2) / TILE_PX)
    first_y, last_y = math.floor((cy - height / 2) / TILE_PX), math.floor((cy + height / 2) / TILE_PX)
    rows = []
    for ty in range(max(0, first_y), min(n - 1, last_y) + 1):
        for tx in range(max(0, first_x), min(n - 1, last_x) + 1):
            lon, lat = _lonlat(tx * TILE_PX / n, ty * TILE_PX / n)
            rows.append(
                {
                    "url": url.replace("{z}", str(zoom)).replace("{x}", str(tx)).replace("{y}", str(ty)),
                    "lon": lon,
                    "lat": lat,
                }
            )
    centre = _lonlat(cx / n, cy / n)
    projection = {"type": "mercator", "scale": TILE_PX * n / (2 * math.pi), "center": list(centre)}
    return projection, pd.DataFrame(rows, columns=["url", "lon", "lat"])
