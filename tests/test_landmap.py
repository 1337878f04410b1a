"""亩均一张图 (cockpit.report.landmap and the parcel_map queries) on the tiny dataset: which parcels are drawn, their colour
category, the scope, the 片区 view past the limit, the tile layout of an optional base map."""

import math
import re

import pandas as pd
import pytest
import tiny

from cockpit.data import geo
from cockpit.data.config import map_config
from cockpit.data.dimensions import EVERYTHING
from cockpit.report import landmap

P = {"year": 2023, "month": 3, "scope": EVERYTHING, "limit": 5000}
UNITS = pd.DataFrame(
    {"unit_id": ["P1", "P2"], "cls_label": ["A 类 优先发展", "D 类 倒逼整治"], "tax_per_mu": [1.8, 0.6]}
)


def test_parcel_map_rows_states_tenants_and_scope(tiny_db):
    """Test both tiny parcels (在用: tiny's 整治 actions have no 摸排 date, so none is found by 2023-03-31), tenants
    largest first, and the scope of a 产业链 filter (P1's 甲化工 is not 食品饮料)."""
    rows = tiny_db.run("parcel_map", P).set_index("parcel_id")
    assert (
        list(rows.index) == ["P1", "P2"] and set(rows["parcels_in_scope"]) == {2} and set(rows["with_boundary"]) == {1}
    )
    assert rows.loc["P1", "state"] == rows.loc["P2", "state"] == "在用"
    assert rows.loc["P2", "ent_ids"] == "E2,E3" and rows.loc["P2", "ent_names"] == "乙电气、丙饮料"
    assert rows["in_scope"].all()
    food = tiny_db.run("parcel_map", {**P, "chains": ["食品饮料"]}).set_index("parcel_id")
    assert dict(food["in_scope"]) == {"P1": False, "P2": True}
    assert list(tiny_db.run("parcel_map", {**P, "areas": ["A2"]})["parcel_id"]) == ["P2"]
    assert tiny_db.run("parcel_map", {**P, "limit": 1}).empty  # more parcels than drawn: the 片区 view instead


def test_features_colour_by_mode_and_keep_only_outlined_parcels(tiny_db):
    """Test that only P1 (with an outline) is drawn: A 类 by 亩均, 在用 by state and by vacancy, grey outside the
    filter; its tooltip figures and the enterprise a click opens."""
    rows = tiny_db.run("parcel_map", P)
    shown = landmap.features(rows, UNITS, "亩均分类")
    assert list(shown["parcel_id"]) == ["P1"]
    first = shown.iloc[0]
    assert (first["category"], first["ent_id"], first["ent_names"], first["tax_per_mu"]) == (
        "A 类 优先发展",
        "E1",
        "甲化工",
        1.8,
    )
    assert geo.area_mu(geo.parse(first["geometry"])) == pytest.approx(10.0, rel=1e-3)
    assert landmap.features(rows, UNITS, "整治状态")["category"].iloc[0] == "在用"
    assert landmap.features(rows, UNITS, "闲置地块")["category"].iloc[0] == "在用"
    outside = landmap.features(tiny_db.run("parcel_map", {**P, "chains": ["食品饮料"]}), UNITS, "亩均分类")
    assert outside["category"].iloc[0] == landmap.OUT_OF_SCOPE
    unrated = landmap.features(rows, UNITS.iloc[0:0], "亩均分类")
    assert unrated["category"].iloc[0] == landmap.NOT_RATED and unrated["cls_label"].iloc[0] == landmap.NOT_RATED


def test_legends_and_labels():
    """Test the legend order of each mode (with the grey 'outside the filters' last) and the 片区 label."""
    classes = ["A 类 优先发展", "B 类 提升发展", "C 类 调控帮扶", "D 类 倒逼整治", "未参评"]
    assert list(landmap.legend("亩均分类", classes)) == classes + [landmap.NO_ENTERPRISE, landmap.OUT_OF_SCOPE]
    assert list(landmap.legend("整治状态", classes)) == ["在用", "已整治", "整治中", "闲置", landmap.OUT_OF_SCOPE]
    assert landmap.label("新材料新装备产业园·化工集聚区") == "化工集聚区" and landmap.label("华埠片区") == "华埠片区"


def test_outlines_and_the_area_view(tiny_db):
    """Test A1's outline (the hull of P1 = P1) and, past the limit, one rectangle per 片区 with an outline, shaded
    by D 类 share, 亩 in 整治 or 闲置 亩 (tiny: none in 整治, none 闲置)."""
    rows = tiny_db.run("parcel_map", P)
    hull = landmap.outlines(rows)
    assert list(hull["area_name"]) == ["化工集聚区"]
    assert geo.area_mu(geo.parse(hull["geometry"].iloc[0])) == pytest.approx(10.0, rel=1e-3)
    areas = tiny_db.run("parcel_map_areas", P).set_index("area_code")
    assert (
        areas.loc["A1", "parcels"] == 1 and areas.loc["A2", "area_mu"] == 25.0 and areas.loc["A2", "in_action_mu"] == 0
    )
    assert pd.isna(areas.loc["A2", "lon_min"])  # P2 has no outline
    lon0, lat0, lon1, lat1 = geo.bounds(geo.parse(tiny.BOUNDARY_P1))
    assert (areas.loc["A1", "lon_min"], areas.loc["A1", "lat_max"]) == (lon0, lat1)
    counts = pd.DataFrame({"area_name": ["化工集聚区"], "rated": [4], "d_class": [1]})
    view = landmap.area_view(areas.reset_index(), counts, "亩均分类")
    assert list(view["area_code"]) == ["A1"] and view["share_pct"].iloc[0] == 25.0
    assert landmap.area_view(areas.reset_index(), None, "整治状态")["share_pct"].iloc[0] == 0.0


