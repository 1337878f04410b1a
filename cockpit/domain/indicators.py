"""The indicator registry: ONE declaration per indicator, and the one evaluation every surface uses.

An `Indicator` says what a figure is — name, unit (and the stored unit it is scaled from), 口径 and formula,
higher or lower is better, how its change is written (% / 个百分点 / ±n), cumulative (1—m月累计, 完成率 against
时序进度) or a level/stock, the filter dimensions it follows, its target rule (targets of the same scope, a fixed
target such as 0 accidents, or a threshold to reach such as the D grade), its yellow band, the named query and
column it reads, the tables whose coverage decides whether a 同比 exists, whether goal seek applies, its
sentence in the 汇报稿 and its place on 总览 and on its own page.

`evaluate(run, filters, rules)` turns declarations into `Evaluation`s (numbers: value, change, target, 完成率,
时序进度, status and the notes saying which scope a figure shows). The 总览 cards, each page's KPI row, the 汇报稿,
the PDF brief, 目标推演, the warnings (issue 18) and `indicators.parquet` (the targets template's code list) are
all derived from here, so they cannot disagree. Pure: no Streamlit; queries run through the `run(name, params)`
function the caller passes (the app's cached `ui.q`, or `Database.run` in tests and the brief).

Rules (DESIGN.md, "Figures that never mislead"):
- A figure follows every active filter it can (its query takes that filter); a filter it cannot follow is
  named on the figure ("全区口径，不随产业链筛选"), or the figure is hidden with the reason.
- 完成率 and lights compare like with like: the target of exactly the figure's scope (全区, one 产业链 or one 片区);
  a filtered figure without such a target shows value and change without a light and says why.
- 同比 only when last year's period lies inside the data of every table the figure reads.
- 规上 产值 / 增加值 growth on the enterprises that reported in both periods (同口径, configurable); 增加值 growth
  at comparable prices when a 工业生产者出厂价格指数 has been imported, else labelled 现价.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from cockpit.data import dimensions
from cockpit.data.config import Rules, StatusRule
from cockpit.domain import format as fmt
from cockpit.domain import metrics

Run = Callable[[str, dict], pd.DataFrame]

# ------------------------------------------------------------------------------------------------
# filter dimensions (the filter bar's, declared once)
# ------------------------------------------------------------------------------------------------

DIMENSIONS = dimensions.LABELS  # key → 产业链 … (declared in cockpit.data.dimensions)
ALL, AREA, NONE = dimensions.ALL, dimensions.AREA, dimensions.NONE

# stored unit → display unit: the factor a stored value is multiplied by
_CONVERT = {("万元", "亿元"): 1e-4, ("亩", "亩"): 1.0}


def active_dims(f) -> frozenset:
    """The filter dimensions set in `f` (a cockpit.app.filters.Filters)."""
    return f.scope.active()


# ------------------------------------------------------------------------------------------------
# declarations
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where the value comes from: a named query's rows and a column (or a ratio of two column sums).

    Rows with a `year` column: the $year rows are this period, the $year − 1 rows last year's (same months);
    other rows are all "this period". `where` keeps only matching rows (e.g. kind = 培训); `month_row` keeps the
    rows of the as-of month (monthly series). `previous` names a column on this period's rows holding the value
    to compare with (e.g. the previous assessment) instead of last year's rows. `compare` = (this, last) columns
    of the $year row holding the 同口径 pair the change is computed from. `deflate` = the column of
    `price_deflator` that turns this period's value into last year's prices for the change.
    """

    query: str
    column: str | None = None
    ratio: tuple[str, str] | None = None
    stored: str | None = None  # stored unit, when it differs from the display unit
    factor: float = 1.0  # extra factor (100 for a share in %, 1e4 for 吨/万元 → 吨/亿元)
    where: tuple[tuple[str, object], ...] = ()
    month_row: bool = False
    agg: str = "sum"  # "sum" over the period's rows, or "first" row
    zero_when_empty: bool = False  # an event register: no rows in a period inside the data = 0
    previous: str | None = None
    compare: tuple[str, str] | None = None
    deflate: str | None = None


@dataclass(frozen=True)
class Target:
    """The target rule: "table" (targets of the same scope), "fixed" (a value unless the table sets one for the
    scope: 0 accidents), "threshold" (reach and stay at or above a floor: the goal grade's score; the table may
    set it), or "none"."""

    kind: str = "table"
    value: float | None = None


TABLE = Target("table")
NO_TARGET = Target("none")
ZERO = Target("fixed", 0.0)
GOAL_GRADE = Target("threshold")


@dataclass(frozen=True)
class Sentence:
    """The indicator's sentence in the 汇报稿: `text` (or `zero` when the value is 0, `missing` when there is none)
    formatted with the fields of `narrative.fields`; `join` is put before it when it follows another sentence of
    its section."""

    section: str
    order: int
    text: str
    zero: str | None = None
    missing: str | None = None
    join: str = "。"


@dataclass(frozen=True)
class Special:
    """What a figure does when filter `dim` is active: "note" (show, with `text` on it) or "hide" (with `text`
    as the reason)."""

    dim: str
    action: str
    text: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    definition: str  # 口径
    formula: str
    source: Source
    office: str
    source_table: str
    higher_is_better: bool = True
    change: str = "pct"  # "pct" 同比 %, "points" 个百分点, "diff" ±n, "none"
    change_label: str = "同比"
    cumulative: bool = True  # 1—m月累计: 完成率 against 时序进度; else a level or a stock at the period end
    follows: frozenset = ALL
    scope_label: str = "全区"  # what the figure shows when it follows no active filter
    target: Target = TABLE
    warn_points: float | None = None  # yellow band in 个百分点; None = config/rules.toml [status]
    coverage: tuple[str, ...] = ()  # tables whose coverage decides 同比 (default: source_table)
    goal_seek: bool = False
    sentence: Sentence | None = None
    overview: int | None = None  # position on 总览
    page: str | None = None  # its own page ("industry", "invest", "land", "safety")
    row: int = 1  # KPI row on that page
    page_label: str | None = None  # label on its page ({m} = as-of month, {month_word} = 当月 word)
    filtered_name: str | None = None  # name when a followed filter is active (the scope's share)
    special: tuple[Special, ...] = ()
    only_with_target: bool = False  # shown only when it has a target (plan items)
    empty_text: str | None = None  # value text when there is no value
    frequency: str = "月度"
    applies: str | None = None  # a named query with rows only where the figure exists for this zone
    # (e.g. a 化工集聚区); no rows: the indicator is left out everywhere

    @property
    def factor(self) -> float:
        s = self.source
        base = _CONVERT[(s.stored, self.unit)] if s.stored else 1.0
        return base * s.factor

    @property
    def tables(self) -> tuple[str, ...]:
        return self.coverage or tuple(t.strip() for t in self.source_table.split(","))

    @property
    def period_word(self) -> str:
        return "1—m月累计" if self.cumulative else "期末"


