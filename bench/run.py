"""The benchmark: named queries, page reruns (wall and CPU), server CPU per rerun, browser clicks, cold start,
memory, pandas baseline, load. (The meeting load with replicas is bench/load.py, `make bench-load`.)

    python -m bench.run                       # county (shipped sample) and provincial (var/scale) data
    python -m bench.run --scales county --repeat 3 --skip browser,load

Writes bench/results/latest.json and bench/results/latest.md (or --out) (median, spread, ratios). Timings are wall
clock on a shared machine: read medians and ratios, not single runs; CPU milliseconds per rerun are the capacity
figure and vary much less with other jobs. The provincial data is made by
`python -m cockpit.gen.scale` when its directory is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import baseline  # noqa: E402
from cockpit.data.db import SAMPLE_DIR, Database, query_names  # noqa: E402
from cockpit.data.dimensions import EVERYTHING  # noqa: E402
from cockpit.domain import navigation  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PAGES = {p.key: p.script for p in navigation.viewer_pages() if p.key != "enterprise"}  # url_path → script
CHAINS = ["新材料", "新装备", "健康医药", "新能源及电子信息"]


def stats(samples: list[float]) -> dict:
    """Median and spread (min, max, interquartile range) in milliseconds."""
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=4) if len(ms) >= 2 else [ms[0]] * 3
    return {
        "median_ms": round(statistics.median(ms), 1),
        "min_ms": round(ms[0], 1),
        "max_ms": round(ms[-1], 1),
        "iqr_ms": round(q[2] - q[0], 1),
        "n": len(ms),
    }


def timed(fn, repeat: int, warm: int = 1) -> dict:
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return stats(samples)


def default_params(db: Database) -> dict:
    """The filter bar's defaults (latest year, its last month, no filters) and a value for each extra."""
    periods = db.run("data_periods")
    year = int(periods["year"].max())
    month = int(periods.loc[periods["year"] == year, "last_month"].iloc[0])
    project = db.run("project_list", {"year": year, "month": month, "scope": EVERYTHING})
    return {
        "year": year,
        "month": month,
        "scope": EVERYTHING,
        "by": "chain",
        "category": "",
        "ent_id": "",
        "parcel_id": "",
        "eval_year": year - 1,
        "floor_wan_per_mu": 5.0,
        "project_id": str(project["project_id"].iloc[0]) if len(project) else "",
        # list queries: first page, no search, every state; rankings as the pages open them
        "limit": 200,
        "search": "",
        "status": "",
        "n": 10,
        "measure": "output",
        "kind": "decline",
        "yellow_months": 1,
        "red_months": 3,
        # warning rules (config/alerts.toml's defaults)
        "months": 3,
        "drop_pct": 10.0,
        "min_base": 50.0,
        "below_pct": 75.0,
        "min_plan_wan": 200.0,
    }


# --------------------------------------------------------------------------------------------------


def bench_load(directory: Path) -> dict:
    """Opening the database: views only; tables loaded into this process's memory (no snapshot); the data version's
    snapshot built (what the first process after an import does); the snapshot opened (every other process and
    restart)."""
    import gc
    import shutil
    from unittest.mock import patch

    from cockpit.data import db as dbmod

    def opened(in_memory: bool) -> float:
        t0 = time.perf_counter()
        db = Database(directory, in_memory=in_memory)
        db.wait_loaded()
        ms = round((time.perf_counter() - t0) * 1000, 1)
        del db
        gc.collect()  # closes the connection, so the next open opens the file again
        return ms

    out = {"views": opened(False)}
    with patch.dict(os.environ, {dbmod.SNAPSHOT_ENV: "0"}):
        out["in_memory"] = opened(True)
    shutil.rmtree(directory / dbmod.SNAPSHOT_DIR, ignore_errors=True)
    out["snapshot_build"] = opened(True)
    out["snapshot_open"] = opened(True)
    return out


def bench_queries(directory: Path, repeat: int, in_memory: bool | None = None) -> dict:
    db = Database(directory, in_memory=in_memory)
    db.wait_loaded()
    params = default_params(db)
    out = {}
    for name in query_names():
        rows = len(db.run(name, params))
        out[name] = {**timed(lambda name=name: db.run(name, params), repeat, warm=0), "rows": rows}
    return out


