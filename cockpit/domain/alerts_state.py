"""督办: the warnings' operational state in the data directory's SQLite database (`cockpit.data.opstate`).

Each warning (by its key: rule id | subject) has one row in `alert_items`: the latest figure, whether the latest
evaluation still raises it (`active`), its 督办 status 待处理 → 处理中 → 已办结 / 误报, to whom it is assigned (科室,
责任人, 办结期限, 备注), and every change in `alert_history` (who, when, from → to, what). `sync` records an
evaluation: new warnings start 待处理; a warning closed as 已办结 that an evaluation of a LATER as-of period still
raises reopens (待处理, counted in `reopened`); warnings no longer raised become inactive. Writes take the immediate
write lock (`opstate.connect`), so several sessions and the daily job may write at once; a status change names the
status it expects and fails with `Conflict` when another session changed it first.
"""

from __future__ import annotations

import datetime as dt
import functools
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from cockpit.data import opstate
from cockpit.domain.alerts import Alert, Period

PENDING, WORKING, DONE, FALSE_ALARM = "待处理", "处理中", "已办结", "误报"
STATUSES = (PENDING, WORKING, DONE, FALSE_ALARM)
OPEN = (PENDING, WORKING)
# the moves a user may make (a recurrence after 已办结 reopens by itself, see `sync`)
MOVES = {
    PENDING: (WORKING, FALSE_ALARM),
    WORKING: (DONE, FALSE_ALARM, PENDING),
    DONE: (WORKING,),
    FALSE_ALARM: (PENDING,),
}
SYSTEM = "系统"

# alert_items, declared once: column → SQL type. `connect` adds a column declared here that an existing state file lacks
# (alter table … add column), so a database made by an earlier version keeps working; a column added later therefore
# needs a default.
ITEM_SCHEMA = {
    "key": "text primary key",
    "rule_id": "text not null",
    "rule_name": "text not null",
    "category": "text not null",
    "severity": "text not null",
    "office": "text not null",
    "subject": "text not null",
    "figure": "text not null",
    "rule_text": "text not null",
    "link": "text not null",
    "duty": "text not null default ''",
    "weight": "real not null default 0",
    "ent_id": "text not null default ''",
    "status": "text not null default '待处理'",
    "assignee_office": "text not null default ''",
    "assignee": "text not null default ''",
    "due_date": "text",
    "note": "text not null default ''",
    "active": "integer not null default 1",
    "first_seen": "text not null default ''",
    "last_seen": "text not null default ''",
    "first_asof": "text not null default ''",
    "last_asof": "text not null default ''",
    "closed_asof": "text",
    "reopened": "integer not null default 0",
    "updated_at": "text not null default ''",
}
DDL = f"""
create table if not exists alert_items ({", ".join(f"{c} {t}" for c, t in ITEM_SCHEMA.items())});
create index if not exists alert_items_open on alert_items (active, status);
create table if not exists alert_history (
    id integer primary key autoincrement,
    key text not null references alert_items (key),
    at text not null,
    actor text not null,
    action text not null,
    from_status text,
    to_status text,
    detail text not null default ''
);
create index if not exists alert_history_key on alert_history (key, id);
create table if not exists alert_runs (
    id integer primary key autoincrement,
    at text not null,
    asof text not null,
    stamp text not null,
    raised integer not null
)
"""


def state_dir(directory: Path) -> Path:
    """Where a data directory's 督办 state lives: in it, except for the shipped sample (`data/`), which the app never
    writes (a server pointed at it, as the benchmark does, keeps its state in var/sample-state/)."""
    from cockpit.data.db import ROOT, SAMPLE_DIR

    directory = Path(directory).resolve()
    return ROOT / "var" / "sample-state" if directory == SAMPLE_DIR.resolve() else directory


class Conflict(RuntimeError):
    """The warning changed since the user saw it (another session or the daily job)."""


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@contextmanager
def connect(directory: Path, *more_ddl: str):
    """`opstate.connect` to `state_dir(directory)` with this feature's tables (and those of `more_ddl`, e.g. the
    delivery outbox) in place, columns declared since the file was made added."""
    with opstate.connect(state_dir(directory)) as con:
        for ddl in (DDL, *more_ddl):
            opstate.ensure(con, ddl)
        have = {r["name"] for r in con.execute("pragma table_info(alert_items)")}
        for column, decl in ITEM_SCHEMA.items():  # identifiers from the declaration above, never from input
            if column not in have:
                con.execute(f"alter table alert_items add column {column} {decl}")
        con.execute("create index if not exists alert_items_ent on alert_items (ent_id)")  # after ent_id is there
        yield con


