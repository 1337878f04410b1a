"""Altair chart builders with one house style: Chinese fonts, horizontal labels, units in titles.

Builders take already-aggregated DataFrames from the named queries (a few dozen rows), never raw facts.
"""

from __future__ import annotations

import hashlib
import os
import threading

import altair as alt
import pandas as pd

from cockpit.domain import memo

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#1f5fa8", "#9bbbe0", "#e07b39", "#3a9e6f", "#c9463d", "#7a5ea8", "#8c8c8c"]
STATUS_COLORS = {"green": "#2e9e5b", "yellow": "#e3a21a", "red": "#d2453b"}
MAX_ROWS = 5000  # Altair's own limit for PNG export; charts get far fewer


COUNT_UNITS = frozenset({"个", "家", "条", "起", "次", "人次", "宗", "项", "人", "天"})
AMOUNT_FORMAT = ",.2~f"  # at most 2 decimals, trailing zeros dropped: ticks 0.2, 0.4 … never read "0 0 1 1"


def is_count(unit: str) -> bool:
    """Whether values in `unit` are whole numbers (个, 家, 起 …)."""
    return unit in COUNT_UNITS


def unit_title(unit: str, measure: str | None = None) -> str:
    """An axis title that reads as a unit: '隐患数（个）' with a measure, '数量（个）' for a bare count unit,
    '单位：亿元' otherwise (a lone '个' beside an axis reads like an arrow)."""
    if measure:
        return f"{measure}（{unit}）"
    return f"数量（{unit}）" if is_count(unit) else f"单位：{unit}"


def value_axis(unit: str, **kwargs) -> alt.Axis:
    """The axis of a quantity in `unit`: whole ticks formatted as integers for counts (no 0.5 个), otherwise
    at most two decimals with trailing zeros dropped, so no two ticks print the same text."""
    if is_count(unit):
        return alt.Axis(format=",d", tickMinStep=1, **kwargs)
    return alt.Axis(format=AMOUNT_FORMAT, **kwargs)


SHARE_DOMAIN = [0, 100]  # shares (%) on an axis from 0: a 0.2-point change is not drawn as a cliff


def theme() -> dict:
    """The house theme (registered under the name 'cockpit')."""
    axis = {
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 13,
        "titleFontSize": 13,
        "labelAngle": 0,
        "titleFontWeight": "normal",
        "gridColor": "#eceff3",
    }
    return {
        "config": {
            "font": FONT,
            "axis": axis,
            "axisX": {"labelAngle": 0},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 13, "titleFontSize": 13, "orient": "top"},
            "title": {"font": FONT, "fontSize": 15, "anchor": "start", "fontWeight": "normal"},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "locale": {
                "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""]},
            },
        }
    }


@alt.theme.register("cockpit", enable=True)
def _cockpit_theme() -> alt.theme.ThemeConfig:
    return theme()


def spec(builder, data: pd.DataFrame, **options) -> dict:
    """`builder(data, **options)` as a Vega-Lite dict whose data are Arrow datasets (as Streamlit sends
    them), built once per (builder, data content, options): building an Altair chart costs 20–60 ms, more
    than the query behind it. Callers get a shallow copy.

    Altair's schema validation (another ~50 ms per chart) runs only when COCKPIT_VALIDATE_CHARTS=1, as in
    the tests, which build every chart of every page: the builders are ours, so a spec that validates in
    the tests is valid in production.
    """
    return memo.call(_vega_lite, builder, data, copy=dict, **options)


_transformer_lock = threading.Lock()  # Altair's data transformer is global to the process


def _vega_lite(builder, data: pd.DataFrame, **options) -> dict:
    _late.values = {}  # this build's inline data (see _inline), filled in after to_dict
    try:
        chart = builder(data, **options)
        return _to_spec(chart)
    finally:
        _late.values = {}


def _to_spec(chart) -> dict:
    from streamlit import dataframe_util

    datasets: dict[str, bytes] = {}

    def to_arrow(df) -> dict:  # the data travel as Arrow IPC, named by content, as st.altair_chart does
        payload = dataframe_util.convert_anything_to_arrow_bytes(df)
        name = hashlib.sha1(payload).hexdigest()[:20]
        datasets[name] = payload
        return {"name": name}

    validate = os.environ.get("COCKPIT_VALIDATE_CHARTS") == "1"
    with _transformer_lock:
        alt.data_transformers.register("cockpit_arrow", lambda df: to_arrow(df))
        with alt.data_transformers.enable("cockpit_arrow"):
            out = chart.to_dict(validate=validate)
        _fill_inline(out)
    out["datasets"] = {**out.get("datasets", {}), **datasets}
    return out


