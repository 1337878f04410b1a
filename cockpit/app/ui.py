"""Streamlit glue shared by the pages: the cached connection, cached named queries, KPI cards.

Pages stay thin: read filters → call `q(name, …)` → render with the helpers here and in `charts`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from pathlib import Path
from typing import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cockpit.app import prefetch
from cockpit.data.config import Rules, load_rules
from cockpit.data.db import SAMPLE_DIR, Database, data_dir, load_query
from cockpit.data.store import ensure_working_dir
from cockpit.domain import format as fmt
from cockpit.domain import memo
from cockpit.domain.cards import Card
from cockpit.domain.markup import plain  # pages write ui.plain(name) for imported text inside Markdown
from cockpit.domain.metrics import STATUS_CN, Status

FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"  # local: a :material: icon comes from a CDN


@st.cache_resource(show_spinner=False)
def _ready(directory: str) -> Path:
    ensure_working_dir(Path(directory), SAMPLE_DIR)
    return Path(directory).resolve()


def directory() -> Path:
    """The data directory, made ready (`ensure_working_dir`) without opening the database: what the entry script
    needs before `st.navigation` (a province's database takes ~20 s to open, and until the first run has called
    `st.navigation` Streamlit answers a deep link with its English "Page not found")."""
    return once_per_run(("directory", os.environ.get("COCKPIT_DATA_DIR")), lambda: _ready(str(data_dir())))


_per_run = threading.local()  # per script thread: (the run, {key: value})


def once_per_run(key, compute):
    """`compute()` once per script run (full or fragment), the same value for the rest of the run: for what a
    rerun asks for many times (the database and its data version, the rules, the zone's name, the data
    directory). A change shows on the next rerun, whole. Outside a script run (the prefetch pool, background jobs)
    it is computed on every call.

    A run is recognised by the dict Streamlit's ScriptRunContext.reset() makes anew for each run, full or fragment
    (held here, so its identity cannot be reused while held)."""
    run = getattr(get_script_run_ctx(suppress_warning=True), "cursors", None)
    if run is None:
        return compute()
    held = getattr(_per_run, "held", None)
    if held is None or held[0] is not run:
        held = _per_run.held = (run, {})
    values = held[1]
    if key not in values:
        values[key] = compute()
    return values[key]


@st.cache_resource(show_spinner=False)
def _database(directory: str) -> Database:
    _ready(directory)
    return Database(directory)


def has_monthly_statistics() -> bool:
    """Whether the zone has any enterprise-month row, from the parquet footer (no database open). A zone without
    gets the one page that says what to do first (`navigation.sections(empty=True)`)."""
    path = directory() / "enterprise_month.parquet"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    return _rows(str(path), stat.st_mtime_ns, stat.st_size) > 0


@functools.lru_cache(maxsize=8)
def _rows(path: str, mtime_ns: int, size: int) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def database() -> Database:
    """The process-wide connection for the configured data directory."""
    return _pinned_run()[0]


_opened: dict[str, Database] = {}  # directory → the Database last handed to a script run (for prefetch workers)


def data_version() -> str:
    """The data version this script run reads: fingerprinted once per run (a shared lock and a stat of every
    table file), not once per query, and every query of one rerun reads the same version — a commit made
    meanwhile shows on the next rerun, whole. Outside a script run (background jobs) it is checked every call."""
    return _pinned_run()[1]


def _pinned_run() -> tuple[Database, str]:
    """(Database, data version) of this script run, looked up once per run (a rerun asks 30–60 times)."""
    return once_per_run(("database", os.environ.get("COCKPIT_DATA_DIR")), _open_current)


def _open_current() -> tuple[Database, str]:
    db = _database(str(data_dir()))
    _opened[str(db.directory)] = db
    return db, db.data_version()


def _freeze(value):
    return tuple(value) if isinstance(value, list) else value


def _run(name: str, params: tuple, directory: str, version: str):
    db = _opened.get(directory)
    return (db if db is not None else _database(directory)).run(name, dict(params))


def _copy_frame(df):
    return df.copy()


def q(name: str, params: dict | None = None, **extra):
    """Run a named query, cached by (name, parameters it declares, data version); callers get a copy.

    Keys the query does not declare are dropped before caching, and the scope keeps only the dimensions the
    query's SQL applies (a 片区-only query is not run again for a 产业链 change), so unrelated filters share entries.
    The cache is `cockpit.domain.memo` (a copy of a few hundred rows costs ~0.1 ms, where `st.cache_data`
    pickles and unpickles every hit for ~1–2 ms).
    """
    from cockpit.data.dimensions import with_scope

    spec = load_query(name)
    declared = spec.params
    merged = with_scope({**(params or {}), **extra}, declared)
    key = tuple(sorted((k, _freeze(v)) for k, v in merged.items() if k in declared))
    missing = [p for p in declared if p not in merged]
    if missing:
        raise KeyError(f"查询 {name} 缺少参数: {', '.join(missing)}")
    prefetch.record(name, key)  # the filter bar's scope, so that the trace replays the next one
    return memo.call(_run, name, spec.narrowed(key), str(database().directory), data_version(), copy=_copy_frame)


def derived(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` for a pure computation that reads named queries through `q` (passed among its
    arguments), memoised by its arguments' content and the data version: a rerun that changes nothing it reads
    (a filter it ignores, a click elsewhere, a scope seen before) does not compute it again. The queries it asked
    for are recorded for the page's prefetch on a hit too, as if it had run. The result is shared: callers must not
    change it (a list is copied)."""
    result, asked = memo.call(_traced, fn, str(database().directory), data_version(), *args, copy=_same, **kwargs)
    for name, key in asked:
        prefetch.record(name, key)
    return list(result) if isinstance(result, list) else result


