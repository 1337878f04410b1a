"""One click from any list, chart or map to the 企业画像 (`/enterprise?id=…`) or a project's detail, and back.

The pages call these helpers with one or two lines:

    event = ui.table(rows[shown], …, **links.CLICKABLE)     # a click on a cell (or the row marker) selects
    links.follow(event, enterprise=rows["ent_id"])           # … and opens that row's profile

    event = ui.chart(…, on_select="rerun", key=…)            # a chart with a point selection on ent_id
    links.follow_chart(event, "pick", "ent_id")

A click switches page in the same session (`st.switch_page`): the filter bar's widgets are bound to the URL
and live in the entry script, so they keep their values and the target's URL carries them again, plus `id` and
`from` (the page the click came from). The profile's 返回 link (`back_link`) goes to that page with the same filters.
Only registered pages are targets (looked up in the running app's page list), and ids reach the queries as
bound parameters.
"""

from __future__ import annotations

import streamlit as st

from cockpit.domain import navigation

PROFILE = navigation.script("enterprise")
INVEST = navigation.script("invest")
OWN_KEYS = ("id", "from", "project")  # URL parameters of the links themselves (not filters)
CLICKABLE = {"on_select": "rerun", "selection_mode": ["single-row", "single-cell"]}
_PROJECT_PENDING = "_links_project_pending"


def _pages() -> dict:
    """page script hash → page info (script_path, url_pathname, page_name) of the running app."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.pages_manager.get_pages() if ctx else {}


def current_page() -> str:
    """The url path of the page being run ('industry'), '' when unknown."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    info = _pages().get(ctx.page_script_hash) if ctx else None
    return (info or {}).get("url_pathname", "") or ""


def page_of(url_path: str) -> tuple[str, str] | None:
    """(script path, title) of the registered page with this url path; None for anything else."""
    for info in _pages().values():
        if info.get("url_pathname") == url_path and url_path:
            return info["script_path"], info.get("page_name", "")
    return None


def _bound() -> set[str]:
    """URL parameters bound to widgets (the filter bar's): they follow their widgets across a page switch and
    cannot be set directly."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from cockpit.app.filters import KEYS

    bound = set(KEYS)
    ctx = get_script_run_ctx()
    if ctx is not None:
        with ctx.session_state.query_params() as qp:
            bound |= {k for k in list(qp) if qp.is_bound(k)}
    return bound


def filter_params() -> dict[str, list[str]]:
    """The URL's other parameters to carry over (e.g. 演示模式): not the links' own, not those bound to the
    filter widgets (which keep their values and come back to the URL by themselves)."""
    qp, skip = st.query_params, set(OWN_KEYS) | _bound()
    return {k: qp.get_all(k) for k in qp if k not in skip}


def open_profile(ent_id: str) -> None:
    """Switch to the 企业画像 of `ent_id`, keeping the filters and remembering where the click came from."""
    st.switch_page(PROFILE, query_params={**filter_params(), "id": str(ent_id), "from": current_page()})


def open_project(project_id: str) -> None:
    """Switch to 投资与项目 with the project's detail open (its 项目查询 tab), keeping the filters."""
    st.session_state[_PROJECT_PENDING] = str(project_id)
    st.switch_page(INVEST, query_params={**filter_params(), "project": str(project_id)})


def _picked(event) -> tuple[int, str | None] | None:
    """(row position, column or None for a whole row) of a dataframe selection event, or None."""
    if event is None:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    cells = selection.get("cells") or []
    if cells:
        row, column = cells[0]
        return int(row), str(column)
    rows = selection.get("rows") or []
    return (int(rows[0]), None) if rows else None


def follow(event, *, enterprise=None, project=None, enterprise_columns=("ent_name",)) -> None:
    """Open what a click in a table chose: the profile of `enterprise[row]` (ent ids by row position), or the
    detail of `project[row]`; with both, a click in one of `enterprise_columns` opens the enterprise and
    any other cell (or the row marker) the project. Rows without an id are ignored."""
    hit = _picked(event)
    if hit is None:
        return
    row, column = hit
    use_enterprise = enterprise is not None and (project is None or column in enterprise_columns)
    ids = enterprise if use_enterprise else project
    if ids is None:
        return
    ids = list(ids)
    if not 0 <= row < len(ids) or ids[row] is None or ids[row] != ids[row] or ids[row] == "":
        return
    (open_profile if use_enterprise else open_project)(ids[row])


