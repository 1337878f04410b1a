"""Chart builders with one house style: Chinese fonts, horizontal labels, units in titles.

Builders take already-aggregated DataFrames from the named queries (a few dozen rows), never raw facts, and
return Vega-Lite specs as plain dicts whose `data` are those DataFrames; `spec` turns one into what the browser
gets (data as Arrow datasets, the house theme), `vega_lite_values` into a spec with inline values (the PDF).
They write Vega-Lite directly: Altair took 20–60 ms to build each chart (it copies the whole chart on every
method call), more than the query behind it. The maps (`parcel_map`, `area_map`) are dicts too; their geoshapes
carry inline values (Vega-Lite needs the geometry as objects), not Arrow datasets: GeoJSON, and for the parcels a
quantised TopoJSON whose colour and tooltip columns are joined from an Arrow dataset.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os

import numpy as np
import pandas as pd

from cockpit.domain import memo

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # the schema of the pinned Altair (tests check)
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


def value_axis(unit: str, **kwargs) -> dict:
    """The axis of a quantity in `unit`: whole ticks formatted as integers for counts (no 0.5 个), otherwise
    at most two decimals with trailing zeros dropped, so no two ticks print the same text."""
    if is_count(unit):
        return {"format": ",d", "tickMinStep": 1, **kwargs}
    return {"format": AMOUNT_FORMAT, **kwargs}


# ---- Vega-Lite, written directly
TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}


def field(shorthand: str, **props) -> dict:
    """A field's encoding from Altair's shorthand: 'v:Q' → {"field": "v", "type": "quantitative"}, 'sum(n):Q'
    → an aggregate; keyword arguments are the channel's properties (None is kept: `title=None` hides a title)."""
    name, kind = shorthand.rsplit(":", 1)
    if name.endswith(")") and "(" in name:
        aggregate, name = name[:-1].split("(", 1)
        return {"aggregate": aggregate, "field": name, "type": TYPES[kind], **props}
    return {"field": name, "type": TYPES[kind], **props}


def tip(shorthand: str, title: str | None = None, fmt: str | None = None) -> dict:
    """A tooltip field with an optional title and number/date format."""
    props = {"title": title} if title is not None else {}
    return field(shorthand, **props, **({"format": fmt} if fmt else {}))


def mark(kind: str, **props) -> dict:
    return {"type": kind, **props}


def view(mark_: dict, encoding: dict, *, data: pd.DataFrame | None = None, **props) -> dict:
    """One mark with its encoding; `data` (a DataFrame) when the view does not take its layer's."""
    return {**({"data": data} if data is not None else {}), "mark": mark_, "encoding": encoding, **props}


def layer(*views: dict, data: pd.DataFrame | None = None, **props) -> dict:
    """Views drawn over each other; `data` shared by those that have none."""
    return {"layer": list(views), **({"data": data} if data is not None else {}), **props}


def picked(selection: str, yes, no) -> dict:
    """A value that depends on whether the datum is in the point selection `selection`."""
    return {"condition": {"param": selection, "value": yes}, "value": no}


def point_selection(name: str, *fields: str) -> dict:
    return {"name": name, "select": {"type": "point", "fields": list(fields)}}


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


def spec(builder, data: pd.DataFrame, **options) -> dict:
    """`builder(data, **options)` as the Vega-Lite dict the browser gets: its data as Arrow datasets (as
    Streamlit sends them, named by their place: see `_to_spec`), the house theme as its config; built once per
    (builder, data content, options). Callers get a shallow copy.

    The spec is checked against Vega-Lite's schema only when COCKPIT_VALIDATE_CHARTS=1, as in the tests, which
    build every chart of every page: the builders are ours, so a spec that validates in the tests is valid in
    production.
    """
    return memo.call(_vega_lite, builder, data, copy=dict, **options)


# A category label in two lines on a narrow chart (a phone: the container under NARROW_PX), broken after a '·'
# when it has one ('新材料新装备产业园·化工集聚区'), else in the middle: a long 片区 name on one line takes the bars'
# width and pushes the legend above them out of the frame. Wide charts, and renderers without a container (0), keep
# one line. ROW_PX: the height of a category's row, room for two lines of 13 px labels.
NARROW_PX = 560
ROW_PX = 40
_LABEL, _DOT = "datum.label", "indexof(datum.label, '·')"
_CUT = f"({_DOT} > 0 ? {_DOT} + 1 : ceil(length({_LABEL}) / 2))"
TWO_LINE_LABEL = (
    f"containerSize()[0] > 0 && containerSize()[0] < {NARROW_PX} && length({_LABEL}) > 7"
    f" ? [slice({_LABEL}, 0, {_CUT}), slice({_LABEL}, {_CUT})] : {_LABEL}"
)