def test_tiles_fit_the_extent_at_native_size():
    """Test the base-map layout: one tile = 256 px at the chosen zoom, the extent fits 800 px × the height, the
    tiles cover the extent, and each tile's corner is its Web Mercator corner."""
    bounds = (118.365, 29.033, 118.427, 29.076)
    projection, tiles = landmap.tiles(bounds, "https://t.example/{z}/{x}/{y}.png", 520)
    zoom = int(re.match(r"https://t\.example/(\d+)/", tiles["url"].iloc[0]).group(1))
    assert projection["scale"] == pytest.approx(256 * 2**zoom / (2 * math.pi))
    assert zoom == 13  # 6.0 km wide: 1,126 px at zoom 14 would not fit 800 px, 563 px at 13 does
    assert tiles["lon"].min() <= bounds[0] and tiles["lon"].max() + 360 / 2**zoom >= bounds[2]
    assert tiles["lat"].max() >= bounds[3]
    x, y = (int(v) for v in re.search(r"/(\d+)/(\d+)\.png$", tiles["url"].iloc[0]).groups())
    assert tiles["lon"].iloc[0] == pytest.approx(x / 2**zoom * 360 - 180)
    assert tiles["lat"].iloc[0] == pytest.approx(math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**zoom)))))


def test_map_config(tmp_path):
    """Test the [map] section: empty by default, an XYZ https URL accepted, anything else refused in Chinese."""
    assert map_config(tmp_path / "none.toml").tile_url == ""
    good = tmp_path / "good.toml"
    good.write_text('[map]\ntile_url = "https://t.example/{z}/{x}/{y}.png"\n', encoding="utf-8")
    assert map_config(good).tile_url.endswith("{y}.png")
    bad = tmp_path / "bad.toml"
    bad.write_text('[map]\ntile_url = "file:///etc/passwd"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="tile_url"):
        map_config(bad)


def test_outline_text_is_read_back_without_parsing_while_remembered():
    """Test that the chart gets back the very outline object the map wrote as text, and parses other text."""
    from cockpit.data import geo

    shape = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]]]}
    text = geo.to_text(shape)
    assert text == '{"type":"Polygon","coordinates":[[[0.0,0.0],[0.0,1.0],[1.0,1.0],[0.0,0.0]]]}'
    assert geo.from_text(text) is shape
    other = '{"type":"Polygon","coordinates":[[[2,2],[2,3],[3,3],[2,2]]]}'
    assert geo.from_text(other) == {"type": "Polygon", "coordinates": [[[2, 2], [2, 3], [3, 3], [2, 2]]]}
    for k in range(geo.TEXTS_KEPT):  # the oldest are forgotten past TEXTS_KEPT: parsed again, equal
        geo.to_text({"type": "Point", "coordinates": [k, 0]})
    again = geo.from_text(text)
    assert again == shape and again is not shape


def test_tolerance_steps_are_never_coarser_than_asked():
    """Test that the simplification tolerance is rounded down to a step of √2: never above the pixel asked for,
    never below it by more than √2, one value for close extents, 0 for an extent of nothing."""
    for tol in (0.07, 0.5, 1.0, 1.3, 2.0, 3.7, 40.0, 1234.5):
        step = landmap.tolerance_step(tol)
        assert tol / math.sqrt(2) - 1e-12 <= step <= tol
    assert landmap.tolerance_step(2.1) == landmap.tolerance_step(2.6) == 2.0
    assert landmap.tolerance_step(2.9) == pytest.approx(2 * math.sqrt(2))
    assert landmap.tolerance_step(0.0) == landmap.tolerance_step(float("nan")) == landmap.tolerance_step(-1) == 0.0


def test_a_filter_change_reuses_the_drawn_outlines(tiny_db):
    """Test that a second map of the same parcels (a 产业链 change greys other parcels, the extent stays) draws
    each outline from the kept text, identical to the first; and that the 片区 outlines read only the 片区 and the
    outlines (the page keys them by those two columns)."""
    rows = tiny_db.run("parcel_map", P)
    landmap._drawn.cache_clear()
    first = landmap.features(rows, UNITS, "亩均分类")
    hits = landmap._drawn.cache_info().hits
    food = landmap.features(tiny_db.run("parcel_map", {**P, "chains": ["食品饮料"]}), UNITS, "亩均分类")
    assert landmap._drawn.cache_info().hits == hits + len(first) and len(first) == 1
    assert list(food["geometry"]) == list(first["geometry"]) and list(food["category"]) != list(first["category"])
    pd.testing.assert_frame_equal(landmap.outlines(rows), landmap.outlines(rows[["area_name", "boundary_geojson"]]))