class Registry:
    """An ordered set of indicators (the module's REGISTRY; tests build their own with `extended`)."""

    def __init__(self, indicators: Iterable[Indicator]):
        self.items = tuple(indicators)
        self.by_id = {i.id: i for i in self.items}
        if len(self.by_id) != len(self.items):
            raise ValueError("指标代码重复")

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, key: str) -> Indicator:
        return self.by_id[key]

    def __contains__(self, key: str) -> bool:
        return key in self.by_id

    def extended(self, *more: Indicator) -> "Registry":
        return Registry(self.items + more)

    def overview(self) -> list[Indicator]:
        return sorted((i for i in self.items if i.overview is not None), key=lambda i: i.overview)

    def page(self, page: str, row: int | None = None) -> list[Indicator]:
        return [i for i in self.items if i.page == page and (row is None or i.row == row)]

    def targetable(self) -> list[Indicator]:
        """Indicators a targets row may name (the targets template's code list)."""
        return [i for i in self.items if i.target.kind != "none"]

    def goal_seek(self) -> list[Indicator]:
        return [i for i in self.items if i.goal_seek]

    def sentences(self, section: str) -> list[Indicator]:
        return sorted(
            (i for i in self.items if i.sentence and i.sentence.section == section), key=lambda i: i.sentence.order
        )


# ------------------------------------------------------------------------------------------------
# evaluation
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """One indicator for one filter state and period: the numbers every surface shows, and why."""

    indicator: Indicator
    name: str
    value: float | None  # display unit
    previous: float | None  # what the change compares with (display unit), None without data
    change: float | None  # % / 个百分点 / difference, per indicator.change
    comparable: bool  # last year's period lies inside the data
    same_count: int | None  # 同口径: enterprises that reported in both periods (None: all enterprises)
    price: str | None  # '现价' / '可比价' for 增加值 growth
    change_all: float | None  # the change on all enterprises (全口径), when the basis is 同口径
    target: float | None
    target_scope: str | None  # '全区' / '产业链：新材料' / '片区：…'
    target_note: str | None  # why there is no target or light
    completion: float | None  # 完成率, %
    progress: float | None  # 时序进度, %
    status: metrics.Status | None
    gap: float | None  # threshold: points still to go (0 when reached)
    scope_note: str | None  # '全区口径，不随产业链筛选'
    hidden: str | None  # the reason a figure is not shown
    year: int = 0
    month: int = 12
    extra: dict = field(default_factory=dict)  # e.g. the grade of a score

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def basis(self) -> str | None:
        """How the change was computed: '同口径（两期均有申报的 121 家企业）· 现价' (None: plain)."""
        parts = []
        if self.same_count is not None:
            parts.append(f"同口径（两期均有申报的 {fmt.count(self.same_count, '家')}企业）")
        if self.price:
            parts.append(self.price)
        return " · ".join(parts) or None


_missing = fmt.is_blank  # None, NaN, NA or NaT (an empty table's min(date) comes back as NaT)


def _num(x) -> float | None:
    if _missing(x):
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return float(x)


class Context:
    """What an evaluation reads, each query run once: rows, data coverage, targets, price deflators."""

    def __init__(self, run: Run, f, rules: Rules, *, same_enterprises: bool | None = None):
        self.run, self.f, self.rules = run, f, rules
        self.params = f.params()
        self.same_enterprises = rules.same_enterprises if same_enterprises is None else same_enterprises
        self._rows: dict[str, pd.DataFrame] = {}
        self._selected: dict[tuple, Selected] = {}
        self._targets: dict[tuple[str, str, str], float] | None = None
        self._coverage: dict | None = None

    def rows(self, query: str) -> pd.DataFrame:
        if query not in self._rows:
            self._rows[query] = self.run(query, self.params)
        return self._rows[query]

    def select(self, src: Source, year: int | None, month: int) -> Selected:
        """`src`'s rows of `year` (None: the query has no year) and `month`: one selection per query, year and
        row condition, shared by the indicators that read the same rows."""
        key = (src.query, year, src.where, src.month_row, month)
        if key not in self._selected:
            self._selected[key] = _select(self.rows(src.query), src, year, month)
        return self._selected[key]

    # ---- coverage
    def coverage_start(self, table: str) -> dt.date | None:
        if self._coverage is None:  # table → (first date, kind)
            cov = self.rows("data_coverage")
            self._coverage = dict(zip(cov["table_name"], zip(cov["first_date"], cov["kind"])))
        if table not in self._coverage or _missing(self._coverage[table][0]):
            if table == "enterprise_month" or "enterprise_month" not in self._coverage:
                return None
            return self.coverage_start("enterprise_month")
        first_date, kind = self._coverage[table]
        first = pd.Timestamp(first_date).date()
        if kind == "monthly":
            return first.replace(day=1)
        return dt.date(first.year, 1, 1)

    def period_covered(self, ind: Indicator) -> bool:
        """This period ends inside the data of every table the indicator reads."""
        end = dt.date(self.f.year, max(self.f.month, 1), 1)
        starts = [self.coverage_start(t) for t in ind.tables]
        return all(s is not None and s <= end for s in starts)

    def previous_covered(self, ind: Indicator) -> bool:
        need = dt.date(self.f.year - 1, 1 if ind.cumulative else max(self.f.month, 1), 1)
        starts = [self.coverage_start(t) for t in ind.tables]
        return all(s is not None and s <= need for s in starts)

    # ---- targets
    def targets(self) -> pd.DataFrame:
        return self.rows("targets_of_year")

    def target_row(self, ind: Indicator, scope: tuple[str, str]) -> float | None:
        if self._targets is None:  # (indicator, scope kind, scope code) → the first row's value
            t = self.targets()
            keys = zip(t["indicator_id"], t["scope_kind"], t["scope_code"].fillna(""))
            self._targets = {}
            for key, value in zip(keys, t["target_value"]):
                self._targets.setdefault(key, float(value))
        return self._targets.get((ind.id, scope[0], scope[1]))

    # ---- names of the scope (for notes)
    def area_name(self, code: str) -> str:
        areas = self.rows("areas")
        names = dict(zip(areas["area_code"], areas["area_name"]))
        return names.get(code, code)

    def deflator(self, column: str) -> float | None:
        return _num(self.rows("price_deflator")[column].iloc[0]) if column else None


