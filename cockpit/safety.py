"""Pure arithmetic of the 安全生产 page: 整改率, 闭环率, overdue classification, hazard age, grades.

口径 (the definitions shown on the page; the period is 1 月 1 日 — the as-of date, the end of the filter's month):
- 整改率 = 本期发现且截至期末已整改的隐患数 ÷ 本期发现的隐患数 × 100%.
- 闭环率（按期闭环率）= 整改期限在本期内且已过期限的隐患中，在期限当日或之前整改的个数 ÷ 这些隐患的个数 × 100%.
  A deadline has passed when it is before the as-of date.
- 到期未整改 = 期末仍未整改（整改日期为空或晚于期末）且整改期限早于期末的隐患（whenever found）.
- 隐患时长（天）= 期末 − 发现日期, for hazards open at the as-of date; 逾期天数 = 期末 − 整改期限.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

import pandas as pd

from cockpit import metrics
from cockpit.format import is_blank as _missing
from cockpit.config import GradeRule

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


def as_of_date(year: int, month: int) -> dt.date:
    """The as-of date of a 1—m月 period: the last day of month m (1—2月 ends on the last day of February)."""
    month = max(month, 2)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


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
    out["status"] = [hazard_status(f, d, r, as_of) for f, d, r in
                     zip(out["found_date"], out["deadline"], out["rectified_date"])]
    out["age_days"] = pd.array([hazard_age(f, r, as_of) for f, r in
                                zip(out["found_date"], out["rectified_date"])], dtype="Int64")
    out["overdue_days"] = pd.array([days_overdue(d, r, as_of) for d, r in
                                    zip(out["deadline"], out["rectified_date"])], dtype="Int64")
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    out["_status_rank"] = out["status"].map(rank)
    out["_major_rank"] = (out["level"] != "重大").astype(int)
    out["_overdue"] = out["overdue_days"].fillna(-1)
    out = out.sort_values(["_status_rank", "_major_rank", "_overdue", "found_date", "hazard_id"],
                          ascending=[True, True, False, False, True], kind="stable")
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
    from cockpit import format as fmt

    if total <= shown:
        return ""
    return f"，显示前 {fmt.count(shown, '条')}；下载 Excel 可得全部"


def totals(df: pd.DataFrame, year: int) -> dict:
    """Sum the `hazard_totals` rows of one year over the levels, with 整改率 and 闭环率 and the 重大 counts."""
    rows = df[df["year"] == year]
    cols = ["found", "rectified", "due", "closed_on_time", "open", "overdue"]
    out = {c: int(rows[c].sum()) for c in cols}
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
    out["energy_per_va"] = [intensity(e, v) for e, v in
                            zip(out["energy_ytd_tce"], out["value_added_ytd_wan"])]
    out["emission_per_va_yi"] = [None if x is None else x * 1e4 for x in
                                 (intensity(e, v) for e, v in
                                  zip(out["emission_ytd_t"], out["value_added_ytd_wan"]))]
    return out


def _meta(name_cn: str, unit: str, definition: str, formula: str, source_table: str,
          higher_is_better: bool) -> dict:
    return {"name_cn": name_cn, "unit": unit, "definition": definition, "formula": formula,
            "source_table": source_table, "higher_is_better": higher_is_better}


# page-level indicators (the 总览's catalogue holds 未整改重大隐患, 生产安全事故 and the risk score)
META = {
    "hazards_found": _meta("本期发现隐患", "个", "1月1日至期末排查发现的隐患个数（一般 + 重大）。",
                           "count(隐患 | 发现日期在本期内)", "hazards", False),
    "rectification_rate": _meta("隐患整改率", "%", DEFINITIONS["整改率"],
                                "已整改数 ÷ 发现数 × 100%", "hazards", True),
    "closure_rate": _meta("隐患按期闭环率", "%", DEFINITIONS["闭环率"],
                          "按期整改数 ÷ 已到期隐患数 × 100%", "hazards", True),
    "hazards_open": _meta("期末未整改隐患", "个", DEFINITIONS["未整改"],
                          "count(隐患 | 发现日期 ≤ 期末 且 未整改或整改日期 > 期末)", "hazards", False),
    "hazards_overdue": _meta("到期未整改隐患", "个", DEFINITIONS["到期未整改"] + "目标为零。",
                             "count(未整改隐患 | 整改期限 < 期末)", "hazards", False),
    "days_without_accident": _meta("连续无事故天数", "天",
                                   "最近一起生产安全事故之日至期末的天数（按当前筛选范围内的企业）。",
                                   "期末 − 最近一起事故日期", "accidents", True),
    "training": _meta("安全培训", "人次",
                      "本期安全生产培训参训人次；按片区统计，不受产业链/行业/高新筛选影响。",
                      "Σ 参训人次（培训，1—m月）", "trainings", True),
    "drills": _meta("应急演练", "次",
                    "本期组织的应急演练次数；按片区统计，不受产业链/行业/高新筛选影响。",
                    "count(演练，1—m月)", "trainings", True),
}


def _row(df: pd.DataFrame, **match) -> dict:
    rows = df
    for k, v in match.items():
        rows = rows[rows[k] == v]
    if rows.empty:
        return {}
    return {k: (None if _missing(v) else v) for k, v in rows.iloc[0].to_dict().items()}


def page_cards(hazard_totals: pd.DataFrame, accidents: pd.DataFrame, training: pd.DataFrame,
               assessments: pd.DataFrame, targets: pd.DataFrame, *, year: int, month: int,
               rules) -> tuple[list, list]:
    """The two card rows of the page: 隐患 (found, 整改率, 闭环率, open, overdue, 重大 open) and
    事故 / 培训 / 演练 / 风险等级. Accidents and 到期未整改 have the target 0; the score the goal grade's bound."""
    from dataclasses import replace

    from cockpit import format as fmt
    from cockpit.cards import make_card

    tgt = {r.indicator_id: float(r.target_value) for r in targets.itertuples()}
    tgt.setdefault("accidents", 0.0)
    tgt["hazards_overdue"] = 0.0
    now, ly = totals(hazard_totals, year), totals(hazard_totals, year - 1)
    acc, acc_ly = _row(accidents, year=year), _row(accidents, year=year - 1)
    trn, trn_ly = _row(training, year=year, kind="培训"), _row(training, year=year - 1, kind="培训")
    drl, drl_ly = _row(training, year=year, kind="演练"), _row(training, year=year - 1, kind="演练")

    def card(indicator_id, cur, prev, change_mode="diff"):
        return make_card(indicator_id, cur, prev, month=month, targets=tgt, rules=rules,
                         change_mode=change_mode, meta=META.get(indicator_id))

    hazards = [
        card("hazards_found", now["found"], ly["found"]),
        card("rectification_rate", now["rectification_rate"], ly["rectification_rate"], "points"),
        card("closure_rate", now["closure_rate"], ly["closure_rate"], "points"),
        card("hazards_open", now["open"], ly["open"]),
        card("hazards_overdue", now["overdue"], ly["overdue"]),
        card("major_hazards_open", now["open_major"], ly["open_major"]),
    ]
    since = days_since(acc.get("last_accident_date"), as_of_date(year, month))
    days = card("days_without_accident", since, None)
    if since is None:
        days = replace(days, value_text="无事故记录", change_text="数据期内未发生事故")
    others = [
        card("accidents", acc.get("accidents"), acc_ly.get("accidents")),
        days,
        card("training", trn.get("participants"), trn_ly.get("participants"), "pct"),
        card("drills", drl.get("sessions"), drl_ly.get("sessions")),
    ]
    graded = grade_history(assessments, rules.grade)
    if len(graded):
        last = graded.iloc[-1]
        prev = graded.iloc[-2]["score"] if len(graded) > 1 else None
        tgt["risk_score"] = goal_floor(rules.grade)
        score = card("risk_score", float(last["score"]), prev)
        change = None if prev is None else float(last["score"]) - prev
        score = replace(score, name="化工集聚区风险等级",
                        value_text=f"{last['grade_by_rule']} 类",
                        change_text=f"{fmt.num(last['score'], 1)} 分" + (
                            "" if change is None else
                            f"，比上次 {'+' if change >= 0 else '−'}{fmt.num(abs(change), 1)}"))
        others.append(score)
    return hazards, others


