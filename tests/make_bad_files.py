"""Make the corpus of bad import files: one file per kind of problem, with the message it must produce.

    python tests/make_bad_files.py OUT_DIR     # writes the files and prints one line per case

Each case is (file name, expected message fragment, table or None, limits or None). The good base rows are
2024年10月 copies of the shipped 2024年9月 enterprise statistics, so every file is wrong in exactly one way.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit.db import SAMPLE_DIR  # noqa: E402
from cockpit.ingest import Limits  # noqa: E402
from cockpit.schema import SPECS  # noqa: E402


@dataclass(frozen=True)
class Case:
    filename: str
    expected: str
    table: str | None = None
    limits: Limits | None = None


def headers(table: str) -> dict[str, str]:
    return {c.name: c.header for c in SPECS[table].columns}


def base_month(n: int = 5) -> pd.DataFrame:
    em = pd.read_parquet(SAMPLE_DIR / "enterprise_month.parquet")
    rows = em[(em.year == 2024) & (em.month == 9)].head(n).assign(month=10).reset_index(drop=True)
    return rows.rename(columns=headers("enterprise_month")).astype(object)


def base_hazards(n: int = 3) -> pd.DataFrame:
    hz = pd.read_parquet(SAMPLE_DIR / "hazards.parquet").head(n).copy()
    hz["hazard_id"] = [f"YH-NEW-{i}" for i in range(n)]
    return hz.rename(columns=headers("hazards")).astype(object)


def base_enterprises(n: int = 2) -> pd.DataFrame:
    ent = pd.read_parquet(SAMPLE_DIR / "enterprises.parquet").head(n).copy()
    ent["ent_id"] = ["91330824MA2NEW0001", "91330824MA2NEW0002"][:n]
    ent["ent_name"] = [f"开化县新企业{i}有限公司" for i in range(n)]
    ent["is_above_scale"] = "是"
    ent["is_high_tech"] = "否"
    return ent.rename(columns=headers("enterprises")).astype(object)


def base_projects() -> pd.DataFrame:
    pr = pd.read_parquet(SAMPLE_DIR / "projects.parquet").head(1).copy()
    pr["project_id"] = "XM-NEW-1"
    for c in ("is_industrial", "is_high_tech", "is_special_bond", "is_reserve"):
        pr[c] = pr[c].map({True: "是", False: "否"})
    return pr.rename(columns=headers("projects")).astype(object)


def base_project_month() -> pd.DataFrame:
    pm = pd.read_parquet(SAMPLE_DIR / "project_month.parquet")
    rows = pm[(pm.year == 2024) & (pm.month == 9)].head(2).assign(month=10)
    return rows.rename(columns=headers("project_month")).astype(object)


def entity_bomb_xlsx() -> bytes:
    """A minimal .xlsx whose sheet XML declares entities (a 'billion laughs' bomb)."""
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
            '</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", bomb)
    return buf.getvalue()


def _set(df: pd.DataFrame, row: int, col: str, value) -> pd.DataFrame:
    df = df.copy()
    df.loc[row, col] = value
    return df


def make(out: Path) -> list[Case]:
    """Write every bad file into `out`; return the cases."""
    out.mkdir(parents=True, exist_ok=True)
    h = headers("enterprise_month")
    m = base_month()
    cases: list[tuple[str, object, str, str | None, Limits | None]] = [
        ("01_缺少必填列.csv", m.drop(columns=[h["value_added_wan"]]), "缺少必填列", None, None),
        ("02_多余列.csv", m.assign(备注说明="x"), "无法识别的列名", None, None),
        ("03_列名拼写错误.csv", m.rename(columns={h["output_wan"]: "工业总产值(万)"}),
         "是否应为「工业总产值（万元）」", None, None),
        ("04_数字单元格含文字.csv", _set(m, 0, h["output_wan"], "一百"), "应为数字", None, None),
        ("05_数字带单位.xlsx", _set(m, 1, h["tax_wan"], "123万元"), "应为数字", None, None),
        ("06_产值为负.csv", _set(m, 2, h["output_wan"], -5), "不能为负数", None, None),
        ("07_月份超出范围.csv", _set(m, 0, h["month"], 13), "数值超出合理范围", None, None),
        ("08_月份在未来.csv", _set(_set(m, 0, h["year"], 2099), 0, h["month"], 1), "报告期在未来",
         None, None),
        ("09_必填项为空.csv", _set(m, 3, h["employees"], None), "必填项为空", None, None),
        ("10_主键重复.csv", pd.concat([m, m.head(1)], ignore_index=True), "主键与第 2 行重复", None, None),
        ("11_未知企业.csv", _set(m, 0, h["ent_id"], "91330824XXXXXXXXXX"), "未知的企业", None, None),
        ("12_累计与各月不符.csv", m.assign(**{SPECS["enterprise_month"].col("output_wan").ytd_header: 1.0}), "累计值与1—10月", None, None),
        ("13_增加值大于产值.csv", _set(m, 0, h["value_added_wan"], 10_000_000), "增加值大于工业总产值",
         None, None),
        ("14_整数带小数.csv", _set(m, 0, h["employees"], 12.5), "应为整数", None, None),
        ("15_列名重复.csv", None, "列名重复", None, None),
        ("16_只有表头.csv", m.head(0), "文件中没有数据行", None, None),
        ("17_无法识别数据表.csv", pd.DataFrame({"甲": [1], "乙": [2], "丙": [3]}), "无法识别数据表",
         None, None),
        ("18_文件过大.csv", m, "文件过大", None, Limits(max_bytes=100, max_rows=10)),
        ("19_行数过多.csv", m, "行数过多", None, Limits(max_bytes=10_000_000, max_rows=2)),
        ("20_不支持的类型.xls", None, "不支持的文件类型", None, None),
        ("21_空文件.csv", None, "文件为空", None, None),
        ("22_损坏的表格.xlsx", None, "无法读取 Excel 文件", None, None),
        ("23_实体炸弹.xlsx", None, "含有不安全的 XML 内容", None, None),
    ]
    hz, hh = base_hazards(), headers("hazards")
    cases += [
        ("24_隐患日期不存在.csv", _set(hz, 0, hh["found_date"], "2024-02-30"), "日期不存在", "hazards", None),
        ("25_隐患日期格式.csv", _set(hz, 0, hh["deadline"], "下周"), "日期格式不正确", "hazards", None),
        ("26_隐患发现日期在未来.csv", _set(_set(hz, 1, hh["found_date"], "2099-01-01"), 1,
                                      hh["deadline"], "2099-02-01"), "日期在未来", "hazards", None),
        ("27_隐患等级不合法.csv", _set(hz, 2, hh["level"], "特大"), "取值不在允许范围内", "hazards", None),
        ("28_未知片区.csv", _set(hz, 0, hh["area_code"], "Z99"), "未知的片区代码", "hazards", None),
        ("29_整改期限早于发现.csv", _set(hz, 0, hh["deadline"], "2000-01-01"), "早于发现日期", "hazards",
         None),
    ]
    en, he = base_enterprises(), headers("enterprises")
    cases += [
        ("30_未知行业代码.csv", _set(en, 0, he["sector_code"], "99"), "未知的行业代码", "enterprises", None),
        ("31_用地面积超范围.csv", _set(en, 0, he["land_mu"], 99999), "数值超出合理范围", "enterprises", None),
        ("32_信用代码格式.csv", _set(en, 1, he["ent_id"], "1234"), "统一社会信用代码应为 18 位",
         "enterprises", None),
        ("33_是否填写错误.csv", _set(en, 0, he["is_above_scale"], "也许"), "应填“是”或“否”", "enterprises",
         None),
    ]
    pr, hp = base_projects(), headers("projects")
    cases += [
        ("34_阶段日期倒序.csv", _set(_set(pr, 0, hp["date_sign"], "2023-06-01"), 0, hp["date_start"],
                                   "2023-01-01"), "阶段日期应依次", "projects", None),
        ("35_未知项目.csv", _set(base_project_month(), 0, headers("project_month")["project_id"], "XM-无"),
         "未知的项目编号", "project_month", None),
    ]
    written = []
    for name, df, expected, table, limits in cases:
        path = out / name
        if name.startswith("15_"):
            text = m.to_csv(index=False)
            first, rest = text.split("\n", 1)
            cols = first.split(",")
            path.write_text(first + "," + cols[1] + "\n" +
                            "\n".join(line + ",x" for line in rest.strip().split("\n")) + "\n",
                            encoding="utf-8-sig")
        elif name.startswith("20_"):
            path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
        elif name.startswith("21_"):
            path.write_bytes(b"")
        elif name.startswith("22_"):
            path.write_bytes(b"PK\x03\x04 this is not really a workbook")
        elif name.startswith("23_"):
            path.write_bytes(entity_bomb_xlsx())
        elif name.endswith(".xlsx"):
            df.to_excel(path, index=False, sheet_name="数据")
        else:
            df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(Case(name, expected, table, limits))
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad_files")
    for case in make(target):
        print(f"{case.filename}\t{case.expected}")