def target_scope(f, follows: frozenset) -> tuple[str, str] | None:
    """The targets-table scope of a figure: ('全区', '') when it follows no active filter, ('产业链', chain) or
    ('片区', area code) for exactly one chain or area and nothing else; None for any other combination (no
    target can have exactly that scope)."""
    active = active_dims(f) & follows
    if not active:
        return ("全区", "")
    if active == {"chain"} and len(f.chains) == 1:
        return ("产业链", f.chains[0])
    if active == {"area"} and len(f.areas) == 1:
        return ("片区", f.areas[0])
    return None


def scope_note(ind: Indicator, f) -> str | None:
    """What the figure shows when an active filter does not apply to it; None when it follows them all."""
    active = active_dims(f)
    ignored = [DIMENSIONS[d] for d in DIMENSIONS if d in active - ind.follows]
    if not ignored:
        return None
    applied = [DIMENSIONS[d] for d in DIMENSIONS if d in active & ind.follows]
    head = f"按所选{'、'.join(applied)}" if applied else f"{ind.scope_label}口径"
    return f"{head}，不随{'、'.join(ignored)}筛选"


class Selected:
    """A source's rows of one period and row condition, read column by column: a mask over the query's frame, and
    only the columns an indicator reads are taken (taking every row of every column, Arrow strings included, cost
    ~1.5 ms a selection, several a card row)."""

    def __init__(self, df: pd.DataFrame, mask: np.ndarray):
        self.df = df
        self.positions = None if mask.all() else np.flatnonzero(mask)  # None: every row
        self.columns = df.columns

    @property
    def empty(self) -> bool:
        return len(self.df) == 0 if self.positions is None else len(self.positions) == 0

    def values(self, column: str, first: bool = False) -> np.ndarray:
        """The column's selected values as floats (missing: NaN); only the first row's when `first`."""
        values = self.df[column].to_numpy(dtype=float, na_value=np.nan)
        picked = values if self.positions is None else values[self.positions]
        return picked[:1] if first else picked

    def first(self, column: str):
        """The first selected row's value of `column` (None when there is no such column)."""
        if column not in self.columns:
            return None
        return self.df[column].iloc[0 if self.positions is None else int(self.positions[0])]


def _select(df: pd.DataFrame, src: Source, year: int | None, month: int) -> Selected:
    """The rows of `year` (None: any), `src.where` and (for a month row) `month`, as one mask."""
    mask = np.ones(len(df), dtype=bool)
    if year is not None and "year" in df.columns:
        mask &= _equal(df["year"], year)
    for col, val in src.where:
        mask &= _equal(df[col], val)
    if src.month_row and "month" in df.columns:
        mask &= _equal(df["month"], month)
    return Selected(df, mask)


def _equal(column: pd.Series, value) -> np.ndarray:
    """`column == value` as a plain boolean array, a missing value counting as not equal."""
    return (column == value).to_numpy(dtype=bool, na_value=False)


def _value(rows: Selected, src: Source, factor: float, column: str | None = None) -> float | None:
    if rows.empty:
        return None
    first = src.agg == "first"
    needed = src.ratio if src.ratio and column is None else (column or src.column,)
    if any(c not in rows.columns for c in needed):
        return None
    if src.ratio and column is None:
        num, den = (_sum(rows.values(c, first)) for c in src.ratio)
        value = metrics.share(num, den)
        return None if value is None else value / 100.0 * factor
    total = _sum(rows.values(column or src.column, first))
    return None if total is None else total * factor


def _sum(values: np.ndarray) -> float | None:
    """The sum of the values that are present, None when none is."""
    present = values[~np.isnan(values)]
    return float(present.sum()) if len(present) else None


def _change(kind: str, value, previous) -> float | None:
    if value is None or previous is None:
        return None
    if kind == "pct":
        return metrics.yoy(value, previous)
    if kind in ("points", "diff"):
        return value - previous
    return None