def breakdown(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension of `hazard_breakdown` with the parts of its register: 已整改 (of those found in the
    period), 整改中 (open, deadline not passed) and 到期未整改; plus each member's 整改率 (%)."""
    out = df[df["dimension"] == dimension].copy()
    out["pending"] = out["open"] - out["overdue"]
    out["register"] = out["rectified"] + out["open"]
    out["rectification_rate"] = [rectification_rate(r, f) for r, f in
                                 zip(out["rectified"], out["found"])]
    return out.reset_index(drop=True)


ENV_META = {
    "energy_per_va": _meta("单位增加值能耗", "吨标煤/万元",
                           "规上工业企业 1—m月综合能耗 ÷ 同期工业增加值（现价），越低越好。",
                           "Σ 综合能耗（吨标煤）÷ Σ 增加值（万元）", "enterprise_month", False),
    "emission_per_va_yi": _meta("单位增加值排放", "吨/亿元",
                                "规上工业企业 1—m月主要污染物排放当量 ÷ 同期工业增加值（现价），越低越好。",
                                "Σ 排放当量（吨）÷ Σ 增加值（亿元）", "enterprise_month", False),
}


def env_cards(trend: pd.DataFrame, *, year: int, month: int, rules) -> list:
    """减污降碳 cards: 1—m月 单位增加值能耗 and 排放 with 同比 (from `intensity_trend`)."""
    from cockpit.cards import make_card

    cur, prev = _row(trend, year=year, month=month), _row(trend, year=year - 1, month=month)
    return [make_card(key, cur.get(key), prev.get(key), month=month, targets={}, rules=rules,
                      meta=meta) for key, meta in ENV_META.items()]


def register_view(annotated: pd.DataFrame) -> pd.DataFrame:
    """The annotated register with dates and day counts as display text ('—' where empty)."""
    from cockpit import format as fmt

    out = annotated.copy()
    for col in ("found_date", "deadline", "rectified_date"):
        out[col] = [fmt.date(x) for x in out[col]]
    for col in ("age_days", "overdue_days"):
        out[col] = [fmt.days(x) for x in out[col]]
    for col in ("rectify_person", "supervise_office"):  # who is responsible: '—' where not recorded
        if col in out:
            out[col] = [fmt.DASH if fmt.is_blank(x) else x for x in out[col]]
    return out
