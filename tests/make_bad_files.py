"""Make the corpus of bad import files: one file per kind of problem, with the message it must produce.

    python tests/make_bad_files.py OUT_DIR     # writes the files and prints one line per case

Each case is (file name, expected message fragment, table or None, limits or None). The good base rows are
2024年10月 copies of the shipped 2024年9月 enterprise statistics, so every file is wrong in exactly one way.
The bombs (a few MB each, decompressing to hundreds of MB or declaring millions of rows) are written here on
the fly, never committed; hand-built .xlsx files come from `xlsx()` (raw parts, zipped by `zip_parts()`).
"""

from __future__ import annotations

import functools
import io
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit.data.db import SAMPLE_DIR  # noqa: E402
from cockpit.data.ingest import Limits  # noqa: E402
from cockpit.data.rawread import col_letter  # noqa: E402
from cockpit.data.schema import SPECS  # noqa: E402


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


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Deflated:
    """A zip member given as raw deflate bytes (lets a bomb be written without compressing it)."""

    data: bytes
    crc: int
    size: int


def deflate_repeated(chunk: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> Deflated:
    """head + chunk × times + tail as one deflate stream, in seconds: after a full flush the compressor
    starts afresh, so the compressed chunk is the same every time and is simply repeated."""

    def block(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = block(head) + block(chunk) * times + end.compress(tail) + end.flush()
    return Deflated(data, crc, len(head) + len(chunk) * times + len(tail))


def zip_parts(parts: dict[str, bytes | str | Deflated], flags: int = 0) -> bytes:
    """A zip of the parts (deflated), written directly so sizes, flags and contents can be anything."""
    out, central = io.BytesIO(), []
    for name, part in parts.items():
        if not isinstance(part, Deflated):
            raw = part.encode("utf-8") if isinstance(part, str) else part
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            part = Deflated(c.compress(raw) + c.flush(), zlib.crc32(raw), len(raw))
        n, offset = name.encode("utf-8"), out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                flags | 0x800,
                8,
                0,
                0x21,
                part.crc,
                len(part.data),
                part.size,
                len(n),
                0,
            )
            + n
            + part.data
        )
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                flags | 0x800,
                8,
                0,
                0x21,
                part.crc,
                len(part.data),
                part.size,
                len(n),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + n
        )
    at = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - at, at, 0))
    return out.getvalue()


def cell(ref: str, value) -> str:
    """One <c>: str → inline string, bool → t="b", number → <v>, (t, text) → that type and stored text."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        t, text = value
        return f'<c r="{ref}"' + (f' t="{t}"' if t != "n" else "") + f"><v>{escape(str(text))}</v></c>"
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list], dimension: str | None = None, merged: tuple[str, ...] = ()) -> str:
    body = "".join(
        f'<row r="{i}">' + "".join(cell(f"{col_letter(j)}{i}", v) for j, v in enumerate(r, 1)) + "</row>"
        for i, r in enumerate(rows, 1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merges = (
        (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>")
        if merged
        else ""
    )
    return f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{body}</sheetData>{merges}</worksheet>'


def frame_rows(df: pd.DataFrame) -> list[list]:
    return [list(df.columns)] + [[None if pd.isna(v) else v for v in r] for r in df.itertuples(index=False)]


def xlsx(
    sheets: list[tuple],
    shared: list[str] | Deflated | None = None,
    date1904: bool = False,
    extra: dict | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """A workbook from raw parts. sheets: (name, state, rows or sheet XML or Deflated sheet XML)."""
    entries, rels, parts = [], [], {}
    for i, (name, state, content) in enumerate(sheets, 1):
        st = "" if state == "visible" else f' state="{state}"'
        entries.append(f'<sheet name={quoteattr(name)} sheetId="{i}"{st} r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(content) if isinstance(content, list) else content
    if shared is not None:
        rels.append(f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
        parts["xl/sharedStrings.xml"] = (
            shared
            if isinstance(shared, Deflated)
            else (
                f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">'
                + "".join(f"<si><t>{escape(t)}</t></si>" for t in shared)
                + "</sst>"
            )
        )
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    kinds = {"workbook.xml": "sheet.main", "sharedStrings.xml": "sharedStrings", "styles.xml": "styles"}
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        f'{"worksheet" if "/worksheets/" in name else kinds[name.rsplit("/", 1)[-1]]}+xml"/>'
        for name in ["xl/workbook.xml", *parts, *(extra or {})]
        if name.rsplit("/", 1)[-1] in kinds or "/worksheets/" in name
    )
    head = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/>{overrides}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{pr}'
        f"<sheets>{''.join(entries)}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL_NS}">'
        f"{''.join(rels)}</Relationships>",
    }
    all_parts = {k: v for k, v in {**head, **parts, **(extra or {})}.items() if k not in drop}
    return zip_parts(all_parts)


def entity_bomb_xlsx() -> bytes:
    """A minimal .xlsx whose sheet XML declares entities (a 'billion laughs' bomb)."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<worksheet xmlns="{MAIN_NS}">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return xlsx([("数据", "visible", bomb)])


