"""The only write path for data: atomic, serialised, versioned commits of one table or several at once.

Layout of a data directory:
    <table>.parquet                       the current version of each table (what the dashboard reads)
    zone.toml                             the zone's identity (cockpit.data.zone)
    history/<table>/<version>.parquet     every committed version ("初始" = the table before its first commit,
                                          or the empty zone made by `cockpit.data.zone init`)
    history/log.jsonl                     one JSON line per table per commit or rollback (who, when, file, hash,
                                          rows); the tables of one commit share its version
    journal.json                          only while a commit is in progress (or was interrupted)
    .lock / .swap.lock                    writers' lock / the lock readers share while loading

A commit of any number of tables is all or nothing:
  1. under the writers' lock (thread lock + exclusive flock on .lock, so the app and the command line
     serialise) the journal is written as "prepared" (version, tables);
  2. every table is written to a temporary file next to it and fsynced, then copied to history/;
  3. the journal becomes "committed" (with each snapshot's SHA-256): from here on the commit happens;
  4. holding .swap.lock exclusively, every temporary file replaces its table (os.replace), the log lines are
     appended and the journal is removed.
A crash before 3 is undone the next time the lock is taken (temporaries and snapshots removed); a crash after 3
is completed (each table copied from its snapshot, the missing log lines appended). Readers
(`cockpit.data.db.Database`) take .swap.lock shared while they fingerprint and load the files, and do not load while a
committed journal is present, so they never see some tables of a commit without the others.
Fault injection for the crash tests: the process exits abruptly at the step named by COCKPIT_CRASH_AT.
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
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit.data.schema import SPECS, arrow_schema, empty_frame

TABLES = tuple(SPECS)
INITIAL = "初始"
JOURNAL = "journal.json"
SWAP_LOCK = ".swap.lock"
SAMPLE_COPY = ".sample_copy.json"  # files ensure_working_dir copied from the sample, with their hashes
LEGACY_MARKER = ".sample_fingerprint"  # the former marker (whole-directory fingerprint of the copy)
_THREAD_LOCK = threading.RLock()
_HELD = threading.local()  # how deep this thread is inside lock(): the file lock is taken once
CRASH_ENV = "COCKPIT_CRASH_AT"
STEPS = ("locked", "prepared", "temp_written", "snapshot_written", "committed", "replaced_one", "replaced", "logged")


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

    For files that are not tables (zone.toml, saved scenarios); the replaced file is copied to `keep_as` when
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


# -- the declared schema on disk -------------------------------------------------------------------


def file_schema(table: str, path: Path | None) -> pa.Schema:
    """The schema a commit writes: the declared columns, then any extra column the current file has (kept)."""
    declared = arrow_schema(table)
    if path is None or not Path(path).exists():
        return declared
    current = pq.read_schema(path).remove_metadata()
    extra = [f for f in current if f.name not in declared.names]
    return pa.schema(list(declared) + extra)


def conform(table: str, df: pd.DataFrame, schema: pa.Schema | None = None) -> pd.DataFrame:
    """`df` with every column of `schema` (default: the declared ones, then any other column `df` has):
    missing ones added empty, blanks of columns with a stored blank value (a 全区 target's 范围代码 is '')
    filled in."""
    names = (
        schema.names
        if schema is not None
        else SPECS[table].names + [c for c in df.columns if c not in SPECS[table].names]
    )
    out = df.copy()
    for name in names:
        if name not in out:
            out[name] = None
    for col in SPECS[table].columns:
        if col.blank is not None and out[col.name].isna().any():
            out[col.name] = out[col.name].astype(object).where(out[col.name].notna(), col.blank)
    return out[names]


def needs_upgrade(table: str, path: Path) -> bool:
    """True when the file lacks a declared column or holds null where the declaration stores a blank."""
    names = pq.read_schema(path).names
    if any(c not in names for c in SPECS[table].names):
        return True
    blanks = [c.name for c in SPECS[table].columns if c.blank is not None]
    if not blanks:
        return False
    counts = pq.read_table(path, columns=blanks).to_pandas().isna().sum()
    return bool(counts.any())


# -- readers ---------------------------------------------------------------------------------------


def journal_pending(directory: Path) -> bool:
    """True while a committed multi-table change is not yet complete on disk (readers must not load)."""
    path = Path(directory) / JOURNAL
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("state") == "committed"
    except (OSError, ValueError):
        return False


@contextmanager
def reading(directory: Path):
    """Hold the readers' lock (shared) while fingerprinting or loading the tables; yields True when an
    interrupted commit must be completed first (see DataStore.recover)."""
    try:
        fh = open(Path(directory) / SWAP_LOCK, "rb")
    except OSError:  # no writer ever worked here (e.g. the shipped sample): nothing to wait for
        yield journal_pending(directory)
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        try:
            yield journal_pending(directory)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Entry:
    """One line of the history log (one table of one commit)."""

    version: str
    table: str
    action: str  # 导入 / 回滚 / 修改目标 / 建立
    user: str
    at: str  # ISO timestamp, local time
    source_name: str  # uploaded file name, or the version rolled back to
    source_sha256: str
    rows: int  # rows in the table after the action
    rows_new: int = 0
    rows_changed: int = 0
    note: str = ""
    rows_deleted: int = 0
    mode: str = ""  # 追加更新 / 整表替换 / 按期间替换 / 删除 (imports)
    tables: int = 1  # how many tables this commit changed together

    @classmethod
    def load(cls, raw: dict) -> Entry:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})


@dataclass(frozen=True)
class Change:
    """One table of a commit: its new content (a frame, or a file to copy) and its log line's fields."""

    table: str
    frame: pd.DataFrame | None = None
    copy_from: Path | None = None
    action: str = "导入"
    source_name: str = ""
    source_sha256: str = ""
    rows_new: int = 0
    rows_changed: int = 0
    rows_deleted: int = 0
    mode: str = ""
    note: str = ""


class DataStore:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.history_dir = self.directory / "history"
        self.log_path = self.history_dir / "log.jsonl"
        self.journal_path = self.directory / JOURNAL

    # -- reading ---------------------------------------------------------------------------
    def path(self, table: str) -> Path:
        if table not in TABLES:
            raise KeyError(f"未知数据表：{table}")
        return self.directory / f"{table}.parquet"

    def read(self, table: str) -> pd.DataFrame:
        """The table with every declared column (an empty, typed frame when the file is missing)."""
        path = self.path(table)
        if not path.exists():
            return empty_frame(table)
        df = pd.read_parquet(path)
        missing = [c for c in SPECS[table].names if c not in df]
        return conform(table, df, file_schema(table, path)) if missing else df

    def codes(self) -> dict[str, pd.DataFrame]:
        """The code tables a template's 代码表 lists (行业, 片区, 地块, 指标)."""
        return {t: self.read(t) for t in ("sectors", "areas", "parcels", "indicators")}

    def history(self) -> list[Entry]:
        """The log, oldest first; a torn last line (a crash mid-append) is skipped."""
        if not self.log_path.exists():
            return []
        entries = []
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(Entry.load(json.loads(line)))
            except (ValueError, TypeError):
                continue
        return entries

    def versions(self, table: str) -> list[str]:
        """Kept versions of a table, oldest first (the first one is "初始")."""
        folder = self.history_dir / table
        if not folder.exists():
            return []
        names = sorted(p.stem for p in folder.glob("*.parquet") if p.stem != INITIAL)
        return ([INITIAL] if (folder / f"{INITIAL}.parquet").exists() else []) + names

    def points(self) -> list[dict]:
        """The versions a whole-directory rollback can return to, newest first: one per commit, with the
        tables it changed ("初始" last, when any table has one)."""
        out: dict[str, dict] = {}
        for e in self.history():
            p = out.setdefault(
                e.version,
                {
                    "version": e.version,
                    "action": e.action,
                    "at": e.at,
                    "user": e.user,
                    "source": e.source_name,
                    "tables": [],
                },
            )
            p["tables"].append(e.table)
        points = list(reversed(out.values()))
        if INITIAL not in out and any((self.history_dir / t / f"{INITIAL}.parquet").exists() for t in TABLES):
            points.append({"version": INITIAL, "action": "初始", "at": "", "user": "", "source": "", "tables": []})
        return points

    def state_at(self, version: str) -> dict[str, Path]:
        """The snapshot each table had right after `version` (tables unchanged since are left out)."""
        entries = self.history()
        marks = [i for i, e in enumerate(entries) if e.version == version]
        if not marks and version != INITIAL:
            raise KeyError(f"没有版本 {version}")
        upto = marks[-1] if marks else -1
        out = {}
        for table in TABLES:
            last = next((e for e in reversed(entries[: upto + 1]) if e.table == table), None)
            snap = self.history_dir / table / f"{last.version if last else INITIAL}.parquet"
            if snap.exists():
                out[table] = snap
        return out

    # -- the writers' lock and recovery ----------------------------------------------------
    @contextmanager
    def lock(self):
        """Serialise writers: a re-entrant thread lock plus an exclusive file lock (other processes).

        Re-entrant within a thread, so a caller can hold it across read → validate → commit. Taking it
        first completes or undoes an interrupted commit and removes stray temporary files.
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
                    (self.directory / SWAP_LOCK).touch(exist_ok=True)
                    self.recover()
                    yield
                finally:
                    _HELD.depth = 0
                    fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def _swapping(self):
        with open(self.directory / SWAP_LOCK, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def recover(self) -> str:
        """Complete ("completed") or undo ("undone") an interrupted commit; "" when there was none.
        Call with the writers' lock held (lock() does)."""
        outcome = ""
        journal = self._read_journal()
        if journal is not None:
            version, tables = journal["version"], journal["tables"]
            if journal["state"] == "committed":
                with self._swapping():
                    for table, sha in tables.items():
                        snap = self.history_dir / table / f"{version}.parquet"
                        target = self.path(table)
                        if not target.exists() or file_sha256(target) != sha:
                            _copy_synced(snap, target)
                    logged = {(e.version, e.table) for e in self.history()}
                    for raw in journal["entries"]:
                        if (raw["version"], raw["table"]) not in logged:
                            self._append_log(Entry.load(raw))
                    self.journal_path.unlink()
                    _fsync_dir(self.directory)
                outcome = "completed"
            else:
                for table in tables:
                    if version != INITIAL:
                        (self.history_dir / table / f"{version}.parquet").unlink(missing_ok=True)
                self.journal_path.unlink()
                _fsync_dir(self.directory)
                outcome = "undone"
        for tmp in list(self.directory.glob("*.tmp-*")) + list(self.history_dir.glob("*/*.tmp-*")):
            tmp.unlink(missing_ok=True)
        return outcome

    def _read_journal(self) -> dict | None:
        try:
            return json.loads(self.journal_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def _write_journal(self, content: dict) -> None:
        text = json.dumps(content, ensure_ascii=False)
        atomic_write(self.journal_path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def _new_version(self) -> str:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        taken = {e.version for e in self.history()}
        n = 1
        while f"{stamp}-{n:02d}" in taken or any(
            (self.history_dir / t / f"{stamp}-{n:02d}.parquet").exists() for t in TABLES
        ):
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

    # -- writing ---------------------------------------------------------------------------
    def commit_changes(self, changes: list[Change], *, user: str, version: str | None = None) -> list[Entry]:
        """Commit several tables as one version (all of them or none; see the module docstring)."""
        if not changes:
            return []
        with self.lock():
            _crash_point("locked")
            tables = [c.table for c in changes]
            if len(set(tables)) != len(tables):
                raise ValueError("同一次提交中数据表重复")
            for table in tables:
                self._keep_initial(table)
            version = version or self._new_version()
            self._write_journal({"state": "prepared", "version": version, "tables": {t: "" for t in tables}})
            _crash_point("prepared")
            temps = {}
            for c in changes:
                target = self.path(c.table)
                tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
                if c.copy_from is not None:
                    shutil.copyfile(c.copy_from, tmp)
                    with open(tmp, "rb+") as f:
                        os.fsync(f.fileno())
                else:
                    schema = file_schema(c.table, target)
                    _write_parquet(conform(c.table, c.frame, schema), tmp, schema)
                temps[c.table] = tmp
            _crash_point("temp_written")
            shas = {}
            for table, tmp in temps.items():
                (self.history_dir / table).mkdir(parents=True, exist_ok=True)
                _copy_synced(tmp, self.history_dir / table / f"{version}.parquet")
                shas[table] = file_sha256(tmp)
            _crash_point("snapshot_written")
            now = _now()
            entries = [
                Entry(
                    version,
                    c.table,
                    c.action,
                    user,
                    now,
                    c.source_name,
                    c.source_sha256,
                    pq.ParquetFile(temps[c.table]).metadata.num_rows,
                    c.rows_new,
                    c.rows_changed,
                    c.note,
                    c.rows_deleted,
                    c.mode,
                    len(changes),
                )
                for c in changes
            ]
            with self._swapping():
                self._write_journal(
                    {"state": "committed", "version": version, "tables": shas, "entries": [asdict(e) for e in entries]}
                )
                _crash_point("committed")
                for i, (table, tmp) in enumerate(temps.items()):
                    os.replace(tmp, self.path(table))
                    if i == 0:
                        _crash_point("replaced_one")
                _fsync_dir(self.directory)
                _crash_point("replaced")
                for e in entries:
                    self._append_log(e)
                _crash_point("logged")
                self.journal_path.unlink()
                _fsync_dir(self.directory)
            return entries

    def commit(
        self,
        table: str,
        df: pd.DataFrame,
        *,
        user: str,
        action: str = "导入",
        source_name: str = "",
        source_sha256: str = "",
        rows_new: int = 0,
        rows_changed: int = 0,
        note: str = "",
        rows_deleted: int = 0,
        mode: str = "",
    ) -> Entry:
        """Replace one table with `df` atomically, keeping the previous version. The file keeps the declared
        columns (and any extra column it already had); missing optional columns are added empty."""
        return self.commit_changes(
            [
                Change(
                    table,
                    df,
                    None,
                    action,
                    source_name,
                    source_sha256,
                    rows_new,
                    rows_changed,
                    rows_deleted,
                    mode,
                    note,
                )
            ],
            user=user,
        )[0]

    def _restore(self, table: str, source: Path, *, user: str, note: str, target: str) -> Change:
        """A change that makes snapshot `source` current again (rewritten when it lacks declared columns)."""
        common = dict(action="回滚", source_name=target, source_sha256=file_sha256(source), note=note)
        if needs_upgrade(table, source):
            return Change(table, frame=pd.read_parquet(source), **common)
        return Change(table, copy_from=source, **common)

    def rollback(self, table: str, version: str, *, user: str) -> Entry:
        """Make a kept version of one table current again (itself logged, so it can be undone)."""
        with self.lock():
            if version not in self.versions(table):
                raise KeyError(f"数据表 {table} 没有版本 {version}")
            source = self.history_dir / table / f"{version}.parquet"
            change = self._restore(table, source, user=user, note=f"回滚到版本 {version}", target=version)
            return self.commit_changes([change], user=user)[0]

    def rollback_plan(self, version: str) -> pd.DataFrame:
        """What `rollback_to(version)` would change: 数据表 / 当前行数 / 回滚后行数, one row per table."""
        rows = []
        for table, snap in self.state_at(version).items():
            current = self.path(table)
            if current.exists() and file_sha256(current) == file_sha256(snap):
                continue
            now = pq.ParquetFile(current).metadata.num_rows if current.exists() else 0
            rows.append(
                {"数据表": SPECS[table].title, "当前行数": now, "回滚后行数": pq.ParquetFile(snap).metadata.num_rows}
            )
        return pd.DataFrame(rows, columns=["数据表", "当前行数", "回滚后行数"])

    def rollback_to(self, version: str, *, user: str) -> list[Entry]:
        """Return every table to its state right after `version` ("初始": before the first import, or the
        empty zone), as one commit; tables already in that state are left alone. Returns the log lines."""
        with self.lock():
            changes = []
            for table, snap in self.state_at(version).items():
                current = self.path(table)
                if current.exists() and file_sha256(current) == file_sha256(snap):
                    continue
                changes.append(self._restore(table, snap, user=user, note=f"整体回滚到版本 {version}", target=version))
            return self.commit_changes(changes, user=user)

    def create_zone(self, frames: dict[str, pd.DataFrame], *, user: str, note: str) -> list[Entry]:
        """Write a new zone's tables as version "初始" (the empty zone a rollback can return to)."""
        changes = [Change(t, df, action="建立", note=note) for t, df in frames.items()]
        return self.commit_changes(changes, user=user, version=INITIAL)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def history_frame(store: DataStore) -> pd.DataFrame:
    """The history, one row per commit (its tables together), newest first, with Chinese column names."""
    columns = ["版本", "操作", "方式", "经办人", "时间", "来源", "数据表", "新增", "修改", "删除", "备注"]
    rows: dict[str, dict] = {}
    for e in store.history():
        title = SPECS[e.table].title if e.table in SPECS else e.table
        row = rows.setdefault(
            e.version,
            {
                "版本": e.version,
                "操作": e.action,
                "方式": e.mode,
                "经办人": e.user,
                "时间": e.at,
                "来源": e.source_name,
                "数据表": [],
                "新增": 0,
                "修改": 0,
                "删除": 0,
                "备注": e.note if e.tables == 1 else "",
            },
        )
        row["数据表"].append(f"{title} {e.rows} 行")
        row["新增"] += e.rows_new
        row["修改"] += e.rows_changed
        row["删除"] += e.rows_deleted
    out = [{**r, "数据表": "、".join(r["数据表"])} for r in reversed(rows.values())]
    return pd.DataFrame(out, columns=columns)


# -- the working directory -------------------------------------------------------------------------


def fingerprint(directory: Path) -> str:
    """Content hash of the table files in a directory (the former sample marker's value)."""
    h = hashlib.sha256()
    for table in _LEGACY_TABLES:
        path = Path(directory) / f"{table}.parquet"
        if path.exists():
            h.update(table.encode() + file_sha256(path).encode())
    return h.hexdigest()


# the table order the former marker hashed in
_LEGACY_TABLES = (
    "sectors",
    "areas",
    "parcels",
    "enterprises",
    "enterprise_month",
    "county_month",
    "projects",
    "project_month",
    "bond_events",
    "land_actions",
    "hazards",
    "accidents",
    "trainings",
    "risk_assessments",
    "targets",
    "indicators",
)


def _sample_files(sample: Path) -> list[str]:
    from cockpit.data.zone import ZONE_FILE

    names = [f"{t}.parquet" for t in TABLES] + [ZONE_FILE]
    return [n for n in names if (sample / n).exists()]


def _copied(working: Path) -> dict[str, str] | None:
    """What ensure_working_dir copied from the sample (file → SHA-256), or None for a zone of its own."""
    manifest = working / SAMPLE_COPY
    if manifest.exists():
        try:
            return json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            return None
    legacy = working / LEGACY_MARKER
    if legacy.exists() and legacy.read_text().strip() == fingerprint(working):
        # the former marker: every table file is still the sample's copy
        return {
            f"{t}.parquet": file_sha256(working / f"{t}.parquet")
            for t in _LEGACY_TABLES
            if (working / f"{t}.parquet").exists()
        }
    return None


def ensure_working_dir(working: Path, sample: Path) -> Path:
    """Prepare a working data directory (called on every start and by the command lines).

    - A directory with no tables and no zone.toml is made a copy of the shipped sample (tables and zone.toml).
    - A copy into which nothing was imported follows the sample: a file is replaced only while it is
      byte-identical to the copy made here (so a file written by hand is never overwritten).
    - Nothing else is ever overwritten: a missing table is created empty, with its declared schema.
    - Schema evolution: a column added to a declaration (cockpit.data.schema) is added, empty, to existing files;
      blanks stored as null where the declaration stores a value (全区 targets' 范围代码 '') are filled in.
    """
    working, sample = Path(working), Path(sample)
    if working.resolve() == sample.resolve():
        return working
    store = DataStore(working)
    with store.lock():
        from cockpit.data.zone import ZONE_FILE

        if (working / LEGACY_MARKER).exists() and not (working / ZONE_FILE).exists() and (sample / ZONE_FILE).exists():
            _copy_synced(sample / ZONE_FILE, working / ZONE_FILE)  # made from the sample before zone.toml existed
        copied = _copied(working)
        fresh = not any((working / n).exists() for n in _sample_files(sample) + ["zone.toml"])
        if fresh:
            copied = {}
        if copied is not None and (fresh or not store.history()):
            for name in _sample_files(sample):
                src, dst = sample / name, working / name
                if dst.exists() and file_sha256(dst) != copied.get(name):
                    continue  # changed since it was copied: not ours to replace
                wanted = file_sha256(src)
                if not dst.exists() or copied.get(name) != wanted:
                    _copy_synced(src, dst)
                    copied[name] = wanted
            atomic_write(
                working / SAMPLE_COPY,
                lambda tmp: Path(tmp).write_text(json.dumps(copied, ensure_ascii=False, indent=0)),
            )
            (working / LEGACY_MARKER).unlink(missing_ok=True)
        evolve(store)
    return working


def evolve(store: DataStore) -> list[str]:
    """Create missing tables empty and add declared columns missing from existing files; returns the tables
    rewritten. Not logged (the content does not change); call with the writers' lock held."""
    changed = []
    with store._swapping():
        for table in TABLES:
            path = store.path(table)
            if not path.exists():
                schema = arrow_schema(table)
                atomic_write(path, lambda tmp, t=table, s=schema: _write_parquet(empty_frame(t), tmp, s))
                changed.append(table)
            elif needs_upgrade(table, path):
                schema = file_schema(table, path)
                df = conform(table, pd.read_parquet(path), schema)
                atomic_write(path, lambda tmp, d=df, s=schema: _write_parquet(d, tmp, s))
                changed.append(table)
    return changed
