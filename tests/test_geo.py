"""Parcel boundaries (cockpit.data.geo): area on the ellipsoid, every kind of invalid outline, map helpers, and the
outlines of the bundled sample and of the provincial generator."""

import json
import math

import numpy as np
import pytest

from cockpit.data import geo
from cockpit.gen import sample

LON, LAT = 118.38, 29.05


def rectangle(width_m: float, height_m: float, lon: float = LON, lat: float = LAT) -> dict:
    """A width × height metre rectangle with its south-west corner at (lon, lat), counter-clockwise."""
    m_lon, m_lat = sample.metres_per_degree(lat + height_m / 2 / 111_000)
    dx, dy = width_m / m_lon, height_m / m_lat
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]]],
    }


def test_area_of_a_one_degree_cell_equals_the_integral_on_the_ellipsoid():
    """Test the area of the cell 118–119°E × 29–30°N against ∫∫ M(φ)N(φ)cosφ dφ dλ computed numerically."""
    cell = {"type": "Polygon", "coordinates": [[[118, 29], [119, 29], [119, 30], [118, 30], [118, 29]]]}
    phi = np.radians(np.linspace(29, 30, 20_001))
    s = np.sin(phi)
    m = geo.WGS84_A * (1 - geo._E2) / (1 - geo._E2 * s * s) ** 1.5  # meridian radius of curvature
    n = geo.WGS84_A / np.sqrt(1 - geo._E2 * s * s)  # prime vertical radius of curvature
    f = m * n * np.cos(phi)
    expected = float(np.sum((f[1:] + f[:-1]) / 2 * np.diff(phi))) * math.radians(1)
    assert geo.area_m2(cell) == pytest.approx(expected, rel=1e-9)
    assert expected / 1e6 == pytest.approx(10_748, rel=1e-3)  # about 110.9 km × 96.9 km


def test_area_of_the_whole_ellipsoid():
    """Test that the authalic q(90°) gives the WGS84 surface, 510,065,621.7 km²."""
    total = 2 * math.pi * geo.WGS84_A**2 * geo._q(np.array([90.0]))[0]
    assert total / 1e6 == pytest.approx(510_065_621.7, abs=1.0)


def test_area_of_a_parcel_in_mu_with_a_hole_and_two_parts():
    """Test 100 m × 66.67 m = 10 亩, a 20 m × 20 m hole takes 0.6 亩 off, a MultiPolygon adds its parts."""
    outer = rectangle(100, 200 / 3)
    assert geo.area_mu(outer) == pytest.approx(10.0, rel=1e-4)
    hole = rectangle(20, 20, LON + 0.0002, LAT + 0.0002)["coordinates"][0][::-1]
    with_hole = {"type": "Polygon", "coordinates": [outer["coordinates"][0], hole]}
    assert geo.area_mu(with_hole) == pytest.approx(10.0 - 400 / geo.M2_PER_MU, rel=1e-4)
    multi = {
        "type": "MultiPolygon",
        "coordinates": [outer["coordinates"], rectangle(50, 200 / 3, LON + 0.01)["coordinates"]],
    }
    assert geo.area_mu(multi) == pytest.approx(15.0, rel=1e-4)
    assert geo.problems(json.dumps(with_hole), 9.4) == []


BAD = [  # (boundary, stated 亩, words of the expected message)
    ("{not json", 10, "JSON 格式错误"),
    (
        json.dumps({"type": "Point", "coordinates": [LON, LAT]}),
        10,
        "几何类型应为 Polygon 或 MultiPolygon，实际为 Point",
    ),
    (json.dumps({"type": "LineString", "coordinates": [[LON, LAT], [LON + 0.01, LAT]]}), 10, "实际为 LineString"),
    ("null", 10, "没有几何"),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[LON, LAT], [LON + 0.001, LAT], [LON + 0.001, LAT + 0.001], [LON, LAT + 0.001]]],
            }
        ),
        10,
        "未闭合",
    ),
    (json.dumps({"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.001, LAT], [LON, LAT]]]}), 10, "顶点不足"),
    (json.dumps({"type": "Polygon", "coordinates": [[["a", LAT], [LON, LAT], [LON, LAT], ["a", LAT]]]}), 10, "数字对"),
    (
        json.dumps({"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]]}),
        10,
        "坐标超出中国范围（经度 73.4°—135.1°E",
    ),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[LAT, LON], [LAT, LON + 0.001], [LAT + 0.001, LON + 0.001], [LAT, LON]]],
            }
        ),
        10,
        "经纬度顺序颠倒",
    ),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [[512_000, 3_214_000], [512_100, 3_214_000], [512_100, 3_214_100], [512_000, 3_214_000]]
                ],
            }
        ),
        10,
        "疑似投影坐标",
    ),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [[LON, LAT], [LON + 0.001, LAT + 0.001], [LON + 0.001, LAT], [LON, LAT + 0.001], [LON, LAT]]
                ],
            }
        ),
        10,
        "边界自相交",
    ),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [LON, LAT],
                        [LON + 0.001, LAT],
                        [LON + 0.002, LAT],
                        [LON + 0.001, LAT],
                        [LON + 0.001, LAT + 0.001],
                        [LON, LAT],
                    ]
                ],
            }
        ),
        10,
        "边界自相交",
    ),
    (json.dumps(rectangle(100, 200 / 3)), 12.5, "边界面积 10.00 亩，与地块面积 12.50 亩相差 -20.0%（允许 ±10%）"),
    (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[LON + i * 1e-6, LAT + (i % 2) * 1e-6] for i in range(10_001)] + [[LON, LAT]]],
            }
        ),
        10,
        "顶点过多",
    ),
]


