"""The provincial-scale generator, in-memory tables, and the 5,000-row limit on every chart of every page."""

import io
import json
import os
import threading

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_app import PAGES

from cockpit.app import ui
from cockpit.data.db import OPTIONAL_TABLES, SAMPLE_DIR, TABLES, Database, query_names
from cockpit.gen import scale

KEYS = {
    "sectors": "sector_code",
    "areas": "area_code",
    "parcels": "parcel_id",
    "enterprises": "ent_id",
    "enterprise_month": "ent_id, year, month",
    "county_month": "year, month",
    "projects": "project_id",
    "project_month": "project_id, year, month",
    "bond_events": "bond_id, event, event_date",
    "land_actions": "action_id",
    "hazards": "hazard_id",
    "accidents": "accident_id",
    "trainings": "training_id",
    "risk_assessments": "park, assess_date",
    "targets": "year, indicator_id, scope_kind, scope_code",
    "indicators": "indicator_id",
}
FOREIGN = [
    ("enterprises", "sector_code", "sectors"),
    ("enterprises", "area_code", "areas"),
    ("enterprises", "parcel_id", "parcels"),
    ("parcels", "area_code", "areas"),
    ("enterprise_month", "ent_id", "enterprises"),
    ("projects", "sector_code", "sectors"),
    ("projects", "area_code", "areas"),
    ("project_month", "project_id", "projects"),
    ("bond_events", "project_id", "projects"),
    ("land_actions", "parcel_id", "parcels"),
    ("hazards", "ent_id", "enterprises"),
    ("accidents", "ent_id", "enterprises"),
    ("trainings", "area_code", "areas"),
]


@pytest.fixture(scope="module")
def small_scale(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale")
    rows = scale.generate(1_000, out, log=lambda *_: None)
    return out, rows


@pytest.fixture(scope="module")
def wide_scale(tmp_path_factory):
    """More enterprises (and parcels) than a chart may receive rows."""
    out = tmp_path_factory.mktemp("scale_wide")
    scale.generate(6_000, out, log=lambda *_: None)
    return out


def test_scale_has_the_sample_schema(small_scale):
    """Test that every table has exactly the sample's columns and types, with rows."""
    out, rows = small_scale
    for table in (t for t in TABLES if t not in OPTIONAL_TABLES):
        assert (
            pq.read_schema(out / f"{table}.parquet").remove_metadata()
            == pq.read_schema(SAMPLE_DIR / f"{table}.parquet").remove_metadata()
        ), table
        assert rows[table] > 0 or table == "price_index", table  # optional table, empty like the sample's
    assert rows["enterprises"] == 1_000
    assert rows["enterprise_month"] > 1_000 * 40  # most enterprises report most of the 60 months


def test_scale_keys_are_unique_and_foreign_keys_resolve(small_scale):
    """Test that each table's key is unique and each reference points at an existing row."""
    out, _ = small_scale
    con = duckdb.connect()
    for table in (t for t in TABLES if t not in OPTIONAL_TABLES):
        con.execute(f"create view {table} as select * from read_parquet('{out / table}.parquet')")
    for table, key in KEYS.items():
        assert con.execute(f"select count(*) - count(distinct ({key})) from {table}").fetchone()[0] == 0, table
    for table, col, ref in FOREIGN:
        orphans = con.execute(
            f"select count(*) from {table} where {col} is not null and {col} not in (select {col} from {ref})"
        ).fetchone()[0]
        assert orphans == 0, (table, col)
    # an enterprise's land is its parcel's, halved where two share it: in-use parcels add up
    used, parcels = con.execute(
        "select (select sum(land_mu) from enterprises), (select sum(area_mu) from parcels where land_use = '工业')"
    ).fetchone()
    assert used == pytest.approx(parcels, abs=1)


def test_scale_is_deterministic(small_scale, tmp_path):
    """Test that the same size and seed give the same enterprise_month."""
    out, _ = small_scale
    scale.generate(1_000, tmp_path, log=lambda *_: None)
    assert pq.read_table(tmp_path / "enterprise_month.parquet").equals(pq.read_table(out / "enterprise_month.parquet"))


def test_a_generated_directory_is_not_refreshed_from_the_sample(small_scale):
    """Test that pointing the app at a generated directory keeps its data (no copy of the sample)."""
    from cockpit.data.store import ensure_working_dir

    out, rows = small_scale
    ensure_working_dir(out, SAMPLE_DIR)
    assert pq.read_metadata(out / "enterprises.parquet").num_rows == rows["enterprises"]


def test_in_memory_tables_answer_like_views(small_scale):
    """Test that every named query gives the same result on in-memory tables as on views over parquet."""
    from bench.run import default_params

    out, _ = small_scale
    views, tables = Database(out, in_memory=False), Database(out, in_memory=True)
    assert not views.in_memory and tables.in_memory
    params = default_params(views)
    for name in query_names():
        a, b = views.run(name, params), tables.run(name, params)
        # float sums may differ in the last bits: DuckDB's parallel aggregation has no fixed order
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, obj=name)


def _replace(path, table: pa.Table) -> None:
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def test_in_memory_tables_reload_when_a_file_is_replaced_while_threads_query(tmp_path):
    """Test that in-memory tables follow a replaced file, with threads querying throughout and no errors."""
    import tiny

    db = Database(tiny.write(tmp_path), in_memory=True)
    before = len(db.run("sectors"))
    errors, stop = [], threading.Event()

    def worker():
        while not stop.is_set():
            try:
                db.run("sectors")
            except Exception as exc:  # noqa: BLE001 - any error fails the test
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    path = tmp_path / "sectors.parquet"
    table = pq.read_table(path)
    _replace(path, table.slice(0, 1))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    seen = len(db.run("sectors"))
    stop.set()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert (before, seen) == (table.num_rows, 1) and before > 1


def chart_rows(at: AppTest) -> list[int]:
    """Rows of data each Vega-Lite chart on the page received (datasets, data and inline values)."""
    counts = []
    for el in at.get("vega_lite_chart"):
        proto = el.proto
        n = sum(pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().num_rows for d in proto.datasets)
        if proto.data.data:
            n += pa.ipc.open_stream(io.BytesIO(proto.data.data)).read_all().num_rows
        n += _inline_rows(json.loads(proto.spec))
        counts.append(n)
    return counts


def _inline_rows(spec) -> int:
    """Inline data values anywhere in a spec (the maps put their features in each layer's data)."""
    if isinstance(spec, list):
        return sum(_inline_rows(s) for s in spec)
    if not isinstance(spec, dict):
        return 0
    own = len((spec.get("data") or {}).get("values") or []) if isinstance(spec.get("data"), dict) else 0
    return own + sum(_inline_rows(spec[k]) for k in ("layer", "hconcat", "vconcat", "concat") if k in spec)


def test_no_chart_receives_more_than_5000_rows(wide_scale, monkeypatch):
    """Test that on 6,000 enterprises (5,800 parcels) every page runs and no chart gets over 5,000 rows."""
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(wide_scale))
    ui.clear_caches()
    seen = {}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen[page] = chart_rows(at)
        at.multiselect(key="chain").set_value(["新材料"]).run()
        assert not at.exception, (page, at.exception)
        seen[page] += chart_rows(at)
    ui.clear_caches()
    counts = [n for page in seen.values() for n in page]
    assert len(counts) >= 2 * len(PAGES)  # every page draws charts
    assert max(counts) <= 5_000, {p: max(c) for p, c in seen.items() if c}
    assert max(counts) > 1_000  # the scale is large enough to matter (the parcel map is capped at 5,000)
