"""Snapshots (cockpit.data.db): the first process to open a data version writes its tables, summaries and macros to
one DuckDB file in the data directory's cache/; every other process and restart opens that file instead of loading
the parquet files and building the summaries again. The answers must be the same as without the file."""

import shutil

import duckdb
import pandas as pd
import pytest

from bench.run import default_params
from cockpit.data import db as dbmod
from cockpit.data.db import SAMPLE_DIR, SNAPSHOT_DIR, Database, query_names
from cockpit.data.store import DataStore


@pytest.fixture()
def zone_dir(tmp_path):
    """A copy of the sample's tables in a directory of its own."""
    for path in SAMPLE_DIR.glob("*.parquet"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.fixture()
def fills(monkeypatch):
    """The number of times the tables were loaded from the parquet files (a snapshot's build, or a process's own
    copy)."""
    calls = []
    real = Database._fill

    def counted(self, con, kind):
        calls.append(kind)
        return real(self, con, kind)

    monkeypatch.setattr(Database, "_fill", counted)
    return calls


def snapshots(directory):
    return sorted(p.name for p in (directory / SNAPSHOT_DIR).glob("*.duckdb"))


def test_the_first_open_writes_the_snapshot_and_the_next_opens_it(zone_dir, fills):
    """Test that the first Database of a data version builds its snapshot once and a second one only opens it."""
    first = Database(zone_dir)
    assert fills == ["table"]
    assert snapshots(zone_dir) == [f"{first.data_version()}-{dbmod._code_digest()}.duckdb"]
    second = Database(zone_dir)
    assert fills == ["table"], "the second open loaded the parquet files again"
    assert second.run("data_periods").equals(first.run("data_periods"))


def test_every_query_answers_the_same_from_the_snapshot(zone_dir, monkeypatch):
    """Test that each named query returns the same frame (values and dtypes) from the snapshot as from tables the
    process loads itself."""
    snap = Database(zone_dir)
    assert snapshots(zone_dir)
    monkeypatch.setenv(dbmod.SNAPSHOT_ENV, "0")
    own = Database(zone_dir)
    params = default_params(own)
    for name in query_names():
        pd.testing.assert_frame_equal(snap.run(name, params), own.run(name, params), obj=name)


def test_a_commit_makes_a_new_snapshot_and_removes_the_old(zone_dir):
    """Test that after a commit the next query sees the new rows, from a new snapshot, and the old file is gone."""
    db = Database(zone_dir)
    old = snapshots(zone_dir)
    store = DataStore(zone_dir)
    targets = store.read("targets")
    store.commit("targets", targets.iloc[:1], user="测试")
    cur = db._current().cursor()
    assert cur.execute("select count(*) from targets").fetchone()[0] == 1
    new = snapshots(zone_dir)
    assert len(new) == 1 and new != old


def test_a_damaged_snapshot_is_built_again(zone_dir, fills):
    """Test that a snapshot file that is not a DuckDB database is replaced, and the answers are right."""
    expected = Database(zone_dir).run("data_periods")
    (path,) = (zone_dir / SNAPSHOT_DIR).glob("*.duckdb")
    path.write_bytes(b"not a database" * 100)
    db = Database(zone_dir)
    assert fills == ["table", "table"]
    pd.testing.assert_frame_equal(db.run("data_periods"), expected)
    assert path.read_bytes()[:14] != b"not a database"


def test_the_snapshot_connection_is_locked_down(zone_dir, tmp_path_factory):
    """Test that queries on the snapshot can neither read outside the data directory nor write."""
    outside = tmp_path_factory.mktemp("outside") / "x.csv"
    outside.write_text("a\n1\n")
    cur = Database(zone_dir).con.cursor()
    with pytest.raises(duckdb.Error):
        cur.execute(f"select * from read_csv('{outside}')").fetchall()
    with pytest.raises(duckdb.Error):
        cur.execute("create table t as select 1").fetchall()
    with pytest.raises(duckdb.Error):
        cur.execute("set enable_external_access=true")


def test_a_directory_that_cannot_hold_snapshots_still_serves(zone_dir, fills):
    """Test that when cache/ cannot be made (a file of that name), the process loads its own tables and answers."""
    (zone_dir / SNAPSHOT_DIR).write_text("a file, not a directory")
    db = Database(zone_dir)
    assert fills == ["table"]
    assert len(db.run("data_periods")) > 0


def test_the_shipped_sample_gets_no_snapshot(fills):
    """Test that the app never writes into the shipped sample directory."""
    Database(SAMPLE_DIR)
    assert not (SAMPLE_DIR / SNAPSHOT_DIR).exists()


def test_large_data_is_served_by_views_until_the_snapshot_is_built(zone_dir, monkeypatch):
    """Test that above SYNC_LOAD_MB the views answer at once and the snapshot, built in the background, then serves."""
    monkeypatch.setattr(dbmod, "SYNC_LOAD_MB", 0)
    db = Database(zone_dir)
    expected = db.run("data_periods")
    assert db.wait_loaded(120)
    assert snapshots(zone_dir)
    assert db.con.execute("select current_setting('access_mode')").fetchone()[0] == "read_only"
    pd.testing.assert_frame_equal(db.run("data_periods"), expected)


def test_two_processes_opening_a_new_version_at_once_leave_one_snapshot(zone_dir):
    """Test that two replicas starting together on a new data version both answer, and leave one snapshot file and
    no temporary file."""
    import subprocess
    import sys

    script = "import sys; from cockpit.data.db import Database; print(len(Database(sys.argv[1]).run('data_periods')))"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(zone_dir)], stdout=subprocess.PIPE, text=True, cwd=dbmod.ROOT
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outs[0] == outs[1] and int(outs[0]) > 0
    assert len(snapshots(zone_dir)) == 1
    assert not [p.name for p in (zone_dir / SNAPSHOT_DIR).iterdir() if ".tmp-" in p.name]
