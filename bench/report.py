"""The benchmark's JSON as a Markdown summary (bench/results/latest.md)."""

from __future__ import annotations

BUDGET_RERUN_MS = {"county": 150, "province": 500}
BUDGET_CLICK_MS = {"county": 500}


def _s(st: dict | None) -> str:
    if not st:
        return "–"
    return f"{st['median_ms']:.0f} ({st['min_ms']:.0f}–{st['max_ms']:.0f})"


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [f"# Benchmark {result['started']}", "",
             f"Machine: {m['cpus']} CPUs, {m['memory_gib']} GiB, {m['platform']}; Python {m['python']}, "
             f"DuckDB {m['duckdb']}, pandas {m['pandas']}, Streamlit {m['streamlit']}. "
             f"{result['repeat']} timed runs per figure: median (min–max) in ms.", ""]
    for label, r in result["scales"].items():
        rows = ", ".join(f"{t} {n:,}" for t, n in r["rows"].items())
        lines += [f"## {label}", "", f"Data `{r['directory']}`: {rows}.", ""]
        if "open_database_ms" in r:
            o = r["open_database_ms"]
            lines += [f"Open the database: views {o['views']:.0f} ms, tables in memory {o['in_memory']:.0f} ms.", ""]
        if "pages" in r:
            budget = BUDGET_RERUN_MS.get(label)
            lines += ["| page | rerun after a 产业链 change, uncached (ms) | cached (ms) |"
                      + (f" ≤ {budget} ms |" if budget else ""),
                      "| --- | --- | --- |" + (" --- |" if budget else "")]
            for page, p in r["pages"].items():
                if "error" in p:
                    lines.append(f"| {page} | failed: `{p['error']}` | | " + ("|" if budget else ""))
                    continue
                ok = ("yes" if p["uncached"]["median_ms"] <= budget else "**no**") if budget else ""
                lines.append(f"| {page} | {_s(p['uncached'])} | {_s(p['cached'])} |" + (f" {ok} |" if budget else ""))
            lines.append("")
        if "browser" in r:
            b = r["browser"]
            lines += [f"Cold start (process start → first page rendered in Chromium): {b['cold_start_ms']:.0f} ms. "
                      f"Server peak memory {b['server_peak_rss_mb']:.0f} MB.", ""]
            for key, st in b.items():
                if key.startswith("click_"):
                    lines.append(f"- click → charts settled, {key[6:]}: {_s(st)} ms"
                                 + (f" ({len(st['timeouts'])} clicks not settled in 30 s: {st['timeouts']})"
                                    if st.get("timeouts") else ""))
            lines.append("")
        if "baseline_overview" in r:
            bl = r["baseline_overview"]
            lines += [f"总览 computation (4 fact-scanning queries), no filter: pandas {_s(bl['pandas'])} ms vs "
                      f"DuckDB {_s(bl['duckdb'])} ms → **{bl['ratio']}×**; one 产业链: pandas "
                      f"{_s(bl['pandas_filtered'])} vs DuckDB {_s(bl['duckdb_filtered'])} → "
                      f"**{bl['ratio_filtered']}×** (pandas load beforehand {bl['pandas_load_ms']:.0f} ms, not counted).",
                      ""]
        if "concurrency" in r:
            c = r["concurrency"]
            lines += [f"{c['clients']} websocket sessions changing 产业链 for {c['seconds']:.0f} s: {c['reruns']} reruns, "
                      f"{c['errors']} errors; latency p50 {c['p50_ms']} ms, p90 {c['p90_ms']} ms, p99 {c['p99_ms']} ms, "
                      f"max {c['max_ms']} ms; server peak memory {c['server_peak_rss_mb']:.0f} MB.", ""]
        for step, err in r.get("errors", {}).items():
            lines += [f"**{step} failed**: `{err}`", ""]
        if "queries" in r:
            lines += ["| query | rows | in memory (ms) | views over parquet (ms) |", "| --- | --- | --- | --- |"]
            views = r.get("queries_views", {})
            for name, q in sorted(r["queries"].items(), key=lambda kv: -kv[1]["median_ms"]):
                lines.append(f"| {name} | {q['rows']:,} | {_s(q)} | {_s(views.get(name))} |")
            lines.append("")
    return "\n".join(lines) + "\n"