def follow_chart(event, selection: str, field: str) -> None:
    """Open the profile of the enterprise a click on a chart chose (point selection `selection` on `field`)."""
    if event is None:
        return
    chosen = (event.get("selection", {}) if isinstance(event, dict) else event.selection).get(selection) or []
    value = chosen[0].get(field) if chosen and isinstance(chosen[0], dict) else None
    if value:
        open_profile(value)


def requested_project(tab: tuple[str, str] | None = None) -> str | None:
    """The project a link asked 投资与项目 to show (`?project=`; it stays in the URL while the page is open).
    Pre-selects the project search and picker, and opens `tab` ((tabs key, label) of the tab that shows them), when
    the link was just followed or the picker is new (a deep link), not on later reruns, so a project or tab the user
    picks afterwards stays picked. Call before drawing them."""
    wanted = st.query_params.get("project")
    pending = st.session_state.pop(_PROJECT_PENDING, None)
    if wanted and (pending == wanted or "project_pick" not in st.session_state):
        st.session_state["project_search"] = wanted
        st.session_state["project_pick"] = wanted
        if tab is not None:
            st.session_state[tab[0]] = tab[1]
    return wanted


def back_link() -> None:
    """'← 返回<page>' to the page named by `?from=` with the same filters (nothing when there is none)."""
    origin = page_of(st.query_params.get("from", ""))
    if origin is None:
        return
    script, title = origin
    st.page_link(script, label=f"返回{title}", icon=":material/arrow_back:", query_params=filter_params())


def alerts_for_enterprise(ent_id: str) -> list:
    """The open 预警 about one enterprise (`cockpit.app.alerts_ui.for_enterprise`): dicts with severity, rule_name,
    figure, rule_text, office, duty, status."""
    from cockpit.app import alerts_ui

    return list(alerts_ui.for_enterprise(ent_id))


def profile_link(ent_id: str, label: str = "打开企业画像（产值、税收、项目、隐患等）") -> None:
    """A link to the full 企业画像 of `ent_id`, keeping the filters and the way back."""
    st.page_link(
        PROFILE,
        label=label,
        icon=":material/domain:",
        query_params={**filter_params(), "id": str(ent_id), "from": current_page()},
    )


# --- links that stay put: the 复制链接 of the sidebar pins the period and every filter


def pinned_params(f) -> list[tuple[str, str]]:
    """The URL parameters (the filter bar's own keys, cockpit.app.filters.KEYS) naming the view of the filters `f`
    in full: year and month always (a bare link follows the latest data; a pinned one keeps its month after the
    next import), then every dimension of cockpit.data.dimensions by its option keys (the link reader takes codes or
    names), a flag when on."""

    params = [("year", str(f.year)), ("month", f"1—{f.month}月")]
    for d, value in f.scope.items():
        if d.flag:
            params += [(d.url, "true")] if value else []
        else:
            params += [(d.url, v) for v in value]
    return params


def pinned_url(base: str, f, extra: dict[str, list[str]] | None = None) -> str:
    """`base` (the page's address without a query) with the pinned parameters of `f` and `extra` (e.g. 演示模式)."""
    from urllib.parse import urlencode

    pairs = pinned_params(f) + [(k, v) for k, values in (extra or {}).items() for v in values]
    return f"{base.split('?')[0]}?{urlencode(pairs)}"


def period_note(f, latest: tuple[int, int] | None) -> str:
    """「当前显示 2024年1—9月（最新数据）」, or with the latest period named when the view shows an earlier one."""
    from cockpit.domain.format import period_label

    shown = period_label(f.year, f.month)
    if latest is None or (f.year, f.month) == tuple(latest):
        return f"当前显示 {shown}（最新数据）"
    return f"当前显示 {shown}（最新数据为 {period_label(*latest)}）"


def copy_link_button() -> None:
    """Sidebar: 复制链接 copies this page's address pinned to the shown year, month and filters."""
    from cockpit.app import clipboard, filters

    base = st.context.url or ""
    url = pinned_url(base, filters.current(), filter_params())
    with st.sidebar:
        clipboard.copy_button(
            url,
            label="复制链接",
            done="已复制，链接固定当前年份、月份和筛选",
            help="复制本页链接：固定当前年份、月份和全部筛选条件，数据更新后仍打开同一期",
            key="copy_link",
        )