def fit_title(spec: dict) -> dict:
    """`spec` with a title of the form 'what：of which' that breaks after its '：' (without one, 'what（unit）' before
    its closing unit) when the chart is narrower than the title's one line (a phone): Vega-Lite draws a title on one
    line and the chart's frame cuts what does not fit. The width is estimated from the title's font size in the
    spec's config: a wide character (CJK, full-width punctuation: `exports.text_width` counts it 2) one em, others
    0.6. Other titles, and specs without one, are returned as they are."""
    from cockpit.report.exports import text_width

    title = spec.get("title")
    if not isinstance(title, str):
        return spec
    head, sep, tail = title.partition("：")
    if not sep or not tail:  # no '：': the break goes before a closing unit, '…（个）'
        cut = title.rfind("（")
        if cut <= 0 or not title.endswith("）"):
            return spec
        head, sep, tail = title[:cut], "", title[cut:]
    px = spec.get("config", {}).get("title", {}).get("fontSize", 15)
    wide = text_width(title) - len(title)
    need = round(px * (0.6 * len(title) + 0.4 * wide))
    lines, whole = (json.dumps(x, ensure_ascii=False) for x in ([head + sep, tail], title))
    return {**spec, "title": {"text": {"expr": f"width < {need} ? {lines} : {whole}"}}}


def _validate() -> bool:
    return os.environ.get("COCKPIT_VALIDATE_CHARTS") == "1"


def _vega_lite(builder, data: pd.DataFrame, **options) -> dict:
    return _to_spec(builder(data, **options))


def _arrow(df: pd.DataFrame) -> bytes:
    """A frame as Arrow IPC (what st.vega_lite_chart sends)."""
    from streamlit import dataframe_util

    return dataframe_util.convert_anything_to_arrow_bytes(df)


def _to_spec(chart: dict) -> dict:
    """Datasets are named by their place in the chart ("data0", "data1", … with one name per distinct content),
    not by their content: a filter change that changes only the data then sends the browser the same spec text,
    and Streamlit swaps the chart's data in the drawn view instead of building the view again."""
    datasets: dict[str, bytes] = {}
    names: dict[str, str] = {}  # content hash → name: layers that draw the same frame share one dataset

    def named(df: pd.DataFrame) -> dict:
        payload = _arrow(df)
        digest = hashlib.sha1(payload).hexdigest()
        if digest not in names:
            names[digest] = f"data{len(names)}"
            datasets[names[digest]] = payload
        return {"name": names[digest]}

    out = _top_level(chart, named)
    if _validate():
        from altair.vegalite.v6.schema import core

        core.Root.validate(out)
    out["datasets"] = datasets
    return out


def _top_level(chart: dict, data) -> dict:
    """A builder's spec as a top-level Vega-Lite spec: each DataFrame replaced by `data(frame)`, with the
    schema and the house theme."""
    return {**_with_data(chart, data), "$schema": SCHEMA_URL, **theme()}  # theme() builds a new dict each call


def _with_data(node: dict, data) -> dict:
    out = dict(node)
    if isinstance(node.get("data"), pd.DataFrame):
        out["data"] = data(node["data"])
    if "layer" in node:
        out["layer"] = [_with_data(part, data) for part in node["layer"]]
    if "transform" in node:
        out["transform"] = [_looked_up(step, data) for step in node["transform"]]
    return out


def _looked_up(step: dict, data) -> dict:
    """A lookup transform whose secondary data is a DataFrame, with it replaced by `data(frame)`."""
    if not (step.get("lookup") and isinstance(step["from"]["data"], pd.DataFrame)):
        return step
    return {**step, "from": {**step["from"], "data": data(step["from"]["data"])}}


def vega_lite_values(chart: dict, **props) -> dict:
    """A builder's spec with its data inline (JSON values: dates as ISO text, NaN as null) and `props` (e.g.
    width) set: for rendering on the server (vl-convert), where no Arrow datasets travel."""

    def values(df: pd.DataFrame) -> dict:
        return {"values": json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))}

    return {**_top_level(chart, values), **props}


def _melt(data: pd.DataFrame, keep: list[str], columns: list[str], name: str) -> pd.DataFrame:
    """`data.melt(id_vars=keep, value_vars=columns, var_name=name, value_name="v")` built directly: the same
    rows (column by column), ~0.3 ms where pandas' melt takes ~13 ms on a chart's few dozen rows."""
    n = len(data)
    out = {c: np.tile(data[c].to_numpy(), len(columns)) for c in keep}
    out[name] = np.repeat(np.array(columns, dtype=object), n)
    out["v"] = np.concatenate([data[c].to_numpy() for c in columns]) if columns else np.array([])
    return pd.DataFrame(out)


def _check(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) > MAX_ROWS:
        raise ValueError(f"图表数据 {len(df)} 行，超过 {MAX_ROWS} 行上限：请在查询中先汇总")
    return df


