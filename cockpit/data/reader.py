"""Reading uploaded files into raw cells: .xlsx workbooks (visible sheets) and .csv files.

The interface the importer builds on:
    read_book(data, filename, limits, recognise=None) -> Book   every visible sheet's raw rows (a CSV is one sheet)
    read_table_file(data, filename, limits, recognise=None) -> DataFrame   the one sheet a single-table import reads
    table_frame(rows, limits, recognise=None, sheet=None) -> DataFrame    a sheet's rows as header + body
    Sheet.frame(limits, recognise) -> DataFrame                           the same for one sheet of a Book
    book_table(book, limits, recognise) -> DataFrame       read_table_file's choice from a Book already read
All raise `Rejected` with a Chinese message (and, when known, the sheet, row, column and value) when the file
cannot be read: type, size, encoding, damage, or one of the reading caps in `config/rules.toml` [ingest].
Cell values are Python values as stored (str, int, float, bool, datetime, None); typing and validation happen
in `cockpit.data.ingest`.

The file is parsed in a child process (`cockpit/data/rawread.py`, standard library only) that limits its own
address space and CPU time and is killed after a wall-clock timeout; every cap is checked while reading.
So no upload can take the server down: the 数据管理 page runs this same code inside the Streamlit process.

`recognise(header_cells) -> bool` comes from the importer (it knows the table declarations): it picks the
header row below title rows, and the sheet to read when a workbook has several visible sheets and none is
named 数据. Frames carry `attrs`: "sheet", "header_row" (Excel row of the header) and "notes" (plain
sentences for the clerk: title rows skipped, hidden sheets ignored, merged cells, columns without a header);
their index is the Excel row number of each data row.
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from cockpit.data.config import rules_section
from cockpit.data.rawread import MEMORY_EXIT, col_letter, peak_kb

DATA_SHEET = "数据"  # the sheet a template's data goes into
HEADER_SCAN = 20  # non-blank rows searched for the header (title rows above it are skipped)
BIG5_MESSAGE = "文件似乎是 Big5（繁体）编码，请另存为 UTF-8 或 GB18030"
MB = 1024 * 1024
log = logging.getLogger(__name__)

Recognise = Callable[[list], bool]


@dataclass(frozen=True)
class Limits:
    """Caps on one file. The caps on what is decompressed and parsed are checked while reading."""

    max_bytes: int = 20 * MB  # the file as uploaded
    max_rows: int = 200_000  # data rows of one sheet
    max_cols: int = 200  # columns with content
    max_cell_chars: int = 10_000  # characters in one cell
    max_unzipped_bytes: int = 200 * MB  # .xlsx: decompressed, all parts together
    max_part_bytes: int = 150 * MB  # .xlsx: decompressed, one part (sheet, shared strings …)
    max_ratio: float = 100.0  # .xlsx: decompressed / compressed, once a part passes 10 MB
    max_shared_strings: int = 1_000_000  # .xlsx: distinct texts
    max_shared_chars: int = 30_000_000  # .xlsx: characters of all distinct texts
    max_cells: int = 4_000_000  # cells with content, all sheets
    max_memory_bytes: int = 1024 * MB  # address space of the reading process
    timeout_s: float = 180.0  # wall clock (and CPU seconds) of the reading process


# rules.toml [ingest] key → (Limits field, factor)
_KEYS = {
    "max_mb": ("max_bytes", MB),
    "max_rows": ("max_rows", 1),
    "max_columns": ("max_cols", 1),
    "max_cell_chars": ("max_cell_chars", 1),
    "max_unzipped_mb": ("max_unzipped_bytes", MB),
    "max_part_mb": ("max_part_bytes", MB),
    "max_ratio": ("max_ratio", 1),
    "max_shared_strings": ("max_shared_strings", 1),
    "max_shared_chars": ("max_shared_chars", 1),
    "max_cells": ("max_cells", 1),
    "max_memory_mb": ("max_memory_bytes", MB),
    "timeout_s": ("timeout_s", 1),
}


def load_limits(path: Path | None = None) -> Limits:
    raw = rules_section("ingest", path)
    values = {}
    for key, (name, factor) in _KEYS.items():
        if key in raw:
            default = getattr(Limits, name)
            values[name] = type(default)(raw[key] * factor)
    return Limits(**values)


class Rejected(Exception):
    """The file cannot be read; the message is for the clerk. sheet/row/column/value say where, when known."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ):
        super().__init__(message)
        self.sheet, self.row, self.column, self.value = sheet, row, column, value