def _log(con, key: str, actor: str, action: str, before: str | None, after: str | None, detail: str, at: str):
    con.execute(
        "insert into alert_history (key, at, actor, action, from_status, to_status, detail) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        (key, at, actor, action, before, after, detail),
    )


# column → the Alert attribute it keeps (weight: the order within a rule, e.g. the largest fall first)
_FIELDS = {
    "rule_id": "rule_id",
    "rule_name": "rule_name",
    "category": "category",
    "severity": "severity",
    "office": "office",
    "subject": "subject",
    "figure": "figure",
    "rule_text": "rule_text",
    "link": "link",
    "duty": "duty",
    "weight": "order",
    "ent_id": "ent_id",
}


def sync(directory: Path, alerts: list[Alert], period: Period, *, stamp: str = "", now: str | None = None) -> dict:
    """Record one evaluation (all raised warnings of `period`); returns counts new / reopened / resolved.

    Warnings last raised for a later period than `period` are left alone (an older period never undoes a newer one).
    `stamp` identifies what was evaluated (data version and rules), kept in `alert_runs`."""
    now = now or _now()
    asof = period.key
    counts = {"new": 0, "reopened": 0, "resolved": 0, "raised": len(alerts)}
    with connect(directory) as con:
        known = {
            r["key"]: r for r in con.execute("select key, status, active, last_asof, closed_asof from alert_items")
        }
        raised = set()
        for a in alerts:
            raised.add(a.key)
            values = tuple(getattr(a, attr) for attr in _FIELDS.values())
            old = known.get(a.key)
            if old is None:
                con.execute(
                    f"insert into alert_items (key, {', '.join(_FIELDS)}, first_seen, last_seen, first_asof, "
                    f"last_asof, updated_at) values (?, {', '.join('?' * len(_FIELDS))}, ?, ?, ?, ?, ?)",
                    (a.key, *values, now, now, asof, asof, now),
                )
                _log(con, a.key, SYSTEM, "触发", None, PENDING, a.figure, now)
                counts["new"] += 1
                continue
            if asof < old["last_asof"]:
                continue
            con.execute(
                f"update alert_items set {', '.join(f'{f} = ?' for f in _FIELDS)}, last_seen = ?, "
                "last_asof = ?, active = 1 where key = ?",
                (*values, now, asof, a.key),
            )
            if old["status"] == DONE and asof > (old["closed_asof"] or ""):
                con.execute(
                    "update alert_items set status = ?, closed_asof = null, reopened = reopened + 1, "
                    "updated_at = ? where key = ?",
                    (PENDING, now, a.key),
                )
                _log(con, a.key, SYSTEM, "办结后再次触发，重新打开", DONE, PENDING, a.figure, now)
                counts["reopened"] += 1
            elif not old["active"]:
                _log(con, a.key, SYSTEM, "再次触发", old["status"], old["status"], a.figure, now)
        for key, old in known.items():
            if old["active"] and key not in raised and old["last_asof"] <= asof:
                con.execute("update alert_items set active = 0 where key = ?", (key,))
                _log(
                    con,
                    key,
                    SYSTEM,
                    "不再触发",
                    old["status"],
                    old["status"],
                    f"截至{period.label}的数据不再满足规则",
                    now,
                )
                counts["resolved"] += 1
        con.execute(
            "insert into alert_runs (at, asof, stamp, raised) values (?, ?, ?, ?)", (now, asof, stamp, len(alerts))
        )
    return counts


@contextmanager
def reading(directory: Path):
    """A connection for reads (`opstate.reading`: no write lock), the tables made once per process. Every rerun
    of 总览 and 预警 reads."""

    def prepare() -> None:
        with connect(directory):
            pass

    with opstate.reading(state_dir(directory), "alerts", prepare) as con:
        yield con


def last_run(directory: Path) -> dict | None:
    """The latest recorded evaluation: at, asof, stamp, raised (None before the first)."""
    with reading(directory) as con:
        row = con.execute("select at, asof, stamp, raised from alert_runs order by id desc limit 1").fetchone()
    return dict(row) if row else None


def _current(con, key: str):
    row = con.execute("select * from alert_items where key = ?", (key,)).fetchone()
    if row is None:
        raise KeyError(f"没有这条预警：{key}")
    return row


