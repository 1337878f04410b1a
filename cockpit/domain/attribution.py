"""Growth attribution by part (sector, 产业链, project kind): level, 同比, 拉动 and 贡献率 (pure pandas)."""

from __future__ import annotations

import pandas as pd

from cockpit.domain import metrics


def attribute(df: pd.DataFrame, *, key: str, current: str, previous: str) -> pd.DataFrame:
    """Add `delta`, `yoy_pct`, `pull_pp` (拉动, 个百分点) and `contribution_pct` (贡献率, %) per row.

    拉动 = Δpart / Σprevious × 100, so the 拉动 of all parts adds up to the total's 同比;
    贡献率 = Δpart / ΣΔ × 100, adding up to 100 %. Rows keep their order of `key`.
    """
    out = df[[key, current, previous]].copy()
    out[current] = out[current].fillna(0.0).astype(float)
    out[previous] = out[previous].fillna(0.0).astype(float)
    out["delta"] = out[current] - out[previous]
    total_prev = float(out[previous].sum())
    total_delta = float(out["delta"].sum())
    out["yoy_pct"] = [metrics.yoy(c, p) for c, p in zip(out[current], out[previous])]
    out["pull_pp"] = [metrics.pull(d, total_prev) for d in out["delta"]]
    out["contribution_pct"] = [metrics.contribution(d, total_delta) for d in out["delta"]]
    return out


def total_yoy(df: pd.DataFrame, *, current: str, previous: str) -> float | None:
    """同比 of the sum of all parts."""
    return metrics.yoy(float(df[current].fillna(0).sum()), float(df[previous].fillna(0).sum()))


def comparison_columns(column: str, same_enterprises: bool) -> tuple[str, str]:
    """The (this period, last year) columns a growth compares for a level column `<m>_wan`: the 同口径 pair
    `<m>_cmp_wan` / `<m>_cmp_ly_wan` (enterprises that reported in both periods) or the levels `<m>_wan` /
    `<m>_ly_wan` (all enterprises)."""
    stem = column.removesuffix("_wan")
    return (f"{stem}_cmp_wan", f"{stem}_cmp_ly_wan") if same_enterprises else (column, f"{stem}_ly_wan")


def attribute_levels(df: pd.DataFrame, *, key: str, level: str, same_enterprises: bool) -> pd.DataFrame:
    """`attribute` on the comparison pair of `level` (see comparison_columns), keeping the level column for the
    bars: `level` stays this period's total; delta, 同比, 拉动 and 贡献率 are on the compared pair."""
    cur, prev = comparison_columns(level, same_enterprises)
    out = attribute(df, key=key, current=cur, previous=prev)
    return out.merge(df[[key, level]], on=key, how="left") if level not in out.columns else out


def bar_label(yoy, pull, *, covered: bool, same_enterprises: bool, with_pull: bool = True, digits: int = 1) -> str:
    """A part's label: '+12.3% · 拉动 +4.5 个百分点'; '上年同期无数据' when last year lies outside the data;
    without a base last year '无可比企业' (同口径) or '新增'."""
    import math

    from cockpit.domain import format as fmt

    if not covered:
        return "上年同期无数据"
    if yoy is None or (isinstance(yoy, float) and math.isnan(yoy)):
        return "无可比企业" if same_enterprises else "新增"
    text = fmt.pct(yoy, signed=True)
    return f"{text} · 拉动 {fmt.pp(pull, digits)}" if with_pull else text
