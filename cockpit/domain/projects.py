"""Project pipeline arithmetic: stage as of a date, funnel, 开工率 / 投产率 / 资金到位率, lagging projects.

Pure functions over plain values or the per-project DataFrame of `queries/project_pipeline.sql`; no I/O,
no Streamlit. The page gets the same figures from SQL aggregates (`project_rates`, `project_funnel`,
`project_lagging`, `invest_top_movers`: provincial data has 200,000 projects); the functions here are
the reference those queries are tested against, and serve one project or a short list.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from cockpit.domain import format as fmt
from cockpit.domain import metrics
from cockpit.domain.metrics import Status

# 谋划 → 在谈 → 签约 → 开工 → 竣工 → 投产, each with the column holding the date it was reached
STAGES = ("谋划", "在谈", "签约", "开工", "竣工", "投产")
STAGE_DATE = {
    "谋划": "date_idea",
    "在谈": "date_talk",
    "签约": "date_sign",
    "开工": "date_start",
    "竣工": "date_complete",
    "投产": "date_produce",
}
# 基础设施 / 平台提升 projects have no 在谈, 签约 or 投产 (data/README.md)
KIND_STAGES = {"产业": STAGES, "基础设施": ("谋划", "开工", "竣工"), "平台提升": ("谋划", "开工", "竣工")}
# the measures of the 投资增长 tab: registry indicators whose columns `invest_trend` carries as <id>_ytd_wan
INVEST_MEASURES = ("fai", "industrial_invest", "high_tech_invest")


as_of_date = fmt.as_of_date  # the last day of the as-of month: (2024, 2) → 2024-02-29


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def stage_as_of(dates: dict, as_of: dt.date) -> str | None:
    """The furthest stage reached on or before `as_of` (None before 谋划).

    `dates`: stage column name → date or None (e.g. a project row as a dict).
    """
    reached = None
    for stage in STAGES:
        d = _date(dates.get(STAGE_DATE[stage]))
        if d is not None and d <= as_of:
            reached = stage
    return reached


def reached(dates: dict, stage: str, as_of: dt.date) -> bool:
    """Whether the project reached `stage` on or before `as_of` (its own date is set and not later)."""
    d = _date(dates.get(STAGE_DATE[stage]))
    return d is not None and d <= as_of


def active_in_year(df: pd.DataFrame, year: int, as_of: dt.date) -> pd.DataFrame:
    """Projects of the year's pipeline: 谋划 by `as_of` and not finished (投产, or 竣工 for
    projects without 投产) before 1 January of `year`."""
    start = dt.date(year, 1, 1)
    keep = []
    for row in df.to_dict("records"):
        idea = _date(row.get("date_idea"))
        done = _date(row.get("date_produce")) or (
            None if row.get("kind") == "产业" else _date(row.get("date_complete"))
        )
        keep.append(idea is not None and idea <= as_of and (done is None or done >= start))
    return df[keep]


def funnel(df: pd.DataFrame, as_of: dt.date, kind: str = "产业") -> pd.DataFrame:
    """Counts and 计划总投资 at each stage of `kind`'s pipeline.

    Returns stage, reached_count (projects that reached the stage by `as_of`), reached_invest_wan,
    current_count (projects whose furthest stage is this one). A stage a project reached on a date
    after a later stage's date (data out of order) still counts as reached.
    """
    rows = df[df["kind"] == kind].to_dict("records")
    stages = KIND_STAGES.get(kind, STAGES)
    current = [stage_as_of(r, as_of) for r in rows]
    out = []
    for stage in stages:
        hit = [r for r in rows if reached(r, stage, as_of)]
        out.append(
            {
                "stage": stage,
                "reached_count": len(hit),
                "reached_invest_wan": float(sum(r["total_invest_wan"] or 0 for r in hit)),
                "current_count": sum(1 for c in current if c == stage),
            }
        )
    return pd.DataFrame(out, columns=["stage", "reached_count", "reached_invest_wan", "current_count"])


@dataclass(frozen=True)
class Rates:
    start_planned: int  # 计划当年开工的项目数
    started: int  # 其中截至期末已开工
    produce_planned: int  # 计划当年投产（无投产环节的项目：竣工）的项目数
    produced: int  # 其中截至期末已投产（竣工）
    funds_in_wan: float  # 1—m月到位资金
    plan_wan: float  # 1—m月计划投资

    @property
    def start_rate(self) -> float | None:
        """开工率, %."""
        return metrics.share(self.started, self.start_planned)

    @property
    def produce_rate(self) -> float | None:
        """投产率, %."""
        return metrics.share(self.produced, self.produce_planned)

    @property
    def funds_rate(self) -> float | None:
        """资金到位率, %."""
        return metrics.share(self.funds_in_wan, self.plan_wan)


def _finish_column(kind: str) -> str:
    return "date_produce" if kind == "产业" else "date_complete"


def rates(df: pd.DataFrame, year: int, as_of: dt.date) -> Rates:
    """开工率 = 已开工 ÷ 计划当年开工; 投产率 = 已投产（竣工）÷ 计划当年投产（竣工）;
    资金到位率 = Σ 1—m月到位资金 ÷ Σ 1—m月计划投资 (columns funds_in_ytd_wan, plan_ytd_wan)."""
    start_planned = started = produce_planned = produced = 0
    for r in df.to_dict("records"):
        plan_start, plan_produce = _date(r.get("plan_start")), _date(r.get("plan_produce"))
        if plan_start is not None and plan_start.year == year:
            start_planned += 1
            started += reached(r, "开工", as_of)
        if plan_produce is not None and plan_produce.year == year:
            produce_planned += 1
            finish = _date(r.get(_finish_column(r.get("kind"))))
            produced += finish is not None and finish <= as_of
    return Rates(
        start_planned,
        started,
        produce_planned,
        produced,
        float(df["funds_in_ytd_wan"].fillna(0).sum()),
        float(df["plan_ytd_wan"].fillna(0).sum()),
    )


def rates_of(row: pd.DataFrame) -> Rates:
    """`Rates` from the one row of `queries/project_rates.sql`."""
    r = row.iloc[0]
    return Rates(
        int(r["start_planned"]),
        int(r["started"]),
        int(r["produce_planned"]),
        int(r["produced"]),
        float(r["funds_in_wan"]),
        float(r["plan_wan"]),
    )


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month: (2024-06-30, 2024-09-01) → 3."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def lag_status(months_late: int, *, yellow_months: int, red_months: int) -> Status | None:
    """Yellow from `yellow_months` months late, red from `red_months`; None when not late enough."""
    if months_late >= red_months:
        return Status.RED
    if months_late >= yellow_months:
        return Status.YELLOW
    return None


def lagging(df: pd.DataFrame, as_of: dt.date, *, yellow_months: int = 1, red_months: int = 3) -> pd.DataFrame:
    """Projects whose planned 开工 or 投产（竣工）month has passed without reaching that stage by `as_of`.

    A planned month has passed when it is before the as-of month. One row per project and missed
    milestone: project_id, project_name, milestone, plan_date, months_late, status; red first, then by
    months late (most first).
    """
    out = []
    for r in df.to_dict("records"):
        finish_stage = "投产" if r.get("kind") == "产业" else "竣工"
        for milestone, plan_col, stage in (
            ("开工", "plan_start", "开工"),
            (finish_stage, "plan_produce", finish_stage),
        ):
            plan = _date(r.get(plan_col))
            if plan is None or reached(r, stage, as_of):
                continue
            late = months_between(plan, as_of)
            light = lag_status(late, yellow_months=yellow_months, red_months=red_months)
            if light is not None:
                out.append(
                    {
                        "project_id": r["project_id"],
                        "project_name": r["project_name"],
                        "milestone": milestone,
                        "plan_date": plan,
                        "months_late": late,
                        "status": light,
                    }
                )
    cols = ["project_id", "project_name", "milestone", "plan_date", "months_late", "status"]
    if not out:
        return pd.DataFrame(columns=cols)
    res = pd.DataFrame(out, columns=cols)
    res["_red"] = res["status"] == Status.RED
    return (
        res.sort_values(["_red", "months_late", "project_id"], ascending=[False, False, True])
        .drop(columns="_red")
        .reset_index(drop=True)
    )


def lag_rows(df: pd.DataFrame) -> pd.DataFrame:
    """`queries/project_lagging.sql` rows with `status` as `Status` (the query says 'red' / 'yellow')."""
    out = df.copy()
    out["status"] = [Status(s) for s in out["status"]]
    return out


def total_rows(df: pd.DataFrame, column: str = "total_count") -> int:
    """The count of all rows behind a LIMITed list (its `total_count` column; 0 when the list is empty)."""
    return int(df[column].iloc[0]) if len(df) else 0


def list_note(total: int, shown: int, unit: str = "个") -> str | None:
    """'共 X 个，显示前 N 个；下载 Excel 可得全部' when a list shows only part of its rows, else None."""
    return fmt.shown_note(total, shown, unit)


def pick_note(search: str, total: int, shown: int) -> str:
    """The line under the project picker: what it offers for `search` ('' = every project), given `total`
    matches of which the `shown` largest are offered. The search text is echoed literally (Markdown-escaped)."""
    from cockpit.domain import format as fmt
    from cockpit.domain.markup import plain

    text = plain(search)
    if search and not total:
        return f"没有名称或编号含“{text}”的项目。"
    found = f"含“{text}”的项目共 {fmt.count(total)}" if search else f"共 {fmt.count(total)}项目"
    if total > shown:
        return (
            f"{found}，下拉列表列出其中计划总投资最大的 {fmt.count(shown)}；在上方输入名称或编号可查找"
            "其他项目。项目查询不受筛选栏影响。"
        )
    if search:
        return f"{found}。项目查询不受筛选栏影响。"
    return "项目查询不受筛选栏影响，列出全部项目。"


def ytd_yoy(trend: pd.DataFrame, year: int) -> pd.DataFrame:
    """Month by month 1—m月累计 of the three investment measures and their 同比 (%).

    `trend`: year, month, fai_ytd_wan, industrial_invest_ytd_wan, high_tech_invest_ytd_wan for `year`
    and `year - 1`. Returns one row per month of `year`: month, <m>_ytd_wan, <m>_yoy_pct.
    """
    this = trend[trend["year"] == year].set_index("month")
    last = trend[trend["year"] == year - 1].set_index("month")
    out = pd.DataFrame({"month": this.index.astype(int)})
    for m in INVEST_MEASURES:
        col = f"{m}_ytd_wan"
        out[col] = this[col].to_numpy(dtype=float)
        out[f"{m}_yoy_pct"] = [metrics.yoy(this.at[mm, col], last[col].get(mm)) for mm in this.index]
    return out


@dataclass(frozen=True)
class LagRule:
    """滞后项目亮灯: yellow from `yellow_months` months late, red from `red_months`."""

    yellow_months: int = 1
    red_months: int = 3


def load_lag_rule(path=None) -> LagRule:
    """The [projects] section of the rules file (defaults when the file or keys are missing)."""

    from cockpit.data.config import rules_section

    raw = {"projects": rules_section("projects", path)}
    section = raw.get("projects", {})
    return LagRule(
        yellow_months=int(section.get("lag_yellow_months", 1)), red_months=int(section.get("lag_red_months", 3))
    )


# ---- page helpers: DataFrames in, cards / display tables out (pure) -------------------------------


def lagging_list(run, params: dict, rule: LagRule, limit: int | None) -> pd.DataFrame:
    """滞后项目 as the page lists them (query `project_lagging` under the filters in `params`, red first, most
    months late first; at most `limit` rows, None = all), with `status` as `Status`; the brief reads the same."""
    return lag_rows(
        run(
            "project_lagging",
            {**params, "yellow_months": rule.yellow_months, "red_months": rule.red_months, "limit": limit},
        )
    )


def top_movers(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Projects that account most for the change of investment: attribution by project
    (`invest_by_project` rows), the n largest increases then the n largest decreases."""
    from cockpit.domain.attribution import attribute

    att = attribute(df, key="project_id", current="invest_wan", previous="invest_ly_wan")
    att = att.merge(df[["project_id", "project_name", "kind", "chain"]], on="project_id")
    up = att[att["delta"] > 0].sort_values("delta", ascending=False).head(n)
    down = att[att["delta"] < 0].sort_values("delta").head(n)
    return pd.concat([up, down], ignore_index=True)


