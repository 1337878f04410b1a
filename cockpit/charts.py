"""Altair chart builders with one house style: Chinese fonts, horizontal labels, units in titles.

Builders take already-aggregated DataFrames from the named queries (a few dozen rows), never raw facts.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#1f5fa8", "#9bbbe0", "#e07b39", "#3a9e6f", "#c9463d", "#7a5ea8", "#8c8c8c"]
STATUS_COLORS = {"green": "#2e9e5b", "yellow": "#e3a21a", "red": "#d2453b"}
MAX_ROWS = 5000  # Altair's own limit for PNG export; charts get far fewer


def theme() -> dict:
    """The house theme (registered under the name 'cockpit')."""
    axis = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 13, "titleFontSize": 13,
            "labelAngle": 0, "titleFontWeight": "normal", "gridColor": "#eceff3"}
    return {
        "config": {
            "font": FONT,
            "axis": axis,
            "axisX": {"labelAngle": 0},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 13,
                       "titleFontSize": 13, "orient": "top"},
            "title": {"font": FONT, "fontSize": 15, "anchor": "start", "fontWeight": "normal"},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "locale": {
                "number": {"decimal": ".", "thousands": ",", "grouping": [3],
                           "currency": ["¥", ""]},
            },
        }
    }


@alt.theme.register("cockpit", enable=True)
def _cockpit_theme() -> alt.theme.ThemeConfig:
    return theme()


def _check(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) > MAX_ROWS:
        raise ValueError(f"图表数据 {len(df)} 行，超过 {MAX_ROWS} 行上限：请在查询中先汇总")
    return df


def ytd_trend(df: pd.DataFrame, *, value: str, title: str, unit: str = "亿元",
              scale: float = 1e4) -> alt.Chart:
    """1—m月累计 by month, one line per year (this year solid, last year light).

    `df`: year, month, <value> (in 万元, divided by `scale` for display).
    """
    data = _check(df[["year", "month", value]].copy())
    data["y"] = data[value] / scale
    data["年份"] = data["year"].astype(str) + "年"
    data["月份"] = data["month"].astype(str) + "月"
    years = sorted(data["年份"].unique(), reverse=True)
    base = alt.Chart(data, title=title).encode(
        x=alt.X("month:O", title="月份", axis=alt.Axis(labelExpr="datum.value + '月'")),
        y=alt.Y("y:Q", title=f"{unit}", axis=alt.Axis(format=",.0f")),
        color=alt.Color("年份:N", scale=alt.Scale(domain=years, range=PALETTE[:len(years)]),
                        title=None),
        tooltip=[alt.Tooltip("年份:N"), alt.Tooltip("月份:N"),
                 alt.Tooltip("y:Q", title=f"累计（{unit}）", format=",.2f")],
    )
    return (base.mark_line(strokeWidth=3) + base.mark_point(size=50, filled=True)).properties(height=300)


def ranked_bars(df: pd.DataFrame, *, category: str, value: str, title: str, unit: str,
                label: str | None = None, scale: float = 1.0, color: str = PALETTE[0]) -> alt.Chart:
    """Horizontal bars sorted by value, with an optional text label (e.g. 同比) at the bar end."""
    data = _check(df.copy())
    data["v"] = data[value] / scale
    y = alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    bars = alt.Chart(data, title=title).mark_bar(color=color, cornerRadiusEnd=3).encode(
        x=alt.X("v:Q", title=unit, axis=alt.Axis(format=",.0f")),
        y=y,
        tooltip=[alt.Tooltip(f"{category}:N", title="类别"),
                 alt.Tooltip("v:Q", title=unit, format=",.2f")]
                + ([alt.Tooltip(f"{label}:N", title="同比")] if label else []),
    )
    if not label:
        return bars.properties(height=max(120, 34 * len(data)))
    text = alt.Chart(data).mark_text(align="left", dx=6, fontSize=13, font=FONT).encode(
        x="v:Q", y=y, text=f"{label}:N")
    return (bars + text).properties(height=max(120, 34 * len(data)))