def move(
    directory: Path, key: str, to: str, *, actor: str, expected: str, note: str = "", now: str | None = None
) -> None:
    """Change a warning's status from `expected` to `to` (one of MOVES); Conflict when it is no longer `expected`."""
    now = now or _now()
    with connect(directory) as con:
        row = _current(con, key)
        if row["status"] != expected:
            raise Conflict(f"这条预警的状态已被更新为“{row['status']}”，请刷新后再操作")
        if to not in MOVES[expected]:
            raise ValueError(f"不能从“{expected}”改为“{to}”")
        closing = to in (DONE, FALSE_ALARM)
        con.execute(
            "update alert_items set status = ?, closed_asof = ?, updated_at = ? where key = ?",
            (to, row["last_asof"] if closing else None, now, key),
        )
        _log(con, key, actor, f"状态：{expected} → {to}", expected, to, note.strip(), now)


def assign(
    directory: Path,
    key: str,
    *,
    office: str,
    person: str,
    due: dt.date | None,
    note: str,
    actor: str,
    expected: str,
    now: str | None = None,
) -> None:
    """交办: set 科室, 责任人, 办结期限 and 备注; a 待处理 warning becomes 处理中. Conflict as in `move`."""
    now = now or _now()
    office, person, note = office.strip(), person.strip(), note.strip()
    if not office:
        raise ValueError("请填写承办科室")
    with connect(directory) as con:
        row = _current(con, key)
        if row["status"] != expected:
            raise Conflict(f"这条预警的状态已被更新为“{row['status']}”，请刷新后再操作")
        if expected not in OPEN:
            raise ValueError(f"“{expected}”的预警不能交办，请先重新打开")
        status = WORKING
        con.execute(
            "update alert_items set assignee_office = ?, assignee = ?, due_date = ?, note = ?, status = ?, "
            "updated_at = ? where key = ?",
            (office, person, due.isoformat() if due else None, note, status, now, key),
        )
        detail = "，".join(
            x
            for x in (
                f"承办科室：{office}",
                person and f"责任人：{person}",
                due and f"办结期限：{due.isoformat()}",
                note and f"备注：{note}",
            )
            if x
        )
        _log(con, key, actor, "交办", expected, status, detail, now)


ITEM_COLUMNS = list(ITEM_SCHEMA)


def _read_items(
    directory: Path, where: str = "", params: tuple | list = (), order: str = "first_seen desc, key", limit: int = -1
) -> pd.DataFrame:
    """Warnings (ITEM_COLUMNS) `where` (a clause built here, values bound), in `order`, at most `limit` (-1: all)."""
    sql = f"select {', '.join(ITEM_COLUMNS)} from alert_items{where} order by {order} limit ?"
    with reading(directory) as con:
        rows = con.execute(sql, (*params, limit)).fetchall()
    return pd.DataFrame([dict(r) for r in rows], columns=ITEM_COLUMNS)


def items(directory: Path) -> pd.DataFrame:
    """Every warning ever raised (ITEM_COLUMNS), newest first seen first."""
    return _read_items(directory)


def history(directory: Path, key: str) -> pd.DataFrame:
    """One warning's changes, oldest first: at, actor, action, from_status, to_status, detail."""
    with reading(directory) as con:
        rows = con.execute(
            "select at, actor, action, from_status, to_status, detail from alert_history where key = ? order by id",
            (key,),
        )
        return pd.DataFrame(
            [dict(r) for r in rows], columns=["at", "actor", "action", "from_status", "to_status", "detail"]
        )


def version(directory: Path) -> tuple:
    """What changes whenever a warning does: every `sync` records a run, every `move` / `assign` a history row (the
    only writers of alert_items). Two indexed reads; the caches below are keyed on it."""
    with reading(directory) as con:
        row = con.execute("select (select max(id) from alert_runs), (select max(id) from alert_history)").fetchone()
    where = state_dir(directory)
    return str(where), opstate.path(where).stat().st_ino, row[0], row[1]  # the inode: a state file replaced


TALLY_COLUMNS = ["severity", "office", "assignee_office", "status", "active", "due_date", "n"]


def tally(directory: Path) -> pd.DataFrame:
    """The warnings counted by severity, office, assignee office, status, active and due date (`n`): every figure of
    the 预警 page and the 总览 strip comes from it (`open_counts`, `alerts_view`), without reading each warning — a
    province holds hundreds of thousands. Read again only when `version` changes."""
    return _tally(version(directory))


@functools.lru_cache(maxsize=8)
def _tally(ver: tuple) -> pd.DataFrame:
    cols = ", ".join(TALLY_COLUMNS[:-1])
    with reading(Path(ver[0])) as con:
        rows = con.execute(f"select {cols}, count(*) from alert_items group by {cols}").fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=TALLY_COLUMNS)


