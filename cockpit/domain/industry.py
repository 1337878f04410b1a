"""工业经济 page computations (pure: DataFrames from the named queries in, frames out; the KPI cards come from
the indicator registry).

Measures are chosen by the user through the whitelist `MEASURES` (label → columns), never as text.
"""

from __future__ import annotations

import pandas as pd

from cockpit.domain import metrics
from cockpit.domain.attribution import attribute_levels, comparison_columns
from cockpit.domain.indicators import month_word  # noqa: F401  (the 当月 word, used by the page)

# label → (this year's column, last year's column, full name, 口径)
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "产值": ("output_wan", "output_ly_wan", "规上工业产值", "规模以上工业企业工业总产值（现价），万元"),
    "增加值": (
        "value_added_wan",
        "value_added_ly_wan",
        "规上工业增加值",
        "规模以上工业企业工业增加值（现价，按报表数计算），万元",
    ),
}
MEASURE_IDS = {"产值": "output", "增加值": "value_added"}  # $measure of query industry_enterprise_rank
GROUPINGS = {"产业链": "chain", "国民经济行业": "sector"}


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


def sector_attribution(df: pd.DataFrame, measure: str, *, same_enterprises: bool = False) -> pd.DataFrame:
    """Level (`current_wan`), 同比, 拉动 (个百分点) and 贡献率 (%) per part, sorted by 拉动 (largest first).

    `df`: rows of `industry_by_sector`. Growth on the 同口径 pair (enterprises that reported in both periods)
    when `same_enterprises`, else on all enterprises; the 拉动 of all parts adds up to the total's 同比 on the
    same basis.
    """
    level = MEASURES[measure][0]
    out = attribute_levels(df, key="part", level=level, same_enterprises=same_enterprises)
    prev = comparison_columns(level, same_enterprises)[1]
    out = out.assign(current_wan=out[level], previous_wan=out[prev])
    return out.sort_values(["pull_pp", "current_wan"], ascending=False).reset_index(drop=True)


def total_growth(df: pd.DataFrame, measure: str, *, same_enterprises: bool = False) -> float | None:
    """The total 同比 of the measure over all parts (what the 拉动 add up to), on the same basis."""
    cur, prev = comparison_columns(MEASURES[measure][0], same_enterprises)
    return metrics.yoy(float(df[cur].sum()), float(df[prev].sum()))


def high_tech_share(df: pd.DataFrame) -> pd.DataFrame:
    """Adds `share_pct` (高新技术产业增加值占规上增加值, %) per year."""
    out = df.copy()
    out["share_pct"] = [metrics.share(h, v) for h, v in zip(out["high_tech_va_wan"], out["value_added_wan"])]
    return out


RANKINGS = {
    "规模最大": "top",
    "增速最快": "growth",
    "下拉最多（减量最大）": "decline",
}


def enterprise_table(df: pd.DataFrame, measure: str, kind: str, *, n: int = 10, search: str = "") -> pd.DataFrame:
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
        out = out[out["previous_wan"] > 0].sort_values(["yoy_pct", "ent_id"], ascending=[False, True])
    elif kind == "decline":
        out = out[out["delta_wan"] < 0].sort_values(["delta_wan", "ent_id"])
    else:
        out = out.sort_values(["current_wan", "ent_id"], ascending=[False, True])
    return out.head(n).reset_index(drop=True)


def turnover_counts(row: pd.DataFrame) -> dict[str, int | None]:
    """`enterprise_turnover` from the one-row result of query `industry_turnover` (counted in SQL)."""
    r = row.iloc[0]
    known = int(r["before"]) > 0
    return {
        "now": int(r["now"]),
        "before": int(r["before"]),
        "entered": int(r["entered"]) if known else None,
        "left": int(r["left_count"]) if known else None,
    }


def enterprise_turnover(df: pd.DataFrame) -> dict[str, int | None]:
    """规上企业数 now and a year ago (same months), with entrants (新进规) and leavers (退出).

    Without any enterprise reporting a year ago (no data), entrants and leavers are None.
    """
    now = df["is_reporting"].astype(bool)
    before = df["was_reporting"].astype(bool)
    known = bool(before.any())
    return {
        "now": int(now.sum()),
        "before": int(before.sum()),
        "entered": int((now & ~before).sum()) if known else None,
        "left": int((~now & before).sum()) if known else None,
    }
