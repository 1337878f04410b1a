"""Parcel boundaries at import: a .geojson FeatureCollection keyed by 地块编号 and the 地块边界 column of a parcels
file; every bad kind reported with its feature / row and problem, nothing written; the command line alike."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

from cockpit.data import geo
from cockpit.data.db import SAMPLE_DIR
from cockpit.data.ingest import import_file
from cockpit.data.store import DataStore, ensure_working_dir
from cockpit.gen import sample
from cockpit.report.exports import csv_bytes

HEADER = "地块边界（GeoJSON）"


@pytest.fixture()
def workdir(tmp_path):
    return ensure_working_dir(tmp_path / "work", SAMPLE_DIR)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rectangle_mu(mu: float, lon: float = 118.39, lat: float = 29.06) -> dict:
    """A rectangle of `mu` 亩, 100 m wide."""
    m_lon, m_lat = sample.metres_per_degree(lat)
    height = mu * geo.M2_PER_MU / 100
    dx, dy = 100 / m_lon, height / m_lat
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]]],
    }


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


def feature(parcel_id: str, geometry, **props) -> dict:
    return {"type": "Feature", "properties": {"地块编号": parcel_id, **props}, "geometry": geometry}


def test_geojson_file_adds_outlines_to_known_parcels(workdir):
    """Test that a FeatureCollection keyed by 地块编号 replaces two parcels' outlines, keeps their other columns
    and every other parcel, and stores compact GeoJSON."""
    before = DataStore(workdir).read("parcels").set_index("parcel_id")
    a, b = before.index[:2]
    data = collection(
        feature(a, rectangle_mu(before.at[a, "area_mu"])),
        feature(b, rectangle_mu(before.at[b, "area_mu"] * 1.05, lon=118.40), 名称="多余属性被忽略"),
    )
    outcome = import_file(data, "地块边界.geojson", workdir, user="测试")
    assert outcome.ok, outcome.problems
    assert outcome.table == "parcels" and outcome.preview.rows_changed == 2 and outcome.preview.rows_new == 0
    after = DataStore(workdir).read("parcels").set_index("parcel_id")
    assert len(after) == len(before)
    assert geo.area_mu(geo.parse(after.at[a, "boundary_geojson"])) == pytest.approx(
        before.at[a, "area_mu"], rel=1e-3
    )  # stored to 1e-7° (≈ 1 cm)
    assert " " not in after.at[a, "boundary_geojson"]
    unchanged = after.drop(index=[a, b])
    pd.testing.assert_frame_equal(unchanged, before.drop(index=[a, b]))
    for col in ("area_code", "area_mu", "land_use", "x", "y"):
        assert after.at[a, col] == before.at[a, col]


BAD_FEATURES = [  # (geometry, area factor, words in the message)
    ({"type": "Point", "coordinates": [118.39, 29.06]}, 1, "几何类型应为 Polygon 或 MultiPolygon，实际为 Point"),
    (
        {"type": "Polygon", "coordinates": [[[118.39, 29.06], [118.391, 29.06], [118.391, 29.061], [118.39, 29.061]]]},
        1,
        "边界未闭合",
    ),
    (
        {
            "type": "Polygon",
            "coordinates": [[[118.39, 29.06], [118.391, 29.061], [118.391, 29.06], [118.39, 29.061], [118.39, 29.06]]],
        },
        1,
        "边界自相交",
    ),
    (
        {"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]]},
        1,
        "坐标超出中国范围",
    ),
    ("rect", 1.5, "相差 +50.0%（允许 ±10%）"),
    (None, 1, "没有几何"),
]


@pytest.mark.parametrize("geometry, factor, words", BAD_FEATURES, ids=[w[:10] for _, _, w in BAD_FEATURES])
def test_each_bad_feature_is_reported_with_its_number_and_nothing_is_written(geometry, factor, words, workdir):
    """Test that a bad outline in the second feature is reported as 第 2 个要素 / 地块边界 / its problem, and the
    parcels file is unchanged."""
    parcels = DataStore(workdir).read("parcels")
    good, bad = parcels["parcel_id"].iloc[0], parcels["parcel_id"].iloc[1]
    bad_mu = float(parcels["area_mu"].iloc[1])
    shape = rectangle_mu(bad_mu * factor) if geometry == "rect" else geometry
    data = collection(feature(good, rectangle_mu(float(parcels["area_mu"].iloc[0]))), feature(bad, shape))
    path = DataStore(workdir).path("parcels")
    before = sha(path)
    outcome = import_file(data, "边界.geojson", workdir, user="测试")
    assert not outcome.ok and outcome.committed is None
    problems = outcome.problems
    assert list(problems["行号"]) == ["第 2 个要素"], problems
    assert list(problems["列"]) == [HEADER]
    assert words in problems["问题"].iloc[0]
    assert sha(path) == before


def test_unknown_parcel_without_attributes_and_file_level_problems(workdir):
    """Test that an unknown 地块编号 without 片区/面积/用途 is reported per column, and a file that is not a
    FeatureCollection (or not JSON) is rejected as a whole."""
    outcome = import_file(collection(feature("NEW-1", rectangle_mu(10))), "x.geojson", workdir, user="测试")
    assert not outcome.ok
    assert set(outcome.problems["列"]) >= {"片区代码", "地块面积（亩）", "用途"}
    assert set(outcome.problems["行号"]) == {"第 1 个要素"}
    for data, words in (
        (b'{"type": "Polygon", "coordinates": []}', "FeatureCollection"),
        (b"not json", "JSON 格式错误"),
        (b'{"type": "FeatureCollection", "features": []}', "没有要素"),
    ):
        outcome = import_file(data, "x.geojson", workdir, user="测试")
        assert not outcome.ok and words in outcome.problems["问题"].iloc[0]


def test_new_parcel_with_attributes_in_the_feature(workdir):
    """Test that a feature carrying 片区代码, 面积 and 用途 adds a new parcel with its outline."""
    data = collection(feature("HGQ-900", rectangle_mu(12.5), 片区代码="HGQ", **{"地块面积（亩）": 12.5}, 用途="闲置"))
    outcome = import_file(data, "新地块.geojson", workdir, user="测试")
    assert outcome.ok, outcome.problems
    row = DataStore(workdir).read("parcels").set_index("parcel_id").loc["HGQ-900"]
    assert row["area_code"] == "HGQ" and row["land_use"] == "闲置" and row["area_mu"] == 12.5
    assert geo.area_mu(geo.parse(row["boundary_geojson"])) == pytest.approx(12.5, rel=1e-3)  # stored to 1e-7° (≈ 1 cm)


def test_parcels_csv_with_a_boundary_column(workdir):
    """Test the 地块 table's own file: a good boundary is stored, a bad one is reported by row and column."""
    rows = pd.DataFrame(
        {
            "地块编号": ["HGQ-901", "HGQ-902"],
            "片区代码": ["HGQ", "HGQ"],
            "地块面积（亩）": [10.0, 10.0],
            "用途": ["工业", "工业"],
            HEADER: [json.dumps(rectangle_mu(10.0)), json.dumps(rectangle_mu(30.0))],
        }
    )
    outcome = import_file(csv_bytes(rows), "地块.csv", workdir, user="测试", table="parcels")
    assert not outcome.ok
    assert list(zip(outcome.problems["行号"], outcome.problems["列"])) == [(3, HEADER)]
    assert "边界面积 30.00 亩，与地块面积 10.00 亩相差 +200.0%" in outcome.problems["问题"].iloc[0]
    ok = import_file(csv_bytes(rows.iloc[:1]), "地块.csv", workdir, user="测试", table="parcels")
    assert ok.ok, ok.problems
    stored = DataStore(workdir).read("parcels").set_index("parcel_id").loc["HGQ-901", "boundary_geojson"]
    assert geo.problems(stored, 10.0) == []


def test_command_line_imports_a_geojson_file(workdir, tmp_path):
    """Test `python -m cockpit.data.ingest FILE.geojson --table parcels`: exit 1 naming the feature for a bad file,
    0 and committed for a good one."""
    parcels = DataStore(workdir).read("parcels")
    pid, mu = parcels["parcel_id"].iloc[3], float(parcels["area_mu"].iloc[3])
    bad, good = tmp_path / "坏.geojson", tmp_path / "好.geojson"
    bad.write_bytes(collection(feature(pid, rectangle_mu(mu * 2))))
    good.write_bytes(collection(feature(pid, rectangle_mu(mu))))
    cmd = [sys.executable, "-m", "cockpit.data.ingest", "--table", "parcels", "--data-dir", str(workdir)]
    run = subprocess.run(cmd + [str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "第 1 个要素" in run.stderr and "相差 +100.0%" in run.stderr
    run = subprocess.run(cmd + [str(good)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "已提交" in run.stdout
    stored = DataStore(workdir).read("parcels").set_index("parcel_id").loc[pid, "boundary_geojson"]
    assert geo.area_mu(geo.parse(stored)) == pytest.approx(mu, rel=1e-3)  # stored to 1e-7° (≈ 1 cm)
