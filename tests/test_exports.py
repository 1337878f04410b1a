"""Table downloads: the shown table → .xlsx / CSV (units in headers, numbers numeric, formulas neutralised),
through `ui.table` on the real pages (AppTest) and in the browser."""

import io
import shutil
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
import streamlit as st
from browser import wait_for_app
from conftest import ROOT
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from tabs import each_tab, open_tab

from cockpit.data.dimensions import EVERYTHING
from cockpit.domain import industry, navigation, safety
from cockpit.report import exports

PAGES = [p.script for p in navigation.viewer_pages()]  # the default (总览) first


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("%.2f", "#,##0.00"),
        ("%.0f", "#,##0"),
        ("%d", "0"),
        ("%,d", "#,##0"),
        ("%+.1f", "+#,##0.0;-#,##0.0;#,##0.0"),
        ("%.1f%%", '#,##0.0"%"'),
        ("1—%d月", '"1—"0"月"'),
        ("YYYY-MM-DD", "yyyy-mm-dd"),
        (None, None),
        ("localized", None),
    ],
)
def test_excel_format(fmt, expected):
    """Test that a Streamlit column format becomes the Excel number format showing the same text."""
    assert exports.excel_format(fmt) == expected


def test_shown_frame_keeps_values_and_takes_labels():
    """Test that the export has the shown columns in order, labelled with units, hidden ones dropped."""
    df = pd.DataFrame({"a": ["甲", "乙"], "v": [1.25, -3.0], "h": [1, 2], "d": pd.to_datetime(["2024-01-05", None])})
    config = {
        "a": "企业",
        "v": st.column_config.NumberColumn("产值（万元）", format="%+.1f"),
        "h": None,
        "d": st.column_config.TextColumn("日期"),
    }
    out, formats = exports.shown_frame(df, config, column_order=["v", "a", "h", "d"])
    assert list(out.columns) == ["产值（万元）", "企业", "日期"]
    assert out["产值（万元）"].tolist() == [1.25, -3.0]
    assert formats == {"产值（万元）": "+#,##0.0;-#,##0.0;#,##0.0", "日期": "yyyy-mm-dd"}


def record_exports(monkeypatch) -> list:
    """Capture what `ui.table` hands to the exporter on a page run: (frame, formats) per table shown."""
    seen, real = [], exports.shown_frame

    def spy(df, column_config=None, column_order=None):
        seen.append(real(df, column_config, column_order))
        return seen[-1]

    monkeypatch.setattr(exports, "shown_frame", spy)
    button = st.download_button

    def build_now(label, data=None, **kwargs):  # files are built on click: build the Excel one now
        if callable(data) and kwargs.get("key", "").endswith("_xlsx"):
            data()
        return button(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", build_now)
    return seen


def page_run(page: str, year: int = 2023, month: int = 12) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.selectbox(key="year").select(year).run()
    at.selectbox(key="month").select(month).run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def read_xlsx(data: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=sheet)


def test_safety_accident_export_equals_the_query(monkeypatch, real_db):
    """Test that the 安全生产 accident table's .xlsx reads back as the query result, headers with units."""
    seen = record_exports(monkeypatch)
    open_tab(page_run("pages/safety/safety.py"), "事故与培训")
    frame, formats = next(v for v in seen if "直接损失（万元）" in v[0].columns)
    data = exports.xlsx_bytes({"生产安全事故": frame}, {"生产安全事故": formats})
    back = read_xlsx(data, "生产安全事故")
    params = dict(year=2023, month=12, scope=EVERYTHING)
    want = real_db.run("safety_accidents", params)[["year", "accidents", "deaths", "injuries", "loss_wan"]]
    want.columns = ["年份", "事故（起，1—12月）", "死亡（人）", "受伤（人）", "直接损失（万元）"]
    assert list(back.columns) == list(want.columns)
    assert all(pd.api.types.is_numeric_dtype(back[c]) for c in back.columns)
    pd.testing.assert_frame_equal(back, want.reset_index(drop=True), check_dtype=False)
    sheet = load_workbook(io.BytesIO(data))["生产安全事故"]
    assert sheet.freeze_panes == "A2" and sheet["E2"].number_format == "#,##0.0"


def test_safety_register_exports_dates_and_days_not_display_text(monkeypatch, real_db):
    """Test that the overdue-hazard list exports real dates and whole day counts (the page shows text)."""
    seen = record_exports(monkeypatch)
    page_run("pages/safety/safety.py", 2024, 9)
    frame, formats = next(v for v in seen if "逾期（天）" in v[0].columns)
    back = read_xlsx(exports.xlsx_bytes({"隐患": frame}, {"隐患": formats}), "隐患")
    params = dict(year=2024, month=9, scope=EVERYTHING, category="", ent_id="")
    register = safety.annotate_hazards(real_db.run("hazard_list", params), safety.as_of_date(2024, 9))
    overdue = register[register["status"] == safety.OVERDUE]
    assert len(back) == len(overdue) > 0
    assert pd.api.types.is_datetime64_any_dtype(back["发现日期"])
    assert back["逾期（天）"].tolist() == overdue["overdue_days"].astype(int).tolist()
    assert back["编号"].tolist() == overdue["hazard_id"].tolist()


@pytest.mark.parametrize("page", [p for p in PAGES if "admin" not in p])
def test_every_table_has_downloads(page):
    """Test that every table a page shows has a 下载 Excel and a 下载 CSV button."""
    at = page_run(page)
    drawn = 0
    for tab in each_tab(at):  # every tab of a tabbed page (only the open one is drawn)
        labels = [b.proto.label for b in at.get("download_button")]
        tables = len(at.dataframe)
        assert labels.count("下载 Excel") == tables and labels.count("下载 CSV") == tables, tab
        drawn += tables
    assert drawn > 0 or page.endswith("overview.py")


@pytest.fixture()
def formula_names(tmp_path, monkeypatch):
    """A working data copy whose enterprise names start with =, +, - or @."""
    for f in (ROOT / "data").glob("*.parquet"):
        shutil.copy(f, tmp_path / f.name)
    # files written by hand: the working directory never replaces them with the sample's
    ents = pd.read_parquet(tmp_path / "enterprises.parquet")
    starts = ["=", "+", "-", "@"]
    ents["ent_name"] = [
        f'{starts[i % 4]}HYPERLINK("http://x")' if i % 4 == 0 else f"{starts[i % 4]}{n}"
        for i, n in enumerate(ents["ent_name"])
    ]
    ents.to_parquet(tmp_path / "enterprises.parquet", index=False)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path))
    return tmp_path


