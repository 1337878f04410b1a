"""Pure arithmetic of the 安全生产 page: 整改率, 闭环率, overdue classification, hazard age, grades.

口径 (the definitions shown on the page; the period is 1 月 1 日 — the as-of date, the end of the filter's month):
- 整改率 = 本期发现且截至期末已整改的隐患数 ÷ 本期发现的隐患数 × 100%.
- 闭环率（按期闭环率）= 整改期限在本期内且已过期限的隐患中，在期限当日或之前整改的个数 ÷ 这些隐患的个数 × 100%.
  A deadline has passed when it is before the as-of date.
- 到期未整改 = 期末仍未整改（整改日期为空或晚于期末）且整改期限早于期末的隐患（whenever found）.
- 隐患时长（天）= 期末 − 发现日期, for hazards open at the as-of date; 逾期天数 = 期末 − 整改期限.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cockpit.data.config import GradeRule
from cockpit.domain import format as fmt
from cockpit.domain import metrics
from cockpit.domain.format import is_blank as _missing

# hazard states at the as-of date, in the order the register lists them
OVERDUE = "到期未整改"
OPEN = "整改中"
LATE = "逾期整改"
ON_TIME = "按期整改"
STATUS_ORDER = (OVERDUE, OPEN, LATE, ON_TIME)

DEFINITIONS = {
    "整改率": "本期（1月1日至期末）发现的隐患中，截至期末已整改的比例：已整改数 ÷ 发现数 × 100%。",
    "闭环率": "整改期限落在本期内且已过期限（期限早于期末）的隐患中，在期限当日或之前完成整改的比例："
    "按期整改数 ÷ 已到期隐患数 × 100%。",
    "到期未整改": "期末仍未整改、且整改期限早于期末的隐患（不论何时发现）。",
    "未整改": "期末仍未整改的隐患（发现日期不晚于期末，整改日期为空或晚于期末）。",
    "隐患时长": "未整改隐患自发现之日至期末的天数；逾期天数 = 期末 − 整改期限。",
}


def _date(x) -> dt.date | None:
    """A date from a date, datetime, Timestamp or missing value (NaT / NaN / None → None)."""
    if _missing(x):
        return None
    return x.date() if isinstance(x, dt.datetime) else x


as_of_date = fmt.as_of_date  # the last day of month m (1—2月 ends on the last day of February)


def rectification_rate(rectified, found) -> float | None:
    """整改率 in percent: rectified ÷ found × 100; None when nothing was found."""
    return metrics.share(rectified, found)


def closure_rate(closed_on_time, due) -> float | None:
    """闭环率 in percent: closed on or before the deadline ÷ hazards whose deadline has passed × 100."""
    return metrics.share(closed_on_time, due)


def is_open(found, rectified, as_of) -> bool:
    """Open at the as-of date: found by then and not rectified by then."""
    found, rectified = _date(found), _date(rectified)
    return found is not None and found <= as_of and (rectified is None or rectified > as_of)


def hazard_status(found, deadline, rectified, as_of: dt.date) -> str | None:
    """The hazard's state at the as-of date: 到期未整改 / 整改中 / 逾期整改 / 按期整改 (None if not yet found)."""
    found, deadline, rectified = _date(found), _date(deadline), _date(rectified)
    if found is None or found > as_of:
        return None
    if is_open(found, rectified, as_of):
        return OVERDUE if deadline is not None and deadline < as_of else OPEN
    return ON_TIME if deadline is None or rectified <= deadline else LATE


def hazard_age(found, rectified, as_of: dt.date) -> int | None:
    """Days from discovery to the as-of date for a hazard open then; None once rectified."""
    if not is_open(found, rectified, as_of):
        return None
    return (as_of - _date(found)).days


def days_overdue(deadline, rectified, as_of: dt.date) -> int | None:
    """Days past the deadline at the as-of date for an open hazard; None when not overdue."""
    deadline, rectified = _date(deadline), _date(rectified)
    if deadline is None or (rectified is not None and rectified <= as_of):
        return None
    return (as_of - deadline).days if deadline < as_of else None


def days_since(last, as_of: dt.date) -> int | None:
    """Whole days from `last` (e.g. the latest accident) to the as-of date; None without a date."""
    last = _date(last)
    return None if last is None else (as_of - last).days


