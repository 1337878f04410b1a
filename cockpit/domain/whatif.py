"""目标推演 arithmetic (pure): goal seek, sector-slider projection, sensitivity grid.

Inputs are the rows of the named queries `whatif_monthly` (indicator, year, month, value in the indicator's
unit) and `whatif_chain_monthly` (产业链, year, month, 万元); outputs are plain numbers and small frames.

- Required growth over the remaining months = (target − YTD) / last year's same months − 1.
- Projection: YTD + last year's remaining months × (1 + g), g per 产业链.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from cockpit.data.config import StatusRule
from cockpit.domain import format as fmt
from cockpit.domain import metrics
from cockpit.domain.indicators import BY_ID, REGISTRY, scope_phrase
from cockpit.domain.targets import by_indicator

# indicators with an annual target and monthly data (`goal_seek` in the registry; query whatif_monthly has them)
GOAL_SEEK_INDICATORS = tuple(i.id for i in REGISTRY.goal_seek())
PROJECTED_MEASURES = {"output": "output_wan", "value_added": "value_added_wan", "high_tech_va": "high_tech_va_wan"}
_CN_NUM = "零一二三四五六七八九十"


def cn_count(n: int) -> str:
    """A small count in Chinese numerals: 3 → '三', 10 → '十', 11 → '十一'."""
    if 0 <= n <= 10:
        return _CN_NUM[n]
    if n < 20:
        return "十" + _CN_NUM[n - 10]
    return str(n)


def _months(df: pd.DataFrame, year: int, months) -> float:
    rows = df[(df["year"] == year) & (df["month"].isin(list(months)))]
    return float(rows["value"].sum())


@dataclass(frozen=True)
class GoalSeek:
    indicator_id: str
    name: str
    unit: str
    target: float
    ytd: float  # 1—m月累计, in the indicator's unit
    completion: float | None  # 完成率, %
    progress: float  # 时序进度, %
    status: metrics.Status | None
    remaining_months: int  # 12 − m
    gap: float  # target − YTD (≤ 0 when reached)
    ly_remaining: float  # last year's (m+1)—12月
    required_growth: float | None  # % over last year's remaining months; None when undefined
    monthly_needed: float | None  # run-rate per remaining month (0 when reached)
    best_month: float | None  # highest 当月 value on record through the as-of month
    best_label: str  # '2023年12月'
    vs_best: float | None  # monthly_needed / best_month, %
    sentence: str
    scope: str = "全区"  # the target's scope: '全区', '产业链：新材料', '片区：…'


def goal_seek(
    monthly: pd.DataFrame,
    *,
    indicator_id: str,
    target: float | None,
    year: int,
    month: int,
    rule: StatusRule,
    scope: str = "全区",
) -> GoalSeek | None:
    """Goal seek for one indicator from its 当月 values (`monthly`: year, month, value) against `target` (of the
    scope `scope`, the one the monthly values cover).

    None without a positive target. Handles: target already reached, no remaining months (as-of 12月),
    last year's remaining months summing to zero, a required growth below zero.
    """
    if target is None or pd.isna(target) or target <= 0:
        return None
    meta = BY_ID[indicator_id]
    unit = meta.unit
    own = monthly[monthly["indicator_id"] == indicator_id] if "indicator_id" in monthly else monthly
    ytd = _months(own, year, range(1, month + 1))
    rest = range(month + 1, 13)
    n = len(rest)
    ly_rest = _months(own, year - 1, rest)
    gap = target - ytd
    record = own[(own["year"] < year) | ((own["year"] == year) & (own["month"] <= month))]
    best = best_label = None
    if not record.empty:
        top = record.loc[record["value"].idxmax()]
        best, best_label = float(top["value"]), f"{int(top['year'])}年{int(top['month'])}月"
    reached = gap <= 0
    needed = 0.0 if reached else (gap / n if n else None)
    growth = None
    if not reached and n and ly_rest > 0:
        growth = (gap / ly_rest - 1.0) * 100.0
    vs_best = None if needed is None or not best else needed / best * 100.0
    result = GoalSeek(
        indicator_id=indicator_id,
        name=meta.name,
        unit=unit,
        target=float(target),
        ytd=ytd,
        completion=metrics.completion(ytd, target),
        progress=metrics.schedule_progress(month),
        status=metrics.status(ytd, target, month, cumulative=True, higher_is_better=True, rule=rule),
        remaining_months=n,
        gap=gap,
        ly_remaining=ly_rest,
        required_growth=growth,
        monthly_needed=needed,
        best_month=best,
        best_label=best_label or "",
        vs_best=vs_best,
        sentence="",
        scope=scope or "全区",
    )
    return replace(result, sentence=goal_sentence(result))


def goal_sentence(g: GoalSeek) -> str:
    """The plain Chinese answer: '后三个月需同比增长 12.3%，月均 14.20 亿元'."""
    v = lambda x: fmt.by_unit(x, g.unit)  # noqa: E731
    scope = scope_phrase(g.scope)
    head = f"{g.name}：{scope}目标 {v(g.target)}，已完成 {v(g.ytd)}（完成率 {fmt.pct(g.completion)}）。"
    if g.gap <= 0:
        return head + f"已完成全年目标，超出 {v(-g.gap)}。"
    if g.remaining_months == 0:
        return head + f"全年已结束，距目标差 {v(g.gap)}。"
    rest = f"后{cn_count(g.remaining_months)}个月"
    run_rate = f"月均 {v(g.monthly_needed)}"
    if g.best_month:
        run_rate += f"（历史最高月 {g.best_label} {v(g.best_month)} 的 {fmt.pct(g.vs_best)}）"
    if g.required_growth is None:
        return head + f"上年同期{rest}为零，无法按同比测算；{rest}需完成 {v(g.gap)}，{run_rate}。"
    if g.required_growth < 0:
        return (
            head + f"{rest}同比下降不超过 {fmt.pct(-g.required_growth)} 即可完成目标，需完成 {v(g.gap)}，{run_rate}。"
        )
    return head + f"{rest}需同比增长 {fmt.pct(g.required_growth)}，{run_rate}。"


def goal_seek_all(
    monthly: pd.DataFrame, targets: pd.DataFrame, *, year: int, month: int, rule: StatusRule
) -> list[GoalSeek]:
    """Goal seek for every monthly indicator with a target (`targets`: indicator_id, target_value and optionally
    scope — from `indicators.scoped_targets`, the target of the filters' scope; `monthly` in the same scope)."""
    tgt = by_indicator(targets)
    scopes = dict(zip(targets["indicator_id"], targets["scope"])) if "scope" in targets else {}
    out = []
    for ind in GOAL_SEEK_INDICATORS:
        g = goal_seek(
            monthly,
            indicator_id=ind,
            target=tgt.get(ind),
            year=year,
            month=month,
            rule=rule,
            scope=scopes.get(ind, "全区"),
        )
        if g is not None:
            out.append(g)
    return out


def goal_table(seeks: list[GoalSeek]) -> pd.DataFrame:
    """One row per indicator for the goal-seek table (numbers in the indicator's unit, % in percent; blank
    where undefined)."""
    table = pd.DataFrame(
        [
            {
                "指标": g.name,
                "目标范围": g.scope,
                "单位": g.unit,
                "年度目标": g.target,
                "累计完成": g.ytd,
                "完成率（%）": g.completion,
                "时序进度（%）": g.progress,
                "状态": metrics.STATUS_CN.get(g.status, "—") if g.status else "—",
                "剩余月份": g.remaining_months,
                "上年同期剩余月份": g.ly_remaining,
                "所需同比（%）": g.required_growth,
                "所需月均": g.monthly_needed,
                "历史最高月": g.best_month,
                "最高月份": g.best_label,
            }
            for g in seeks
        ]
    )
    for col in ("完成率（%）", "所需同比（%）", "所需月均", "历史最高月"):
        table[col] = pd.to_numeric(table[col], errors="coerce")
    return table


# ------------------------------------------------------------------------------------------------
# sector sliders
# ------------------------------------------------------------------------------------------------


def chain_base(chain_monthly: pd.DataFrame, *, year: int, month: int) -> pd.DataFrame:
    """Per 产业链 and measure: YTD, last year's same months, last year's remaining months and full year.

    Returns one row per 产业链 with columns `<m>_ytd`, `<m>_ly_ytd`, `<m>_ly_rest`, `<m>_ly` (万元) for
    each measure of PROJECTED_MEASURES, and `yoy_ytd` (产值 同比 of the YTD, %). Ordered by last year's
    产值, largest first, with 其他 last.
    """
    df = chain_monthly
    chains = list(dict.fromkeys(df["chain"]))
    cur = df[(df["year"] == year) & (df["month"] <= month)].groupby("chain").sum(numeric_only=True)
    ly = df[df["year"] == year - 1]
    ly_ytd = ly[ly["month"] <= month].groupby("chain").sum(numeric_only=True)
    ly_rest = ly[ly["month"] > month].groupby("chain").sum(numeric_only=True)
    ly_all = ly.groupby("chain").sum(numeric_only=True)
    out = pd.DataFrame({"chain": chains}).set_index("chain")
    for col in PROJECTED_MEASURES.values():
        out[f"{col}_ytd"] = cur[col] if col in cur else 0.0
        out[f"{col}_ly_ytd"] = ly_ytd[col] if col in ly_ytd else 0.0
        out[f"{col}_ly_rest"] = ly_rest[col] if col in ly_rest else 0.0
        out[f"{col}_ly"] = ly_all[col] if col in ly_all else 0.0
    out = out.fillna(0.0).astype(float)
    out["yoy_ytd"] = [metrics.yoy(c, p) for c, p in zip(out["output_wan_ytd"], out["output_wan_ly_ytd"])]
    out["is_other"] = out.index == "其他"
    out = out.sort_values(
        ["is_other", "output_wan_ly", "output_wan_ytd"], ascending=[True, False, False], kind="stable"
    ).drop(columns="is_other")
    return out.reset_index()


def project(base: pd.DataFrame, growth: dict[str, float]) -> pd.DataFrame:
    """Projected annual values per 产业链: YTD + last year's remaining months × (1 + g/100).

    `growth`: 产业链 → assumed 同比 (%) for the rest of the year (missing chains: 0). Adds `<m>_proj`
    (万元), `growth_pct`, `yoy_pct` (projected annual 产值 vs last year) and `pull_pp` (拉动 on 产值,
    个百分点 of last year's total).
    """
    out = base.copy()
    g = out["chain"].map(lambda c: float(growth.get(c, 0.0)))
    out["growth_pct"] = g
    for col in PROJECTED_MEASURES.values():
        out[f"{col}_proj"] = out[f"{col}_ytd"] + out[f"{col}_ly_rest"] * (1.0 + g / 100.0)
    total_ly = float(out["output_wan_ly"].sum())
    out["yoy_pct"] = [metrics.yoy(c, p) for c, p in zip(out["output_wan_proj"], out["output_wan_ly"])]
    out["pull_pp"] = [metrics.pull(c - p, total_ly) for c, p in zip(out["output_wan_proj"], out["output_wan_ly"])]
    return out


@dataclass(frozen=True)
class Projection:
    output: float  # 亿元
    output_yoy: float | None
    value_added: float  # 亿元
    value_added_yoy: float | None
    high_tech_va: float  # 亿元
    high_tech_share: float | None  # %
    output_completion: float | None  # % of the 产值 target
    value_added_completion: float | None


def summarize(projected: pd.DataFrame, targets: dict[str, float]) -> Projection:
    """Totals of a projection in 亿元 with 同比, 高新占比 and 完成率 against the 全区 targets (亿元)."""
    tot = {k: float(projected[f"{col}_proj"].sum()) / 1e4 for k, col in PROJECTED_MEASURES.items()}
    ly = {k: float(projected[f"{col}_ly"].sum()) / 1e4 for k, col in PROJECTED_MEASURES.items()}
    return Projection(
        output=tot["output"],
        output_yoy=metrics.yoy(tot["output"], ly["output"]),
        value_added=tot["value_added"],
        value_added_yoy=metrics.yoy(tot["value_added"], ly["value_added"]),
        high_tech_va=tot["high_tech_va"],
        high_tech_share=metrics.share(tot["high_tech_va"], tot["value_added"]),
        output_completion=metrics.completion(tot["output"], targets.get("output")),
        value_added_completion=metrics.completion(tot["value_added"], targets.get("value_added")),
    )


def projected_path(
    chain_monthly: pd.DataFrame, growth: dict[str, float], *, year: int, month: int, measure: str = "output_wan"
) -> pd.DataFrame:
    """Monthly 累计 (亿元) of the measure: actual months 1—m, then projected months m—12 (joined at m).

    Projected month k = last year's month k × (1 + g/100), per 产业链. Columns: month, kind (实际/推演),
    ytd (亿元). The 推演 series starts at the last actual point so the lines join.
    """
    df = chain_monthly
    g = df["chain"].map(lambda c: float(growth.get(c, 0.0)))
    cur = df[(df["year"] == year) & (df["month"] <= month)].groupby("month")[measure].sum()
    ly = (
        df[(df["year"] == year - 1) & (df["month"] > month)]
        .assign(v=lambda d: d[measure] * (1.0 + g[d.index] / 100.0))
        .groupby("month")["v"]
        .sum()
    )
    actual = cur.cumsum() / 1e4
    rows = [{"month": int(m), "kind": "实际", "ytd": float(v)} for m, v in actual.items()]
    start = float(actual.iloc[-1]) if len(actual) else 0.0
    if len(ly):
        rows.append({"month": int(month), "kind": "推演", "ytd": start})
        for m, v in (start + ly.cumsum() / 1e4).items():
            rows.append({"month": int(m), "kind": "推演", "ytd": float(v)})
    return pd.DataFrame(rows, columns=["month", "kind", "ytd"])


# ------------------------------------------------------------------------------------------------
# sensitivity grid
# ------------------------------------------------------------------------------------------------

DEFAULT_GRID = (-5.0, 0.0, 5.0, 10.0, 15.0)


def sensitivity(
    monthly: pd.DataFrame, targets: pd.DataFrame, *, year: int, month: int, rule: StatusRule, growths=DEFAULT_GRID
) -> pd.DataFrame:
    """完成率 of the full year if the remaining months grow by g against last year, per indicator × g.

    Projected = YTD + last year's remaining months × (1 + g/100); status as at year end (bar 100 %).
    Columns: indicator_id, name, growth_pct, projected, completion, status ('green'/'yellow'/'red').
    """
    tgt = by_indicator(targets)
    rows = []
    for ind in GOAL_SEEK_INDICATORS:
        target = tgt.get(ind)
        if target is None or pd.isna(target) or target <= 0:
            continue
        own = monthly[monthly["indicator_id"] == ind]
        ytd = _months(own, year, range(1, month + 1))
        ly_rest = _months(own, year - 1, range(month + 1, 13))
        for g in growths:
            projected = ytd + ly_rest * (1.0 + g / 100.0)
            st = metrics.status(projected, target, 12, cumulative=True, higher_is_better=True, rule=rule)
            rows.append(
                {
                    "indicator_id": ind,
                    "name": BY_ID[ind].name,
                    "growth_pct": float(g),
                    "projected": projected,
                    "completion": metrics.completion(projected, target),
                    "status": st.value if st else None,
                }
            )
    return pd.DataFrame(rows, columns=["indicator_id", "name", "growth_pct", "projected", "completion", "status"])


def chain_table(projected: pd.DataFrame) -> pd.DataFrame:
    """The per-产业链 projection for display: 亿元 and % with units in the column names."""
    return pd.DataFrame(
        {
            "产业链": projected["chain"],
            "假设同比（%）": projected["growth_pct"],
            "本年累计产值（亿元）": projected["output_wan_ytd"] / 1e4,
            "上年全年产值（亿元）": projected["output_wan_ly"] / 1e4,
            "全年推演产值（亿元）": projected["output_wan_proj"] / 1e4,
            "推演同比（%）": projected["yoy_pct"],
            "拉动（个百分点）": projected["pull_pp"],
        }
    )