def _check(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) > MAX_ROWS:
        raise ValueError(f"图表数据 {len(df)} 行，超过 {MAX_ROWS} 行上限：请在查询中先汇总")
    return df


def ytd_trend(df: pd.DataFrame, *, value: str, title: str, unit: str = "亿元", scale: float = 1e4) -> alt.Chart:
    """1—m月累计 by month, one line per year (this year solid, last year light).

    `df`: year, month, <value> (in 万元, divided by `scale` for display).
    """
    data = _check(df[["year", "month", value]].copy())
    data["y"] = data[value] / scale
    data["年份"] = data["year"].astype(str) + "年"
    data["月份"] = data["month"].astype(str) + "月"
    years = sorted(data["年份"].unique(), reverse=True)
    base = alt.Chart().encode(  # the data on the layer, not on each mark (Altair compares subcharts' data)
        x=alt.X("month:O", title="月份", axis=alt.Axis(labelExpr="datum.value + '月'")),
        y=alt.Y("y:Q", title=unit_title(unit, "累计"), axis=value_axis(unit)),
        color=alt.Color("年份:N", scale=alt.Scale(domain=years, range=PALETTE[: len(years)]), title=None),
        tooltip=[
            alt.Tooltip("年份:N"),
            alt.Tooltip("月份:N"),
            alt.Tooltip("y:Q", title=f"累计（{unit}）", format=",.2f"),
        ],
    )
    line, points = base.mark_line(strokeWidth=3), base.mark_point(size=50, filled=True)
    return alt.layer(line, points, data=data, title=title).properties(height=300)


def ranked_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    unit: str,
    label: str | None = None,
    scale: float = 1.0,
    color: str = PALETTE[0],
) -> alt.Chart:
    """Horizontal bars sorted by value, with an optional text label (e.g. 同比) at the bar end."""
    data = _check(df.copy())
    data["v"] = data[value] / scale
    y = alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220))
    bars = (
        alt.Chart(data, title=title)
        .mark_bar(color=color, cornerRadiusEnd=3)
        .encode(
            x=alt.X("v:Q", title=unit_title(unit), axis=value_axis(unit)),
            y=y,
            tooltip=[alt.Tooltip(f"{category}:N", title="类别"), alt.Tooltip("v:Q", title=unit, format=",.2f")]
            + ([alt.Tooltip(f"{label}:N", title="同比")] if label else []),
        )
    )
    if not label:
        return bars.properties(height=max(120, 34 * len(data)))
    text = alt.Chart(data).mark_text(align="left", dx=6, fontSize=13, font=FONT).encode(x="v:Q", y=y, text=f"{label}:N")
    return (bars + text).properties(height=max(120, 34 * len(data)))


def flows_and_stock(
    df: pd.DataFrame,
    *,
    x: str,
    bars: dict[str, str],
    line: tuple[str, str],
    title: str,
    unit: str,
    x_title: str = "月份",
    x_suffix: str = "月",
    measure: str | None = None,
) -> alt.Chart:
    """Side-by-side bars for flows (e.g. 发现 / 整改 per month) and a line for a stock (期末未整改).

    `bars`: column → legend label; `line`: (column, legend label). Values are counts in `unit`.
    """
    data = _check(df.copy())
    long = data.melt(id_vars=[x], value_vars=list(bars), var_name="series", value_name="v")
    long["系列"] = long["series"].map(bars)
    labels = list(bars.values()) + [line[1]]
    color = alt.Scale(domain=labels, range=PALETTE[: len(labels)])
    x_enc = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelExpr=f"datum.value + '{x_suffix}'"))
    bar = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x_enc,
            xOffset=alt.XOffset("系列:N", sort=list(bars.values())),
            y=alt.Y("v:Q", title=unit_title(unit, measure), axis=value_axis(unit)),
            color=alt.Color("系列:N", scale=color, title=None),
            tooltip=[
                alt.Tooltip(f"{x}:O", title=x_title),
                alt.Tooltip("系列:N"),
                alt.Tooltip("v:Q", title=unit, format=",.0f"),
            ],
        )
    )
    data["系列"] = line[1]
    stock = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=x_enc,
            y=alt.Y(f"{line[0]}:Q"),
            color=alt.Color("系列:N", scale=color, title=None),
            tooltip=[
                alt.Tooltip(f"{x}:O", title=x_title),
                alt.Tooltip("系列:N"),
                alt.Tooltip(f"{line[0]}:Q", title=unit, format=",.0f"),
            ],
        )
    )
    return alt.layer(bar, stock, title=title).properties(height=300)


