"""The benchmark's JSON as a Markdown summary (bench/results/latest.md)."""

from __future__ import annotations

BUDGET_RERUN_MS = {"county": 150, "province": 500}
BUDGET_CLICK_MS = {"county": 500}


def _s(st: dict | None) -> str:
    if not st:
        return "–"
    return f"{st['median_ms']:.0f} ({st['min_ms']:.0f}–{st['max_ms']:.0f})"


def _load(m: dict) -> str:
    la = m.get("load_average")
    return f" Load average at the start (1/5/15 min): {la[0]} / {la[1]} / {la[2]}." if la else ""


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"# Benchmark {result['started']}",
        "",
        f"Machine: {m['cpus']} CPUs, {m['memory_gib']} GiB, {m['platform']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']}, pandas {m['pandas']}, Streamlit {m['streamlit']}. "
        f"{result['repeat']} timed runs per figure: median (min–max) in ms.{_load(m)}",
        "",
    ]
    for label, r in result["scales"].items():
        rows = ", ".join(f"{t} {n:,}" for t, n in r["rows"].items())
        lines += [f"## {label}", "", f"Data `{r['directory']}`: {rows}.", ""]
        if "open_database_ms" in r:
            o = r["open_database_ms"]
            lines += [
                f"Open the database: views {o['views']:.0f} ms, tables in this process's memory {o['in_memory']:.0f} ms"
                + (
                    f"; snapshot built {o['snapshot_build']:.0f} ms (first process after an import), snapshot opened"
                    f" {o['snapshot_open']:.0f} ms (every other process and restart)."
                    if "snapshot_open" in o
                    else "."
                ),
                "",
            ]
        if "pages" in r:
            budget = BUDGET_RERUN_MS.get(label)
            lines += [
                "Each page's AppTest rerun after a 产业链 change: to a new scope (a 产业链 × 片区 pair not seen "
                "since start, the other results cached: a leader's new filter choice), with every cache empty "
                "(as right after an import), and to a scope seen before (cached). Wall ms, then process CPU ms.",
                "",
                "| page | new scope (ms) | every cache empty (ms) | cached (ms) | CPU new scope | CPU empty "
                "| CPU cached |" + (f" new scope ≤ {budget} ms | cached ≤ {budget} ms |" if budget else ""),
                "| --- | --- | --- | --- | --- | --- | --- |" + (" --- | --- |" if budget else ""),
            ]
            for page, p in r["pages"].items():
                if page.startswith("_"):
                    continue
                if "error" in p:
                    lines.append(f"| {page} | failed: `{p['error']}` | | | | | |" + (" | |" if budget else ""))
                    continue
                fresh = p.get("fresh") or p["uncached"]  # older results: no new-scope bucket

                def ok(st: dict, limit: float = budget) -> str:
                    return "yes" if st["median_ms"] <= limit else "**no**"

                lines.append(
                    f"| {page} | {_s(p.get('fresh'))} | {_s(p['uncached'])} | {_s(p['cached'])} "
                    f"| {_s(p.get('fresh_cpu'))} | {_s(p.get('uncached_cpu'))} | {_s(p.get('cached_cpu'))} |"
                    + (f" {ok(fresh)} | {ok(p['cached'])} |" if budget else "")
                )
            lines += [
                "",
                "CPU = process CPU time (all threads: the script's, DuckDB's and the prefetch workers') around the "
                "AppTest rerun: what a rerun costs the server, less disturbed than wall time by other jobs. AppTest "
                "also compiles the page's script on every rerun (a server keeps the bytecode): the server's own "
                "figures are in the next table."
                + (
                    f" Timed after the process had settled ({r['pages']['_settle_s']:.0f} s: in-memory tables "
                    "loaded, the day's 预警 evaluation recorded), as a server up before the meeting."
                    if "_settle_s" in r["pages"]
                    else ""
                ),
                "",
            ]
        if "server_cpu" in r:
            sc = r["server_cpu"]
            lines += [
                "Server CPU per rerun over the websocket (one session on a real server; its process's CPU, "
                f"idle {sc.get('_idle_cpu_ms_per_s', '–')} ms/s): the capacity figure. Reruns a core can "
                "serve per second ≈ 1000 / CPU ms.",
                "",
                "| page | open the page, CPU ms | 产业链 change, first visit: CPU ms (wall) "
                "| 产业链 change, cached: CPU ms (wall) | reruns/s per core (cached) |",
                "| --- | --- | --- | --- | --- |",
            ]
            for page, p in sc.items():
                if page.startswith("_"):
                    continue
                rate = f"{1000 / p['cached_cpu_ms']:.1f}" if p["cached_cpu_ms"] else "–"
                errs = f" errors: {p['errors']}" if p["errors"] else ""
                lines.append(
                    f"| {page} | {p['open_cpu_ms']:.0f} | {p['first_visit_cpu_ms']:.0f} "
                    f"({p['first_visit_wall_ms']:.0f}) | {p['cached_cpu_ms']:.0f} ({p['cached_wall_ms']:.0f})"
                    f" | {rate}{errs} |"
                )
            lines.append("")
        if "browser" in r:
            b = r["browser"]
            lines += [
                f"Cold start (process start → first page rendered in Chromium): {b['cold_start_ms']:.0f} ms for a "
                "browser that never opened the cockpit"
                + (
                    f", {b['cold_start_cached_browser_ms']:.0f} ms after a restart for a browser that has "
                    "(Streamlit's static files in its cache)"
                    if "cold_start_cached_browser_ms" in b
                    else ""
                )
                + ". "
                f"Server peak memory {b['server_peak_rss_mb']:.0f} MB.",
                "",
            ]
            for key, st in b.items():
                if key.startswith("click_"):
                    lines.append(
                        f"- click → charts settled, {key[6:]}: {_s(st)} ms (from the click on the option or on 'Clear "
                        f"all'; from the automation opening the list: {_s(b.get('from_opening_' + key[6:]) or st)} ms)"
                        + (
                            f" ({len(st['timeouts'])} clicks not counted: {'; '.join(st['timeouts'])})"
                            if st.get("timeouts")
                            else ""
                        )
                    )
                elif key.startswith("pinned_click_"):
                    lines.append(
                        f"- the same clicks, {key[13:]}, the server on one core and the browser on the other (neither "
                        f"waits for the other's core, but the browser has one core only; a fresh server): {_s(st)} ms"
                        + (f" ({len(st['timeouts'])} clicks not counted)" if st.get("timeouts") else "")
                    )
            lines.append("")
        if "baseline_overview" in r:
            bl = r["baseline_overview"]
            lines += [
                f"总览 computation (4 fact-scanning queries), no filter: pandas {_s(bl['pandas'])} ms vs "
                f"DuckDB {_s(bl['duckdb'])} ms → **{bl['ratio']}×**; one 产业链: pandas "
                f"{_s(bl['pandas_filtered'])} vs DuckDB {_s(bl['duckdb_filtered'])} → "
                f"**{bl['ratio_filtered']}×** (pandas load beforehand {bl['pandas_load_ms']:.0f} ms, not counted).",
                "",
            ]
        if "concurrency" in r:
            c = r["concurrency"]
            lines += [
                f"{c['clients']} websocket sessions changing 产业链 for {c['seconds']:.0f} s: {c['reruns']} reruns, "
                f"{c['errors']} errors; latency p50 {c['p50_ms']} ms, p90 {c['p90_ms']} ms, p99 {c['p99_ms']} ms, "
                f"max {c['max_ms']} ms; server peak memory {c['server_peak_rss_mb']:.0f} MB.",
                "",
            ]
        for step, err in r.get("errors", {}).items():
            lines += [f"**{step} failed**: `{err}`", ""]
        if "queries" in r:
            lines += ["| query | rows | in memory (ms) | views over parquet (ms) |", "| --- | --- | --- | --- |"]
            views = r.get("queries_views", {})
            for name, q in sorted(r["queries"].items(), key=lambda kv: -kv[1]["median_ms"]):
                lines.append(f"| {name} | {q['rows']:,} | {_s(q)} | {_s(views.get(name))} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def _load_row(r: dict) -> str:
    a = r["actions"]
    cpu = sum(r["replica_cpu_s"].values())
    return (
        f"| {r['replicas']} | {r['viewers']} | {r['seconds']:.0f} | {a['n']} ({r['actions_per_s']}/s) | "
        f"{a['errors']} | {a['p50_ms']} | {a['p95_ms']} | {a['p99_ms']} | {a['max_ms']} | "
        f"{r['filter']['p95_ms']} / {r['page']['p95_ms']} | {cpu:.0f} s → {r['cpu_ms_per_run']:.0f} ms | "
        f"{cpu / r['wall_s']:.2f} | "
        f"{r['load_average_before'][0]:.1f} → {r['load_average_after'][0]:.1f} | {r['machine_cpu_busy'] * 100:.0f} % |"
    )


LOAD_HEADER = [
    "| replicas | viewers | s | actions | errors | p50 ms | p95 ms | p99 ms | max ms | p95 filter / page ms "
    "| replica CPU → per run | cores obtained | load avg (1 min) before → after | machine CPU busy |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
]


def load_markdown(result: dict) -> str:
    """bench/load.py's JSON as Markdown (bench/results/county-load.md)."""
    m = result["machine"]
    budget = result["budget_p95_ms"]
    lines = [
        f"# Meeting load {result['started']}",
        "",
        f"Machine: {m['cpus']} CPUs, {m['memory_gib']} GiB, {m['platform']}; Python {m['python']}, "
        f"Streamlit {m['streamlit']}. Each viewer is a websocket session that changes the 产业链 filter or "
        f"opens another page after a random {result['think_s'][0]}–{result['think_s'][1]} s think time; "
        "latency = sending the change → script run finished (server side, the browser's drawing excluded); "
        "replicas behind nginx from deploy/ (1 replica = one process), every page opened once on each replica before each run (a server that was up before the meeting). Budget: p95 ≤ "
        f"{budget} ms, 0 errors. Load average and machine CPU busy include every other job on the machine; "
        "\"cores obtained\" = the replicas' CPU seconds ÷ the run's seconds: how much of the machine the "
        f"cockpit actually got.{_load(m)}",
        "",
    ]
    if result["meeting"]:
        lines += ["## The meeting", ""] + LOAD_HEADER + [_load_row(r) for r in result["meeting"]] + [""]
        for r in result["meeting"]:
            pages = ", ".join(f"{p} {s['p95_ms']}" for p, s in r["by_page"].items())
            errs = f"; errors: {r['actions']['error_samples']}" if r["actions"]["errors"] else ""
            lines.append(
                f"- {r['replicas']} replica(s): p95 by page (ms) {pages}; first page per viewer p95 "
                f"{r['open']['p95_ms']} ms; nginx CPU {r['nginx_cpu_s']} s, load generator CPU "
                f"{r['client_cpu_s']} s{errs}"
            )
        lines.append("")
    for s in result["search"]:
        lines += [f"## Stepped search, {s['replicas']} replica(s), {s['step_seconds']:.0f} s per step", ""]
        lines += LOAD_HEADER + [_load_row(r) for r in s["runs"]] + [""]
        lines += [
            f"p95 ≤ {budget} ms up to **{s['last_within'] or '–'}** viewers; above at "
            f"**{s['first_over'] or 'none of the steps'}**.",
            "",
        ]
    return "\n".join(lines) + "\n"
