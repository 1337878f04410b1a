"""Operational state that several sessions change (login lockout, 督办 status, delivery log, …).

Facts stay in parquet (versioned, swapped atomically by `cockpit.data.store`); what sessions and jobs change
while the app runs lives in one embedded SQLite database in the data directory, `state.sqlite`: WAL mode
(readers never wait for the writer), a busy timeout (concurrent writers queue instead of failing), and
survives restarts. Each feature declares its own tables with `ensure(con, ddl)`; nothing here knows them.

    with opstate.connect(directory) as con:      # a short-lived connection, committed on success
        opstate.ensure(con, "create table if not exists … ")
        con.execute("insert … values (?, ?)", (a, b))   # values only ever as bound parameters
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

FILE_NAME = "state.sqlite"
BUSY_TIMEOUT_MS = 10_000


def path(directory: Path) -> Path:
    return Path(directory) / FILE_NAME


@contextmanager
def connect(directory: Path):
    """A connection to the data directory's state database: committed when the block ends normally,
    rolled back on an exception, always closed."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path(directory), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute("pragma journal_mode=wal")
        con.execute(f"pragma busy_timeout={BUSY_TIMEOUT_MS}")
        con.execute("pragma synchronous=normal")
        con.execute("pragma foreign_keys=on")
        con.row_factory = sqlite3.Row
        con.execute("begin immediate")  # take the write lock up front: no deadlock between writers
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
    finally:
        con.close()


_prepared: set[tuple[str, str]] = set()  # (state file, feature) whose tables this process has made (or found)


@contextmanager
def reading(directory: Path, feature: str, prepare: Callable[[], None]):
    """A connection for reads only: no write lock (in WAL mode readers wait for no writer and no other reader;
    `connect` takes the write lock up front, so every rerun that read through it queued behind the others).
    `prepare()` — making the feature's tables, through `connect` — runs once per process and state file."""
    where = path(directory)
    if (str(where), feature) not in _prepared or not where.exists():
        prepare()
        _prepared.add((str(where), feature))
    con = sqlite3.connect(where, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute("pragma query_only=1")
        con.row_factory = sqlite3.Row
        yield con
    finally:
        con.close()


def ensure(con: sqlite3.Connection, ddl: str) -> None:
    """Create a feature's tables/indexes (idempotent `create … if not exists` statements)."""
    for statement in (s.strip() for s in ddl.split(";")):
        if statement:
            con.execute(statement)
