"""Run a page's queries for new filters before the page asks for them, on every core.

A filter change reruns the page's script, which asks for its named queries one after another, between building
cards, tables and charts: the queries (DuckDB, which releases the interpreter lock) and the Python around them
take turns on one core. Each page's last run leaves its trace here — the queries it asked for, with the
parameters that came from the filter bar (year, month, the scope) marked. When the page runs again, the entry
script hands the trace to a pool of one worker per core with the new filter values filled in, before the page
starts; the page then finds each result cached or being computed (cockpit.domain.memo waits for it) instead of
running it in turn. The same results, the same cache keys: a prefetch that guesses wrong costs work, never a
wrong figure.

Parameters the page derived from the filters (last year, a scope narrowed to some dimensions) are replayed as they
were: usually cached already, so they cost nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

ENABLED = os.environ.get("COCKPIT_PREFETCH", "1") != "0"  # COCKPIT_PREFETCH=0: record only (the benchmark's baseline)
FROM_FILTERS = object()  # a traced parameter whose value was the filter bar's: replaced by the new value

_pool = ThreadPoolExecutor(max_workers=max(os.cpu_count() or 1, 1), thread_name_prefix="cockpit-prefetch")
_traces: dict[str, list[tuple[str, tuple]]] = {}  # page → [(query name, key with FROM_FILTERS marks)]
_lock = threading.Lock()
_run = threading.local()  # the script thread's page, filter parameters and trace being recorded


def begin(page: str, filters: dict, start: Callable[[str, tuple], bool]) -> int:
    """A page run starts with the filter parameters `filters` (year, month, scope): record its queries from now
    on and start its last trace's queries with these values. `start(name, key)` submits one query's computation
    unless it is cached (returns whether it did). Returns the number of queries started."""
    _run.page, _run.filters, _run.trace = page, dict(filters), []
    with _lock:
        trace = list(_traces.get(page, ())) if ENABLED else []
    started = 0
    seen = set()
    for name, marked in trace:
        key = tuple((k, filters[k] if v is FROM_FILTERS else v) for k, v in marked)
        if (name, key) in seen:
            continue
        seen.add((name, key))
        started += bool(start(name, key))
    return started


def record(name: str, key: tuple) -> None:
    """The running page asked for query `name` with `key` ((parameter, value) pairs): part of its trace, or of this
    thread's innermost open `capture`, whose owner records it in turn."""
    captures = getattr(_run, "captures", ())
    if captures:
        captures[-1].append((name, key))
        return
    trace = getattr(_run, "trace", None)
    if trace is None:
        return
    filters = _run.filters
    trace.append(
        (name, tuple((k, FROM_FILTERS if k in filters and v == filters[k] else v) for k, v in key)),
    )


@contextlib.contextmanager
def capture():
    """The queries this thread asks for inside the block, as a list of (name, key), kept out of the page's trace:
    a memoised computation keeps them with its result and records them itself, whether it ran or was a hit
    (cockpit.app.ui.derived)."""
    asked: list[tuple[str, tuple]] = []
    outer = getattr(_run, "captures", ())
    _run.captures = (*outer, asked)
    try:
        yield asked
    finally:
        _run.captures = outer


def end() -> None:
    """The page ran to its end: its trace replaces the previous one (a page whose run stopped early keeps the
    trace of its last whole run)."""
    trace = getattr(_run, "trace", None)
    if trace is not None:
        with _lock:
            _traces[_run.page] = trace
    _run.trace = None


def stop() -> None:
    """Stop recording (the page will not run to its end in this run)."""
    _run.trace = None


def submit(fn: Callable[[], object]) -> None:
    """Run `fn()` on a prefetch worker (its result and errors are dropped: the page computes what failed)."""
    _pool.submit(fn)
