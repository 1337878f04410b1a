"""预警: rules read from `config/alerts.toml`, evaluated for an as-of period into warnings (pure, no Streamlit).

A rule has an id, a kind, a Chinese name and description, a severity (严重 / 较重 / 一般), an owner office and
`enabled`, plus the thresholds of its kind. Each kind below is one function: it asks the named queries
(`queries/alert_*.sql` and the pages' own lists) for the rows that may fire, and a pure function turns rows that
pass the rule's thresholds into `Alert`s. Every alert carries its figure, the rule in words, who is responsible
and a link that opens the page, period and row it is about.

    alerts = evaluate(db.run, year=2024, month=9, today=date.today())

Warnings are zone-wide (全区口径) for the as-of period (default: the latest data month), whatever the filter bar
shows. The indicator rules read the headline figures through ONE adapter, `indicator_figures`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlencode

import pandas as pd

from cockpit.data.config import ROOT, Rules
from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import duty
from cockpit.domain import format as fmt

DEFAULT_CONFIG = ROOT / "config" / "alerts.toml"
Run = Callable[[str, dict], pd.DataFrame]

ZONE = {"scope": EVERYTHING}  # 全区: no filter
DEFAULT_SEVERITY = {"严重": "红", "较重": "橙", "一般": "蓝"}
NO_OFFICE = "未指定科室"


class ConfigError(ValueError):
    """A problem in the rules file, in Chinese, naming the rule and the key."""


# ---------------------------------------------------------------------------------------- config
@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    name: str
    description: str
    severity: str
    office: str
    enabled: bool
    params: tuple = ()  # (name, value) pairs: the kind's thresholds

    @property
    def p(self) -> dict:
        return dict(self.params)

    def text(self) -> str:
        """The rule in words, its thresholds filled in: '当月产值同比下降超过 10%，连续 3 个月'."""
        return self.description.format(**{k: _plain(v) for k, v in self.params})


@dataclass(frozen=True)
class Config:
    rules: tuple[Rule, ...]
    severities: tuple[tuple[str, str], ...] = tuple(DEFAULT_SEVERITY.items())  # (name, colour), worst first

    @property
    def levels(self) -> list[str]:
        return [name for name, _ in self.severities]

    def colour(self, severity: str) -> str:
        return dict(self.severities).get(severity, "")

    def rank(self, severity: str) -> int:
        """0 for the worst level."""
        levels = self.levels
        return levels.index(severity) if severity in levels else len(levels)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _plain(v):
    """Thresholds as people write them: 10.0 → 10, lists joined with 、."""
    if v is None:
        return "不限"
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    return v


def config_path() -> Path:
    return Path(os.environ.get("COCKPIT_ALERTS", DEFAULT_CONFIG))


def load_config(path: Path | None = None) -> Config:
    """Read and check the rules file; a problem raises ConfigError naming the rule and key."""
    path = Path(path or config_path())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到预警规则文件 {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"预警规则文件 {path.name} 格式有误：{exc}") from None
    return parse_config(raw)


_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_COMMON = ("id", "kind", "name", "description", "severity", "office", "enabled")


def parse_config(raw: dict) -> Config:
    severities = tuple((str(k), str(v)) for k, v in raw.get("severity", DEFAULT_SEVERITY).items())
    if not severities:
        raise ConfigError("预警规则 [severity]：至少要有一个严重程度")
    levels = [s for s, _ in severities]
    rules, seen = [], set()
    for i, item in enumerate(raw.get("rule", []), start=1):
        where = f"第 {i} 条规则（id = {item.get('id', '?')}）"
        rid = str(item.get("id", ""))
        if not _ID.match(rid):
            raise ConfigError(f"{where}：id 只能用小写英文字母开头，由小写字母、数字、下划线组成")
        if rid in seen:
            raise ConfigError(f"{where}：id 与前面的规则重复")
        seen.add(rid)
        kind = str(item.get("kind", ""))
        if kind not in KINDS:
            raise ConfigError(f"{where}：不认识的规则类型 kind = {kind!r}，可用：{'、'.join(KINDS)}")
        for key in ("name", "description"):
            if not str(item.get(key, "")).strip():
                raise ConfigError(f"{where}：缺少 {key}")
        severity = str(item.get("severity", ""))
        if severity not in levels:
            raise ConfigError(f"{where}：severity = {severity!r} 不在 [severity] 中（{'、'.join(levels)}）")
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}：enabled 只能填 true 或 false")
        params = _params(where, KINDS[kind], {k: v for k, v in item.items() if k not in _COMMON})
        rule = Rule(
            rid,
            kind,
            str(item["name"]).strip(),
            str(item["description"]).strip(),
            severity,
            str(item.get("office", "")).strip(),
            enabled,
            params,
        )
        try:
            rule.text()
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"{where}：description 中的 {{{exc.args[0] if exc.args else ''}}} 不是本规则的数值项"
            ) from None
        rules.append(rule)
    return Config(tuple(rules), severities)


def _params(where: str, kind: "Kind", given: dict) -> tuple:
    out = {}
    for name, (typ, default) in kind.params.items():
        if name not in given:
            if default is _REQUIRED:
                raise ConfigError(f"{where}：缺少数值项 {name}")
            out[name] = default
            continue
        value = given[name]
        if typ is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
        elif typ is int and isinstance(value, int) and not isinstance(value, bool):
            pass
        elif typ is str and isinstance(value, str):
            pass
        elif typ is list and isinstance(value, list):
            value = tuple(str(v) for v in value)
        else:
            raise ConfigError(f"{where}：{name} = {value!r} 的类型不对（应为{_TYPE_CN[typ]}）")
        if name in kind.choices and value not in kind.choices[name]:
            raise ConfigError(f"{where}：{name} 只能是 {'、'.join(kind.choices[name])}")
        out[name] = value
    unknown = set(given) - set(kind.params)
    if unknown:
        raise ConfigError(f"{where}：不认识的项 {'、'.join(sorted(unknown))}")
    return tuple(out.items())


_TYPE_CN = {float: "数字", int: "整数", str: "带引号的文字", list: "列表"}
_REQUIRED = object()


# ---------------------------------------------------------------------------------------- alerts
@dataclass(frozen=True)
class Alert:
    key: str  # rule id | subject: the same warning keeps its key from one evaluation to the next
    rule_id: str
    rule_name: str
    category: str  # 指标 / 企业 / 项目 / 安全 / 数据
    severity: str
    office: str  # the office that owns it (the rule's, else the one recorded in the data)
    subject: str  # what it is about: an indicator, an enterprise, a project, a hazard, a table
    figure: str  # the figure that fired it, with its unit and period
    rule_text: str  # the rule in words
    link: str  # page, filters and row: '/safety?year=2024&month=1—9月&hazard=YH20240501'
    duty: str = ""  # who is responsible, as recorded in the data ('' when nobody is)
    order: float = 0.0  # within a rule: smaller first (e.g. the largest fall)
    ent_id: str = ""  # the enterprise it concerns, if any (the 企业画像 lists an enterprise's warnings by it)


@dataclass(frozen=True)
class Period:
    """The as-of period: data through month `month` of `year`, evaluated on `today`."""

    year: int
    month: int
    today: dt.date

    @property
    def label(self) -> str:
        return fmt.period_label(self.year, self.month)

    @property
    def key(self) -> str:
        """'2024-09': sortable, stored with each warning."""
        return f"{self.year}-{self.month:02d}"

    @property
    def end(self) -> dt.date:
        import calendar

        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def params(self, **extra) -> dict:
        return {**ZONE, "year": self.year, "month": self.month, **extra}


def page_link(page: str, period: Period | None = None, **row) -> str:
    """A URL the pages understand: the page, the filter bar's year and month (bound to the URL as the bar shows
    them: month=1—9月, see cockpit.app.filters.render_bar) and the row's key parameter."""
    query = {}
    if period is not None:
        query = {"year": period.year, "month": f"1—{max(period.month, 2)}月"}
    query.update({k: v for k, v in row.items() if v is not None})
    return f"/{page}" + (f"?{urlencode(query, quote_via=quote)}" if query else "")


