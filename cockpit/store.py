"""The only write path for data: atomic, serialised, versioned table replacement with a history log.

Layout of a data directory:
    <table>.parquet                       the current version of each table (what the dashboard reads)
    history/<table>/<version>.parquet     every committed version (the shipped one is kept as "初始")
    history/log.jsonl                     one JSON line per commit or rollback (who, when, file, hash, rows)

A commit writes a temporary file next to the table, fsyncs it, keeps a copy in history/, then swaps it in
with os.replace (atomic on POSIX) and appends the log line, all under a process-wide lock that is also a
file lock (so the command line and the app serialise too). A crash at any step leaves the table readable
as either the old or the new version; stray temporary files are removed the next time the lock is taken.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit.db import TABLES

INITIAL = "初始"
_THREAD_LOCK = threading.RLock()
_HELD = threading.local()  # how deep this thread is inside lock(): the file lock is taken once
# Fault injection for the crash tests: the process exits abruptly when it reaches this step.
CRASH_ENV = "COCKPIT_CRASH_AT"
STEPS = ("locked", "temp_written", "snapshot_written", "replaced", "logged")
OWN_DATA_MARKER = ".own_dataset"  # a directory holding its own dataset (cockpit.scale): never refreshed


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        os._exit(77)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_parquet(df: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> None:
    """Write and fsync a parquet file (no pandas index or schema metadata), in `schema` if given."""
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False).replace_schema_metadata(None)
    with open(path, "wb") as f:
        pq.write_table(table, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())


def atomic_write(path: Path, write, keep_as: Path | None = None) -> None:
    """Write a file atomically via `write(tmp_path)`: temp file next to it, fsync, os.replace, fsync dir.

    For files that are not tables (e.g. saved scenarios); the replaced file is copied to `keep_as` when
    given. A failure leaves the old file and no temp file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if keep_as is not None and path.exists():
            Path(keep_as).parent.mkdir(parents=True, exist_ok=True)
            _copy_synced(path, Path(keep_as))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _copy_synced(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + f".tmp-{os.getpid()}")
    shutil.copyfile(src, tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, dst)
    _fsync_dir(dst.parent)


@dataclass(frozen=True)
class Entry:
    """One line of the history log."""

    version: str
    table: str
    action: str            # 导入 / 回滚 / 修改
    user: str
    at: str                # ISO timestamp, local time
    source_name: str       # uploaded file name, or the version rolled back to
    source_sha256: str
    rows: int              # rows in the table after the action
    rows_new: int = 0
    rows_changed: int = 0
    note: str = ""