def external_entity_xlsx() -> bytes:
    """A sheet whose XML asks for a local file through an external entity (XXE)."""
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is>'
        "</c></row></sheetData></worksheet>"
    )
    return xlsx([("数据", "visible", xxe)])


# -- the bombs (written on the fly; each is small on disk and enormous once read naively) ----------


def dimension_bomb(rows: list[list]) -> bytes:
    """A few real rows under a <dimension> declaring the whole sheet (A1:XFD1048576), and one empty
    formatted cell in its last corner: a reader that pads to the declared size builds 1 M × 16 384 cells."""
    xml = sheet_xml(rows, dimension="A1:XFD1048576").replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
    )
    return xlsx([("数据", "visible", xml)])


def zip_bomb(rows: int = 24_000_000) -> bytes:
    """One sheet of millions of one-cell rows (no row numbers), ~1 MB zipped, ~600 MB unzipped."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    chunk = b"<row><c><v>1</v></c></row>" * 100_000
    return xlsx([("数据", "visible", deflate_repeated(chunk, rows // 100_000, head, b"</sheetData></worksheet>"))])


def shared_string_bomb(count: int = 36_000_000) -> bytes:
    """A shared-string table of tens of millions of one-letter strings (~600 KB zipped, ~600 MB unzipped)."""
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">'.encode()
    sst = deflate_repeated(b"<si><t>a</t></si>" * 100_000, count // 100_000, head, b"</sst>")
    return xlsx([("数据", "visible", [["a"]])], shared=sst)


def many_strings_xlsx(count: int = 1_100_000) -> bytes:
    """More distinct texts than the shared-string cap (each string different: compresses normally)."""
    return xlsx([("数据", "visible", [["a"]])], shared=[f"企业{i}" for i in range(count)])


@functools.cache
def million_rows_xlsx(rows: int = 1_000_000) -> bytes:
    """A plain sheet of a million numbered rows of three cells (~3 MB zipped, ~100 MB unzipped)."""
    body = "".join(
        f'<row r="{i}"><c><v>{i % 10}</v></c><c><v>2.5</v></c><c t="inlineStr"><is><t>企业</t></is></c></row>'
        for i in range(1, rows + 1)
    )
    return xlsx(
        [
            (
                "数据",
                "visible",
                f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData></worksheet>',
            )
        ]
    )


@functools.cache
def ten_million_lines_csv() -> bytes:
    """10 M short lines, just under the 20 MB upload cap."""
    return "统一社会信用代码\n".encode("utf-8") + b"1\n" * 9_999_990


def many_parts_xlsx(parts: int = 10_001) -> bytes:
    """A zip with more parts than any workbook has."""
    return zip_parts({f"xl/media/p{i}.xml": "" for i in range(parts)})


def corrupt_sheet(data: bytes) -> bytes:
    """The same zip with a byte in the middle of the sheet's compressed data changed."""
    at = data.index(b"xl/worksheets/sheet1.xml")  # the local header's name; the data follow it
    size = struct.unpack("<I", data[at - 12 : at - 8])[0]
    middle = at + len(b"xl/worksheets/sheet1.xml") + size // 2
    return data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1 :]


TRADITIONAL = {
    "统一社会信用代码": "統一社會信用代碼",
    "工业总产值（万元）": "工業總產值（萬元）",
    "工业增加值（万元）": "工業增加值（萬元）",
    "营业收入（万元）": "營業收入（萬元）",
    "实缴税金（万元）": "實繳稅金（萬元）",
    "综合能耗（吨标准煤）": "綜合能耗（噸標準煤）",
    "主要污染物排放（吨）": "主要污染物排放（噸）",
    "用电量（万千瓦时）": "用電量（萬千瓦時）",
    "从业人员期末人数（人）": "從業人員期末人數（人）",
    "R&D经费支出（万元）": "R&D經費支出（萬元）",
}