def bond_table(df: pd.DataFrame, month: int, rule) -> pd.DataFrame:
    """`bond_progress` rows plus spend_pct (累计支出 ÷ 累计到位, %), progress_pct (时序进度, %) and a
    status text (正常 / 预警 / 滞后: 支出进度 against 时序进度, `rule` = the status band)."""
    out = df.copy()
    out["spend_pct"] = [metrics.share(s, r) for s, r in zip(out["spent_wan"], out["received_wan"])]
    out["progress_pct"] = metrics.schedule_progress(month)
    out["status"] = [
        (
            metrics.STATUS_CN[light]
            if (light := metrics.status(s, r, month, cumulative=True, higher_is_better=True, rule=rule))
            else "未到位"
        )
        for s, r in zip(out["spent_wan"], out["received_wan"])
    ]
    return out


def stage_dates(project: dict, as_of: dt.date) -> pd.DataFrame:
    """One project's stages that apply to its kind: stage, date reached ('—' if not yet or after
    `as_of`) and the planned date for 开工 / 投产（竣工）, as 'YYYY-MM-DD' text."""
    stages = KIND_STAGES.get(project.get("kind"), STAGES)
    plan = {
        "开工": project.get("plan_start"),
        ("投产" if project.get("kind") == "产业" else "竣工"): project.get("plan_produce"),
    }
    rows = []
    for s in stages:
        d = _date(project.get(STAGE_DATE[s]))
        planned = _date(plan.get(s))
        rows.append(
            {
                "stage": s,
                "date": d.isoformat() if d is not None and d <= as_of else "—",
                "plan_date": planned.isoformat() if planned is not None else "—",
            }
        )
    return pd.DataFrame(rows)


