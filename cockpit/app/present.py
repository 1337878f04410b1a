"""演示模式 (presentation mode) for the projector: no filter chrome, larger cards and fonts, one idea per
screen, and 上一页 / 下一页 (or ← / →, PageUp / PageDown: what a clicker sends) through the pages and their steps.

Switched on by `?present=1` in the URL or the sidebar toggle (kept in the URL, so a link opens the
presentation). The filter widgets still run (hidden in the collapsed sidebar), so the URL's filters apply.

One idea per screen: a long page declares its steps in the page registry (`navigation.Page.steps`) and its script
marks each part with `with present.section("增长来源"):`. In the mode only the current step's part is shown
(`?step=2` in the URL; the heading and the 统计范围 line stay on every step); outside it every part is shown as
before. The sequence runs through the pages in navigation order, each page through its steps.

The keys are Streamlit's own button shortcuts (`st.button(shortcut=...)`): no script of ours reaches the browser,
so the strict CSP of `cockpit.app.serve` stays as it is. Charts get a projector theme on top of the house theme
(`chart_spec`): the CSS here cannot reach inside a Vega-Lite chart.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from cockpit.domain import navigation

URL_KEY = "present"
STEP_KEY = "step"
_TOGGLE = "present_mode"
_PAGE = "_cockpit_page_title"
_SHOWN = "_present_sections_shown"
_HIDDEN = "present_off"  # key prefix of the containers that hold the parts of the other steps

# the presentation order: (page script, title) in navigation order (cockpit.domain.navigation)
ORDER = tuple((p.script, p.title) for p in navigation.presentation())

# Sizes for the projector (px at 1920×1080; the chart theme below matches them): the figures are the largest text,
# then headings, chart and table text; the grey fine print (captions) stays below the data it explains.
_CSS = """<style>
html { font-size: clamp(13px, 1.65vh, 19px); }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 4.2rem 2.5rem 2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.9rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: clamp(1.5rem, min(2.1vw, 3.8vh), 2.6rem); line-height: 1.2; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p {
  font-size: 1rem; }