def big5_csv(m: pd.DataFrame) -> bytes:
    """The month file as a Traditional-Chinese clerk's Excel saves it: headers in 繁体, Big5 (cp950)."""
    return m.rename(columns=TRADITIONAL).to_csv(index=False).encode("cp950")


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
        (
            "03_列名拼写错误.csv",
            m.rename(columns={h["output_wan"]: "工业总产值(万)"}),
            "是否应为「工业总产值（万元）」",
            None,
            None,
        ),
        ("04_数字单元格含文字.csv", _set(m, 0, h["output_wan"], "一百"), "应为数字", None, None),
        ("05_数字带单位.xlsx", _set(m, 1, h["tax_wan"], "123万元"), "应为数字", None, None),
        ("06_产值为负.csv", _set(m, 2, h["output_wan"], -5), "不能为负数", None, None),
        ("07_月份超出范围.csv", _set(m, 0, h["month"], 13), "数值超出合理范围", None, None),
        ("08_月份在未来.csv", _set(_set(m, 0, h["year"], 2099), 0, h["month"], 1), "报告期在未来", None, None),
        ("09_必填项为空.csv", _set(m, 3, h["employees"], None), "必填项为空", None, None),
        ("10_主键重复.csv", pd.concat([m, m.head(1)], ignore_index=True), "主键与第 2 行重复", None, None),
        ("11_未知企业.csv", _set(m, 0, h["ent_id"], "91330824XXXXXXXXXX"), "未知的企业", None, None),
        (
            "12_累计与各月不符.csv",
            m.assign(**{SPECS["enterprise_month"].col("output_wan").ytd_header: 1.0}),
            "累计值与1—10月",
            None,
            None,
        ),
        ("13_增加值大于产值.csv", _set(m, 0, h["value_added_wan"], 10_000_000), "增加值大于工业总产值", None, None),
        ("14_整数带小数.csv", _set(m, 0, h["employees"], 12.5), "应为整数", None, None),
        ("15_列名重复.csv", None, "列名重复", None, None),
        ("16_只有表头.csv", m.head(0), "文件中没有数据行", None, None),
        ("17_无法识别数据表.csv", pd.DataFrame({"甲": [1], "乙": [2], "丙": [3]}), "无法识别数据表", None, None),
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
        (
            "26_隐患发现日期在未来.csv",
            _set(_set(hz, 1, hh["found_date"], "2099-01-01"), 1, hh["deadline"], "2099-02-01"),
            "日期在未来",
            "hazards",
            None,
        ),
        ("27_隐患等级不合法.csv", _set(hz, 2, hh["level"], "特大"), "取值不在允许范围内", "hazards", None),
        ("28_未知片区.csv", _set(hz, 0, hh["area_code"], "Z99"), "未知的片区代码", "hazards", None),
        ("29_整改期限早于发现.csv", _set(hz, 0, hh["deadline"], "2000-01-01"), "早于发现日期", "hazards", None),
    ]
    en, he = base_enterprises(), headers("enterprises")
    cases += [
        ("30_未知行业代码.csv", _set(en, 0, he["sector_code"], "99"), "未知的行业代码", "enterprises", None),
        ("31_用地面积超范围.csv", _set(en, 0, he["land_mu"], 99999), "数值超出合理范围", "enterprises", None),
        ("32_信用代码格式.csv", _set(en, 1, he["ent_id"], "1234"), "统一社会信用代码应为 18 位", "enterprises", None),
        ("33_是否填写错误.csv", _set(en, 0, he["is_above_scale"], "也许"), "应填“是”或“否”", "enterprises", None),
    ]
    pr, hp = base_projects(), headers("projects")
    cases += [
        (
            "34_阶段日期倒序.csv",
            _set(_set(pr, 0, hp["date_sign"], "2023-06-01"), 0, hp["date_start"], "2023-01-01"),
            "阶段日期应依次",
            "projects",
            None,
        ),
        (
            "35_未知项目.csv",
            _set(base_project_month(), 0, headers("project_month")["project_id"], "XM-无"),
            "未知的项目编号",
            "project_month",
            None,
        ),
    ]
    rows = frame_rows(m)
    neg = frame_rows(_set(m, 0, h["output_wan"], -5))
    bad_ent = frame_rows(_set(m, 1, h["ent_id"], "91330824XXXXXXXXXX"))
    month_xlsx = xlsx([("数据", "visible", rows)])
    hz_rows = frame_rows(hz)
    hz_rows[1][list(hz.columns).index(hh["found_date"])] = ("d", "2024-13-45")
    col = {c: i for i, c in enumerate(m.columns)}

    def with_cell(r: int, column: str, value) -> list[list]:
        out_rows = [list(x) for x in rows]
        out_rows[r][col[column]] = value
        return out_rows

    def merged_year() -> bytes:
        body = [list(x) for x in rows]
        for r in body[2:]:
            r[col[h["year"]]] = None  # B2:B6 merged: only B2 keeps the value
        return xlsx([("数据", "visible", sheet_xml(body, merged=("B2:B6",)))])

    def csv_text(text: str, encoding: str = "utf-8") -> bytes:
        return text.encode(encoding)

    month_csv = m.to_csv(index=False)
    lines = month_csv.split("\n")
    unclosed = "\n".join(lines[:2] + [lines[2].replace(",", ',"', 1)] + lines[3:]) + "x" * 200_000
    raw_cases: list[tuple] = [
        ("36_维度炸弹.xlsx", lambda: dimension_bomb(neg), "不能为负数", None, None),
        ("37_压缩炸弹.xlsx", zip_bomb, "行数过多", None, None),
        ("38_共享字符串炸弹.xlsx", shared_string_bomb, "文件解压后过大", None, None),
        ("39_共享字符串过多.xlsx", many_strings_xlsx, "文本内容过多", None, None),
        ("40_一千万行.csv", ten_million_lines_csv, "行数过多", None, None),
        ("41_一百万行.xlsx", million_rows_xlsx, "行数过多", None, None),
        (
            "42_首个工作表隐藏.xlsx",
            lambda: xlsx([("数据", "hidden", rows), ("月报", "visible", neg)]),
            "不能为负数",
            None,
            None,
        ),
        (
            "43_隐藏数据表在月报后.xlsx",
            lambda: xlsx([("月报", "visible", bad_ent), ("数据", "veryHidden", rows)]),
            "未知的企业",
            None,
            None,
        ),
        (
            "44_数值单元格含字母O.xlsx",
            lambda: xlsx([("数据", "visible", with_cell(1, h["output_wan"], ("n", "12,3O")))]),
            "千分位逗号位置不对",
            None,
            None,
        ),
        (
            "45_数值单元格为NaN.xlsx",
            lambda: xlsx([("数据", "visible", with_cell(2, h["tax_wan"], ("n", "NaN")))]),
            "应为数字",
            None,
            None,
        ),
        ("46_日期单元格不存在.xlsx", lambda: xlsx([("数据", "visible", hz_rows)]), "日期不存在", "hazards", None),
        ("47_引号未闭合.csv", lambda: csv_text(unclosed), "引号没有闭合", None, None),
        ("48_Big5编码.csv", lambda: big5_csv(m), "Big5", None, None),
        (
            "49_标题行在表头上方.xlsx",
            lambda: xlsx([("数据", "visible", [["2024年10月规上工业企业月报"], []] + neg)]),
            "不能为负数",
            None,
            None,
        ),
        ("50_合并单元格.xlsx", merged_year, "必填项为空", None, None),
        (
            "51_单元格过长.csv",
            lambda: csv_text(month_csv.replace("\n9133", "\n" + "长" * 12_000 + "9133", 1)),
            "单元格内容过长",
            None,
            None,
        ),
        (
            "52_列数过多.csv",
            lambda: csv_text(",".join(f"列{i}" for i in range(300)) + "\n" + "1," * 299 + "1\n"),
            "列数过多",
            None,
            None,
        ),
        (
            "53_最右列有内容.xlsx",
            lambda: xlsx([("数据", "visible", rows[:2] + [rows[2] + [None] * 16_370 + ["x"]])]),
            "列数过多",
            None,
            None,
        ),
        (
            "54_解析超时.xlsx",
            million_rows_xlsx,
            "解析超时",
            None,
            Limits(max_rows=2_000_000, max_cells=10_000_000, timeout_s=0.5),
        ),
        (
            "55_内存超限.csv",
            ten_million_lines_csv,
            "内存超限",
            None,
            Limits(max_rows=20_000_000, max_cells=50_000_000, max_memory_bytes=80 * 1024 * 1024),
        ),
        ("56_部件过多.xlsx", many_parts_xlsx, "部件", None, None),
        ("57_XML格式错误.xlsx", lambda: xlsx([("数据", "visible", sheet_xml(rows)[:-40])]), "XML 格式错误", None, None),
        (
            "58_伪装成xlsx的旧版xls.xlsx",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "旧版 .xls",
            None,
            None,
        ),
        ("59_UTF16编码.csv", lambda: month_csv.encode("utf-16"), "UTF-16", None, None),
        (
            "60_共享字符串索引越界.xlsx",
            lambda: xlsx([("数据", "visible", with_cell(1, h["ent_id"], ("s", "7")))], shared=["甲"]),
            "不存在的共享字符串",
            None,
            None,
        ),
        (
            "61_工作表都无法识别.xlsx",
            lambda: xlsx([("说明", "visible", [["填写说明"]]), ("表1", "visible", [["甲", "乙"]])]),
            "未找到可导入的工作表",
            None,
            None,
        ),
        (
            "62_两张数据表.xlsx",
            lambda: xlsx([("十月", "visible", rows), ("九月", "visible", rows)]),
            "有多个工作表像是数据表",
            None,
            None,
        ),
        ("63_没有可见工作表.xlsx", lambda: xlsx([("数据", "hidden", rows)]), "没有可见的工作表", None, None),
        (
            "64_引号后多字符.csv",
            lambda: csv_text(month_csv.replace("\n9133", '\n"9133"X', 1)),
            "引号用法不正确",
            None,
            None,
        ),
        ("65_压缩数据校验和不符.xlsx", lambda: corrupt_sheet(month_xlsx), "已损坏", None, None),
        (
            "66_错误值REF.xlsx",
            lambda: xlsx([("数据", "visible", with_cell(3, h["output_wan"], ("e", "#REF!")))]),
            "Excel 错误值",
            None,
            None,
        ),
        (
            "67_逻辑值当作人数.xlsx",
            lambda: xlsx([("数据", "visible", with_cell(1, h["employees"], True))]),
            "应为数字",
            None,
            None,
        ),
        (
            "68_已加密.xlsx",
            lambda: zip_parts({"xl/workbook.xml": "x", "_rels/.rels": "x"}, flags=0x1),
            "已加密",
            None,
            None,
        ),
        ("69_解压总量超限.xlsx", lambda: month_xlsx, "文件解压后过大", None, Limits(max_unzipped_bytes=2_000)),
        ("70_单个部件超限.xlsx", lambda: month_xlsx, "文件解压后过大", None, Limits(max_part_bytes=1_500)),
        (
            "71_缺少工作簿目录.xlsx",
            lambda: xlsx([("数据", "visible", rows)], drop=("xl/workbook.xml",)),
            "缺少部件",
            None,
            None,
        ),
        ("72_数据表为空.xlsx", lambda: xlsx([("数据", "visible", [])]), "没有表头", None, None),
        ("73_外部实体.xlsx", external_entity_xlsx, "不安全的 XML", None, None),
        ("74_单元格过多.xlsx", lambda: month_xlsx, "单元格过多", None, Limits(max_cells=20)),
        (
            "75_单元格含NaN.csv",
            lambda: csv_text(month_csv.replace(",2024,10,", ",2024,NaN,", 1)),
            "应为数字",
            None,
            None,
        ),
        ("76_扩展名是csv的工作簿.csv", lambda: month_xlsx, "扩展名却是 .csv", None, None),
        ("77_扩展名是xlsx的文本.xlsx", lambda: csv_text(month_csv, "gb18030"), "扩展名却是 .xlsx", None, None),
    ]
    cases += raw_cases
    written = []
    for name, df, expected, table, limits in cases:
        path = out / name
        if name.startswith("15_"):
            text = m.to_csv(index=False)
            first, rest = text.split("\n", 1)
            cols = first.split(",")
            path.write_text(
                first + "," + cols[1] + "\n" + "\n".join(line + ",x" for line in rest.strip().split("\n")) + "\n",
                encoding="utf-8-sig",
            )
        elif name.startswith("20_"):
            path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
        elif name.startswith("21_"):
            path.write_bytes(b"")
        elif name.startswith("22_"):
            path.write_bytes(b"PK\x03\x04 this is not really a workbook")
        elif name.startswith("23_"):
            path.write_bytes(entity_bomb_xlsx())
        elif callable(df):
            path.write_bytes(df())
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
