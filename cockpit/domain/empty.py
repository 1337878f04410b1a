"""Empty states: one sentence that says a scope holds no data, and why, instead of empty charts and cards of "—".

`reason(size, filters, sector_names, area_names)` reads the enterprises each scope of `parts(scope)` holds
(`Scope.holds` over queries/scope_cells.sql; pure: the tests hand it small frames); `cockpit.app.ui.empty` shows
`message(reason)`.
"""

from __future__ import annotations

HEADLINE = "本筛选范围内无数据"
HINT = "请在筛选栏放宽产业链、行业、片区或高新技术产业的选择。"


# the parts of a scope whose enterprise counts say why it is empty: the whole, the industry choice alone (产业链 and
# 行业), the 片区 choice alone, both without the other dimensions (高新, 企业规模 …)
PARTS = {
    "in_scope": None,
    "in_industry": {"chain", "sector"},
    "in_areas": {"area"},
    "in_industry_areas": {"chain", "sector", "area"},
}


def parts(scope) -> dict:
    """count name → the scope to count (a `cockpit.data.dimensions.Scope`), see PARTS."""
    return {name: scope if keys is None else scope.only(keys) for name, keys in PARTS.items()}


def _names(codes, names: dict[str, str]) -> str:
    return "、".join(names.get(c, c) for c in codes)


def industry_phrase(filters, sector_names: dict[str, str]) -> str:
    """'新材料产业链' / '化学原料和化学制品制造业' / '新材料产业链的化学原料…' (what the 产业链 and 行业 choice names)."""
    chains = f"{'、'.join(filters.chains)}产业链" if filters.chains else ""
    sectors = f"{_names(filters.sectors, sector_names)}行业" if filters.sectors else ""
    return "中".join(x for x in (chains, sectors) if x)


def reason(size, filters, sector_names: dict[str, str], area_names: dict[str, str]) -> str | None:
    """Why the scope holds no enterprise, or None when it holds some (or no filter is set).

    `size`: the enterprises each part holds (in_scope, in_industry, in_areas, in_industry_areas)."""
    row = size.iloc[0] if hasattr(size, "iloc") else size
    if int(row["in_scope"]) > 0 or not filters.is_filtered:
        return None
    industry = industry_phrase(filters, sector_names)
    areas = _names(filters.areas, area_names)
    if industry and int(row["in_industry"]) == 0:
        return f"{industry}没有企业"
    if areas and int(row["in_areas"]) == 0:
        return f"{areas}没有企业"
    if industry and areas and int(row["in_industry_areas"]) == 0:
        return f"{areas}没有{industry}的企业"
    if filters.high_tech_only:
        where = "、".join(x for x in (areas, industry) if x)
        return f"{where}没有高新技术企业" if where else "没有高新技术企业"
    return "所选筛选条件的组合下没有企业"


def message(why: str | None) -> str:
    """'本筛选范围内无数据：<why>。请在筛选栏放宽…'"""
    return f"{HEADLINE}：{why}。{HINT}" if why else f"{HEADLINE}。{HINT}"