def enterprise_link(ent_id: str) -> str:
    """The 企业画像 page of one enterprise, by its 统一社会信用代码."""
    return page_link("enterprise", id=ent_id)


def latest_period(run: Run, today: dt.date | None = None) -> Period:
    """The latest month with enterprise data (1—2月 published together: month ≥ 2)."""
    periods = run("data_periods", {})
    if periods.empty:
        raise ValueError("没有月度数据，无法计算预警")
    year = int(periods["year"].max())
    month = int(periods.loc[periods["year"] == year, "last_month"].iloc[0])
    return Period(year, max(month, 2), today or dt.date.today())


# ---------------------------------------------------------------- the one adapter to the indicators
@dataclass(frozen=True)
class IndicatorFigure:
    indicator_id: str
    name: str
    unit: str
    value_text: str
    change: float | None  # 同比 in % (change_mode "pct"), 个百分点 ("points") or ± n ("diff")
    change_mode: str
    completion: float | None  # 完成率, %
    progress: float | None  # 时序进度, % (cumulative indicators with a target)
    office: str  # the indicator's 责任科室
    basis: str = ""  # '同口径' when the change is on the enterprises that reported in both periods


def indicator_figures(run: Run, period: Period, rules: Rules) -> list[IndicatorFigure]:
    """The zone-wide headline indicators of the period. THE adapter to the indicator registry: the 总览's own
    evaluation (`cockpit.domain.indicators.headline`), so a warning quotes exactly the figure the card shows."""
    from cockpit.domain import format as fmt
    from cockpit.domain import indicators
    from cockpit.domain.selection import Filters

    out = []
    for e in indicators.headline(run, Filters(period.year, period.month), rules):
        if e.hidden or e.value is None:
            continue
        ind = e.indicator
        mode = ind.change if ind.change in ("pct", "points", "diff") else "pct"
        out.append(
            IndicatorFigure(
                ind.id,
                e.name,
                ind.unit,
                fmt.by_unit(e.value, ind.unit),
                e.change if e.comparable else None,
                mode,
                e.completion,
                e.progress,
                ind.office,
                "同口径" if e.same_count is not None else "",
            )
        )
    return out


