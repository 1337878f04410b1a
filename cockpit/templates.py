"""Excel import templates: one .xlsx per importable table, Chinese headers, an instructions sheet.

    python -m cockpit.templates [--out templates/]   # writes the shipped templates
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd

from cockpit.schema import SPECS, Col, TableSpec

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "templates"
_KIND_CN = {"str": "文本", "int": "整数", "float": "数值", "date": "日期（YYYY-MM-DD）", "bool": "是/否"}


def _rule(c: Col) -> str:
    parts = []
    if c.min is not None or c.max is not None:
        lo = "" if c.min is None else f"{c.min:g}"
        hi = "" if c.max is None else f"{c.max:g}"
        parts.append(f"范围 {lo}—{hi}")
    if c.choices:
        parts.append("可填：" + "、".join(c.choices))
    if c.ref:
        parts.append("须为“代码表”中已有的代码" if c.ref in ("sectors", "areas", "indicators")
                     else "须已在系统中存在")
    if c.not_future:
        parts.append("不能晚于今天")
    return "；".join(parts)


def instructions(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame([{
        "列名": c.header, "字段": c.name, "类型": _KIND_CN[c.kind], "单位": c.unit,
        "是否必填": "必填" if c.required else "选填", "取值规则": _rule(c), "说明": c.note,
    } for c in spec.columns])


def code_sheet(codes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Allowed codes (行业, 片区, 指标) from the current data, one block after another."""
    if not codes:
        return pd.DataFrame(columns=["类别", "代码", "名称", "备注"])
    blocks = []
    if "sectors" in codes:
        s = codes["sectors"]
        blocks.append(pd.DataFrame({"类别": "行业", "代码": s["sector_code"], "名称": s["sector_name"],
                                    "备注": "产业链：" + s["chain"]}))
    if "areas" in codes:
        a = codes["areas"]
        blocks.append(pd.DataFrame({"类别": "片区", "代码": a["area_code"], "名称": a["area_name"],
                                    "备注": a["park"]}))
    if "indicators" in codes:
        i = codes["indicators"]
        blocks.append(pd.DataFrame({"类别": "指标", "代码": i["indicator_id"], "名称": i["name_cn"],
                                    "备注": "单位：" + i["unit"]}))
    return pd.concat(blocks, ignore_index=True)


def template_bytes(table: str, codes: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The template workbook for one table: 数据 (headers only), 填写说明, 代码表."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    spec = SPECS[table]
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "数据"
    data.append([c.header for c in spec.columns])
    for i, c in enumerate(spec.columns, start=1):
        cell = data.cell(1, i)
        cell.font = Font(bold=True, color="FFFFFF" if c.required else "000000")
        cell.fill = PatternFill("solid", fgColor="1F5FA8" if c.required else "DCE6F2")
        data.column_dimensions[cell.column_letter].width = max(12, len(c.header) * 2.2)
        if c.kind == "date":
            for r in range(2, 1002):
                data.cell(r, i).number_format = "yyyy-mm-dd"
    data.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append([f"{spec.title}（{spec.table}）：{spec.description}"])
    notes.append(["深蓝色表头为必填列，浅蓝色为选填列。一行一条记录；同一主键（"
                  + "、".join(spec.col(k).header for k in spec.key) + "）已存在时以导入值覆盖。"])
    notes.append([])
    rules = instructions(spec)
    notes.append(list(rules.columns))
    for row in rules.itertuples(index=False):
        notes.append(list(row))
    for col, width in zip("ABCDEFG", (26, 18, 16, 10, 10, 40, 40)):
        notes.column_dimensions[col].width = width
    table_codes = code_sheet(codes)
    sheet = wb.create_sheet("代码表")
    sheet.append(list(table_codes.columns))
    for row in table_codes.itertuples(index=False):
        sheet.append(list(row))
    for col, width in zip("ABCD", (8, 18, 36, 30)):
        sheet.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_name(table: str) -> str:
    return f"{SPECS[table].title}_{table}.xlsx"


def main(argv: list[str] | None = None) -> int:
    from cockpit.db import SAMPLE_DIR

    ap = argparse.ArgumentParser(description="生成导入模板")
    ap.add_argument("--out", default=str(TEMPLATE_DIR))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    codes = {t: pd.read_parquet(SAMPLE_DIR / f"{t}.parquet") for t in ("sectors", "areas", "indicators")}
    for table in SPECS:
        (out / template_name(table)).write_bytes(template_bytes(table, codes))
        print(out / template_name(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
