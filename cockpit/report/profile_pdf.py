"""企业画像 PDF: one A4 page for one enterprise and period, from what the profile page shows.

Layout only; the figures come from `cockpit.domain.enterprise` (the page passes the same frames it draws). The
document, font and headings are the 会议简报's (`cockpit.report.brief.document`, `brief._heading`, `brief.chart_png`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd

from cockpit.domain import enterprise
from cockpit.domain import format as fmt
from cockpit.report import brief

MAX_ROWS = 5  # rows of each list on the page (projects, hazards, warnings); the rest are counted


@dataclass
class Profile:
    zone: str
    period: str
    generated: str
    name: str
    ent_id: str
    identity: list[tuple[str, str]]
    figures: pd.DataFrame  # enterprise.ytd
    mujun: list[str] = field(default_factory=list)  # sentences
    projects: pd.DataFrame | None = None  # enterprise.project_rows
    hazards: dict = field(default_factory=dict)  # enterprise.hazard_counts
    open_hazards: pd.DataFrame | None = None  # register rows still open
    accidents: int = 0
    alerts: pd.DataFrame | None = None  # enterprise.alert_rows
    chart: object | None = None  # a `charts` spec (monthly 产值), or None


def collect(
    row: dict,
    figures: pd.DataFrame,
    register: pd.DataFrame,
    accidents: pd.DataFrame,
    projects: pd.DataFrame,
    zone: str,
    period: str,
    *,
    mujun: list[str] = (),
    alerts=None,
    chart=None,
    today: dt.date | None = None,
) -> Profile:
    """The profile of `row` (query `enterprise_profile`) for the PDF, from the page's frames."""
    open_rows = register[register["status"].isin(["到期未整改", "整改中"])] if len(register) else register
    return Profile(
        zone=zone,
        period=period,
        generated=(today or dt.date.today()).isoformat(),
        name=row["ent_name"],
        ent_id=row["ent_id"],
        identity=enterprise.identity(row),
        figures=figures,
        mujun=list(mujun),
        projects=projects,
        hazards=enterprise.hazard_counts(register),
        open_hazards=open_rows,
        accidents=len(accidents),
        alerts=alerts,
        chart=chart,
    )


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[float], align: str = "") -> None:
    """A table with a blue header; `align`: one letter a column (L/R/C), default the first left, numbers right."""
    align = align or "L" + "R" * (len(widths) - 1)
    pdf.set_font("cjk", "B", 8.5)
    pdf.set_fill_color(31, 95, 168)
    pdf.set_text_color(255, 255, 255)
    for text, w in zip(header, widths):
        pdf.cell(w, 6, text, border=1, align="C", fill=True)
    pdf.ln()
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", "", 8.5)
    pdf.set_fill_color(242, 245, 250)
    for i, values in enumerate(rows):
        for j, (text, w) in enumerate(zip(values, widths)):
            pdf.cell(w, 5.6, _fit(pdf, text, w), border=1, align=align[j], fill=i % 2 == 1)
        pdf.ln()


