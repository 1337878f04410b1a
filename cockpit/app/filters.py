"""The shared filter bar: year, as-of month, then one widget per filter dimension of cockpit.data.dimensions (产业链,
行业, 片区, 仅高新, 企业规模 …; a multi-select, or a toggle for a flag), in declaration order.

One module owns the filter state. The widgets are bound to the URL (`bind="query-params"`), so a copied
link opens the same view elsewhere, and they live in the entry script, so the state survives page changes.
Values arriving from the URL are matched against the options (whitelists built from the data), never
passed through as text: by code or by name (`sector=26` or its name, `area=HGQ` or its name, `size=小型`),
产业链 by name. Streamlit's bound widgets drop a value that is not an option label; so on a session's first run
the URL is read before the widgets exist, codes and names are rewritten as the options' labels, and a value
that matches nothing is named in a visible note (「链接中的片区“XYZ”不存在，已忽略」) instead of vanishing.
"""

from __future__ import annotations

from cockpit.data.dimensions import DIMENSIONS, Scope
from cockpit.domain.selection import Filters  # noqa: F401 - re-exported: pages and tests take it from here

# URL parameter names (also the widget keys): the period, then one per filter dimension (cockpit.data.dimensions)
KEYS = ("year", "month") + tuple(d.url for d in DIMENSIONS)
_STATE = "_cockpit_filters"
_URL_DONE = "_cockpit_url_resolved"  # the URL of this session has been read
_URL_NOTES = "_cockpit_url_notes"  # (notes, the filters they were made for)
LABELS = {"year": "年份", "month": "截至月份", **{d.url: d.label for d in DIMENSIONS}}


def option_queries() -> list[str]:
    """The named queries the filter bar's options come from."""
    return list(dict.fromkeys(d.options for d in DIMENSIONS if d.options))


def options(frames: dict, chosen: dict[str, tuple]) -> dict[str, dict[str, str]]:
    """Each multi-select dimension's options (key → name), narrowed by the choices already made in `chosen`
    (param → keys) for a dimension declared `narrowed_by` (the 行业 of the chosen 产业链 only)."""
    return {d.param: narrowed(d, d.options_of(frames), frames, chosen) for d in DIMENSIONS if not d.flag}


def narrowed(d, opts: dict[str, str], frames: dict, chosen: dict[str, tuple]) -> dict[str, str]:
    """`d`'s options `opts` narrowed by the choice already made of the dimension it is `narrowed_by`."""
    if not d.narrowed_by:
        return opts
    parent = next(p for p in DIMENSIONS if p.key == d.narrowed_by)
    picked = chosen.get(parent.param) or ()
    if not picked:
        return opts
    df = frames[d.options]
    keep = set(df.loc[df[parent.column].astype(str).isin(picked), d.code].astype(str))
    return {k: v for k, v in opts.items() if k in keep}


def resolve(values, options: dict[str, str]) -> tuple[list[str], list[str]]:
    """URL values → option keys, each matched by key (code) or by name; and the values that match nothing.

    `options`: key → name (行业 code → 行业名称, 片区 code → 片区名称; 产业链 name → name). Keys in option order,
    without duplicates; surrounding blanks ignored.
    """
    by_name = {str(name).strip(): key for key, name in options.items()}
    keys, unknown = [], []
    for raw in values:
        v = str(raw).strip()
        if not v:
            continue
        key = v if v in options else by_name.get(v)
        if key is None:
            unknown.append(v)
        elif key not in keys:
            keys.append(key)
    order = {k: i for i, k in enumerate(options)}
    return sorted(keys, key=order.get), unknown


def unknown_note(label: str, values) -> str:
    """「链接中的片区“XYZ”不存在，已忽略」."""
    return f"链接中的{label}“{'”“'.join(values)}”不存在，已忽略"


def month_label(text: str) -> str:
    """A link's 截至月份 as the widget labels it: '9', '9月', '1-9月', '1～9月' and '1—9月' all become '1—9月'
    (anything else is returned as given, and then matches no option)."""
    import re

    m = re.fullmatch(r"\s*(?:1\s*[-—–~～至]\s*)?(\d{1,2})\s*月?\s*", str(text))
    return f"1—{int(m.group(1))}月" if m else str(text)


def month_options(last_month: int) -> list[int]:
    """As-of months for a year reported through `last_month`: 1—2月 are published together."""
    return list(range(2, max(last_month, 2) + 1))