def selectable_stacked_bars(
    df: pd.DataFrame,
    *,
    category: str,
    parts: dict[str, str],
    title: str,
    unit: str,
    selection: str,
    top: int | None = None,
) -> alt.Chart:
    """Horizontal stacked bars (parts of each category's total), clickable: a point selection named
    `selection` on `category` (use with `st.altair_chart(on_select="rerun")`).

    `parts`: column → legend label, stacked in that order; sorted by total, largest on top.
    """
    data = _check(df.copy())
    data["_total"] = data[list(parts)].sum(axis=1)
    data = data.sort_values("_total", ascending=False)
    if top:
        data = data.head(top)
    order = list(data[category])
    long = data.melt(id_vars=[category, "_total"], value_vars=list(parts), var_name="part", value_name="v")
    long["构成"] = long["part"].map(parts)
    long["_order"] = long["part"].map({p: i for i, p in enumerate(parts)})
    pick = alt.selection_point(name=selection, fields=[category])
    labels = list(parts.values())
    chart = (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            x=alt.X("v:Q", title=unit_title(unit), stack="zero", axis=value_axis(unit)),
            y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "构成:N", scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]), sort=labels, title=None
            ),
            order=alt.Order("_order:Q"),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title="类别"),
                alt.Tooltip("构成:N"),
                alt.Tooltip("v:Q", title=unit, format=",.0f"),
                alt.Tooltip("_total:Q", title=f"合计（{unit}）", format=",.0f"),
            ],
        )
        .add_params(pick)
    )
    return chart.properties(height=max(200, 46 * len(order)))


def score_history(
    df: pd.DataFrame, *, date: str, score: str, bands: dict[str, float], title: str, label: str | None = None
) -> alt.Chart:
    """Assessment scores over time (分) with a dashed rule at each grade's lower bound.

    `bands`: grade → lower bound (分), e.g. {"B": 60, "C": 70, "D": 85}; `label` a text column by the points.
    """
    data = _check(df.copy())
    data["_date"] = pd.to_datetime(data[date])
    low = min([*bands.values(), float(data[score].min()) if len(data) else 100.0]) - 5
    y_scale = alt.Scale(domain=[max(low, 0), 100])
    y = alt.Y(f"{score}:Q", title="得分（分）", scale=y_scale)
    x = alt.X("_date:T", title="评估日期", axis=alt.Axis(format="%Y年", tickCount="year"))
    line = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3, color=PALETTE[0])
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("_date:T", title="评估日期", format="%Y-%m-%d"),
                alt.Tooltip(f"{score}:Q", title="得分（分）", format=".1f"),
            ]
            + ([alt.Tooltip(f"{label}:N", title="说明")] if label else []),
        )
    )
    rules = pd.DataFrame({"grade": list(bands), "bound": list(bands.values())})
    rules["text"] = rules["grade"] + " 类 ≥ " + rules["bound"].map("{:g}".format) + " 分"
    rules["_date"] = data["_date"].max() if len(data) else pd.NaT
    bound = alt.Y("bound:Q", scale=y_scale)
    rule = alt.Chart(rules).mark_rule(strokeDash=[5, 4], color=PALETTE[6]).encode(y=bound)
    rule_text = (
        alt.Chart(rules)
        .mark_text(align="left", dx=10, fontSize=12, font=FONT, color=PALETTE[6])
        .encode(y=bound, x="_date:T", text="text:N")
    )
    layers = [rule, rule_text, line]
    if label:
        layers.append(alt.Chart(data).mark_text(dy=-14, fontSize=12, font=FONT).encode(x=x, y=y, text=f"{label}:N"))
    return alt.layer(*layers, title=title).properties(height=300)


