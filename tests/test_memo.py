"""The in-process memo behind query results, derived tables and chart specs (cockpit/domain/memo.py)."""

import numpy as np
import pandas as pd
import pytest

from cockpit.domain import memo
from cockpit.report import charts


@pytest.fixture(autouse=True)
def _fresh():
    memo.clear()
    yield
    memo.clear()


def frame():
    return pd.DataFrame(
        {
            "name": ["甲", "乙", None],
            "value": [1.5, np.nan, 3.0],
            "day": pd.to_datetime(["2024-01-31", None, "2024-03-31"]),
            "mixed": [1, "a", None],
            "flag": [True, False, True],
        }
    )


def test_fingerprint_is_by_content():
    """Test that equal content hashes equal, and each kind of column change changes the hash."""
    a = frame()
    assert memo.fingerprint(a) == memo.fingerprint(frame()) == memo.fingerprint(a.copy())
    changed = [
        a.assign(name=["甲", "丙", None]),
        a.assign(value=[1.5, 2.0, 3.0]),
        a.assign(day=pd.to_datetime(["2024-01-31", None, "2024-04-30"])),
        a.assign(mixed=[1, "b", None]),
        a.assign(flag=[True, True, True]),
        a.rename(columns={"value": "v"}),
        a.iloc[::-1],
        a.iloc[:2],
        a.astype({"value": "float32"}),
    ]
    hashes = {memo.fingerprint(c) for c in changed}
    assert memo.fingerprint(a) not in hashes and len(hashes) == len(changed)
    assert memo.fingerprint(a.iloc[0:2]) != memo.fingerprint(a.iloc[1:3])  # slices of one buffer


def test_call_computes_once_per_content_and_returns_copies():
    """Test that a second call with equal arguments is served from the memo, and mutating what was
    returned does not change what the next caller gets."""
    calls = []

    def total(df, scale=1):
        calls.append(1)
        return pd.DataFrame({"total": [df["value"].sum() * scale]})

    first = memo.call(total, frame(), scale=2)
    first.loc[0, "total"] = -1
    again = memo.call(total, frame(), scale=2)
    assert len(calls) == 1 and again.loc[0, "total"] == pytest.approx(9.0)
    memo.call(total, frame(), scale=3)
    memo.call(total, frame().assign(value=[1.0, 1.0, 1.0]), scale=2)
    assert len(calls) == 3


def test_lru_bound(monkeypatch):
    """Test that the memo keeps at most MAX_ENTRIES results, dropping the least recently used."""
    monkeypatch.setattr(memo, "MAX_ENTRIES", 3)
    calls = []

    def f(x):
        calls.append(x)
        return x

    for x in (1, 2, 3, 1, 4):  # 1 is used again before 4 arrives, so 2 is dropped
        memo.call(f, x)
    memo.call(f, 1)
    memo.call(f, 2)
    assert calls == [1, 2, 3, 4, 2]


