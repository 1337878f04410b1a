"""Excel import templates and the onboarding workbook, produced from the table declarations (cockpit.data.schema).

- one template per importable table: 数据 (headers only) / 填写说明 (rules of every column) / 代码表;
- the onboarding workbook (入驻工作簿): 填写说明, then one sheet per table named by its title, in the order the
  import validates them (片区 → 行业与产业链 → 地块 → 企业名录 → …), then 代码表.

    python -m cockpit.data.templates [--out templates/]   # writes the shipped templates (codes of the sample)
                                                     # and the table in data/README.md
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd

from cockpit.data.schema import README_END, README_START, SPECS, Col, TableSpec, importable, readme_table

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIR = ROOT / "templates"
README = ROOT / "data" / "README.md"
NOTES_SHEET = "填写说明"
CODES_SHEET = "代码表"
DATA_SHEET = "数据"
ONBOARDING_NAME = "入驻工作簿_onboarding.xlsx"
_KIND_CN = {"str": "文本", "int": "整数", "float": "数值", "date": "日期（YYYY-MM-DD）", "bool": "是/否"}
MODES_TEXT = (
    "导入方式（数据管理页或命令行 --mode）：追加更新 merge（默认：新主键新增、已有主键以导入值覆盖）；"
    "整表替换 replace（表中只留本文件的行，预览列出将消失的行）；按期间替换 replace-period（替换本文件"
    "涉及的月份或年份的全部行，用于修订）；删除 delete（本文件只需主键列，删除这些行）。"
)


def where_codes(table: str) -> str:
    """Where a code of `table` is added: its template and its sheet of the onboarding workbook."""
    spec = SPECS[table]
    if not spec.importable:
        return f"{spec.title}由程序生成，见“代码表”"
    return f"请先在「{spec.title}」中添加（模板 {template_name(table)}，或入驻工作簿的「{spec.title}」工作表）"


def _rule(c: Col) -> str:
    parts = []
    if c.min is not None or c.max is not None:
        lo = "" if c.min is None else f"{c.min:g}"
        hi = "" if c.max is None else f"{c.max:g}"
        parts.append(f"范围 {lo}—{hi}")
    if c.choices:
        parts.append("可填：" + "、".join(c.choices))
    if c.ref:
        ref = SPECS[c.ref]
        parts.append(
            f"须已在「{ref.title}」中（见“代码表”，或在同一入驻工作簿的「{ref.title}」工作表中新增）"
            if ref.importable
            else f"须为“代码表”中的{ref.title}代码"
        )
    if c.not_future:
        parts.append("不能晚于今天")
    elif c.kind == "date":
        parts.append("计划或期限日期，可晚于今天")
    if c.flow:
        parts.append(f"累计值表头：{c.ytd_header}")
    return "；".join(parts)


def instructions(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "列名": c.header,
                "字段": c.name,
                "类型": _KIND_CN[c.kind],
                "单位": c.unit,
                "是否必填": "必填" if c.required else "选填",
                "取值规则": _rule(c),
                "说明": c.note,
            }
            for c in spec.columns
        ]
    )


def code_sheet(codes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Allowed codes (行业与产业链, 片区, 指标) from the current data, one block after another."""
    columns = ["类别", "代码", "名称", "备注"]
    blocks = []
    codes = codes or {}
    s = codes.get("sectors")
    if s is not None and not s.empty:
        blocks.append(
            pd.DataFrame(
                {
                    "类别": "行业",
                    "代码": s["sector_code"],
                    "名称": s["sector_name"],
                    "备注": "产业链："
                    + s["chain"].astype(str)
                    + s["is_high_tech"].map({True: "；默认高新", False: ""}),
                }
            )
        )
    a = codes.get("areas")
    if a is not None and not a.empty:
        blocks.append(
            pd.DataFrame(
                {
                    "类别": "片区",
                    "代码": a["area_code"],
                    "名称": a["area_name"],
                    "备注": a["park"].fillna("").astype(str)
                    + a["is_chemical_cluster"].map({True: "；化工集聚区", False: ""}),
                }
            )
        )
    i = codes.get("indicators")
    if i is not None and not i.empty:
        blocks.append(
            pd.DataFrame(
                {"类别": "指标", "代码": i["indicator_id"], "名称": i["name_cn"], "备注": "单位：" + i["unit"]}
            )
        )
    return pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=columns)


def _header_sheet(wb, title: str, spec: TableSpec, first: bool = False):
    from openpyxl.styles import Font, PatternFill

    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append([c.header for c in spec.columns])
    for i, c in enumerate(spec.columns, start=1):
        cell = ws.cell(1, i)
        cell.font = Font(bold=True, color="FFFFFF" if c.required else "000000")
        cell.fill = PatternFill("solid", fgColor="1F5FA8" if c.required else "DCE6F2")
        ws.column_dimensions[cell.column_letter].width = max(12, len(c.header) * 2.2)
        if c.kind == "date":
            for r in range(2, 1002):
                ws.cell(r, i).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    return ws