def funnel_bars(
    df: pd.DataFrame, *, stage: str, value: str, title: str, unit: str, label: str | None = None
) -> alt.Chart:
    """A pipeline funnel: one centred horizontal bar per stage, in the rows' order (first on top).

    `label`: a text column written on the right of each bar (e.g. '42 个 · 31.20 亿元').
    """
    data = _check(df.copy())
    order = list(data[stage])
    data["_lo"] = -data[value] / 2.0
    data["_hi"] = data[value] / 2.0
    y = alt.Y(f"{stage}:N", sort=order, title=None, axis=alt.Axis(labelFontSize=14))
    bars = (
        alt.Chart(data, title=title)
        .mark_bar(color=PALETTE[0], cornerRadius=3)
        .encode(
            x=alt.X("_lo:Q", axis=None),
            x2="_hi:Q",
            y=y,
            tooltip=[alt.Tooltip(f"{stage}:N", title="阶段"), alt.Tooltip(f"{value}:Q", title=unit, format=",.0f")]
            + ([alt.Tooltip(f"{label}:N", title="说明")] if label else []),
        )
    )
    layers = [bars]
    if label:
        layers.append(
            alt.Chart(data)
            .mark_text(align="left", dx=8, fontSize=13, font=FONT)
            .encode(x="_hi:Q", y=y, text=f"{label}:N")
        )
    return alt.layer(*layers).properties(height=max(140, 44 * len(data)))


def actual_vs_plan(
    df: pd.DataFrame,
    *,
    x: str,
    actual: str,
    plan: str,
    title: str,
    unit: str,
    actual_label: str = "完成",
    plan_label: str = "计划",
) -> alt.Chart:
    """Bars for the actual value of each period and a dashed line with points for the plan.

    `x`: an ordinal period label column (e.g. '2024-03'); values already in `unit`.
    """
    data = _check(df.copy())
    color = alt.Scale(domain=[actual_label, plan_label], range=[PALETTE[0], PALETTE[2]])
    x_enc = alt.X(f"{x}:O", title=None, sort=None)
    data["_a"], data["_p"] = actual_label, plan_label
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.9)
        .encode(
            x=x_enc,
            y=alt.Y(f"{actual}:Q", title=unit_title(unit), axis=value_axis(unit)),
            color=alt.Color("_a:N", scale=color, title=None),
            tooltip=[
                alt.Tooltip(f"{x}:O", title="月份"),
                alt.Tooltip(f"{actual}:Q", title=f"{actual_label}（{unit}）", format=",.0f"),
                alt.Tooltip(f"{plan}:Q", title=f"{plan_label}（{unit}）", format=",.0f"),
            ],
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(strokeDash=[6, 3], strokeWidth=2, point=True)
        .encode(x=x_enc, y=alt.Y(f"{plan}:Q"), color=alt.Color("_p:N", scale=color, title=None))
    )
    return alt.layer(bars, line, title=title).properties(height=280)


def stacked_parts(
    df: pd.DataFrame,
    *,
    category: str,
    part: str,
    value: str,
    title: str,
    unit: str,
    category_order: list[str],
    part_order: list[str],
) -> alt.Chart:
    """Horizontal bars per category, stacked by part in a fixed order (e.g. 整治方式 × 状态, 亩).

    `df` is long: one row per category and part.
    """
    data = _check(df.copy())
    data["_order"] = data[part].map({p: i for i, p in enumerate(part_order)})
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=unit_title(unit), stack="zero", axis=value_axis(unit)),
            y=alt.Y(f"{category}:N", sort=category_order, title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                f"{part}:N",
                scale=alt.Scale(domain=part_order, range=PALETTE[: len(part_order)]),
                sort=part_order,
                title=None,
            ),
            order=alt.Order("_order:Q"),
            tooltip=[
                alt.Tooltip(f"{category}:N", title="类别"),
                alt.Tooltip(f"{part}:N", title="构成"),
                alt.Tooltip(f"{value}:Q", title=unit, format=",.2f"),
            ],
        )
        .properties(height=110 + 40 * len(category_order))
    )  # title, legend and axis included


