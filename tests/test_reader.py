"""Reading uploads: cell values as Excel stores them, visible sheets only, header below title rows,
clear messages (Big5, hidden sheets), and no exception other than `Rejected` for any damaged file."""

import datetime as dt
import io
import random
import threading

import make_bad_files as mb
import openpyxl
import pandas as pd
import pytest

from cockpit.data import rawread, reader
from cockpit.data.db import SAMPLE_DIR
from cockpit.data.ingest import check_file, detect_table
from cockpit.data.reader import BIG5_MESSAGE, Limits, Rejected, read_book, read_table_file
from cockpit.data.store import ensure_working_dir


def recognise(cells):
    return detect_table(cells) is not None


@pytest.fixture()
def workdir(tmp_path):
    return ensure_working_dir(tmp_path / "work", SAMPLE_DIR)


def month():
    return mb.base_month()


OUTPUT = "工业总产值（万元）"


# -- what the clerk sees ---------------------------------------------------------------------------


def test_visible_sheet_is_imported_not_the_very_hidden_one(workdir):
    """Test that a veryHidden 数据 behind a visible 月报 is ignored: the visible 11111.0 is what is previewed."""
    m = month()
    shown = mb.frame_rows(mb._set(m, 0, OUTPUT, 11111.0))
    hidden = mb.frame_rows(mb._set(m, 0, OUTPUT, 10000.0))
    data = mb.xlsx([("月报", "visible", shown), ("数据", "veryHidden", hidden)])
    outcome = check_file(data, "十月.xlsx", workdir)
    assert outcome.ok, outcome.problems
    merged = outcome.preview.merged
    row = merged[(merged.ent_id == m.iloc[0]["统一社会信用代码"]) & (merged.year == 2024) & (merged.month == 10)]
    assert row["output_wan"].tolist() == [11111.0]
    assert outcome.notes == ["已忽略隐藏的工作表：「数据」（只读取打开文件时能看到的工作表）"]


def test_hidden_first_sheet_is_skipped():
    """Test that a hidden first sheet is not read and the visible one is."""
    m = month()
    data = mb.xlsx([("旧数据", "hidden", [["x"]]), ("月报", "visible", mb.frame_rows(m))])
    book = read_book(data, "a.xlsx")
    assert [s.name for s in book.sheets] == ["月报"] and book.hidden == ["旧数据"]
    frame = read_table_file(data, "a.xlsx", recognise=recognise)
    assert len(frame) == len(m) and frame.attrs["sheet"] == "月报"


def test_recognised_sheet_is_chosen_among_several_visible():
    """Test that with no 数据 sheet, the only visible sheet with a known header is read, and the note says so."""
    data = mb.xlsx([("说明", "visible", [["本表为十月月报"]]), ("十月", "visible", mb.frame_rows(month()))])
    frame = read_table_file(data, "a.xlsx", recognise=recognise)
    assert frame.attrs["sheet"] == "十月"
    assert "读取工作表「十月」（可见工作表：「说明」、「十月」；只有它的表头可识别）" in frame.attrs["notes"]


def test_title_rows_are_skipped_and_row_numbers_stay_excel_rows(workdir):
    """Test that a header on row 3 under a title is found, noted, and problems name the Excel row."""
    rows = [["2024年10月规上工业企业月报"], [], *mb.frame_rows(mb._set(month(), 1, OUTPUT, -5))]
    data = mb.xlsx([("数据", "visible", mb.sheet_xml(rows, merged=("A1:L1",)))])
    outcome = check_file(data, "十月.xlsx", workdir)
    assert outcome.notes == ["工作表「数据」的表头在第 3 行：上方的标题行「2024年10月规上工业企业月报」已跳过"]
    negative = outcome.problems[outcome.problems["问题"] == "不能为负数"]
    assert negative["行号"].tolist() == [5]  # title 1, blank 2, header 3, data from 4: the second data row


def test_blank_rows_keep_excel_row_numbers():
    """Test that rows[i] is Excel row i + 1 even with blank rows, and the frame index is the Excel row."""
    rows = [["名称", "数"], ["甲", 1], [], [], ["乙", 2]]
    book = read_book(mb.xlsx([("数据", "visible", rows)]), "a.xlsx")
    assert book.sheets[0].rows == [["名称", "数"], ["甲", 1], [], [], ["乙", 2]]
    frame = reader.table_frame(book.sheets[0].rows)
    assert frame.index.tolist() == [2, 5]


def test_merged_cells_in_the_table_are_noted():
    """Test that merged cells below the header get a note and title merges above it do not."""
    rows = [["名称", "年份"], ["甲", 2024], ["乙", None]]
    table = reader.table_frame(rows, merged=["B2:B3"], merged_count=1, sheet="数据")
    assert table.attrs["notes"] == [
        "工作表「数据」有合并单元格（B2:B3）：合并区域只有左上角单元格有值，其余单元格按空白处理"
    ]
    title = reader.table_frame(
        [["标题"], *rows], merged=["A1:B1"], merged_count=1, sheet="数据", recognise=lambda cells: cells[:1] == ["名称"]
    )
    assert not any("合并" in n for n in title.attrs["notes"])