def bench_baseline(directory: Path, repeat: int) -> dict:
    """The 总览's computation: pandas on frames already in memory vs the same named queries in DuckDB."""
    db = Database(directory)
    db.wait_loaded()
    params = default_params(db)
    t0 = time.perf_counter()
    frames = baseline.load(directory)
    load_ms = (time.perf_counter() - t0) * 1000
    pandas = timed(lambda: baseline.overview(frames, params), repeat)
    duck = timed(lambda: baseline.overview_duckdb(db, params), repeat)
    filtered = {**params, "chains": [CHAINS[0]]}
    pandas_f = timed(lambda: baseline.overview(frames, filtered), repeat)
    duck_f = timed(lambda: baseline.overview_duckdb(db, filtered), repeat)
    return {
        "pandas_load_ms": round(load_ms, 1),
        "pandas": pandas,
        "duckdb": duck,
        "ratio": round(pandas["median_ms"] / duck["median_ms"], 1),
        "pandas_filtered": pandas_f,
        "duckdb_filtered": duck_f,
        "ratio_filtered": round(pandas_f["median_ms"] / duck_f["median_ms"], 1),
    }


def bench_pages(directory: Path, repeat: int, pages: list[str]) -> dict:
    """Each page's full AppTest rerun after a 产业链 change: with every cache empty (as after a data import), to a
    scope not seen before (the other results cached: what a leader's new filter choice costs), and cached."""
    os.environ["COCKPIT_DATA_DIR"] = str(directory)
    combos = fresh_scopes(directory)
    out = {"_settle_s": round(_settle_process(), 1)}
    for url in pages:
        try:
            out[url] = _bench_page(url, repeat, combos)
        except Exception as exc:  # noqa: BLE001 - one slow page must not hide the others
            out[url] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def _settle_process() -> float:
    """Bring this process to the state of a server that was up before the meeting, and return the seconds it
    took: the in-memory tables loaded (above SYNC_LOAD_MB they load in a background thread, ~40 s at a province,
    after the first query) and the day's 预警 evaluation recorded (a background thread too). Before 2026-12-02
    the first pages' reruns at a province were timed while both still ran."""
    from streamlit.testing.v1 import AppTest

    from cockpit.app import ui

    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    ui.database().wait_loaded()
    at.switch_page(PAGES["alerts"]).run()  # the 预警 page waits for the evaluation
    if at.exception:
        raise RuntimeError(f"alerts: {at.exception}")
    return time.perf_counter() - t0


def fresh_scopes(directory: Path) -> list[tuple[str, str]]:
    """(产业链, 片区 code) pairs that hold at least 3 enterprises, most first: each timed "new scope" rerun sets the
    片区 first (untimed), then the 产业链, so the timed scope has not been seen before."""
    db = Database(directory, in_memory=False)
    rows = db.con.execute(
        "select s.chain, e.area_code, count(*) as n from enterprises as e join sectors as s using (sector_code) "
        "where s.chain is not null and e.area_code is not null group by all having count(*) >= 3 order by n desc"
    ).fetchall()
    return [(chain, area) for chain, area, _ in rows]


def _bench_page(url: str, repeat: int, combos: list[tuple[str, str]]) -> dict:
    from streamlit.testing.v1 import AppTest

    from cockpit.app import ui

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if url != "overview":
        at.switch_page(PAGES[url]).run()
    buckets = {k: ([], []) for k in ("uncached", "fresh", "cached")}  # (wall seconds, process CPU seconds)
    fresh = iter(combos * 2)  # a combination comes back only after all were seen (then it is cached: noted)

    def timed(bucket: str, chains: list[str]) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        at.multiselect(key="chain").set_value(chains).run()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        if at.exception:
            raise RuntimeError(f"{url}: {at.exception}")
        if i:  # the first round warms imports and the connection
            buckets[bucket][0].append(elapsed)
            buckets[bucket][1].append(cpu)
        at.multiselect(key="chain").set_value([]).run()

    for i in range(repeat + 1):
        ui.clear_caches()
        timed("uncached", [CHAINS[i % len(CHAINS)]])
        chain, area = next(fresh)
        at.multiselect(key="area").set_value([area]).run()
        timed("fresh", [chain])
        at.multiselect(key="area").set_value([]).run()
        chains = [CHAINS[(i + 1) % len(CHAINS)]]  # cached: the same value again after a round trip
        at.multiselect(key="chain").set_value(chains).run()
        at.multiselect(key="chain").set_value([]).run()
        timed("cached", chains)
    # CPU: every thread of this process (the script's, DuckDB's workers) — what a rerun costs the server
    # whatever else runs on the machine, so the capacity figure (wall time is inflated by other jobs)
    out = {}
    for name, (wall, cpu) in buckets.items():
        out[name] = stats(wall)
        out[f"{name}_cpu"] = stats(cpu)
    out["fresh_scopes"] = len(combos)
    return out


