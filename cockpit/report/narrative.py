"""Auto-drafted 汇报 text in the idiom of Zhejiang statistical bulletins (deterministic, no language model).

Each paragraph is the sentences of the registry's indicators of that section (`Indicator.sentence`), filled from
the same `Evaluation`s the cards show, so the text and the numbers cannot disagree; a figure that ignores an
active filter carries the same note as its card, a figure without a target of its scope gets no 完成率.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from cockpit.domain import format as fmt
from cockpit.domain.format import is_blank as _missing
from cockpit.domain.indicators import REGISTRY, Evaluation, Registry, scope_phrase


@dataclass(frozen=True)
class Section:
    lead: str | None  # the indicator whose missing value leaves the paragraph empty
    empty: str  # '暂无规上工业统计数据'


SECTIONS = {
    "工业经济": Section("output", "暂无规上工业统计数据"),
    "投资与项目": Section("fai", "暂无固定资产投资数据"),
    "低效用地": Section(None, "暂无低效工业用地整治数据"),
    "安全生产": Section(None, "暂无安全生产数据"),
}


def growth(pct) -> str:
    """'同比增长 6.0%' / '同比下降 2.3%' / '与上年同期持平' / '上年同期无数据'."""
    if _missing(pct):
        return "上年同期无数据"
    if round(pct, 1) == 0:
        return "与上年同期持平"
    return f"同比{'增长' if pct > 0 else '下降'} {abs(pct):.1f}%"


def points_change(pp) -> str:
    """Change of a share: '比上年同期提高 0.8 个百分点' / '下降' / '持平'."""
    if _missing(pp):
        return "上年同期无数据"
    if round(pp, 1) == 0:
        return "与上年同期持平"
    return f"比上年同期{'提高' if pp > 0 else '下降'} {abs(pp):.1f} 个百分点"


def count_change(diff, unit: str, label: str = "比上年同期") -> str:
    """Change of a count: '比上年同期增加 2 个' / '减少' / '持平'."""
    if _missing(diff):
        return "上年同期无数据"
    if diff == 0:
        return f"{label}持平"
    return f"{label}{'增加' if diff > 0 else '减少'} {fmt.by_unit(abs(diff), unit)}"


def schedule(completion, progress, *, target: str = "", scope: str = "") -> str:
    """'完成年度目标的 75.3%，超时序进度 0.3 个百分点' (or 落后于 / 与时序进度持平); '' without a target."""
    if _missing(completion):
        return ""
    text = f"完成{scope}年度目标{target}的 {completion:.1f}%"
    if _missing(progress):
        return text
    gap = completion - progress
    if round(gap, 1) == 0:
        return text + "，与时序进度持平"
    return text + (f"，超时序进度 {gap:.1f} 个百分点" if gap > 0 else f"，落后于时序进度 {-gap:.1f} 个百分点")


def change_words(e: Evaluation) -> str:
    """The change in words, with its basis when it is not the plain one: '同比增长 0.4%（同口径、现价）'."""
    ind = e.indicator
    if ind.change == "none":
        return ""
    if not e.comparable:
        return "上年同期无数据"
    if ind.change == "points":
        return points_change(e.change)
    if ind.change == "diff":
        return count_change(e.change, ind.unit, ind.change_label)
    if e.change is None and e.previous == 0:
        return "上年同期为零"
    tags = [t for t in ("同口径" if e.same_count is not None else None, e.price) if t]
    return growth(e.change) + (f"（{'、'.join(tags)}）" if tags and e.change is not None else "")


def fields(e: Evaluation, as_of: str) -> dict:
    """The fields a sentence template may use."""
    ind = e.indicator
    value = fmt.by_unit(e.value, ind.unit)
    scope = scope_phrase(e.target_scope)
    target = fmt.by_unit(e.target, ind.unit) if e.target is not None else ""
    plan = schedule(e.completion, e.progress, scope=scope)
    plan_target = schedule(e.completion, e.progress, target=f"（{target}）", scope=scope)
    goal = e.extra.get("goal_grade") or ""
    if e.gap is None:
        threshold = ""
    elif e.gap == 0:
        threshold = f"已达到 {goal} 类目标"
    else:
        threshold = f"距 {goal} 类（{fmt.num(e.target, 0)} 分）还差 {fmt.num(e.gap, 1)} 分"
    return {
        "name": e.name,
        "value": value,
        "count": "" if e.value is None else f"{int(round(e.value)):,}",
        "change": change_words(e),
        "schedule": f"，{plan}" if plan else "",
        "schedule_with_target": f"，{plan_target}" if plan_target else "",
        "target_clause": f"，年度目标 {target}" if target else "",
        "as_of": as_of,
        "grade": e.extra.get("grade") or "",
        "threshold": threshold,
    }


def sentence(e: Evaluation, as_of: str) -> str | None:
    """The indicator's sentence (without the final 。), or None when it has nothing to say."""
    s = e.indicator.sentence
    if s is None or e.hidden:
        return None
    if e.value is None:
        template = s.missing
    elif e.value == 0 and s.zero is not None:
        template = s.zero
    else:
        template = s.text
    if template is None:
        return None
    text = template.format(**fields(e, as_of))
    text = re.sub("，{2,}", "，", text).strip("，")
    if e.scope_note:
        text += f"（{e.scope_note}）"
    return text