INDICATOR_PAGE = {
    "output": "industry",
    "value_added": "industry",
    "high_tech_va": "industry",
    "high_tech_share": "industry",
    "mujun_va": "industry",
    "fai": "invest",
    "industrial_invest": "invest",
    "high_tech_invest": "invest",
    "project_count": "invest",
    "land_reclaimed": "land",
    "major_hazards_open": "safety",
    "accidents": "safety",
}


# ---------------------------------------------------------------- pure: rows that pass a rule → alerts
def _alert(rule: Rule, category: str, subject_key: str, *, office: str = "", **kw) -> Alert:
    return Alert(
        key=f"{rule.id}|{subject_key}",
        rule_id=rule.id,
        rule_name=rule.name,
        category=category,
        severity=rule.severity,
        office=rule.office or office or NO_OFFICE,
        rule_text=rule.text(),
        **kw,
    )


def _between(value: float, low: float, high: float | None) -> bool:
    """More than `low`, and not more than `high` when given."""
    return value > low and (high is None or value <= high)


def behind_schedule(figures: list[IndicatorFigure], rule: Rule, period: Period) -> list[Alert]:
    """Indicators whose 完成率 trails 时序进度 by more than min_points (and at most max_points) 个百分点."""
    p = rule.p
    out = []
    for f in figures:
        if f.completion is None or f.progress is None:
            continue
        gap = round(f.progress - f.completion, 6)  # 75 − 70 is 5, not 5.000000000000007
        if _between(gap, p["min_points"], p["max_points"]):
            out.append(
                _alert(
                    rule,
                    "指标",
                    f"{f.indicator_id}|{period.year}",
                    office=f.office,
                    subject=f.name,
                    figure=(
                        f"{period.label} {f.name} {f.value_text}，完成率 {fmt.pct(f.completion)}，"
                        f"时序进度 {fmt.pct(f.progress)}，落后 {fmt.num(gap, 1)} 个百分点"
                    ),
                    link=page_link(INDICATOR_PAGE.get(f.indicator_id, "overview"), period, indicator=f.indicator_id),
                    order=-gap,
                )
            )
    return out