def ytd_trend(df: pd.DataFrame, *, value: str, title: str, unit: str = "亿元", scale: float = 1e4) -> dict:
    """1—m月累计 by month, one line per year (this year solid, last year light).

    `df`: year, month, <value> (in 万元, divided by `scale` for display).
    """
    data = _check(df[["year", "month", value]].copy())
    data["y"] = data[value] / scale
    data["年份"] = data["year"].astype(str) + "年"
    data["月份"] = data["month"].astype(str) + "月"
    years = sorted(data["年份"].unique().tolist(), reverse=True)
    encoding = {
        "x": field("month:O", title="月份", axis={"labelExpr": "datum.value + '月'"}),
        "y": field("y:Q", title=unit_title(unit, "累计"), axis=value_axis(unit)),
        "color": field("年份:N", scale={"domain": years, "range": PALETTE[: len(years)]}, title=None),
        "tooltip": [tip("年份:N"), tip("月份:N"), tip("y:Q", f"累计（{unit}）", ",.2f")],
    }
    line = view(mark("line", strokeWidth=3), encoding)
    points = view(mark("point", size=50, filled=True), encoding)
    return layer(line, points, data=data, title=title, height=300)


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
) -> dict:
    """Horizontal bars sorted by value, with an optional text label (e.g. 同比) at the bar end."""
    data = _check(df.copy())
    data["v"] = data[value] / scale
    y = field(f"{category}:N", sort="-x", title=None, axis={"labelLimit": 220})
    tooltip = [tip(f"{category}:N", "类别"), tip("v:Q", unit, ",.2f")] + ([tip(f"{label}:N", "同比")] if label else [])
    x = field("v:Q", title=unit_title(unit), axis=value_axis(unit))
    bars = view(mark("bar", color=color, cornerRadiusEnd=3), {"x": x, "y": y, "tooltip": tooltip}, title=title)
    height = max(120, 34 * len(data))
    if not label:
        return {**bars, "data": data, "height": height}
    text = view(
        mark("text", align="left", dx=6, fontSize=13, font=FONT),
        {"x": field("v:Q"), "y": y, "text": field(f"{label}:N")},
    )
    return layer(bars, text, data=data, height=height)


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
) -> dict:
    """Side-by-side bars for flows (e.g. 发现 / 整改 per month) and a line for a stock (期末未整改).

    `bars`: column → legend label; `line`: (column, legend label). Values are counts in `unit`.
    """
    data = _check(df.copy())
    long = _melt(data, [x], list(bars), "series")
    long["系列"] = long["series"].map(bars)
    labels = list(bars.values()) + [line[1]]
    color = field("系列:N", scale={"domain": labels, "range": PALETTE[: len(labels)]}, title=None)
    x_enc = field(f"{x}:O", title=x_title, axis={"labelExpr": f"datum.value + '{x_suffix}'"})
    bar = view(
        mark("bar"),
        {
            "x": x_enc,
            "xOffset": field("系列:N", sort=list(bars.values())),
            "y": field("v:Q", title=unit_title(unit, measure), axis=value_axis(unit)),
            "color": color,
            "tooltip": [tip(f"{x}:O", x_title), tip("系列:N"), tip("v:Q", unit, ",.0f")],
        },
        data=long,
    )
    data["系列"] = line[1]
    stock = view(
        mark("line", point=True, strokeWidth=3),
        {
            "x": x_enc,
            "y": field(f"{line[0]}:Q"),
            "color": color,
            "tooltip": [tip(f"{x}:O", x_title), tip("系列:N"), tip(f"{line[0]}:Q", unit, ",.0f")],
        },
        data=data,
    )
    return layer(bar, stock, title=title, height=300)


def selectable_stacked_bars(
    df: pd.DataFrame,
    *,
    category: str,
    parts: dict[str, str],
    title: str,
    unit: str,
    selection: str,
    top: int | None = None,
) -> dict:
    """Horizontal stacked bars (parts of each category's total), clickable: a point selection named
    `selection` on `category` (use with `st.vega_lite_chart(on_select="rerun")`).

    `parts`: column → legend label, stacked in that order; sorted by total, largest on top.
    """
    data = _check(df.copy())
    data["_total"] = data[list(parts)].sum(axis=1)
    data = data.sort_values("_total", ascending=False)
    if top:
        data = data.head(top)
    order = data[category].tolist()
    long = _melt(data, [category, "_total"], list(parts), "part")
    long["构成"] = long["part"].map(parts)
    long["_order"] = long["part"].map({p: i for i, p in enumerate(parts)})
    labels = list(parts.values())
    encoding = {
        "x": field("v:Q", title=unit_title(unit), stack="zero", axis=value_axis(unit)),
        "y": field(f"{category}:N", sort=order, title=None, axis={"labelLimit": 220, "labelExpr": TWO_LINE_LABEL}),
        "color": field("构成:N", scale={"domain": labels, "range": PALETTE[: len(labels)]}, sort=labels, title=None),
        "order": field("_order:Q"),
        "opacity": picked(selection, 1.0, 0.35),
        "tooltip": [
            tip(f"{category}:N", "类别"),
            tip("构成:N"),
            tip("v:Q", unit, ",.0f"),
            tip("_total:Q", f"合计（{unit}）", ",.0f"),
        ],
    }
    params = [point_selection(selection, category)]
    # a row per category tall enough for a label in two lines (TWO_LINE_LABEL)
    return view(mark("bar"), encoding, data=long, title=title, params=params, height={"step": ROW_PX})