def annotate_hazards(df: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The register with state, age and days overdue, overdue 重大 first (longest overdue first).

    `df`: hazard_id, level, found_date, deadline, rectified_date (+ any other columns, kept).
    Order: 到期未整改 (重大 before 一般, most days overdue first), 整改中, 逾期整改, 按期整改; newest first within.
    """
    out = df.copy()
    out["status"] = [
        hazard_status(f, d, r, as_of) for f, d, r in zip(out["found_date"], out["deadline"], out["rectified_date"])
    ]
    out["age_days"] = pd.array(
        [hazard_age(f, r, as_of) for f, r in zip(out["found_date"], out["rectified_date"])], dtype="Int64"
    )
    out["overdue_days"] = pd.array(
        [days_overdue(d, r, as_of) for d, r in zip(out["deadline"], out["rectified_date"])], dtype="Int64"
    )
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    out["_status_rank"] = out["status"].map(rank)
    out["_major_rank"] = (out["level"] != "重大").astype(int)
    out["_overdue"] = out["overdue_days"].fillna(-1)
    out = out.sort_values(
        ["_status_rank", "_major_rank", "_overdue", "found_date", "hazard_id"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    return out.drop(columns=["_status_rank", "_major_rank", "_overdue"]).reset_index(drop=True)


def age_summary(annotated: pd.DataFrame) -> dict:
    """Open hazards' count, mean and longest age in days (from `annotate_hazards`; the reference that
    `open_ages` must agree with)."""
    ages = annotated["age_days"].dropna()
    return {
        "open": int(len(ages)),
        "mean_days": float(ages.mean()) if len(ages) else None,
        "max_days": int(ages.max()) if len(ages) else None,
    }


def open_ages(hazard_totals: pd.DataFrame, year: int) -> dict:
    """Open hazards' count, mean and longest age in days at the year's as-of date, from the `hazard_totals`
    rows of that year (open, open_days = their summed ages, open_days_max), as `age_summary` of the register."""
    rows = hazard_totals[hazard_totals["year"] == year]
    count = int(rows["open"].sum())
    longest = rows["open_days_max"].dropna()
    return {
        "open": count,
        "mean_days": float(rows["open_days"].sum()) / count if count else None,
        "max_days": int(longest.max()) if len(longest) else None,
    }


def list_note(total: int, shown: int) -> str:
    """The caption's tail for a list cut to its first rows: '' when every row is shown."""
    return fmt.shown_note(total, shown, "条", total_said=True) or ""


def totals(df: pd.DataFrame, year: int) -> dict:
    """Sum the `hazard_totals` rows of one year over the levels, with 整改率 and 闭环率 and the 重大 counts."""
    rows = df[df["year"] == year]
    cols = ["found", "rectified", "due", "closed_on_time", "open", "overdue"]
    out: dict[str, float | None] = {c: int(rows[c].sum()) for c in cols}
    major = rows[rows["level"] == "重大"]
    out.update({f"{c}_major": int(major[c].sum()) for c in cols})
    out["rectification_rate"] = rectification_rate(out["rectified"], out["found"])
    out["closure_rate"] = closure_rate(out["closed_on_time"], out["due"])
    return out


def grade_history(df: pd.DataFrame, rule: GradeRule) -> pd.DataFrame:
    """Assessments with the grade the configured cut-offs give (`grade_by_rule`) next to the published one."""
    out = df.copy()
    out["grade_by_rule"] = [metrics.risk_grade(s, rule) for s in out["score"]]
    return out


def goal_floor(rule: GradeRule) -> float:
    """The lower bound (分) of the goal grade (D: `rule.d`)."""
    return {"A": 0.0, "B": rule.b, "C": rule.c, "D": rule.d}[rule.goal]


def points_to_goal(score, rule: GradeRule) -> float | None:
    """Points still needed to reach the goal grade's lower bound (0 when reached); None without a score."""
    if _missing(score):
        return None
    return max(goal_floor(rule) - score, 0.0)


def intensity(amount, value_added_wan) -> float | None:
    """Per unit of 增加值: amount ÷ 增加值 (万元), e.g. 吨标煤/万元; None when 增加值 is missing or zero."""
    if _missing(amount) or _missing(value_added_wan) or value_added_wan == 0:
        return None
    return amount / value_added_wan


def intensity_trend(df: pd.DataFrame) -> pd.DataFrame:
    """`safety_energy_emission` rows with 1—m月 单位增加值能耗 (吨标煤/万元) and 排放 (吨/亿元)."""
    out = df.copy()
    out["energy_per_va"] = [intensity(e, v) for e, v in zip(out["energy_ytd_tce"], out["value_added_ytd_wan"])]
    out["emission_per_va_yi"] = [
        None if x is None else x * 1e4
        for x in (intensity(e, v) for e, v in zip(out["emission_ytd_t"], out["value_added_ytd_wan"]))
    ]
    return out


def overdue_register(run, params: dict, limit: int | None = 200) -> pd.DataFrame:
    """The 到期未整改 hazards as the page lists them (query `hazard_register`, 重大 first, longest overdue first),
    under the filters in `params`; the brief's 需关注事项 read the same rows."""
    return run("hazard_register", {**params, "category": "", "ent_id": "", "status": OVERDUE, "limit": limit})


def breakdown(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension of `hazard_breakdown` with the parts of its register: 已整改 (of those found in the
    period), 整改中 (open, deadline not passed) and 到期未整改; plus each member's 整改率 (%)."""
    out = df[df["dimension"] == dimension].copy()
    out["pending"] = out["open"] - out["overdue"]
    out["register"] = out["rectified"] + out["open"]
    out["rectification_rate"] = [rectification_rate(r, f) for r, f in zip(out["rectified"], out["found"])]
    return out.reset_index(drop=True)


def register_view(annotated: pd.DataFrame) -> pd.DataFrame:
    """The annotated register with dates and day counts as display text ('—' where empty)."""
    from cockpit.domain import format as fmt

    out = annotated.copy()
    for col in ("found_date", "deadline", "rectified_date"):
        out[col] = [fmt.date(x) for x in out[col]]
    for col in ("age_days", "overdue_days"):
        out[col] = [fmt.days(x) for x in out[col]]
    for col in ("rectify_person", "supervise_office"):  # who is responsible: '—' where not recorded
        if col in out:
            out[col] = [fmt.DASH if fmt.is_blank(x) else x for x in out[col]]
    return out
