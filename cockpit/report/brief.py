"""会议简报: the content of a meeting brief for the current filters, and its A4 PDF.

`collect` gathers everything from the named queries through a `run(name, params)` function (the app passes
its cached `ui.q`, tests pass `Database.run`), so the brief shows exactly what the pages show.
`pdf_bytes` lays it out with fpdf2 and the Noto Sans CJK SC font (embedded; no network needed); charts are
rendered server-side by vl-convert.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from cockpit.data.config import Rules
from cockpit.domain import cards as cards_mod
from cockpit.domain import duty, indicators, overview
from cockpit.domain import format as fmt
from cockpit.domain.cards import Card
from cockpit.domain.metrics import STATUS_CN, Status
from cockpit.domain.selection import Filters
from cockpit.report import charts, narrative

CJK_FONT_FILES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
]
SC_INDEX = 2  # the Simplified Chinese face in Debian's Noto Sans CJK collections

Run = Callable[[str, dict], pd.DataFrame]


@dataclass
class Brief:
    zone: str
    period: str  # 2024年1—9月
    scope: str  # 统计范围 line
    generated: str  # date of the brief
    cards: list[Card]
    paragraphs: dict[str, str]
    attention: list[tuple[str, str]]  # (类别, 事项)
    charts: dict[str, object] = field(default_factory=dict)  # title → `charts` spec (Vega-Lite dict)
    month: int = 12  # the as-of month (the 口径 line says 1—9月累计, 时序进度 = 9 ÷ 12)


def _as_of_text(f: Filters) -> str:
    return f"{f.year}年{f.month}月底"


def draft(
    run: Run,
    f: Filters,
    rules: Rules,
    view: overview.Model | None = None,
    *,
    registry: indicators.Registry | None = None,
) -> dict[str, str]:
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
    from cockpit.domain.projects import lagging_list, load_lag_rule
    from cockpit.domain.safety import overdue_register

    items: list[tuple[str, str]] = []
    for c in cards:
        if c.status == Status.RED:
            items.append(("指标滞后", f"{c.label} {c.value_text}，{c.target_text}"))
    for r in overdue_register(run, f.params()).itertuples():
        if r.level == "重大":
            items.append(
                (
                    "重大隐患逾期",
                    f"{r.ent_name}：{r.category}，整改期限 "
                    f"{pd.Timestamp(r.deadline).date().isoformat()}，已逾期 {r.overdue_days} 天" + duty.suffix(r),
                )
            )
    for r in lagging_list(run, f.params(), load_lag_rule(), limit=10).itertuples():
        items.append(
            (
                "项目滞后",
                f"{r.project_name}：计划{r.milestone} {pd.Timestamp(r.plan_date).date()}，"
                f"已滞后 {r.months_late} 个月（{STATUS_CN[r.status]}）" + duty.suffix(r),
            )
        )
    return items


def collect(
    run: Run,
    f: Filters,
    rules: Rules,
    scope: str,
    today: dt.date | None = None,
    *,
    registry: indicators.Registry | None = None,
    zone: str | None = None,
) -> Brief:
    """Everything the brief shows, for the filters `f`: the 总览 model (cards, 产业链 chart, trend), the
    汇报稿 drafted from it, and the items needing attention from the pages' own queries; `zone`: the zone's
    name (default: cockpit.data.zone)."""
    view = overview.model(run, f, rules, registry=registry)
    period = fmt.period_label(f.year, f.month)
    brief_charts = {
        f"规上工业产值 1—{max(f.month, 2)}月累计（亿元）": charts.ytd_trend(
            view.trend, value="output_ytd_wan", title=f"规上工业产值累计：{f.year}年与{f.year - 1}年（亿元）"
        ),
        "分产业链规上产值（亿元）": charts.ranked_bars(
            view.chains,
            category="chain",
            value="output_wan",
            scale=1e4,
            unit="亿元",
            label="label",
            title=f"分产业链规上产值（{period}，亿元，标注为同比与拉动）",
        ),
    }
    if zone is None:
        from cockpit.data.zone import identity

        zone = identity().name
    return Brief(
        zone=zone,
        period=period,
        scope=scope,
        generated=(today or dt.date.today()).isoformat(),
        cards=view.cards,
        paragraphs=draft(run, f, rules, view, registry=registry),
        attention=attention(run, f, view.cards),
        charts=brief_charts,
        month=f.month,
    )


def chart_png(chart: dict, width: int = 520) -> bytes:
    """Render a chart (a `charts` builder's spec) to PNG on the server (Chinese fonts from the system)."""
    import vl_convert as vlc

    _register_fonts(vlc)
    return vlc.vegalite_to_png(charts.vega_lite_values(chart, width=width), scale=2)


_FONTS_REGISTERED = False


def _register_fonts(vlc) -> None:
    global _FONTS_REGISTERED
    if not _FONTS_REGISTERED:
        for folder in {p.parent for p in CJK_FONT_FILES if p.exists()}:
            vlc.register_font_directory(str(folder))
        _FONTS_REGISTERED = True


def kpi_table(cards: list[Card]) -> pd.DataFrame:
    """The KPI table of the brief (also offered as a download): the cards' own texts."""
    return pd.DataFrame(
        [
            {
                "指标": c.label,
                "本期": c.value_text,
                "同比": cards_mod.short_change(c.evaluation),
                "年度目标": (
                    fmt.by_unit(c.evaluation.target, c.evaluation.indicator.unit)
                    if c.evaluation.target is not None
                    else fmt.DASH
                ),
                "完成率": fmt.pct(c.evaluation.completion) if c.evaluation.completion is not None else fmt.DASH,
                "时序进度": fmt.pct(c.evaluation.progress) if c.evaluation.progress is not None else fmt.DASH,
                "状态": c.status_text or fmt.DASH,
            }
            for c in cards
        ]
    )


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


FOOTER_MM = 10  # the page-number line below the text area


def document(title: str, author: str, created: str, margin: float = 15):
    """An A4 fpdf2 document with the CJK font embedded as "cjk" (regular and "B"), its first page added, and
    「第 x 页 / 共 y 页」 centred at the foot of every page."""
    from fpdf import FPDF

    class Numbered(FPDF):
        def footer(self):
            self.set_y(-(FOOTER_MM + 2))
            self.set_font("cjk", "", 8.5)
            self.set_text_color(120, 120, 120)
            self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {self.alias_nb_pages_text} 页", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Numbered(orientation="P", unit="mm", format="A4")
    pdf.alias_nb_pages_text = "{nb}"
    pdf.alias_nb_pages(pdf.alias_nb_pages_text)
    pdf.set_auto_page_break(True, margin=margin + FOOTER_MM)
    pdf.set_margins(margin, margin, margin)
    regular, bold = CJK_FONT_FILES
    pdf.add_font("cjk", "", str(regular), collection_font_number=SC_INDEX)
    pdf.add_font("cjk", "B", str(bold if bold.exists() else regular), collection_font_number=SC_INDEX)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creation_date(dt.datetime.fromisoformat(created))
    pdf.add_page()
    return pdf


# A number with its sign, separators, decimals, % and the unit after it is one unit of text: a line may break
# before or after it, never inside ("4." / "9 个百分点"). Closing punctuation stays with what it follows.
_UNITS = "个百分点|万元/亩|亿元|万元|人次|亩|个|起|分|家|天|次|场|类|年|月|日|人|项|条|元|%"
_TOKEN = re.compile(
    rf"\d{{4}}-\d\d-\d\d|\d{{1,2}}—\d{{1,2}}月|[+\-−]?\d[\d,]*(?:\.\d+)?(?:\s?(?:{_UNITS}))?|[A-Za-z]+|\s+|.", re.S
)
_NO_LINE_START = set("，。、；：？！）」』”’%,.;:)")


def tokens(text: str) -> list[str]:
    """`text` cut into the pieces a line may break between (see _TOKEN), punctuation glued to the piece before."""
    out: list[str] = []
    for t in _TOKEN.findall(text):
        if out and t[0] in _NO_LINE_START:
            out[-1] += t
        else:
            out.append(t)
    return out


def wrap(pdf, text: str, width: float) -> list[str]:
    """Lines of `text` no wider than `width` (mm, current font), broken only between tokens."""
    lines, line = [], ""
    for t in tokens(text):
        if line and pdf.get_string_width(line + t) > width:
            lines.append(line.rstrip())
            line = t.lstrip()
        else:
            line += t
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _space_left(pdf) -> float:
    return pdf.page_break_trigger - pdf.get_y()


def keep(pdf, height: float) -> None:
    """Start a new page unless `height` mm fit on this one (a block is never split over two pages)."""
    if height > _space_left(pdf) and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()


def text_block(
    pdf, text: str, line_height: float, *, indent: str = "", x_offset: float = 0, keep_with: float = 0
) -> None:
    """A paragraph wrapped between tokens and kept on one page (with `keep_with` mm before it, e.g. its
    heading, already drawn or to be drawn by the caller)."""
    width = pdf.w - pdf.r_margin - pdf.l_margin - x_offset
    lines = wrap(pdf, indent + text, width)
    keep(pdf, keep_with + line_height * len(lines))
    for line in lines:
        pdf.set_x(pdf.l_margin + x_offset)
        pdf.cell(width, line_height, line, new_x="LMARGIN", new_y="NEXT")


def pdf_bytes(brief: Brief, with_charts: bool = True) -> bytes:
    """The A4 brief: title, KPI table, drafted text, charts, items needing attention; page numbers on every page.

    Blocks (a table, a paragraph, a chart with its heading, an item) are never split over two pages. The layout
    does not end on a nearly empty page: it tries slightly tighter lines and smaller charts, then starting a
    section on a new page, and keeps the first layout whose last page is at least MIN_LAST_PAGE_FILL full."""
    pngs = [chart_png(c) for c in brief.charts.values()] if with_charts else []
    widths = CHART_WIDTHS if pngs else (0,)
    tried = []
    for new_page in (None, *SECTIONS):
        for tight in TIGHTNESS:
            for width in widths:
                pdf = _layout(brief, pngs, width, tight, new_page)
                fill = last_page_fill(pdf)
                if pdf.page_no() == 1 or fill >= MIN_LAST_PAGE_FILL:
                    return bytes(pdf.output())
                tried.append((fill < MIN_LAST_PAGE_FILL, pdf.page_no(), -fill, len(tried), pdf))
    return bytes(min(tried)[-1].output())  # a full enough last page, the fewest pages, the first such layout


SECTIONS = ("要点", "图表", "关注")  # sections that may start a new page to balance the pages
TIGHTNESS = (1.0, 0.92, 0.85)  # line height factors of the text, tried in turn
CHART_WIDTHS = (170, 150, 132)
MIN_LAST_PAGE_FILL = 0.3  # share of the last page's text area in use, below which the layout is retried


def last_page_fill(pdf) -> float:
    """How much of the current (last) page's text area is used, 0–1."""
    return (pdf.get_y() - pdf.t_margin) / (pdf.page_break_trigger - pdf.t_margin)


def _layout(brief: Brief, pngs: list[bytes], chart_width: float, tight: float = 1.0, new_page: str | None = None):
    pdf = document(f"{brief.zone} 会议简报 {brief.period}", brief.zone, brief.generated)

    pdf.set_font("cjk", "B", 18)
    pdf.cell(0, 10, f"{brief.zone}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", "B", 15)
    pdf.cell(0, 9, f"领导驾驶舱会议简报（{brief.period}）", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(
        0, 5, f"统计范围：{brief.scope}    生成日期：{brief.generated}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
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
            pdf.cell(w, 6.5, str(value), border=1, align="L" if j == 0 else "R" if j < 6 else "C", fill=fill)
            pdf.set_text_color(0, 0, 0)
        pdf.ln()
    pdf.set_font("cjk", "", 8)
    pdf.set_text_color(100, 100, 100)
    m = max(brief.month, 2)
    text_block(
        pdf,
        f"口径：累计指标为1—{m}月累计；完成率 = 本期累计 ÷ 同一范围（全区、所选产业链或片区）的年度目标；"
        f"时序进度 = {brief.month} ÷ 12；状态：完成率不低于时序进度为正常，落后不超过规定点数为预警，其余为滞后；"
        "同比仅在上年同期有数据时列出。",
        4.5,
    )
    for line in kpi_notes(brief.cards):
        text_block(pdf, line, 4.5)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    heading = "二、汇报要点（自动生成）"
    for k, (area, text) in enumerate(brief.paragraphs.items()):
        pdf.set_font("cjk", "", 10.5)
        lines = len(wrap(pdf, "　　" + text, pdf.w - pdf.l_margin - pdf.r_margin))
        keep(pdf, (8 if k == 0 else 0) + 6.5 + 6 * tight * min(lines, 3))  # heading and first lines together
        if k == 0:
            _section(pdf, heading, new_page == "要点")
        pdf.set_font("cjk", "B", 10.5)
        pdf.cell(0, 6.5, f"（{'一二三四五六七八'[k]}）{area}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", "", 10.5)
        text_block(pdf, text, 6 * tight, indent="　　")
        pdf.ln(1)

    number = iter("三四")
    if pngs:
        for k, png in enumerate(pngs):
            width_px, height_px = _png_size(png)
            height = chart_width * height_px / width_px
            keep(pdf, (8 if k == 0 else 0) + height + 4)
            if k == 0:
                _section(pdf, f"{next(number)}、图表", new_page == "图表")
            pdf.image(io.BytesIO(png), w=chart_width, x=(pdf.w - chart_width) / 2)
            pdf.ln(4)

    head = f"{next(number)}、需关注事项"
    pdf.set_font("cjk", "", 10)
    if not brief.attention:
        keep(pdf, 8 + 6)
        _section(pdf, head, new_page == "关注")
        text_block(pdf, "无滞后指标、逾期重大隐患和滞后项目。", 6)
    for k, (kind, text) in enumerate(brief.attention):
        pdf.set_font("cjk", "", 10)
        lines = wrap(pdf, text, pdf.w - pdf.l_margin - pdf.r_margin - 32)
        step = 6 * tight
        keep(pdf, (8 if k == 0 else 0) + step * len(lines))
        if k == 0:
            _section(pdf, head, new_page == "关注")
        pdf.set_font("cjk", "B", 10)
        pdf.cell(32, step, f"【{kind}】")
        pdf.set_font("cjk", "", 10)
        y = pdf.get_y()
        for i, line in enumerate(lines):
            pdf.set_xy(pdf.l_margin + 32, y + step * i)
            pdf.cell(0, step, line)
        pdf.set_xy(pdf.l_margin, y + step * len(lines))
    return pdf


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _section(pdf, text: str, new_page: bool) -> None:
    """A section heading, on a new page when asked (and not already at the top of one)."""
    if new_page and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()
    _heading(pdf, text)


def _heading(pdf, text: str) -> None:
    pdf.set_font("cjk", "B", 12.5)
    pdf.set_text_color(31, 95, 168)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
