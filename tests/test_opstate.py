"""The operational-state database: WAL, commits, rollbacks, concurrent writers in separate processes."""

import subprocess
import sys

import pytest
from conftest import ROOT

from cockpit.data import opstate

DDL = "create table if not exists counter (id integer primary key, n integer not null)"


def _bump(directory, times):
    for _ in range(times):
        with opstate.connect(directory) as con:
            opstate.ensure(con, DDL)
            con.execute("insert or ignore into counter values (1, 0)")
            n = con.execute("select n from counter where id = 1").fetchone()["n"]
            con.execute("update counter set n = ? where id = 1", (n + 1,))


def test_state_is_committed_and_survives_a_new_connection(tmp_path):
    """Test that a committed write is seen by a later connection and the journal is WAL."""
    _bump(tmp_path, 1)
    with opstate.connect(tmp_path) as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert con.execute("select n from counter").fetchone()["n"] == 1


def test_an_exception_rolls_back(tmp_path):
    """Test that a block that raises leaves no write behind."""
    _bump(tmp_path, 1)
    with pytest.raises(RuntimeError):
        with opstate.connect(tmp_path) as con:
            con.execute("update counter set n = 99")
            raise RuntimeError("boom")
    with opstate.connect(tmp_path) as con:
        assert con.execute("select n from counter").fetchone()["n"] == 1


def test_concurrent_writers_in_two_processes_lose_no_update(tmp_path):
    """Test that two processes incrementing the same row 50 times each end at 100 (read-modify-write
    under the immediate write lock). The writers are plain interpreters (not multiprocessing children, which
    would re-run whatever script an AppTest left as __main__)."""
    code = "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import test_opstate as t; t._bump(sys.argv[3], 50)"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(ROOT / "tests"), str(tmp_path)]) for _ in range(2)
    ]
    assert [p.wait(120) for p in procs] == [0, 0]
    with opstate.connect(tmp_path) as con:
        assert con.execute("select n from counter").fetchone()["n"] == 100


def test_reads_do_not_wait_for_a_writer(tmp_path):
    """Test that the 推演 scenarios and the 预警 tally are read while another connection holds the write lock (a
    save or a 交办 under way): WAL readers wait for nobody. Reads through `connect` (the write lock) waited the
    busy timeout, then failed."""
    import datetime as dt
    import time

    from cockpit.domain import alerts_state, scenarios
    from cockpit.domain.alerts import Period

    scenarios.save_custom(tmp_path, "甲", {"新材料": 5.0}, 2024)
    alerts_state.sync(tmp_path, [], Period(2024, 9, dt.date(2024, 10, 25)))
    scenarios.load_custom(tmp_path), alerts_state.tally(tmp_path)  # this process has read them before (tables made)
    with opstate.connect(tmp_path) as con:
        con.execute("create table if not exists held (x)")  # the write lock is held until the block ends
        t0 = time.perf_counter()
        assert list(scenarios.load_custom(tmp_path)) == ["甲"]
        assert [h["version"] for h in scenarios.history(tmp_path, "甲")] == [1]
        assert alerts_state.tally(tmp_path).empty and alerts_state.last_run(tmp_path)["raised"] == 0
        assert time.perf_counter() - t0 < opstate.BUSY_TIMEOUT_MS / 1000 / 2
