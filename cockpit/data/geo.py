"""Parcel boundaries: GeoJSON geometry checks, area on the ellipsoid, simplification (pure; no shapely).

A boundary is a GeoJSON geometry (RFC 7946) in longitude / latitude on WGS84 (CGCS2000 differs by
centimetres), of type Polygon or MultiPolygon, stored as compact JSON text (`parcels.boundary_geojson`).

- `problems(text, area_mu)` lists what is wrong with one boundary, in Chinese (empty = valid): not JSON,
  wrong type, a ring not closed or too short, coordinates outside China (or projected metres, or
  latitude/longitude swapped), too many vertices, self-intersection, area far from the stated 亩.
- `area_m2` / `area_mu`: the area on the WGS84 ellipsoid, exactly as Lambert's cylindrical equal-area
  projection of the ellipsoid gives it (an equal-area map: the shoelace of the projected ring is the area
  on the ellipsoid of the polygon drawn straight on that map; for parcels the difference from geodesic
  edges is far below a square metre).
- `simplify` (Douglas–Peucker in metres), `rewind` (ring order for d3 / Vega-Lite), `convex_hull`,
  `bounds`, `centroid` serve the map; `read_features` reads a FeatureCollection file.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict

import numpy as np

WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
_E2 = WGS84_F * (2 - WGS84_F)
_E = math.sqrt(_E2)
M2_PER_MU = 10_000 / 15  # 1 亩 = 666.67 m²
CHINA = (73.4, 3.8, 135.1, 53.6)  # lon min, lat min, lon max, lat max (incl. the South China Sea islands)
AREA_TOLERANCE = 0.10  # a boundary's area may differ from the stated 亩 by this share
MAX_VERTICES = 10_000  # per geometry: more is not a land parcel (and would cost the checks time)
TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """A boundary that cannot be read as a Polygon / MultiPolygon (message in Chinese)."""


# ------------------------------------------------------------------------------------------ reading
def parse(value) -> dict:
    """A geometry dict from JSON text or a dict (a Feature gives its geometry); GeometryError otherwise."""
    if isinstance(value, (bytes, str)):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise GeometryError("不是有效的 GeoJSON 文本（JSON 格式错误）") from None
    if value is None:
        raise GeometryError("没有几何（geometry 为空）")
    if not isinstance(value, dict):
        raise GeometryError("不是 GeoJSON 几何对象")
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise GeometryError("要素没有几何（geometry 为空）")
    kind = value.get("type")
    if kind not in TYPES:
        raise GeometryError(f"几何类型应为 Polygon 或 MultiPolygon，实际为 {str(kind)[:30]}")
    if not isinstance(value.get("coordinates"), list):
        raise GeometryError("缺少坐标（coordinates）")
    return value


def polygons(geom: dict) -> list[list[np.ndarray]]:
    """The polygons of a geometry, each a list of rings (n × 2 float arrays, lon/lat); GeometryError when a
    coordinate is not a pair of numbers."""
    parts = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for part in parts:
        if not isinstance(part, list) or not part:
            raise GeometryError("多边形没有环")
        rings = []
        for ring in part:
            try:
                arr = np.array(ring, dtype=float)
            except (TypeError, ValueError):
                raise GeometryError("坐标应为 [经度, 纬度] 数字对") from None
            if arr.ndim != 2 or arr.shape[1] < 2 or arr.shape[0] == 0:
                raise GeometryError("坐标应为 [经度, 纬度] 数字对")
            if not np.isfinite(arr[:, :2]).all():
                raise GeometryError("坐标中有非数字值")
            rings.append(arr[:, :2])
        out.append(rings)
    return out


def vertex_count(geom: dict) -> int:
    return sum(len(r) for p in polygons(geom) for r in p)


# --------------------------------------------------------------------------------------------- area
def _q(lat_deg: np.ndarray) -> np.ndarray:
    """Authalic q(φ) of the WGS84 ellipsoid (Snyder, Map Projections, eq. 3-12)."""
    s = np.sin(np.radians(lat_deg))
    return (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))


def _equal_area_xy(ring: np.ndarray) -> np.ndarray:
    """Lambert cylindrical equal-area (ellipsoidal, standard parallel 0): x = aλ, y = a·q(φ)/2, metres."""
    return np.column_stack([WGS84_A * np.radians(ring[:, 0]), WGS84_A * _q(ring[:, 1]) / 2])


def ring_area_m2(ring: np.ndarray) -> float:
    """Signed area (m², counter-clockwise positive) of one lon/lat ring on the ellipsoid."""
    xy = _equal_area_xy(ring)
    xy = xy - xy[0]  # local origin: keeps the shoelace precise for small rings far from (0, 0)
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2)


def area_m2(geom: dict) -> float:
    """Area in m²: each polygon's outer ring minus its holes, summed over the polygons."""
    total = 0.0
    for rings in polygons(geom):
        total += abs(ring_area_m2(rings[0])) - sum(abs(ring_area_m2(h)) for h in rings[1:])
    return total


