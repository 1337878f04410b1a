"""The filter bar's dimensions (产业链, 行业, 片区, 高新 …), each declared once.

A declaration says everything the program needs about a dimension: its key (indicators' `follows`), the field of
the `$scope` STRUCT the queries receive, the URL parameter (also the widget key), the Chinese label, the key
column it filters (a column of `enterprise_keys()` / `project_keys()` in queries/macros/scope.sql, which also
sets the grain of the summary tables in queries/materialized), where its options come from, and the tables whose
rows it selects. From these come the filter bar and the URL (cockpit.app.filters), the scope line, the scope notes
of the cards (cockpit.domain.indicators) and the scope value bound to SQL.

The scope reaches SQL as ONE bound value: `$scope STRUCT` in a query header, read by the macros of
queries/macros/scope.sql (`in_scope($scope, row)`, `scoped_enterprises($scope)`, …) or, for a table only some
dimensions apply to, as `$scope.areas`. Adding a dimension changes no query header: one declaration here, one
column in cockpit/data/schema.py, one line in `in_scope` and the key macros.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    key: str  # short name: indicators' `follows`, the targets' scope
    param: str  # field of Filters and of the $scope STRUCT
    url: str  # URL parameter, also the widget key
    label: str  # 产业链: scope notes, URL notes
    widget: str  # the widget's label in the filter bar
    column: str  # column of enterprise_keys() / project_keys() the dimension filters
    everything: str = ""  # what the scope line says when nothing is chosen ("" = nothing)
    options: str = ""  # named query listing the options ("" = the choices of `column` in the enterprise register)
    code: str = ""  # option key column of that query
    name: str = ""  # option name column of that query
    narrowed_by: str = ""  # a dimension whose choice narrows the options (by that dimension's column in `options`)
    flag: bool = False  # a toggle ("only …") instead of a multi-select; its widget label is the scope text
    tables: tuple[str, ...] = ()  # the tables whose rows it selects (facts keyed to them follow)

    def options_of(self, frames: dict) -> dict[str, str]:
        """Option key → name, in display order, from the options queries' rows (`frames`: query → DataFrame)."""
        if self.flag:
            return {}
        if not self.options:
            from cockpit.data.schema import SPECS

            return {c: c for c in SPECS["enterprises"].col(self.column).choices}
        df = frames[self.options]
        return dict(zip(df[self.code].astype(str), df[self.name].astype(str)))


_ENTERPRISE_FACTS = (
    "enterprises",
    "enterprise_month",
    "projects",
    "project_month",
    "hazards",
    "accidents",
    "bond_events",
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "chain",
        "chains",
        "chain",
        "产业链",
        "产业链",
        "chain",
        everything="全部产业链",
        options="sectors",
        code="chain",
        name="chain",
        tables=_ENTERPRISE_FACTS,
    ),
    Dimension(
        "sector",
        "sectors",
        "sector",
        "行业",
        "国民经济行业",
        "sector_code",
        options="sectors",
        code="sector_code",
        name="sector_name",
        narrowed_by="chain",
        tables=_ENTERPRISE_FACTS,
    ),
    Dimension(
        "area",
        "areas",
        "area",
        "片区",
        "片区",
        "area_code",
        everything="全部片区",
        options="areas",
        code="area_code",
        name="area_name",
        tables=_ENTERPRISE_FACTS + ("parcels", "land_actions", "trainings"),
    ),
    Dimension(
        "hitech",
        "high_tech_only",
        "hitech",
        "高新",
        "仅高新技术产业",
        "is_high_tech",
        flag=True,
        tables=_ENTERPRISE_FACTS,
    ),
    Dimension("size", "sizes", "size", "企业规模", "企业规模", "size_class", tables=_ENTERPRISE_FACTS),
)

BY_KEY = {d.key: d for d in DIMENSIONS}
BY_PARAM = {d.param: d for d in DIMENSIONS}
LABELS = {d.key: d.label for d in DIMENSIONS}  # key → 产业链 …
PARAMS = {d.key: d.param for d in DIMENSIONS}  # key → chains …
ALL = frozenset(BY_KEY)  # a figure that follows every dimension
AREA = frozenset({"area"})  # … only 片区
NONE: frozenset = frozenset()  # … none


def empty(d: Dimension):
    return False if d.flag else ()