def test_page_export_neutralises_formula_names(formula_names, monkeypatch):
    """Test that the 工业经济 enterprise table's CSV has a BOM and every formula-like name is neutralised."""
    seen = record_exports(monkeypatch)
    at = page_run("pages/economy/industry.py")
    frame, formats = next(v for v in seen if "企业名称" in v[0].columns)
    shown = at.dataframe[-1].value["ent_name"].tolist()
    assert shown and all(n[0] in "=+-@" for n in shown)
    data = exports.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["企业名称"].head(len(shown)).tolist() == ["'" + n for n in shown]  # and the rest of the ranking
    assert pd.api.types.is_numeric_dtype(back["同比（%）"])
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes({"企业": frame})))["企业"]
    assert all(c.data_type == "s" and c.value.startswith("'") for (c,) in sheet.iter_rows(min_row=2, max_col=1))


def test_browser_downloads_a_table_as_excel(page, app_url, real_db):
    """Test that 下载 Excel under the 工业经济 sector table downloads the table with numeric cells."""
    page.goto(f"{app_url}/industry?year=2023&month={quote('1—12月')}")
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="下载 Excel").first.click()
    download = info.value
    assert download.suggested_filename == "开化经开区_工业经济_分产业链增长来源_2023年1—12月.xlsx"  # zone.toml
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))["分产业链增长来源"]
    assert sheet["A1"].value == "浙江开化经济开发区 · 工业经济 · 分产业链增长来源" and sheet["A1"].font.b
    assert sheet["A2"].value == "统计范围：2023年1—12月 · 全部产业链 · 全部片区"
    assert sheet["A3"].value.startswith("数据截至：2023年12月底 · 导出日期：")
    back = pd.read_excel(Path(download.path()), sheet_name="分产业链增长来源", header=4)  # title, scope, date, blank
    params = dict(year=2023, month=12, scope=EVERYTHING, by=industry.GROUPINGS["产业链"])
    want = industry.sector_attribution(real_db.run("industry_by_sector", params), "产值", same_enterprises=True)
    assert list(back.columns) == ["产业链", "2023年1—12月（万元）", "同比（%）", "拉动（个百分点）", "贡献率（%）"]
    assert back["产业链"].tolist() == want["part"].tolist()
    assert back["2023年1—12月（万元）"].tolist() == pytest.approx(want["current_wan"].tolist())
    assert back["拉动（个百分点）"].tolist() == pytest.approx(want["pull_pp"].tolist())
    assert page.locator("[data-testid=stException]").count() == 0