def test_cells_without_a_header_are_noted():
    """Test that content right of the last header is reported as not read."""
    frame = reader.table_frame([["名称"], ["甲", None, "备注"]], sheet="数据")
    assert frame.attrs["notes"] == ["工作表「数据」的 C 列没有表头，其中的内容未读取（如第 2 行）"]


def test_big5_csv_gets_its_own_message(workdir):
    """Test that a Traditional-Chinese Big5 CSV is named as such, not read as GB18030 mojibake."""
    outcome = check_file(mb.big5_csv(month()), "月报.csv", workdir)
    assert outcome.problems["问题"].tolist() == [BIG5_MESSAGE]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_simplified_csv_is_not_taken_for_big5(encoding):
    """Test that simplified text (GB18030 or UTF-8) never triggers the Big5 message."""
    text = month().to_csv(index=False) + "浙江开化经济开发区,华埠镇,芹阳办事处\n"
    assert not rawread.looks_big5(text.encode("gb18030"))
    frame = read_table_file(text.encode(encoding), "a.csv", recognise=recognise)
    assert len(frame) == len(month()) + 1


# -- cell values as Excel stores them --------------------------------------------------------------


def test_values_match_openpyxl_for_dates_numbers_and_text():
    """Test dates under built-in and custom formats, times, numbers, booleans and texts against openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    values = [
        (dt.datetime(2024, 10, 1), "yyyy-mm-dd"),
        (dt.datetime(2024, 2, 29, 13, 45, 30), "yyyy/m/d h:mm:ss"),
        (dt.datetime(2023, 12, 31), 'yyyy"年"m"月"d"日"'),
        (dt.datetime(1900, 1, 1), "mm-dd-yy"),
        (dt.datetime(1900, 3, 1), "d-mmm-yy"),
        (45000, "0.00"),
        (1234.5, '#,##0.00"万元"'),
        (0.75, "0%"),
        (12, "General"),
        ("文本", "@"),
        (True, "General"),
        ("=1+1", "General"),
        (1e-7, "0.00E+00"),
        (-3, "[Red]0;-0"),
    ]
    for i, (v, fmt) in enumerate(values, 1):
        c = ws.cell(i, 1, v)
        c.number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    ours = read_book(buf.getvalue(), "a.xlsx").sheets[0].rows
    theirs = [list(r) for r in openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True)]
    for (v, fmt), got, want in zip(values, ours, theirs):
        if isinstance(v, str) and v.startswith("="):
            assert got == []  # a formula without a cached value has no value to read
            continue
        assert got == [want[0]], (fmt, got, want)


def test_1904_date_system():
    """Test that dates in a workbook of the 1904 date system come out as openpyxl reads them."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append([dt.datetime(2023, 10, 1), dt.datetime(1904, 1, 2, 6)])
    for c in wb.active[1]:
        c.number_format = "yyyy-mm-dd hh:mm"
    buf = io.BytesIO()
    wb.save(buf)
    assert b'date1904="1"' in mb_zip_part(buf.getvalue(), "xl/workbook.xml")
    ours = read_book(buf.getvalue(), "a.xlsx").sheets[0].rows
    assert ours == [[dt.datetime(2023, 10, 1), dt.datetime(1904, 1, 2, 6)]]


def mb_zip_part(data: bytes, name: str) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_typed_cells_and_rich_text():
    """Test t="d", t="b", t="e", t="str", inline strings, rich-text and phonetic runs, escaped characters."""
    sst = (
        f'<?xml version="1.0"?><sst xmlns="{mb.MAIN_NS}"><si><r><t>开化</t></r><r><rPr/><t>经开区</t></r>'
        "<rPh><t>かいか</t></rPh></si><si><t>第一行_x000D_第二行</t></si></sst>"
    )
    sheet = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{mb.MAIN_NS}"><x:dimension ref="A1:XFD1048576"/>'
        '<x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
        '<x:c r="C1" t="d"><x:v>2024-10-01T08:30:00</x:v></x:c><x:c r="D1" t="d"><x:v>2024-13-45</x:v></x:c>'
        '<x:c r="E1" t="b"><x:v>0</x:v></x:c><x:c r="F1" t="e"><x:v>#REF!</x:v></x:c>'
        '<x:c r="G1" t="str"><x:f>A1</x:f><x:v>开化经开区</x:v></x:c>'
        '<x:c r="H1" t="inlineStr"><x:is><x:t xml:space="preserve"> 甲 </x:t></x:is></x:c>'
        '<x:c r="I1"><x:v>12,3O</x:v></x:c><x:c r="J1"><x:v>NaN</x:v></x:c><x:c r="K1"><x:v>1E3</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{mb.PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{mb.REL_NS}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{mb.REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    data = mb.xlsx(
        [("数据", "visible", sheet)], extra={"xl/sharedStrings.xml": sst, "xl/_rels/workbook.xml.rels": rels}
    )
    assert read_book(data, "a.xlsx").sheets[0].rows == [
        [
            "开化经开区",
            "第一行\r第二行",
            dt.datetime(2024, 10, 1, 8, 30),
            "2024-13-45",
            False,
            "#REF!",
            "开化经开区",
            " 甲 ",
            "12,3O",
            "NaN",
            1000.0,
        ]
    ]


