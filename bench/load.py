"""The meeting load: N leaders, each changing a filter or the page after a random 5–15 s think time.

    python -m bench.load                                  # 30 viewers × 180 s, 1 replica and one per core,
                                                          # then the stepped search; bench/results/county-load
    python -m bench.load --viewers 30 --seconds 180 --replicas 1,2 --steps ''
    python -m bench.load --steps 5,10,20,30,40,60 --step-seconds 60 --replicas 1 --seconds 0   # search only

Every configuration runs behind nginx started from deploy/ by `cockpit.app.replicas.Cluster` (1 replica = one
process, the single-process case; N = one per core), on a working copy of the bundled data, after every page was opened once on each replica (`warm_every_page`: a
server that has been up before the meeting). Each viewer is one
websocket session (bench/wsclient.py `viewer`); an action's latency runs from sending the change to the end of the
script run (click → rerun finished, server side; the browser's drawing is not included). An error is an exception
on the page, a run that did not finish (60 s), or a dropped connection. Also recorded: CPU seconds used by the
replicas, nginx and the load generator, and the machine's load average and overall CPU use during the run (the
machine may be shared: the figures are only comparable between runs of the same sitting).

The stepped search runs the same scenario for each viewer count until p95 exceeds the budget (1 s) and reports the
last count within it and the first beyond it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import wsclient  # noqa: E402
from bench.run import CHAINS, RESULTS, cpu_seconds, machine, write_results  # noqa: E402

BUDGET_P95_MS = 1000
DEFAULT_PAGE = "overview"  # the page Streamlit serves at "/" (its url path is empty in the navigation)


def percentile(ms: list[float], q: float) -> float | None:
    """The q-quantile by the nearest-rank method (the smallest value with at least q of the samples ≤ it)."""
    if not ms:
        return None
    s = sorted(ms)
    rank = min(len(s), max(1, math.ceil(q * len(s) - 1e-9)))
    return round(s[rank - 1], 1)


def summarise(actions: list[dict]) -> dict:
    """Count, errors and p50/p95/p99/max in ms of a list of actions."""
    ms = [a["seconds"] * 1000 for a in actions]
    errors = [a["error"] for a in actions if a["error"]]
    return {
        "n": len(ms),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p50_ms": percentile(ms, 0.50),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": round(max(ms), 1) if ms else None,
    }


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def meeting(
    base: str, viewers: int, seconds: float, seed: int = 20, think: tuple[float, float] = (5, 15), ramp: float = 10
) -> dict:
    """`viewers` sessions for `seconds` (they connect spread over the first `ramp` seconds); every action."""
    stop_at = time.time() + seconds
    actions: list[dict] = []
    lock = threading.Lock()

    def one(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        time.sleep(rng.uniform(0, ramp))
        try:
            for a in wsclient.viewer(base, CHAINS, stop_at, rng, think=think):
                a["page"] = a["page"] or DEFAULT_PAGE
                with lock:
                    actions.append({**a, "viewer": k})
        except Exception as exc:  # noqa: BLE001 - a dropped connection or a timeout is an error of that action
            with lock:
                actions.append(
                    {
                        "kind": "lost",
                        "page": "",
                        "seconds": 0.0,
                        "viewer": k,
                        "at": time.time(),
                        "error": f"{type(exc).__name__}: {exc}"[:200],
                    }
                )

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(viewers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    return {"actions": actions}


def warm_every_page(bases: list[str]) -> float:
    """Open every page of the app once on each replica (directly, not through nginx), as a server that has been
    up before the meeting has: the stepped search then measures the viewers, not first page loads of cold
    replicas. Seconds it took."""
    t0 = time.perf_counter()
    for base in bases:
        with wsclient.Session(base) as s:
            s.rerun()
            for page in list(s.pages):
                s.rerun(page=page)
    return time.perf_counter() - t0


def run_config(
    replicas: int, viewers: int, seconds: float, seed: int = 20, think: tuple[float, float] = (5, 15)
) -> dict:
    """Start `replicas` replicas behind nginx, run the meeting, stop them; the figures of one run."""
    from browser import free_port

    from cockpit.app.replicas import Cluster

    with tempfile.TemporaryDirectory(prefix="cockpit-load-") as tmp:
        cluster = Cluster(
            [free_port() for _ in range(replicas)], f"127.0.0.1:{free_port()}", Path(tmp) / "data", Path(tmp) / "run"
        )
        cluster.start()
        try:
            warm_s = warm_every_page([r.base for r in cluster.replicas])
            pids = {r.name: r.proc.pid for r in cluster.replicas}
            cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
            nginx0, me0, busy0 = cpu_seconds(cluster.nginx.pid), time.process_time(), machine_busy()
            load0, t0 = os.getloadavg(), time.time()
            result = meeting(cluster.base, viewers, seconds, seed, think, ramp=min(10.0, think[1]))
            wall = time.time() - t0
            busy1, load1 = machine_busy(), os.getloadavg()
            cpu = {name: round(cpu_seconds(pid) - cpu0[name], 1) for name, pid in pids.items()}
            nginx_cpu, me = cpu_seconds(cluster.nginx.pid) - nginx0, time.process_time() - me0
            alive = [r.name for r in cluster.replicas if r.proc.poll() is None]
        finally:
            cluster.stop()
    actions = result["actions"]
    clicks = [a for a in actions if a["kind"] in ("filter", "page", "lost")]
    replica_cpu = sum(cpu.values())
    return {
        "replicas": replicas,
        "viewers": viewers,
        "seconds": seconds,
        "think_s": list(think),
        "wall_s": round(wall, 1),
        "warm_up_s": round(warm_s, 1),
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t0)),
        "load_average_before": [round(x, 2) for x in load0],
        "load_average_after": [round(x, 2) for x in load1],
        "machine_cpu_busy": round((busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 3),
        "replica_cpu_s": cpu,
        "nginx_cpu_s": round(nginx_cpu, 2),
        "client_cpu_s": round(me, 1),
        "replicas_alive_at_end": alive,
        # every script run the replicas did: the actions and each viewer's first page
        "cpu_ms_per_run": round(replica_cpu * 1000 / max(1, len(actions)), 1),
        "actions": summarise(clicks),
        "filter": summarise([a for a in clicks if a["kind"] == "filter"]),
        "page": summarise([a for a in clicks if a["kind"] == "page"]),
        "open": summarise([a for a in actions if a["kind"] == "open"]),
        "by_page": {
            p: summarise([a for a in clicks if a["page"] == p])
            for p in sorted({a["page"] for a in clicks if a["page"]})
        },
        "actions_per_s": round(len(clicks) / max(1e-9, seconds), 2),
    }


def search(replicas: int, steps: list[int], seconds: float) -> dict:
    """Run each viewer count in turn until p95 exceeds the budget; the crossing."""
    runs = []
    for n in steps:
        r = run_config(replicas, n, seconds)
        runs.append(r)
        print(_line(r), file=sys.stderr, flush=True)
        if (r["actions"]["p95_ms"] or 0) > BUDGET_P95_MS:
            break
    ok = [r["viewers"] for r in runs if (r["actions"]["p95_ms"] or 0) <= BUDGET_P95_MS]
    over = [r["viewers"] for r in runs if r["viewers"] not in ok]
    return {
        "replicas": replicas,
        "step_seconds": seconds,
        "runs": runs,
        "last_within": max(ok) if ok else None,
        "first_over": min(over) if over else None,
    }


def _line(r: dict) -> str:
    a = r["actions"]
    return (
        f"{r['replicas']} replica(s), {r['viewers']} viewers, {r['seconds']:.0f} s: {a['n']} actions, "
        f"{a['errors']} errors, p50 {a['p50_ms']} / p95 {a['p95_ms']} / p99 {a['p99_ms']} ms; "
        f"load {r['load_average_before'][0]}→{r['load_average_after'][0]}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--viewers", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=180, help="the meeting's length (0 = only the search)")
    ap.add_argument("--replicas", default=f"1,{os.cpu_count() or 1}", help="comma list: replicas per configuration")
    ap.add_argument("--steps", default="5,10,20,30,40,60,80", help="viewer counts of the stepped search ('' = none)")
    ap.add_argument("--step-seconds", type=float, default=60)
    ap.add_argument("--out", default=str(RESULTS / "county-load"))
    ap.add_argument("--render", default=None, help="only write the Markdown of this results .json again")
    args = ap.parse_args(argv)
    from bench import report

    if args.render:
        path = Path(args.render)
        path.with_suffix(".md").write_text(
            report.load_markdown(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8"
        )
        return 0
    configs = sorted({int(x) for x in args.replicas.split(",") if x})
    steps = [int(x) for x in args.steps.split(",") if x]
    result = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "budget_p95_ms": BUDGET_P95_MS,
        "think_s": [5, 15],
        "meeting": [],
        "search": [],
    }
    for n in configs if args.seconds > 0 else []:
        r = run_config(n, args.viewers, args.seconds)
        print(_line(r), file=sys.stderr, flush=True)
        result["meeting"].append(r)
    for n in configs if steps else []:
        result["search"].append(search(n, steps, args.step_seconds))
    write_results(Path(args.out), result, report.load_markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