def projection_path(df: pd.DataFrame, *, target: float | None, title: str, unit: str = "亿元") -> alt.Chart:
    """1—m月累计 actual (solid) and projected (dashed) through 12月, with the annual target as a rule.

    `df`: month, kind (实际 / 推演), ytd (already in `unit`).
    """
    data = _check(df.copy())
    x = alt.X(
        "month:Q",
        title="月份",
        scale=alt.Scale(domain=[1, 12]),
        axis=alt.Axis(values=list(range(1, 13)), labelExpr="datum.value + '月'"),
    )
    y = alt.Y("ytd:Q", title=f"累计（{unit}）", axis=alt.Axis(format=",.0f"))
    color = alt.Color("kind:N", title=None, scale=alt.Scale(domain=["实际", "推演"], range=[PALETTE[0], PALETTE[2]]))
    line = (
        alt.Chart(data)
        .mark_line(strokeWidth=3, point=True)
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash(
                "kind:N", legend=None, scale=alt.Scale(domain=["实际", "推演"], range=[[1, 0], [6, 4]])
            ),
            tooltip=[
                alt.Tooltip("kind:N", title="类型"),
                alt.Tooltip("month:Q", title="月份"),
                alt.Tooltip("ytd:Q", title=f"累计（{unit}）", format=",.2f"),
            ],
        )
    )
    layers = [line]
    if target is not None:
        goal = pd.DataFrame({"target": [target], "label": [f"年度目标 {target:,.2f} {unit}"]})
        layers.append(
            alt.Chart(goal).mark_rule(color=STATUS_COLORS["red"], strokeDash=[4, 3], strokeWidth=2).encode(y="target:Q")
        )
        layers.append(
            alt.Chart(goal)
            .mark_text(align="left", dx=4, dy=-8, fontSize=13, font=FONT, color=STATUS_COLORS["red"])
            .encode(x=alt.datum(1), y="target:Q", text="label:N")
        )
    return alt.layer(*layers, title=title).properties(height=320)


def status_grid(
    df: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    status: str,
    title: str,
    column_title: str,
    value_format: str = ".1f",
    suffix: str = "%",
) -> alt.Chart:
    """A heatmap of cells coloured by status (green/yellow/red) with the value printed in each cell.

    `df`: one row per cell; `column` is numeric (e.g. assumed growth %), `status` holds green/yellow/red.
    """
    data = _check(df.copy())
    data["col_label"] = [f"{c:+g}%" for c in data[column]]
    data["text"] = [("—" if pd.isna(v) else f"{v:{value_format}}{suffix}") for v in data[value]]
    order = [f"{c:+g}%" for c in sorted(data[column].unique())]
    x = alt.X("col_label:N", title=None, sort=order, axis=alt.Axis(orient="top", labelPadding=6))
    y = alt.Y(f"{row}:N", title=None, sort=list(dict.fromkeys(data[row])), axis=alt.Axis(labelLimit=220))
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                f"{status}:N",
                legend=None,
                scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip(f"{row}:N", title="指标"),
                alt.Tooltip("col_label:N", title=column_title),
                alt.Tooltip("text:N", title="完成率"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(fontSize=14, font=FONT, color="white", fontWeight="bold")
        .encode(x=x, y=y, text="text:N")
    )
    return alt.layer(cells, text, title=title).properties(height=max(120, 40 * data[row].nunique()))


# ---- 工业经济 and 亩均效益 (issue 3)
CLASS_COLORS = ["#2e9e5b", "#1f5fa8", "#e3a21a", "#d2453b", "#8c8c8c"]  # A, B, C, D, 未参评


def _period_axis(merged_first: bool) -> alt.Axis:
    expr = "datum.value == 2 ? '1—2月' : datum.value + '月'" if merged_first else "datum.value + '月'"
    return alt.Axis(labelExpr=expr)


def year_lines(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    unit: str = "亿元",
    scale: float = 1e4,
    measure: str = "当月",
    merged_first: bool = True,
) -> alt.Chart:
    """One line per year over the reporting periods (this year dark, last year light), 同比 in the tooltip.

    `df`: year, month, <value> (万元 ÷ `scale`), optional yoy_pct; month 2 is 1—2月 when `merged_first`.
    """
    data = _check(df.copy())
    data["y"] = data[value] / scale
    data["年份"] = data["year"].astype(str) + "年"
    data["期间"] = [("1—2月" if merged_first and m == 2 else f"{m}月") for m in data["month"]]
    if "yoy_pct" not in data:
        data["yoy_pct"] = None
    years = sorted(data["年份"].unique(), reverse=True)
    base = alt.Chart(data, title=title).encode(
        x=alt.X("month:O", title=None, axis=_period_axis(merged_first)),
        y=alt.Y("y:Q", title=unit_title(unit, measure), axis=value_axis(unit)),
        color=alt.Color("年份:N", scale=alt.Scale(domain=years, range=PALETTE[: len(years)]), title=None),
        tooltip=[
            alt.Tooltip("年份:N"),
            alt.Tooltip("期间:N"),
            alt.Tooltip("y:Q", title=f"{measure}（{unit}）", format=",.2f"),
            alt.Tooltip("yoy_pct:Q", title="同比（%）", format="+.1f"),
        ],
    )
    line, points = base.mark_line(strokeWidth=3), base.mark_point(size=50, filled=True)
    return alt.layer(line, points, data=data, title=title).properties(height=300)


