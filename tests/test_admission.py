"""Script runs take turns (cockpit.app.admission): one run at a time, a waiting run steps aside, a stuck run cannot
stop the others, and the entry script runs every page inside its turn."""

import threading
import time

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app import admission
from cockpit.app.admission import Line


def in_thread(target) -> threading.Thread:
    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t


def free(line: Line) -> int:
    """How many turns are free now (taken and given back at once)."""
    n = 0
    while line._free.acquire(blocking=False):
        n += 1
    for _ in range(n):
        line._free.release()
    return n


def test_a_second_run_waits_until_the_first_is_done():
    """Test that with one slot a run that arrives while another holds the turn starts only after it ends."""
    line = Line(1)
    events: list[str] = []
    first_in, let_go = threading.Event(), threading.Event()

    def first():
        with line.turn():
            events.append("first in")
            first_in.set()
            let_go.wait(5)
            events.append("first out")

    def second():
        with line.turn():
            events.append("second in")

    a = in_thread(first)
    assert first_in.wait(5)
    b = in_thread(second)
    b.join(0.3)
    assert b.is_alive() and events == ["first in"]  # waiting in line
    let_go.set()
    a.join(5), b.join(5)
    assert events == ["first in", "first out", "second in"]
    assert free(line) == 1 and line.waited_out == 0


def test_two_slots_let_two_runs_in_at_once():
    line = Line(2)
    inside, let_go = threading.Barrier(3, timeout=5), threading.Event()

    def run():
        with line.turn():
            inside.wait()  # both are inside at the same time, or this times out
            let_go.wait(5)

    threads = [in_thread(run), in_thread(run)]
    inside.wait()
    let_go.set()
    for t in threads:
        t.join(5)
    assert free(line) == 2


def test_a_run_that_steps_aside_lets_the_next_in_and_takes_its_turn_back_after_it():
    line = Line(1)
    events: list[str] = []
    aside, second_in, let_second_go = threading.Event(), threading.Event(), threading.Event()

    def first():
        with line.turn():
            with line.aside():
                events.append("first aside")
                aside.set()
                assert second_in.wait(5)
                assert not line.holding()
            events.append("first back")  # only once the second run has left
            assert line.holding()

    def second():
        assert aside.wait(5)
        with line.turn():
            events.append("second in")
            second_in.set()
            let_second_go.wait(5)
            events.append("second out")

    a, b = in_thread(first), in_thread(second)
    assert second_in.wait(5)
    a.join(0.3)
    assert a.is_alive()  # its wait is over, but the second run has the turn
    let_second_go.set()
    a.join(5), b.join(5)
    assert events == ["first aside", "second in", "second out", "first back"]
    assert free(line) == 1


def test_a_stuck_run_slows_the_others_but_cannot_stop_them():
    """Test that a run that waited `max_wait` goes ahead, is counted, and that the slots are right afterwards."""
    line = Line(1, max_wait=0.2)
    holding, let_go = threading.Event(), threading.Event()

    def stuck():
        with line.turn():
            holding.set()
            let_go.wait(10)

    a = in_thread(stuck)
    assert holding.wait(5)
    t0 = time.monotonic()
    with line.turn():
        waited = time.monotonic() - t0
        assert not line.holding()  # went ahead without a turn
    assert 0.15 <= waited < 3
    assert line.waited_out == 1
    let_go.set()
    a.join(5)
    assert free(line) == 1  # the stuck run's turn came back; the one that went ahead gave none back


def test_a_nested_turn_is_part_of_the_run_and_an_error_gives_the_turn_back():
    line = Line(1, max_wait=0.2)
    with pytest.raises(LookupError):
        with line.turn():
            with line.turn():  # would wait for itself without being part of the run
                assert line.holding()
            raise LookupError("页面出错")
    assert not line.holding() and free(line) == 1 and line.waited_out == 0


def test_no_line_with_zero_slots():
    line = Line(0, max_wait=30)
    inside = threading.Barrier(3, timeout=10)  # all three inside at once, or this breaks

    def run():
        with line.turn():
            inside.wait()

    threads = [in_thread(run) for _ in range(2)]
    run()
    for t in threads:
        t.join(5)
    assert not inside.broken and line.waited_out == 0


@pytest.mark.parametrize(("value", "slots"), [(None, 1), ("2", 2), ("0", 0), ("-3", 0), ("两个", 1)])
def test_slots_from_the_environment(value, slots):
    assert admission.slots_from({} if value is None else {"COCKPIT_SCRIPT_SLOTS": value}) == slots


def test_the_entry_script_runs_the_page_in_its_turn(monkeypatch):
    """Test that the app's run waits for the line: while this thread holds the only turn, the 总览 run waits
    `max_wait` and is counted; once the turn is free, a run waits for nothing and gives it back."""
    line = Line(1, max_wait=0.5)
    monkeypatch.setattr(admission, "_line", line)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    with line.turn():
        at.run()
    assert not at.exception and at.metric
    assert line.waited_out == 1
    at.run()
    assert not at.exception and line.waited_out == 1
    assert free(line) == 1