# --------------------------------------------------------------------------------------------------
# a real server: cold start, browser clicks, peak memory, concurrent sessions


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, all its threads (/proc/<pid>/stat; 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`streamlit run app.py` on a free loopback port with the given data directory (no warm-up)."""

    def __init__(self, directory: Path, port: int | None = None, cpus: set[int] | None = None):
        from browser import free_port

        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable,
            "-m",
            "cockpit.app.serve",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ]
        self.started = time.perf_counter()
        # the server's log (an app error's traceback): $BENCH_SERVER_LOG, else discarded
        log = os.environ.get("BENCH_SERVER_LOG")
        self.log = open(log, "ab") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, "COCKPIT_DATA_DIR": str(directory)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # only these cores for the server and every thread it starts (the bench's pinned clicks)
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("server did not start")

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server process (VmHWM)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


SETTLE_JS = """
() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__seen = false; window.__done = null; window.__click = null;
  // the click that changes the filter: on an option of the list, or on 'Clear all' (opening the list before it
  // is another action of the user, and the automation's own steps take 100-250 ms here)
  if (!window.__clickListener) {
    window.__clickListener = e => {
      if (e.target.closest('[role=option], [role=button][aria-label="Clear all"], [title="Clear all"]')) {
        window.__click = performance.now();
      }
    };
    document.addEventListener('pointerdown', window.__clickListener, true);
  }
  new MutationObserver(() => {
    const s = app.getAttribute('data-test-script-state');
    if (s === 'running') window.__seen = true;
    else if (window.__seen && s === 'notRunning' && window.__done === null) window.__done = performance.now();
  }).observe(app, {attributes: true});
  return performance.now();
}
"""
SETTLED_JS = (
    "() => window.__done !== null && document.querySelectorAll('[data-testid=stSkeleton]').length === 0"
    " && [...document.querySelectorAll('.vega-embed')].filter(e => e.offsetParent !== null)"
    ".every(e => e.querySelector('svg, canvas'))"
)  # charts in hidden tabs are drawn when shown


def _settle(page) -> float:
    """Wait until the rerun that a click started has finished and every chart is drawn; return the time."""
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    return page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
    )


def _descendants(root: int) -> list[int]:
    """`root` and every process below it (from /proc's parent ids)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, ppid = int(stat.parent.name), int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pin(root: int, cpus: set[int], exclude: int | None = None) -> None:
    """Every thread of `root` and of the processes below it (not `exclude`'s tree) runs only on `cpus`;
    processes and threads they start later inherit it."""
    skip = set(_descendants(exclude)) if exclude else set()
    for pid in _descendants(root):
        if pid in skip:
            continue
        for task in Path(f"/proc/{pid}/task").glob("[0-9]*"):
            try:
                os.sched_setaffinity(int(task.name), cpus)
            except OSError:  # a thread that ended meanwhile
                pass


def _before_the_meeting(server: Server) -> None:
    """Bring a started server to the state of one that was up before the meeting: the default page and the 预警
    page run once over a websocket (the 预警 page waits for the day's evaluation, ~30 s of background CPU at a
    province the first time on a day: a click timed while it runs is timed against it)."""
    from bench import wsclient

    with wsclient.Session(server.base, timeout=600) as session:
        for url in ("", "alerts"):
            _, error = session.rerun(page=url)
            if error:
                raise RuntimeError(f"{url or 'overview'}: {error}")


def _clicks(page, server: Server, url: str, repeat: int) -> tuple[dict, dict]:
    """click → charts settled for `repeat` 产业链 choices and clears on one page (the first round not counted):
    the stats from the click, and from the automation opening the list."""
    from browser import toggle_chain, wait_for_app

    page.goto(f"{server.base}/{url}" if url != "overview" else server.base + "/", timeout=120_000)
    wait_for_app(page, timeout=120_000)
    samples, from_opening, timeouts = [], [], []
    for i in range(repeat + 1):
        for select in (True, False):
            what = f"{CHAINS[i % len(CHAINS)]} {'select' if select else 'clear'}"
            t0 = page.evaluate(SETTLE_JS)
            try:
                toggle_chain(page, CHAINS[i % len(CHAINS)], select)
            except Exception:  # noqa: BLE001 - the automation's miss, reported; the run goes on
                timeouts.append(f"{what}: the automation could not click")
                page.keyboard.press("Escape")
                wait_for_app(page, timeout=120_000)
                continue
            try:
                t1 = _settle(page)
            except Exception:  # noqa: BLE001 - counted and reported, the run goes on
                started = page.evaluate("() => window.__seen")
                timeouts.append(
                    f"{what}: " + ("the rerun did not finish in 30 s" if started else "no rerun started (click lost)")
                )
                wait_for_app(page, timeout=120_000)
                continue
            clicked = page.evaluate("() => window.__click")
            if i:
                samples.append((t1 - (clicked if clicked is not None else t0)) / 1000)
                from_opening.append((t1 - t0) / 1000)
    assert page.locator("[data-testid=stException]").count() == 0, url
    return {**stats(samples), "timeouts": timeouts}, stats(from_opening)


def bench_browser(directory: Path, repeat: int, pages: tuple[str, ...] = ("overview", "industry")) -> dict:
    """Cold start to the first rendered page, click → charts settled per page, server peak memory; the clicks
    again with the server and the browser each on a core of its own."""
    from browser import CHROMIUM, CHROMIUM_ARGS, wait_for_app
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        # the browser is up before the server starts: a leader's browser runs on another machine, so its
        # start-up must not compete with the server's for these 2 cores (it did before 2026-11-29 07:20)
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.goto("about:blank")

        def first_page(server: Server) -> float:
            """ms from the server's process start to the first page rendered (its cards shown)."""
            server.wait_healthy()
            page.goto(server.base + "/", timeout=120_000)
            wait_for_app(page, timeout=120_000)
            page.wait_for_selector("[data-testid=stMetric]", timeout=120_000)
            return round((time.perf_counter() - server.started) * 1000, 1)

        server = Server(directory)
        try:
            out["cold_start_ms"] = first_page(server)  # a browser that never opened the cockpit
            page.goto("about:blank")
        finally:
            server.stop()
        # the server restarted; the browser has Streamlit's static files (immutable, cached for a year) from
        # its earlier visit to the same address, as a leader's browser has: the cold start of the server itself
        server = Server(directory, port=server.port)
        try:
            out["cold_start_cached_browser_ms"] = first_page(server)
            _before_the_meeting(server)
            for url in pages:
                out[f"click_{url}"], out[f"from_opening_{url}"] = _clicks(page, server, url, repeat)
            out["server_peak_rss_mb"] = server.peak_rss_mb()
        finally:
            server.stop()
        # the same clicks on a fresh server (nothing cached) pinned to core 0, this process and the browser to
        # core 1: the browser's drawing (0.5-1 s of renderer CPU per 工业 click at a province, over several
        # threads) no longer takes the server's core, but the browser has one core only; the two figures
        # bracket a browser on a leader's own machine
        everything = os.sched_getaffinity(0)
        if len(everything) >= 2:
            server_cpu, browser_cpu = sorted(everything)[:2]
            server = Server(directory, port=server.port, cpus={server_cpu})
            try:
                server.wait_healthy()
                _before_the_meeting(server)
                _pin(os.getpid(), {browser_cpu}, exclude=server.proc.pid)
                for url in pages:
                    out[f"pinned_click_{url}"], _ = _clicks(page, server, url, repeat)
            finally:
                _pin(os.getpid(), everything)
                server.stop()
        context.close()
        chromium.close()
    return out


def bench_load_test(directory: Path, clients: int, seconds: float) -> dict:
    """`clients` websocket sessions change the 产业链 filter in a loop for `seconds`; latency per rerun."""
    from bench import wsclient

    server = Server(directory)
    try:
        server.wait_healthy()
        wsclient.run_once(server.base)  # the first session of a new server registers the pages
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.time() + seconds

        def worker(k: int) -> None:
            try:
                for lat, err in wsclient.filter_loop(server.base, CHAINS, stop_at, offset=k):
                    with lock:
                        latencies.append(lat)
                        if err:
                            errors.append(err)
            except Exception as exc:  # a dropped connection counts as an error
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
        ms = sorted(x * 1000 for x in latencies)
        pct = (lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 1)) if ms else (lambda q: None)
        return {
            "clients": clients,
            "seconds": seconds,
            "reruns": len(ms),
            "errors": len(errors),
            "error_samples": errors[:5],
            "p50_ms": pct(0.5),
            "p90_ms": pct(0.9),
            "p99_ms": pct(0.99),
            "max_ms": round(ms[-1], 1) if ms else None,
            "server_peak_rss_mb": server.peak_rss_mb(),
        }
    finally:
        server.stop()