def evaluate_one(ind: Indicator, ctx: Context) -> Evaluation:
    f, rules = ctx.f, ctx.rules
    src = ind.source
    active = active_dims(f)
    name = ind.filtered_name if ind.filtered_name and active & ind.follows else ind.name
    note = scope_note(ind, f)
    hidden = None
    for sp in ind.special:
        if sp.dim in active:
            if sp.action == "hide":
                hidden = sp.text
            else:
                note = sp.text if not note else f"{note}；{sp.text}"

    df = ctx.rows(src.query)
    has_years = "year" in df.columns
    cur_rows = ctx.select(src, f.year if has_years else None, f.month)
    value = _value(cur_rows, src, ind.factor)
    if value is None and src.zero_when_empty and ctx.period_covered(ind):
        value = 0.0

    # what the change compares with: last year's rows (when inside the data) or a column of this period's rows
    comparable = True
    previous = None
    if ind.change != "none":
        if src.previous:
            previous = _value(cur_rows, src, ind.factor, column=src.previous)
        elif has_years:
            comparable = ctx.previous_covered(ind)
            if comparable:
                previous = _value(ctx.select(src, f.year - 1, f.month), src, ind.factor)
    change = _change(ind.change, value, previous) if comparable else None
    same_count = price = change_all = None
    growth = ind.change == "pct" and comparable and value is not None
    cur, prev = value, previous
    if growth and src.compare and ctx.same_enterprises:
        cur, prev = (_num(cur_rows.first(c)) for c in src.compare)
        change_all = change
        change = metrics.yoy(cur, prev)
        same_count = int(_num(cur_rows.first("comparable_count")) or 0)
    if growth and src.deflate:
        d = ctx.deflator(src.deflate)
        if d:
            change = metrics.yoy(None if cur is None else cur / d, prev)
            if change_all is not None:
                change_all = metrics.yoy(value / d, previous)
        price = "可比价" if d else "现价"

    # the target of the same scope
    scope = target_scope(f, ind.follows)
    target = target_text_scope = target_note = None
    kind = ind.target.kind
    if kind != "none":
        own = ctx.target_row(ind, scope) if scope else None
        if kind == "fixed":
            target = own if own is not None else ind.target.value
        elif kind == "threshold":
            target = own if own is not None else _goal_floor(rules)
        else:
            target = own
        if target is not None:
            target_text_scope = _scope_words(scope, ctx) if own is not None else None
        elif scope is None or scope[0] != "全区":
            zone = ctx.target_row(ind, ("全区", ""))
            target_note = "全区目标不适用于所选范围（无同范围目标）" if zone is not None else "所选范围无年度目标"
        else:
            target_note = "无年度目标"

    completion = progress = status = gap = None
    rule = StatusRule(ind.warn_points if ind.warn_points is not None else rules.status.yellow_points)
    if target is not None and value is not None:
        if kind == "threshold":
            gap = max(target - value, 0.0)
            status = metrics.Status.GREEN if gap == 0 else None
        else:
            if ind.higher_is_better:
                completion = metrics.completion(value, target)
                if ind.cumulative and completion is not None:
                    progress = metrics.schedule_progress(f.month)
            status = metrics.status(
                value, target, f.month, cumulative=ind.cumulative, higher_is_better=ind.higher_is_better, rule=rule
            )
    extra = {}
    if kind == "threshold":
        extra["grade"] = metrics.risk_grade(value, rules.grade)
        extra["goal_grade"] = metrics.risk_grade(target, rules.grade)
    return Evaluation(
        indicator=ind,
        name=name,
        value=value,
        previous=previous if comparable else None,
        change=change,
        comparable=comparable,
        same_count=same_count,
        price=price,
        change_all=change_all,
        target=target,
        target_scope=target_text_scope,
        target_note=target_note,
        completion=completion,
        progress=progress,
        status=status,
        gap=gap,
        scope_note=note,
        hidden=hidden,
        year=f.year,
        month=f.month,
        extra=extra,
    )


def _goal_floor(rules: Rules) -> float:
    g = rules.grade
    return {"A": 0.0, "B": g.b, "C": g.c, "D": g.d}[g.goal]


def scope_phrase(target_scope: str | None) -> str:
    """How a sentence names a target's scope: '产业链：新材料' → '新材料产业链', '片区：华埠片区' → '华埠片区',
    全区 → ''."""
    if not target_scope or target_scope == "全区":
        return ""
    kind, _, name = target_scope.partition("：")
    return f"{name}{kind}" if kind == "产业链" else name


def _scope_words(scope, ctx: Context) -> str:
    if scope is None or scope[0] == "全区":
        return "全区"
    if scope[0] == "片区":
        return f"片区：{ctx.area_name(scope[1])}"
    return f"{scope[0]}：{scope[1]}"


def evaluate(
    run: Run,
    f,
    rules: Rules,
    ids: Iterable[str] | None = None,
    *,
    registry: Registry | None = None,
    context: Context | None = None,
) -> list[Evaluation]:
    """Evaluate indicators (default: every headline — those on 总览 — in order) for the filters `f`.

    This is the one function the cards, the pages' KPI rows, the 汇报稿, the PDF brief and the warnings use:
    each `Evaluation` holds value, change (only against data that exist), target of the same scope, 完成率,
    时序进度, status and the note saying which scope it shows. Plan items without a target are left out.
    """
    reg = registry or REGISTRY
    chosen = [reg[i] for i in ids] if ids is not None else reg.overview()
    ctx = context or Context(run, f, rules)
    out = []
    for ind in chosen:
        if ind.applies and ctx.rows(ind.applies).empty:
            continue
        e = evaluate_one(ind, ctx)
        if ind.only_with_target and e.target is None:
            continue
        out.append(e)
    return out


def headline(run: Run, f, rules: Rules, *, registry: Registry | None = None) -> list[Evaluation]:
    """Every headline indicator (总览) for the filters and period: what the warnings (issue 18) read."""
    return evaluate(run, f, rules, registry=registry)


def page(
    run: Run,
    f,
    rules: Rules,
    page_key: str,
    row: int | None = None,
    *,
    registry: Registry | None = None,
    context: Context | None = None,
) -> list[Evaluation]:
    """The KPI row(s) of a page, in registry order."""
    reg = registry or REGISTRY
    return evaluate(run, f, rules, [i.id for i in reg.page(page_key, row)], registry=reg, context=context)


def label(e: Evaluation, *, on_page: bool) -> str:
    """The card label: the page label on its own page ({m}, {month_word} filled), else the name."""
    ind = e.indicator
    if on_page and ind.page_label:
        from cockpit.domain.format import period_label

        return ind.page_label.format(
            m=max(e.month, 2), month_word=month_word(e.month), period=period_label(e.year, e.month)
        )
    return e.name


def month_word(month: int) -> str:
    """The 当月 period as published: 1—2月 together, then 3月 … 12月."""
    return "1—2月" if month <= 2 else f"{month}月"