def yoy_below(figures: list[IndicatorFigure], rule: Rule, period: Period) -> list[Alert]:
    """Listed indicators whose 1—m月 同比 (%) is below below_pct."""
    p = rule.p
    out = []
    for f in figures:
        if f.indicator_id not in p["indicators"] or f.change_mode != "pct" or f.change is None:
            continue
        if round(f.change, 6) < p["below_pct"]:
            out.append(
                _alert(
                    rule,
                    "指标",
                    f"{f.indicator_id}|{period.year}",
                    office=f.office,
                    subject=f.name,
                    figure=f"{period.label} {f.name} {f.value_text}，同比 {fmt.pct(f.change, signed=True)}",
                    link=page_link(INDICATOR_PAGE.get(f.indicator_id, "overview"), period, indicator=f.indicator_id),
                    order=f.change,
                )
            )
    return out


MEASURES = {"output": ("产值", "万元"), "power": ("用电量", "万千瓦时")}


def month_text(year: int, month: int) -> str:
    """A reporting period: '2024年9月', or '2024年1—2月' for the combined months."""
    return f"{year}年1—2月" if month <= 2 else f"{year}年{month}月"


def enterprise_declines(rows: pd.DataFrame, rule: Rule) -> list[Alert]:
    """`alert_enterprise_decline` rows → one warning per enterprise (the query applies the thresholds)."""
    p = rule.p
    name, unit = MEASURES[p["measure"]]
    out = []
    for r in rows.itertuples():
        run_text = f"，连续 {p['months']} 个月同比下降均超过 {_plain(p['drop_pct'])}%" if p["months"] > 1 else ""
        out.append(
            _alert(
                rule,
                "企业",
                r.ent_id,
                subject=r.ent_name,
                ent_id=r.ent_id,
                figure=(
                    f"{month_text(int(r.latest_year), int(r.latest_month))}当月{name} "
                    f"{fmt.num(r.latest_value, 2)} {unit}，上年同期 {fmt.num(r.latest_value_ly, 2)} {unit}，"
                    f"同比 {fmt.pct(r.latest_yoy_pct, signed=True)}{run_text}"
                ),
                link=enterprise_link(r.ent_id),
                order=float(r.latest_yoy_pct),
            )
        )
    return out


CLASS_ORDER = ("A", "B", "C", "D")  # best to worst (亩均 A 优先发展 … D 倒逼整治)


def class_downgrades(previous: pd.DataFrame, current: pd.DataFrame, min_steps: int) -> pd.DataFrame:
    """Enterprises rated in both years whose class fell by at least `min_steps` (A→B = 1).

    Both frames: ent_id, cls (None = not rated), cls_label, score; `current` also ent_name. Returns ent_id,
    ent_name, cls, cls_label, score, prev_cls, prev_cls_label, prev_score, steps; the largest falls first."""
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    cur = current[current["cls"].isin(rank)]
    prev = previous[previous["cls"].isin(rank)][["ent_id", "cls", "cls_label", "score"]]
    both = cur.merge(
        prev.rename(columns={"cls": "prev_cls", "cls_label": "prev_cls_label", "score": "prev_score"}), on="ent_id"
    )
    both["steps"] = both["cls"].map(rank) - both["prev_cls"].map(rank)
    fell = both[both["steps"] >= min_steps]
    cols = ["ent_id", "ent_name", "cls", "cls_label", "score", "prev_cls", "prev_cls_label", "prev_score", "steps"]
    return fell.sort_values(["steps", "score", "ent_id"], ascending=[False, True, True])[cols].reset_index(drop=True)


