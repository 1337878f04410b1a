"""演示模式 (presentation mode) for the projector: no filter chrome, larger cards and fonts, one idea per
screen, and 上一页 / 下一页 through the pages in a fixed order.

Switched on by `?present=1` in the URL or the sidebar toggle (kept in the URL, so a link opens the
presentation). The filter widgets still run (hidden in the collapsed sidebar), so the URL's filters apply.
The CSS here only sizes text and cards; the layout changes come from `ui.columns` and `ui.card_grid`.
"""

from __future__ import annotations

import streamlit as st

from cockpit import navigation

URL_KEY = "present"
_TOGGLE = "present_mode"
_PAGE = "_cockpit_page_title"

# the presentation order: (page script, title) in navigation order (cockpit.navigation)
ORDER = tuple((p.script, p.title) for p in navigation.presentation())

_CSS = """<style>
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.25rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 3.2rem; line-height: 1.25; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.5rem; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p {
  font-size: 1.4rem; }
[data-testid="stHeading"] h2 { font-size: 2.6rem; }
[data-testid="stHeading"] h3 { font-size: 2rem; }
</style>"""


def wanted(value: str | None) -> bool:
    """Whether a URL value switches the mode on: '1' / 'true' / 'yes' / 'on' (any case)."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def neighbours(title: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(previous, next) page of the presentation order around the page titled `title`; a page outside
    the order leads back to its start."""
    titles = [t for _, t in ORDER]
    if title not in titles:
        return None, ORDER[0]
    i = titles.index(title)
    return (ORDER[i - 1] if i > 0 else None), (ORDER[i + 1] if i + 1 < len(ORDER) else None)


def active() -> bool:
    """Whether this run is in presentation mode."""
    return bool(st.session_state.get(_TOGGLE, False))


def page_title() -> str:
    """The title of the page being run (remembered by `setup`), '' before that."""
    return st.session_state.get(_PAGE, "")


def cards_per_row(per_row: int) -> int:
    """At most three (bigger) cards a row in presentation mode."""
    return min(per_row, 3) if active() else per_row


def _leave() -> None:
    st.session_state[_TOGGLE] = False


def setup(page) -> None:
    """Call from app.py with the page `st.navigation` returned, before running it."""
    st.session_state[_PAGE] = page.title
    if _TOGGLE not in st.session_state:
        st.session_state[_TOGGLE] = wanted(st.query_params.get(URL_KEY))
    with st.sidebar:
        st.toggle("演示模式（投影）", key=_TOGGLE,
                  help="隐藏筛选栏，放大卡片和字体，图表逐个全宽显示；页首有上一页 / 下一页。"
                       f"网址加 ?{URL_KEY}=1 可直接打开。")
    on = active()
    if on and st.query_params.get(URL_KEY) != "1":
        st.query_params[URL_KEY] = "1"
    elif not on and URL_KEY in st.query_params:
        del st.query_params[URL_KEY]
    st.set_page_config(initial_sidebar_state="collapsed" if on else "auto")
    if on:
        st.html(_CSS)
        _controls(page.title)


def _controls(title: str) -> None:
    previous, following = neighbours(title)
    with st.container(horizontal=True, horizontal_alignment="right", gap="small"):
        if previous:
            st.page_link(previous[0], label=f"上一页：{previous[1]}", icon=":material/arrow_back:")
        if following:
            st.page_link(following[0], label=f"下一页：{following[1]}", icon=":material/arrow_forward:")
        st.button("退出演示", on_click=_leave, key="present_leave", type="tertiary",
                  icon=":material/close:")
