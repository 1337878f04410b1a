"""The shared filter bar: year, as-of month, 产业链, 行业, 片区, 高新 only.

One module owns the filter state. The widgets are bound to the URL (`bind="query-params"`), so a copied
link opens the same view elsewhere, and they live in the entry script, so the state survives page changes.
Values arriving from the URL are matched against the options (whitelists built from the data), never
passed through as text: 行业 and 片区 by code or by name (`sector=26` or its name, `area=HGQ` or its name),
产业链 by name. Streamlit's bound widgets drop a value that is not an option label; so on a session's first run
the URL is read before the widgets exist, codes and names are rewritten as the options' labels, and a value
that matches nothing is named in a visible note (「链接中的片区“XYZ”不存在，已忽略」) instead of vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.format import period_label

# URL parameter names (also the widget keys)
KEYS = ("year", "month", "chain", "sector", "area", "hitech")
_STATE = "_cockpit_filters"
_URL_DONE = "_cockpit_url_resolved"     # the URL of this session has been read
_URL_NOTES = "_cockpit_url_notes"       # (notes, the filters they were made for)
LABELS = {"year": "年份", "month": "截至月份", "chain": "产业链", "sector": "行业", "area": "片区",
          "hitech": "仅高新"}


@dataclass(frozen=True)
class Filters:
    year: int
    month: int
    chains: tuple[str, ...] = field(default=())
    sectors: tuple[str, ...] = field(default=())
    areas: tuple[str, ...] = field(default=())
    high_tech_only: bool = False

    def params(self) -> dict:
        """Bound parameters for the named queries (each query takes the ones it declares)."""
        return {
            "year": self.year,
            "month": self.month,
            "chains": self.chains,
            "sectors": self.sectors,
            "areas": self.areas,
            "high_tech_only": self.high_tech_only,
        }

    @property
    def is_filtered(self) -> bool:
        return bool(self.chains or self.sectors or self.areas or self.high_tech_only)

    def describe(self, sector_names: dict[str, str], area_names: dict[str, str]) -> str:
        """One line saying what the numbers cover: '2024年1—9月 · 产业链：新材料 · 全部片区'."""
        parts = [period_label(self.year, self.month)]
        parts.append("产业链：" + "、".join(self.chains) if self.chains else "全部产业链")
        if self.sectors:
            parts.append("行业：" + "、".join(sector_names.get(s, s) for s in self.sectors))
        parts.append("片区：" + "、".join(area_names.get(a, a) for a in self.areas)
                     if self.areas else "全部片区")
        if self.high_tech_only:
            parts.append("仅高新技术产业")
        return " · ".join(parts)


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


def render_bar(periods, sectors, areas) -> Filters:
    """Draw the filter bar in the sidebar and remember the result for the pages of this run.

    `periods`: DataFrame(year, last_month); `sectors`: DataFrame(sector_code, sector_name, chain);
    `areas`: DataFrame(area_code, area_name).
    """
    import streamlit as st

    last = dict(zip(periods["year"].astype(int), periods["last_month"].astype(int)))
    years = sorted(last, reverse=True)
    sector_names = dict(zip(sectors["sector_code"], sectors["sector_name"]))
    area_names = dict(zip(areas["area_code"], areas["area_name"]))
    chains = list(dict.fromkeys(sectors["chain"]))

    _read_url_once(st, sectors, area_names, years, last)

    with st.sidebar:
        st.markdown("#### 筛选")
        year = st.selectbox("年份", years, index=0, key="year", bind="query-params",
                            format_func=str)
        months = month_options(last[year])
        month = st.selectbox("截至月份（累计）", months, index=len(months) - 1, key="month",
                             bind="query-params", format_func=lambda m: f"1—{m}月")
        chosen_chains = st.multiselect("产业链", chains, key="chain", bind="query-params",
                                       placeholder="全部产业链")
        sector_options = [c for c in sectors["sector_code"]
                          if not chosen_chains or
                          sectors.set_index("sector_code").at[c, "chain"] in chosen_chains]
        chosen_sectors = st.multiselect("国民经济行业", sector_options, key="sector",
                                        bind="query-params", format_func=sector_names.get,
                                        placeholder="全部行业")
        chosen_areas = st.multiselect("片区", list(area_names), key="area", bind="query-params",
                                      format_func=area_names.get, placeholder="全部片区")
        high_tech = st.toggle("仅高新技术产业", key="hitech", bind="query-params")
        cluster = "、化工集聚区评估" if "is_chemical_cluster" in areas and areas["is_chemical_cluster"].any() else ""
        st.caption("1—2月数据合并发布，截至月份从 2 月起。不随某项筛选变化的数字（如低效用地、培训演练"
                   f"{cluster}）在卡片上注明其范围。")

    filters = Filters(
        year=int(year),
        month=int(month) if month in months else months[-1],
        chains=tuple(chosen_chains),
        sectors=tuple(s for s in chosen_sectors if s in sector_options),
        areas=tuple(chosen_areas),
        high_tech_only=bool(high_tech),
    )
    notes, made_for = st.session_state.get(_URL_NOTES) or ((), None)
    if notes and made_for is None:
        st.session_state[_URL_NOTES] = (notes, filters)
    st.session_state[_STATE] = (filters, sector_names, area_names)
    return filters


def _read_url_once(st, sectors, area_names: dict[str, str], years: list[int], last: dict[int, int]) -> None:
    """On a session's first run, before any widget exists: map the link's 产业链 / 行业 / 片区 values (codes or
    names) to the options' labels and note every value that matches nothing (年份 and 截至月份 too). When the
    link did not already name the options by their labels, rewrite those parameters and run again: the bound
    widgets then read the labels from the link (Streamlit seeds a bound widget from the link of the run), and
    the address bar names the view, so a copy of it opens the same view."""
    if st.session_state.get(_URL_DONE):
        return
    st.session_state[_URL_DONE] = True
    notes, rewrite, picked = [], {}, []
    chains = list(dict.fromkeys(sectors["chain"]))
    for key in ("chain", "sector", "area"):
        raw = [str(v).strip() for v in st.query_params.get_all(key) if str(v).strip()]
        if not raw:
            continue
        if key == "chain":
            options = {c: c for c in chains}
        elif key == "sector":  # the 行业 of the chosen 产业链 only, as the widget offers
            options = {c: n for c, n, ch in zip(sectors["sector_code"], sectors["sector_name"], sectors["chain"])
                       if not picked or ch in picked}
        else:
            options = area_names
        keys, unknown = resolve(raw, options)
        if key == "chain":
            picked = keys
        if unknown:
            notes.append(unknown_note(LABELS[key], unknown))
        labels = [options[k] for k in keys]
        if raw != labels:
            rewrite[key] = labels
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
    """The active filters as short words (产业链, 行业 and 片区 names, 仅高新), for file names."""
    import streamlit as st

    f, sector_names, area_names = st.session_state[_STATE]
    return [*f.chains, *(sector_names.get(s, s) for s in f.sectors), *(area_names.get(a, a) for a in f.areas),
            *(["仅高新"] if f.high_tech_only else [])]


def current_description() -> str:
    import streamlit as st

    filters, sector_names, area_names = st.session_state[_STATE]
    return filters.describe(sector_names, area_names)
