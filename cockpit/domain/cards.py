"""Cards: the texts of one evaluated indicator, the same on every surface (总览, a page's KPI row, the PDF table).

`card(evaluation)` turns a registry `Evaluation` (numbers) into a `Card` (label, value, change, target line,
light, notes, 口径 tooltip). `cockpit.app.ui.card` only lays a Card out; the 汇报稿 and the brief read the same Card,
so a figure and its words cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.domain import format as fmt
from cockpit.domain.indicators import Evaluation, label, scope_phrase
from cockpit.domain.metrics import STATUS_CN, Status

NO_DATA = "上年同期无数据"


@dataclass(frozen=True)
class Card:
    indicator_id: str
    label: str
    value_text: str
    change_text: str | None  # the delta line: '同比 +6.0%', '比上年同期 +2 个', '上年同期无数据'
    direction: str  # arrow: "up", "down" or "off"
    tone: str  # "good", "bad" or "neutral" (colour of the change)
    status: Status | None
    status_text: str | None  # '正常', '预警', '滞后', '超出目标', '已达 D 类'
    target_text: str | None  # '完成率 72.5%（时序进度 75.0%）· 目标 150.0 亩', '全区目标不适用于所选范围…'
    notes: tuple[str, ...]  # scope and basis notes shown on the card itself
    help: str  # the 口径 (tooltip, Markdown)
    hidden: str | None  # why the figure is not shown
    evaluation: Evaluation

    @property
    def name(self) -> str:
        return self.label


def value_text(e: Evaluation) -> str:
    ind = e.indicator
    if e.hidden:
        return "不适用"
    if e.value is None:
        return ind.empty_text or fmt.DASH
    if ind.target.kind == "threshold" and e.extra.get("grade"):
        return f"{e.extra['grade']} 类"
    return fmt.by_unit(e.value, ind.unit)


def change_text(e: Evaluation) -> str | None:
    """The change as the cards write it: % for amounts, 个百分点 for shares, ±n for counts; 上年同期无数据 when
    last year's period lies outside the data."""
    ind = e.indicator
    if e.hidden or ind.change == "none":
        return None
    if not e.comparable:
        return NO_DATA
    head = ""
    if ind.target.kind == "threshold" and e.value is not None:
        head = f"{fmt.by_unit(e.value, ind.unit)} · "
    if e.previous is None:
        return (head + "首次评估") if ind.source.previous else (NO_DATA if e.value is not None else None)
    if ind.change == "pct":
        if e.change is None:
            return f"上年同期为 {fmt.by_unit(e.previous, ind.unit)}"
        return f"{ind.change_label} {fmt.pct(e.change, signed=True)}"
    if ind.change == "points":
        return None if e.change is None else f"{ind.change_label} {fmt.pp(e.change)}"
    diff = e.change
    if diff is None:
        return None
    if round(diff, 6) == 0:
        if head:
            return head + f"{ind.change_label}持平"
        return f"与上年同期持平（{fmt.by_unit(e.previous, ind.unit)}）"
    sign = "+" if diff > 0 else "−"
    return head + f"{ind.change_label} {sign}{fmt.by_unit(abs(diff), ind.unit)}"


def short_change(e: Evaluation) -> str:
    """The change for a table cell: '+7.0%', '+0.9 个百分点', '+2 个', '持平', '上年同期无数据', '—'."""
    ind = e.indicator
    if e.hidden or ind.change == "none" or (e.comparable and e.change is None):
        return fmt.DASH
    if not e.comparable:
        return NO_DATA
    if ind.change == "pct":
        return fmt.pct(e.change, signed=True)
    if ind.change == "points":
        return fmt.pp(e.change)
    if round(e.change, 6) == 0:
        return "持平"
    return f"{'+' if e.change > 0 else '−'}{fmt.by_unit(abs(e.change), ind.unit)}"


