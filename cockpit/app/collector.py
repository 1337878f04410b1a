"""Keep the interpreter's full garbage collections out of the page runs.

CPython's cyclic collector now and then walks every container object of the process (a full, "generation 2"
collection). A server holding a province's data keeps ~440,000 of them (parsed parcel outlines, the 亩均
evaluation, query results): each full collection then takes 140–230 ms, and it runs inside whichever page run
happens to allocate at that moment — every second 亩均 rerun at a province in a profiled run (`gc.callbacks`),
a third of its time. At a county (~140,000 objects) a collection takes a few ms.

So, while no page runs, a background thread collects once and freezes what survived (`gc.freeze`: the surviving
objects move to a generation the collector no longer walks); runs then only pay for what they themselves allocate.
It does so when the tracked objects have grown by `GROWTH` since the last freeze (new data, new cached results),
and at least every `REFRESH` seconds while objects were added: each time it first unfreezes, so that cyclic garbage
among formerly frozen objects (results of a replaced data version) is collected then — frozen objects that are no
longer referenced are freed at once by reference counting as usual; only reference cycles wait for the next pass.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

IDLE = 2.0  # seconds without a page run before a pass may start
GROWTH = 50_000  # tracked objects added since the last freeze that call for a pass
REFRESH = 600.0  # seconds after which a pass runs anyway when objects were added
PERIOD = 5.0  # seconds between checks

_lock = threading.Lock()
_running = 0  # page runs in progress
_last_activity = time.monotonic()
_state: dict = {"frozen_at": 0.0, "frozen": 0, "passes": 0, "thread": None, "stopping": None}


def run_started() -> None:
    global _running, _last_activity
    with _lock:
        _running += 1
        _last_activity = time.monotonic()


def run_ended() -> None:
    global _running, _last_activity
    with _lock:
        _running = max(_running - 1, 0)
        _last_activity = time.monotonic()


def idle(now: float) -> bool:
    """No page run in progress, and none for `IDLE` seconds."""
    with _lock:
        return _running == 0 and now - _last_activity >= IDLE


def due(tracked: int, frozen: int, since_freeze: float) -> bool:
    """Whether a pass is due: `tracked` objects in the oldest generation (walked by a full collection, not
    frozen), `frozen` in the permanent one, `since_freeze` seconds since the last pass."""
    return tracked >= GROWTH or (tracked > 0 and frozen > 0 and since_freeze >= REFRESH)


def collect_and_freeze() -> int:
    """One pass: unfreeze, collect everything, freeze the survivors. Returns the number of objects frozen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _state["frozen"] = gc.get_freeze_count()
    _state["frozen_at"] = time.monotonic()
    _state["passes"] += 1
    return _state["frozen"]


@contextmanager
def page_run() -> Iterator[None]:
    """Mark the block as a page run (no pass starts while one is in progress)."""
    run_started()
    try:
        yield
    finally:
        run_ended()


def _loop(period: float, stopping: threading.Event) -> None:
    while not stopping.wait(period):
        now = time.monotonic()
        if not idle(now):
            continue
        # the oldest generation's size (the objects a full collection walks besides the young ones): a list of
        # them, built only while idle
        if due(len(gc.get_objects(generation=2)), gc.get_freeze_count(), now - _state["frozen_at"]):
            collect_and_freeze()


def start(period: float = PERIOD) -> None:
    """Start the background pass (once per process; not with COCKPIT_COLLECTOR=0, as in the tests' own process,
    where page tests follow each other without idle time and tests/test_collector.py drives the passes)."""
    with _lock:
        if _state["thread"] is not None or os.environ.get("COCKPIT_COLLECTOR", "1") == "0":
            return
        stopping = threading.Event()
        thread = threading.Thread(target=_loop, args=(period, stopping), name="cockpit-collector", daemon=True)
        _state["thread"], _state["stopping"] = thread, stopping
    thread.start()


def stop() -> None:
    """Stop the background pass (tests) and wait for its thread; `start` may start it again."""
    with _lock:
        thread, stopping = _state["thread"], _state.get("stopping")
        _state["thread"] = None
    if thread is not None and stopping is not None:
        stopping.set()
        thread.join()
