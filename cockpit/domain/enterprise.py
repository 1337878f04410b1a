"""企业画像 (一企一档) arithmetic: one enterprise's 1—m月 figures with 同比 and shares, its months, its hazards,
projects and identity in words (pure; the page and the PDF show what these return).

Rules (DESIGN.md, figures that never mislead):
- 同比 only where last year's period lies in the data: a month's 同比 needs that month last year; the 1—m月
  同比 needs every month the enterprise reported this year (1—2月 counted as one period) to have been reported
  last year too, else it says why not (上年同期无数据 / 上年同期缺 n 个月).
- Shares are of the same period's total of the zone (every reporting enterprise) and of the enterprise's 产业链.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from cockpit.domain import format as fmt
from cockpit.domain.format import is_blank as _missing


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    column: str  # in `enterprise_months` (the zone's is zone_<column>, the chain's chain_<column>)
    unit: str
    digits: int = 0  # decimals shown


MEASURES: tuple[Measure, ...] = (
    Measure("output", "工业总产值", "output_wan", "万元"),
    Measure("value_added", "工业增加值", "value_added_wan", "万元"),
    Measure("tax", "实缴税金", "tax_wan", "万元", 1),
    Measure("power", "用电量", "power_10k_kwh", "万千瓦时", 1),
    Measure("energy", "综合能耗", "energy_tce", "吨标准煤", 1),
)
BY_KEY = {m.key: m for m in MEASURES}
NO_BASE = "上年同期无数据"


def period_of(month: int) -> int:
    """The reporting period of a month: 1—2月 are published together (both → 2)."""
    return 2 if month <= 2 else int(month)


def _window(rows: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    return rows[(rows["year"] == year) & (rows["month"] <= month)]


def ytd(rows: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """1—`month`月 of `year` per measure: current, previous (last year's 1—m月), yoy_pct (or None and
    yoy_note saying why), zone_share_pct, chain_share_pct; `rows` from the query `enterprise_months`.

    current is None when the enterprise reported nothing in the period."""
    now, before = _window(rows, year, month), _window(rows, year - 1, month)
    out = []
    for m in MEASURES:
        have = now[now[m.column].notna()]
        had = before[before[m.column].notna()]
        current = float(have[m.column].sum()) if len(have) else None
        previous = float(had[m.column].sum()) if len(had) else None
        periods_now = {period_of(x) for x in have["month"]}
        periods_before = {period_of(x) for x in had["month"]}
        yoy, note = None, ""
        if current is not None:
            if not periods_before:
                note = NO_BASE
            elif not periods_now <= periods_before:
                note = f"上年同期缺 {len(periods_now - periods_before)} 个月"
            elif previous and previous > 0:
                yoy = (current / previous - 1) * 100
            else:
                note = "上年同期为零"
        zone = now[f"zone_{m.column}"].sum(min_count=1)
        chain = now[f"chain_{m.column}"].sum(min_count=1)
        out.append(
            {
                "measure": m.key,
                "name": m.name,
                "unit": m.unit,
                "current": current,
                "previous": previous if not note or note.startswith("上年同期为零") else None,
                "yoy_pct": yoy,
                "yoy_note": note,
                "zone_share_pct": _share(current, zone),
                "chain_share_pct": _share(current, chain),
            }
        )
    return pd.DataFrame(out)


def _share(part, total) -> float | None:
    if _missing(part) or _missing(total) or not total:
        return None
    return float(part) / float(total) * 100


def monthly(rows: pd.DataFrame, year: int, month: int, measure: str) -> pd.DataFrame:
    """当月 values of one measure by reporting period (1—2月 as one, at month 2) for last year and this year
    through `month`: year, month, value, yoy_pct (this year, where last year's period has a value),
    zone_share_pct; periods the enterprise did not report are left out."""
    m = BY_KEY[measure]
    data = rows[(rows["year"] == year - 1) | ((rows["year"] == year) & (rows["month"] <= month))].copy()
    data["period"] = data["month"].map(period_of)
    g = data.groupby(["year", "period"], as_index=False).agg(
        value=(m.column, lambda s: s.sum(min_count=1)), zone=(f"zone_{m.column}", lambda s: s.sum(min_count=1))
    )
    g = g[g["value"].notna()].rename(columns={"period": "month"})
    last = dict(zip(g.loc[g["year"] == year - 1, "month"], g.loc[g["year"] == year - 1, "value"]))
    g["yoy_pct"] = [
        (_ratio(v, last.get(mo)) if y == year else None) for y, mo, v in zip(g["year"], g["month"], g["value"])
    ]
    g["zone_share_pct"] = [_share(v, z) for v, z in zip(g["value"], g["zone"])]
    return g[["year", "month", "value", "yoy_pct", "zone_share_pct"]].reset_index(drop=True)


def _ratio(now, before) -> float | None:
    if _missing(now) or _missing(before) or not before or before <= 0:
        return None
    return (float(now) / float(before) - 1) * 100


def month_table(rows: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """This year's months (1—2月 as one) with every measure's 当月 value and its 同比 (where last year's
    period has a value): 期间, <key>, <key>_yoy_pct for each measure."""
    parts = None
    for m in MEASURES:
        g = monthly(rows, year, month, m.key)
        g = g[g["year"] == year][["month", "value", "yoy_pct"]].rename(
            columns={"value": m.key, "yoy_pct": f"{m.key}_yoy_pct"}
        )
        parts = g if parts is None else parts.merge(g, on="month", how="outer")
    parts = parts.sort_values("month").reset_index(drop=True)
    parts.insert(0, "期间", ["1—2月" if mo == 2 else f"{mo}月" for mo in parts["month"]])
    return parts.drop(columns="month")


def yes_no(flag) -> str:
    return "是" if bool(flag) and not _missing(flag) else "否"


def identity(row: dict) -> list[tuple[str, str]]:
    """The identity lines of the profile: (label, text) for 行业, 产业链, 片区, 高新, 规上, 用地, 地块."""
    first = row.get("first_year")
    above = bool(row.get("is_above_scale"))
    if _missing(first) or first is None or pd.isna(first):
        scale = "规下（未报送规上统计）"
    else:
        scale = f"规上，{int(first)} 年入规" if above else f"现为规下（{int(first)} 年曾入规）"
    parcel = row.get("parcel_id") or ""
    shared = int(row.get("parcel_enterprises") or 0)
    plot = (
        "—"
        if not parcel
        else (
            f"{parcel}（{fmt.mu(row.get('parcel_mu'), 2)}，{row.get('parcel_use') or '—'}"
            + (f"，与另外 {shared - 1} 家企业共用" if shared > 1 else "")
            + "）"
        )
    )
    return [
        ("行业", f"{row.get('sector_name') or '—'}（{row.get('sector_code') or '—'}）"),
        ("产业链", row.get("chain") or "—"),
        ("片区", row.get("area_name") or "—"),
        ("高新技术企业", yes_no(row.get("is_high_tech"))),
        ("规模", scale),
        ("用地面积", fmt.mu(row.get("land_mu"), 2)),
        ("地块", plot),
    ]


def reported_span(row: dict) -> str:
    """'2021年1月—2024年9月' (months with statistics), or '无月度统计数据'."""
    first, last = row.get("first_period"), row.get("last_period")
    if _missing(first) or first is None or pd.isna(first):
        return "无月度统计数据"
    f, t = int(first), int(last)
    return f"{f // 100}年{f % 100}月—{t // 100}年{t % 100}月"


def hazard_counts(register: pd.DataFrame) -> dict[str, int]:
    """Counts of one enterprise's 隐患 register rows (query `hazard_register`): listed, open (整改中 +
    到期未整改), overdue (到期未整改), major_open (重大 and open)."""
    open_ = register["status"].isin(["整改中", "到期未整改"])
    return {
        "listed": int(len(register)),
        "open": int(open_.sum()),
        "overdue": int((register["status"] == "到期未整改").sum()),
        "major_open": int((open_ & (register["level"] == "重大")).sum()),
    }


def project_rows(projects: pd.DataFrame, as_of: dt.date, lag_rule) -> pd.DataFrame:
    """The enterprise's projects (query `enterprise_projects`) with stage (as of `as_of`) and lag (滞后 text
    by the lag rule: '投产滞后 4 个月'), in the query's order."""
    from cockpit.domain import projects as pr

    out = projects.copy()
    out["stage"] = [pr.stage_as_of(r, as_of) or "未谋划" for r in projects.to_dict("records")]
    late = pr.lagging(projects, as_of, yellow_months=lag_rule.yellow_months, red_months=lag_rule.red_months)
    lag: dict[str, list[str]] = {}
    for r in late.itertuples():
        lag.setdefault(r.project_id, []).append(f"{r.milestone}滞后 {r.months_late} 个月")
    out["lag"] = ["；".join(lag.get(p, [])) or "—" for p in out["project_id"]]
    return out