def test_xlsx_title_header_formats_and_widths():
    """Test the workbook read back with openpyxl: title rows, a bold filled bordered header, thousands separators
    on amounts (given or default), whole numbers without decimals, widths that fit the shown text (CJK double)."""
    df = pd.DataFrame(
        {
            "企业名称": ["甲化工有限公司", "乙"],
            "产值（万元）": [1234567.891, 12.5],
            "年份": [2023, 2024],
            "同比（%）": [12.345, -3.0],
            "家数": [1200, 3],
        }
    )
    title = [
        "开化经开区 · 工业经济 · 企业排行",
        "统计范围：2024年1—9月 · 产业链：新材料 · 全部片区",
        "数据截至：2024年9月底 · 导出日期：2024-10-15",
    ]
    data = exports.xlsx_bytes(
        {"企业排行": df}, {"企业排行": {"年份": "0", "同比（%）": "+#,##0.0;-#,##0.0;#,##0.0"}}, title=title
    )
    ws = load_workbook(io.BytesIO(data))["企业排行"]
    assert [ws.cell(i, 1).value for i in (1, 2, 3)] == title and ws.cell(4, 1).value is None
    assert ws["A1"].font.b and ws.freeze_panes == "A6"
    for col in range(1, 6):
        head = ws.cell(5, col)
        assert head.font.b and head.fill.fill_type == "solid" and head.fill.start_color.rgb.endswith("DCE6F1")
        assert head.border.left.style == head.border.bottom.style == "thin"
    assert [ws.cell(5, c).value for c in range(1, 6)] == list(df.columns)
    assert ws["B6"].value == pytest.approx(1234567.891) and ws["B6"].number_format == "#,##0.00"
    assert ws["C6"].number_format == "0" and ws["E6"].number_format == "#,##0"
    assert ws["D7"].number_format.startswith("+#,##0.0") and ws["A7"].border.top.style == "thin"
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert widths["A"] == 2 * 7 + 2  # 甲化工有限公司: 7 full-width characters
    assert widths["B"] == len("1,234,567.89") + 2 and widths["C"] == 8 and widths["E"] == 8
    assert all(w <= 18 for c, w in widths.items() if c != "A")
    back = pd.read_excel(io.BytesIO(data), sheet_name="企业排行", header=4)
    pd.testing.assert_frame_equal(back, df)


def test_ranking_export_holds_every_row(monkeypatch, real_db):
    """Test that the 工业经济 enterprise ranking (10 shown) downloads the whole ranking, in order."""
    seen = record_exports(monkeypatch)
    at = page_run("pages/economy/industry.py", 2024, 9)
    shown = at.dataframe[-1].value
    assert len(shown) == 10
    frame, _ = next(v for v in seen if "企业名称" in v[0].columns and len(v[0]) > 10)
    params = dict(
        year=2024,
        month=9,
        chains=(),
        sectors=(),
        areas=(),
        high_tech_only=False,
        measure=industry.MEASURE_IDS["产值"],
        kind=industry.RANKINGS["下拉最多（减量最大）"],
        n=None,
        search="",
    )
    want = real_db.run("industry_enterprise_rank", params)
    assert len(frame) == len(want) > 10
    assert frame["企业名称"].tolist() == want["ent_name"].tolist()
    assert frame["企业名称"].head(10).tolist() == shown["ent_name"].tolist()


def test_file_names_carry_the_filters(monkeypatch, real_db):
    """Test that with a 产业链 and a 片区 chosen, table downloads and the brief are named with them (and without
    filters, with neither)."""
    names, button = [], st.download_button

    def spy(label, data=None, **kwargs):
        names.append(kwargs.get("file_name", ""))
        return button(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/economy/industry.py").run()
    assert names and not any("新材料" in n for n in names)
    at.multiselect(key="chain").select("新材料").run()
    ents = pd.read_parquet(real_db.directory / "enterprises.parquet")
    chains = pd.read_parquet(real_db.directory / "sectors.parquet").set_index("sector_code")["chain"]
    # a 片区 with enterprises of 新材料 (an empty scope shows no table)
    area = ents.loc[ents["sector_code"].map(chains) == "新材料", "area_code"].mode().iloc[0]
    area_name = real_db.run("areas", {}).set_index("area_code").loc[area, "area_name"]
    at.multiselect(key="area").set_value([area]).run()
    assert not at.exception
    names.clear()
    at.run()
    brief = [n for n in names if n.endswith(".pdf")]
    tables = [n for n in names if n.endswith(".xlsx")]
    assert brief and tables
    for n in brief + tables:
        assert "新材料" in n and area_name in n, n


def test_invest_movers_export_holds_every_changed_project(monkeypatch, real_db):
    """Test that 增减最多的项目 (8 increases and 8 decreases shown) downloads every project that changed."""
    seen = record_exports(monkeypatch)
    at = page_run("pages/invest/projects.py", 2024, 9)
    assert not at.exception
    params = dict(year=2024, month=9, chains=(), sectors=(), areas=(), high_tech_only=False)
    want = real_db.run("invest_top_movers", {**params, "n": None})
    assert len(want) > len(real_db.run("invest_top_movers", {**params, "n": 8}))
    frame = next(v[0] for v in seen if "本期完成（万元）" in v[0].columns and len(v[0]) == len(want))
    assert frame["项目"].tolist() == want["project_name"].tolist()
