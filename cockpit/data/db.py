"""DuckDB over the parquet files: one locked-down connection, a view per table, named queries.

Nothing here knows about Streamlit. `Database.run(name, params)` reads `queries/<name>.sql`, binds the
parameters the file declares in its header (`-- params: $year INTEGER, ...`) and returns a DataFrame.
User values only ever reach SQL as bound `$name` parameters; query and table names come from whitelists.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from cockpit.data.dimensions import ALL, Scope, followed, with_scope
from cockpit.data.schema import SPECS, arrow_schema

ROOT = Path(__file__).resolve().parent.parent.parent
QUERY_DIR = ROOT / "queries"
MACRO_DIR = QUERY_DIR / "macros"
KEY_MACROS = MACRO_DIR / "keys.sql"  # the filter dimensions' key columns: loaded before the summaries group by them
MATERIALIZED_DIR = QUERY_DIR / "materialized"  # summary tables built from the loaded tables
SAMPLE_DIR = ROOT / "data"  # the shipped sample: read-only for the app
DEFAULT_DATA_DIR = SAMPLE_DIR  # (old name, kept for callers that read the sample)
WORKING_DIR = ROOT / "var" / "data"  # default working data directory, made from the sample
# Tables are copied into memory when the parquet files together are at most this many MB (env
# COCKPIT_IN_MEMORY_MAX_MB; 0 = always views); larger data stays on disk behind views.
IN_MEMORY_MAX_MB = 2048
SYNC_LOAD_MB = 32  # up to this size the tables load before the first query; larger ones in the background
# Snapshots: the first process to open a data version writes its tables, summaries and macros to one DuckDB file,
# cache/<version>-<code>.duckdb in the data directory; every other process (replicas, restarts) opens that file
# read-only instead of loading the parquet files and building the summaries again. Env COCKPIT_DB_SNAPSHOT=0: none.
SNAPSHOT_DIR = "cache"
SNAPSHOT_ENV = "COCKPIT_DB_SNAPSHOT"
SNAPSHOT_TMP_AGE_S = 3600  # a temporary snapshot file younger than this may be another process's build

# Whitelist of tables: a view is made for each parquet file of these names, and for nothing else.
TABLES = tuple(SPECS)
# Optional tables: when a zone's directory has no file for one, an empty table of its declared columns stands in,
# so the queries that read it still run (e.g. no 工业生产者出厂价格指数 → 增加值 growth stays at current prices).
OPTIONAL_TABLES = ("price_index",)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)\s+([A-Z]+(?:\[\])?)")


def data_dir() -> Path:
    """The working data directory: $COCKPIT_DATA_DIR, else `var/data` (initialised from `data/`).

    Imports write here; the shipped sample in `data/` is never modified by the app.
    """
    raw = os.environ.get("COCKPIT_DATA_DIR", str(WORKING_DIR))
    return _resolved(raw, "" if os.path.isabs(raw) else os.getcwd())


@lru_cache(maxsize=16)
def _resolved(raw: str, cwd: str) -> Path:
    """`raw` (relative to `cwd` when it is not absolute) made absolute with its links resolved, once per value: a
    rerun asks for the directory several times, and resolving costs a system call per path component, each of
    which lets the other sessions' threads take the interpreter first. A directory's links are not expected to
    change while the server runs."""
    return (Path(cwd) / raw).resolve() if cwd else Path(raw).resolve()


@dataclass(frozen=True)
class QuerySpec:
    name: str
    purpose: str
    params: dict[str, str]  # name → DuckDB type, in header order
    grain: str
    sql: str
    follows: frozenset = ALL  # the filter dimensions its SQL applies (dimensions.followed): the rest cannot change it

    def narrowed(self, key: tuple) -> tuple:
        """A cache key ((parameter, value) pairs) with its scope reduced to the dimensions this query follows: a
        query that reads only the 片区 gives the same rows whatever the 产业链, so a 产业链 change finds it cached."""
        if self.follows == ALL or "scope" not in self.params:
            return key
        return tuple((k, v.only(self.follows) if k == "scope" and isinstance(v, Scope) else v) for k, v in key)


def query_names() -> list[str]:
    """Every named query (the whitelist of names `run` accepts)."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def parse_header(name: str, sql: str) -> QuerySpec:
    """Read the `-- purpose:`, `-- params:` and `-- grain:` header lines of a query file."""
    fields: dict[str, str] = {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        key, _, value = line[2:].strip().partition(":")
        if key in ("purpose", "params", "grain"):
            fields[key] = (fields.get(key, "") + " " + value.strip()).strip()
    missing = [k for k in ("purpose", "params", "grain") if k not in fields]
    if missing:
        raise ValueError(f"查询 {name}.sql 缺少文件头: {', '.join(missing)}")
    params = dict(_PARAM.findall(fields["params"]))
    return QuerySpec(name, fields["purpose"], params, fields["grain"], sql, followed(sql))


@lru_cache(maxsize=None)
def load_query(name: str) -> QuerySpec:
    if not _NAME.match(name) or name not in query_names():
        raise KeyError(f"没有名为 {name!r} 的查询")
    path = QUERY_DIR / f"{name}.sql"
    return parse_header(name, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def materialized() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(table name, SELECT, tables it reads) of each summary in queries/materialized/, built by every new
    connection whose data directory has those tables.

    Always real tables, also when the facts stay on disk behind views: one scan at load time instead of one
    per query. A data import makes a new data version, hence a new connection and fresh summaries.
    """
    out = []
    for path in sorted(MATERIALIZED_DIR.glob("*.sql")):
        if not _NAME.match(path.stem) or path.stem in TABLES:
            raise ValueError(f"汇总表名 {path.stem!r} 不合法")
        sql = path.read_text(encoding="utf-8")
        read = _tables_read(sql) | {t for m, ts in _macro_tables().items() if re.search(rf"\b{m}\(", sql) for t in ts}
        sources = tuple(t for t in TABLES if t in read)
        out.append((path.stem, sql, sources))
    return tuple(out)


def _tables_read(sql: str) -> set[str]:
    return {t for t in TABLES if re.search(rf"\b(from|join)\s+{t}\b", sql)}


@lru_cache(maxsize=None)
def _macro_tables() -> dict[str, frozenset[str]]:
    """Table macro (queries/macros) → the tables it reads (so a summary grouped by `enterprise_keys()` is built
    only where the enterprise register is)."""
    out = {}
    for path in sorted(MACRO_DIR.glob("*.sql")):
        sql = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))  # comments may hold ';'
        for name, body in re.findall(r"create macro (\w+)\([^)]*\) as table(.*?);", sql, flags=re.S):
            out[name] = frozenset(_tables_read(body))
    return out


def _absent_columns(table: str, path: Path) -> str:
    """', null::TYPE as col' for each declared column the file lacks (a file written before an optional column was
    declared, e.g. a fixture or a zone not yet evolved by cockpit.data.store): the queries see it empty."""
    import pyarrow.parquet as pq

    have = set(pq.read_schema(path).names)
    declared = arrow_schema(table)
    extra = [f", null::{_DUCK[str(f.type)]} as {f.name}" for f in declared if f.name not in have]
    return "".join(extra)


_DUCK = {
    "string": "varchar",
    "large_string": "varchar",
    "int64": "bigint",
    "int32": "integer",
    "double": "double",
    "bool": "boolean",
    "date32[day]": "date",
    "timestamp[us]": "timestamp",
}


def _sql_literal(path: Path) -> str:
    """A path as a SQL string literal (paths are ours, not users'; quotes doubled anyway)."""
    return "'" + str(path).replace("'", "''") + "'"


class Database:
    """One DuckDB connection per process; each query runs on its own cursor (thread-safe use)."""

    def __init__(self, directory: Path | None = None, in_memory: bool | None = None):
        self.directory = Path(directory or data_dir()).resolve()
        self._lock = threading.Lock()
        self.in_memory = _fits_in_memory(self.directory) if in_memory is None else in_memory
        self._loaded = threading.Event()
        self._version: str | None = None
        with self._lock:  # a background load waits until the version is recorded
            self._open()

    def _open(self) -> None:
        """Serve the files as they are now: from this data version's snapshot file when one exists (opened at
        once); else, when the data fits in memory, the tables loaded (into a new snapshot, or this process's memory)
        here when small, or by a background thread that swaps them in when done, views serving meanwhile; else views.

        Fingerprint and load happen under the readers' lock (cockpit.data.store.reading), so a commit of several
        tables is seen whole or not at all; while an interrupted commit is pending, the previous connection
        keeps serving (or, on a first open, the commit is completed first). Caller holds self._lock.
        """
        from cockpit.data.store import DataStore, reading

        for _ in range(3):
            with reading(self.directory) as pending:
                if pending and self._version is not None:
                    return
                if not pending:
                    self._open_now(self._fingerprint())
                    return
            with DataStore(self.directory).lock():  # completes the interrupted commit
                pass
        raise RuntimeError(f"数据目录 {self.directory} 有未完成的提交，无法读取")

    def _open_now(self, version: str) -> None:
        # The version is recorded only once its connection is in place: a reader that sees the new
        # version must never be handed the previous connection.
        self._loaded.clear()
        snapshot = self._snapshot_path(version) if self.in_memory else None
        if snapshot is not None and (con := _open_snapshot(snapshot, self.directory)) is not None:
            self.con = con
            self._loaded.set()
        elif not self.in_memory:
            self.con = self._connect(in_memory=False)
            self._loaded.set()
        elif _size_mb(self.directory) <= SYNC_LOAD_MB:
            self.con = self._loaded_tables(snapshot)
            self._loaded.set()
        else:
            self.con = self._connect(in_memory=False)
            threading.Thread(target=self._load, args=(version, snapshot), daemon=True, name="cockpit-load").start()
        self._version = version

    def _load(self, version: str, snapshot: Path | None) -> None:
        from cockpit.data.store import reading

        try:
            with reading(self.directory) as pending:
                if pending or self._fingerprint() != version:
                    return  # the files changed meanwhile: the next query reloads
                con = self._loaded_tables(snapshot)
        except Exception:  # noqa: BLE001 - e.g. files replaced meanwhile: the views keep serving
            return
        with self._lock:
            if self._version == version:
                self.con = con
                self._loaded.set()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        """Block until the in-memory tables (if any) serve the queries; True when they do."""
        return self._loaded.wait(timeout)

    def _snapshot_path(self, version: str) -> Path | None:
        """Where this data version's snapshot file is (or would be); None when snapshots are off or the directory
        is the shipped sample (read-only for the app)."""
        if os.environ.get(SNAPSHOT_ENV, "1") == "0" or self.directory == SAMPLE_DIR.resolve():
            return None
        return self.directory / SNAPSHOT_DIR / f"{version}-{_code_digest()}.duckdb"

    def _loaded_tables(self, snapshot: Path | None) -> duckdb.DuckDBPyConnection:
        """The tables loaded: into this version's snapshot file, which is then served (and every other process
        and restart opens at once), or, without snapshots or when it cannot be written, into this process's
        memory."""
        if snapshot is not None:
            try:
                _build_snapshot(snapshot, self._fill)
            except (OSError, duckdb.Error):
                pass  # e.g. a full or read-only disk: this process loads its own copy, as without snapshots
            else:
                if (con := _open_snapshot(snapshot, self.directory)) is not None:
                    return con
        return self._connect(in_memory=True)

    def _connect(self, in_memory: bool) -> duckdb.DuckDBPyConnection:
        """A new locked-down connection: a table (in memory) or a view (read at every query) per file."""
        con = duckdb.connect(":memory:")
        self._fill(con, "table" if in_memory else "view")
        _lock_down(con, self.directory)
        return con

    def _fill(self, con: duckdb.DuckDBPyConnection, kind: str) -> None:
        """Create in `con` a `kind` (table or view) per table file, the summaries and the macros."""
        for table in TABLES:
            path = self.directory / f"{table}.parquet"
            if path.exists():
                con.execute(
                    f"create {kind} {table} as select *{_absent_columns(table, path)} "
                    f"from read_parquet({_sql_literal(path)})"
                )
            elif table in OPTIONAL_TABLES:
                empty = arrow_schema(table).empty_table()  # noqa: F841 - read by name below
                con.execute(f"create table {table} as select * from empty")
        con.execute(KEY_MACROS.read_text(encoding="utf-8"))
        for name, sql, sources in materialized():
            if all((self.directory / f"{t}.parquet").exists() for t in sources):
                con.execute(f"create table {name} as {sql}")
        for macro in sorted(MACRO_DIR.glob("*.sql")):
            if macro != KEY_MACROS:
                con.execute(macro.read_text(encoding="utf-8"))

    def _current(self) -> duckdb.DuckDBPyConnection:
        """The connection for the files as they are now: in-memory tables are reloaded (once, whichever
        thread comes first) when the data version changed; queries already running finish on the old copy."""
        if not self.in_memory:
            return self.con
        version = self.data_version()
        if version != self._version:
            with self._lock:
                if self.data_version() != self._version:
                    self._open()
        return self.con

    def data_version(self) -> str:
        """A short fingerprint of the data files (names, sizes, modification times); while an interrupted
        commit is pending, the version being served.

        An import that replaces a file changes it, so cached results keyed by it are not reused.
        """
        from cockpit.data.store import reading

        with reading(self.directory) as pending:
            if pending and self._version is not None:
                return self._version
            return self._fingerprint()

    def _fingerprint(self) -> str:
        h = hashlib.sha1()
        for table in TABLES:
            path = self.directory / f"{table}.parquet"
            if path.exists():
                st = path.stat()
                h.update(f"{table}:{st.st_size}:{st.st_mtime_ns};".encode())
        return h.hexdigest()[:12]

    def run(self, name: str, params: dict | None = None) -> pd.DataFrame:
        """Run the named query with the parameters its header declares, taken from `params`.

        Missing declared parameters raise; keys the query does not declare are ignored, so pages can
        pass the whole filter state. `$scope` (the filter bar, cockpit.data.dimensions) is a Scope, or is made from
        the dimensions' own keys when the parameters name them ({"chains": [...], ...}).
        """
        spec = load_query(name)
        params = with_scope(params or {}, spec.params)
        missing = [p for p in spec.params if p not in params]
        if missing:
            raise KeyError(f"查询 {name} 缺少参数: {', '.join(missing)}")
        bound = {p: _bindable(params[p]) for p in spec.params}
        cur = self._current().cursor()
        try:
            return cur.execute(spec.sql, bound).df()
        finally:
            cur.close()


def _lock_down(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Only the data directory is readable; nothing can turn access back on."""
    con.execute(f"set allowed_directories=[{_sql_literal(directory)}]")
    con.execute("set enable_external_access=false")
    con.execute("set lock_configuration=true")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """What a snapshot holds besides the data files' rows: DuckDB's version (its file format), the declared columns,
    the summaries and the macros. Part of the snapshot's name, so a program update never serves an old snapshot."""
    h = hashlib.sha1(duckdb.__version__.encode())
    for table in TABLES:
        h.update(f"{table}:{arrow_schema(table)};".encode())
    for path in sorted(MATERIALIZED_DIR.glob("*.sql")) + sorted(MACRO_DIR.glob("*.sql")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:12]


def _build_snapshot(path: Path, fill) -> None:
    """Write a data version's snapshot: a DuckDB file with every table, summary and macro, written under a
    temporary name and renamed into place (two processes building the same version at once write the same content;
    the last rename wins). Then the snapshots of other versions are removed: a process still serving one keeps its
    open file until it moves to the new version."""
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        fill(con, "table")
        con.execute("checkpoint")
    finally:
        con.close()
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    now = time.time()
    for other in path.parent.iterdir():
        building = ".tmp-" in other.name and now - other.stat().st_mtime < SNAPSHOT_TMP_AGE_S
        if other.name != path.name and not building:
            other.unlink(missing_ok=True)


def _open_snapshot(path: Path, directory: Path) -> duckdb.DuckDBPyConnection | None:
    """The snapshot file opened read-only and locked down; None when it is missing or unreadable (it is then built
    again). A second Database of this process on the same file shares DuckDB's instance, already locked down."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        if not con.execute("select current_setting('lock_configuration')").fetchone()[0]:
            _lock_down(con, directory)
    except (OSError, duckdb.Error):
        return None
    return con


def _size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for t in TABLES if (p := directory / f"{t}.parquet").exists()) / 1e6


def _fits_in_memory(directory: Path) -> bool:
    return _size_mb(directory) <= float(os.environ.get("COCKPIT_IN_MEMORY_MAX_MB", IN_MEMORY_MAX_MB))


def _bindable(value):
    """Tuples (used in cache keys) become lists, which DuckDB binds as LIST values; a Scope its STRUCT."""
    if isinstance(value, Scope):
        return value.sql()
    return list(value) if isinstance(value, tuple) else value