def pulls(attribution: pd.DataFrame, *, key: str = "chain", top: int = 2) -> str:
    """'新材料产业拉动 2.1 个百分点、……；文化创意产业下拉 0.4 个百分点' from attribute() rows: the largest
    positive pulls and the largest drags (most negative first)."""
    rows = attribution.dropna(subset=["pull_pp"])
    up = rows[rows["pull_pp"] >= 0.05].sort_values("pull_pp", ascending=False).head(top)
    down = rows[rows["pull_pp"] <= -0.05].sort_values("pull_pp").head(top)
    parts = []
    if not up.empty:
        parts.append("、".join(f"{getattr(r, key)}产业拉动 {r.pull_pp:.1f} 个百分点" for r in up.itertuples()))
    if not down.empty:
        parts.append("、".join(f"{getattr(r, key)}产业下拉 {-r.pull_pp:.1f} 个百分点" for r in down.itertuples()))
    return "；".join(parts)


def paragraph(
    section: str,
    evaluations: dict[str, Evaluation],
    period: str,
    as_of: str,
    *,
    extras: dict[str, str] | None = None,
    registry: Registry | None = None,
) -> str:
    """One section's paragraph: '{period}，' + its indicators' sentences in order, joined as declared."""
    reg = registry or REGISTRY
    meta = SECTIONS.get(section, Section(None, f"暂无{section}数据"))
    lead = evaluations.get(meta.lead) if meta.lead else None
    if lead is not None and lead.value is None:
        return f"{period}，{meta.empty}。"
    parts: list[tuple[str, str]] = []
    for ind in reg.sentences(section):
        e = evaluations.get(ind.id)
        text = sentence(e, as_of) if e is not None else None
        if not text:
            continue
        parts.append((ind.sentence.join, text))
        extra = (extras or {}).get(ind.id)
        if extra:
            parts.append(("。", extra))
    if not parts:
        return f"{period}，{meta.empty}。"
    body = parts[0][1] + "".join(join + text for join, text in parts[1:])
    return f"{period}，{body}。"


def sections(registry: Registry | None = None) -> list[str]:
    """The sections of the 汇报稿 in order (those of SECTIONS first, then any other a sentence names)."""
    reg = registry or REGISTRY
    named = [i.sentence.section for i in reg if i.sentence]
    return [s for s in SECTIONS if s in named] + list(dict.fromkeys(s for s in named if s not in SECTIONS))


def draft(
    evaluations: dict[str, Evaluation],
    period: str,
    as_of: str,
    *,
    chains: pd.DataFrame | None = None,
    registry: Registry | None = None,
) -> dict[str, str]:
    """Every section's paragraph; the 产业链 拉动 follow the 产值 sentence."""
    extras = {}
    if chains is not None and not chains.empty:
        text = pulls(chains)
        if text:
            extras["output"] = f"分产业链看，{text}"
    return {s: paragraph(s, evaluations, period, as_of, extras=extras, registry=registry) for s in sections(registry)}


def as_text(title: str, paragraphs: dict[str, str]) -> str:
    """The 汇报稿 as plain text to paste: the title, then '一、工业经济' and its paragraph, a blank line between."""
    numerals = "一二三四五六七八九十"
    parts = [title] + [
        f"{numerals[i]}、{area}\n{text}" for i, area_text in enumerate(paragraphs.items()) for area, text in [area_text]
    ]
    return "\n\n".join(parts)