def _traced(fn, directory: str, version: str, *args, **kwargs):
    """`fn`'s result and the queries it asked for (`directory` and `version` only key the memo)."""
    with prefetch.capture() as asked:
        result = fn(*args, **kwargs)
    return result, tuple(asked)


def prefetch_page(page: str) -> None:
    """Start the queries `page` asked for in its last run, with this run's filters, on the prefetch workers
    (cockpit.app.prefetch), and record the ones it asks for now. Call before the page runs."""
    from cockpit.app import filters

    directory, version = str(database().directory), data_version()

    def start(name: str, key: tuple) -> bool:
        key = load_query(name).narrowed(key)
        if memo.cached(_run, name, key, directory, version):
            return False
        prefetch.submit(functools.partial(memo.call, _run, name, key, directory, version, copy=_same))
        return True

    prefetch.begin(page, filters.current().params(), start)


def _same(value):
    return value


def clear_caches() -> None:
    """Forget cached query results, derived tables and chart specs (benchmarks and tests)."""
    memo.clear()
    st.cache_data.clear()


def rules() -> Rules:
    """The business rules (config/rules.toml), read once per script run."""
    return once_per_run("rules", load_rules)


def zone():
    """The zone whose data the app shows (name, short name, county): `zone.toml` in the data directory."""
    from cockpit.data.zone import identity

    return once_per_run(("zone", os.environ.get("COCKPIT_DATA_DIR")), lambda: identity(directory()))


def header(title: str, full: bool = False) -> None:
    """A page heading: '<zone short name> · <title>' (the full name with `full`)."""
    z = zone()
    st.header(f"{plain(z.name if full else z.short_name)} · {title}")


def latest_period() -> tuple[int, int] | None:
    """(year, month) of the newest monthly statistics, None before any."""
    periods = q("data_periods")
    if periods.empty:
        return None
    year = int(periods["year"].max())
    return year, int(periods.loc[periods["year"] == year, "last_month"].max())


def scope_caption(text: str, *, period: bool = True) -> None:
    """The 统计范围 line under a page's title, after the period it shows (「当前显示 2024年1—9月（最新数据）」, so a
    reader of a pinned link sees it is not the latest); and any note about link values that matched nothing.
    `period=False` on pages that do not follow the filter bar's period."""
    from cockpit.app import filters, links

    note = links.period_note(filters.current(), latest_period()) + " · " if period else ""
    st.caption(plain(f"{note}统计范围：{text}"))
    for note in filters.url_notes():
        st.warning(plain(note), icon=":material/link_off:")