def catalogue_rows(registry: Registry | None = None) -> list[dict]:
    """`indicators.parquet`: the indicators a targets row may name, with name, unit and 口径 (the targets
    template's 代码表 and the import's code check read it)."""
    reg = registry or REGISTRY
    return [
        dict(
            indicator_id=i.id,
            name_cn=i.name,
            unit=i.unit,
            definition=i.definition,
            formula=i.formula,
            higher_is_better=i.higher_is_better,
            warn_points=float("nan") if i.warn_points is None else float(i.warn_points),
            frequency=i.frequency,
            source_table=i.source_table,
            office=i.office,
        )
        for i in reg.targetable()
    ]


# ------------------------------------------------------------------------------------------------
# the registry
# ------------------------------------------------------------------------------------------------

_IND = "industry_kpis"
_INV = "investment_kpis"
_HAZ = "hazard_totals"
_ECON, _PROJ, _PLAN, _SAFE, _FIN = "经济发展科", "项目推进科", "规划建设科", "安全生产科", "财政金融科"
_GROWTH = (
    "同比默认按同口径计算（本期与上年同期均有申报的企业），卡片下方同时列出全口径同比；"
    "可在 config/rules.toml [growth] 改为全口径。"
)


def _amount(query: str, column: str, **kw) -> Source:
    return Source(query, column, stored="万元", **kw)


def _hitech_same(text: str) -> Special:
    return Special("hitech", "note", text)