def open_counts(counted: pd.DataFrame, today: dt.date) -> tuple[dict[str, int], int]:
    """({severity: open warnings}, 督办逾期) of a `tally`: the rules of `open_items` and `overdue`, weighted by n."""
    live = open_items(counted)
    by_severity = live.groupby("severity")["n"].sum()
    late = int(live["n"][overdue(live, today)].sum())
    return {str(k): int(v) for k, v in by_severity.items() if v}, late


def open_summary(directory: Path, today: dt.date) -> tuple[dict[str, int], int]:
    """({severity: open warnings}, 督办逾期) — what the 总览's strip shows on every rerun: counted again only when
    `version` or the day changes (the counting is pandas work of ~20 ms a rerun at a county, profiled). Shared:
    callers must not change the dict."""
    return _open_summary(version(directory), today)


@functools.lru_cache(maxsize=8)
def _open_summary(ver: tuple, today: dt.date) -> tuple[dict[str, int], int]:
    return open_counts(_tally(ver), today)


def _where(active: int | None, **values: tuple | None) -> tuple[str, list]:
    """A where clause (bound values) for: active (None = either) and column in values (None = any)."""
    terms, params = [], []
    if active is not None:
        terms.append("active = ?")
        params.append(int(active))
    for column, allowed in values.items():
        if allowed is not None:
            assert column in ITEM_SCHEMA  # identifiers from this module's callers, never from input
            terms.append(f"{column} in ({', '.join('?' for _ in allowed)})" if allowed else "0")
            params.extend(allowed)
    return (" where " + " and ".join(terms)) if terms else "", params


def _rank(column: str, order: tuple[str, ...]) -> tuple[str, list]:
    """An order-by term: the position of the column's value in `order`, values not in it last."""
    if not order:
        return "''", []  # a constant (a bare integer would name a column)
    whens = " ".join(f"when ? then {i}" for i in range(len(order)))
    return f"case {column} {whens} else {len(order)} end", list(order)


def select(
    directory: Path,
    *,
    active: int | None = None,
    statuses: tuple[str, ...] | None = None,
    offices: tuple[str, ...] | None = None,
    severities: tuple[str, ...] | None = None,
    severity_order: tuple[str, ...] = (),
    rule_order: tuple[str, ...] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """The warnings (ITEM_COLUMNS) that match, worst severity first (`severity_order`), then the rules in
    `rule_order`, then each rule's own `weight`, then the key — the order of `alerts_view.ordered` — the first
    `limit` of them. Read again only when `version` changes or the choice does."""
    read = _select if limit is not None else _select.__wrapped__  # every row (a download): not kept
    return read(version(directory), active, statuses, offices, severities, severity_order, rule_order, limit)


@functools.lru_cache(maxsize=32)
def _select(ver, active, statuses, offices, severities, severity_order, rule_order, limit) -> pd.DataFrame:
    where, params = _where(active, status=statuses, office=offices, severity=severities)
    by_severity, p1 = _rank("severity", severity_order)
    by_rule, p2 = _rank("rule_id", rule_order)
    return _read_items(
        Path(ver[0]),
        where,
        (*params, *p1, *p2),
        f"{by_severity}, {by_rule}, weight, key",
        -1 if limit is None else limit,
    )


def of_enterprise(directory: Path, ent_id: str) -> pd.DataFrame:
    """One enterprise's open warnings (its own figures, its hazards and accidents), for the 企业画像."""
    where, params = _where(1, status=OPEN)
    return _read_items(directory, f"{where} and ent_id = ?", (*params, ent_id))


def linking(directory: Path, needle: str) -> pd.DataFrame:
    """The warnings whose link contains `needle` (e.g. 'hazard=YH1' as `alerts.page_link` encodes it; the caller
    checks the exact parameter)."""
    return _read_items(directory, " where instr(link, ?) > 0", (needle,))


def open_items(frame: pd.DataFrame) -> pd.DataFrame:
    """Warnings to act on: raised by the latest evaluation and 待处理 or 处理中."""
    return frame[(frame["active"] == 1) & frame["status"].isin(OPEN)]


def overdue(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """督办逾期: open, with a 办结期限 before `today`."""
    due = pd.to_datetime(frame["due_date"], errors="coerce")
    return frame["status"].isin(OPEN) & due.notna() & (due < pd.Timestamp(today))