@dataclass
class Sheet:
    name: str
    rows: list[list]  # raw cell values; rows[i] is the sheet's row i + 1 ([] when blank)
    merged: list[str] = field(default_factory=list)  # merged ranges (first 50), e.g. "A1:F1"
    merged_count: int = 0

    def frame(self, limits: Limits = Limits(), recognise: Recognise | None = None) -> pd.DataFrame:
        """This sheet as header + body (see `table_frame`), its notes naming the sheet."""
        return table_frame(
            self.rows, limits, recognise=recognise, sheet=self.name, merged=self.merged, merged_count=self.merged_count
        )


@dataclass
class Book:
    sheets: list[Sheet]  # the visible worksheets in workbook order (a CSV: one sheet)
    hidden: list[str] = field(default_factory=list)  # names of hidden sheets (not read)
    notes: list[str] = field(default_factory=list)  # sentences for the clerk (hidden sheets ignored …)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


# -- the public functions --------------------------------------------------------------------------


def read_book(data: bytes, filename: str, limits: Limits = Limits(), *, recognise: Recognise | None = None) -> Book:
    """Every visible sheet of an .xlsx (or the one table of a .csv) as raw rows, read in a bounded child."""
    if len(data) > limits.max_bytes:
        raise Rejected(f"文件过大：{_size(len(data))}，上限 {_size(limits.max_bytes)}")
    if not data.strip():
        raise Rejected("文件为空")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Rejected(f"不支持的文件类型「{suffix or '无扩展名'}」：请上传 .xlsx 或 .csv 文件")
    kind = suffix[1:]
    payload = _run_child(data, kind, Path(filename).stem, limits)
    sheets = [Sheet(s["name"], s["rows"], s["merged"], s["merged_count"]) for s in payload["sheets"]]
    book = Book(sheets, payload.get("hidden", []))
    if book.hidden:
        book.notes.append(f"已忽略隐藏的工作表：{_names(book.hidden)}（只读取打开文件时能看到的工作表）")
    if payload.get("other"):
        book.notes.append(f"图表等非表格工作表未读取：{_names(payload['other'])}")
    if payload.get("big5") and (recognise is None or find_header(sheets[0].rows, recognise) is None):
        raise Rejected(BIG5_MESSAGE)
    return book


def read_table_file(
    data: bytes, filename: str, limits: Limits = Limits(), *, recognise: Recognise | None = None
) -> pd.DataFrame:
    """Raw cells (header row as columns, Excel row numbers as index) of the sheet a single-table import
    reads: the visible sheet named 数据, else the only visible sheet, else the only visible sheet whose
    header `recognise` accepts."""
    return book_table(read_book(data, filename, limits, recognise=recognise), limits, recognise)


def book_table(book: Book, limits: Limits = Limits(), recognise: Recognise | None = None) -> pd.DataFrame:
    """The table a single-table import reads, from a book already read (see `read_table_file`)."""
    sheet, why = choose_sheet(book, recognise)
    frame = sheet.frame(limits, recognise)
    frame.attrs["notes"] = book.notes + ([why] if why else []) + frame.attrs["notes"]
    return frame


def choose_sheet(book: Book, recognise: Recognise | None = None) -> tuple[Sheet, str]:
    """The sheet to import and, when it was picked among several, a note saying so."""
    hidden = f"（隐藏的工作表{_names(book.hidden)}不读取）" if book.hidden else ""
    if not book.sheets:
        raise Rejected(f"文件中没有可见的工作表{hidden}")
    named = book.sheet(DATA_SHEET)
    if named is not None or len(book.sheets) == 1:
        return named or book.sheets[0], ""
    visible = _names([s.name for s in book.sheets])
    if recognise is None:
        return book.sheets[0], f"读取第一个可见工作表「{book.sheets[0].name}」（可见工作表：{visible}）"
    found = [s for s in book.sheets if find_header(s.rows, recognise) is not None]
    if len(found) == 1:
        return found[0], f"读取工作表「{found[0].name}」（可见工作表：{visible}；只有它的表头可识别）"
    if not found:
        raise Rejected(
            f"未找到可导入的工作表：可见工作表{visible}都没有可识别的表头{hidden}。"
            "请把数据放在名为“数据”的工作表中，并使用模板的表头"
        )
    raise Rejected(
        f"有多个工作表像是数据表：{_names([s.name for s in found])}{hidden}。"
        "请把要导入的工作表命名为“数据”，或每个文件只保留一张数据表"
    )