def area_mu(geom: dict) -> float:
    return area_m2(geom) / M2_PER_MU


# ------------------------------------------------------------------------------------------- checks
def _local_xy(ring: np.ndarray, lat0: float) -> np.ndarray:
    """Metres east / north of (0°, 0°) on a local equirectangular plane at latitude lat0 (for shape tests
    and simplification, where a few parts in a thousand of scale do not matter)."""
    k = math.cos(math.radians(lat0))
    return np.column_stack([np.radians(ring[:, 0]) * WGS84_A * k, np.radians(ring[:, 1]) * WGS84_A])


def _orient(a, b, c):
    return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])


def _crossing(segments: np.ndarray, first_ring_end: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first pair (i, j) of segments that intersect, not counting neighbours in the same ring (which
    share an end point) unless they fold back on each other; None when there is none.

    `segments`: m × 2 × 2 (start, end); `first_ring_end`: index of each ring's first and last segment pairs
    that are neighbours (a ring is closed, so its last segment meets its first). Candidates are found by
    a sweep over x (segments sorted by their left end), each checked against the rest with numpy."""
    lo = segments[:, :, 0].min(axis=1)
    hi = segments[:, :, 0].max(axis=1)
    ylo = segments[:, :, 1].min(axis=1)
    yhi = segments[:, :, 1].max(axis=1)
    order = np.argsort(lo, kind="stable")
    neighbours = set()
    for start, end in first_ring_end:
        for i in range(start, end):
            neighbours.add((i, i + 1))
        if end > start:
            neighbours.add((start, end))
    for k, i in enumerate(order):
        # candidates: segments starting (in x) before this one ends, after it in the sweep order
        stop = int(np.searchsorted(lo[order], hi[i], side="right"))
        cand = order[k + 1 : stop]
        if len(cand) == 0:
            continue
        cand = cand[(ylo[cand] <= yhi[i]) & (yhi[cand] >= ylo[i])]
        if len(cand) == 0:
            continue
        a, b = segments[i, 0], segments[i, 1]
        c, d = segments[cand, 0], segments[cand, 1]
        d1, d2 = _orient(c, d, a[None, :]), _orient(c, d, b[None, :])
        d3, d4 = _orient(a[None, :], b[None, :], c), _orient(a[None, :], b[None, :], d)
        proper = (d1 * d2 < 0) & (d3 * d4 < 0)

        def on(p, q, r):  # r on segment pq (collinear assumed)
            return (
                (np.minimum(p[..., 0], q[..., 0]) <= r[..., 0])
                & (r[..., 0] <= np.maximum(p[..., 0], q[..., 0]))
                & (np.minimum(p[..., 1], q[..., 1]) <= r[..., 1])
                & (r[..., 1] <= np.maximum(p[..., 1], q[..., 1]))
            )

        touch = (
            ((d1 == 0) & on(c, d, a[None, :]))
            | ((d2 == 0) & on(c, d, b[None, :]))
            | ((d3 == 0) & on(a[None, :], b[None, :], c))
            | ((d4 == 0) & on(a[None, :], b[None, :], d))
        )
        for j, hit_proper, hit_touch in zip(cand, proper, touch):
            if not (hit_proper or hit_touch):
                continue
            pair = (min(i, j), max(i, j))
            if pair in neighbours and _folds_back(segments[pair[0]], segments[pair[1]]):
                return pair
            if pair not in neighbours:
                return pair
    return None


def _folds_back(p: np.ndarray, q: np.ndarray) -> bool:
    """Two segments sharing an end point overlap along a line (a spike), rather than only touching there."""
    for a in (0, 1):
        for b in (0, 1):
            if np.array_equal(p[a], q[b]):
                shared, u, v = p[a], p[1 - a], q[1 - b]
                return bool(_orient(shared, u, v) == 0 and np.dot(u - shared, v - shared) > 0)
    return False


def _dedupe(ring: np.ndarray) -> np.ndarray:
    """The ring without repeated consecutive points."""
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
    return ring[keep]


def self_intersection(geom: dict) -> tuple[float, float] | None:
    """Where a polygon's rings cross themselves or each other (lon, lat of the crossing), or None."""
    for rings in polygons(geom):
        lat0 = float(rings[0][:, 1].mean())
        segments, bounds, at = [], [], 0
        for ring in rings:
            r = _dedupe(ring)
            xy = _local_xy(r, lat0)
            seg = np.stack([xy[:-1], xy[1:]], axis=1)
            segments.append(seg)
            bounds.append((at, at + len(seg) - 1))
            at += len(seg)
        if not segments:
            continue
        allseg = np.concatenate(segments)
        pair = _crossing(allseg, bounds)
        if pair is not None:
            x, y = allseg[pair[1], 0]
            k = math.cos(math.radians(lat0))
            return math.degrees(x / (WGS84_A * k)), math.degrees(y / WGS84_A)
    return None


def _place_problem(rings: list[np.ndarray]) -> str | None:
    lon = np.concatenate([r[:, 0] for r in rings])
    lat = np.concatenate([r[:, 1] for r in rings])
    lo_min, lat_min, lo_max, lat_max = CHINA
    if (np.abs(lon) > 360).any() or (np.abs(lat) > 360).any():
        return "坐标数值过大，疑似投影坐标（米）：请转换为经纬度（WGS84/CGCS2000，单位：度）"
    inside = (lon >= lo_min) & (lon <= lo_max) & (lat >= lat_min) & (lat <= lat_max)
    if inside.all():
        return None
    swapped = (lat >= lo_min) & (lat <= lo_max) & (lon >= lat_min) & (lon <= lat_max)
    if swapped.all():
        return "坐标超出中国范围：疑似经纬度顺序颠倒，GeoJSON 应为 [经度, 纬度]"
    return (
        f"坐标超出中国范围（经度 {lo_min:g}°—{lo_max:g}°E，纬度 {lat_min:g}°—{lat_max:g}°N），"
        f"如 [{lon[~inside][0]:.5f}, {lat[~inside][0]:.5f}]"
    )


def problems(value, area_mu_stated: float | None = None, tolerance: float = AREA_TOLERANCE) -> list[str]:
    """Everything wrong with one boundary (Chinese sentences; empty when it is a valid parcel outline).

    `area_mu_stated`: the parcel's 亩 (its area may differ from the boundary's by `tolerance`)."""
    try:
        geom = parse(value)
        parts = polygons(geom)
    except GeometryError as exc:
        return [str(exc)]
    out = []
    n = sum(len(r) for p in parts for r in p)
    if n > MAX_VERTICES:
        return [f"顶点过多（{n:,} 个，上限 {MAX_VERTICES:,} 个）：请先简化边界"]
    rings = [r for p in parts for r in p]
    for k, ring in enumerate(rings, start=1):
        which = f"第 {k} 个环" if len(rings) > 1 else "边界"
        if len(ring) >= 2 and not np.array_equal(ring[0], ring[-1]):
            out.append(f"{which}未闭合（首末坐标应相同）")
        if len(_dedupe(ring)) < 4:
            out.append(f"{which}顶点不足（至少 3 个不同的点，首末相同共 4 个坐标）")
    if out:
        return out
    place = _place_problem(rings)
    if place:
        return [place]
    cross = self_intersection(geom)
    if cross is not None:
        out.append(f"边界自相交（约在 {cross[0]:.6f}, {cross[1]:.6f}）")
    elif area_mu_stated is not None and area_mu_stated > 0:
        got = area_mu(geom)
        diff = got / area_mu_stated - 1
        if abs(diff) > tolerance:
            out.append(
                f"边界面积 {got:,.2f} 亩，与地块面积 {area_mu_stated:,.2f} 亩相差 {diff * 100:+.1f}%"
                f"（允许 ±{tolerance * 100:g}%）"
            )
    return out


def dumps(geom: dict, digits: int = 7) -> str:
    """Compact GeoJSON text of a geometry (coordinates rounded to `digits` decimals: 1e-7° ≈ 1 cm)."""
    parts = [
        [[[round(float(x), digits), round(float(y), digits)] for x, y in ring] for ring in rings]
        for rings in polygons(geom)
    ]
    coords = parts[0] if geom["type"] == "Polygon" else parts
    return json.dumps({"type": geom["type"], "coordinates": coords}, separators=(",", ":"))


# ------------------------------------------------------------------------------------ map helpers
def bounds(geom: dict) -> tuple[float, float, float, float]:
    """(lon min, lat min, lon max, lat max)."""
    pts = np.concatenate([r for p in polygons(geom) for r in p])
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())