[data-testid="stHeading"] h1, [data-testid="stHeading"] h2 { font-size: 2.2rem; padding: 0 0 0.2rem; }
[data-testid="stHeading"] h3 { font-size: 1.8rem; padding: 0.2rem 0; }
[class*="st-key-present_off_"], .st-key-present_pgup, .st-key-present_pgdn { display: none !important; }
.st-key-present_controls { position: fixed; top: 0.55rem; right: 3.2rem; z-index: 1000028; width: auto !important;
  background: var(--st-background-color, #fff); }
@media (max-width: 1279px) { .st-key-present_controls { position: static; } }
</style>"""

# The chart theme of the mode (merged over the house theme of `cockpit.report.charts`): text at least 20 px, titles
# 26 px, few ticks on a wide axis, labels that give way instead of overlapping.
CHART_SCALE = 20 / 13  # house axis labels are 13 px
_CHART_CONFIG = {
    "axis": {"labelFontSize": 20, "titleFontSize": 20, "labelOverlap": "greedy", "labelLimit": 360, "titlePadding": 10},
    "axisQuantitative": {"tickCount": 6},
    # a y axis's title (its unit) written across above the axis: turned on its side at 20 px a long one outgrows a
    # low plot and pushes the chart's title out of the picture
    "axisLeft": {
        "titleAngle": 0,
        "titleAnchor": "end",
        "titleAlign": "left",
        "titleBaseline": "bottom",
        "titleX": 0,
        "titleY": -8,
    },
    "axisRight": {
        "titleAngle": 0,
        "titleAnchor": "end",
        "titleAlign": "right",
        "titleBaseline": "bottom",
        "titleX": 0,
        "titleY": -8,
    },
    "axisTemporal": {"tickCount": 8},
    "legend": {
        "labelFontSize": 20,
        "titleFontSize": 20,
        "symbolSize": 200,
        "labelLimit": 360,
        "offset": 34,
    },  # above the y axis title
    "title": {"fontSize": 26, "subtitleFontSize": 20, "offset": 12},
    "text": {"fontSize": 20},
    "header": {"labelFontSize": 20, "titleFontSize": 20},
}


@dataclass(frozen=True)
class Stop:
    """One screen of the presentation: a page's step (1-based) of its `steps`."""

    script: str
    title: str
    step: int
    steps: int
    name: str  # the step's name ('' for a page of one screen)

    @property
    def label(self) -> str:
        return f"{self.title} · {self.name}" if self.name else self.title

    def label_from(self, title: str) -> str:
        """The label seen on the page titled `title`: only the step's name for another step of the same page."""
        return self.name if self.title == title and self.name else self.label


def sequence() -> list[Stop]:
    """Every screen of the presentation, in order: the pages in navigation order, each through its steps."""
    out = []
    for p in navigation.presentation():
        names = p.steps or ("",)
        out += [Stop(p.script, p.title, i, len(names), name) for i, name in enumerate(names, start=1)]
    return out


def _page(title: str):
    return next((p for p in navigation.presentation() if p.title == title), None)


def step_of(value: str | None, title: str) -> int:
    """The step a URL value asks for on the page titled `title`: 1 … its number of steps (1 when unreadable)."""
    page = _page(title)
    n = len(page.steps) if page and page.steps else 1
    try:
        wanted_step = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(wanted_step, 1), n)


def neighbours(title: str, step: int = 1) -> tuple[Stop | None, Stop | None]:
    """(previous, next) screen around step `step` of the page titled `title`; a page outside the sequence leads
    back to its start."""
    stops = sequence()
    here = next((i for i, s in enumerate(stops) if s.title == title and s.step == step), None)
    if here is None:
        return None, stops[0]
    return (stops[here - 1] if here > 0 else None), (stops[here + 1] if here + 1 < len(stops) else None)


def wanted(value: str | None) -> bool:
    """Whether a URL value switches the mode on: '1' / 'true' / 'yes' / 'on' (any case)."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def active() -> bool:
    """Whether this run is in presentation mode."""
    return bool(st.session_state.get(_TOGGLE, False))


def page_title() -> str:
    """The title of the page being run (remembered by `setup`), '' before that."""
    return st.session_state.get(_PAGE, "")


def current_step() -> int:
    """The step shown in this run (1 outside the mode)."""
    return step_of(st.query_params.get(STEP_KEY), page_title()) if active() else 1


def cards_per_row(per_row: int, count: int | None = None) -> int:
    """Cards a row: in presentation mode up to six (all `count` cards of a row of fewer), so that a page's
    headline cards and its main chart share the first screen (the card type scales with the screen width)."""
    return max(1, min(6, count or 6)) if active() else per_row


@contextmanager
def section(name: str):
    """`with present.section("增长来源"):` around one step's part of a page (names as declared in
    `navigation.Page.steps`; a part may be marked in several pieces, e.g. one in each column). In 演示模式 the
    parts of the other steps are run but not shown."""
    title = page_title()
    page = _page(title)
    names = page.steps if page else ()
    if names and name not in names:
        raise ValueError(f"页面“{title}”没有声明演示步骤“{name}”（cockpit/domain/navigation.py）")
    if not active() or not names:
        yield
        return
    index = names.index(name) + 1
    if index == current_step():
        st.session_state[_SHOWN] = True
        yield
    else:
        st.session_state[_HIDDEN] = n = st.session_state.get(_HIDDEN, 0) + 1  # a part may come in pieces
        with st.container(key=f"{_HIDDEN}_{index}_{n}"):
            yield


def chart_spec(spec: dict) -> dict:
    """A chart's Vega-Lite spec for the mode: the projector theme merged over its config, and text marks (value
    labels) scaled like the axis labels. The spec passed in is not changed (its data are shared, not copied)."""
    out = _scaled(spec)
    config = copy.deepcopy(spec.get("config", {}))
    for group, values in _CHART_CONFIG.items():
        config[group] = {**config.get(group, {}), **values}
    out["config"] = config
    if isinstance(spec.get("height"), (int, float)) and _discrete_y(spec):
        out["height"] = {"step": ROW_STEP}  # one row per category, tall enough for 20 px labels
    return out


ROW_STEP = 40  # px a bar row of a chart with categories on its y axis gets in the mode


def _discrete_y(node) -> bool:
    """Whether a view (or any layer of it) puts nominal or ordinal categories on its y axis."""
    y = (node.get("encoding") or {}).get("y") or {}
    return (isinstance(y, dict) and y.get("type") in ("nominal", "ordinal")) or any(
        _discrete_y(part) for part in node.get("layer", [])
    )


_NESTED = ("layer", "hconcat", "vconcat", "concat", "spec")


def _scaled(node):
    """A copy of the view tree of a spec whose text marks with a set size are CHART_SCALE times as large."""
    if isinstance(node, list):
        return [_scaled(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _scaled(v) if k in _NESTED else v for k, v in node.items()}
    mark = node.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" in mark:
        out["mark"] = {**mark, "fontSize": round(mark["fontSize"] * CHART_SCALE)}
    return out


def _leave() -> None:
    st.session_state[_TOGGLE] = False


def setup(page) -> None:
    """Call from app.py with the page `st.navigation` returned, before running it."""
    st.session_state[_PAGE] = page.title
    st.session_state[_SHOWN] = False
    st.session_state[_HIDDEN] = 0
    if _TOGGLE not in st.session_state:
        st.session_state[_TOGGLE] = wanted(st.query_params.get(URL_KEY))
    with st.sidebar:
        st.toggle(
            "演示模式（投影）",
            key=_TOGGLE,
            help="隐藏筛选栏，放大字体，长页面分步显示；上一页 / 下一页也可用 ← / → 或 PageUp / PageDown"
            f"（翻页笔）。网址加 ?{URL_KEY}=1 可直接打开。",
        )
    on = active()
    if on and st.query_params.get(URL_KEY) != "1":
        st.query_params[URL_KEY] = "1"
    elif not on:
        for key in (URL_KEY, STEP_KEY):
            if key in st.query_params:
                del st.query_params[key]
    st.set_page_config(initial_sidebar_state="collapsed" if on else "auto")
    if on:
        st.html(_CSS)
        _controls(page.title)


def finish() -> None:
    """Call from app.py after the page ran: a step whose part the page did not draw (e.g. 化工集聚区 in a zone
    without one) says so instead of showing an empty screen."""
    page = _page(page_title())
    if active() and page and page.steps and not st.session_state.get(_SHOWN):
        st.info(f"本页“{page.steps[current_step() - 1]}”部分在当前筛选范围内无内容，请翻到下一页。")


def _controls(title: str) -> None:
    step = current_step()
    previous, following = neighbours(title, step)
    page = _page(title)
    with st.container(
        horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small", key="present_controls"
    ):
        if page and page.steps:
            st.caption(f"{page.steps[step - 1]}（{step}/{len(page.steps)}）")
        back = previous is not None and (
            st.button(
                f"上一页：{previous.label_from(title)}",
                key="present_prev",
                icon=":material/arrow_back:",
                shortcut="Left",
                help="键盘 ← 或 PageUp",
            )
            | st.button("上一页", key="present_pgup", shortcut="PageUp")
        )
        forward = following is not None and (
            st.button(
                f"下一页：{following.label_from(title)}",
                key="present_next",
                icon=":material/arrow_forward:",
                shortcut="Right",
                type="primary",
                help="键盘 → 或 PageDown",
            )
            | st.button("下一页", key="present_pgdn", shortcut="PageDown")
        )
        st.button("退出演示", on_click=_leave, key="present_leave", type="tertiary", icon=":material/close:")
    if back or forward:
        _go(previous if back else following, title)


def _go(stop: Stop, title: str) -> None:
    """Show screen `stop`: the same page at another step, or another page (the filters follow by themselves)."""
    from cockpit.app import links

    step = str(stop.step)
    if stop.title == title:
        if stop.step > 1:
            st.query_params[STEP_KEY] = step
        elif STEP_KEY in st.query_params:
            del st.query_params[STEP_KEY]
        st.rerun()
    params = {k: v for k, v in links.filter_params().items() if k != STEP_KEY}
    params[URL_KEY] = "1"
    if stop.step > 1:
        params[STEP_KEY] = step
    st.switch_page(stop.script, query_params=params)