def mujun_downgrades(fell: pd.DataFrame, rule: Rule, year: int) -> list[Alert]:
    return [
        _alert(
            rule,
            "企业",
            f"{r.ent_id}|{year}",
            subject=r.ent_name,
            ent_id=r.ent_id,
            figure=(
                f"{year}年亩均效益评价 {r.cls_label}（{fmt.num(r.score, 1)} 分），"
                f"{year - 1}年 {r.prev_cls_label}（{fmt.num(r.prev_score, 1)} 分），下降 {int(r.steps)} 档"
            ),
            link=enterprise_link(r.ent_id),
            order=-float(r.steps),
        )
        for r in fell.itertuples()
    ]


def late_projects(rows: pd.DataFrame, rule: Rule, period: Period) -> list[Alert]:
    """`project_lagging` rows (late ≥ min_months) within max_months → one warning per project milestone."""
    p = rule.p
    out = []
    for r in rows.itertuples():
        if not (r.months_late >= p["min_months"] and (p["max_months"] is None or r.months_late <= p["max_months"])):
            continue
        plan = pd.Timestamp(r.plan_date).date()
        out.append(
            _alert(
                rule,
                "项目",
                f"{r.project_id}|{r.milestone}",
                office=_text(r.duty_unit),
                subject=r.project_name,
                figure=(
                    f"计划{r.milestone} {plan:%Y-%m-%d}，截至{_cn_date(period.end)}仍未{r.milestone}，"
                    f"逾期 {int(r.months_late)} 个月"
                ),
                link=page_link("invest", period, project=r.project_id),
                duty=duty.text(r),
                order=-float(r.months_late),
            )
        )
    return out


def low_funds(rows: pd.DataFrame, rule: Rule, period: Period) -> list[Alert]:
    """`alert_project_funds` rows → one warning per project and year."""
    return [
        _alert(
            rule,
            "项目",
            f"{r.project_id}|{period.year}",
            office=_text(r.duty_unit),
            subject=r.project_name,
            figure=(
                f"{period.label}到位资金 {fmt.wan(r.funds_in_wan)}，计划投资 {fmt.wan(r.plan_wan)}，"
                f"资金到位率 {fmt.pct(r.funds_rate_pct)}"
            ),
            link=page_link("invest", period, project=r.project_id),
            duty=duty.text(r),
            order=float(r.funds_rate_pct),
        )
        for r in rows.itertuples()
    ]


def overdue_hazards(rows: pd.DataFrame, rule: Rule, period: Period) -> list[Alert]:
    """`hazard_register` rows in state 到期未整改 → warnings for the rule's level and minimum days overdue."""
    p = rule.p
    out = []
    for r in rows.itertuples():
        if r.level != p["level"] or fmt.is_blank(r.overdue_days) or int(r.overdue_days) < p["min_days"]:
            continue
        deadline = pd.Timestamp(r.deadline).date()
        out.append(
            _alert(
                rule,
                "安全",
                r.hazard_id,
                office=_text(r.supervise_office),
                subject=f"{r.ent_name} · {r.hazard_id}",
                figure=(
                    f"{r.level}隐患（{r.category}：{r.description}），整改期限 {deadline:%Y-%m-%d}，"
                    f"截至{_cn_date(period.end)}已逾期 {int(r.overdue_days)} 天"
                ),
                link=page_link("safety", period, hazard=r.hazard_id),
                duty=duty.text(r),
                ent_id=r.ent_id,
                order=-float(r.overdue_days),
            )
        )
    return out


