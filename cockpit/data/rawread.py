"""Bounded reading of .xlsx and .csv files into raw rows, in a child process (standard library only).

`cockpit.data.reader` starts this file as a script (`python -I -S rawread.py PARAMS`) with the upload on stdin;
the child limits its own address space and CPU time, reads, and writes one pickled answer to stdout:
    ("ok", {"sheets": [...], "hidden": [...], ...})      or      ("rejected", message, detail)
Every cap is checked while reading, never after: bytes decompressed (per part and in total) and the
compression ratio, rows, columns, cell length, shared strings (count and characters), cells in total.
.xlsx is streamed part by part through expat with document type declarations refused (no entities,
no external references); the declared <dimension> is ignored and no padded grid is built.

Only the standard library is imported here, so the child starts in a few tens of milliseconds and
pulls no third-party code into the process that touches an untrusted file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
import os
import pickle
import posixpath
import re
import struct
import sys
import zlib
from pyexpat import ExpatError, ParserCreate
from pyexpat import errors as expat_errors

MEMORY_EXIT = 3  # exit status when the address-space limit was hit (MemoryError)
CHUNK = 1 << 16
MAX_PARTS = 10_000  # an .xlsx of a few sheets has a few dozen parts
EXCEL_MAX_COLS = 16_384


class Reject(Exception):
    """The file is refused; the message is Chinese and names where (sheet, row, column) when known."""

    def __init__(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ):
        super().__init__(message)
        self.detail = {
            "sheet": sheet,
            "row": row,
            "column": column,
            "value": None if value is None else str(value)[:100],
        }


def col_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


# -- limits ----------------------------------------------------------------------------------------


class Budget:
    """The caps of one reading (plain numbers from the parent's Limits) and the running counts."""

    def __init__(self, p: dict):
        self.max_rows = int(p["max_rows"])
        self.max_row_number = self.max_rows + int(p.get("header_slack", 50))
        self.max_cols = int(p["max_cols"])
        self.max_cell_chars = int(p["max_cell_chars"])
        self.max_unzipped = int(p["max_unzipped_bytes"])
        self.max_part = int(p["max_part_bytes"])
        self.max_ratio = float(p["max_ratio"])
        self.ratio_floor = int(p.get("ratio_floor_bytes", 10 * 1048576))
        self.max_shared_strings = int(p["max_shared_strings"])
        self.max_shared_chars = int(p["max_shared_chars"])
        self.max_cells = int(p["max_cells"])
        self.unzipped = 0
        self.cells = 0
        self.csv = False

    def where(self, sheet: str) -> str:
        return "文件" if self.csv else f"工作表「{sheet}」"

    def too_many_rows(self, sheet: str) -> Reject:
        return Reject(
            f"行数过多：{self.where(sheet)}超过 {self.max_rows} 行（上限）。请删除表格下方的空行，或分批导入",
            sheet=sheet,
        )

    def too_many_cols(self, sheet: str, row: int, col: int) -> Reject:
        return Reject(
            f"列数过多：{self.where(sheet)}第 {row} 行第 {col_letter(col)} 列有内容，"
            f"超过 {self.max_cols} 列（上限 {self.max_cols} 列）",
            sheet=sheet,
            row=row,
            column=col_letter(col),
        )

    def cell_too_long(self, sheet: str, row: int | None, col: int | None, text: str) -> Reject:
        at = f"第 {row} 行" + (f" {col_letter(col)} 列" if col else "的单元格") if row else "有单元格"
        return Reject(
            f"单元格内容过长：{self.where(sheet)}{at}超过 {self.max_cell_chars} 字（上限 {self.max_cell_chars} 字）",
            sheet=sheet,
            row=row,
            column=col_letter(col) if col else None,
            value=text[:50] + "…",
        )

    def count_cells(self, n: int, sheet: str) -> None:
        self.cells += n
        if self.cells > self.max_cells:
            raise Reject(f"单元格过多：文件中有内容的单元格超过 {self.max_cells} 个（上限），请分批导入", sheet=sheet)


# -- .csv ------------------------------------------------------------------------------------------


def _encoding(data: bytes) -> str:
    """utf-8 or gb18030 (whichever decodes the whole file); UTF-16 and undecodable files are refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Reject("文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”")
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)  # checked once; the lines are decoded one at a time while reading
            return encoding
        except UnicodeDecodeError:
            continue
    raise Reject("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def looks_big5(data: bytes) -> bool:
    """True when bytes read as GB18030 give mostly characters outside GB2312 (rare in real text)
    while the same bytes read as Big5 give mostly the frequent characters (Big5 level 1, A440–C67E):
    a Traditional-Chinese CSV saved by Excel on a Big5 (cp950) system."""
    sample = data[:65536]
    if len(data) > len(sample):
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        big5 = sample.decode("cp950")
    except UnicodeDecodeError:
        return False
    gb = [c for c in sample.decode("gb18030", errors="replace") if _is_cjk(c)]
    if len(gb) < 2:
        return False
    rare = 0
    for c in gb:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    if rare / len(gb) < 0.25:
        return False
    b5 = [c for c in big5 if _is_cjk(c)]
    frequent = sum(1 for c in b5 if 0xA440 <= int.from_bytes(c.encode("cp950"), "big") <= 0xC67E)
    return bool(b5) and frequent / len(b5) >= 0.8


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a line with its end: CRLF, LF or CR


class _Lines:
    """Decoded lines of the file for csv.reader (read one at a time from the bytes, never the whole
    text at once), remembering where the current record started."""

    def __init__(self, data: bytes, encoding: str, budget: Budget):
        if data[:3] == codecs.BOM_UTF8:
            data = data[3:]
        self._it = (m.group() for m in _LINE.finditer(data))
        self._encoding = encoding
        self.count = 0
        self.start = (1, "")
        self._mark = True
        self._budget = budget

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = next(self._it)
        self.count += 1
        if raw.count(b",") >= EXCEL_MAX_COLS:
            raise Reject(
                f"列数过多：文件第 {self.count} 行有 {raw.count(b',') + 1} 列（上限 {self._budget.max_cols} 列）",
                row=self.count,
            )
        line = raw.decode(self._encoding)
        if self._mark:
            self.start = (self.count, line[:80])
            self._mark = False
        return line

    def next_record(self) -> None:
        self._mark = True


def read_csv(data: bytes, name: str, budget: Budget) -> dict:
    import csv

    encoding = _encoding(data)
    budget.csv = True
    csv.field_size_limit(budget.max_cell_chars)
    lines = _Lines(data, encoding, budget)
    reader = csv.reader(lines, strict=True)
    rows: list[list] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_problem(str(exc), lines, name, budget) from None
        lines.next_record()
        while row and row[-1] == "":
            row.pop()
        if len(rows) >= budget.max_row_number:
            raise budget.too_many_rows(name)
        if len(row) > budget.max_cols:
            raise budget.too_many_cols(name, len(rows) + 1, len(row))
        budget.count_cells(len(row), name)
        rows.append(row)
    return {
        "sheets": [{"name": name, "rows": rows, "merged": [], "merged_count": 0}],
        "hidden": [],
        "encoding": encoding,
    }


def _csv_problem(reason: str, lines: _Lines, name: str, budget: Budget) -> Reject:
    line, text = lines.start
    if "field larger than field limit" in reason:
        if text.count('"') % 2 == 1:
            return Reject(
                f"第 {line} 行的引号没有闭合：从这个引号起直到文件末尾都被当作一个单元格。请检查该行的英文双引号",
                row=line,
                value=text,
            )
        return budget.cell_too_long(name, line, None, text)
    if "unexpected end of data" in reason or "EOF" in reason:
        return Reject(
            f"第 {line} 行的引号没有闭合：从这个引号起直到文件末尾都被当作一个单元格。请检查该行的英文双引号",
            row=line,
            value=text,
        )
    if "expected after" in reason:
        return Reject(f"第 {lines.count} 行引号用法不正确：右引号后应紧跟逗号或换行", row=lines.count, value=text)
    return Reject(f"第 {lines.count} 行无法按 CSV 格式读取", row=lines.count, value=text)


# -- .xlsx: the zip container -----------------------------------------------------------------------


def _zip_entries(data: bytes) -> int | None:
    """The number of entries the end-of-central-directory record declares (None when not found)."""
    tail = data[-65557:]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


class Package:
    """The .xlsx zip: parts by case-insensitive name, read in chunks with the byte caps applied."""

    def __init__(self, data: bytes, budget: Budget):
        if data[:4] == b"\xd0\xcf\x11\xe0":
            raise Reject("文件是旧版 .xls 格式或已设置打开密码：请在 Excel 中另存为 .xlsx（不加密）后再上传")
        if data[:2] != b"PK":
            raise Reject("无法读取 Excel 文件（文件损坏或不是 .xlsx 格式）")
        entries = _zip_entries(data)
        if entries is not None and entries > MAX_PARTS:
            raise Reject(f"文件结构异常：压缩包内有 {entries} 个部件（上限 {MAX_PARTS}），已拒绝")
        import zipfile

        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise Reject("无法读取 Excel 文件（文件损坏或不是 .xlsx 格式）") from None
        if len(infos) > MAX_PARTS:
            raise Reject(f"文件结构异常：压缩包内有 {len(infos)} 个部件（上限 {MAX_PARTS}），已拒绝")
        self.parts = {i.filename.lstrip("/").lower(): i for i in infos}
        self.data = data
        self.budget = budget

    def has(self, name: str) -> bool:
        return name.lower() in self.parts

    def chunks(self, name: str, label: str):
        """The part's bytes in chunks, inflated here (not by zipfile) so that the compressed bytes
        consumed are known at every step: stops with a Reject as soon as a byte cap or the
        compression ratio is passed, or the data do not match their checksum."""
        info = self.parts.get(name.lower())
        if info is None:
            raise Reject(f"无法读取 Excel 文件：缺少部件 {name}（文件损坏或不是 .xlsx 格式）")
        if info.flag_bits & 0x1:
            raise Reject("Excel 文件已加密：请取消密码后另存为 .xlsx 再上传")
        if info.compress_type not in (0, 8):
            raise Reject("无法读取 Excel 文件：使用了不支持的压缩方式，请用 Excel 另存为 .xlsx")
        damaged = Reject(f"无法读取 Excel 文件：{label}已损坏（压缩数据错误），请用 Excel 重新保存")
        h = info.header_offset
        if self.data[h : h + 4] != b"PK\x03\x04" or len(self.data) < h + 30:
            raise damaged
        name_len, extra_len = struct.unpack("<HH", self.data[h + 26 : h + 30])
        start = h + 30 + name_len + extra_len
        raw = memoryview(self.data)[start : start + info.compress_size]
        inflate = zlib.decompressobj(-15) if info.compress_type == 8 else None
        b, done, crc = self.budget, 0, 0
        try:
            for out, consumed in _inflated(raw, inflate):
                done += len(out)
                b.unzipped += len(out)
                self._check(label, done, max(consumed, 1))
                crc = zlib.crc32(out, crc)
                yield out
        except zlib.error:
            raise damaged from None
        if crc != info.CRC or (inflate is not None and not inflate.eof):
            raise damaged

    def _check(self, label: str, done: int, consumed: int) -> None:
        b = self.budget
        if done > b.max_part:
            raise Reject(f"文件解压后过大：{label}解压后超过 {_mb(b.max_part)}（上限），已停止读取")
        if b.unzipped > b.max_unzipped:
            raise Reject(f"文件解压后过大：解压后超过 {_mb(b.max_unzipped)}（上限），已停止读取")
        if done > b.ratio_floor and done / consumed > b.max_ratio:
            raise Reject(f"文件解压后过大：{label}的压缩比超过 {b.max_ratio:g} 倍（疑似压缩炸弹），已停止读取")

    def parse(self, name: str, label: str, handler) -> None:
        """Stream a part through expat into `handler` (start/end/text methods)."""
        parser = _parser(handler)
        try:
            for chunk in self.chunks(name, label):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except ExpatError as exc:
            if exc.code == expat_errors.codes[expat_errors.XML_ERROR_NO_MEMORY]:
                raise MemoryError from None
            raise Reject(
                f"无法读取 Excel 文件：{label}的 XML 格式错误（{exc.lineno} 行 {exc.offset} 列），文件可能已损坏"
            ) from None


def _inflated(raw: memoryview, inflate):
    """(output chunk, compressed bytes consumed so far) for a stored (inflate None) or deflated part."""
    pos, pending = 0, b""
    while True:
        if not pending:
            if pos >= len(raw):
                break
            pending = raw[pos : pos + CHUNK]
            pos += len(pending)
        if inflate is None:
            out, pending = bytes(pending), b""
        else:
            before = len(pending)
            out = inflate.decompress(pending, CHUNK)
            pending = inflate.unconsumed_tail
            if not out and len(pending) == before and not inflate.eof:
                raise zlib.error("no progress")
        if out:
            yield out, pos - len(pending)
        if inflate is not None and inflate.eof:
            return
    if inflate is not None:
        tail = inflate.flush()
        if tail:
            yield tail, pos


def _refuse_dtd(*_args):
    raise Reject("无法读取 Excel 文件：含有不安全的 XML 内容（文档类型或实体声明），已拒绝")


def _parser(handler):
    p = ParserCreate()
    p.buffer_text = True
    p.buffer_size = CHUNK
    p.StartDoctypeDeclHandler = _refuse_dtd
    p.EntityDeclHandler = _refuse_dtd
    p.StartElementHandler = handler.start
    p.EndElementHandler = handler.end
    p.CharacterDataHandler = handler.text
    return p


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


class _Collect:
    """Base handler: element names without prefix; text gathered only when asked."""

    def __init__(self):
        self.parts: list[str] | None = None

    def start(self, name, attrs):
        pass

    def end(self, name):
        pass

    def text(self, data):
        if self.parts is not None:
            self.parts.append(data)


class _Rels(_Collect):
    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.by_id: dict[str, tuple[str, str]] = {}

    def start(self, name, attrs):
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(self.base, target)
            self.by_id[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))


class _Workbook(_Collect):
    def __init__(self):
        super().__init__()
        self.sheets: list[tuple[str, str, str]] = []  # name, state, relationship id
        self.date1904 = False

    def start(self, name, attrs):
        tag = _local(name)
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id" and k != "id"), "")
            self.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")


# built-in number formats that show a date (ids from ECMA-376 and the zh-CN locale); times stay numbers
_DATE_FORMAT_IDS = {14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_DATE_LETTER = re.compile(r"[yde]")


def is_date_format(code: str) -> bool:
    """A custom number format that shows a date: y, d or e (year) outside quotes, escapes and [..]."""
    stripped = _FORMAT_NOISE.sub("", code.split(";")[0]).lower()
    return "general" not in stripped and bool(_DATE_LETTER.search(stripped.replace("e+", "").replace("e-", "")))


class _Styles(_Collect):
    def __init__(self):
        super().__init__()
        self.custom: dict[int, str] = {}
        self.xf_formats: list[int] = []
        self.in_cell_xfs = False

    def start(self, name, attrs):
        tag = _local(name)
        if tag == "numFmt":
            try:
                self.custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif tag == "cellXfs":
            self.in_cell_xfs = True
        elif tag == "xf" and self.in_cell_xfs:
            try:
                self.xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                self.xf_formats.append(0)

    def end(self, name):
        if _local(name) == "cellXfs":
            self.in_cell_xfs = False

    def date_styles(self) -> set[int]:
        out = set()
        for i, fid in enumerate(self.xf_formats):
            if fid in self.custom:
                if is_date_format(self.custom[fid]):
                    out.add(i)
            elif fid in _DATE_FORMAT_IDS:
                out.add(i)
        return out


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


class _SharedStrings(_Collect):
    """<si> texts (rich-text runs joined, phonetic runs left out), with count and size caps."""

    def __init__(self, budget: Budget):
        super().__init__()
        self.strings: list[str] = []
        self.budget = budget
        self.chars = 0
        self.si: list[str] | None = None
        self.in_rph = 0
        self.size = 0

    def start(self, name, attrs):
        tag = _local(name)
        if tag == "si":
            self.si = []
            self.size = 0
        elif tag == "t" and self.si is not None and not self.in_rph:
            self.parts = self.si
        elif tag == "rPh":
            self.in_rph += 1

    def text(self, data):
        if self.parts is not None:
            self.parts.append(data)
            self.size += len(data)
            if self.size > self.budget.max_cell_chars:
                raise self.budget.cell_too_long("共享字符串", None, None, "".join(self.parts))

    def end(self, name):
        tag = _local(name)
        if tag == "t":
            self.parts = None
        elif tag == "rPh":
            self.in_rph -= 1
        elif tag == "si" and self.si is not None:
            s = _unescape("".join(self.si))
            self.si = None
            b = self.budget
            self.chars += len(s)
            if len(self.strings) >= b.max_shared_strings:
                raise Reject(f"文本内容过多：共享字符串超过 {b.max_shared_strings} 个（上限），已停止读取")
            if self.chars > b.max_shared_chars:
                raise Reject(f"文本内容过多：共享字符串总长度超过 {b.max_shared_chars} 字（上限），已停止读取")
            self.strings.append(s)


_INT = re.compile(r"[+-]?\d{1,18}\Z")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def number(text: str):
    """A numeric cell's stored text as int or float; the text itself when it is not a finite number
    (e.g. "12,3O" or "NaN" written into a numeric cell by another program): validation reports it."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        v = float(text)
        if math.isfinite(v):
            return v
    return text


def excel_date(serial, date1904: bool):
    """An Excel serial day number in a date format as a datetime; the number when it is no date
    (before 1900-01-01, the non-existent 1900-02-29, after 9999-12-31)."""
    if isinstance(serial, str) or serial < 1 or serial > 2958465 or (not date1904 and 60 <= serial < 61):
        return serial
    if date1904:
        base = _EPOCH_1904
    else:
        base = _EPOCH_1900 if serial >= 61 else _EPOCH_1900 + dt.timedelta(days=1)
    days = int(serial)
    millis = round((serial - days) * 86_400_000)
    return base + dt.timedelta(days=days, milliseconds=millis)


def iso_date(text: str):
    """A t="d" cell (ISO 8601) as a datetime; the text when it is no valid date (e.g. 2024-13-45)."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    return value.replace(tzinfo=None)


class _Sheet(_Collect):
    """One worksheet's cells with values, row by row. rows[i] is Excel row i + 1 (blank rows are []).
    The handlers run once per element of a sheet that may hold millions: kept short on purpose."""

    def __init__(self, name: str, sst: list[str], date_styles: set[int], date1904: bool, budget: Budget):
        super().__init__()
        self.name = name
        self.sst = sst
        self.date_styles = date_styles
        self.date1904 = date1904
        self.b = budget
        self.max_chars = budget.max_cell_chars
        self.rows: list[list] = []
        self.row: list | None = None
        self.rownum = 0
        self.rows_seen = 0
        self.col = 0
        self.ctype = "n"
        self.cstyle = None
        self.in_v = False
        self.vtext: str | None = None
        self.in_is = False
        self.in_rph = 0
        self.is_parts: list[str] | None = None
        self.size = 0
        self.merged: list[str] = []
        self.merged_count = 0
        self.colcache: dict[str, int] = {}

    def start(self, name, attrs):
        tag = name if ":" not in name else _local(name)
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = self.colcache.get(letters)
                if col is None:
                    col = self.colcache[letters] = col_index(letters) if letters.isalpha() else self.col + 1
            else:
                col = self.col + 1
            self.col = col
            self.ctype = attrs.get("t", "n")
            self.cstyle = attrs.get("s")
            self.vtext = None
        elif tag == "v":
            self.in_v = True
        elif tag == "row":
            r = attrs.get("r")
            self.rownum = int(r) if r and r.isdigit() else self.rownum + 1
            self.rows_seen += 1
            if self.rows_seen > self.b.max_row_number or self.rownum > 1_048_576:
                raise self.b.too_many_rows(self.name)
            self.col = 0
            self.row = None
        elif tag == "is":
            self.in_is = True
            self.is_parts = []
            self.size = 0
        elif tag == "t" and self.in_is and not self.in_rph:
            self.parts = self.is_parts
        elif tag == "rPh":
            self.in_rph += 1
        elif tag == "mergeCell":
            self.merged_count += 1
            if len(self.merged) < 50:
                self.merged.append(attrs.get("ref", ""))

    def text(self, data):
        if self.in_v:
            text = data if self.vtext is None else self.vtext + data
            self.vtext = text
            if len(text) > self.max_chars:
                raise self.b.cell_too_long(self.name, self.rownum, self.col, text)
        elif self.parts is not None:
            self.parts.append(data)
            self.size += len(data)
            if self.size > self.max_chars:
                raise self.b.cell_too_long(self.name, self.rownum, self.col, "".join(self.parts))

    def end(self, name):
        tag = name if ":" not in name else _local(name)
        if tag == "v":
            self.in_v = False
        elif tag == "c":
            t = self.ctype
            text = self.vtext
            if t == "n":
                if not text:  # no <v>, or an empty one (a formula never calculated)
                    return
                value = number(text)
                if self.cstyle is not None and self.date_styles and value.__class__ is not str:
                    value = self._date(value)
            elif t == "inlineStr":
                if self.is_parts is None:
                    return
                value = _unescape("".join(self.is_parts))
                self.is_parts = None
            elif not text:
                return
            else:
                value = self._value(t, text)
            # the cell goes into its row (the common case, the next column, first)
            row = self.row
            col = self.col
            if row is not None and col == len(row) + 1 and col <= self.b.max_cols:
                row.append(value)
                self.b.cells += 1
                if self.b.cells > self.b.max_cells:
                    self.b.count_cells(0, self.name)
            else:
                self._put(value)
        elif tag == "is":
            self.in_is = False
            self.parts = None
        elif tag == "t" and self.in_is:
            self.parts = None
        elif tag == "rPh":
            self.in_rph -= 1

    def _date(self, value):
        try:
            styled = int(self.cstyle) in self.date_styles
        except ValueError:
            return value
        return excel_date(value, self.date1904) if styled else value

    def _value(self, t: str, text: str):
        if t == "s":
            try:
                return self.sst[int(text)]
            except (ValueError, IndexError):
                raise Reject(
                    f"无法读取 Excel 文件：工作表「{self.name}」第 {self.rownum} 行 {col_letter(self.col)} 列"
                    "引用了不存在的共享字符串（文件可能已损坏）",
                    sheet=self.name,
                    row=self.rownum,
                    column=col_letter(self.col),
                    value=text,
                ) from None
        if t == "b":
            return {"1": True, "0": False, "true": True, "false": False}.get(text.strip().lower(), text)
        if t == "d":
            return iso_date(text)
        return _unescape(text) if t == "str" else text  # "str" (formula text), "e" (#REF! …), unknown

    def _put(self, value) -> None:
        col, b = self.col, self.b
        if col > b.max_cols:
            raise b.too_many_cols(self.name, self.rownum, col)
        if self.row is None:
            if self.rownum > b.max_row_number:
                raise b.too_many_rows(self.name)
            rows = self.rows
            if self.rownum > len(rows):
                rows.extend([] for _ in range(self.rownum - len(rows)))
            self.row = rows[self.rownum - 1]
        row = self.row
        if col > len(row):
            row.extend([None] * (col - 1 - len(row)))
            row.append(value)
        else:
            row[col - 1] = value
        b.cells += 1
        if b.cells > b.max_cells:
            b.count_cells(0, self.name)


def read_xlsx(data: bytes, budget: Budget) -> dict:
    pkg = Package(data, budget)
    root = _Rels("")
    if pkg.has("_rels/.rels"):
        pkg.parse("_rels/.rels", "部件 _rels/.rels", root)
    book_path = next((p for t, p in root.by_id.values() if t.endswith("/officeDocument")), "xl/workbook.xml")
    workbook = _Workbook()
    pkg.parse(book_path, "工作簿目录", workbook)
    base = posixpath.dirname(book_path)
    rels = _Rels(base)
    rels_path = posixpath.join(base, "_rels", posixpath.basename(book_path) + ".rels")
    if pkg.has(rels_path):
        pkg.parse(rels_path, "工作簿关系表", rels)
    by_type = {t.rsplit("/", 1)[-1]: p for t, p in rels.by_id.values()}
    date_styles: set[int] = set()
    styles_path = by_type.get("styles")
    if styles_path and pkg.has(styles_path):
        styles = _Styles()
        pkg.parse(styles_path, "样式表", styles)
        date_styles = styles.date_styles()
    sst: list[str] = []
    sst_path = by_type.get("sharedStrings") or posixpath.join(base, "sharedStrings.xml")
    if pkg.has(sst_path):
        shared = _SharedStrings(budget)
        pkg.parse(sst_path, "共享字符串表", shared)
        sst = shared.strings
    sheets, hidden, other = [], [], []
    for name, state, rid in workbook.sheets:
        if state != "visible":
            hidden.append(name)
            continue
        kind, path = rels.by_id.get(rid, ("", ""))
        if not kind.endswith("/worksheet"):
            other.append(name)  # chart sheets, dialog sheets: nothing to import
            continue
        sheet = _Sheet(name, sst, date_styles, workbook.date1904, budget)
        pkg.parse(path, f"工作表「{name}」", sheet)
        sheets.append({"name": name, "rows": sheet.rows, "merged": sheet.merged, "merged_count": sheet.merged_count})
    return {"sheets": sheets, "hidden": hidden, "other": other}


# -- the child process -----------------------------------------------------------------------------


def read(data: bytes, kind: str, name: str, params: dict) -> dict:
    budget = Budget(params)
    if kind == "csv" and data[:4] == b"PK\x03\x04":
        raise Reject("文件内容是 Excel 工作簿，扩展名却是 .csv：请把扩展名改为 .xlsx 后再上传")
    if kind == "xlsx" and data[:4] != b"PK\x03\x04" and b"," in data[:4096] and b"\0" not in data[:4096]:
        raise Reject("文件内容是文本（CSV），扩展名却是 .xlsx：请把扩展名改为 .csv，或在 Excel 中另存为 .xlsx")
    if kind == "csv":
        result = read_csv(data, name, budget)
        result["big5"] = result["encoding"] == "gb18030" and looks_big5(data)
        return result
    return read_xlsx(data, budget)


def _limit_self(params: dict) -> None:
    import resource

    memory = int(params["max_memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, math.ceil(float(params["timeout_s"])))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        os.nice(5)  # the server's viewers come first (mildly: a busy machine must not starve an upload)
    except OSError:
        pass


def peak_kb(pid: str | int = "self") -> int:
    """Peak resident memory (VmHWM) of a process since it started this program; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _exit_reporting_peak(code: int) -> None:
    """Leave the peak memory on stderr for the parent (its last line), then exit."""
    try:
        os.write(2, b"\nVmHWM_KB=%d\n" % peak_kb())
    finally:
        os._exit(code)


def main() -> None:
    params = json.loads(sys.argv[1])
    _limit_self(params)
    out = sys.stdout.buffer
    try:
        data = sys.stdin.buffer.read(int(params["max_bytes"]) + 1)
        answer = ("ok", read(data, params["kind"], params["name"], params))
    except Reject as exc:
        answer = ("rejected", str(exc), exc.detail)
    except MemoryError:
        answer = None
    except Exception as exc:  # a file this reader does not foresee: still a message, never a traceback
        import traceback

        traceback.print_exc()
        answer = (
            "rejected",
            f"无法读取文件：文件内容异常（{type(exc).__name__}），请用 Excel 重新保存为 .xlsx 或 CSV 后再试",
            {},
        )
    if answer is None:
        _exit_reporting_peak(MEMORY_EXIT)
    try:
        pickler = pickle.Pickler(out, protocol=5)
        pickler.fast = True  # no memo: ten times faster on millions of cells (the answer has no cycles)
        pickler.dump(answer)
        out.flush()
    except MemoryError:
        _exit_reporting_peak(MEMORY_EXIT)
    _exit_reporting_peak(0)


if __name__ == "__main__":
    main()