def pull_bars(
    df: pd.DataFrame, *, category: str, value: str, label: str, title: str, unit: str = "个百分点"
) -> alt.Chart:
    """Diverging horizontal bars (e.g. 拉动, 个百分点) in the rows' order: green up, red down, a label each."""
    data = _check(df.copy())
    data["sign"] = ["正" if (v or 0) >= 0 else "负" for v in data[value].fillna(0)]
    data["text_x"] = data[value].fillna(0).clip(lower=0)  # labels right of the bar end or of 0
    low, high = min(0.0, float(data[value].min())), max(0.0, float(data[value].max()))
    room = (high - low) or 1.0
    domain = [low - 0.05 * room, high + 0.9 * room]  # space on the right for the labels
    order = list(data[category])
    y = alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    bars = (
        alt.Chart(data, title=title)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                f"{value}:Q",
                title=unit_title(unit, "拉动"),
                axis=alt.Axis(format="+.1~f", tickCount=6),
                scale=alt.Scale(domain=domain, nice=False),
            ),
            y=y,
            color=alt.Color(
                "sign:N",
                scale=alt.Scale(domain=["正", "负"], range=[STATUS_COLORS["green"], STATUS_COLORS["red"]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip(f"{category}:N", title="类别"),
                alt.Tooltip(f"{value}:Q", title=unit, format="+.2f"),
                alt.Tooltip(f"{label}:N", title="说明"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=13, font=FONT)
        .encode(x=alt.X("text_x:Q", scale=alt.Scale(domain=domain, nice=False)), y=y, text=f"{label}:N")
    )
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555").encode(x="x:Q")
    return alt.layer(bars, rule, text).properties(height=max(160, 36 * len(data)))


def bars_with_share(
    df: pd.DataFrame, *, x: str, bar: str, share: str, title: str, bar_title: str, share_title: str, scale: float = 1e4
) -> alt.Chart:
    """Bars for an amount (万元 ÷ `scale`, e.g. 亿元) and a line with labels for its share (%), two axes."""
    data = _check(df.copy())
    data["v"] = data[bar] / scale
    data["share_text"] = [f"{s:.1f}%" if pd.notna(s) else "" for s in data[share]]
    base = alt.Chart(data, title=title).encode(x=alt.X(f"{x}:O", title=None))
    bars = base.mark_bar(color=PALETTE[0], opacity=0.85).encode(
        y=alt.Y(
            "v:Q",
            title=bar_title,
            axis=alt.Axis(format=AMOUNT_FORMAT),
            # headroom: the bars end below the share line (0–100 %), its labels stay off the bars
            scale=alt.Scale(domain=[0, float(data["v"].max() or 0) * 1.45 or 1]),
        ),
        tooltip=[
            alt.Tooltip(f"{x}:O", title="年份"),
            alt.Tooltip("v:Q", title=bar_title, format=",.2f"),
            alt.Tooltip(f"{share}:Q", title=share_title, format=".1f"),
        ],
    )
    line = base.mark_line(color=PALETTE[2], strokeWidth=3, point=True).encode(
        y=alt.Y(f"{share}:Q", title=share_title, scale=alt.Scale(domain=SHARE_DOMAIN))
    )
    text = base.mark_text(color=PALETTE[2], dy=-12, fontSize=13, font=FONT).encode(
        y=alt.Y(f"{share}:Q", scale=alt.Scale(domain=SHARE_DOMAIN)), text="share_text:N"
    )
    return alt.layer(bars, alt.layer(line, text)).resolve_scale(y="independent").properties(height=300)


def class_shares(
    df: pd.DataFrame, *, category: str, cls: str, count: str, share: str, order: list[str], title: str
) -> alt.Chart:
    """Horizontal 100 % stacked bars: each category's enterprises by class (A … D, 未参评) in `order`."""
    data = _check(df.copy())
    data["cls_order"] = data[cls].map({c: i for i, c in enumerate(order)})
    bars = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{count}:Q", stack="normalize", title="企业占比（%）", axis=alt.Axis(format=".0%")),
            y=alt.Y(f"{category}:N", title=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color(
                f"{cls}:N",
                scale=alt.Scale(domain=order, range=CLASS_COLORS[: len(order)]),
                title=None,
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("cls_order:Q"),
            tooltip=[
                alt.Tooltip(f"{category}:N", title="类别"),
                alt.Tooltip(f"{cls}:N", title="分类"),
                alt.Tooltip(f"{count}:Q", title="企业数（家）"),
                alt.Tooltip(f"{share}:Q", title="占比（%）", format=".1f"),
            ],
        )
    )
    return bars.properties(height=alt.Step(30))


def score_histogram(
    df: pd.DataFrame, *, score: str, cls: str, order: list[str], title: str, step: float = 25.0
) -> alt.Chart:
    """Distribution of scores (分) in bins of `step`, stacked by class (binned here: one row per bin and
    class reaches the browser, however many units there are)."""
    scores = df[[score, cls]].dropna(subset=[score])
    start = (scores[score] // step) * step
    data = _check(
        scores.assign(bin_start=start, bin_end=start + step)
        .groupby(["bin_start", "bin_end", cls], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title="综合得分（分）"),
            x2="bin_end:Q",
            y=alt.Y("sum(n):Q", title="评价单元（个）", axis=value_axis("个")),
            color=alt.Color(f"{cls}:N", scale=alt.Scale(domain=order, range=CLASS_COLORS[: len(order)]), title=None),
            order=alt.Order(f"{cls}:N"),
            tooltip=[alt.Tooltip(f"{cls}:N", title="分类"), alt.Tooltip("sum(n):Q", title="单元数（个）")],
        )
        .properties(height=300)
    )


# ---- 亩均一张图 (issue 17)
# inline data put into a spec after Altair built it (see _inline): per thread, one build at a time — sessions
# building the same map at once each fill their own spec (a shared dict lost entries under load: KeyError)
_late = threading.local()


def _inline(records: list[dict]) -> alt.Data:
    """Inline data that Altair does not walk through (thousands of GeoJSON features cost it seconds): a named
    placeholder, filled with `records` by `_vega_lite` after `to_dict`."""
    import json

    name = "inline_" + hashlib.sha1(json.dumps(records, sort_keys=True).encode()).hexdigest()[:16]
    if not hasattr(_late, "values"):  # a builder called outside _vega_lite (its placeholder stays unfilled)
        _late.values = {}
    _late.values[name] = records
    return alt.Data(name=name)


def _fill_inline(node) -> None:
    """Replace each placeholder `{"data": {"name": inline_…}}` of a spec by its values (see `_inline`)."""
    if isinstance(node, list):
        for item in node:
            _fill_inline(item)
        return
    if not isinstance(node, dict):
        return
    data = node.get("data")
    if isinstance(data, dict) and str(data.get("name", "")).startswith("inline_"):
        node["data"] = {"values": _late.values[data["name"]]}
    for key in ("layer", "hconcat", "vconcat", "concat", "spec"):
        if key in node:
            _fill_inline(node[key])


def _geo_records(df: pd.DataFrame, fields: list[str]) -> list[dict]:
    """Rows as GeoJSON Features for inline Vega-Lite data: the GeoJSON text of `geometry` as the geometry, the
    `fields` as top-level members (so encodings and selections name them directly)."""
    import json

    out = []
    for row in df[fields + ["geometry"]].itertuples(index=False):
        rec = {f: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)) for f, v in zip(fields, row[:-1])}
        out.append({"type": "Feature", "geometry": json.loads(row[-1]), **rec})
    return out