def empty(why: str | None = None) -> None:
    """The one empty state: 本筛选范围内无数据, why (e.g. 通航智造产业区没有新材料产业链的企业) and what to do,
    where a chart, table or card row would show nothing."""
    from cockpit.domain import empty as empty_mod

    st.info(plain(empty_mod.message(why)), icon=":material/filter_alt_off:")


def scope_empty_reason() -> str | None:
    """Why the filter bar's scope holds no enterprise (None when it holds some): see `cockpit.domain.empty`."""
    from cockpit.app import filters
    from cockpit.domain import empty as empty_mod

    f = filters.current()
    if not f.is_filtered:
        return None

    cells = q("scope_cells")  # one read per data version; each scope is then a sum in Python (no query planned)

    def count(scope) -> int:
        return scope.holds(cells)

    parts = empty_mod.parts(f.scope)
    if count(parts["in_scope"]) > 0:  # the usual case: the parts only explain an empty scope
        return None
    size = {name: count(scope) for name, scope in parts.items()}
    sectors, areas = q("sectors"), q("areas")
    return empty_mod.reason(
        size,
        f,
        dict(zip(sectors["sector_code"], sectors["sector_name"])),
        dict(zip(areas["area_code"], areas["area_name"])),
    )


_TONE = {"good": "green", "bad": "red", "neutral": "gray"}


def card(c: Card) -> None:
    """Lay out one KPI card (the texts come from `cockpit.domain.cards`): value, change, the light with 完成率 against
    时序进度 or why there is none, the notes saying which scope and basis it shows, the 口径 on hover."""
    with st.container(border=True):
        st.metric(
            c.label, c.value_text, delta=c.change_text, delta_color=_TONE[c.tone], delta_arrow=c.direction, help=c.help
        )
        if c.status is not None:  # its own line: beside the change (cockpit.app.fit), the target under both
            st.caption(status_badge(c.status, c.status_text))
        if c.target_text:
            st.caption(plain(c.target_text))
        for note in c.notes:
            st.caption(plain(note))


_STATUS_COLOR = {Status.GREEN: "green", Status.YELLOW: "orange", Status.RED: "red"}


def status_badge(status: Status | None, text: str | None = None) -> str:
    """Markdown for a status light: a coloured dot and its word (no emoji: projectors lack the font)."""
    if status is None:
        return ""
    return f":{_STATUS_COLOR[status]}[● {plain(text or STATUS_CN[status])}]"


def card_grid(cards: list[Card], per_row: int = 4) -> None:
    """Cards in a grid whose column count follows the available width (at most `per_row`; CSS in
    `cockpit.app.fit`): 4 → 3 → 2 → 1 as the main area narrows, two compact cards a row on a phone."""
    from cockpit.app import fit, present

    per_row = present.cards_per_row(per_row, len(cards))
    with st.container(key=fit.grid_key(",".join(c.indicator_id for c in cards), per_row, present=present.active())):
        for c in cards:
            card(c)


def cells(n: int, *, name: str, per_row: int = 4, border: bool = False) -> list:
    """`n` containers in a card grid (columns by available width, at most `per_row`; see `cockpit.app.fit`)
    for a page's own `st.metric`s: `cells(4, name="亩均")[0].metric(...)`. `name` unique on the page."""
    from cockpit.app import fit, present

    per_row = present.cards_per_row(per_row, n)
    with st.container(key=fit.grid_key(name, per_row, present=present.active())):
        return [st.container(border=border) for _ in range(n)]


def indicator_cards(page: str, row: int | None = None, *, per_row: int = 4) -> list[Card]:
    """A page's KPI row from the registry, for the current filters (the same evaluation as 总览 and the brief)."""
    from cockpit.app import filters

    f = filters.current()
    shown = derived(_page_cards, q, f, rules(), page, row)
    if shown:
        card_grid(shown, per_row=per_row)
    return shown