def _fit(pdf, text: str, width: float) -> str:
    """The text cut with '…' to fit a cell of `width` mm."""
    text = str(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _note(pdf, text: str) -> None:
    pdf.set_font("cjk", "", 8)
    pdf.set_text_color(100, 100, 100)
    pdf.multi_cell(0, 4.2, text, align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def pdf_bytes(p: Profile) -> bytes:
    """The one-page A4 企业画像."""
    pdf = brief.document(f"企业画像 {p.name} {p.period}", p.zone, p.generated, margin=12)
    pdf.set_auto_page_break(False)
    pdf.set_font("cjk", "B", 15)
    pdf.cell(0, 8, f"企业画像 · {p.name}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", "", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(
        0,
        5,
        f"统一社会信用代码 {p.ent_id}　期间 {p.period}　{p.zone}　生成日期 {p.generated}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )
    pdf.set_text_color(0, 0, 0)

    brief._heading(pdf, "一、基本情况")
    pdf.set_font("cjk", "", 9)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for i, (label, text) in enumerate(p.identity):
        pdf.cell(
            half,
            5.2,
            _fit(pdf, f"{label}：{text}", half),
            new_x="RIGHT" if i % 2 == 0 else "LMARGIN",
            new_y="TOP" if i % 2 == 0 else "NEXT",
        )
    if len(p.identity) % 2:
        pdf.ln(5.2)

    brief._heading(pdf, f"二、经营情况（{p.period}）")
    rows = []
    for t in p.figures.itertuples():
        m = enterprise.BY_KEY[t.measure]
        has = t.current is not None and t.current == t.current
        yoy = (
            fmt.pct(t.yoy_pct, signed=True)
            if t.yoy_pct is not None and t.yoy_pct == t.yoy_pct
            else (t.yoy_note or fmt.DASH)
        )
        rows.append(
            [
                f"{m.name}（{m.unit}）",
                fmt.num(t.current, m.digits) if has else fmt.DASH,
                yoy,
                fmt.pct(t.zone_share_pct),
                fmt.pct(t.chain_share_pct),
            ]
        )
    _table(pdf, ["指标", "1—m月累计", "同比", "占全区", "占产业链"], rows, [48, 34, 34, 35, 35])
    if p.chart is not None:
        pdf.ln(2)
        png = brief.chart_png(p.chart, width=620)
        pdf.image(io.BytesIO(png), w=150, h=44, x=pdf.l_margin + 18)
    _note(
        pdf,
        "累计 = 各月当月值之和（现价）；同比仅在本期报送的每个月上年都有数据时计算；占全区、占产业链为同期合计之比。",
    )

    brief._heading(pdf, "三、亩均效益评价")
    pdf.set_font("cjk", "", 9)
    for line in p.mujun or ["无评价结果。"]:
        pdf.multi_cell(0, 5, line, align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")

    brief._heading(pdf, "四、项目")
    projects = p.projects if p.projects is not None else pd.DataFrame()
    if projects.empty:
        _note(pdf, "项目库中没有以该企业为项目业主的项目。")
    else:
        _table(
            pdf,
            ["项目", "阶段", "计划总投资（万元）", "滞后"],
            [
                [r.project_name, r.stage, fmt.num(r.total_invest_wan, 0), r.lag]
                for r in projects.head(MAX_ROWS).itertuples()
            ],
            [78, 20, 34, 54],
            "LLRL",
        )
        if len(projects) > MAX_ROWS:
            _note(pdf, f"共 {len(projects)} 个项目，列出前 {MAX_ROWS} 个。")

    brief._heading(pdf, "五、安全生产")
    h = p.hazards
    pdf.set_font("cjk", "", 9)
    pdf.multi_cell(
        0,
        5,
        f"隐患（本期发现或期末未整改）{h.get('listed', 0)} 条，期末未整改 {h.get('open', 0)} 条，"
        f"其中到期未整改 {h.get('overdue', 0)} 条、重大隐患未整改 {h.get('major_open', 0)} 条；"
        f"生产安全事故累计 {p.accidents} 起。",
        align="L",
        wrapmode="CHAR",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    open_rows = p.open_hazards if p.open_hazards is not None else pd.DataFrame()
    if len(open_rows):
        _table(
            pdf,
            ["状态", "等级", "类别", "整改期限", "隐患描述"],
            [
                [r.status, r.level, r.category, fmt.date(r.deadline), r.description or ""]
                for r in open_rows.head(MAX_ROWS).itertuples()
            ],
            [26, 16, 22, 26, 96],
            "LLLLL",
        )

    alerts = p.alerts if p.alerts is not None else pd.DataFrame()
    if len(alerts):
        brief._heading(pdf, "六、预警")
        cols = list(alerts.columns)[:4]
        _table(
            pdf,
            cols,
            [[str(v) for v in r] for r in alerts[cols].head(MAX_ROWS).itertuples(index=False)],
            [186 / len(cols)] * len(cols),
            "L" * len(cols),
        )
    return bytes(pdf.output())


def file_name(name: str, period: str) -> str:
    """'企业画像_<name>_<period>.pdf' without characters a file system or browser refuses."""
    import re

    return re.sub(r'[\\/:*?"<>|\s]+', "", f"企业画像_{name}_{period}") + ".pdf"