def find_header(rows: list[list], recognise: Recognise) -> int | None:
    """Index of the first of the top HEADER_SCAN non-blank rows that `recognise` accepts."""
    seen = 0
    for i, row in enumerate(rows):
        if _blank_row(row):
            continue
        if recognise(_header_cells(row)):
            return i
        seen += 1
        if seen >= HEADER_SCAN:
            return None
    return None


def table_frame(
    rows: list[list],
    limits: Limits = Limits(),
    *,
    recognise: Recognise | None = None,
    sheet: str | None = None,
    merged: list[str] = (),
    merged_count: int = 0,
) -> pd.DataFrame:
    """Rows as a DataFrame of raw values: the header is the row `recognise` accepts (else the first
    non-blank row); blank rows are left out; the index is the Excel row number; repeated headers marked."""
    where = f"工作表「{sheet}」" if sheet else "文件"
    first = next((i for i, r in enumerate(rows) if not _blank_row(r)), None)
    if first is None:
        raise Rejected(f"{where}中没有表头", sheet=sheet)
    h = find_header(rows, recognise) if recognise else None
    h = first if h is None else h
    notes = []
    if h > first:
        titles = [_text(next(v for v in r if not _blank(v))) for r in rows[first:h] if not _blank_row(r)]
        shown = "」「".join(t[:30] for t in titles[:2]) + ("」等" if len(titles) > 2 else "」")
        notes.append(f"{where}的表头在第 {h + 1} 行：上方的标题行「{shown}已跳过")
    header = _header_cells(rows[h])
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    body, numbers, beyond = [], [], {}
    for i in range(h + 1, len(rows)):
        r = rows[i]
        if _blank_row(r):
            continue
        for j in range(width, len(r)):
            if not _blank(r[j]):
                beyond.setdefault(j + 1, i + 1)
        body.append(list(r[:width]) + [None] * (width - len(r)))
        numbers.append(i + 1)
    if len(body) > limits.max_rows:
        raise Rejected(f"行数过多：{len(body)} 行，上限 {limits.max_rows} 行", sheet=sheet)
    if beyond:
        cols = "、".join(f"{col_letter(c)} 列" for c in list(beyond)[:5])
        notes.append(f"{where}的 {cols}没有表头，其中的内容未读取（如第 {min(beyond.values())} 行）")
    spans = [m for m in merged if _last_row(m) > h]
    if spans:
        more = f" 等 {len(spans)} 处" if len(spans) > 1 else ""
        notes.append(f"{where}有合并单元格（{spans[0]}{more}）：合并区域只有左上角单元格有值，其余单元格按空白处理")
    frame = pd.DataFrame(
        body, columns=_dedupe(header), dtype=object, index=pd.Index(numbers, name="行号", dtype="int64")
    )
    frame.attrs.update({"sheet": sheet, "header_row": h + 1, "notes": notes})
    return frame


# -- the child process -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """What the last reading child of this thread cost (for tests and the benchmark)."""

    seconds: float
    peak_mb: float  # the child's peak resident memory since exec (VmHWM: its own report, else sampled)
    status: int  # exit code; negative: killed by that signal


_CHILD = Path(__file__).with_name("rawread.py")
_SLOTS = threading.BoundedSemaphore(2)  # at most two files read at once per server
_local = threading.local()


def last_run() -> ChildRun | None:
    return getattr(_local, "run", None)


