"""工业经济 page computations (pure: DataFrames from the named queries in, frames and cards out).

Measures are chosen by the user through the whitelist `MEASURES` (label → columns), never as text.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cockpit import format as fmt
from cockpit import metrics
from cockpit.attribution import attribute
from cockpit.cards import Card, _row, _yi, make_card
from cockpit.config import Rules

# label → (this year's column, last year's column, full name, 口径)
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "产值": ("output_wan", "output_ly_wan", "规上工业产值",
           "规模以上工业企业工业总产值（现价），万元"),
    "增加值": ("value_added_wan", "value_added_ly_wan", "规上工业增加值",
            "规模以上工业企业工业增加值（现价，按报表数计算），万元"),
}
MEASURE_IDS = {"产值": "output", "增加值": "value_added"}  # $measure of query industry_enterprise_rank
GROUPINGS = {"产业链": "chain", "国民经济行业": "sector"}


def month_word(month: int) -> str:
    """The 当月 period as published: 1—2月 together, then 3月 … 12月."""
    return "1—2月" if month <= 2 else f"{month}月"


def _count_card(value, previous, definition: str) -> Card:
    diff = None if value is None or previous is None else value - previous
    change_text = None
    if diff is not None:
        change_text = ("与上年同期持平" if diff == 0
                       else f"比上年同期 {'+' if diff > 0 else '-'}{fmt.count(abs(diff), '家')}")
    return Card("enterprise_count", "规上工业企业数", "家", value, fmt.count(value, "家"), diff,
                change_text, "diff", True, None, None, None, None, definition,
                "count(1—m月有产值申报的规上企业)", "enterprise_month")


def kpi_cards(kpis: pd.DataFrame, targets: pd.DataFrame, *, year: int, month: int,
              rules: Rules) -> list[Card]:
    """产值 and 增加值 累计 and 当月 with 同比, 高新 增加值 and 占比, 规上企业数, 占全县比重.

    `kpis`: rows of `industry_kpis` ($year and $year − 1). With the as-of month 2 the 当月 figure
    is 1—2月 (published together), i.e. the 累计.
    """
    tgt = {r.indicator_id: float(r.target_value) for r in targets.itertuples()}
    cur, ly = _row(kpis, year), _row(kpis, year - 1)
    word = month_word(month)
    period = fmt.period_label(year, month)

    def card(indicator_id, value, previous, *, targets=tgt, **kw):
        return make_card(indicator_id, value, previous, month=month, targets=targets, rules=rules,
                         **kw)

    def month_col(d, col):
        return d.get(col.replace("_month", "")) if month <= 2 else d.get(col)

    cards = []
    for ind, ytd_col, month_col_name in (("output", "output_wan", "output_month_wan"),
                                         ("value_added", "value_added_wan", "value_added_month_wan")):
        ytd = card(ind, _yi(cur.get(ytd_col)), _yi(ly.get(ytd_col)))
        cards.append(replace(ytd, name=f"{ytd.name}（1—{max(month, 2)}月累计）"))
        mon = card(ind, _yi(month_col(cur, month_col_name)), _yi(month_col(ly, month_col_name)),
                   targets={})
        cards.append(replace(mon, name=f"{mon.name}（当月 {word}）",
                             definition=mon.definition.replace("1—m月累计", f"{word}当月值")
                             + ("（1—2月数据合并发布）" if month <= 2 else ""),
                             formula=f"Σ {word}工业{'总产值' if ind == 'output' else '增加值'} ÷ 10000"))
    cards.append(card("high_tech_va", _yi(cur.get("high_tech_va_wan")), _yi(ly.get("high_tech_va_wan"))))
    cards.append(card("high_tech_share",
                      metrics.share(cur.get("high_tech_va_wan"), cur.get("value_added_wan")),
                      metrics.share(ly.get("high_tech_va_wan"), ly.get("value_added_wan")),
                      change_mode="points"))
    cards.append(_count_card(cur.get("enterprise_count"), ly.get("enterprise_count"),
                             f"{period}有产值申报的规模以上工业企业家数，与上年同期比较。"))
    cards.append(card("county_share",
                      metrics.share(cur.get("output_wan"), cur.get("county_output_wan")),
                      metrics.share(ly.get("output_wan"), ly.get("county_output_wan")),
                      change_mode="points"))
    return cards


def monthly(df: pd.DataFrame, measure: str, cumulative: bool) -> tuple[pd.DataFrame, str]:
    """The trend rows for one measure (当月 or 累计) and the column to plot.

    Adds `yoy_pct`: this period's 同比 against the same period of last year.
    """
    cur_col = MEASURES[measure][0]
    col = cur_col.replace("_wan", "_ytd_wan") if cumulative else cur_col
    out = df[["year", "month", col]].copy()
    last = out.assign(year=out["year"] + 1).rename(columns={col: "ly"})
    out = out.merge(last, on=["year", "month"], how="left")
    out["yoy_pct"] = [metrics.yoy(c, p) for c, p in zip(out[col], out["ly"])]
    return out.drop(columns="ly"), col


def sector_attribution(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Level, 同比, 拉动 (个百分点) and 贡献率 (%) per part, sorted by 拉动 (largest first).

    `df`: rows of `industry_by_sector`. The 拉动 of all parts adds up to the total's 同比.
    """
    cur, prev = MEASURES[measure][:2]
    out = attribute(df, key="part", current=cur, previous=prev)
    out = out.rename(columns={cur: "current_wan", prev: "previous_wan"})
    return out.sort_values(["pull_pp", "current_wan"], ascending=False).reset_index(drop=True)