def new_accidents(rows: pd.DataFrame, rule: Rule, period: Period) -> list[Alert]:
    """`alert_accidents` rows → one warning per accident."""
    out = []
    for r in rows.itertuples():
        when = pd.Timestamp(r.accident_date).date()
        out.append(
            _alert(
                rule,
                "安全",
                r.accident_id,
                subject=f"{_text(r.ent_name) or '（企业不详）'} · {r.accident_id}",
                figure=(
                    f"{when:%Y-%m-%d} 发生{r.kind}事故：死亡 {int(r.deaths)} 人，受伤 {int(r.injuries)} 人，"
                    f"直接经济损失 {fmt.num(r.loss_wan, 1)} 万元"
                ),
                link=page_link("safety", period, accident=r.accident_id),
                ent_id=_text(r.ent_id),
                order=-float(when.toordinal()),
            )
        )
    return out


def worse_grades(rows: pd.DataFrame, rule: Rule, period: Period, grade_rule) -> list[Alert]:
    """`alert_risk_assessments` rows → a warning per park whose latest grade (by the configured cut-offs) is worse
    (closer to A) than its grade at the assessment before."""
    from cockpit.domain.metrics import risk_grade

    out = []
    for park, rows_of in rows.groupby("park", sort=True):
        if len(rows_of) < 2:
            continue
        last, before = rows_of.iloc[-1], rows_of.iloc[-2]
        now, then = risk_grade(float(last["score"]), grade_rule), risk_grade(float(before["score"]), grade_rule)
        if now is None or then is None or now >= then:  # letters: A is the highest risk
            continue
        when, earlier = pd.Timestamp(last["assess_date"]).date(), pd.Timestamp(before["assess_date"]).date()
        out.append(
            _alert(
                rule,
                "安全",
                f"{park}|{when:%Y-%m-%d}",
                subject=str(park),
                figure=(
                    f"{when:%Y-%m-%d}（{last['assessor']}）{fmt.num(last['score'], 1)} 分，{now} 类；"
                    f"上次 {earlier:%Y-%m-%d} {fmt.num(before['score'], 1)} 分，{then} 类"
                ),
                link=page_link("safety", period, assessment=f"{when:%Y-%m-%d}"),
            )
        )
    return out


TABLE_TITLES = {"county_month": "全县规上工业月度产值", "risk_assessments": "化工集聚区安全风险评估"}


def table_title(table: str) -> str:
    from cockpit.data.schema import SPECS

    return SPECS[table].title if table in SPECS else TABLE_TITLES.get(table, table)


def expected_latest(frequency: str, grace_days: int, today: dt.date) -> dt.date:
    """The date a table's data should reach by `today`: 月度 → the end of last month once `grace_days` days of
    this month have passed (else the end of the month before); 年度 → one year and `grace_days` days ago."""
    if frequency == "年度":
        return today - dt.timedelta(days=365 + grace_days)
    back = 1 if today.day > grace_days else 2
    first = dt.date(today.year, today.month, 1)
    for _ in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    import calendar

    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def stale_tables(rows: pd.DataFrame, rule: Rule, today: dt.date) -> list[Alert]:
    """`alert_data_periods` rows → a warning when the rule's table does not reach the date it should by `today`."""
    p = rule.p
    mine = rows[rows["table_name"] == p["table"]]
    if mine.empty:
        return []
    latest = mine["latest"].iloc[0]
    latest = None if fmt.is_blank(latest) else pd.Timestamp(latest).date()
    due = expected_latest(p["frequency"], p["grace_days"], today)
    if latest is not None and latest >= due:
        return []
    title = table_title(p["table"])
    has = (
        "没有数据"
        if latest is None
        else (
            f"最新数据截至 {latest.year}年{latest.month}月"
            if p["frequency"] == "月度"
            else f"最近一次在 {latest:%Y-%m-%d}"
        )
    )
    should = (
        f"按月报送应已有 {due.year}年{due.month}月的数据" if p["frequency"] == "月度" else f"应不早于 {due:%Y-%m-%d}"
    )
    return [
        _alert(
            rule,
            "数据",
            f"{p['table']}|{due:%Y-%m}",
            subject=title,
            figure=f"{title}{has}，{should}（今天 {today:%Y-%m-%d}）",
            link=page_link("admin"),
        )
    ]