def test_csv_line_ends_and_quotes():
    """Test CR-only line ends, CRLF, quoted commas and newlines inside quotes."""
    data = 'a,b\r1,"x,y"\r2,"第一行\n第二行"\r'.encode()
    assert read_book(data, "a.csv").sheets[0].rows == [["a", "b"], ["1", "x,y"], ["2", "第一行\n第二行"]]
    data = 'a,b\r\n1,"x,y"\r\n'.encode("gb18030")
    assert read_book(data, "a.csv").sheets[0].rows == [["a", "b"], ["1", "x,y"]]


# -- limits and failures ---------------------------------------------------------------------------


def test_limits_come_from_rules_toml(tmp_path):
    """Test that every reading cap can be set in [ingest], in MB where the key says so."""
    path = tmp_path / "rules.toml"
    path.write_text(
        "[ingest]\nmax_mb = 5\nmax_rows = 10\nmax_columns = 7\nmax_cell_chars = 99\n"
        "max_unzipped_mb = 3\nmax_part_mb = 2\nmax_ratio = 50\nmax_shared_strings = 11\n"
        "max_shared_chars = 12\nmax_cells = 13\nmax_memory_mb = 256\ntimeout_s = 9.5\n",
        encoding="utf-8",
    )
    mb_ = 1024 * 1024
    assert reader.load_limits(path) == Limits(5 * mb_, 10, 7, 99, 3 * mb_, 2 * mb_, 50.0, 11, 12, 13, 256 * mb_, 9.5)
    assert reader.load_limits(tmp_path / "missing.toml") == Limits()


def test_each_cap_is_checked_while_reading():
    """Test that small caps stop the reading with their own message."""
    rows = mb.frame_rows(month())
    data = mb.xlsx([("数据", "visible", rows)])
    cases = [
        (Limits(max_rows=2), "行数过多"),
        (Limits(max_cols=3), "列数过多"),
        (Limits(max_cell_chars=5), "单元格内容过长"),
        (Limits(max_cells=10), "单元格过多"),
        (Limits(max_unzipped_bytes=1000), "文件解压后过大"),
    ]
    for limits, message in cases:
        with pytest.raises(Rejected, match=message):
            read_table_file(data, "a.xlsx", limits)


def test_damaged_files_only_ever_raise_rejected():
    """Test that random damage to an .xlsx or a .csv gives a frame or a Rejected, never another exception."""
    good_xlsx = mb.xlsx([("数据", "visible", mb.frame_rows(month()))])
    good_csv = month().to_csv(index=False).encode("gb18030")
    rng = random.Random(14)
    outcomes = {"ok": 0, "rejected": 0}
    for i in range(40):
        base, name = (good_xlsx, "a.xlsx") if i % 2 == 0 else (good_csv, "a.csv")
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_table_file(bytes(data), name, recognise=recognise)
            outcomes["ok"] += 1
        except Rejected as exc:
            assert str(exc)
            outcomes["rejected"] += 1
    assert outcomes["rejected"] > 0


def test_reader_refuses_unexpected_objects_from_the_child():
    """Test that the parent loads only plain data and datetimes from the child's answer."""
    import pickle

    with pytest.raises(pickle.UnpicklingError):
        reader._Unpickler(pickle.dumps(threading.Lock)).load()
    assert reader._Unpickler(pickle.dumps(("ok", [dt.date(2024, 1, 1)]))).load() == ("ok", [dt.date(2024, 1, 1)])


def test_concurrent_reads_all_complete():
    """Test that several threads reading at once (more than the two reading slots) all get their rows."""
    data = month().to_csv(index=False).encode()
    results, errors = [], []

    def work():
        try:
            results.append(len(read_table_file(data, "a.csv")))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [len(month())] * 5


def test_rows_reach_the_frame_unchanged():
    """Test that a template-shaped file is read into exactly the values written."""
    m = month()
    frame = read_table_file(mb.xlsx([("数据", "visible", mb.frame_rows(m))]), "a.xlsx", recognise=recognise)
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), m.reset_index(drop=True), check_dtype=False)
    assert frame.index.tolist() == list(range(2, len(m) + 2))