def render_bar(periods, frames: dict) -> Filters:
    """Draw the filter bar in the sidebar and remember the result for the pages of this run.

    `periods`: DataFrame(year, last_month); `frames`: the rows of each options query (`option_queries()`), e.g.
    sectors (sector_code, sector_name, chain) and areas (area_code, area_name, is_chemical_cluster).
    """
    import streamlit as st

    last = dict(zip(periods["year"].astype(int), periods["last_month"].astype(int)))
    years = sorted(last, reverse=True)
    names = options(frames, {})

    _read_url_once(st, frames, years, last)

    chosen: dict = {}
    with st.sidebar:
        st.markdown("#### 筛选")
        year = st.selectbox("年份", years, index=0, key="year", bind="query-params", format_func=str)
        months = month_options(last[year])
        month = st.selectbox(
            "截至月份（累计）",
            months,
            index=len(months) - 1,
            key="month",
            bind="query-params",
            format_func=lambda m: f"1—{m}月",
        )
        for d in DIMENSIONS:
            if d.flag:
                chosen[d.param] = bool(st.toggle(d.widget, key=d.url, bind="query-params"))
                continue
            opts = narrowed(d, names[d.param], frames, chosen)
            picked = st.multiselect(
                d.widget,
                list(opts),
                key=d.url,
                bind="query-params",
                format_func=lambda k, o=opts: o.get(k, k),
                placeholder=f"全部{d.label}",
            )
            chosen[d.param] = tuple(k for k in picked if k in opts)
        areas = frames.get("areas")
        clustered = areas is not None and "is_chemical_cluster" in areas and areas["is_chemical_cluster"].any()
        cluster = "、化工集聚区评估" if clustered else ""
        st.caption(
            "1—2月数据合并发布，截至月份从 2 月起。不随某项筛选变化的数字（如低效用地、培训演练"
            f"{cluster}）在卡片上注明其范围。"
        )

    filters = Filters(int(year), int(month) if month in months else months[-1], Scope.of(**chosen))
    notes, made_for = st.session_state.get(_URL_NOTES) or ((), None)
    if notes and made_for is None:
        st.session_state[_URL_NOTES] = (notes, filters)
    st.session_state[_STATE] = (filters, names)
    return filters


def _read_url_once(st, frames: dict, years: list[int], last: dict[int, int]) -> None:
    """On a session's first run, before any widget exists: map the link's values of each multi-select dimension
    (codes or names) to the options' labels and note every value that matches nothing (年份 and 截至月份 too).
    When the link did not already name the options by their labels, rewrite those parameters and run again: the
    bound widgets then read the labels from the link (Streamlit seeds a bound widget from the link of the run),
    and the address bar names the view, so a copy of it opens the same view."""
    if st.session_state.get(_URL_DONE):
        return
    st.session_state[_URL_DONE] = True
    notes, rewrite, picked = [], {}, {}
    for d in DIMENSIONS:
        if d.flag:
            continue
        raw = [str(v).strip() for v in st.query_params.get_all(d.url) if str(v).strip()]
        if not raw:
            continue
        opts = options(frames, picked)[d.param]  # narrowed as the widget offers them
        keys, unknown = resolve(raw, opts)
        picked[d.param] = tuple(keys)
        if unknown:
            notes.append(unknown_note(d.label, unknown))
        labels = [opts[k] for k in keys]
        if raw != labels:
            rewrite[d.url] = labels
    year = st.query_params.get("year")
    if year is not None and year not in {str(y) for y in years}:
        notes.append(unknown_note(LABELS["year"], [year]))
        year = None
    month = st.query_params.get("month")
    if month is not None:
        y = int(year) if year else years[0]
        label = month_label(month)
        if label not in {f"1—{m}月" for m in month_options(last[y])}:
            notes.append(unknown_note(LABELS["month"], [month]))
        elif label != month:  # '12', '12月', '1-12月' → the widget's own label '1—12月'
            rewrite["month"] = label
    st.session_state[_URL_NOTES] = (tuple(notes), None)
    if rewrite:
        for key, labels in rewrite.items():
            if isinstance(labels, str) or labels:
                st.query_params[key] = labels
            else:
                del st.query_params[key]
        st.rerun()


def url_notes() -> tuple[str, ...]:
    """The notes about URL values that matched nothing, while the view is still the one the link opened."""
    import streamlit as st

    notes, made_for = st.session_state.get(_URL_NOTES) or ((), None)
    current_filters = st.session_state.get(_STATE, (None,))[0]
    return tuple(notes) if notes and made_for == current_filters else ()


def current() -> Filters:
    """The filters the entry script drew in this run (pages call this)."""
    import streamlit as st

    return st.session_state[_STATE][0]


def active_words() -> list[str]:
    """The active filters as short words (the chosen options' names, a flag's label), for file names."""
    import streamlit as st

    f, names = st.session_state[_STATE]
    words = []
    for d, value in f.scope.items():
        if d.flag:
            words += [f"仅{d.label}"] if value else []
        else:
            words += [names.get(d.param, {}).get(k, k) for k in value]
    return words


def current_description() -> str:
    import streamlit as st

    filters, names = st.session_state[_STATE]
    return filters.describe(names)