def score_history(
    df: pd.DataFrame, *, date: str, score: str, bands: dict[str, float], title: str, label: str | None = None
) -> dict:
    """Assessment scores over time (分) with a dashed rule at each grade's lower bound.

    `bands`: grade → lower bound (分), e.g. {"B": 60, "C": 70, "D": 85}; `label` a text column by the points.
    """
    data = _check(df.copy())
    data["_date"] = pd.to_datetime(data[date])
    low = min([*bands.values(), float(data[score].min()) if len(data) else 100.0]) - 5
    y_scale = {"domain": [max(low, 0), 100]}
    y = field(f"{score}:Q", title="得分（分）", scale=y_scale)
    x = field("_date:T", title="评估日期", axis={"format": "%Y年", "tickCount": "year"})
    tooltip = [tip("_date:T", "评估日期", "%Y-%m-%d"), tip(f"{score}:Q", "得分（分）", ".1f")]
    line = view(
        mark("line", point={"size": 70, "filled": True}, strokeWidth=3, color=PALETTE[0]),
        {"x": x, "y": y, "tooltip": tooltip + ([tip(f"{label}:N", "说明")] if label else [])},
        data=data,
    )
    rules = pd.DataFrame({"grade": list(bands), "bound": list(bands.values())})
    rules["text"] = rules["grade"] + " 类 ≥ " + rules["bound"].map("{:g}".format) + " 分"
    rules["_date"] = data["_date"].max() if len(data) else pd.NaT
    bound = field("bound:Q", scale=y_scale)
    rule = view(mark("rule", strokeDash=[5, 4], color=PALETTE[6]), {"y": bound}, data=rules)
    rule_text = view(
        mark("text", align="left", dx=10, fontSize=12, font=FONT, color=PALETTE[6]),
        {"y": bound, "x": field("_date:T"), "text": field("text:N")},
        data=rules,
    )
    layers = [rule, rule_text, line]
    if label:
        text = {"x": x, "y": y, "text": field(f"{label}:N")}
        layers.append(view(mark("text", dy=-14, fontSize=12, font=FONT), text, data=data))
    return layer(*layers, title=title, height=300)


def funnel_bars(df: pd.DataFrame, *, stage: str, value: str, title: str, unit: str, label: str | None = None) -> dict:
    """A pipeline funnel: one centred horizontal bar per stage, in the rows' order (first on top).

    `label`: a text column written on the right of each bar (e.g. '42 个 · 31.20 亿元').
    """
    data = _check(df.copy())
    order = data[stage].tolist()
    data["_lo"] = -data[value] / 2.0
    data["_hi"] = data[value] / 2.0
    y = field(f"{stage}:N", sort=order, title=None, axis={"labelFontSize": 14})
    tooltip = [tip(f"{stage}:N", "阶段"), tip(f"{value}:Q", unit, ",.0f")]
    bars = view(
        mark("bar", color=PALETTE[0], cornerRadius=3),
        {
            "x": field("_lo:Q", axis=None),
            "x2": {"field": "_hi"},
            "y": y,
            "tooltip": tooltip + ([tip(f"{label}:N", "说明")] if label else []),
        },
        title=title,
    )
    layers = [bars]
    if label:
        text = {"x": field("_hi:Q"), "y": y, "text": field(f"{label}:N")}
        layers.append(view(mark("text", align="left", dx=8, fontSize=13, font=FONT), text))
    return layer(*layers, data=data, height=max(140, 44 * len(data)))


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
) -> dict:
    """Bars for the actual value of each period and a dashed line with points for the plan.

    `x`: an ordinal period label column (e.g. '2024-03'); values already in `unit`.
    """
    data = _check(df.copy())
    color = {"domain": [actual_label, plan_label], "range": [PALETTE[0], PALETTE[2]]}
    x_enc = field(f"{x}:O", title=None, sort=None)
    data["_a"], data["_p"] = actual_label, plan_label
    bars = view(
        mark("bar", opacity=0.9),
        {
            "x": x_enc,
            "y": field(f"{actual}:Q", title=unit_title(unit), axis=value_axis(unit)),
            "color": field("_a:N", scale=color, title=None),
            "tooltip": [
                tip(f"{x}:O", "月份"),
                tip(f"{actual}:Q", f"{actual_label}（{unit}）", ",.0f"),
                tip(f"{plan}:Q", f"{plan_label}（{unit}）", ",.0f"),
            ],
        },
    )
    line = view(
        mark("line", strokeDash=[6, 3], strokeWidth=2, point=True),
        {"x": x_enc, "y": field(f"{plan}:Q"), "color": field("_p:N", scale=color, title=None)},
    )
    return layer(bars, line, data=data, title=title, height=280)


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
) -> dict:
    """Horizontal bars per category, stacked by part in a fixed order (e.g. 整治方式 × 状态, 亩).

    `df` is long: one row per category and part.
    """
    data = _check(df.copy())
    data["_order"] = data[part].map({p: i for i, p in enumerate(part_order)})
    encoding = {
        "x": field(f"{value}:Q", title=unit_title(unit), stack="zero", axis=value_axis(unit)),
        "y": field(f"{category}:N", sort=list(category_order), title=None, axis={"labelLimit": 220}),
        "color": field(
            f"{part}:N",
            scale={"domain": list(part_order), "range": PALETTE[: len(part_order)]},
            sort=list(part_order),
            title=None,
        ),
        "order": field("_order:Q"),
        "tooltip": [tip(f"{category}:N", "类别"), tip(f"{part}:N", "构成"), tip(f"{value}:Q", unit, ",.2f")],
    }
    # the height includes the title, the legend and the axis
    return view(mark("bar"), encoding, data=data, title=title, height=110 + 40 * len(category_order))