def normalise(d: Dimension, value):
    """A dimension's value as Filters keeps it: a bool for a flag, else a tuple of option keys."""
    if d.flag:
        return bool(value)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class Scope:
    """The value of every dimension (hashable: it is part of cache keys); bound to SQL as one STRUCT."""

    values: tuple = ()  # one per DIMENSIONS, in order (empty: all "all")

    def __post_init__(self):
        if not self.values:
            object.__setattr__(self, "values", tuple(empty(d) for d in DIMENSIONS))

    @classmethod
    def of(cls, **picks) -> Scope:
        """Scope(chains=("新材料",)) style: unnamed dimensions are "all"."""
        unknown = set(picks) - set(BY_PARAM)
        if unknown:
            raise TypeError(f"unknown filter dimension(s): {', '.join(sorted(unknown))}")
        return cls(tuple(normalise(d, picks.get(d.param, empty(d))) for d in DIMENSIONS))

    def __getitem__(self, param: str):
        return dict(zip((d.param for d in DIMENSIONS), self.values))[param]

    def items(self):
        return zip(DIMENSIONS, self.values)

    def active(self) -> frozenset:
        """The keys of the dimensions with a choice."""
        return frozenset(d.key for d, v in self.items() if v)

    def only(self, keys) -> Scope:
        """This scope with the dimensions not in `keys` reset to "all"."""
        return Scope.of(**{d.param: v for d, v in self.items() if d.key in keys})

    def sql(self) -> dict:
        """The STRUCT value DuckDB binds: lists for the multi-selects, a bool for a flag."""
        return {d.param: (v if d.flag else list(v)) for d, v in self.items()}

    def holds(self, cells) -> int:
        """How many enterprises the scope holds, from `cells` (queries/scope_cells.sql: one row per combination of
        the dimensions' key columns, with its count `enterprises`): the rules of the `in_scope` macro
        (queries/macros/keys.sql) — a dimension without a choice keeps every row, a flag keeps its true rows, a
        choice keeps the rows whose key (as text) is chosen, so a null key is outside any choice."""
        keep = None
        for d, v in self.items():
            if not v:
                continue
            column = cells[d.column]
            hit = column.fillna(False).astype(bool) if d.flag else column.astype("string").isin(list(v)).fillna(False)
            keep = hit if keep is None else keep & hit
        counts = cells["enterprises"] if keep is None else cells["enterprises"][keep.to_numpy(dtype=bool)]
        return int(counts.sum())

    def describe(self, names: dict[str, dict[str, str]] | None = None) -> list[str]:
        """The scope line's parts: '产业链：新材料', '全部片区', '仅高新技术产业' (names: param → key → name)."""
        names = names or {}
        parts = []
        for d, v in self.items():
            if d.flag:
                if v:
                    parts.append(d.widget)
            elif v:
                parts.append(f"{d.label}：" + "、".join(names.get(d.param, {}).get(k, k) for k in v))
            elif d.everything:
                parts.append(d.everything)
        return parts


EVERYTHING = Scope()


def scope_from(params: dict) -> Scope | None:
    """The scope in a parameter dict: its "scope" value (a Scope, or a dict of dimension params), with the
    dimensions named by their own keys replacing its values ({**f.params(), "areas": ["A1"]}); None when the
    dict has neither."""
    named = {k: v for k, v in params.items() if k in BY_PARAM}
    base = params.get("scope")
    if base is None and not named:
        return None
    if base is None:
        base = EVERYTHING
    elif not isinstance(base, Scope):
        base = Scope.of(**base)
    if not named:
        return base
    return Scope.of(**{**{d.param: v for d, v in base.items()}, **named})


def with_scope(params: dict, declared) -> dict:
    """`params` with the scope as one Scope under "scope" when the query declares $scope (see scope_from)."""
    if "scope" not in declared:
        return params
    scope = scope_from(params)
    return params if scope is None else {**params, "scope": scope}


def followed(sql: str) -> frozenset:
    """The dimensions a query's SQL applies: none without `$scope`; only 片区 when it reads the scope only through
    `in_areas(…, $scope)` (tables with nothing but a 片区: parcels, 低效用地整治, 培训演练); every one when it hands
    `$scope` to the scope macros (in_scope, scoped_enterprises, …)."""
    import re

    if "$scope" not in sql:
        return NONE
    whole = re.sub(r"in_areas\([^()]*,\s*\$scope\)", "", sql)
    body = "\n".join(line for line in whole.splitlines() if not line.startswith("--"))
    return ALL if "$scope" in body else AREA