def bench_server_cpu(directory: Path, repeat: int, pages: list[str]) -> dict:
    """Server CPU per rerun of each page, measured on a real server driven over its websocket (one session, so
    the server process does nothing else): each page opened, then four 产业链 changes whose results are not yet
    cached for that page (first visit) and the same four again `repeat` times (cached). CPU of the server process
    (all its threads), so independent of the wall-clock noise of a shared machine."""
    from bench import wsclient

    server = Server(directory)
    out: dict = {}
    try:
        server.wait_healthy()
        wsclient.run_once(server.base)  # the first session of a new server registers the pages
        pid = server.proc.pid
        settle_s, idle_ms_per_s = _server_settled(pid)
        with wsclient.Session(server.base) as s:
            s.rerun()
            for url in pages:
                c0 = cpu_seconds(pid)
                _, err = s.rerun([], page="" if url == "overview" else url)  # "" = the default page
                open_ms = (cpu_seconds(pid) - c0) * 1000
                batches, errors = [], [err] if err else []
                for _ in range(repeat + 1):
                    c0, t0 = cpu_seconds(pid), time.perf_counter()
                    for chain in CHAINS:
                        errors += [e for e in (s.rerun([chain])[1],) if e]
                    batches.append(
                        ((cpu_seconds(pid) - c0) * 1000 / len(CHAINS), (time.perf_counter() - t0) * 1000 / len(CHAINS))
                    )
                    s.rerun([])
                cached = sorted(b[0] for b in batches[1:])
                out[url] = {
                    "open_cpu_ms": round(open_ms, 1),
                    "first_visit_cpu_ms": round(batches[0][0], 1),
                    "first_visit_wall_ms": round(batches[0][1], 1),
                    "cached_cpu_ms": round(statistics.median(cached), 1),
                    "cached_wall_ms": round(statistics.median(b[1] for b in batches[1:]), 1),
                    "errors": errors[:3],
                }
        out["_idle_cpu_ms_per_s"] = round(idle_ms_per_s, 1)
        out["_settle_s"] = round(settle_s, 1)
    finally:
        server.stop()
    return out