def projection_path(df: pd.DataFrame, *, target: float | None, title: str, unit: str = "亿元") -> dict:
    """1—m月累计 actual (solid) and projected (dashed) through 12月, with the annual target as a rule.

    `df`: month, kind (实际 / 推演), ytd (already in `unit`).
    """
    data = _check(df.copy())
    kinds = ["实际", "推演"]
    encoding = {
        "x": field(
            "month:Q",
            title="月份",
            scale={"domain": [1, 12]},
            axis={"values": list(range(1, 13)), "labelExpr": "datum.value + '月'"},
        ),
        "y": field("ytd:Q", title=f"累计（{unit}）", axis={"format": ",.0f"}),
        "color": field("kind:N", title=None, scale={"domain": kinds, "range": [PALETTE[0], PALETTE[2]]}),
        "strokeDash": field("kind:N", legend=None, scale={"domain": kinds, "range": [[1, 0], [6, 4]]}),
        "tooltip": [tip("kind:N", "类型"), tip("month:Q", "月份"), tip("ytd:Q", f"累计（{unit}）", ",.2f")],
    }
    layers = [view(mark("line", strokeWidth=3, point=True), encoding, data=data)]
    if target is not None:
        goal = pd.DataFrame({"target": [target], "label": [f"年度目标 {target:,.2f} {unit}"]})
        red = STATUS_COLORS["red"]
        layers.append(
            view(mark("rule", color=red, strokeDash=[4, 3], strokeWidth=2), {"y": field("target:Q")}, data=goal)
        )
        layers.append(
            view(
                mark("text", align="left", dx=4, dy=-8, fontSize=13, font=FONT, color=red),
                {"x": {"datum": 1}, "y": field("target:Q"), "text": field("label:N")},
                data=goal,
            )
        )
    return layer(*layers, title=title, height=320)


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
) -> dict:
    """A heatmap of cells coloured by status (green/yellow/red) with the value printed in each cell.

    `df`: one row per cell; `column` is numeric (e.g. assumed growth %), `status` holds green/yellow/red.
    """
    data = _check(df.copy())
    data["col_label"] = [f"{c:+g}%" for c in data[column]]
    data["text"] = [("—" if pd.isna(v) else f"{v:{value_format}}{suffix}") for v in data[value]]
    order = [f"{c:+g}%" for c in sorted(data[column].unique())]
    x = field("col_label:N", title=None, sort=order, axis={"orient": "top", "labelPadding": 6})
    y = field(f"{row}:N", title=None, sort=list(dict.fromkeys(data[row].tolist())), axis={"labelLimit": 220})
    status_scale = {"domain": list(STATUS_COLORS), "range": list(STATUS_COLORS.values())}
    cells = view(
        mark("rect", stroke="white", strokeWidth=2),
        {
            "x": x,
            "y": y,
            "color": field(f"{status}:N", legend=None, scale=status_scale),
            "tooltip": [tip(f"{row}:N", "指标"), tip("col_label:N", column_title), tip("text:N", "完成率")],
        },
    )
    text = view(
        mark("text", fontSize=14, font=FONT, color="white", fontWeight="bold"),
        {"x": x, "y": y, "text": field("text:N")},
    )
    return layer(cells, text, data=data, title=title, height=max(120, 40 * data[row].nunique()))


# ---- 工业经济 and 亩均效益 (issue 3)
CLASS_COLORS = ["#2e9e5b", "#1f5fa8", "#e3a21a", "#d2453b", "#8c8c8c"]  # A, B, C, D, 未参评


def _period_axis(merged_first: bool) -> dict:
    expr = "datum.value == 2 ? '1—2月' : datum.value + '月'" if merged_first else "datum.value + '月'"
    return {"labelExpr": expr}


def year_lines(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    unit: str = "亿元",
    scale: float = 1e4,
    measure: str = "当月",
    merged_first: bool = True,
) -> dict:
    """One line per year over the reporting periods (this year dark, last year light), 同比 in the tooltip.

    `df`: year, month, <value> (万元 ÷ `scale`), optional yoy_pct; month 2 is 1—2月 when `merged_first`.
    """
    data = _check(df.copy())
    data["y"] = data[value] / scale
    data["年份"] = data["year"].astype(str) + "年"
    data["期间"] = [("1—2月" if merged_first and m == 2 else f"{m}月") for m in data["month"]]
    if "yoy_pct" not in data:
        data["yoy_pct"] = None
    years = sorted(data["年份"].unique().tolist(), reverse=True)
    encoding = {
        "x": field("month:O", title=None, axis=_period_axis(merged_first)),
        "y": field("y:Q", title=unit_title(unit, measure), axis=value_axis(unit)),
        "color": field("年份:N", scale={"domain": years, "range": PALETTE[: len(years)]}, title=None),
        "tooltip": [
            tip("年份:N"),
            tip("期间:N"),
            tip("y:Q", f"{measure}（{unit}）", ",.2f"),
            tip("yoy_pct:Q", "同比（%）", "+.1f"),
        ],
    }
    line = view(mark("line", strokeWidth=3), encoding, title=title)
    points = view(mark("point", size=50, filled=True), encoding, title=title)
    return layer(line, points, data=data, title=title, height=300)