def _cn_date(d: dt.date) -> str:
    """2024-09-30 → '2024年9月30日'."""
    return f"{d.year}年{d.month}月{d.day}日"


def _text(value) -> str:
    return "" if fmt.is_blank(value) else str(value)


# ---------------------------------------------------------------- kinds: queries + the pure functions
@dataclass
class Context:
    run: Run
    period: Period
    rules: Rules
    mujun_history: Callable[[list[int]], dict[int, pd.DataFrame]] | None = None
    _cache: dict = field(default_factory=dict)

    def q(self, name: str, **params) -> pd.DataFrame:
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
        if key not in self._cache:
            self._cache[key] = self.run(name, params)
        return self._cache[key]

    def figures(self) -> list[IndicatorFigure]:
        if "figures" not in self._cache:
            self._cache["figures"] = indicator_figures(self.run, self.period, self.rules)
        return self._cache["figures"]


@dataclass(frozen=True)
class Kind:
    category: str
    params: dict  # name → (type, default or _REQUIRED)
    evaluate: Callable[[Rule, Context], list[Alert]]
    choices: dict = field(default_factory=dict)


def _k_behind(rule: Rule, ctx: Context) -> list[Alert]:
    return behind_schedule(ctx.figures(), rule, ctx.period)


def _k_yoy(rule: Rule, ctx: Context) -> list[Alert]:
    return yoy_below(ctx.figures(), rule, ctx.period)


def _k_decline(rule: Rule, ctx: Context) -> list[Alert]:
    p = rule.p
    rows = ctx.q(
        "alert_enterprise_decline",
        year=ctx.period.year,
        month=ctx.period.month,
        measure=p["measure"],
        months=p["months"],
        drop_pct=p["drop_pct"],
        min_base=p["min_base"],
    )
    return enterprise_declines(rows, rule)


def _k_mujun(rule: Rule, ctx: Context) -> list[Alert]:
    periods = ctx.q("data_periods")
    complete = sorted(
        int(y) for y, m in zip(periods["year"], periods["last_month"]) if int(m) >= 12 and int(y) <= ctx.period.year
    )
    if len(complete) < 2:
        return []
    years = complete[-2:]
    classes = (ctx.mujun_history or _mujun_classes(ctx))(years)
    fell = class_downgrades(classes[years[0]], classes[years[1]], rule.p["min_steps"])
    return mujun_downgrades(fell, rule, years[1])


def _mujun_classes(ctx: Context):
    """Each enterprise's class in each of `years`, evaluated here with config/mujun.toml (the app passes the
    cached zone-wide evaluation instead)."""
    from cockpit.domain import mujun

    def classes(years: list[int]) -> dict[int, pd.DataFrame]:
        cfg = mujun.load_config()
        inputs = mujun.read_inputs(lambda name: ctx.q(name))
        return {
            ev.year: ev.enterprises[["ent_id", "ent_name", "cls", "cls_label", "score"]]
            for ev in mujun.evaluate_each(lambda y: inputs[inputs["year"] == y], years, cfg)
        }

    return classes


def _k_late(rule: Rule, ctx: Context) -> list[Alert]:
    rows = ctx.q(
        "project_lagging",
        **ctx.period.params(),
        yellow_months=rule.p["min_months"],
        red_months=rule.p["min_months"],
        limit=None,
    )
    return late_projects(rows, rule, ctx.period)


