"""Reading uploaded files into raw cells: .xlsx workbooks (every sheet) and .csv files.

The interface the importer builds on:
    read_book(data, filename, limits) -> Book        every visible sheet's raw rows (a CSV is one sheet)
    read_table_file(data, filename, limits) -> DataFrame   the one sheet a single-table import reads
Both raise `Rejected` with a Chinese message when the file cannot be read at all (type, size, encoding,
empty, damaged). Cell values are Python values as stored (str, int, float, bool, datetime, None); typing
and validation happen in `cockpit.ingest`.
"""

from __future__ import annotations

import io
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cockpit.config import rules_path

DATA_SHEET = "数据"  # the sheet a template's data goes into


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000


def load_limits(path: Path | None = None) -> Limits:
    path = path or rules_path()
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("ingest", {}) if path.exists() else {}
    return Limits(max_bytes=int(raw.get("max_mb", 20) * 1024 * 1024),
                  max_rows=int(raw.get("max_rows", 200_000)))


class Rejected(Exception):
    """The file cannot be read at all (type, size, encoding, empty)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]                       # raw cell values, row by row, as stored


@dataclass
class Book:
    sheets: list[Sheet]                    # the visible sheets in workbook order (a CSV: one sheet)
    hidden: list[str] = field(default_factory=list)   # names of hidden sheets (not read)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def read_book(data: bytes, filename: str, limits: Limits = Limits()) -> Book:
    """Every visible sheet of an .xlsx (or the one table of a .csv) as raw rows."""
    if len(data) > limits.max_bytes:
        raise Rejected(f"文件过大：{_size(len(data))}，上限 {_size(limits.max_bytes)}")
    if not data.strip():
        raise Rejected("文件为空")
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return Book([Sheet(Path(filename).stem, _read_csv(data))])
    if suffix == ".xlsx":
        return _read_xlsx(data)
    raise Rejected(f"不支持的文件类型「{suffix or '无扩展名'}」：请上传 .xlsx 或 .csv 文件")


def read_table_file(data: bytes, filename: str, limits: Limits = Limits()) -> pd.DataFrame:
    """Raw cells (Python values, header row as columns) of the sheet a single-table import reads:
    the sheet named 数据 when there is one, else the first visible sheet."""
    book = read_book(data, filename, limits)
    if not book.sheets:
        raise Rejected("文件中没有可见的工作表")
    sheet = book.sheet(DATA_SHEET) or book.sheets[0]
    return table_frame(sheet.rows, limits)


def table_frame(rows: list[list], limits: Limits = Limits()) -> pd.DataFrame:
    """Rows (first non-blank row = header) as a DataFrame of raw values; repeated headers are marked."""
    rows = [r for r in rows if any(_blank(v) is False for v in r)]
    if not rows:
        raise Rejected("文件中没有表头")
    header = ["" if v is None else str(v).strip() for v in rows[0]]
    body = rows[1:]
    if len(body) > limits.max_rows:
        raise Rejected(f"行数过多：{len(body)} 行，上限 {limits.max_rows} 行")
    width = len(header)
    body = [list(r[:width]) + [None] * (width - len(r)) for r in body]
    return pd.DataFrame(body, columns=_dedupe(header), dtype=object)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.1f} KB"


def _dedupe(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}\u0000{n}")  # marks a repeated header (reported later)
    return out


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence it can map
        raise Rejected("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")
    import csv

    return [row for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> Book:
    import openpyxl  # reads through defusedxml when it is installed (it is a dependency)

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip errors, XML errors, entity bombs refused by defusedxml
        causes = {type(exc).__name__, type(exc.__cause__ or exc.__context__).__name__}
        if any("Forbidden" in name for name in causes):  # defusedxml: EntitiesForbidden, DTDForbidden …
            raise Rejected("无法读取 Excel 文件：含有不安全的 XML 内容（实体声明），已拒绝") from exc
        raise Rejected(f"无法读取 Excel 文件（文件损坏或不是 .xlsx 格式）：{type(exc).__name__}") from exc
    try:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
        return Book([Sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in visible],
                    hidden)
    finally:
        wb.close()


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())