def _page_cards(run, f, rules: Rules, page: str, row: int | None) -> list[Card]:
    from cockpit.domain import cards as cards_mod
    from cockpit.domain import indicators

    return cards_mod.cards(
        indicators.page(run, f, rules, page, row), on_page=True, as_of=fmt.period_label(f.year, f.month)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _brief_pdf(params: tuple, scope: str, version: str) -> bytes:
    from cockpit.app.filters import Filters
    from cockpit.report import brief

    values = dict(params)
    f = Filters(values["year"], values["month"], values["scope"])
    return brief.pdf_bytes(brief.collect(q, f, rules(), scope, zone=zone().name))


def brief_button() -> None:
    """Sidebar: one click downloads the A4 meeting brief for the current filters (built on demand,
    cached by filters and data version)."""
    from cockpit.app import filters

    f = filters.current()
    scope = filters.current_description()
    params = tuple(sorted((k, _freeze(v)) for k, v in f.params().items()))
    version = data_version()
    name = (
        "_".join(x for x in (f"{zone().short_name}会议简报", fmt.period_label(f.year, f.month), scope_words()) if x)
        + ".pdf"
    )
    with st.sidebar:
        st.download_button(
            "下载会议简报（PDF）",
            data=lambda: _brief_pdf(params, scope, version),
            file_name=name,
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key="brief_pdf",
            help="A4 简报：主要指标表、自动生成的汇报稿、图表、需关注事项（生成约需 10 秒）",
        )


_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_words(limit: int = 40) -> str:
    """The active filters in a few words for a file name ('新材料_化工园区_仅高新'); '' without filters."""
    from cockpit.app import filters

    try:
        words = filters.active_words()
    except KeyError:
        return ""
    text = "_".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "等"


def export_stem(name: str) -> str:
    """'<zone>_<page>_<name>_<period>[_<filters>]' for a table's download files (characters unsafe in file
    names dropped)."""
    import re

    from cockpit.app import filters, present

    parts = [zone().short_name, present.page_title(), name]
    try:
        f = filters.current()
        parts.append(fmt.period_label(f.year, f.month))
    except KeyError:
        pass
    parts.append(scope_words())
    return re.sub(r'[\\/:*?"<>|\s]+', "", "_".join(p for p in parts if p))


def export_title(name: str) -> list[str]:
    """The lines above a downloaded table: report name, 统计范围 (period and filters), 数据截至 and the day."""
    import datetime as dt

    from cockpit.app import filters, present

    lines = [f"{zone().name} · {present.page_title()} · {name}"]
    try:
        f = filters.current()
        lines += [
            f"统计范围：{filters.current_description()}",
            f"数据截至：{f.year}年{f.month}月底 · 导出日期：{dt.date.today().isoformat()}",
        ]
    except KeyError:
        lines.append(f"导出日期：{dt.date.today().isoformat()}")
    return lines


def table(
    data,
    *,
    name: str,
    key: str,
    column_config: dict | None = None,
    column_order: list[str] | None = None,
    export=None,
    lights: dict[str, dict[str, str]] | None = None,
    **dataframe_kwargs,
) -> None:
    """A table (`st.dataframe`, no index, full width) with compact 下载 Excel / 下载 CSV buttons beneath.

    The files hold the shown columns in order, headed by their column-config labels (which carry the units),
    with the values of `data` (or of `export`, the same columns unformatted, when `data` shows text made
    for display): numbers stay numbers, Excel number formats follow the column formats, and text that
    a spreadsheet would run as a formula is neutralised. Built only when clicked. Hidden in 演示模式.
    `export` may also be a function returning that frame, called only on a click (e.g. all rows of a
    list whose table shows the first N). Returns the selection state when `on_select` is passed (see
    `cockpit.app.links.CLICKABLE`), like `st.dataframe`.

    `lights` marks columns of status words ({column: {word: colour}}, colour one of `fit.LIGHT_BG`'s names): each
    cell shows its word on a tinted label of that colour, drawn by the browser's grid (a pandas Styler colouring
    the same cells rendered every cell of the table on each rerun: ~100 ms for the 200 lagging projects of a
    province, profiled); the downloads keep the words.
    """
    from pandas.io.formats.style import Styler

    from cockpit.app import fit, present
    from cockpit.report import exports

    if fit.no_rows(data):  # a grid of no rows reads "empty": say it in words
        st.caption(fit.NO_ROWS)
        return None
    shown_data = fit.dashes(data)
    if lights:
        shown_data = fit.light_cells(shown_data, list(lights))
        column_config = {**(column_config or {}), **fit.light_columns(lights, column_config or {})}
    event = st.dataframe(
        shown_data,
        hide_index=True,
        width="stretch",
        placeholder=fit.DASH,  # a missing number too (Streamlit would write "None")
        column_config=column_config,
        column_order=column_order,
        key=key,
        **dataframe_kwargs,
    )
    if present.active():
        return event
    source = export if export is not None else (data.data if isinstance(data, Styler) else data)

    def shown():  # built only when a download is clicked
        return exports.shown_frame(source() if callable(source) else source, column_config, column_order)

    title = export_title(name)  # now: the download callback runs outside the script run (no filters there)

    def xlsx() -> bytes:
        frame, formats = shown()
        return exports.xlsx_bytes({sheet: frame}, {sheet: formats}, title=title)

    stem = export_stem(name)
    sheet = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "数据"
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "下载 Excel",
            data=xlsx,
            file_name=f"{stem}.xlsx",
            mime=_XLSX_MIME,
            on_click="ignore",
            key=f"{key}_xlsx",
            type="tertiary",
            icon=":material/download:",
            help="下载本表（.xlsx，数值保留为数字，单位见表头）",
        )
        st.download_button(
            "下载 CSV",
            data=lambda: exports.csv_bytes(shown()[0]),
            file_name=f"{stem}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"{key}_csv",
            type="tertiary",
            icon=":material/download:",
            help="下载本表（CSV，UTF-8 带 BOM，Excel 可直接打开）",
        )
    return event


