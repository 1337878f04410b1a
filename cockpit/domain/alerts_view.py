"""The 预警 page's tables from the 督办 state (pure: DataFrames in, DataFrames and text out)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cockpit.domain import alerts_state as S
from cockpit.domain.format import is_blank

# which warnings a list shows: (active: 1 raised by the latest evaluation / 0 no longer / None either,
# statuses: None = any) — counted on a tally (`count`) and read from SQLite (`alerts_state.select`, `choice`)
VIEWS: dict[str, tuple[int | None, tuple[str, ...] | None]] = {
    "未办结": (1, S.OPEN),
    "已办结": (None, (S.DONE,)),
    "误报": (None, (S.FALSE_ALARM,)),
    "已不再触发（未办结）": (0, S.OPEN),
    "全部": (None, None),
}
MOVE_LABELS = {S.WORKING: "开始处理", S.DONE: "办结", S.FALSE_ALARM: "标为误报", S.PENDING: "退回待处理"}
REOPEN_LABELS = {(S.DONE, S.WORKING): "重新打开", (S.FALSE_ALARM, S.PENDING): "撤销误报"}


def move_label(current: str, to: str) -> str:
    return REOPEN_LABELS.get((current, to), MOVE_LABELS[to])


def ordered(frame: pd.DataFrame, config) -> pd.DataFrame:
    """Worst severity first, then the rules in the order of config/alerts.toml, then each rule's own order
    (`weight`: e.g. the largest fall first)."""
    position = {r.id: i for i, r in enumerate(config.rules)}
    keys = pd.DataFrame(
        {
            "s": frame["severity"].map(config.rank),
            "r": frame["rule_id"].map(position).fillna(len(position)),
            "w": frame["weight"],
            "k": frame["key"],
        },
        index=frame.index,
    )
    return frame.loc[keys.sort_values(["s", "r", "w", "k"]).index]


def choice(view: str, offices: list[str], severities: list[str], config) -> dict:
    """The arguments of `alerts_state.select` for one view, office and severity selection (empty = all), in
    `ordered` order."""
    active, statuses = VIEWS[view]
    return {
        "active": active,
        "statuses": statuses,
        "offices": tuple(offices) or None,
        "severities": tuple(severities) or None,
        "severity_order": tuple(config.levels),
        "rule_order": tuple(r.id for r in config.rules),
    }


def count(counted: pd.DataFrame, view: str, offices: list[str] = (), severities: list[str] = ()) -> int:
    """How many warnings of a tally (`alerts_state.tally`) a `choice` selects."""
    active, statuses = VIEWS[view]
    keep = pd.Series(True, index=counted.index)
    if active is not None:
        keep &= counted["active"] == active
    for column, allowed in (("status", statuses), ("office", offices), ("severity", severities)):
        if allowed:
            keep &= counted[column].isin(allowed)
    return int(counted["n"][keep].sum())


def by_office(counted: pd.DataFrame, levels: list[str], today: dt.date) -> pd.DataFrame:
    """Open warnings of a tally (`alerts_state.tally`) by office (rows) and severity (columns), with 合计 and
    督办逾期; most severe first."""
    cols = ["office", *levels, "total", "late"]
    live = S.open_items(counted)
    if live.empty:
        return pd.DataFrame(columns=cols)
    counts = live.groupby(["office", "severity"])["n"].sum().unstack(fill_value=0)
    counts = counts.reindex(columns=levels, fill_value=0).astype(int)
    counts.columns.name = None
    counts["total"] = counts.sum(axis=1)
    late = live["n"].where(S.overdue(live, today), 0).groupby(live["office"]).sum()
    counts["late"] = late.reindex(counts.index).fillna(0).astype(int)
    counts = counts.sort_values(levels + ["total"], ascending=False)
    return counts.reset_index().rename(columns={"index": "office"})[cols]


def listing(chosen: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The list as shown: severity, subject, figure, office, status (督办逾期 marked), the link, then the rule's name,
    category, assignee, due date, first seen (date) and how often it reopened."""
    out = chosen.copy()
    late = S.overdue(out, today)
    out["status_text"] = [
        f"{s}（督办逾期）" if x else (f"{s}（已不再触发）" if a == 0 and s in S.OPEN else s)
        for s, x, a in zip(out["status"], late, out["active"])
    ]
    out["assigned"] = [
        "、".join(x for x in (o, p) if x) or "—" for o, p in zip(out["assignee_office"], out["assignee"])
    ]
    out["due"] = out["due_date"].fillna("—")
    out["first"] = out["first_seen"].str.slice(0, 10)
    return out[
        [
            "key",
            "severity",
            "subject",
            "figure",
            "office",
            "status_text",
            "link",
            "rule_name",
            "category",
            "assigned",
            "due",
            "first",
            "reopened",
        ]
    ]


def label(row) -> str:
    """One warning in the picker: '[严重·待处理] 对象 — 规则名称'."""
    return f"[{row['severity']}·{row['status']}] {row['subject']} — {row['rule_name']}"


def history_view(hist: pd.DataFrame) -> pd.DataFrame:
    """A warning's changes as shown: 时间, 经办人, 事项, 状态变化, 说明."""
    out = hist.copy()
    out["change"] = [
        "—" if a == b else f"{'（新）' if is_blank(a) else a} → {b}"
        for a, b in zip(out["from_status"], out["to_status"])
    ]
    out["at"] = out["at"].str.replace("T", " ")
    return out[["at", "actor", "action", "change", "detail"]]


def offices(frame: pd.DataFrame, known: tuple[str, ...]) -> list[str]:
    """Offices to pick from: those of the known list, then any other in the warnings (or their tally), in that
    order."""
    seen = [*known, *sorted(set(frame["office"]) | set(frame["assignee_office"]))]
    return [o for o in dict.fromkeys(seen) if o and o != "未指定科室"]
