"""The shared filter bar: year, as-of month, 产业链, 行业, 片区, 高新 only.

One module owns the filter state. The widgets are bound to the URL (`bind="query-params"`), so a copied
link opens the same view elsewhere, and they live in the entry script, so the state survives page changes.
Values arriving from the URL are matched against the options (whitelists built from the data), never
passed through as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.format import period_label

# URL parameter names (also the widget keys)
KEYS = ("year", "month", "chain", "sector", "area", "hitech")
_STATE = "_cockpit_filters"


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
        st.caption("1—2月数据合并发布，截至月份从 2 月起。低效用地只受片区筛选影响。")

    filters = Filters(
        year=int(year),
        month=int(month) if month in months else months[-1],
        chains=tuple(chosen_chains),
        sectors=tuple(s for s in chosen_sectors if s in sector_options),
        areas=tuple(chosen_areas),
        high_tech_only=bool(high_tech),
    )
    st.session_state[_STATE] = (filters, sector_names, area_names)
    return filters


def current() -> Filters:
    """The filters the entry script drew in this run (pages call this)."""
    import streamlit as st

    return st.session_state[_STATE][0]


def current_description() -> str:
    import streamlit as st

    filters, sector_names, area_names = st.session_state[_STATE]
    return filters.describe(sector_names, area_names)