def shows_zero(e: Evaluation) -> bool:
    """Whether the change reads as zero where it is written: '+0.0%' / '+0.0 个百分点' (one decimal) or 持平."""
    if e.change is None:
        return False
    digits = 1 if e.indicator.change in ("pct", "points") else 6
    return round(e.change, digits) == 0


def _tone(e: Evaluation) -> tuple[str, str]:
    """(arrow, colour) of the change: none and grey when there is none or it reads as 0.0."""
    ind = e.indicator
    if e.change is None or not e.comparable or shows_zero(e) or e.hidden:
        return "off", "neutral"
    up = e.change > 0
    if ind.target.kind == "threshold":
        return ("up" if up else "down"), "neutral"  # a score against a threshold: no green/red arrow
    return ("up" if up else "down"), ("good" if up == ind.higher_is_better else "bad")


def status_text(e: Evaluation) -> str | None:
    if e.status is None:
        return None
    ind = e.indicator
    if ind.target.kind == "threshold":
        return f"已达 {e.extra.get('grade', '')} 类".replace("  ", " ")
    if not ind.higher_is_better:
        return "正常" if e.status == Status.GREEN else "超出目标"
    return STATUS_CN[e.status]


def target_text(e: Evaluation) -> str | None:
    """The line under the value: 完成率 against 时序进度 and the target, or why there is none."""
    ind = e.indicator
    if e.hidden or ind.target.kind == "none":
        return None
    if e.target is None:
        return e.target_note
    target = fmt.by_unit(e.target, ind.unit)
    scope = f"（{scope_phrase(e.target_scope)}）" if scope_phrase(e.target_scope) else ""
    if ind.target.kind == "threshold":
        goal = e.extra.get("goal_grade") or ""
        head = f"目标 {goal} 类（≥ {fmt.num(e.target, 0)} 分）" if goal else f"目标 ≥ {target}"
        if e.gap is None:
            return head
        return head if e.gap == 0 else f"{head}· 距 {goal} 级 {fmt.num(e.gap, 1)} 分"
    if e.completion is not None and e.progress is not None:
        return f"完成率 {fmt.pct(e.completion)}（时序进度 {fmt.pct(e.progress)}）· 目标{scope} {target}"
    if e.completion is not None:
        return f"完成率 {fmt.pct(e.completion)} · 目标{scope} {target}"
    return f"目标{scope} {target}"


def notes(e: Evaluation) -> tuple[str, ...]:
    out = []
    if e.hidden:
        return (e.hidden,)
    if e.scope_note:
        out.append(e.scope_note)
    if e.comparable and e.indicator.change == "pct" and (e.same_count is not None or e.price):
        parts = [
            x for x in ((f"同口径 {fmt.count(e.same_count, '家')}" if e.same_count is not None else None), e.price) if x
        ]
        if e.change_all is not None:
            parts.append(f"全口径 {fmt.pct(e.change_all, signed=True)}")
        out.append(" · ".join(parts))
    return tuple(out)


def help_text(e: Evaluation, as_of: str = "") -> str:
    ind = e.indicator
    text = f"**口径**：{ind.definition}\n\n**计算**：{ind.formula}\n\n**来源表**：`{ind.source_table}`"
    if e.basis:
        text += f"\n\n**同比口径**：{e.basis}"
    if e.scope_note:
        text += f"\n\n**范围**：{e.scope_note}"
    if as_of:
        text += f"\n\n**数据截至**：{as_of}"
    return text


def card(e: Evaluation, *, on_page: bool = False, as_of: str = "") -> Card:
    direction, tone = _tone(e)
    return Card(
        indicator_id=e.id,
        label=label(e, on_page=on_page),
        value_text=value_text(e),
        change_text=change_text(e),
        direction=direction,
        tone=tone,
        status=e.status,
        status_text=status_text(e),
        target_text=target_text(e),
        notes=notes(e),
        help=help_text(e, as_of),
        hidden=e.hidden,
        evaluation=e,
    )


def cards(evaluations, *, on_page: bool = False, as_of: str = "") -> list[Card]:
    return [card(e, on_page=on_page, as_of=as_of) for e in evaluations]