def centroid(geom: dict) -> tuple[float, float]:
    """Area-weighted centre of the outer rings (lon, lat)."""
    sx = sy = total = 0.0
    for rings in polygons(geom):
        ring = rings[0]
        x, y = ring[:, 0] - ring[0, 0], ring[:, 1] - ring[0, 1]
        cross = x * np.roll(y, -1) - np.roll(x, -1) * y
        a = cross.sum() / 2
        if a == 0:
            continue
        sx += ((x + np.roll(x, -1)) * cross).sum() / 6 + a * ring[0, 0]
        sy += ((y + np.roll(y, -1)) * cross).sum() / 6 + a * ring[0, 1]
        total += a
    if total == 0:
        b = bounds(geom)
        return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return sx / total, sy / total


def _dp(points: np.ndarray, tol: float) -> np.ndarray:
    """Douglas–Peucker: which points of an open polyline (metres) to keep."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = points[i], points[j]
        seg = b - a
        length = math.hypot(*seg)
        mid = points[i + 1 : j]
        if length == 0:
            dist = np.hypot(*(mid - a).T)
        else:
            dist = np.abs(seg[0] * (mid[:, 1] - a[1]) - seg[1] * (mid[:, 0] - a[0])) / length
        k = int(np.argmax(dist))
        if dist[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return keep


def simplify(geom: dict, tolerance_m: float) -> dict:
    """The geometry with each ring simplified (Douglas–Peucker, `tolerance_m` metres); a ring that would
    keep fewer than 4 points stays as it was (holes that vanish are dropped)."""
    if tolerance_m <= 0:
        return geom
    parts = []
    for rings in polygons(geom):
        lat0 = float(rings[0][:, 1].mean())
        kept = []
        for k, ring in enumerate(rings):
            ring = _dedupe(ring)
            keep = _dp(_local_xy(ring, lat0), tolerance_m)
            if keep.sum() >= 4:
                kept.append(ring[keep].tolist())
            elif k == 0:
                kept.append(ring.tolist())
        parts.append(kept)
    return {"type": geom["type"], "coordinates": parts[0] if geom["type"] == "Polygon" else parts}


def rewind(geom: dict, d3: bool = True) -> dict:
    """Ring order for drawing: d3 / Vega-Lite want outer rings clockwise and holes counter-clockwise
    (RFC 7946 the opposite, `d3=False`); a spherical projection fills the rest of the globe otherwise."""
    parts = []
    for rings in polygons(geom):
        out = []
        for k, ring in enumerate(rings):
            ccw = ring_area_m2(ring) > 0
            want_ccw = (k > 0) if d3 else (k == 0)
            out.append((ring if ccw == want_ccw else ring[::-1]).tolist())
        parts.append(out)
    return {"type": geom["type"], "coordinates": parts[0] if geom["type"] == "Polygon" else parts}


def _signed_area(ring: list) -> float:
    """Shoelace of a lon/lat ring in degrees (only its sign is used: counter-clockwise positive)."""
    x0, y0 = ring[0][0], ring[0][1]
    return sum((a[0] - x0) * (b[1] - y0) - (b[0] - x0) * (a[1] - y0) for a, b in zip(ring, ring[1:])) / 2


def for_map(geom: dict, tolerance_m: float) -> dict:
    """`rewind(simplify(geom, tolerance_m))` for drawing, with plain lists for the small rings of most parcels
    (a ring of at most 5 positions, a quadrilateral, has nothing to simplify). Positions are (lon, lat) tuples:
    the drawn outlines are kept (`to_text`), and the garbage collector stops tracking tuples of numbers, where
    each kept list of two is one more object every full collection walks (cockpit.app.collector)."""
    parts = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    if any(len(ring) > 5 for rings in parts for ring in rings):
        drawn = rewind(simplify(geom, tolerance_m))
        parts = [drawn["coordinates"]] if geom["type"] == "Polygon" else drawn["coordinates"]
        out = [[[(float(p[0]), float(p[1])) for p in ring] for ring in rings] for rings in parts]
        return {"type": geom["type"], "coordinates": out[0] if geom["type"] == "Polygon" else out}
    out = []
    for rings in parts:
        wound = []
        for k, ring in enumerate(rings):
            ring = [(float(p[0]), float(p[1])) for p in ring]
            wound.append(ring if (_signed_area(ring) > 0) == (k > 0) else ring[::-1])
        out.append(wound)
    return {"type": geom["type"], "coordinates": out[0] if geom["type"] == "Polygon" else out}


# the map writes each drawn outline as JSON text (a frame column, hashed by content) and the chart reads it back:
# the objects are kept with their text, so the chart need not parse ~2,000 outlines again (~0.1 ms each)
_TEXTS: OrderedDict[str, dict] = OrderedDict()
TEXTS_KEPT = 10_000
_texts_lock = threading.Lock()


def to_text(geom: dict) -> str:
    """`geom` as compact JSON text, remembered with the object for `from_text`."""
    text = json.dumps(geom, separators=(",", ":"))
    with _texts_lock:
        _TEXTS[text] = geom
        _TEXTS.move_to_end(text)
        while len(_TEXTS) > TEXTS_KEPT:
            _TEXTS.popitem(last=False)
    return text


def from_text(text: str) -> dict:
    """The geometry whose JSON text is `text`: the object `to_text` wrote it from while remembered (shared: read
    it, do not change it), else parsed."""
    with _texts_lock:
        known = _TEXTS.get(text)
    return known if known is not None else json.loads(text)


def convex_hull(points) -> list[list[float]]:
    """Convex hull (monotone chain) of lon/lat points as a closed counter-clockwise ring; [] for fewer
    than 3 distinct points."""
    pts = sorted({(float(p[0]), float(p[1])) for p in points})
    if len(pts) < 3:
        return []

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(seq):
        out = []
        for p in seq:
            while len(out) >= 2 and cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    hull = half(pts)[:-1] + half(reversed(pts))[:-1]
    if len(hull) < 3:
        return []
    return [[x, y] for x, y in hull + [hull[0]]]


# ---------------------------------------------------------------------------------- feature files
def read_features(data: bytes, max_features: int) -> list[tuple[dict, str]]:
    """A GeoJSON FeatureCollection (or one Feature) as (properties, geometry as JSON text) pairs in file
    order; the geometry is given as found (the boundary check reports what is wrong with it). GeometryError with a
    Chinese message when the file is not a FeatureCollection or has more than `max_features` features."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise GeometryError("GeoJSON 文件应为 UTF-8 编码") from None
    except (ValueError, RecursionError):
        raise GeometryError("不是有效的 GeoJSON 文件（JSON 格式错误）") from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise GeometryError("GeoJSON 文件应为 FeatureCollection（要素集合），每个地块一个要素")
    features = doc["features"]
    if not features:
        raise GeometryError("GeoJSON 文件中没有要素")
    if len(features) > max_features:
        raise GeometryError(f"要素过多（{len(features):,} 个，上限 {max_features:,} 个）")
    out = []
    for f in features:
        f = f if isinstance(f, dict) else {}
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        if f.get("id") is not None and not props:
            props = {"id": f.get("id")}
        elif f.get("id") is not None:
            props = {**props, "id": f.get("id")}
        geometry = f.get("geometry")
        out.append((props, json.dumps(geometry, separators=(",", ":"))))  # a missing geometry → "null"
    return out


