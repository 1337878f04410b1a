"""会议简报: the content of a meeting brief for the current filters, and its A4 PDF.

`collect` gathers everything from the named queries through a `run(name, params)` function (the app passes
its cached `ui.q`, tests pass `Database.run`), so the brief shows exactly what the pages show.
`pdf_bytes` lays it out with fpdf2 and the Noto Sans CJK SC font (embedded; no network needed); charts are
rendered server-side by vl-convert.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from cockpit import charts, duty, metrics, narrative
from cockpit import format as fmt
from cockpit.attribution import attribute
from cockpit.cards import Card, overview_cards
from cockpit.config import Rules
from cockpit.filters import Filters
from cockpit.metrics import STATUS_CN, Status

CJK_FONT_FILES = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
                  Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")]
SC_INDEX = 2  # the Simplified Chinese face in Debian's Noto Sans CJK collections

Run = Callable[[str, dict], pd.DataFrame]


@dataclass
class Brief:
    zone: str
    period: str            # 2024年1—9月
    scope: str             # 统计范围 line
    generated: str         # date of the brief
    cards: list[Card]
    paragraphs: dict[str, str]
    attention: list[tuple[str, str]]          # (类别, 事项)
    charts: dict[str, object] = field(default_factory=dict)  # title → Altair chart


def _as_of_text(f: Filters) -> str:
    return f"{f.year}年{f.month}月底"


def _draft(run: Run, f: Filters, rules: Rules):
    p = f.params()
    cards = overview_cards(run("industry_kpis", p), run("investment_kpis", p), run("land_kpis", p),
                           run("safety_kpis", p), run("targets_for_year", p),
                           year=f.year, month=f.month, rules=rules)
    by_id = {c.indicator_id: c for c in cards}
    chains = attribute(run("output_by_chain", p), key="chain", current="output_wan",
                       previous="output_ly_wan")
    safety_rows = run("safety_kpis", p)
    overdue = safety_rows.loc[safety_rows["year"] == f.year, "major_overdue"]
    risk = run("safety_risk_assessments", p)
    latest = risk.sort_values("assess_date").iloc[-1] if not risk.empty else None
    short = f"1—{f.month}月"
    paragraphs = {
        "工业经济": narrative.industry(by_id, chains, short),
        "投资与项目": narrative.investment(by_id, short),
        "低效用地": narrative.land(by_id, short),
        "安全生产": narrative.safety(
            by_id, short, _as_of_text(f), overdue=int(overdue.iloc[0]) if len(overdue) else None,
            risk_score=None if latest is None else float(latest["score"]),
            risk_grade=None if latest is None else metrics.risk_grade(float(latest["score"]), rules.grade),
            goal_grade=rules.grade.goal, goal_score=rules.grade.d),
    }
    return cards, paragraphs, chains


def draft(run: Run, f: Filters, rules: Rules) -> dict[str, str]:
    """The 汇报 paragraphs (工业经济, 投资与项目, 低效用地, 安全生产) for the filters `f`."""
    return _draft(run, f, rules)[1]


def collect(run: Run, f: Filters, rules: Rules, scope: str, today: dt.date | None = None,
            zone: str | None = None) -> Brief:
    """Everything the brief shows, for the filters `f`; `zone`: the zone's name (default: cockpit.zone)."""
    from cockpit.projects import lagging, load_lag_rule
    from cockpit.safety import annotate_hazards, as_of_date

    p = f.params()
    period = fmt.period_label(f.year, f.month)
    cards, paragraphs, chains = _draft(run, f, rules)

    as_of = as_of_date(f.year, f.month)
    lag = load_lag_rule()
    attention: list[tuple[str, str]] = []
    for c in cards:
        if c.status == Status.RED:
            attention.append(("指标滞后", f"{c.name} {c.value_text}，完成率 {fmt.pct(c.completion)}"
                              + (f"，时序进度 {fmt.pct(c.progress)}" if c.progress is not None else "")))
    hazards = run("hazard_list", {**p, "category": "", "ent_id": ""})
    if not hazards.empty:
        marked = annotate_hazards(hazards, as_of)
        for r in marked[(marked["level"] == "重大") & (marked["status"] == "到期未整改")].itertuples():
            attention.append(("重大隐患逾期", f"{r.ent_name}：{r.category}，整改期限 "
                              f"{pd.Timestamp(r.deadline).date().isoformat()}，已逾期 {r.overdue_days} 天"
                              + duty.suffix(r)))
    projects = run("project_list", {})
    late = lagging(projects, as_of, yellow_months=lag.yellow_months, red_months=lag.red_months)
    duties = projects.set_index("project_id")
    for r in late.head(10).itertuples():
        attention.append(("项目滞后", f"{r.project_name}：计划{r.milestone} {r.plan_date}，"
                          f"已滞后 {r.months_late} 个月（{STATUS_CN[r.status]}）"
                          + duty.suffix(duties.loc[r.project_id])))

    trend = run("output_trend", p)
    chains["label"] = [f"{fmt.pct(y, signed=True)}" if pd.notna(y) else "新增" for y in chains["yoy_pct"]]
    brief_charts = {
        "规上工业产值 1—m月累计（亿元）": charts.ytd_trend(
            trend, value="output_ytd_wan", title=f"规上工业产值累计：{f.year}年与{f.year - 1}年（亿元）"),
        "分产业链规上产值（亿元）": charts.ranked_bars(
            chains, category="chain", value="output_wan", scale=1e4, unit="亿元", label="label",
            title=f"分产业链规上产值（{period}，亿元，标注为同比）"),
    }
    if zone is None:
        from cockpit.zone import identity

        zone = identity().name
    return Brief(zone=zone, period=period, scope=scope,
                 generated=(today or dt.date.today()).isoformat(), cards=cards,
                 paragraphs=paragraphs, attention=attention, charts=brief_charts)


