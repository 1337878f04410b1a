"""The idle-time garbage collection pass (cockpit.app.collector): when it is due, that it frees cyclic garbage
among objects it froze before, and that the background thread runs a pass only while no page runs."""

import gc
import time
import weakref

from cockpit.app import collector


class Node:
    pass


def test_a_pass_is_due_on_growth_or_after_the_refresh_time():
    """Test the rule: GROWTH objects in the oldest generation, or REFRESH seconds after a pass with some added."""
    assert collector.due(collector.GROWTH, 0, 0.0)
    assert not collector.due(collector.GROWTH - 1, 10, 0.0)
    assert collector.due(1, 10, collector.REFRESH) and not collector.due(0, 10, collector.REFRESH)
    assert not collector.due(1, 0, collector.REFRESH)  # never frozen: only growth calls for the first pass


def test_a_pass_freezes_the_survivors_and_the_next_one_frees_their_cycles():
    """Test that after a pass a reference cycle is frozen (a full gc.collect() no longer frees it once unreferenced)
    and that the next pass, which unfreezes first, frees it."""
    try:
        node = Node()
        node.me = node  # a cycle: reference counting alone never frees it
        ref = weakref.ref(node)
        assert collector.collect_and_freeze() > 0 and gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # frozen: the collector does not walk it
        collector.collect_and_freeze()
        assert ref() is None
        garbage = Node()
        garbage.me = garbage
        gone = weakref.ref(garbage)
        del garbage
        collector.collect_and_freeze()  # unreferenced before the pass: collected, not frozen
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_background_pass_waits_for_idle_time(monkeypatch):
    """Test that the thread runs a pass only after IDLE seconds without a page run, none during one."""
    monkeypatch.setattr(collector, "IDLE", 0.2)
    monkeypatch.setattr(collector, "GROWTH", 1)
    monkeypatch.setattr(collector, "_state", {"frozen_at": 0.0, "frozen": 0, "passes": 0, "thread": None})
    collector.stop()
    monkeypatch.setenv("COCKPIT_COLLECTOR", "1")
    keep = [Node() for _ in range(1000)]
    gc.collect()  # `keep` now in the oldest generation: a pass is due as soon as the process is idle
    try:
        with collector.page_run():
            collector.start(period=0.05)
            time.sleep(0.6)
            assert collector._state["passes"] == 0  # a page run is in progress
        deadline = time.monotonic() + 5
        while collector._state["passes"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert collector._state["passes"] >= 1 and gc.get_freeze_count() >= len(keep)
    finally:
        collector.stop()
        gc.unfreeze()