SETTLED_CPU_MS_PER_S = 50  # a server doing nothing uses ~5 ms of CPU a second (its event loop, the file watcher)


def _server_settled(pid: int, timeout: float = 300) -> tuple[float, float]:
    """Wait until the server's process is idle (its background work done: at a province the day's 预警 evaluation
    takes a minute or more, and before 2026-12-02 13:20 it ran during the first pages' timed reruns); return the
    seconds waited and the idle CPU ms per second. The evaluation starts COLD_START_GRACE after the first run, so
    the first look is after it."""
    from cockpit.app.alerts_ui import COLD_START_GRACE

    t0 = time.perf_counter()
    time.sleep(COLD_START_GRACE + 1)
    while True:
        c0 = cpu_seconds(pid)
        time.sleep(2)
        idle = (cpu_seconds(pid) - c0) * 1000 / 2
        if idle < SETTLED_CPU_MS_PER_S or time.perf_counter() - t0 > timeout:
            return time.perf_counter() - t0, idle


# --------------------------------------------------------------------------------------------------


def machine() -> dict:
    mem = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    import duckdb
    import pandas
    import streamlit

    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
        # the machine may be shared: its load when the run started (1, 5, 15 minutes)
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def working_copy(sample: Path) -> Path:
    """A throwaway working directory made from the shipped sample: the app writes its state database
    (state.sqlite: scenarios, login lockout) into the data directory, and data/ must stay as shipped."""
    import tempfile

    from cockpit.data.store import ensure_working_dir

    return ensure_working_dir(Path(tempfile.mkdtemp(prefix="cockpit-bench-")), sample)