def pull_bars(df: pd.DataFrame, *, category: str, value: str, label: str, title: str, unit: str = "个百分点") -> dict:
    """Diverging horizontal bars (e.g. 拉动, 个百分点) in the rows' order: green up, red down, a label each."""
    data = _check(df.copy())
    data["sign"] = ["正" if (v or 0) >= 0 else "负" for v in data[value].fillna(0)]
    data["text_x"] = data[value].fillna(0).clip(lower=0)  # labels right of the bar end or of 0
    low, high = min(0.0, float(data[value].min())), max(0.0, float(data[value].max()))
    room = (high - low) or 1.0
    x_scale = {"domain": [low - 0.05 * room, high + 0.9 * room], "nice": False}  # room on the right for labels
    y = field(f"{category}:N", sort=data[category].tolist(), title=None, axis={"labelLimit": 240})
    signs = {"domain": ["正", "负"], "range": [STATUS_COLORS["green"], STATUS_COLORS["red"]]}
    bars = view(
        mark("bar", cornerRadiusEnd=3),
        {
            "x": field(
                f"{value}:Q", title=unit_title(unit, "拉动"), axis={"format": "+.1~f", "tickCount": 6}, scale=x_scale
            ),
            "y": y,
            "color": field("sign:N", scale=signs, legend=None),
            "tooltip": [tip(f"{category}:N", "类别"), tip(f"{value}:Q", unit, "+.2f"), tip(f"{label}:N", "说明")],
        },
        data=data,
        title=title,
    )
    text = view(
        mark("text", align="left", dx=6, fontSize=13, font=FONT),
        {"x": field("text_x:Q", scale=x_scale), "y": y, "text": field(f"{label}:N")},
        data=data,
    )
    rule = view(mark("rule", color="#555"), {"x": field("x:Q")}, data=pd.DataFrame({"x": [0]}))
    return layer(bars, rule, text, height=max(160, 36 * len(data)))


def bars_with_share(
    df: pd.DataFrame, *, x: str, bar: str, share: str, title: str, bar_title: str, share_title: str, scale: float = 1e4
) -> dict:
    """Bars for an amount (万元 ÷ `scale`, e.g. 亿元) and a line with labels for its share (%), two axes."""
    data = _check(df.copy())
    data["v"] = data[bar] / scale
    data["share_text"] = [f"{s:.1f}%" if pd.notna(s) else "" for s in data[share]]
    x_enc = field(f"{x}:O", title=None)
    # headroom: the bars end below the share line (0–100 %), its labels stay off the bars
    headroom = {"domain": [0, float(data["v"].max() or 0) * 1.45 or 1]}
    bars = view(
        mark("bar", color=PALETTE[0], opacity=0.85),
        {
            "x": x_enc,
            "y": field("v:Q", title=bar_title, axis={"format": AMOUNT_FORMAT}, scale=headroom),
            "tooltip": [tip(f"{x}:O", "年份"), tip("v:Q", bar_title, ",.2f"), tip(f"{share}:Q", share_title, ".1f")],
        },
        title=title,
    )
    shares = {"domain": SHARE_DOMAIN}
    line = view(
        mark("line", color=PALETTE[2], strokeWidth=3, point=True),
        {"x": x_enc, "y": field(f"{share}:Q", title=share_title, scale=shares)},
        title=title,
    )
    text = view(
        mark("text", color=PALETTE[2], dy=-12, fontSize=13, font=FONT),
        {"x": x_enc, "y": field(f"{share}:Q", scale=shares), "text": field("share_text:N")},
        title=title,
    )
    return layer(bars, layer(line, text), data=data, resolve={"scale": {"y": "independent"}}, height=300)


def class_shares(
    df: pd.DataFrame, *, category: str, cls: str, count: str, share: str, order: list[str], title: str
) -> dict:
    """Horizontal 100 % stacked bars: each category's enterprises by class (A … D, 未参评) in `order`."""
    data = _check(df.copy())
    data["cls_order"] = data[cls].map({c: i for i, c in enumerate(order)})
    encoding = {
        "x": field(f"{count}:Q", stack="normalize", title="企业占比（%）", axis={"format": ".0%"}),
        "y": field(f"{category}:N", title=None, axis={"labelLimit": 240}),
        "color": field(
            f"{cls}:N",
            scale={"domain": list(order), "range": CLASS_COLORS[: len(order)]},
            title=None,
            legend={"orient": "bottom", "columns": 3},
        ),
        "order": field("cls_order:Q"),
        "tooltip": [
            tip(f"{category}:N", "类别"),
            tip(f"{cls}:N", "分类"),
            tip(f"{count}:Q", "企业数（家）"),
            tip(f"{share}:Q", "占比（%）", ".1f"),
        ],
    }
    return view(mark("bar"), encoding, data=data, title=title, height={"step": 30})


