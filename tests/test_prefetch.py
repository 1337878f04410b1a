"""The page prefetch (cockpit/app/prefetch.py): a page's last trace is replayed with the new filter values."""

from cockpit.app import prefetch
from cockpit.data.dimensions import Scope


def _page_run(page, filters, asks, start=lambda name, key: True):
    started = []
    prefetch.begin(page, filters, lambda name, key: started.append((name, key)) or start(name, key))
    for name, key in asks:
        prefetch.record(name, key)
    prefetch.end()
    return started


def _a_script_run(tmp_path, monkeypatch):
    """A copy of the sample as the data directory, and a stand-in for Streamlit's script-run context (a new
    `cursors` dict = the next run): (directory, context)."""
    import shutil
    import types

    from cockpit.app import ui
    from cockpit.data.db import SAMPLE_DIR

    directory = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, directory)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(directory))
    ctx = types.SimpleNamespace(cursors={})
    monkeypatch.setattr(ui, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    return directory, ctx


def test_trace_is_replayed_with_the_new_filters():
    old = {"year": 2024, "month": 9, "scope": Scope.of(chains=["新材料"])}
    new = {"year": 2024, "month": 6, "scope": Scope.of(chains=["新装备"], areas=["HB"])}
    narrowed = Scope.of(areas=["HB"])  # a scope the page derived (not the filter bar's): replayed as it was
    asks = [
        ("industry_kpis", (("month", 9), ("scope", old["scope"]), ("year", 2024))),
        ("industry_kpis", (("month", 9), ("scope", old["scope"]), ("year", 2023))),  # last year: not the filters'
        ("land_kpis", (("scope", narrowed), ("year", 2024))),
        ("industry_by_sector", (("by", "chain"), ("month", 9), ("scope", old["scope"]), ("year", 2024))),
        ("industry_kpis", (("month", 9), ("scope", old["scope"]), ("year", 2024))),  # asked twice: started once
    ]
    assert _page_run("t-industry", old, asks) == []  # a first run has no trace to replay
    started = _page_run("t-industry", new, [])
    assert started == [
        ("industry_kpis", (("month", 6), ("scope", new["scope"]), ("year", 2024))),
        ("industry_kpis", (("month", 6), ("scope", new["scope"]), ("year", 2023))),
        ("land_kpis", (("scope", narrowed), ("year", 2024))),
        ("industry_by_sector", (("by", "chain"), ("month", 6), ("scope", new["scope"]), ("year", 2024))),
    ]


def test_a_run_that_stops_early_keeps_the_last_whole_trace():
    f = {"year": 2024, "month": 9, "scope": Scope.of()}
    _page_run("t-safety", f, [("hazard_totals", (("month", 9), ("scope", f["scope"]), ("year", 2024)))])
    prefetch.begin("t-safety", f, lambda name, key: True)
    prefetch.record("hazard_list", (("scope", f["scope"]),))
    prefetch.stop()  # e.g. the scope holds no enterprise: the page did not run
    prefetch.end()
    assert [name for name, _ in _page_run("t-safety", f, [])] == ["hazard_totals"]


def test_nothing_is_recorded_outside_a_page_run():
    prefetch.stop()
    prefetch.record("areas", ())  # the entry script's own queries, before the page starts: not part of a trace
    assert _page_run("t-none", {"year": 2024, "month": 9, "scope": Scope.of()}, []) == []


def test_one_data_version_per_script_run(tmp_path, monkeypatch):
    """ui.data_version(): fingerprinted once per run (every query of a rerun reads one version); a file changed
    during the run shows from the next run on (a new ScriptRunContext.reset() → a new `cursors` dict)."""
    import os

    from cockpit.app import ui

    directory, ctx = _a_script_run(tmp_path, monkeypatch)
    before = ui.data_version()
    target = directory / "areas.parquet"
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))  # "an import"
    assert ui.data_version() == before  # the same run: the same version
    assert ui.database().data_version() != before  # (the files did change)
    ctx.cursors = {}  # the next run
    assert ui.data_version() != before
    monkeypatch.setattr(ui, "get_script_run_ctx", lambda suppress_warning=False: None)
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
    assert ui.data_version() == ui.database().data_version()  # outside a run: checked on every call


def test_a_memoised_computation_records_its_queries_on_a_hit_too(tmp_path, monkeypatch):
    """ui.derived: a computation over named queries runs once per (arguments, data version); a later page run that
    finds it cached records the queries it asked for all the same, so the page's trace (what the prefetch starts on
    the next filter change) does not lose them; a new data version computes again."""
    import os

    from cockpit.app import ui

    directory, ctx = _a_script_run(tmp_path, monkeypatch)
    calls = []

    def count_areas(run, year):
        calls.append(year)
        return [len(run("areas")), year]

    f = {"year": 2024, "month": 9, "scope": Scope.of()}
    traces = []
    for _ in range(2):
        ctx.cursors = {}  # a new run
        prefetch.begin("t-derived", f, lambda name, key: False)
        with prefetch.capture() as asked:
            assert ui.derived(count_areas, ui.q, 2024) == [5, 2024]
        prefetch.end()
        traces.append(asked)
    assert calls == [2024]  # the second run was a hit
    assert traces[0] == traces[1] == [("areas", ())]  # …and recorded the query as the first did
    target = directory / "areas.parquet"
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))  # "an import"
    ctx.cursors = {}
    ui.derived(count_areas, ui.q, 2024)
    assert calls == [2024, 2024]