INDICATORS: list[Indicator] = [
    # ---------------------------------------------------------------- 工业经济
    Indicator(
        "output",
        "规上工业产值",
        "亿元",
        "规模以上工业企业（年主营业务收入2000万元及以上）工业总产值，1—m月累计，现价。" + _GROWTH,
        "Σ 当月工业总产值（1—m月）÷ 10000；同口径同比 = 两期均有申报企业的本期 ÷ 上年同期 − 1",
        _amount(_IND, "output_wan", compare=("output_cmp_wan", "output_cmp_ly_wan")),
        _ECON,
        "enterprise_month",
        goal_seek=True,
        overview=1,
        page="industry",
        page_label="规上工业产值（1—{m}月累计）",
        sentence=Sentence("工业经济", 10, "{name} {value}，{change}{schedule}"),
    ),
    Indicator(
        "output_month",
        "规上工业产值（当月）",
        "亿元",
        "规模以上工业企业当月工业总产值（1—2月数据合并发布，截至 2 月时当月即 1—2月），现价。" + _GROWTH,
        "Σ 当月工业总产值 ÷ 10000",
        _amount(_IND, "output_month_wan", compare=("output_month_cmp_wan", "output_month_cmp_ly_wan")),
        _ECON,
        "enterprise_month",
        cumulative=False,
        target=NO_TARGET,
        page="industry",
        page_label="规上工业产值（当月 {month_word}）",
    ),
    Indicator(
        "value_added",
        "规上工业增加值",
        "亿元",
        "规模以上工业企业工业增加值，1—m月累计，按企业报表数（现价）；导入工业生产者出厂价格指数后同比按可比价计算。"
        + _GROWTH,
        "Σ 当月工业增加值（1—m月）÷ 10000；可比价同比 = 本期 ÷ 价格指数 ÷ 上年同期 − 1",
        _amount(
            _IND, "value_added_wan", compare=("value_added_cmp_wan", "value_added_cmp_ly_wan"), deflate="ytd_deflator"
        ),
        _ECON,
        "enterprise_month",
        goal_seek=True,
        overview=2,
        page="industry",
        page_label="规上工业增加值（1—{m}月累计）",
        special=(_hitech_same("仅高新：即高新技术产业增加值"),),
        sentence=Sentence("工业经济", 20, "{name} {value}，{change}{schedule}"),
    ),
    Indicator(
        "value_added_month",
        "规上工业增加值（当月）",
        "亿元",
        "规模以上工业企业当月工业增加值（1—2月合并发布），按企业报表数（现价）；导入价格指数后同比按可比价计算。"
        + _GROWTH,
        "Σ 当月工业增加值 ÷ 10000",
        _amount(
            _IND,
            "value_added_month_wan",
            compare=("value_added_month_cmp_wan", "value_added_month_cmp_ly_wan"),
            deflate="month_deflator",
        ),
        _ECON,
        "enterprise_month",
        cumulative=False,
        target=NO_TARGET,
        page="industry",
        page_label="规上工业增加值（当月 {month_word}）",
    ),
    Indicator(
        "high_tech_va",
        "高新技术产业增加值",
        "亿元",
        "规上工业中高新技术产业（高新技术企业及高新技术产品）实现的增加值，1—m月累计；同比口径同规上工业增加值。",
        "Σ 高新标识企业当月增加值（1—m月）÷ 10000",
        _amount(
            _IND,
            "high_tech_va_wan",
            compare=("high_tech_va_cmp_wan", "high_tech_va_cmp_ly_wan"),
            deflate="ytd_deflator",
        ),
        _ECON,
        "enterprise_month",
        goal_seek=True,
        overview=3,
        page="industry",
        special=(_hitech_same("仅高新：与规上工业增加值相同"),),
        sentence=Sentence("工业经济", 30, "{name} {value}，{change}{schedule}"),
    ),
    Indicator(
        "high_tech_share",
        "高新技术产业增加值占比",
        "%",
        "高新技术产业增加值占规上工业增加值的比重；变化以个百分点计。",
        "高新技术产业增加值 ÷ 规上工业增加值 × 100",
        Source(_IND, ratio=("high_tech_va_wan", "value_added_wan"), factor=100.0),
        _ECON,
        "enterprise_month",
        change="points",
        cumulative=False,
        target=NO_TARGET,
        overview=4,
        page="industry",
        special=(Special("hitech", "hide", "仅高新技术产业时占比恒为 100%，不显示"),),
        sentence=Sentence("工业经济", 31, "占规上工业增加值比重 {value}，{change}", join="，"),
    ),
    Indicator(
        "mujun_va",
        "规上工业亩均增加值",
        "万元/亩",
        "规上工业增加值（1—m月累计，现价）除以报告期内有产值申报的规上企业用地面积（亩）。",
        "Σ 增加值（万元）÷ Σ 企业用地（亩）",
        Source(_IND, "mujun_va_wan_per_mu"),
        _ECON,
        "enterprise_month, enterprises",
        coverage=("enterprise_month",),
        overview=5,
        sentence=Sentence("工业经济", 40, "{name} {value}，{change}{schedule}"),
    ),
    Indicator(
        "enterprise_count",
        "规上工业企业数",
        "家",
        "1—m月有产值申报的规模以上工业企业家数，与上年同期比较（±家）。",
        "count(1—m月有产值申报的规上企业)",
        Source(_IND, "enterprise_count"),
        _ECON,
        "enterprise_month",
        change="diff",
        change_label="比上年同期",
        cumulative=False,
        target=NO_TARGET,
        page="industry",
    ),
    Indicator(
        "county_share",
        "产值占全县比重",
        "%",
        "开发区规上工业产值占全县规上工业产值的比重；在筛选条件下为所选范围占全县的比重。",
        "规上产值 ÷ 全县规上产值 × 100",
        Source(_IND, ratio=("output_wan", "county_output_wan"), factor=100.0),
        _ECON,
        "county_month",
        coverage=("enterprise_month", "county_month"),
        change="points",
        cumulative=False,
        target=NO_TARGET,
        page="industry",
        filtered_name="所选范围产值占全县比重",
    ),
    # ---------------------------------------------------------------- 投资与项目
    Indicator(
        "fai",
        "固定资产投资",
        "亿元",
        "辖区内项目完成的固定资产投资（计划总投资500万元及以上项目），1—m月累计；基础设施、平台提升项目无行业，"
        "选择产业链或行业时不计入。",
        "Σ 项目当月完成投资（1—m月）÷ 10000",
        _amount(_INV, "fai_wan"),
        _PROJ,
        "project_month",
        goal_seek=True,
        overview=6,
        page="invest",
        sentence=Sentence("投资与项目", 20, "{name} {value}，{change}{schedule}", join=""),
    ),
    Indicator(
        "industrial_invest",
        "工业投资",
        "亿元",
        "固定资产投资中工业项目（含技改）完成的投资，1—m月累计。",
        "Σ 工业项目当月完成投资 ÷ 10000",
        _amount(_INV, "industrial_invest_wan"),
        _PROJ,
        "project_month, projects",
        coverage=("project_month",),
        goal_seek=True,
        overview=7,
        page="invest",
        sentence=Sentence("投资与项目", 30, "{name} {value}，{change}{schedule}", join="；其中"),
    ),
    Indicator(
        "high_tech_invest",
        "高新技术产业投资",
        "亿元",
        "工业投资中高新技术产业项目完成的投资，1—m月累计。",
        "Σ 高新项目当月完成投资 ÷ 10000",
        _amount(_INV, "high_tech_invest_wan"),
        _PROJ,
        "project_month, projects",
        coverage=("project_month",),
        goal_seek=True,
        overview=8,
        page="invest",
        sentence=Sentence("投资与项目", 40, "{name} {value}，{change}{schedule}", join="；"),
    ),
    Indicator(
        "project_count",
        "在建投资项目数",
        "个",
        "1—m月有完成投资的项目个数，与上年同期比较（±个）。",
        "count(项目 | 1—m月完成投资 > 0)",
        Source(_INV, "project_count"),
        _PROJ,
        "project_month",
        change="diff",
        change_label="比上年同期",
        cumulative=False,
        overview=9,
        page="invest",
        sentence=Sentence("投资与项目", 10, "辖区内 {count} 个项目实现"),
    ),
    Indicator(
        "special_bond_approved",
        "专项债获批额度",
        "亿元",
        "日期在1—m月内、所选范围项目获批的地方政府专项债券资金（专项债随其项目的片区、行业筛选）。",
        "Σ 获批金额 ÷ 10000",
        _amount("bond_totals", "amount_wan", where=(("event", "获批"),), zero_when_empty=True),
        _FIN,
        "bond_events",
        change="none",
        page="invest",
        row=2,
        page_label="专项债获批（{period}）",
    ),
    Indicator(
        "special_bond_received",
        "专项债到位",
        "亿元",
        "日期在1—m月内、所选范围项目到位的专项债资金。",
        "Σ 到位金额 ÷ 10000",
        _amount("bond_totals", "amount_wan", where=(("event", "到位"),), zero_when_empty=True),
        _FIN,
        "bond_events",
        change="none",
        target=NO_TARGET,
        page="invest",
        row=2,
        page_label="专项债到位（{period}）",
    ),
    Indicator(
        "special_bond_spent",
        "专项债支出",
        "亿元",
        "日期在1—m月内、所选范围项目支出的专项债资金。",
        "Σ 支出金额 ÷ 10000",
        _amount("bond_totals", "amount_wan", where=(("event", "支出"),), zero_when_empty=True),
        _FIN,
        "bond_events",
        change="none",
        target=NO_TARGET,
        page="invest",
        row=2,
        page_label="专项债支出（{period}）",
    ),
    *[
        Indicator(
            pid,
            name,
            unit,
            definition,
            formula,
            Source("project_plan_actuals", "actual_value", where=(("indicator_id", pid),)),
            office,
            table,
            change="none",
            cumulative=False,
            page="invest",
            row=3,
            only_with_target=True,
            frequency="年度",
        )
        for pid, name, unit, definition, formula, office, table in (
            (
                "reserve_projects",
                "储备项目数",
                "个",
                "当年列入计划的储备项目个数（不含专项债储备项目）。",
                "count(储备项目)",
                _PROJ,
                "projects",
            ),
            (
                "reserve_invest",
                "储备项目总投资",
                "亿元",
                "当年储备项目的计划总投资。",
                "Σ 储备项目计划总投资 ÷ 10000",
                _PROJ,
                "projects",
            ),
            (
                "bond_reserve_projects",
                "新增专项债储备项目数",
                "个",
                "当年新增的专项债券储备项目个数。",
                "count(专项债储备项目)",
                _FIN,
                "projects",
            ),
            (
                "bond_reserve_invest",
                "专项债储备项目总投资",
                "亿元",
                "新增专项债储备项目的计划总投资。",
                "Σ 计划总投资 ÷ 10000",
                _FIN,
                "projects",
            ),
            (
                "bond_seek",
                "拟争取专项债资金",
                "亿元",
                "新增专项债储备项目拟争取（申报）的专项债资金之和。",
                "Σ 申报金额 ÷ 10000",
                _FIN,
                "bond_events",
            ),
            (
                "platform_projects",
                "平台提升项目数",
                "个",
                "“1+6+2”平台提质增效行动当年建设的项目中已开工的个数。",
                "count(平台提升项目 | 已开工)",
                _PLAN,
                "projects",
            ),
        )
    ],
    # ---------------------------------------------------------------- 低效用地
    Indicator(
        "land_reclaimed",
        "低效工业用地整治",
        "亩",
        "当年完成验收的低效工业用地整治面积（收回、收购、企业重组/兼并、提升改造、二次招商），按地块所在片区统计。",
        "Σ 验收日期在当年1—m月内的整治面积",
        Source("land_kpis", "reclaimed_mu"),
        _PLAN,
        "land_actions",
        follows=AREA,
        goal_seek=True,
        overview=10,
        page="land",
        sentence=Sentence(
            "低效用地",
            10,
            "完成低效工业用地整治 {value}，{change}{schedule_with_target}",
            zero="尚无完成验收的低效工业用地整治项目{target_clause}",
        ),
    ),
    # ---------------------------------------------------------------- 安全生产
    Indicator(
        "hazards_found",
        "本期发现隐患",
        "个",
        "1月1日至期末排查发现的隐患个数（一般 + 重大）。",
        "count(隐患 | 发现日期在本期内)",
        Source(_HAZ, "found"),
        _SAFE,
        "hazards",
        higher_is_better=False,
        change="diff",
        change_label="比上年同期",
        target=NO_TARGET,
        page="safety",
    ),
    Indicator(
        "rectification_rate",
        "隐患整改率",
        "%",
        "本期（1月1日至期末）发现的隐患中，截至期末已整改的比例：已整改数 ÷ 发现数 × 100%。",
        "已整改数 ÷ 发现数 × 100%",
        Source(_HAZ, ratio=("rectified", "found"), factor=100.0),
        _SAFE,
        "hazards",
        change="points",
        cumulative=False,
        target=NO_TARGET,
        page="safety",
    ),
    Indicator(
        "closure_rate",
        "隐患按期闭环率",
        "%",
        "整改期限落在本期内且已过期限（期限早于期末）的隐患中，在期限当日或之前完成整改的比例："
        "按期整改数 ÷ 已到期隐患数 × 100%。",
        "按期整改数 ÷ 已到期隐患数 × 100%",
        Source(_HAZ, ratio=("closed_on_time", "due"), factor=100.0),
        _SAFE,
        "hazards",
        change="points",
        cumulative=False,
        target=NO_TARGET,
        page="safety",
    ),
    Indicator(
        "hazards_open",
        "期末未整改隐患",
        "个",
        "期末仍未整改的隐患（发现日期不晚于期末，整改日期为空或晚于期末）。",
        "count(隐患 | 发现日期 ≤ 期末 且 未整改或整改日期 > 期末)",
        Source(_HAZ, "open"),
        _SAFE,
        "hazards",
        higher_is_better=False,
        change="diff",
        change_label="比上年同期",
        cumulative=False,
        target=NO_TARGET,
        page="safety",
    ),
    Indicator(
        "hazards_overdue",
        "到期未整改隐患",
        "个",
        "期末仍未整改、且整改期限早于期末的隐患（不论何时发现）。目标为零。",
        "count(未整改隐患 | 整改期限 < 期末)",
        Source(_HAZ, "overdue"),
        _SAFE,
        "hazards",
        higher_is_better=False,
        change="diff",
        change_label="比上年同期",
        cumulative=False,
        target=ZERO,
        page="safety",
    ),
    Indicator(
        "major_hazards_open",
        "未整改重大隐患",
        "个",
        "截至期末尚未整改销号的重大事故隐患个数（越少越好）。",
        "count(重大隐患 | 发现日期 ≤ 期末 且 未整改或整改日期 > 期末)",
        Source(_HAZ, "open", where=(("level", "重大"),)),
        _SAFE,
        "hazards",
        higher_is_better=False,
        change="diff",
        change_label="比上年同期",
        cumulative=False,
        target=NO_TARGET,
        overview=11,
        page="safety",
        frequency="实时",
        sentence=Sentence("安全生产", 20, "截至{as_of}，重大事故隐患未整改 {count} 个"),
    ),
    Indicator(
        "major_hazards_overdue",
        "逾期未整改重大隐患",
        "个",
        "期末仍未整改、且整改期限早于期末的重大事故隐患个数。",
        "count(重大隐患 | 未整改 且 整改期限 < 期末)",
        Source(_HAZ, "overdue", where=(("level", "重大"),)),
        _SAFE,
        "hazards",
        higher_is_better=False,
        change="none",
        cumulative=False,
        target=NO_TARGET,
        sentence=Sentence("安全生产", 21, "其中逾期未整改 {count} 个，须挂牌督办", zero="无逾期未整改", join="，"),
    ),
    Indicator(
        "accidents",
        "生产安全事故",
        "起",
        "报告期内辖区内（所选范围企业）发生的生产安全事故起数，目标为零。",
        "count(事故 | 1—m月)",
        Source("safety_accidents", "accidents"),
        _SAFE,
        "accidents",
        higher_is_better=False,
        change="diff",
        change_label="比上年同期",
        target=ZERO,
        overview=12,
        page="safety",
        row=2,
        sentence=Sentence(
            "安全生产",
            10,
            "辖区内发生生产安全事故 {count} 起，需认真分析原因、落实整改",
            zero="辖区内未发生生产安全事故",
            missing="暂无生产安全事故统计",
        ),
    ),
    Indicator(
        "days_without_accident",
        "连续无事故天数",
        "天",
        "最近一起生产安全事故之日至期末的天数（按当前筛选范围内的企业）。",
        "期末 − 最近一起事故日期",
        Source("safety_accidents", "days_since_accident"),
        _SAFE,
        "accidents",
        change="none",
        cumulative=False,
        target=NO_TARGET,
        page="safety",
        row=2,
        empty_text="无事故记录",
    ),
    Indicator(
        "training",
        "安全培训",
        "人次",
        "本期安全生产培训（含百万员工安全生产大培训）参训人次；培训按片区记录。",
        "Σ 参训人次（培训，1—m月）",
        Source("safety_training", "participants", where=(("kind", "培训"),)),
        _SAFE,
        "trainings",
        follows=AREA,
        target=NO_TARGET,
        page="safety",
        row=2,
    ),
    Indicator(
        "drills",
        "应急演练",
        "次",
        "本期组织的应急演练次数；演练按片区记录。",
        "count(演练，1—m月)",
        Source("safety_training", "sessions", where=(("kind", "演练"),)),
        _SAFE,
        "trainings",
        follows=AREA,
        change="diff",
        change_label="比上年同期",
        target=NO_TARGET,
        page="safety",
        row=2,
    ),
    Indicator(
        "risk_score",
        "化工集聚区风险等级",
        "分",
        "化工集聚区最近一次安全风险评估得分：A < 60，B 60—70，C 70—85，D ≥ 85（D 类风险最低；分档见 "
        "config/rules.toml）。目标为达到目标等级的下限分数：这是一道门槛，不计完成率。",
        "最近一次评估得分；距目标 = 目标等级下限 − 得分",
        Source("risk_score_kpis", "score", agg="first", previous="previous_score"),
        _SAFE,
        "risk_assessments",
        change="diff",
        change_label="比上次评估",
        cumulative=False,
        follows=NONE,
        scope_label="化工集聚区",
        target=GOAL_GRADE,
        page="safety",
        row=2,
        frequency="年度",
        applies="chemical_clusters",
        sentence=Sentence("安全生产", 30, "化工集聚区最近一次安全风险评估得分 {value}，为 {grade} 类，{threshold}"),
    ),
    Indicator(
        "energy_per_va",
        "单位增加值能耗",
        "吨标煤/万元",
        "规上工业企业 1—m月综合能耗 ÷ 同期工业增加值（现价），越低越好。",
        "Σ 综合能耗（吨标煤）÷ Σ 增加值（万元）",
        Source("safety_energy_emission", ratio=("energy_ytd_tce", "value_added_ytd_wan"), month_row=True),
        _SAFE,
        "enterprise_month",
        higher_is_better=False,
        target=NO_TARGET,
        page="safety",
        row=3,
    ),
    Indicator(
        "emission_per_va",
        "单位增加值排放",
        "吨/亿元",
        "规上工业企业 1—m月主要污染物排放当量 ÷ 同期工业增加值（现价），越低越好。",
        "Σ 排放当量（吨）÷ Σ 增加值（亿元）",
        Source("safety_energy_emission", ratio=("emission_ytd_t", "value_added_ytd_wan"), factor=1e4, month_row=True),
        _SAFE,
        "enterprise_month",
        higher_is_better=False,
        target=NO_TARGET,
        page="safety",
        row=3,
    ),
]