def score_histogram(
    df: pd.DataFrame, *, score: str, cls: str, order: list[str], title: str, step: float = 25.0
) -> dict:
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
    encoding = {
        "x": field("bin_start:Q", bin="binned", title="综合得分（分）"),
        "x2": {"field": "bin_end"},
        "y": field("sum(n):Q", title="评价单元（个）", axis=value_axis("个")),
        "color": field(f"{cls}:N", scale={"domain": list(order), "range": CLASS_COLORS[: len(order)]}, title=None),
        "order": field(f"{cls}:N"),
        "tooltip": [tip(f"{cls}:N", "分类"), tip("sum(n):Q", "单元数（个）")],
    }
    return view(mark("bar"), encoding, data=data, title=title, height=300)


# ---- 亩均一张图 (issue 17)
def _geo_records(df: pd.DataFrame, fields: list[str]) -> list[dict]:
    """Rows as GeoJSON Features for inline Vega-Lite data: the GeoJSON text of `geometry` as the geometry, the
    `fields` as top-level members (so encodings and selections name them directly), missing values as None."""
    from cockpit.data import geo

    columns = [_plain_values(df[f]) for f in fields]
    geometries = [geo.from_text(text) for text in df["geometry"].tolist()]
    return [
        {"type": "Feature", "geometry": geometry, **dict(zip(fields, values))}
        for geometry, *values in zip(geometries, *columns)
    ]


QUANTISE = 100_000  # TopoJSON grid steps across a map's extent (a 片区 of 5 km: 5 cm a step, far below a pixel)


def _topology(ids: list, geometries: list[dict], name: str = "shapes") -> dict:
    """Polygons as one quantised TopoJSON topology (object `name`, read by Vega with format {"type": "topojson",
    "feature": name}): each ring an arc of integer grid positions, the first absolute, the others as steps from the
    one before, and each shape's id as its property `id`. The same outlines as GeoJSON text in about half the
    characters (a province 片区's 1,888 parcels: 405 → 219 KB): the server encodes and parses a map's JSON several
    times a rerun (Streamlit's spec handling: ~30 % of a province 亩均 rerun, profiled). Rings are not shared
    between neighbours (no arc topology)."""
    polygons = [[g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] for g in geometries]
    rings = [ring for shape in polygons for rings_ in shape for ring in rings_]
    lengths = np.array([len(ring) for ring in rings], dtype=np.int64)
    points = np.array([p[:2] for ring in rings for p in ring], dtype=float).reshape(-1, 2)
    low = points.min(axis=0) if len(points) else np.zeros(2)
    span = (points.max(axis=0) - low) if len(points) else np.zeros(2)
    scale = np.where(span > 0, span / (QUANTISE - 1), 1.0)
    grid = np.rint((points - low) / scale).astype(np.int64)
    steps = np.diff(grid, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if len(lengths) else lengths
    steps[starts] = grid[starts]  # each arc starts at an absolute position
    # one conversion (per ring, ~2,000 small ones cost several times as much); pairs as tuples, which the garbage
    # collector stops tracking (cockpit.app.collector: a province process's collections walk every list it keeps)
    flat = list(map(tuple, steps.tolist()))
    arcs = [flat[a : a + n] for a, n in zip(starts.tolist(), lengths.tolist())]
    shapes, k = [], 0
    for shape_id, geometry, shape in zip(ids, geometries, polygons):
        refs = []
        for rings_ in shape:
            refs.append([[k + r] for r in range(len(rings_))])
            k += len(rings_)
        arcs_of = refs[0] if geometry["type"] == "Polygon" else refs
        shapes.append({"type": geometry["type"], "arcs": arcs_of, "properties": {"id": shape_id}})
    return {
        "type": "Topology",
        "transform": {"scale": scale.tolist(), "translate": low.tolist()},
        "objects": {name: {"type": "GeometryCollection", "geometries": shapes}},
        "arcs": arcs,
    }


@functools.lru_cache(maxsize=4)
def _outlines(ids: tuple, texts: tuple) -> dict:
    """`_topology` of the outlines (GeoJSON texts) `texts` of shapes `ids`, kept for the next map of the same
    parcels (a 产业链 change recolours a 片区's parcels, it does not move them). Shared: read it, do not change it."""
    from cockpit.data import geo

    return _topology(list(ids), [geo.from_text(t) for t in texts])


def _plain_values(column: pd.Series) -> list:
    """A column as plain Python values (JSON-ready), None where missing: read as one array, not value by value
    (per value, a province's ~2,000 parcels cost ~50 ms a map)."""
    missing = column.isna().to_numpy()
    values = column.to_numpy(dtype=object)
    return [None if gone else (v.item() if isinstance(v, np.generic) else v) for v, gone in zip(values, missing)]


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
) -> dict:
    """Parcels as shapes on a Mercator map fitted to them (no tiles), coloured by `category` (`colors`:
    category → colour, in legend order), a click selects a parcel (point selection `selection` on parcel_id);
    `outlines` (area_name, geometry, label_lon, label_lat) draws each 片区's outline and name; `highlight`
    outlines one parcel in black.

    `df`: parcel_id, geometry (GeoJSON text, wound for d3: outer rings clockwise), `category` and the
    `tooltip` columns (column → label; tax_per_mu and area_mu as numbers, shown with two decimals, '—' when
    missing). With `projection` (type, scale, center: `landmap.tiles`) and `tiles` (url, lon, lat of each 256 px
    tile's north-west corner) the map is a fixed-scale Mercator, centred in the chart, over those base-map tiles."""
    from cockpit.domain.format import num

    data = _check(df)
    fields = list(dict.fromkeys(["parcel_id", category, *tooltip]))
    props = data[fields].reset_index(drop=True)
    for c in ("area_mu", "tax_per_mu"):  # as text: a parcel without a figure reads '—' (Vega writes "null")
        if c in props:
            props[c] = [num(v, 2) for v in props[c].tolist()]
    tips = [tip(f"{c}:N", t) for c, t in tooltip.items()]
    if highlight:
        test = f"(datum.parcel_id === {_quoted(highlight)})"
        stroke = {"condition": {"test": test, "value": "#111111"}, "value": "#ffffff"}
        width = {"condition": {"test": test, "value": 2.5}, "value": 0.4}
    else:
        stroke, width = {"value": "#ffffff"}, {"value": 0.4}
    legend = {"title": None, "orient": "top", "columns": 3, "symbolType": "square"}
    # inline JSON (Vega-Lite reads shapes only from JSON) holds each parcel's outline and id, as a quantised
    # TopoJSON; its id, colour and tooltip columns travel as an Arrow table joined by a lookup: inline, their text
    # (as \u escapes) was more than half of a province map's ~1 MB of JSON, which the server encodes and parses
    # several times a rerun
    topology = _outlines(tuple(data["parcel_id"].tolist()), tuple(data["geometry"].tolist()))
    shapes = {
        "data": {"values": topology, "format": {"type": "topojson", "feature": "shapes"}},
        "transform": [
            {
                "lookup": "properties.id",
                "from": {"data": props, "key": "parcel_id", "fields": fields},
            }
        ],
        "mark": mark("geoshape"),
        "encoding": {
            "color": field(
                f"{category}:N",
                scale={"domain": list(colors), "range": list(colors.values())},
                title="着色",
                legend=legend,
            ),
            "stroke": stroke,
            "strokeWidth": width,
            "opacity": picked(selection, 1.0, 0.85),
            "tooltip": tips,
        },
        "name": "parcels",
    }
    layers = [shapes]
    if outlines is not None and len(outlines):
        lines = {
            "data": {"values": _geo_records(outlines, ["area_name"])},
            "mark": mark("geoshape", filled=False, stroke="#5b6573", strokeWidth=1.2, strokeDash=[5, 3]),
        }
        labels = view(
            mark("text", font=FONT, fontSize=13, fontWeight="bold", color="#333333", baseline="bottom"),
            _lon_lat_text(),
            data=outlines[["area_name", "label_lon", "label_lat"]],
        )
        layers = [lines, shapes, labels]
    if tiles is not None and len(tiles):
        tile = mark("image", width=256, height=256, align="left", baseline="top", clip=True, aria=False)
        encoding = {"longitude": field("lon:Q"), "latitude": field("lat:Q"), "url": field("url:N")}
        layers = [view(tile, encoding, data=tiles), *layers]
    project = (
        {"type": "mercator"} if projection is None else {**projection, "translate": {"expr": "[width / 2, height / 2]"}}
    )
    # SVG (one path per parcel, named by its aria description) up to MAX_ROWS shapes: crisp when zoomed
    return layer(
        *layers,
        title=title,
        usermeta={"embedOptions": {"renderer": "svg"}},
        params=[{**point_selection(selection, "parcel_id"), "views": ["parcels"]}],
        projection=project,
        height=height,
    )


