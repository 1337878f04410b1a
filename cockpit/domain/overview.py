"""The 总览 page's model: what the page shows and what the brief and the 汇报稿 print, built once from the
named queries (pure: `run(name, params)` in, data out), so the page and the PDF cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cockpit.data.config import Rules
from cockpit.domain import cards as cards_mod
from cockpit.domain import format as fmt
from cockpit.domain import indicators
from cockpit.domain.attribution import attribute_levels, bar_label


@dataclass
class Model:
    evaluations: list[indicators.Evaluation]
    cards: list[cards_mod.Card]
    chains: pd.DataFrame  # 产值 by 产业链: output_wan (level), delta, yoy_pct, pull_pp, label
    trend: pd.DataFrame  # output_trend rows
    covered: bool  # last year's period lies inside the statistics
    same_enterprises: bool


def chain_attribution(rows: pd.DataFrame, *, covered: bool, same_enterprises: bool) -> pd.DataFrame:
    """`output_by_chain` rows → level, 同比, 拉动 per 产业链 on the growth basis, with the bar labels."""
    out = attribute_levels(rows, key="chain", level="output_wan", same_enterprises=same_enterprises)
    if not covered:
        out[["delta", "yoy_pct", "pull_pp", "contribution_pct"]] = float("nan")
    out["label"] = [
        bar_label(y, d, covered=covered, same_enterprises=same_enterprises)
        for y, d in zip(out["yoy_pct"], out["pull_pp"])
    ]
    return out


def model(run, f, rules: Rules, *, registry: indicators.Registry | None = None) -> Model:
    reg = registry or indicators.REGISTRY
    ctx = indicators.Context(run, f, rules)
    evaluations = indicators.evaluate(run, f, rules, registry=reg, context=ctx)
    covered = ctx.previous_covered(reg["output"]) if "output" in reg else True
    p = f.params()
    chains = chain_attribution(run("output_by_chain", p), covered=covered, same_enterprises=ctx.same_enterprises)
    return Model(
        evaluations=evaluations,
        cards=cards_mod.cards(evaluations, as_of=fmt.period_label(f.year, f.month)),
        chains=chains,
        trend=run("output_trend", p),
        covered=covered,
        same_enterprises=ctx.same_enterprises,
    )


def growth_caption(m: Model, yellow_points: float) -> str:
    basis = (
        "同比按同口径（本期与上年同期均有申报的企业）计算，卡片下方注明全口径同比；"
        if m.same_enterprises
        else "同比按全口径（两期全部企业）计算；"
    )
    return (
        basis + "拉动（个百分点）= 该产业链增量 ÷ 上年同期合计 × 100，各产业链拉动之和等于合计同比。"
        f"红黄绿灯：完成率不低于时序进度为绿，落后不超过 {yellow_points:g} 个百分点为黄，落后更多为红；"
        "完成率只与同一范围（全区、所选产业链或片区）的目标比较。"
    )