def parcel_map(
    df: pd.DataFrame,
    *,
    category: str,
    colors: dict[str, str],
    title: str,
    tooltip: dict[str, str],
    outlines: pd.DataFrame | None = None,
    highlight: str | None = None,
    selection: str = "parcel_pick",
    height: int = 520,
    projection: dict | None = None,
    tiles: pd.DataFrame | None = None,
) -> alt.Chart:
    """Parcels as shapes on a Mercator map fitted to them (no tiles), coloured by `category` (`colors`:
    category → colour, in legend order), a click selects a parcel (point selection `selection` on parcel_id);
    `outlines` (area_name, geometry, label_lon, label_lat) draws each 片区's outline and name; `highlight`
    outlines one parcel in black.

    `df`: parcel_id, geometry (GeoJSON text, wound for d3: outer rings clockwise), `category` and the
    `tooltip` columns (column → label; tax_per_mu and area_mu as numbers). With `projection` (type, scale,
    center: `landmap.tiles`) and `tiles` (url, lon, lat of each 256 px tile's north-west corner) the map is a
    fixed-scale Mercator, centred in the chart, over those base-map tiles."""
    data = _check(df)
    fields = list(dict.fromkeys(["parcel_id", category, *tooltip]))
    pick = alt.selection_point(name=selection, fields=["parcel_id"])
    number = {"area_mu": ",.2f", "tax_per_mu": ",.2f"}
    tips = [
        alt.Tooltip(f"{c}:{'Q' if c in number else 'N'}", title=t, **({"format": number[c]} if c in number else {}))
        for c, t in tooltip.items()
    ]
    width = (
        alt.condition(alt.datum.parcel_id == highlight, alt.value(2.5), alt.value(0.4)) if highlight else alt.value(0.4)
    )
    stroke = (
        alt.condition(alt.datum.parcel_id == highlight, alt.value("#111111"), alt.value("#ffffff"))
        if highlight
        else alt.value("#ffffff")
    )
    shapes = (
        alt.Chart(_inline(_geo_records(data, fields)), name="parcels")
        .mark_geoshape()
        .encode(
            color=alt.Color(
                f"{category}:N",
                scale=alt.Scale(domain=list(colors), range=list(colors.values())),
                title="着色",
                legend=alt.Legend(title=None, orient="top", columns=3, symbolType="square"),
            ),
            stroke=stroke,
            strokeWidth=width,
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.85)),
            tooltip=tips,
        )
        .add_params(pick)
    )
    layers = [shapes]
    if outlines is not None and len(outlines):
        lines = alt.Chart(_inline(_geo_records(outlines, ["area_name"]))).mark_geoshape(
            filled=False, stroke="#5b6573", strokeWidth=1.2, strokeDash=[5, 3]
        )
        labels = (
            alt.Chart(outlines[["area_name", "label_lon", "label_lat"]])
            .mark_text(font=FONT, fontSize=13, fontWeight="bold", color="#333333", baseline="bottom")
            .encode(longitude="label_lon:Q", latitude="label_lat:Q", text="area_name:N")
        )
        layers = [lines, shapes, labels]
    if tiles is not None and len(tiles):
        base = (
            alt.Chart(tiles)
            .mark_image(width=256, height=256, align="left", baseline="top", clip=True, aria=False)
            .encode(longitude="lon:Q", latitude="lat:Q", url="url:N")
        )
        layers = [base, *layers]
    project = (
        {"type": "mercator"}
        if projection is None
        else {**projection, "translate": alt.ExprRef(expr="[width / 2, height / 2]")}
    )
    # SVG (one path per parcel, named by its aria description) up to MAX_ROWS shapes: crisp when zoomed
    return (
        alt.layer(*layers, title=title, usermeta={"embedOptions": {"renderer": "svg"}})
        .project(**project)
        .properties(height=height)
    )


