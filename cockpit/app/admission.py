"""Script runs take turns: at most `SLOTS` page runs execute at once in a process, the others wait in line.

Streamlit runs every session's script in its own thread of one process, under one interpreter lock. When a meeting
room clicks at once, each run gets a 5 ms slice in turn, so all of them finish late together (the last click's
time for everybody). Worse, the event loop that sends the finished pages to the browsers is one more thread
competing for the same lock, so delivery slows as the queue grows and a burst of clicks can snowball (bench/load.py
on one process: see README 性能). In line, the first click is served at once and the last no later than before.

A run that waits for something other than the interpreter (an import's child process, another thread's warning
evaluation) steps aside (`aside`) so the line moves on. A run that waited `MAX_WAIT` seconds goes ahead anyway:
a stuck run can slow the others, never stop them.

Set `COCKPIT_SCRIPT_SLOTS` (default 1) to let more runs execute at once; 0 switches the line off.
Not in line: the prefetch pool's queries (cockpit.app.prefetch, mostly DuckDB, which releases the lock) and
fragment reruns, which do not run the entry script.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_WAIT = 5.0  # seconds a run waits for its turn before it runs anyway


def slots_from(environ=os.environ) -> int:
    """The number of runs at once from COCKPIT_SCRIPT_SLOTS (default 1; 0 = no line); a bad value is 1."""
    try:
        return max(0, int(environ.get("COCKPIT_SCRIPT_SLOTS", "1")))
    except ValueError:
        return 1


class Line:
    """At most `slots` holders at once; a thread holds at most one turn (a nested `turn` is part of it)."""

    def __init__(self, slots: int, max_wait: float = MAX_WAIT):
        self.slots = slots
        self.max_wait = max_wait
        self._free = threading.Semaphore(max(slots, 1))
        self._held = threading.local()
        self._lock = threading.Lock()
        self.waited_out = 0  # runs that went ahead after max_wait (a sign that slots are held too long)

    def holding(self) -> bool:
        return getattr(self._held, "turn", False)

    def _acquire(self) -> bool:
        if self._free.acquire(timeout=self.max_wait):
            self._held.turn = True
            return True
        with self._lock:
            self.waited_out += 1
        return False

    def _release(self) -> None:
        self._held.turn = False
        self._free.release()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Run the block in this thread's turn (waiting for it, at most `max_wait` seconds)."""
        if self.slots == 0 or self.holding():
            yield
            return
        got = self._acquire()
        try:
            yield
        finally:
            if got and self.holding():
                self._release()

    @contextmanager
    def aside(self) -> Iterator[None]:
        """Give the turn up while the block waits on something other than the interpreter; take it back after."""
        if not self.holding():
            yield
            return
        self._release()
        try:
            yield
        finally:
            self._acquire()


_line = Line(slots_from())


def turn():
    """The script run's turn (the entry script runs the page inside it)."""
    return _line.turn()


def aside():
    """Step out of the line while waiting (an import's child process, another thread's result)."""
    return _line.aside()