def chart_png(chart, width: int = 520) -> bytes:
    """Render an Altair chart to PNG on the server (Chinese fonts from the system)."""
    import vl_convert as vlc

    _register_fonts(vlc)
    spec = chart.properties(width=width).to_dict()
    return vlc.vegalite_to_png(spec, scale=2)


_FONTS_REGISTERED = False


def _register_fonts(vlc) -> None:
    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        for folder in {p.parent for p in CJK_FONT_FILES if p.exists()}:
            vlc.register_font_directory(str(folder))
        _FONTS_REGISTERED = True


def kpi_table(cards: list[Card]) -> pd.DataFrame:
    """The KPI table of the brief (also offered as a download)."""
    return pd.DataFrame([{
        "指标": c.name, "本期": c.value_text, "同比": _short_change(c),
        "年度目标": fmt.by_unit(c.target, c.unit) if c.target is not None else "—",
        "完成率": fmt.pct(c.completion) if c.completion is not None else "—",
        "时序进度": fmt.pct(c.progress) if c.progress is not None else "—",
        "状态": STATUS_CN[c.status] if c.status else "—",
    } for c in cards])


def _short_change(c: Card) -> str:
    """同比 for a table cell: '+7.0%', '+0.9 个百分点', '+2 个', '持平'."""
    if c.change is None:
        return "—"
    if c.change_mode == "diff":
        return "持平" if c.change == 0 else f"{c.change:+,.0f} {c.unit}"
    if c.change_mode == "points":
        return fmt.pp(c.change)
    return fmt.pct(c.change, signed=True)


_STATUS_RGB = {"正常": (46, 158, 91), "预警": (227, 162, 26), "滞后": (210, 69, 59)}


def document(title: str, author: str, created: str, margin: float = 15):
    """An A4 fpdf2 document with the CJK font embedded as "cjk" (regular and "B"), its first page added."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=margin)
    pdf.set_margins(margin, margin, margin)
    regular, bold = CJK_FONT_FILES
    pdf.add_font("cjk", "", str(regular), collection_font_number=SC_INDEX)
    pdf.add_font("cjk", "B", str(bold if bold.exists() else regular), collection_font_number=SC_INDEX)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creation_date(dt.datetime.fromisoformat(created))
    pdf.add_page()
    return pdf


def pdf_bytes(brief: Brief, with_charts: bool = True) -> bytes:
    """The A4 brief: title, KPI table, drafted text, charts, items needing attention."""
    pdf = document(f"{brief.zone} 会议简报 {brief.period}", brief.zone, brief.generated)

    pdf.set_font("cjk", "B", 18)
    pdf.cell(0, 10, f"{brief.zone}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", "B", 15)
    pdf.cell(0, 9, f"领导驾驶舱会议简报（{brief.period}）", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, f"统计范围：{brief.scope}    生成日期：{brief.generated}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    _heading(pdf, "一、主要指标")
    table = kpi_table(brief.cards)
    widths = (44, 30, 30, 24, 18, 18, 16)
    pdf.set_font("cjk", "B", 9)
    pdf.set_fill_color(31, 95, 168)
    pdf.set_text_color(255, 255, 255)
    for col, w in zip(table.columns, widths):
        pdf.cell(w, 7, col, border=1, align="C", fill=True)
    pdf.ln()
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", "", 9)
    for i, row in enumerate(table.itertuples(index=False)):
        fill = i % 2 == 1
        pdf.set_fill_color(242, 245, 250)
        for j, (value, w) in enumerate(zip(row, widths)):
            if j == len(widths) - 1 and value in _STATUS_RGB:
                pdf.set_text_color(*_STATUS_RGB[value])
            pdf.cell(w, 6.5, str(value), border=1, align="L" if j == 0 else "R" if j < 6 else "C",
                     fill=fill)
            pdf.set_text_color(0, 0, 0)
        pdf.ln()
    pdf.set_font("cjk", "", 8)
    pdf.set_text_color(100, 100, 100)
    pdf.multi_cell(0, 4.5, align="L", wrapmode="CHAR", text="口径：累计指标为1—m月累计；完成率 = 本期累计 ÷ 年度目标；时序进度 = m ÷ 12；"
                   "状态：完成率不低于时序进度为正常，落后不超过规定点数为预警，其余为滞后。",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    _heading(pdf, "二、汇报要点（自动生成）")
    for area, text in brief.paragraphs.items():
        pdf.set_font("cjk", "B", 10.5)
        pdf.cell(0, 6.5, f"（{'一二三四五六'[list(brief.paragraphs).index(area)]}）{area}",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", "", 10.5)
        pdf.multi_cell(0, 6, "　　" + text, align="L", wrapmode="CHAR", new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(1)

    if with_charts and brief.charts:
        pdf.add_page()
        _heading(pdf, "三、图表")
        for title, chart in brief.charts.items():
            png = chart_png(chart)
            pdf.image(io.BytesIO(png), w=170)
            pdf.ln(4)

    _heading(pdf, "四、需关注事项" if with_charts else "三、需关注事项")
    pdf.set_font("cjk", "", 10)
    if not brief.attention:
        pdf.multi_cell(0, 6, "无滞后指标、逾期重大隐患和滞后项目。", new_x="LMARGIN", new_y="NEXT")
    for kind, text in brief.attention:
        pdf.set_font("cjk", "B", 10)
        pdf.cell(26, 6, f"【{kind}】")
        pdf.set_font("cjk", "", 10)
        pdf.multi_cell(0, 6, text, align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf, text: str) -> None:
    pdf.set_font("cjk", "B", 12.5)
    pdf.set_text_color(31, 95, 168)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