def area_map(
    df: pd.DataFrame, *, title: str, share_title: str, selection: str = "area_pick", height: int = 520
) -> alt.Chart:
    """片区 as rectangles (the extent of their parcels) shaded by `share_pct`, labelled with their name and
    parcel count; a click selects a 片区 (point selection `selection` on area_code)."""
    data = _check(df)
    pick = alt.selection_point(name=selection, fields=["area_code"])
    records = _geo_records(data, ["area_code", "area_name", "parcels", "area_mu", "share_pct"])
    shapes = (
        alt.Chart(_inline(records))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.6)
        .encode(
            color=alt.Color(
                "share_pct:Q",
                title=share_title,
                scale=alt.Scale(scheme="orangered"),
                legend=alt.Legend(orient="top", format=".0f"),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="片区"),
                alt.Tooltip("parcels:Q", title="地块（个）", format=","),
                alt.Tooltip("area_mu:Q", title="面积（亩）", format=",.0f"),
                alt.Tooltip("share_pct:Q", title=share_title, format=".1f"),
            ],
        )
        .add_params(pick)
    )
    labels = (
        alt.Chart(data[["area_name", "label_lon", "label_lat"]])
        .mark_text(font=FONT, fontSize=11, color="#222222")
        .encode(longitude="label_lon:Q", latitude="label_lat:Q", text="area_name:N")
    )
    return alt.layer(shapes, labels, title=title).project(type="mercator").properties(height=height)