def _run_child(data: bytes, kind: str, name: str, limits: Limits) -> dict:
    params = {
        "kind": kind,
        "name": name,
        "max_bytes": limits.max_bytes,
        "max_rows": limits.max_rows,
        "max_cols": limits.max_cols,
        "max_cell_chars": limits.max_cell_chars,
        "max_unzipped_bytes": limits.max_unzipped_bytes,
        "max_part_bytes": limits.max_part_bytes,
        "max_ratio": limits.max_ratio,
        "max_shared_strings": limits.max_shared_strings,
        "max_shared_chars": limits.max_shared_chars,
        "max_cells": limits.max_cells,
        "max_memory_bytes": limits.max_memory_bytes,
        "timeout_s": limits.timeout_s,
    }
    if not _SLOTS.acquire(timeout=limits.timeout_s):
        raise Rejected("服务器正忙：其他文件正在读取，请稍后重试")
    try:
        status, out, err, timed_out = _spawn(data, json.dumps(params), limits)
    finally:
        _SLOTS.release()
    if timed_out or status == -signal.SIGXCPU:
        raise Rejected(f"解析超时：文件未能在 {limits.timeout_s:g} 秒内读完（上限）。请删除多余的内容，或分批导入")
    if status == MEMORY_EXIT or status == -signal.SIGKILL or out is None:
        raise Rejected(
            f"内存超限：读取该文件需要超过 {limits.max_memory_bytes // MB} MB 内存（上限）。"
            "请删除多余的内容，或分批导入"
        )
    try:
        answer = _Unpickler(out).load() if status == 0 else None
    except Exception:  # noqa: BLE001 - a truncated answer is a failed child
        answer = None
    err = err.rpartition(b"\nVmHWM_KB=")[0].strip()
    if not answer:
        log.warning("reading child exited with %s: %s", status, err[-2000:].decode(errors="replace"))
        raise Rejected("无法读取文件：读取过程意外中止，请用 Excel 重新保存后再试")
    if answer[0] == "rejected":
        if err:  # a reading error no rule foresaw: the traceback is for the log, the clerk gets the message
            log.warning("reading child: %s", err[-2000:].decode(errors="replace"))
        detail = answer[2] or {}
        raise Rejected(
            answer[1],
            sheet=detail.get("sheet"),
            row=detail.get("row"),
            column=detail.get("column"),
            value=detail.get("value"),
        )
    return answer[1]


def _spawn(data: bytes, params: str, limits: Limits):
    """Run the child with the file on stdin; collect its answer until the deadline. The child's peak
    memory is its own last line on stderr (VmHWM), else the highest value sampled while it ran (rusage
    would include the parent's memory at the time of the fork)."""
    start = time.monotonic()
    with _input_file(data) as src, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(_CHILD), params],
            stdin=src,
            stdout=subprocess.PIPE,
            stderr=err,
            close_fds=True,
        )
        chunks, size, timed_out, too_big, sampled = [], 0, False, False, 0
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while True:
                left = start + limits.timeout_s - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                ready = sel.select(min(left, 0.05))
                sampled = max(sampled, peak_kb(proc.pid))
                if not ready:
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > limits.max_memory_bytes:
                    too_big = True
                    break
        if timed_out or too_big:
            proc.kill()
        _, wait_status, _usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        proc.stdout.close()
        err.seek(0)
        err_text = err.read()
    reported = err_text.rpartition(b"VmHWM_KB=")[2].strip()
    peak = int(reported) if reported.isdigit() else sampled
    _local.run = ChildRun(time.monotonic() - start, peak / 1024, proc.returncode)
    status = MEMORY_EXIT if too_big else proc.returncode
    return status, (None if too_big else b"".join(chunks)), err_text, timed_out


def _input_file(data: bytes):
    """The upload as a file the child reads on stdin (in memory where the system allows)."""
    try:
        f = open(os.memfd_create("cockpit-upload"), "w+b")
    except (AttributeError, OSError):
        f = tempfile.TemporaryFile()
    f.write(data)
    f.seek(0)
    return f


class _Unpickler(pickle.Unpickler):
    """The child's answer holds lists, dicts, strings, numbers and datetimes: nothing else is loaded."""

    _ALLOWED = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta")}

    def __init__(self, data: bytes):
        import io

        super().__init__(io.BytesIO(data))

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


# -- small helpers ---------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.1f} KB"


def _names(names: list[str]) -> str:
    return "、".join(f"「{n}」" for n in names[:10]) + (f" 等 {len(names)} 个" if len(names) > 10 else "")


def _text(v) -> str:
    return str(v).strip()


def _header_cells(row: list) -> list[str]:
    return ["" if _blank(v) else _text(v) for v in row]


def _last_row(ref: str) -> int:
    """The last row of a range such as "A1:F3" (0 when unreadable)."""
    digits = "".join(ch for ch in ref.rpartition(":")[2] if ch.isdigit())
    return int(digits) if digits else 0


def _dedupe(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}\u0000{n}")  # marks a repeated header (reported later)
    return out


def _blank_row(row: list) -> bool:
    return all(_blank(v) for v in row)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())