def total_growth(df: pd.DataFrame, measure: str) -> float | None:
    """The total 同比 of the measure over all parts (what the 拉动 add up to)."""
    cur, prev = MEASURES[measure][:2]
    return metrics.yoy(float(df[cur].sum()), float(df[prev].sum()))


def high_tech_share(df: pd.DataFrame) -> pd.DataFrame:
    """Adds `share_pct` (高新技术产业增加值占规上增加值, %) per year."""
    out = df.copy()
    out["share_pct"] = [metrics.share(h, v) for h, v in
                        zip(out["high_tech_va_wan"], out["value_added_wan"])]
    return out


RANKINGS = {
    "规模最大": "top",
    "增速最快": "growth",
    "下拉最多（减量最大）": "decline",
}


def enterprise_table(df: pd.DataFrame, measure: str, kind: str, *, n: int = 10,
                     search: str = "") -> pd.DataFrame:
    """Top N enterprises by level ("top"), by 同比 ("growth", firms with a last-year base only) or the
    largest decliners ("decline": Δ < 0, most negative first), optionally only names containing `search`.

    Adds delta_wan, yoy_pct and pull_pp (the enterprise's 拉动 on the total, 个百分点) computed over
    all enterprises in `df` (before the search).
    """
    cur, prev = MEASURES[measure][:2]
    out = df.copy()
    out["current_wan"] = out[cur].astype(float)
    out["previous_wan"] = out[prev].astype(float)
    out["delta_wan"] = out["current_wan"] - out["previous_wan"]
    total_prev = float(out["previous_wan"].sum())
    out["yoy_pct"] = [metrics.yoy(c, p) for c, p in zip(out["current_wan"], out["previous_wan"])]
    out["pull_pp"] = [metrics.pull(d, total_prev) for d in out["delta_wan"]]
    if search.strip():
        out = out[out["ent_name"].str.contains(search.strip(), case=False, regex=False)]
    if kind == "growth":
        out = out[out["previous_wan"] > 0].sort_values(["yoy_pct", "ent_id"],
                                                       ascending=[False, True])
    elif kind == "decline":
        out = out[out["delta_wan"] < 0].sort_values(["delta_wan", "ent_id"])
    else:
        out = out.sort_values(["current_wan", "ent_id"], ascending=[False, True])
    return out.head(n).reset_index(drop=True)


def turnover_counts(row: pd.DataFrame) -> dict[str, int | None]:
    """`enterprise_turnover` from the one-row result of query `industry_turnover` (counted in SQL)."""
    r = row.iloc[0]
    known = int(r["before"]) > 0
    return {"now": int(r["now"]), "before": int(r["before"]),
            "entered": int(r["entered"]) if known else None,
            "left": int(r["left_count"]) if known else None}


def enterprise_turnover(df: pd.DataFrame) -> dict[str, int | None]:
    """规上企业数 now and a year ago (same months), with entrants (新进规) and leavers (退出).

    Without any enterprise reporting a year ago (no data), entrants and leavers are None.
    """
    now = df["is_reporting"].astype(bool)
    before = df["was_reporting"].astype(bool)
    known = bool(before.any())
    return {"now": int(now.sum()), "before": int(before.sum()),
            "entered": int((now & ~before).sum()) if known else None,
            "left": int((~now & before).sum()) if known else None}