REGISTRY = Registry(INDICATORS)
BY_ID: dict[str, Indicator] = REGISTRY.by_id


def previous_covered(run: Run, f, rules: Rules, indicator_id: str, *, registry: Registry | None = None) -> bool:
    """Whether last year's period of the indicator lies inside the data (the pages' charts label their parts
    with it: '上年同期无数据' instead of 新增)."""
    reg = registry or REGISTRY
    return Context(run, f, rules).previous_covered(reg[indicator_id])


def scoped_targets(
    run: Run, f, rules: Rules, ids: Iterable[str] | None = None, *, registry: Registry | None = None
) -> pd.DataFrame:
    """The targets goal seek uses: per indicator (default: those with goal_seek) the target of exactly the
    filters' scope (全区, one 产业链, one 片区) — the one its card compares with — or none, with the reason.
    Columns: indicator_id, target_value (None without one), scope ('全区' / '产业链：新材料' / …), note."""
    reg = registry or REGISTRY
    ctx = Context(run, f, rules)
    chosen = [reg[i] for i in ids] if ids is not None else reg.goal_seek()
    rows = []
    for ind in chosen:
        if ind.applies and ctx.rows(ind.applies).empty:
            continue
        e = evaluate_one(ind, ctx)
        rows.append(
            {"indicator_id": ind.id, "target_value": e.target, "scope": e.target_scope or "全区", "note": e.target_note}
        )
    return pd.DataFrame(rows, columns=["indicator_id", "target_value", "scope", "note"])


