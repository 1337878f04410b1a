"""The 总览 headline cards, computed from the named queries' rows (pure: DataFrames in, cards out)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cockpit import format as fmt
from cockpit import metrics
from cockpit.catalogue import BY_ID
from cockpit.config import Rules

# Cumulative indicators: 完成率 is compared with 时序进度.
CUMULATIVE = {"output", "value_added", "high_tech_va", "mujun_va", "fai", "industrial_invest",
              "high_tech_invest", "land_reclaimed", "accidents"}


@dataclass(frozen=True)
class Card:
    indicator_id: str
    name: str
    unit: str
    value: float | None            # in the display unit (亿元, %, 亩, …)
    value_text: str
    change: float | None           # 同比: % ("pct"), 个百分点 ("points") or a difference ("diff")
    change_text: str | None
    change_mode: str
    higher_is_better: bool
    target: float | None
    completion: float | None       # 完成率, %
    progress: float | None         # 时序进度, %, for cumulative indicators
    status: metrics.Status | None
    definition: str
    formula: str
    source_table: str


def _row(df: pd.DataFrame, year: int) -> dict:
    rows = df[df["year"] == year]
    if rows.empty:
        return {}
    return {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].to_dict().items()}


def _yi(wan):
    return None if wan is None else wan / 10000.0


def make_card(indicator_id: str, value, previous, *, month: int, targets: dict, rules: Rules,
              change_mode: str = "pct", meta: dict | None = None) -> Card:
    """A card for one indicator: value and last year's value in the display unit.

    change_mode: "pct" 同比 in %, "points" for shares (个百分点), "diff" for counts (比上年同期 ± n).
    meta: the indicator's catalogue entry (name_cn, unit, definition, formula, higher_is_better,
    source_table) for a page-level indicator that is not in the catalogue; default: the catalogue's.
    """
    meta = meta or BY_ID[indicator_id]
    higher = bool(meta["higher_is_better"])
    target = targets.get(indicator_id)
    cumulative = indicator_id in CUMULATIVE
    diff = None if value is None or previous is None else value - previous
    if change_mode == "points":
        change, change_text = diff, None if diff is None else f"同比 {fmt.pp(diff)}"
    elif change_mode == "diff":
        change = diff
        change_text = None if diff is None else (
            f"与上年同期持平（{fmt.by_unit(previous, meta['unit'])}）" if diff == 0
            else f"比上年同期 {'+' if diff > 0 else '-'}{fmt.by_unit(abs(diff), meta['unit'])}")
    else:
        change = metrics.yoy(value, previous)
        change_text = None if change is None else f"同比 {fmt.pct(change, signed=True)}"
        if change_text is None and previous is not None:
            change_text = f"上年同期 {fmt.by_unit(previous, meta['unit'])}"
    return Card(
        indicator_id=indicator_id,
        name=meta["name_cn"],
        unit=meta["unit"],
        value=value,
        value_text=fmt.by_unit(value, meta["unit"]),
        change=change,
        change_text=change_text,
        change_mode=change_mode,
        higher_is_better=higher,
        target=target,
        completion=metrics.completion(value, target) if higher else None,
        progress=(metrics.schedule_progress(month)
                  if cumulative and higher and target is not None else None),
        status=metrics.status(value, target, month, cumulative=cumulative,
                              higher_is_better=higher, rule=rules.status),
        definition=meta["definition"],
        formula=meta["formula"],
        source_table=meta["source_table"],
    )


def overview_cards(industry: pd.DataFrame, investment: pd.DataFrame, land: pd.DataFrame,
                   safety: pd.DataFrame, targets: pd.DataFrame, *, year: int, month: int,
                   rules: Rules) -> list[Card]:
    """The headline cards of the 2023 work summary, for 1—month of year, against last year."""
    tgt = {r.indicator_id: float(r.target_value) for r in targets.itertuples()}
    ind, ind_ly = _row(industry, year), _row(industry, year - 1)
    inv, inv_ly = _row(investment, year), _row(investment, year - 1)
    lnd, lnd_ly = _row(land, year), _row(land, year - 1)
    saf, saf_ly = _row(safety, year), _row(safety, year - 1)

    def card(indicator_id, cur, prev, **kw):
        return make_card(indicator_id, cur, prev, month=month, targets=tgt, rules=rules, **kw)

    return [
        card("output", _yi(ind.get("output_wan")), _yi(ind_ly.get("output_wan"))),
        card("value_added", _yi(ind.get("value_added_wan")), _yi(ind_ly.get("value_added_wan"))),
        card("high_tech_va", _yi(ind.get("high_tech_va_wan")), _yi(ind_ly.get("high_tech_va_wan"))),
        card("high_tech_share",
             metrics.share(ind.get("high_tech_va_wan"), ind.get("value_added_wan")),
             metrics.share(ind_ly.get("high_tech_va_wan"), ind_ly.get("value_added_wan")),
             change_mode="points"),
        card("mujun_va", ind.get("mujun_va_wan_per_mu"), ind_ly.get("mujun_va_wan_per_mu")),
        card("fai", _yi(inv.get("fai_wan")), _yi(inv_ly.get("fai_wan"))),
        card("industrial_invest", _yi(inv.get("industrial_invest_wan")),
             _yi(inv_ly.get("industrial_invest_wan"))),
        card("high_tech_invest", _yi(inv.get("high_tech_invest_wan")),
             _yi(inv_ly.get("high_tech_invest_wan"))),
        card("project_count", inv.get("project_count"), inv_ly.get("project_count")),
        card("land_reclaimed", lnd.get("reclaimed_mu"), lnd_ly.get("reclaimed_mu")),
        card("major_hazards_open", saf.get("major_open"), saf_ly.get("major_open"),
             change_mode="diff"),
        card("accidents", saf.get("accidents"), saf_ly.get("accidents"), change_mode="diff"),
    ]