def test_captures_nest():
    """prefetch.capture: the innermost open capture of the thread gets the queries asked inside it, and nothing
    reaches an outer capture or the trace unless recorded again (as ui.derived does)."""
    f = {"year": 2024, "month": 9, "scope": Scope.of()}
    prefetch.begin("t-nest", f, lambda name, key: False)
    with prefetch.capture() as outer:
        prefetch.record("a", ())
        with prefetch.capture() as inner:
            prefetch.record("b", (("year", 2024),))
        prefetch.record("c", ())
    prefetch.record("d", ())
    prefetch.end()
    assert outer == [("a", ()), ("c", ())]
    assert inner == [("b", (("year", 2024),))]
    assert [name for name, _ in _page_run("t-nest", f, [])] == ["d"]


def test_a_query_that_reads_only_the_area_is_kept_across_a_chain_change(tmp_path, monkeypatch):
    """ui.q keys a query by the dimensions its SQL applies (dimensions.followed): a 片区-only query (safety_training,
    parcel_map_areas, land_*) runs once for two scopes that differ only in 产业链, with the rows it gives for either
    scope; a query that follows every dimension runs again. The prefetch starts the narrowed key, so it finds the
    entry the page then asks for."""
    import types

    from cockpit.app import ui
    from cockpit.data.db import Database, load_query
    from cockpit.data.dimensions import ALL, AREA
    from cockpit.domain import memo

    directory, ctx = _a_script_run(tmp_path, monkeypatch)
    ran = []
    run = ui._run

    def counted(name, params, directory, version):
        ran.append(name)
        return run(name, params, directory, version)

    monkeypatch.setattr(ui, "_run", counted)
    memo.clear()
    assert load_query("safety_training").follows == AREA and load_query("hazard_totals").follows == ALL
    db = Database(directory)
    base = {"year": 2024, "month": 9}
    areas = sorted(db.run("areas")["area_code"])[:1]
    for chains in ((), ("新材料",), ("新装备",)):
        scope = Scope.of(chains=chains, areas=areas)
        got = ui.q("safety_training", {**base, "scope": scope})
        assert got.equals(db.run("safety_training", {**base, "scope": scope}))  # the same rows as the full scope's
        ui.q("hazard_totals", {**base, "scope": scope})
    assert ran.count("safety_training") == 1 and ran.count("hazard_totals") == 3

    started = []
    prefetch.begin("t-narrow", {**base, "scope": Scope.of(chains=["新材料"], areas=areas)}, lambda n, k: False)
    ui.q("safety_training", {**base, "scope": Scope.of(chains=["新材料"], areas=areas)})
    prefetch.end()
    monkeypatch.setattr(prefetch, "submit", lambda job: started.append(job))
    ctx.cursors = {}
    prefetch_scope = Scope.of(chains=["健康医药"], areas=areas)
    monkeypatch.setattr(
        "cockpit.app.filters.current",
        lambda: types.SimpleNamespace(params=lambda: {**base, "scope": prefetch_scope}),
    )
    ui.prefetch_page("t-narrow")
    prefetch.end()
    assert started == []  # the narrowed key is cached: nothing to start for another 产业链


def test_every_area_only_query_gives_the_same_rows_for_the_narrowed_scope(real_db):
    """What makes the narrowed cache key safe: each query that follows only the 片区 gives, for a scope with a 产业链,
    行业 and 高新 choice too, exactly the rows it gives for that scope reduced to its 片区."""
    from cockpit.data.db import load_query, query_names
    from cockpit.data.dimensions import AREA

    area_only = [n for n in query_names() if load_query(n).follows == AREA]
    assert {"safety_training", "parcel_map_areas", "land_kpis"} <= set(area_only)
    areas = sorted(real_db.run("areas")["area_code"])[:2]
    sectors = sorted(real_db.run("sectors")["sector_code"])[:3]
    full = Scope.of(chains=["新材料"], sectors=sectors, areas=areas, high_tech_only=True)
    base = {"year": 2024, "month": 9, "eval_year": 2023, "floor_wan_per_mu": 5.0}
    for name in area_only:
        spec = load_query(name)
        key = tuple(sorted({**base, "scope": full}.items()))
        narrowed = dict(spec.narrowed(key))["scope"]
        assert narrowed == Scope.of(areas=areas)
        wide = real_db.run(name, {**base, "scope": full})
        assert wide.equals(real_db.run(name, {**base, "scope": narrowed})), name
        assert len(wide) or name == "land_vacant", name  # (rows to compare)