_CHANGE_WORDS = {"pct": "%", "points": "个百分点", "diff": "±n", "none": "—"}
_TARGET_WORDS = {"table": "同范围目标", "fixed": "固定", "threshold": "门槛（目标等级下限）", "none": "—"}


def describe(registry: Registry | None = None) -> str:
    """The registry as a Markdown table: what each indicator follows and how it is compared
    (`python -m cockpit.domain.indicators`)."""
    reg = registry or REGISTRY
    rows = [
        "| 代码 | 指标 | 单位 | 变化 | 随筛选 | 不随筛选时 | 目标 | 总览 | 本页 | 查询.列 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for i in reg:
        follows = "、".join(DIMENSIONS[d] for d in DIMENSIONS if d in i.follows) or "无"
        ignored = "—" if i.follows == ALL else f"注明“{i.scope_label}口径”"
        target = _TARGET_WORDS[i.target.kind] + (f" {i.target.value:g}" if i.target.kind == "fixed" else "")
        source = f"{i.source.query}.{i.source.column or '/'.join(i.source.ratio or ())}"
        rows.append(
            f"| `{i.id}` | {i.name} | {i.unit} | {_CHANGE_WORDS[i.change]} | {follows} | {ignored} | "
            f"{target} | {i.overview or ''} | {i.page or ''} | `{source}` |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(describe())