def chart(builder, data, *, key: str | None = None, on_select="ignore", **options):
    """Draw `charts.<builder>(data, **options)` full width in the house theme (in 演示模式 with the projector
    theme of `present.chart_spec` on top).

    The Vega-Lite spec comes from `charts.spec` (built once per data and options), so a rerun that
    shows the same data does not rebuild it. Returns the selection state when `on_select` is set, like
    `st.altair_chart`.
    """
    from cockpit.app import present
    from cockpit.report import charts

    spec = charts.spec(builder, data, **options)
    if present.active():
        spec = present.chart_spec(spec)
    spec = charts.fit_title(spec)
    return st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key, on_select=on_select)


def tabs(bodies: dict[str, Callable[[], None]], *, key: str, keep: tuple[str, ...] = (), steps: bool = False) -> None:
    """`st.tabs` of `bodies` ({label: function drawing the tab}) in which only the open tab is drawn: a click on
    another tab reruns the page with that tab open (Streamlit's lazy tabs). A filter change then reruns only what
    the leader is looking at — the other tabs' queries, tables, charts and maps cost nothing. The open tab is kept
    under `key` (set it in Session State before the call to open another).

    `keep`: keys of widgets inside the tabs whose choice must survive while their tab is closed (Streamlit forgets
    the state of a widget a run does not draw; writing its value back keeps it).

    `steps`: each tab is the page's 演示模式 step of its label (`present.section`). In 演示模式 the tabs are not
    drawn: every body runs in turn, stacked, and shows on its step (one idea per screen, as `columns` does)."""
    from cockpit.app import present

    def run(label: str, draw: Callable[[], None]) -> None:
        with present.section(label) if steps else contextlib.nullcontext():
            draw()

    if present.active():
        for label, draw in bodies.items():
            with st.container():
                run(label, draw)
        return
    for widget in keep:
        if widget in st.session_state:
            st.session_state[widget] = st.session_state[widget]
    for (label, draw), tab in zip(bodies.items(), st.tabs(list(bodies), key=key, on_change="rerun")):
        if tab.open:
            with tab:
                run(label, draw)


def columns(spec, **kwargs) -> list:
    """`st.columns`, except in 演示模式: stacked full-width containers (one idea per screen)."""
    from cockpit.app import present

    if present.active():
        n = spec if isinstance(spec, int) else len(spec)
        return [st.container() for _ in range(n)]
    return st.columns(spec, **kwargs)