def funnel_labels(f: pd.DataFrame) -> list[str]:
    """'42 个 · 31.20 亿元' per funnel row."""
    from cockpit.domain import format as fmt

    return [f"{fmt.count(c)} · {fmt.yi(w)}" for c, w in zip(f["reached_count"], f["reached_invest_wan"])]


def growth_labels(att: pd.DataFrame, *, covered: bool = True) -> list[str]:
    """'+12.3% · 拉动 +4.5 个百分点' per attributed row; '新增' when the part had nothing last year,
    '上年同期无数据' when last year lies outside the data."""
    from cockpit.domain.attribution import bar_label

    return [bar_label(y, d, covered=covered, same_enterprises=False) for y, d in zip(att["yoy_pct"], att["pull_pp"])]


_LAG_TEXT = {Status.RED: "红 · 严重滞后", Status.YELLOW: "黄 · 滞后"}
LAG_LIGHTS = {_LAG_TEXT[Status.RED]: "red", _LAG_TEXT[Status.YELLOW]: "yellow"}  # the light's word → its colour


def lag_texts(late: pd.DataFrame) -> list[str]:
    """The light of each lagging row as text (colour words, no emoji)."""
    return [_LAG_TEXT[s] for s in late["status"]]


def period_labels(monthly: pd.DataFrame) -> list[str]:
    """'2024-03' per (year, month) row."""
    return [f"{int(y)}-{int(m):02d}" for y, m in zip(monthly["year"], monthly["month"])]