def alert_rows(items) -> pd.DataFrame:
    """预警 items (objects or dicts with severity, rule_name, figure, rule_text, office, duty, status) as a
    table with Chinese headers; the columns no item has are left out."""
    labels = {
        "severity": "等级",
        "rule_name": "预警",
        "figure": "情况",
        "rule_text": "规则",
        "office": "责任科室",
        "duty": "责任人",
        "status": "督办状态",
    }
    rows = []
    for item in items:
        get = item.get if isinstance(item, dict) else (lambda k, _i=item: getattr(_i, k, None))
        rows.append({label: get(key) for key, label in labels.items()})
    frame = pd.DataFrame(rows, columns=list(labels.values()))
    return frame.dropna(axis=1, how="all")


def mujun_lines(unit, history: pd.DataFrame, year: int | None, rated_units: int) -> list[str]:
    """The 亩均 result in sentences: the evaluation year's class, score and rank, then the class history.

    `unit`: the enterprise's row of that year's evaluation (None when it was not evaluated);
    `history`: `mujun.history_of` rows."""
    if year is None:
        return ["还没有完整年度的数据，无法进行亩均效益评价。"]
    if unit is None:
        lines = [f"未参加{year}年亩均效益评价（当年无规上产值申报）。"]
    else:
        lines = [
            f"{year}年{unit['cls_label']}，综合得分 {fmt.num(unit['score'], 1)} 分，全区第 "
            f"{fmt.num(unit['rank'], 0)} 名（共 {rated_units} 个评价单元）。"
        ]
    if len(history):
        lines.append("历年分类：" + "；".join(f"{int(r.year)}年 {r.cls_label}" for r in history.itertuples()) + "。")
    return lines
