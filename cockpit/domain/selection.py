"""The period and the scope the filter bar selects (`Filters`), as pages, indicators, the brief and the alerts
read it: a plain value (hashable, no Streamlit), drawn by cockpit.app.filters."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.data.dimensions import BY_PARAM, DIMENSIONS, Scope
from cockpit.domain.format import period_label


@dataclass(frozen=True, init=False)
class Filters:
    """The period and the scope; each dimension's value also reads as an attribute (`f.chains`, `f.areas` …)."""

    year: int
    month: int
    scope: Scope

    def __init__(self, year: int, month: int, *values, scope: Scope | None = None, **picks):
        """Filters(2024, 9), Filters(2024, 9, chains=("新材料",)), Filters(2024, 9, scope) or, in declaration order,
        Filters(2024, 9, ("新材料",), (), ("A1",), True)."""
        if len(values) == 1 and isinstance(values[0], Scope):
            scope = values[0]
        elif values:
            picks = {**{d.param: v for d, v in zip(DIMENSIONS, values)}, **picks}
        object.__setattr__(self, "year", int(year))
        object.__setattr__(self, "month", int(month))
        object.__setattr__(self, "scope", scope if scope is not None else Scope.of(**picks))

    def __getattr__(self, name: str):
        if name in BY_PARAM:
            return self.scope[name]
        raise AttributeError(name)

    def params(self) -> dict:
        """Bound parameters for the named queries (each query takes the ones it declares)."""
        return {"year": self.year, "month": self.month, "scope": self.scope}

    @property
    def is_filtered(self) -> bool:
        return bool(self.scope.active())

    def describe(self, names: dict[str, dict[str, str]] | None = None) -> str:
        """One line saying what the numbers cover: '2024年1—9月 · 产业链：新材料 · 全部片区'
        (`names`: dimension param → option key → name, e.g. 行业 codes → 行业名称)."""
        return " · ".join([period_label(self.year, self.month), *self.scope.describe(names)])