def scale_dir(enterprises: int, directory: Path) -> Path:
    if not (directory / "enterprise_month.parquet").exists():
        from cockpit.gen import scale

        scale.generate(enterprises, directory)
    return directory


def run(
    scales: dict[str, Path], repeat: int, skip: set[str], clients: int, seconds: float, pages: list[str] | None = None
) -> dict:
    result = {"machine": machine(), "repeat": repeat, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "scales": {}}
    for label, directory in scales.items():
        r: dict = {"directory": str(directory)}
        db = Database(directory, in_memory=False)
        r["rows"] = {
            t: int(db.con.execute(f"select count(*) from {t}").fetchone()[0])
            for t in ("enterprises", "enterprise_month", "projects", "project_month", "hazards")
        }
        steps = {
            "load": lambda d=directory: {"open_database_ms": bench_load(d)},
            "queries": lambda d=directory: {"queries": bench_queries(d, repeat, in_memory=True)},
            "views": lambda d=directory: {"queries_views": bench_queries(d, repeat, in_memory=False)},
            "baseline": lambda d=directory: {"baseline_overview": bench_baseline(d, repeat)},
            "pages": lambda d=directory: {"pages": bench_pages(d, repeat, pages or list(PAGES))},
            "server_cpu": lambda d=directory: {"server_cpu": bench_server_cpu(d, repeat, pages or list(PAGES))},
            "browser": lambda d=directory: {"browser": bench_browser(d, repeat)},
            "concurrency": lambda d=directory: {"concurrency": bench_load_test(d, clients, seconds)},
        }
        for name, step in steps.items():
            if name in skip:
                continue
            try:
                r.update(step())
            except Exception as exc:  # noqa: BLE001 - keep the other measurements; the error is reported
                r.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[:500]
        result["scales"][label] = r
        print(
            json.dumps(
                {label: {k: v for k, v in r.items() if k not in ("queries", "queries_views")}}, ensure_ascii=False
            )[:2000],
            file=sys.stderr,
        )
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="county,province")
    ap.add_argument("--province-dir", default=str(ROOT / "var" / "scale"))
    ap.add_argument("--enterprises", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument(
        "--skip",
        default="",
        help="comma list of: load, queries, views, baseline, pages, server_cpu, browser, concurrency",
    )
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--pages", default=",".join(PAGES), help="comma list of url paths for the AppTest reruns")
    ap.add_argument("--out", default=str(RESULTS / "latest"))
    args = ap.parse_args(argv)
    scales = {}
    for s in args.scales.split(","):
        scales[s] = working_copy(SAMPLE_DIR) if s == "county" else scale_dir(args.enterprises, Path(args.province_dir))
    try:
        result = run(
            scales,
            args.repeat,
            set(filter(None, args.skip.split(","))),
            args.clients,
            args.seconds,
            pages=args.pages.split(","),
        )
    finally:
        if "county" in scales:
            shutil.rmtree(scales["county"], ignore_errors=True)
    from bench import report

    write_results(Path(args.out), result, report.markdown)
    return 0


def write_results(out: Path, result: dict, markdown) -> None:
    """`out`.json (the figures) and `out`.md (`markdown(result)`), printed too."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(out.with_suffix(".md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