def _k_funds(rule: Rule, ctx: Context) -> list[Alert]:
    rows = ctx.q(
        "alert_project_funds",
        year=ctx.period.year,
        month=ctx.period.month,
        below_pct=rule.p["below_pct"],
        min_plan_wan=rule.p["min_plan_wan"],
    )
    return low_funds(rows, rule, ctx.period)


def _k_hazards(rule: Rule, ctx: Context) -> list[Alert]:
    from cockpit.domain.safety import OVERDUE

    rows = ctx.q("hazard_register", **ctx.period.params(), category="", ent_id="", status=OVERDUE, limit=None)
    return overdue_hazards(rows, rule, ctx.period)


def _k_accidents(rule: Rule, ctx: Context) -> list[Alert]:
    rows = ctx.q("alert_accidents", year=ctx.period.year, month=ctx.period.month, months=rule.p["months"])
    return new_accidents(rows, rule, ctx.period)


def _k_grades(rule: Rule, ctx: Context) -> list[Alert]:
    rows = ctx.q("alert_risk_assessments", year=ctx.period.year, month=ctx.period.month)
    return worse_grades(rows, rule, ctx.period, ctx.rules.grade)


def _k_stale(rule: Rule, ctx: Context) -> list[Alert]:
    return stale_tables(ctx.q("alert_data_periods"), rule, ctx.period.today)


FRESHNESS_TABLES = ("enterprise_month", "project_month", "county_month", "hazards", "trainings", "risk_assessments")
KINDS: dict[str, Kind] = {
    "indicator_behind_schedule": Kind(
        "指标", {"min_points": (float, _REQUIRED), "max_points": (float, None)}, _k_behind
    ),
    "indicator_yoy_below": Kind("指标", {"below_pct": (float, _REQUIRED), "indicators": (list, _REQUIRED)}, _k_yoy),
    "enterprise_yoy_decline": Kind(
        "企业",
        {
            "measure": (str, _REQUIRED),
            "months": (int, _REQUIRED),
            "drop_pct": (float, _REQUIRED),
            "min_base": (float, 0.0),
        },
        _k_decline,
        {"measure": tuple(MEASURES)},
    ),
    "enterprise_mujun_downgrade": Kind("企业", {"min_steps": (int, 1)}, _k_mujun),
    "project_late": Kind("项目", {"min_months": (int, _REQUIRED), "max_months": (int, None)}, _k_late),
    "project_funds_low": Kind("项目", {"below_pct": (float, _REQUIRED), "min_plan_wan": (float, 0.0)}, _k_funds),
    "hazard_overdue": Kind(
        "安全", {"level": (str, "重大"), "min_days": (int, 1)}, _k_hazards, {"level": ("重大", "一般")}
    ),
    "accident_new": Kind("安全", {"months": (int, 1)}, _k_accidents),
    "risk_grade_worse": Kind("安全", {}, _k_grades),
    "data_stale": Kind(
        "数据",
        {"table": (str, _REQUIRED), "frequency": (str, "月度"), "grace_days": (int, 20)},
        _k_stale,
        {"table": FRESHNESS_TABLES, "frequency": ("月度", "年度")},
    ),
}


def evaluate(
    run: Run,
    *,
    period: Period | None = None,
    today: dt.date | None = None,
    config: Config | None = None,
    rules: Rules | None = None,
    mujun_history=None,
) -> list[Alert]:
    """Every enabled rule's warnings for `period` (default: the latest data month, evaluated today), worst
    severity first, then by rule and within a rule by its figure."""
    from cockpit.data.config import load_rules

    config = config or load_config()
    period = period or latest_period(run, today)
    ctx = Context(run, period, rules or load_rules(), mujun_history)
    found: list[Alert] = []
    for rule in config.rules:
        if rule.enabled:
            found.extend(KINDS[rule.kind].evaluate(rule, ctx))
    order = {r.id: i for i, r in enumerate(config.rules)}
    return sorted(found, key=lambda a: (config.rank(a.severity), order[a.rule_id], a.order, a.key))
