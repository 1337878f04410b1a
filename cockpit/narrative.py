"""Auto-drafted 汇报 text in the idiom of Zhejiang statistical bulletins (deterministic, no language model).

Built from the same cards and query rows the pages show, so the text and the numbers cannot disagree.
"""

from __future__ import annotations

import math

import pandas as pd

from cockpit import format as fmt
from cockpit.cards import Card


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def growth(pct) -> str:
    """'同比增长 6.0%' / '同比下降 2.3%' / '与上年同期持平' / '上年同期无可比数据'."""
    if _missing(pct):
        return "上年同期无可比数据"
    if round(pct, 1) == 0:
        return "与上年同期持平"
    return f"同比{'增长' if pct > 0 else '下降'} {abs(pct):.1f}%"


def points_change(pp) -> str:
    """Change of a share: '比上年同期提高 0.8 个百分点' / '下降' / '持平'."""
    if _missing(pp):
        return "上年同期无可比数据"
    if round(pp, 1) == 0:
        return "与上年同期持平"
    return f"比上年同期{'提高' if pp > 0 else '下降'} {abs(pp):.1f} 个百分点"


def schedule(completion, progress) -> str:
    """'完成年度目标的 75.3%，超时序进度 0.3 个百分点' (or 落后于 / 与时序进度持平); '' without a target."""
    if _missing(completion):
        return ""
    text = f"完成年度目标的 {completion:.1f}%"
    if _missing(progress):
        return text
    gap = completion - progress
    if round(gap, 1) == 0:
        return text + "，与时序进度持平"
    return text + (f"，超时序进度 {gap:.1f} 个百分点" if gap > 0 else f"，落后于时序进度 {-gap:.1f} 个百分点")


def _amount(card: Card) -> str:
    return card.value_text.replace(" ", "")


def _clause(card: Card) -> str:
    """'规上工业产值136.65亿元，同比增长 6.0%，完成年度目标的 101.2%，超时序进度 1.2 个百分点'."""
    parts = [f"{card.name}{_amount(card)}", growth(card.change)]
    plan = schedule(card.completion, card.progress)
    if plan:
        parts.append(plan)
    return "，".join(parts)


def pulls(attribution: pd.DataFrame, *, key: str = "chain", top: int = 2) -> str:
    """'新材料产业拉动 2.1 个百分点、……；文化创意产业下拉 0.4 个百分点' from attribute() rows."""
    rows = attribution.dropna(subset=["pull_pp"])
    up = rows[rows["pull_pp"] >= 0.05].sort_values("pull_pp", ascending=False).head(top)
    down = rows[rows["pull_pp"] <= -0.05].sort_values("pull_pp").head(1)
    parts = []
    if not up.empty:
        parts.append("、".join(f"{getattr(r, key)}产业拉动 {r.pull_pp:.1f} 个百分点"
                                       for r in up.itertuples()))
    if not down.empty:
        r = next(down.itertuples())
        parts.append(f"{getattr(r, key)}产业下拉 {-r.pull_pp:.1f} 个百分点")
    return "；".join(parts)


def industry(cards: dict[str, Card], chains: pd.DataFrame, period: str) -> str:
    """工业经济 paragraph."""
    out, va, ht, share = (cards[k] for k in ("output", "value_added", "high_tech_va", "high_tech_share"))
    if _missing(out.value):
        return f"{period}，暂无规上工业统计数据。"
    text = f"{period}，{_clause(out)}。"
    chain_text = pulls(chains)
    if chain_text:
        text += f"分产业链看，{chain_text}。"
    text += f"{_clause(va)}。"
    if not _missing(ht.value):
        text += (f"高新技术产业增加值{_amount(ht)}，{growth(ht.change)}，占规上工业增加值比重"
                 f" {share.value:.1f}%，{points_change(share.change)}。")
    mujun = cards.get("mujun_va")
    if mujun and not _missing(mujun.value):
        text += f"规上工业亩均增加值 {mujun.value:.2f} 万元/亩，{growth(mujun.change)}。"
    return text


def investment(cards: dict[str, Card], period: str) -> str:
    """投资与项目 paragraph."""
    fai, ind, ht, n = (cards[k] for k in ("fai", "industrial_invest", "high_tech_invest", "project_count"))
    if _missing(fai.value):
        return f"{period}，暂无固定资产投资数据。"
    count = "" if _missing(n.value) else f"辖区内 {int(n.value)} 个项目实现"
    text = f"{period}，{count}{_clause(fai)}"
    text += f"；其中{_clause(ind)}；{_clause(ht)}。"
    return text


def land(cards: dict[str, Card], period: str) -> str:
    """低效用地 paragraph."""
    c = cards["land_reclaimed"]
    if _missing(c.value) or c.value == 0:
        text = f"{period}，尚无完成验收的低效工业用地整治项目"
        return text + (f"，年度目标 {fmt.mu(c.target)}。" if not _missing(c.target) else "。")
    text = f"{period}，完成低效工业用地整治 {fmt.mu(c.value)}，{growth(c.change)}"
    plan = schedule(c.completion, c.progress)
    if plan:
        text += f"，{plan.replace('年度目标', f'年度目标（{fmt.mu(c.target)}）')}"
    return text + "。"


def safety(cards: dict[str, Card], period: str, as_of: str, *, overdue: int | None = None,
           risk_score=None, risk_grade: str | None = None, goal_grade: str = "D",
           goal_score=None) -> str:
    """安全生产 paragraph."""
    acc, major = cards["accidents"], cards["major_hazards_open"]
    if _missing(acc.value):
        text = f"{period}，暂无生产安全事故统计。"
    elif acc.value == 0:
        text = f"{period}，辖区内未发生生产安全事故。"
    else:
        text = f"{period}，辖区内发生生产安全事故 {int(acc.value)} 起，需认真分析原因、落实整改。"
    if not _missing(major.value):
        text += f"截至{as_of}，重大事故隐患未整改 {int(major.value)} 个"
        if overdue:
            text += f"，其中逾期未整改 {overdue} 个，须挂牌督办"
        elif overdue == 0:
            text += "，无逾期未整改"
        text += "。"
    if not _missing(risk_score) and risk_grade:
        text += f"化工集聚区最近一次安全风险评估得分 {risk_score:.1f} 分，为 {risk_grade} 类"
        if risk_grade == goal_grade:
            text += f"，已达到 {goal_grade} 类目标。"
        elif not _missing(goal_score):
            text += f"，距 {goal_grade} 类（{goal_score:g} 分）还差 {goal_score - risk_score:.1f} 分。"
        else:
            text += "。"
    return text