def _frame_sheet(wb, title: str, frame: pd.DataFrame, widths) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    for col, width in zip("ABCDEFG", widths):
        ws.column_dimensions[col].width = width


def _key_text(spec: TableSpec) -> str:
    return "、".join(spec.col(k).header for k in spec.key)


FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # written into templates instead of "now", so regenerating changes no byte


def _saved(wb) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content: openpyxl stamps the save time into
    docProps/core.xml and the zip entries; both are set to FIXED_TIME."""
    import re
    import zipfile

    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % FIXED_TIME
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def template_bytes(table: str, codes: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The template workbook for one table: 数据 (headers only), 填写说明, 代码表."""
    import openpyxl

    spec = SPECS[table]
    wb = openpyxl.Workbook()
    _header_sheet(wb, DATA_SHEET, spec, first=True)
    notes = wb.create_sheet(NOTES_SHEET)
    notes.append([f"{spec.title}（{spec.table}）：{spec.description}"])
    notes.append([f"深蓝色表头为必填列，浅蓝色为选填列。一行一条记录；主键为：{_key_text(spec)}。"])
    notes.append([MODES_TEXT])
    notes.append([])
    rules = instructions(spec)
    notes.append(list(rules.columns))
    for row in rules.itertuples(index=False):
        notes.append(list(row))
    for col, width in zip("ABCDEFG", (26, 18, 16, 10, 10, 40, 40)):
        notes.column_dimensions[col].width = width
    _frame_sheet(wb, CODES_SHEET, code_sheet(codes), (8, 18, 36, 30))
    return _saved(wb)


def onboarding_notes() -> pd.DataFrame:
    """The onboarding workbook's 填写说明: one row per sheet, in import order."""
    rows = []
    for n, table in enumerate(importable(), start=1):
        spec = SPECS[table]
        required = "、".join(c.header for c in spec.columns if c.required)
        rows.append(
            {"顺序": n, "工作表": spec.title, "内容": spec.description, "主键": _key_text(spec), "必填列": required}
        )
    return pd.DataFrame(rows)


def onboarding_bytes(codes: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The onboarding workbook: 填写说明, one sheet per importable table (named by its title), 代码表."""
    import openpyxl

    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = NOTES_SHEET
    for line in (
        "入驻工作簿：每张数据表一个工作表，工作表名不要修改；没有的数据留空（只有表头的工作表不导入）。",
        "整个工作簿作为一次导入校验：按下表顺序，前面工作表新增的代码（片区、行业、地块、企业、项目）后面的"
        "工作表可以直接引用。所有问题一次列出（工作表 / 行号 / 列 / 问题 / 原值）；全部通过才写入，"
        "写入后作为一个版本记入“历史与回滚”，可整体回滚。",
        "各列的单位、取值范围见各单表模板的“填写说明”（数据管理 → 导入模板）；深蓝色表头为必填列。",
        MODES_TEXT,
        "",
    ):
        intro.append([line])
    notes = onboarding_notes()
    intro.append(list(notes.columns))
    for row in notes.itertuples(index=False):
        intro.append(list(row))
    for col, width in zip("ABCDE", (8, 22, 60, 30, 60)):
        intro.column_dimensions[col].width = width
    for table in importable():
        _header_sheet(wb, SPECS[table].title, SPECS[table])
    _frame_sheet(wb, CODES_SHEET, code_sheet(codes), (8, 18, 36, 30))
    return _saved(wb)


def template_name(table: str) -> str:
    return f"{SPECS[table].title}_{table}.xlsx"


def shipped_files(codes: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """File name → bytes of everything in templates/."""
    out = {template_name(t): template_bytes(t, codes) for t in importable()}
    out[ONBOARDING_NAME] = onboarding_bytes(codes)
    return out


def sample_codes() -> dict[str, pd.DataFrame]:
    from cockpit.data.db import SAMPLE_DIR

    return {t: pd.read_parquet(SAMPLE_DIR / f"{t}.parquet") for t in ("sectors", "areas", "indicators")}


def readme_with_tables(text: str) -> str:
    """data/README.md's text with the generated table between its markers."""
    head, _, rest = text.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{readme_table()}\n{README_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成导入模板、入驻工作簿和 data/README.md 的数据表说明")
    ap.add_argument("--out", default=str(TEMPLATE_DIR))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.xlsx"):
        old.unlink()
    for name, data in shipped_files(sample_codes()).items():
        (out / name).write_bytes(data)
        print(out / name)
    README.write_text(readme_with_tables(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(README)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