def test_chart_spec_is_reused_and_carries_arrow_datasets():
    """Test that a chart spec is built once per data and options, carries its data as Arrow datasets (the
    builder's frames replaced by their names), and callers cannot damage the cached copy."""
    df = pd.DataFrame({"chain": ["新材料", "新装备"], "output_wan": [10000.0, 20000.0], "label": ["+1.0%", "+2.0%"]})
    opts = dict(category="chain", value="output_wan", scale=1e4, title="t", unit="亿元", label="label")
    spec = charts.spec(charts.ranked_bars, df, **opts)
    assert spec["datasets"] and all(isinstance(v, bytes) for v in spec["datasets"].values())
    del spec["datasets"]
    again = charts.spec(charts.ranked_bars, df, **opts)
    assert "datasets" in again
    plain = charts.ranked_bars(df, **opts)
    assert [layer["mark"] for layer in again["layer"]] == [layer["mark"] for layer in plain["layer"]]
    assert isinstance(plain["data"], pd.DataFrame) and again["data"] == {"name": next(iter(again["datasets"]))}
    assert again["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert again["config"]["font"] == charts.FONT
    other = charts.spec(charts.ranked_bars, df.assign(output_wan=[1.0, 2.0]), **opts)
    assert other["datasets"] != again["datasets"]  # other data…
    # …under the same name, so the spec the browser compares is the same text: it swaps the data in the view
    assert {k: v for k, v in other.items() if k != "datasets"} == {k: v for k, v in again.items() if k != "datasets"}


def test_chart_validation_runs_in_tests_only(monkeypatch):
    """Test that an invalid spec is rejected when COCKPIT_VALIDATE_CHARTS=1 (as in the tests) and passes
    unvalidated otherwise (production: the builders were validated here)."""
    import jsonschema

    def bad(df, **_):
        return charts.view(charts.mark("bar"), {"x": charts.field("v:Q", axis={"labelAngle": "slanted"})}, data=df)

    df = pd.DataFrame({"v": [2.0]})
    monkeypatch.setenv("COCKPIT_VALIDATE_CHARTS", "1")
    with pytest.raises(jsonschema.ValidationError, match="slanted"):
        charts.spec(bad, df)
    monkeypatch.setenv("COCKPIT_VALIDATE_CHARTS", "0")
    assert charts.spec(bad, df)["encoding"]["x"]["axis"]["labelAngle"] == "slanted"


def test_one_computation_per_key_at_a_time():
    """A caller that finds its key being computed (another session, the prefetch) waits for that result."""
    import threading
    import time

    calls = []
    started = threading.Event()

    def slow(x):
        calls.append(x)
        started.set()
        time.sleep(0.3)
        return pd.DataFrame({"x": [x]})

    out = {}
    first = threading.Thread(target=lambda: out.setdefault("first", memo.call(slow, 7)))
    first.start()
    started.wait(5)
    assert memo.cached(slow, 7)  # being computed counts: a prefetch does not start it again
    second = memo.call(slow, 7)  # arrives while the first runs: waits, does not compute
    first.join(5)
    assert calls == [7]
    assert second.equals(out["first"]) and second is not out["first"]


def test_a_failed_computation_is_retried_by_the_waiter():
    import threading
    import time

    calls = []
    started = threading.Event()

    def flaky(x):
        calls.append(x)
        if len(calls) == 1:
            started.set()
            time.sleep(0.2)
            raise RuntimeError("first try fails")
        return x * 2

    errors = []

    def first():
        try:
            memo.call(flaky, 3)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=first)
    t.start()
    started.wait(5)
    assert memo.call(flaky, 3) == 6  # the waiter computes it itself once the first failed
    t.join(5)
    assert len(errors) == 1 and calls == [3, 3]
    assert not memo.cached(flaky, 4)


def test_map_specs_built_at_once_on_several_threads_are_whole():
    """Sessions building the 亩均 map at once (a meeting's load) each get a whole spec with its inline GeoJSON:
    under Altair the inline values went through a shared registry and a build could find its entry taken."""
    import threading

    square = '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}'
    parcels = pd.DataFrame({"parcel_id": ["P1", "P2"], "category": ["在用", "闲置"], "geometry": [square, square]})
    barrier = threading.Barrier(4)
    out, errors = {}, []

    def build(k):
        try:
            barrier.wait(5)
            out[k] = charts._vega_lite(
                charts.parcel_map,
                parcels,
                category="category",
                colors={"在用": "#111", "闲置": "#222"},
                title=f"#{k}",
                tooltip={"parcel_id": "地块"},
                highlight="P2" if k % 2 else None,
            )
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    for k in range(4):
        shapes = out[k]["layer"][0]
        shown = [g["properties"]["id"] for g in shapes["data"]["values"]["objects"]["shapes"]["geometries"]]
        assert shown == ["P1", "P2"] and out[k]["title"] == f"#{k}"
        assert ("condition" in shapes["encoding"]["stroke"]) == bool(k % 2)