class DataStore:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.history_dir = self.directory / "history"
        self.log_path = self.history_dir / "log.jsonl"

    # -- reading ---------------------------------------------------------------------------
    def path(self, table: str) -> Path:
        if table not in TABLES:
            raise KeyError(f"未知数据表：{table}")
        return self.directory / f"{table}.parquet"

    def read(self, table: str) -> pd.DataFrame:
        path = self.path(table)
        return pd.read_parquet(path) if path.exists() else pd.DataFrame()

    def history(self) -> list[Entry]:
        """The log, oldest first; a torn last line (a crash mid-append) is skipped."""
        if not self.log_path.exists():
            return []
        entries = []
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(Entry(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return entries

    def versions(self, table: str) -> list[str]:
        """Kept versions of a table, oldest first (the shipped one is "初始")."""
        folder = self.history_dir / table
        if not folder.exists():
            return []
        names = sorted(p.stem for p in folder.glob("*.parquet") if p.stem != INITIAL)
        return ([INITIAL] if (folder / f"{INITIAL}.parquet").exists() else []) + names

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def lock(self):
        """Serialise writers: a re-entrant thread lock plus an exclusive file lock (other processes).

        Re-entrant within a thread, so a caller can hold it across read → validate → commit.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        with _THREAD_LOCK:
            depth = getattr(_HELD, "depth", 0)
            if depth:
                _HELD.depth = depth + 1
                try:
                    yield
                finally:
                    _HELD.depth = depth
                return
            with open(self.directory / ".lock", "a+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                _HELD.depth = 1
                try:
                    self._clean_temporaries()
                    yield
                finally:
                    _HELD.depth = 0
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _clean_temporaries(self) -> None:
        for tmp in list(self.directory.glob("*.tmp-*")) + list(self.history_dir.glob("*/*.tmp-*")):
            tmp.unlink(missing_ok=True)

    def _new_version(self, table: str) -> str:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        existing = set(self.versions(table))
        n = 1
        while f"{stamp}-{n:02d}" in existing:
            n += 1
        return f"{stamp}-{n:02d}"

    def _keep_initial(self, table: str) -> None:
        folder = self.history_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        initial = folder / f"{INITIAL}.parquet"
        if not initial.exists() and self.path(table).exists():
            _copy_synced(self.path(table), initial)

    def _append_log(self, entry: Entry) -> None:
        self.history_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def _swap_in(self, table: str, write_temp, entry_for) -> Entry:
        """The commit protocol shared by imports and rollbacks (caller holds the lock)."""
        _crash_point("locked")
        self._keep_initial(table)
        version = self._new_version(table)
        target = self.path(table)
        tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
        write_temp(tmp)
        _crash_point("temp_written")
        _copy_synced(tmp, self.history_dir / table / f"{version}.parquet")
        _crash_point("snapshot_written")
        os.replace(tmp, target)
        _fsync_dir(self.directory)
        _crash_point("replaced")
        entry = entry_for(version)
        self._append_log(entry)
        _crash_point("logged")
        return entry

    def commit(self, table: str, df: pd.DataFrame, *, user: str, action: str = "导入",
               source_name: str = "", source_sha256: str = "", rows_new: int = 0,
               rows_changed: int = 0, note: str = "") -> Entry:
        """Replace `table` with `df` atomically, keeping the previous version.

        The column types of the current file are kept (an import cannot change the schema).
        """
        with self.lock():
            path = self.path(table)
            schema = pq.read_schema(path).remove_metadata() if path.exists() else None
            if schema is not None:
                df = df[schema.names]
            return self._swap_in(
                table,
                lambda tmp: _write_parquet(df, tmp, schema),
                lambda version: Entry(version, table, action, user, _now(), source_name,
                                      source_sha256, len(df), rows_new, rows_changed, note),
            )

    def rollback(self, table: str, version: str, *, user: str) -> Entry:
        """Make a kept version current again (itself logged, so it can be undone)."""
        with self.lock():
            if version not in self.versions(table):
                raise KeyError(f"数据表 {table} 没有版本 {version}")
            source = self.history_dir / table / f"{version}.parquet"
            rows = pq.ParquetFile(source).metadata.num_rows
            return self._swap_in(
                table,
                lambda tmp: shutil.copyfile(source, tmp),
                lambda new_version: Entry(new_version, table, "回滚", user, _now(), version,
                                          file_sha256(source), rows, note=f"回滚到版本 {version}"),
            )


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def fingerprint(directory: Path) -> str:
    """Content hash of the table files in a directory (used to notice a changed shipped sample)."""
    h = hashlib.sha256()
    for table in TABLES:
        path = Path(directory) / f"{table}.parquet"
        if path.exists():
            h.update(table.encode() + file_sha256(path).encode())
    return h.hexdigest()


def ensure_working_dir(working: Path, sample: Path) -> Path:
    """Create the working data directory from the shipped sample on first start.

    A working directory into which nothing was ever imported follows the shipped sample (it is refreshed
    when the sample changes); once anything is imported it is never overwritten.
    """
    working, sample = Path(working), Path(sample)
    if working.resolve() == sample.resolve() or (working / OWN_DATA_MARKER).exists():
        return working
    store = DataStore(working)
    with store.lock():
        marker = working / ".sample_fingerprint"
        wanted = fingerprint(sample)
        missing = [t for t in TABLES if (sample / f"{t}.parquet").exists()
                   and not (working / f"{t}.parquet").exists()]
        stale = not store.history() and (not marker.exists() or marker.read_text() != wanted)
        if missing or stale:
            for table in TABLES:
                src = sample / f"{table}.parquet"
                if src.exists() and (stale or table in missing):
                    _copy_synced(src, working / f"{table}.parquet")
            marker.write_text(wanted)
    return working