def _quoted(text: str) -> str:
    """`text` as a single-quoted Vega expression string."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _lon_lat_text() -> dict:
    return {"longitude": field("label_lon:Q"), "latitude": field("label_lat:Q"), "text": field("area_name:N")}


def area_map(
    df: pd.DataFrame, *, title: str, share_title: str, selection: str = "area_pick", height: int = 520
) -> dict:
    """片区 as rectangles (the extent of their parcels) shaded by `share_pct`, labelled with their name and
    parcel count; a click selects a 片区 (point selection `selection` on area_code)."""
    data = _check(df)
    records = _geo_records(data, ["area_code", "area_name", "parcels", "area_mu", "share_pct"])
    shapes = {
        "data": {"values": records},
        "mark": mark("geoshape", stroke="#ffffff", strokeWidth=0.6),
        "encoding": {
            "color": field(
                "share_pct:Q",
                title=share_title,
                scale={"scheme": "orangered"},
                legend={"orient": "top", "format": ".1~f"},
            ),
            "tooltip": [
                tip("area_name:N", "片区"),
                tip("parcels:Q", "地块（个）", ","),
                tip("area_mu:Q", "面积（亩）", ",.0f"),
                tip("share_pct:Q", share_title, ".1f"),
            ],
        },
        "name": "areas",
    }
    labels = view(
        mark("text", font=FONT, fontSize=11, color="#222222"),
        _lon_lat_text(),
        data=data[["area_name", "label_lon", "label_lat"]],
    )
    return layer(
        shapes,
        labels,
        title=title,
        params=[{**point_selection(selection, "area_code"), "views": ["areas"]}],
        projection={"type": "mercator"},
        height=height,
    )
