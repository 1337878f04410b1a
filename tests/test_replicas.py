"""Two replicas behind Debian's nginx on one data directory, started from the repository's deploy files.

`python -m cockpit.app.replicas run` (the operator's command) starts both replicas and nginx with
deploy/nginx/*.conf on free ports; Chromium sessions go through nginx. The tests run in file order and share
the cluster: the last one stops a replica.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from browser import free_port, metric_values, toggle_chain, wait_for_app

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.deploy
CARD = "规上工业产值"  # 1—m月 累计 of the latest month, in 亿元


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`python -m cockpit.app.replicas run` with two replicas on a fresh working data directory."""
    base = tmp_path_factory.mktemp("replicas")
    run_dir, data_dir, log = base / "run", base / "data", base / "launcher.log"
    ports = [free_port(), free_port()]
    listen = f"127.0.0.1:{free_port()}"
    cmd = [
        sys.executable,
        "-m",
        "cockpit.app.replicas",
        "run",
        "--replica-ports",
        ",".join(map(str, ports)),
        "--listen",
        listen,
        "--data-dir",
        str(data_dir),
        "--run-dir",
        str(run_dir),
    ]
    with open(log, "wb") as out:
        launcher = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    state_file = run_dir / "cluster.json"
    deadline = time.time() + 150
    while not state_file.exists():
        if launcher.poll() is not None or time.time() > deadline:
            launcher.kill()
            pytest.fail("cockpit.app.replicas did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["launcher"], state["log"] = launcher, log
    yield state
    launcher.send_signal(signal.SIGTERM)
    try:
        launcher.wait(30)
    except subprocess.TimeoutExpired:
        launcher.kill()
    for pid in [r["pid"] for r in state["replicas"]] + [state["nginx"]["pid"]]:
        try:  # nothing the launcher started may outlive it
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        os.kill(pid, signal.SIGKILL)
        pytest.fail(f"process {pid} outlived the launcher")


def replica_of(base: str, route: str) -> str:
    """The replica nginx sends a browser with this route cookie to (the X-Cockpit-Replica header)."""
    req = urllib.request.Request(f"{base}/_stcore/health", headers={"Cookie": f"cockpit_route={route}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers["X-Cockpit-Replica"]


def route_to(base: str, replica: str) -> str:
    """A route cookie value that nginx hashes to `replica`."""
    for _ in range(200):
        route = secrets.token_hex(16)
        if replica_of(base, route) == replica:
            return route
    raise AssertionError(f"no route reaches {replica}")


def open_session(chromium, base: str, route: str | None = None):
    """A new browser (its own cookies) on the 总览; with `route`, pinned to that route's replica."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    if route:
        context.add_cookies([{"name": "cockpit_route", "value": route, "url": base}])
    page = context.new_page()
    response = page.goto(base + "/")
    wait_for_app(page, timeout=60_000)
    page.wait_for_selector("[data-testid=stMetric]", timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0
    return page, response.headers.get("x-cockpit-replica")


def served_by(page) -> str:
    """The replica answering this browser's requests now."""
    return page.evaluate("() => fetch('/_stcore/health').then(r => r.headers.get('X-Cockpit-Replica'))")


def yi(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text.split("亿元")[0]))


def rerun_until(page, expected: str, timeout: float = 60_000) -> None:
    """Rerun the session (choose a 产业链, then clear it) until the 规上工业产值 card shows `expected`."""
    shown = metric_values(page)[CARD]
    toggle_chain(page, "新材料", True)
    page.wait_for_function(
        "(v) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('规上工业产值') && !m.innerText.includes(v))",
        arg=shown,
        timeout=timeout,
    )
    wait_for_app(page, timeout=timeout)
    toggle_chain(page, "新材料", False)
    page.wait_for_function(
        "(v) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('规上工业产值') && m.innerText.includes(v))",
        arg=expected,
        timeout=timeout,
    )
    wait_for_app(page, timeout=timeout)


def access_log(state) -> list[dict]:
    out = []
    for line in Path(state["nginx"]["access_log"]).read_text(encoding="utf-8").splitlines():
        m = re.search(r'"(\S+) (\S+) [^"]*" (\d+) .* upstream=(.+) route=(\S+)$', line)
        if m:
            out.append({"method": m[1], "path": m[2], "status": int(m[3]), "upstream": m[4], "route": m[5]})
    return out


def test_nginx_keeps_each_browser_and_its_websocket_on_one_replica(cluster, chromium):
    """Test that nginx spreads new browsers over both replicas and sends every request of one browser,
    its websocket included, to the replica that served its first page."""
    base = cluster["base"]
    ports = {r["name"]: r["port"] for r in cluster["replicas"]}
    sessions = {}
    for _ in range(12):  # new browsers get random routes: both replicas show up (p = 2⁻¹¹ that they don't)
        page, replica = open_session(chromium, base)  # its first run went over the websocket
        route = next(c["value"] for c in page.context.cookies() if c["name"] == "cockpit_route")
        assert served_by(page) == replica
        page.context.close()  # nginx logs a websocket when it closes
        sessions[route] = replica
        if set(sessions.values()) == set(ports):
            break
    assert set(sessions.values()) == set(ports), sessions
    deadline = time.time() + 10
    while True:
        log = access_log(cluster)
        streams = {e["route"] for e in log if e["path"].startswith("/_stcore/stream")}
        if set(sessions) <= streams or time.time() > deadline:
            break
        time.sleep(0.2)
    for route, replica in sessions.items():
        mine = [e for e in log if e["route"] == route]
        assert any(e["path"].startswith("/_stcore/stream") for e in mine), route
        assert any(e["path"].endswith(".js") for e in mine), route  # static files too
        assert {e["upstream"] for e in mine} == {f"127.0.0.1:{ports[replica]}"}, (route, replica, mine)
        assert all(e["status"] in (101, 200, 304) for e in mine), mine


def test_an_import_is_seen_by_the_other_replica_on_its_next_rerun(cluster, chromium):
    """Test that a month imported into the shared data directory shows on sessions of both replicas
    at their next rerun, without a restart."""
    base = cluster["base"]
    pages = {name: open_session(chromium, base, route_to(base, name))[0] for name in ("r1", "r2")}
    try:
        before = {name: metric_values(p)[CARD] for name, p in pages.items()}
        assert before["r1"] == before["r2"], before
        # one enterprise's latest month 1 亿元 (10,000 万元) higher, through the clerk's command line
        em = pd.read_parquet(Path(cluster["data_dir"]) / "enterprise_month.parquet")
        latest = em[(em["year"] == em["year"].max())]
        row = latest[latest["month"] == latest["month"].max()].iloc[[0]].copy()
        row["output_wan"] += 10_000
        csv = Path(cluster["data_dir"]).parent / "one_month.csv"
        row.to_csv(csv, index=False)
        done = subprocess.run(
            [sys.executable, "-m", "cockpit.data.ingest", str(csv), "--data-dir", cluster["data_dir"]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        expected = f"{yi(before['r1']) + 1:.2f} 亿元"
        for name in ("r2", "r1"):
            rerun_until(pages[name], expected)
            assert served_by(pages[name]) == name
            assert metric_values(pages[name])[CARD] == expected
    finally:
        for p in pages.values():
            p.context.close()


def test_stopping_a_replica_leaves_the_other_serving_its_sessions(cluster, chromium):
    """Test that when one replica stops, a session on it reconnects through nginx to the other replica and
    the page renders there, and new browsers are served by the survivor."""
    base = cluster["base"]
    page, replica = open_session(chromium, base, route_to(base, "r1"))
    try:
        assert replica == "r1"
        shown = metric_values(page)[CARD]
        sockets = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        r1 = next(r for r in cluster["replicas"] if r["name"] == "r1")
        os.kill(r1["pid"], signal.SIGTERM)
        deadline = time.time() + 30
        while time.time() < deadline:  # the launcher's replica has stopped
            try:
                os.kill(r1["pid"], 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("replica r1 did not stop")
        # the frontend notices the closed websocket and opens a new one; nginx sends it to r2
        deadline = time.time() + 60
        while not sockets and time.time() < deadline:
            page.wait_for_timeout(200)
        assert sockets, "the session did not reconnect"
        wait_for_app(page, timeout=60_000)
        assert served_by(page) == "r2"
        rerun_until(page, shown)  # the session works on r2: a filter change reruns there
        assert page.locator("[data-testid=stException]").count() == 0
        assert served_by(page) == "r2"
        route = next(c["value"] for c in page.context.cookies() if c["name"] == "cockpit_route")
        fresh, fresh_replica = open_session(chromium, base, route)  # a new browser whose route led to r1
        assert fresh_replica == "r2"
        assert metric_values(fresh)[CARD] == shown
        fresh.context.close()
        assert cluster["launcher"].poll() is None, "the launcher stopped with one replica"
    finally:
        page.context.close()