@pytest.mark.parametrize("text, mu, words", BAD, ids=[w[:12] for _, _, w in BAD])
def test_each_kind_of_bad_boundary_is_named(text, mu, words):
    """Test that each kind of invalid outline gives its Chinese message."""
    found = geo.problems(text, mu)
    assert found and any(words in p for p in found), found


def test_a_ring_that_touches_itself_and_two_rings_that_cross_are_self_intersections():
    """Test a ring through one of its own vertices, and a hole crossing the outer ring."""
    d = 0.001
    touching = {
        "type": "Polygon",
        "coordinates": [
            [
                [LON, LAT],
                [LON + 2 * d, LAT],
                [LON + d, LAT + d],
                [LON + 2 * d, LAT + 2 * d],
                [LON, LAT + 2 * d],
                [LON + d, LAT + d],
                [LON, LAT],
            ]
        ],
    }
    assert "边界自相交" in geo.problems(touching)[0]
    crossing = {
        "type": "Polygon",
        "coordinates": [
            rectangle(100, 100)["coordinates"][0],
            rectangle(100, 20, LON + 0.0005, LAT + 0.0003)["coordinates"][0][::-1],
        ],
    }
    assert "边界自相交" in geo.problems(crossing)[0]


def test_valid_outlines_pass_and_are_stored_compact():
    """Test a rectangle of the stated area (and within 10 %) passes; dumps rounds to 1e-7° and keeps the type."""
    rect = rectangle(100, 200 / 3)
    assert geo.problems(json.dumps(rect), 10.0) == [] and geo.problems(rect, 10.9) == []
    text = geo.dumps(rect)
    assert " " not in text and json.loads(text)["type"] == "Polygon"
    assert geo.area_mu(geo.parse(text)) == pytest.approx(10.0, rel=1e-4)
    feature = {"type": "Feature", "properties": {}, "geometry": rect}
    assert geo.problems(feature, 10.0) == []


def test_rewind_simplify_hull_centroid():
    """Test d3 ring order (outer clockwise), Douglas–Peucker dropping a 1 cm bump, the hull and the centre."""
    rect = rectangle(100, 100)
    outer = np.array(geo.rewind(rect)["coordinates"][0])
    assert geo.ring_area_m2(outer) < 0 and geo.ring_area_m2(np.array(geo.rewind(rect, d3=False)["coordinates"][0])) > 0
    ring = rect["coordinates"][0]
    bumpy = {
        "type": "Polygon",
        "coordinates": [[ring[0], [(ring[0][0] + ring[1][0]) / 2, ring[0][1] + 1e-7], *ring[1:]]],
    }
    assert len(geo.simplify(bumpy, 1.0)["coordinates"][0]) == 5
    assert len(geo.simplify(bumpy, 0.001)["coordinates"][0]) == 6
    assert geo.convex_hull([[0, 0], [2, 0], [2, 2], [0, 2], [1, 1]]) == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    lon, lat = geo.centroid(rect)
    b = geo.bounds(rect)
    assert lon == pytest.approx((b[0] + b[2]) / 2) and lat == pytest.approx((b[1] + b[3]) / 2)


