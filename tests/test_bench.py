"""Smoke run of the benchmark (tiny scale, seconds): it runs end to end and its baseline is right."""

import pandas as pd
import pytest

from bench import baseline, report
from bench import run as bench
from cockpit.data.db import SAMPLE_DIR, Database, query_names
from cockpit.gen import scale


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"chains": ["新材料"]},
        {"year": 2023, "month": 12, "high_tech_only": True},
        {"year": 2022, "month": 6, "areas": ["HBQ"], "sectors": ["26", "39"]},
    ],
    ids=["default", "chain", "2023-hitech", "2022-area-sectors"],
)
def test_pandas_baseline_equals_the_named_queries(extra):
    """Test that the pandas 总览 baseline returns the same frames as the DuckDB queries on the shipped data."""
    db = Database(SAMPLE_DIR)
    params = {**bench.default_params(db), **extra}
    mine, theirs = baseline.overview(baseline.load(SAMPLE_DIR), params), baseline.overview_duckdb(db, params)
    assert set(mine) == set(baseline.QUERIES)
    for name, want in theirs.items():
        assert len(want) > 0, name
        pd.testing.assert_frame_equal(
            mine[name][list(want.columns)].reset_index(drop=True),
            want.reset_index(drop=True),
            check_dtype=False,
            rtol=1e-9,
        )


def test_stats_median_and_spread():
    """Test that stats gives the median, extremes and interquartile range in milliseconds."""
    s = bench.stats([0.001, 0.002, 0.003, 0.004, 0.010])
    assert (s["median_ms"], s["min_ms"], s["max_ms"], s["n"]) == (3.0, 1.0, 10.0, 5)
    assert s["iqr_ms"] == pytest.approx(7.0 - 1.5)  # quartiles 1.5 and 7.0 (exclusive method)


def test_benchmark_smoke_run(tmp_path, monkeypatch):
    """Test that a tiny benchmark run measures every query, a page rerun and the baseline, and reports them."""
    from cockpit.app import ui

    data = tmp_path / "scale"
    scale.generate(300, data, log=lambda *_: None)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(data))
    result = bench.run(
        {"tiny": data}, repeat=2, skip={"browser", "concurrency"}, clients=0, seconds=0, pages=["overview"]
    )
    ui.clear_caches()
    r = result["scales"]["tiny"]
    assert r["rows"]["enterprises"] == 300
    assert set(r["queries"]) == set(query_names()) == set(r["queries_views"])
    assert all(q["n"] == 2 and q["median_ms"] > 0 for q in r["queries"].values())
    assert r["pages"]["overview"]["uncached"]["n"] == 2
    assert r["pages"]["_settle_s"] >= 0  # timed after the process settled (tables loaded, 预警 evaluated)
    assert r["baseline_overview"]["ratio"] > 0
    text = report.markdown(result)
    assert "| overview |" in text and "pandas" in text and "| industry_kpis |" in text
    assert "| _settle_s |" not in text and "Timed after the process had settled" in text


def test_websocket_sessions_change_filters_without_errors():
    """Test that three websocket sessions changing 产业链 for a few seconds all get finished reruns."""
    result = bench.bench_load_test(SAMPLE_DIR, clients=3, seconds=4)
    assert result["errors"] == 0, result["error_samples"]
    assert result["reruns"] >= 3
    assert result["p50_ms"] <= result["p90_ms"] <= result["max_ms"]


def test_meeting_load_smoke_run_through_nginx():
    """Test that a short meeting (3 viewers, 1–2 s think time) through nginx and one replica records filter and
    page actions without errors, with ordered percentiles, CPU per run and a report."""
    from bench import load

    r = load.run_config(replicas=1, viewers=3, seconds=12, think=(1, 2))
    a = r["actions"]
    assert a["errors"] == 0, a["error_samples"]
    assert r["filter"]["n"] >= 1 and r["page"]["n"] >= 1 and r["open"]["n"] == 3
    assert a["n"] == r["filter"]["n"] + r["page"]["n"]
    assert a["p50_ms"] <= a["p95_ms"] <= a["p99_ms"] <= a["max_ms"]
    assert r["cpu_ms_per_run"] > 0 and r["replicas_alive_at_end"] == ["r1"]
    text = report.load_markdown(
        {
            "machine": bench.machine(),
            "started": "now",
            "budget_p95_ms": 1000,
            "think_s": [1, 2],
            "meeting": [r],
            "search": [],
        }
    )
    assert "| 1 | 3 | 12 |" in text


def test_percentile_is_nearest_rank():
    """Test that percentile picks the nearest-rank value (p95 of 1..20 is 19, p50 of 1..10 is 5)."""
    from bench.load import percentile

    assert percentile(list(range(1, 21)), 0.95) == 19
    assert percentile(list(range(10, 0, -1)), 0.5) == 5
    assert percentile([], 0.95) is None
