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

from cockpit import cards as cards_mod
from cockpit import charts, duty, indicators, narrative, overview
from cockpit import format as fmt
from cockpit.cards import Card
from cockpit.config import Rules
from cockpit.selection import Filters
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


def draft(run: Run, f: Filters, rules: Rules, view: overview.Model | None = None, *,
          registry: indicators.Registry | None = None) -> dict[str, str]:
    """The 汇报 paragraphs for the filters `f`: every registry indicator with a sentence, evaluated as the
    cards are (the 总览 model's evaluations are reused), and the 产业链 拉动 the 总览 chart shows."""
    reg = registry or indicators.REGISTRY
    view = view or overview.model(run, f, rules, registry=reg)
    known = {e.id: e for e in view.evaluations}
    more = [i.id for i in reg if i.sentence and i.id not in known]
    known.update({e.id: e for e in indicators.evaluate(run, f, rules, more, registry=reg)})
    return narrative.draft(known, f"1—{max(f.month, 2)}月", _as_of_text(f), chains=view.chains, registry=reg)


def attention(run: Run, f: Filters, cards: list[Card]) -> list[tuple[str, str]]:
    """需关注事项: red indicators (from the cards), overdue 重大隐患 and lagging projects, from the queries the
    安全生产 and 投资与项目 pages list them with, under the same filters."""
    from cockpit.projects import lagging_list, load_lag_rule
    from cockpit.safety import overdue_register

    items: list[tuple[str, str]] = []
    for c in cards:
        if c.status == Status.RED:
            items.append(("指标滞后", f"{c.label} {c.value_text}，{c.target_text}"))
    for r in overdue_register(run, f.params()).itertuples():
        if r.level == "重大":
            items.append(("重大隐患逾期", f"{r.ent_name}：{r.category}，整改期限 "
                          f"{pd.Timestamp(r.deadline).date().isoformat()}，已逾期 {r.overdue_days} 天"
                          + duty.suffix(r)))
    for r in lagging_list(run, f.params(), load_lag_rule(), limit=10).itertuples():
        items.append(("项目滞后", f"{r.project_name}：计划{r.milestone} {pd.Timestamp(r.plan_date).date()}，"
                      f"已滞后 {r.months_late} 个月（{STATUS_CN[r.status]}）"
                      + duty.suffix(r)))
    return items


def collect(run: Run, f: Filters, rules: Rules, scope: str, today: dt.date | None = None, *,
            registry: indicators.Registry | None = None, zone: str | None = None) -> Brief:
    """Everything the brief shows, for the filters `f`: the 总览 model (cards, 产业链 chart, trend), the
    汇报稿 drafted from it, and the items needing attention from the pages' own queries; `zone`: the zone's
    name (default: cockpit.zone)."""
    view = overview.model(run, f, rules, registry=registry)
    period = fmt.period_label(f.year, f.month)
    brief_charts = {
        "规上工业产值 1—m月累计（亿元）": charts.ytd_trend(
            view.trend, value="output_ytd_wan", title=f"规上工业产值累计：{f.year}年与{f.year - 1}年（亿元）"),
        "分产业链规上产值（亿元）": charts.ranked_bars(
            view.chains, category="chain", value="output_wan", scale=1e4, unit="亿元", label="label",
            title=f"分产业链规上产值（{period}，亿元，标注为同比与拉动）"),
    }
    if zone is None:
        from cockpit.zone import identity

        zone = identity().name
    return Brief(zone=zone, period=period, scope=scope,
                 generated=(today or dt.date.today()).isoformat(), cards=view.cards,
                 paragraphs=draft(run, f, rules, view, registry=registry),
                 attention=attention(run, f, view.cards), charts=brief_charts)


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
    """The KPI table of the brief (also offered as a download): the cards' own texts."""
    return pd.DataFrame([{
        "指标": c.label, "本期": c.value_text, "同比": cards_mod.short_change(c.evaluation),
        "年度目标": (fmt.by_unit(c.evaluation.target, c.evaluation.indicator.unit)
                    if c.evaluation.target is not None else fmt.DASH),
        "完成率": fmt.pct(c.evaluation.completion) if c.evaluation.completion is not None else fmt.DASH,
        "时序进度": fmt.pct(c.evaluation.progress) if c.evaluation.progress is not None else fmt.DASH,
        "状态": c.status_text or fmt.DASH,
    } for c in cards])


def kpi_notes(cards: list[Card]) -> list[str]:
    """'说明：指标、指标' lines under the table: the scope, basis and target notes the cards carry, each note once
    with the indicators it applies to."""
    grouped: dict[str, list[str]] = {}
    for c in cards:
        extra = list(c.notes)
        if c.evaluation.target is None and c.target_text:
            extra.append(c.target_text)
        for note in extra:
            grouped.setdefault(note, []).append(c.label)
    return [f"{'、'.join(labels)}：{note}" for note, labels in grouped.items()]


_STATUS_RGB = {"正常": (46, 158, 91), "预警": (227, 162, 26), "滞后": (210, 69, 59), "超出目标": (210, 69, 59)}


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
            if j == len(widths) - 1 and (value in _STATUS_RGB or value.startswith("已达")):
                pdf.set_text_color(*_STATUS_RGB.get(value, _STATUS_RGB["正常"]))
            pdf.cell(w, 6.5, str(value), border=1, align="L" if j == 0 else "R" if j < 6 else "C",
                     fill=fill)
            pdf.set_text_color(0, 0, 0)
        pdf.ln()
    pdf.set_font("cjk", "", 8)
    pdf.set_text_color(100, 100, 100)
    pdf.multi_cell(0, 4.5, align="L", wrapmode="CHAR", text="口径：累计指标为1—m月累计；完成率 = 本期累计 ÷ 同一范围"
                   "（全区、所选产业链或片区）的年度目标；时序进度 = m ÷ 12；状态：完成率不低于时序进度为正常，落后不超过"
                   "规定点数为预警，其余为滞后；同比仅在上年同期有数据时列出。",
                   new_x="LMARGIN", new_y="NEXT")
    for line in kpi_notes(brief.cards):
        pdf.multi_cell(0, 4.5, align="L", wrapmode="CHAR", text=line, new_x="LMARGIN", new_y="NEXT")
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
        for chart in brief.charts.values():
            png = chart_png(chart)
            pdf.image(io.BytesIO(png), w=170)
            pdf.ln(4)

    _heading(pdf, "四、需关注事项" if with_charts else "三、需关注事项")
    pdf.set_font("cjk", "", 10)
    if not brief.attention:
        pdf.multi_cell(0, 6, "无滞后指标、逾期重大隐患和滞后项目。", new_x="LMARGIN", new_y="NEXT")
    for kind, text in brief.attention:
        pdf.set_font("cjk", "B", 10)
        pdf.cell(32, 6, f"【{kind}】")
        pdf.set_font("cjk", "", 10)
        pdf.multi_cell(0, 6, text, align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf, text: str) -> None:
    pdf.set_font("cjk", "B", 12.5)
    pdf.set_text_color(31, 95, 168)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