def test_feature_file_rows_keyed_by_parcel_id():
    """Test that a FeatureCollection gives one row per feature, properties named like columns, the feature id as
    地块编号 when no property gives it, and a known parcel's other columns from the stored table."""
    import pandas as pd

    existing = pd.DataFrame(
        {"parcel_id": ["P1"], "area_code": ["A1"], "area_mu": [10.0], "land_use": ["工业"], "boundary_geojson": [None]}
    )
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"地块编号": "P1", "备注": "不导入"},
                "geometry": rectangle(100, 200 / 3),
            },
            {"type": "Feature", "id": "P9", "properties": {"地块面积（亩）": 5, "片区代码": "A1"}, "geometry": None},
        ],
    }
    columns = {"地块编号": "parcel_id", "片区代码": "area_code", "地块面积（亩）": "area_mu", "parcel_id": "parcel_id"}
    rows = geo.feature_rows(
        json.dumps(doc).encode(), max_bytes=10**6, max_features=10, columns=columns, existing=existing
    )
    assert list(rows["parcel_id"]) == ["P1", "P9"]
    assert rows.loc[0, "area_mu"] == 10.0 and rows.loc[0, "area_code"] == "A1" and rows.loc[0, "land_use"] == "工业"
    assert (
        rows.loc[1, "area_mu"] == 5 and pd.isna(rows.loc[1, "land_use"]) and rows.loc[1, "boundary_geojson"] == "null"
    )
    assert "备注" not in rows
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.feature_rows(b'{"type": "Polygon"}', max_bytes=10**6, max_features=10, columns=columns)
    with pytest.raises(geo.GeometryError, match="要素过多"):
        geo.feature_rows(json.dumps(doc).encode(), max_bytes=10**6, max_features=1, columns=columns)
    with pytest.raises(geo.GeometryError, match="文件过大"):
        geo.feature_rows(json.dumps(doc).encode(), max_bytes=100, max_features=10, columns=columns)


@pytest.fixture(scope="module")
def tables():
    return sample.generate()


def test_sample_outlines_are_valid_near_kaihua_and_match_their_mu(tables):
    """Test that every bundled parcel has a valid outline near 开化 (118.3–118.5°E, 29.0–29.1°N) whose area is its
    亩 within 1 %, outlines do not overlap, and x, y are its centre in 100 m from the schematic origin."""
    parcels = tables["parcels"]
    boxes = []
    for row in parcels.itertuples():
        assert geo.problems(row.boundary_geojson, row.area_mu) == [], row.parcel_id
        shape = geo.parse(row.boundary_geojson)
        assert geo.area_mu(shape) == pytest.approx(row.area_mu, rel=0.01), row.parcel_id
        lon0, lat0, lon1, lat1 = geo.bounds(shape)
        assert 118.3 < lon0 < lon1 < 118.5 and 29.0 < lat0 < lat1 < 29.1
        lon, lat = geo.centroid(shape)
        m_lon, m_lat = sample.metres_per_degree(sample.ORIGIN_LONLAT[1])
        assert row.x == pytest.approx((lon - sample.ORIGIN_LONLAT[0]) * m_lon / 100, abs=0.06)
        assert row.y == pytest.approx((lat - sample.ORIGIN_LONLAT[1]) * m_lat / 100, abs=0.06)
        boxes.append((row.parcel_id, np.array(shape["coordinates"][0])))
    # no two outlines overlap: rotated rectangles, checked by the separating-axis test on their edges
    for i, (a, pa) in enumerate(boxes):
        for b, pb in boxes[i + 1 :]:
            if _overlap(pa[:-1], pb[:-1]):
                pytest.fail(f"{a} overlaps {b}")


def _overlap(p: np.ndarray, q: np.ndarray) -> bool:
    k = math.cos(math.radians(LAT))
    p, q = p * [k, 1], q * [k, 1]
    for poly in (p, q):
        for e in np.diff(np.vstack([poly, poly[:1]]), axis=0):
            axis = np.array([-e[1], e[0]])
            a, b = p @ axis, q @ axis
            if a.max() <= b.min() or b.max() <= a.min():
                return False
    return True


def test_scale_outlines_are_valid_squares(tmp_path):
    """Test that the provincial generator gives every parcel a valid square outline of its 亩 (within 1 %)."""
    import pandas as pd

    from cockpit.gen import scale

    scale.generate(300, tmp_path, log=lambda *_: None)
    parcels = pd.read_parquet(tmp_path / "parcels.parquet")
    for row in parcels.itertuples():
        assert geo.problems(row.boundary_geojson, row.area_mu, tolerance=0.01) == [], row.parcel_id