def feature_rows(
    data: bytes,
    *,
    max_bytes: int,
    max_features: int,
    columns: dict[str, str],
    norm=str,
    existing=None,
    key: str = "parcel_id",
    boundary: str = "boundary_geojson",
):
    """The rows a GeoJSON FeatureCollection file gives a table keyed by `key`: one per feature, in file
    order, holding `boundary` (the geometry as text, checked later) and the properties that name a column
    (`columns`: normalised header or column name → column; `norm` normalises a property name; other
    properties are ignored). The feature's `id` gives the key when no property does. For a key already in
    `existing` (the stored table), columns the file does not give are taken from the stored row, so a file
    of outlines keyed by 地块编号 adds boundaries to known parcels. GeometryError when the file is not a
    FeatureCollection, too large or has too many features."""
    import pandas as pd

    if len(data) > max_bytes:
        raise GeometryError(f"文件过大（{len(data) / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）")
    rows = []
    for props, geometry in read_features(data, max_features):
        row = {}
        for name, value in props.items():
            col = columns.get(norm(str(name)))
            if col is not None and col != boundary:
                row[col] = value
        if row.get(key) in (None, "") and props.get("id") not in (None, ""):
            row[key] = props["id"]
        row[boundary] = geometry
        rows.append(row)
    frame = pd.DataFrame(rows)
    if existing is not None and len(existing) and key in frame:
        stored = existing.drop_duplicates(key).set_index(key)
        for col in stored.columns:
            if col == boundary:
                continue
            known = frame[key].astype(str).map(stored[col].to_dict())
            frame[col] = known if col not in frame else frame[col].where(frame[col].notna(), known)
    return frame
