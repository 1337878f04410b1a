"""Growth attribution by part (sector, 产业链, project kind): level, 同比, 拉动 and 贡献率 (pure pandas)."""

from __future__ import annotations

import pandas as pd

from cockpit import metrics


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
