"""A zone of its own: init, identity, the working directory rules, declarations → templates/README, the onboarding
bundle, import modes, dangling references, 1—本月累计, plausibility, targets, and crash safety of bundle commits."""

import dataclasses
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import new_zone as nz
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, copy_data_dir

from cockpit.data import schema
from cockpit.data.db import SAMPLE_DIR, Database
from cockpit.data.dimensions import EVERYTHING
from cockpit.data.ingest import CellError, check_file, import_file, parse_cell, validate
from cockpit.data.schema import SPECS, Col, arrow_schema
from cockpit.data.store import INITIAL, STEPS, SWAP_LOCK, DataStore, ensure_working_dir
from cockpit.data.templates import (
    ONBOARDING_NAME,
    TEMPLATE_DIR,
    onboarding_bytes,
    readme_with_tables,
    sample_codes,
    shipped_files,
)
from cockpit.data.zone import DEFAULT, Zone, identity, init

TODAY = nz.TODAY


def tree_hash(directory: Path) -> str:
    """Hash of every file (name and bytes) below a directory, locks aside."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in (".lock", SWAP_LOCK)):
        h.update(str(path.relative_to(directory)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def empty_zone(tmp_path):
    return init(tmp_path / "qingshan", Zone(nz.NAME, nz.SHORT, nz.COUNTY))


@pytest.fixture(scope="module")
def book() -> bytes:
    """The onboarding workbook of 青山经开区, filled."""
    return nz.onboarding(onboarding_bytes())


@pytest.fixture()
def zone(empty_zone, book):
    """青山经开区 after its onboarding workbook."""
    outcome = import_file(book, "入驻工作簿.xlsx", empty_zone, user="王会计", today=TODAY)
    assert outcome.ok, outcome.problems.to_string()
    return empty_zone


def csv(df: pd.DataFrame, encoding="utf-8-sig") -> bytes:
    return df.to_csv(index=False).encode(encoding)


def rows(directory: Path, table: str) -> int:
    return pq.ParquetFile(directory / f"{table}.parquet").metadata.num_rows


# -- start a zone ---------------------------------------------------------------------------------


def test_init_creates_an_empty_zone_recorded_as_its_first_version(empty_zone):
    """Test that init writes every declared table with its schema and no rows (the indicator catalogue
    aside), the zone's identity, and one history version 初始 holding exactly those files."""
    assert identity(empty_zone) == Zone(nz.NAME, nz.SHORT, nz.COUNTY)
    store = DataStore(empty_zone)
    for table in SPECS:
        path = empty_zone / f"{table}.parquet"
        assert pq.read_schema(path).remove_metadata().equals(arrow_schema(table)), table
        assert rows(empty_zone, table) == (0 if table != "indicators" else rows(SAMPLE_DIR, "indicators"))
        assert (store.history_dir / table / f"{INITIAL}.parquet").read_bytes() == path.read_bytes()
    assert {e.version for e in store.history()} == {INITIAL}
    assert {e.action for e in store.history()} == {"建立"}
    assert Database(empty_zone).run("data_periods").empty


def test_init_refuses_a_directory_with_data(tmp_path):
    """Test that init (and its command line, exit 1) refuses a directory holding tables, changing nothing."""
    folder = tmp_path / "used"
    folder.mkdir()
    pd.DataFrame({"a": [1]}).to_parquet(folder / "enterprises.parquet")
    before = tree_hash(folder)
    with pytest.raises(FileExistsError):
        init(folder, Zone("甲", "乙"))
    run = subprocess.run(
        [sys.executable, "-m", "cockpit.data.zone", "init", str(folder), "--name", "甲经开区", "--short-name", "甲"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "未建立" in run.stderr and "已有数据" in run.stderr
    assert tree_hash(folder) == before
    with pytest.raises(ValueError, match="简称不能为空"):
        init(tmp_path / "new", Zone("甲经开区", " "))


def test_identity_comes_from_the_data_directory(tmp_path):
    """Test that the sample says 开化, and a directory without zone.toml gets the neutral default."""
    assert identity(SAMPLE_DIR) == Zone("浙江开化经济开发区", "开化经开区", "开化县")
    assert identity(tmp_path) == DEFAULT
    rules = (ROOT / "config" / "rules.toml").read_text(encoding="utf-8")
    assert "[zone]" not in rules and "开化" not in rules


# -- the working directory ------------------------------------------------------------------------


def test_hand_written_files_are_never_replaced_by_the_sample(tmp_path):
    """Test that a directory with files written by hand keeps them byte for byte; missing tables are created
    empty (not copied from the sample), and the zone is not named after the sample."""
    work = tmp_path / "own"
    work.mkdir()
    areas = pd.DataFrame({"area_code": ["X1"], "area_name": ["一区"], "park": [None], "is_chemical_cluster": [False]})
    areas.to_parquet(work / "areas.parquet", index=False)
    before = (work / "areas.parquet").read_bytes()
    ensure_working_dir(work, SAMPLE_DIR)
    assert (work / "areas.parquet").read_bytes() == before
    assert rows(work, "enterprises") == 0 and rows(work, "enterprise_month") == 0
    assert identity(work) == DEFAULT


def test_a_sample_copy_follows_the_sample_only_while_untouched(tmp_path):
    """Test that a copy of the sample is refreshed file by file while it is byte-identical to what was copied,
    and a file changed by hand is kept."""
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, sample, ignore=shutil.ignore_patterns("*.md"))
    work = ensure_working_dir(tmp_path / "w", sample)
    assert identity(work).short_name == "开化经开区"
    pd.read_parquet(work / "trainings.parquet").head(5).to_parquet(work / "trainings.parquet", index=False)
    hand = (work / "trainings.parquet").read_bytes()
    for table in ("targets", "trainings"):
        pd.read_parquet(sample / f"{table}.parquet").head(3).to_parquet(sample / f"{table}.parquet", index=False)
    ensure_working_dir(work, sample)
    assert rows(work, "targets") == 3  # untouched copy: follows the sample
    assert (work / "trainings.parquet").read_bytes() == hand  # changed by hand: kept


def test_the_former_sample_marker_still_means_untouched(tmp_path):
    """Test that a working copy made by the previous version (.sample_fingerprint) keeps following the sample."""
    from cockpit.data.store import LEGACY_MARKER, fingerprint

    work = tmp_path / "old"
    work.mkdir()
    for table in ("sectors", "areas", "targets"):
        shutil.copy(SAMPLE_DIR / f"{table}.parquet", work)
    (work / LEGACY_MARKER).write_text(fingerprint(work))
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, sample, ignore=shutil.ignore_patterns("*.md"))
    pd.read_parquet(sample / "targets.parquet").head(2).to_parquet(sample / "targets.parquet", index=False)
    ensure_working_dir(work, sample)
    assert rows(work, "targets") == 2 and not (work / LEGACY_MARKER).exists()
    assert identity(work).name == "浙江开化经济开发区"
    # a former copy with imports keeps its files, and gets the sample's name it was made from
    used = tmp_path / "used"
    used.mkdir()
    shutil.copy(SAMPLE_DIR / "targets.parquet", used)
    (used / LEGACY_MARKER).write_text("fingerprint of files since replaced by imports")
    before = (used / "targets.parquet").read_bytes()
    ensure_working_dir(used, sample)
    assert (used / "targets.parquet").read_bytes() == before and identity(used).short_name == "开化经开区"


def test_a_nullable_column_added_to_a_declaration_reaches_existing_files(zone, monkeypatch):
    """Test schema evolution: a new optional column appears (empty) in an existing zone's file on its next start,
    a commit keeps it, and a column the declaration does not know is never dropped."""
    spec = SPECS["projects"]
    extra = Col("contact_phone", "联系电话", "str", required=False)
    monkeypatch.setitem(SPECS, "projects", dataclasses.replace(spec, columns=spec.columns + (extra,)))
    ensure_working_dir(zone, SAMPLE_DIR)
    df = pd.read_parquet(zone / "projects.parquet")
    assert "contact_phone" in df and df["contact_phone"].isna().all()
    # an import that fills it, then a file with an undeclared column: both survive a commit
    rows_ = nz.projects().assign(联系电话=["0570-1234567", "0570-7654321"])
    assert import_file(csv(rows_), "项目.csv", zone, user="u", today=TODAY).ok
    assert list(pd.read_parquet(zone / "projects.parquet")["contact_phone"]) == ["0570-1234567", "0570-7654321"]
    table = pq.read_table(zone / "hazards.parquet").to_pandas().assign(legacy_note="旧列")
    table.to_parquet(zone / "hazards.parquet", index=False)
    changed = nz.hazards().head(1).assign(隐患描述="消防通道已清理一半")
    assert import_file(csv(changed), "隐患.csv", zone, user="u", today=TODAY).ok
    after = pd.read_parquet(zone / "hazards.parquet")
    assert (after["legacy_note"] == "旧列").all()
    assert after.set_index("hazard_id").at["YH-QS-1", "description"] == "消防通道已清理一半"
    # a file without the optional column leaves the stored values alone
    without = nz.projects().drop(columns="联系电话", errors="ignore")
    assert import_file(csv(without), "项目.csv", zone, user="u", today=TODAY).ok
    assert list(pd.read_parquet(zone / "projects.parquet")["contact_phone"]) == ["0570-1234567", "0570-7654321"]


def test_targets_with_null_scope_are_migrated_to_one_representation(tmp_path):
    """Test that 全区 targets stored with a null 范围代码 become '' on the next start."""
    work = ensure_working_dir(tmp_path / "w", SAMPLE_DIR)
    df = pd.read_parquet(work / "targets.parquet")
    df["scope_code"] = None
    df.to_parquet(work / "targets.parquet", index=False)
    ensure_working_dir(work, SAMPLE_DIR)
    assert (pd.read_parquet(work / "targets.parquet")["scope_code"] == "").all()


# -- declarations → templates and documentation ---------------------------------------------------


def _cells(data: bytes) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_templates_and_data_readme_are_up_to_date():
    """Test that templates/ and data/README.md equal what the declarations produce
    (regenerate with python -m cockpit.data.templates)."""
    wanted = shipped_files(sample_codes())
    assert sorted(p.name for p in TEMPLATE_DIR.glob("*.xlsx")) == sorted(wanted)
    for name, data in wanted.items():
        assert _cells((TEMPLATE_DIR / name).read_bytes()) == _cells(data), f"templates/{name} is stale"
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert readme_with_tables(readme) == readme, "data/README.md is stale"


def test_onboarding_workbook_has_a_sheet_per_table_in_dependency_order():
    """Test the sheet names (the templates' titles), their order, and that every reference points backwards."""
    sheets = list(_cells(onboarding_bytes()))
    tables = schema.importable()
    assert sheets == ["填写说明"] + [SPECS[t].title for t in tables] + ["代码表"]
    order = list(SPECS)
    for table, _col, _w, _v, ref, _rc in schema.references():
        assert order.index(ref) < order.index(table), (table, ref)


def test_cli_writes_the_onboarding_workbook(zone, tmp_path):
    """Test that `python -m cockpit.data.zone workbook` writes the workbook with the zone's own codes in 代码表."""
    out = tmp_path / ONBOARDING_NAME
    run = subprocess.run(
        [sys.executable, "-m", "cockpit.data.zone", "workbook", str(out), "--data-dir", str(zone)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    codes = pd.read_excel(out, sheet_name="代码表")
    assert {"QS01", "QS02", "QS03", "13", "36", "39", "40"} <= set(codes["代码"].astype(str))
    assert "HGQ" not in set(codes["代码"].astype(str))


# -- the onboarding bundle ------------------------------------------------------------------------


def test_onboarding_workbook_commits_one_version_and_rolls_back_as_one(zone):
    """Test that the workbook's tables share one version in the history, and rollback to 初始 returns the
    empty zone byte for byte."""
    store = DataStore(zone)
    imported = [e for e in store.history() if e.action == "导入"]
    assert len({e.version for e in imported}) == 1
    assert {e.table for e in imported} == set(nz.SHEETS) and all(e.tables == len(nz.SHEETS) for e in imported)
    assert rows(zone, "enterprises") == 4 and rows(zone, "enterprise_month") == 96
    plan = store.rollback_plan(INITIAL)
    assert set(plan["数据表"]) == {SPECS[t].title for t in nz.SHEETS}
    done = store.rollback_to(INITIAL, user="王会计")
    assert len({e.version for e in done}) == 1 and len(done) == len(nz.SHEETS)
    for table in SPECS:
        assert (zone / f"{table}.parquet").read_bytes() == (
            store.history_dir / table / f"{INITIAL}.parquet"
        ).read_bytes(), table
    # and forward again to the imported version
    store.rollback_to(imported[0].version, user="王会计")
    assert rows(zone, "enterprise_month") == 96


def test_a_bad_bundle_lists_every_problem_by_sheet_and_changes_nothing(empty_zone):
    """Test that problems on several sheets come back at once as 工作表/行号/列/问题/原值, with the unknown code's
    message naming where to add it, and the directory stays byte-identical."""
    ents = nz.enterprises()
    ents.loc[1, "片区代码"] = "QS09"
    month = nz.enterprise_month([(2025, 2)]).astype(object)
    month.loc[2, "工业总产值（万元）"] = "12,34"
    bad = nz.fill_workbook(
        onboarding_bytes(),
        {
            "areas": nz.areas(),
            "sectors": nz.sectors(),
            "parcels": nz.parcels(),
            "enterprises": ents,
            "enterprise_month": month,
        },
    )
    before = tree_hash(empty_zone)
    outcome = import_file(bad, "入驻工作簿.xlsx", empty_zone, user="u", today=TODAY)
    assert not outcome.ok
    assert list(outcome.problems.columns) == ["工作表", "行号", "列", "问题", "原值"]
    found = {(r.工作表, r.行号, r.列): r.问题 for r in outcome.problems.itertuples()}
    assert (
        "未知的片区代码：请先在「片区」中添加（模板 片区_areas.xlsx，或入驻工作簿的「片区」工作表）"
        == found[("企业名录", 3, "片区代码")]
    )
    assert "千分位" in found[("企业月度数据", 4, "工业总产值（万元）")]
    assert tree_hash(empty_zone) == before


def test_codes_introduced_by_the_same_workbook_are_accepted_but_unknown_sheets_are_not(empty_zone):
    """Test that the enterprise sheet may use the 片区 of the same workbook, and a renamed sheet is reported."""
    import openpyxl

    data = nz.fill_workbook(
        onboarding_bytes(),
        {"areas": nz.areas(), "sectors": nz.sectors(), "parcels": nz.parcels(), "enterprises": nz.enterprises()},
    )
    assert check_file(data, "b.xlsx", empty_zone, today=TODAY).ok
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["企业名录"].title = "企业"
    buf = io.BytesIO()
    wb.save(buf)
    outcome = check_file(buf.getvalue(), "b.xlsx", empty_zone, today=TODAY)
    assert "无法识别的工作表" in " ".join(outcome.problems["问题"]) and "企业" in set(outcome.problems["原值"])


# -- modes ----------------------------------------------------------------------------------------


def test_merge_previews_new_changed_and_unchanged(zone):
    """Test merge: the same rows again are unchanged; one edited value is a change."""
    again = nz.enterprise_month([(2025, 3)])
    p = check_file(csv(again), "m.csv", zone, today=TODAY).preview
    assert (p.rows_new, p.rows_changed, p.rows_unchanged, p.rows_deleted) == (0, 0, 4, 0)
    again.loc[0, "工业总产值（万元）"] = 1234.0
    p = check_file(csv(again), "m.csv", zone, today=TODAY).preview
    assert (p.rows_new, p.rows_changed, p.rows_unchanged) == (0, 1, 3)


def test_replace_lists_the_rows_that_disappear_and_rolls_back(zone):
    """Test replace: the preview lists every row not in the file; history says 整表替换; rollback restores."""
    before = (zone / "enterprise_month.parquet").read_bytes()
    data = csv(nz.enterprise_month([(2025, 3)]))
    outcome = import_file(data, "替换.csv", zone, user="u", mode="replace", today=TODAY)
    p = outcome.preview
    assert (p.rows_deleted, p.rows_unchanged, len(p.removed)) == (92, 4, 92)
    assert set(p.removed.columns) >= {"统一社会信用代码", "年份", "月份"}
    assert rows(zone, "enterprise_month") == 4
    entry = DataStore(zone).history()[-1]
    assert (entry.mode, entry.rows_deleted, entry.rows) == ("整表替换", 92, 4)
    DataStore(zone).rollback_to(DataStore(zone).history()[-2].version, user="u")
    assert (zone / "enterprise_month.parquet").read_bytes() == before


def test_replace_period_replaces_only_the_months_in_the_file(zone):
    """Test replace-period: a revised 2024年6月 with three of four enterprises changes three rows and removes
    the fourth, other months untouched."""
    june = nz.enterprise_month([(2024, 6)]).head(3).copy()
    june["工业总产值（万元）"] = june["工业总产值（万元）"] + 10
    outcome = import_file(csv(june), "6月修订.csv", zone, user="u", mode="replace-period", today=TODAY)
    assert outcome.ok, outcome.problems
    s = outcome.preview.summary.set_index("期间")
    assert s.loc["2024年6月"].to_dict() == {"新增": 0, "修改": 3, "未变": 0, "删除": 1}
    em = pd.read_parquet(zone / "enterprise_month.parquet")
    assert len(em) == 95 and ((em.year == 2024) & (em.month == 6)).sum() == 3
    assert ((em.year == 2024) & (em.month == 7)).sum() == 4
    bad = check_file(csv(nz.areas()), "a.csv", zone, mode="replace-period", today=TODAY)
    assert "没有期间" in bad.problems["问题"].iloc[0]


def test_delete_removes_keys_and_reports_missing_ones(zone):
    """Test delete: a file of keys removes them (preview 删除), an unknown key is a problem."""
    keys = pd.DataFrame({"隐患编号": ["YH-QS-2"]})
    outcome = import_file(csv(keys), "删除.csv", zone, user="u", table="hazards", mode="delete", today=TODAY)
    assert outcome.ok and outcome.preview.rows_deleted == 1
    assert list(pd.read_parquet(zone / "hazards.parquet")["hazard_id"]) == ["YH-QS-1", "YH-QS-3"]
    again = check_file(csv(keys), "删除.csv", zone, table="hazards", mode="delete", today=TODAY)
    assert "要删除的记录不存在" in set(again.problems["问题"])


def test_a_deletion_that_leaves_references_dangling_is_refused_unless_the_bundle_removes_them(zone):
    """Test that deleting a 片区 still used is refused naming the users, and accepted when the same workbook
    deletes those users too."""
    before = tree_hash(zone)
    area = pd.DataFrame({"片区代码": ["QS03"]})
    refused = import_file(csv(area), "删片区.csv", zone, user="u", table="areas", mode="delete", today=TODAY)
    assert not refused.ok and tree_hash(zone) == before
    text = " | ".join(refused.problems["问题"])
    assert "仍被「企业名录」的 1 行使用" in text and "仍被「地块」的 1 行使用" in text
    assert "仍被「低效用地整治」的 1 行使用" in text and "91339900MA2QY0004D" in text
    e4 = "91339900MA2QY0004D"
    em = pd.read_parquet(zone / "enterprise_month.parquet")
    sheets = {
        "areas": area,
        "parcels": pd.DataFrame({"地块编号": ["P-QS03-01"]}),
        "enterprises": pd.DataFrame({"统一社会信用代码": [e4]}),
        "enterprise_month": em[em.ent_id == e4][["ent_id", "year", "month"]].set_axis(
            ["统一社会信用代码", "年份", "月份"], axis=1
        ),
        "land_actions": pd.DataFrame({"整治编号": ["DX-QS-01"]}),
    }
    data = nz.fill_workbook(onboarding_bytes(), {t: _full_columns(t, df) for t, df in sheets.items()})
    outcome = import_file(data, "删除东区.xlsx", zone, user="u", mode="delete", today=TODAY)
    assert outcome.ok, outcome.problems.to_string()
    assert rows(zone, "areas") == 2 and rows(zone, "enterprises") == 3 and rows(zone, "land_actions") == 0
    assert len({e.version for e in DataStore(zone).history()[-5:]}) == 1


def _full_columns(table: str, keys: pd.DataFrame) -> pd.DataFrame:
    """A deletion sheet: the template's columns, only the keys filled."""
    headers = [c.header for c in SPECS[table].columns]
    return keys.reindex(columns=headers)


def test_cli_modes_and_history(zone, tmp_path):
    """Test the command line's --mode and the history / rollback commands."""
    path = tmp_path / "删除.csv"
    pd.DataFrame({"隐患编号": ["YH-QS-3"]}).to_csv(path, index=False)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cockpit.data.ingest",
            str(path),
            "--table",
            "hazards",
            "--mode",
            "delete",
            "--data-dir",
            str(zone),
            "--user",
            "李四",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "删除：新增 0 行，修改 0 行，删除 1 行" in run.stdout and "将消失的行" in run.stdout
    hist = subprocess.run(
        [sys.executable, "-m", "cockpit.data.zone", "history", "--data-dir", str(zone)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "李四" in hist.stdout and "删除" in hist.stdout
    back = subprocess.run(
        [sys.executable, "-m", "cockpit.data.zone", "rollback", INITIAL, "--data-dir", str(zone)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert back.returncode == 0 and "已回滚到版本 初始" in back.stdout
    assert rows(zone, "hazards") == 0 and rows(zone, "enterprises") == 0


# -- 1—本月累计 -------------------------------------------------------------------------------------


def test_cumulative_values_become_monthly_values(zone):
    """Test that 1—4月 and 1—5月 累计 give April and May 当月 from the stored 2—3月 (1—2月 in February)."""
    data = csv(nz.cumulative_file([(2025, 4), (2025, 5)]))
    outcome = import_file(data, "累计.csv", zone, user="u", today=TODAY)
    assert outcome.ok, outcome.problems
    em = pd.read_parquet(zone / "enterprise_month.parquet").set_index(["ent_id", "year", "month"])
    e1 = "91339900MA2QY0001A"
    assert em.loc[(e1, 2025, 4), "output_wan"] == pytest.approx(1200.0)
    assert em.loc[(e1, 2025, 5), "value_added_wan"] == pytest.approx(240.0)
    assert em.loc[(e1, 2025, 5), "employees"] == 100


def test_cumulative_option_reads_plain_headers_as_cumulative(zone):
    """Test --cumulative: the 当月 headers carry 1—本月累计 values."""
    april = nz.cumulative_file([(2025, 4)])
    april.columns = [c.removeprefix("1—本月累计") for c in april.columns]
    outcome = import_file(csv(april), "累计.csv", zone, user="u", cumulative=True, today=TODAY)
    assert outcome.ok, outcome.problems
    em = pd.read_parquet(zone / "enterprise_month.parquet").set_index(["ent_id", "year", "month"])
    assert em.loc[("91339900MA2QY0002B", 2025, 4), "output_wan"] == pytest.approx(600.0)


def test_a_cumulative_value_that_goes_down_is_reported_not_stored(zone):
    """Test that a 1—4月 累计 below 1—3月 is a revision message with the row and both values; nothing is written."""
    april = nz.cumulative_file([(2025, 4)])
    april.loc[0, "1—本月累计工业总产值（万元）"] = 3000.0  # 1—3月 was 2,400 (1—2月) + 1,200 = 3,600
    before = tree_hash(zone)
    outcome = check_file(csv(april), "累计.csv", zone, today=TODAY)
    problem = outcome.problems.iloc[0]
    assert (problem["行号"], problem["列"]) == (2, "1—本月累计工业总产值（万元）")
    assert "累计值下降：1—4月累计 3,000.00 小于1—3月累计 3,600.00" in problem["问题"]
    assert "按期间替换" in problem["问题"] and tree_hash(zone) == before


def test_a_cumulative_value_after_a_missing_month_is_reported(zone):
    """Test that 1—5月 累计 without April stored cannot be split (January alone may be missing)."""
    outcome = check_file(csv(nz.cumulative_file([(2025, 5)])), "累计.csv", zone, today=TODAY)
    assert "本年 4 月没有数据" in outcome.problems["问题"].iloc[0]


# -- plausibility ---------------------------------------------------------------------------------

NUM, TEXT, MONTH = Col("x", "产值", "float"), Col("s", "名称", "str"), Col("month", "月份", "int", min=1, max=12)


@pytest.mark.parametrize(
    "value, col, message",
    [
        ("12,34", NUM, "千分位逗号位置不对"),
        ("1,2,3,4", NUM, "千分位逗号位置不对"),
        ("#REF!", NUM, "Excel 错误值「#REF!」"),
        ("#N/A", TEXT, "Excel 错误值"),
        ('=HYPERLINK("x")', TEXT, "不能以 = + - @ 开头"),
        ("@SUM(A1)", TEXT, "不能以 = + - @ 开头"),
        ("-1 号车间", TEXT, "不能以 = + - @ 开头"),
        ("名\x00称", TEXT, "控制字符"),
        ("1—2月", MONTH, "1—2月合并报送时月份填 2"),
    ],
)
def test_implausible_cells_are_refused(value, col, message):
    """Test that separators in wrong places, Excel error values, formula-like and control-character text,
    and a typed 1—2月 are refused with a Chinese reason."""
    with pytest.raises(CellError, match=re.escape(message)):
        parse_cell(value, col)


@pytest.mark.parametrize(
    "value, expected", [("1,234.5", 1234.5), ("12,345,678", 12345678.0), ("1234", 1234.0), ("1，234", 1234.0)]
)
def test_thousands_separators_in_groups_of_three_are_read(value, expected):
    """Test that correctly grouped thousands separators are accepted."""
    assert parse_cell(value, NUM) == expected


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("发现日期", "1900-01-01", "日期过早"),
        ("发现日期", "0001-01-01", "日期过早"),
        ("整改期限", "9999-12-31", "日期过晚"),
        ("发现日期", "2026-12-02", "日期在未来"),
    ],
)
def test_dates_outside_the_window_are_refused(zone, column, value, message):
    """Test the configured date window: not before 2000-01-01, facts not after today, plans within 3 years."""
    hz = nz.hazards().head(1).copy()
    hz["整改期限"] = dt.date(2030, 1, 1) if column != "整改期限" else value
    hz[column] = value
    outcome = check_file(csv(hz), "隐患.csv", zone, table="hazards", today=TODAY)
    assert any(message in m for m in outcome.problems["问题"]), outcome.problems


def test_an_exception_inside_a_cell_becomes_a_problem_row(zone):
    """Test that any surprise while parsing a cell is reported on its row and column, never raised."""

    class Odd:
        def __str__(self):
            raise RuntimeError("boom")

    raw = nz.hazards().head(1).astype(object)
    raw.iloc[0, raw.columns.get_loc("隐患描述")] = Odd()
    result = validate(raw, "hazards", {t: DataStore(zone).read(t) for t in SPECS}, TODAY)
    row = result.problems.frame().iloc[0]
    assert (row["行号"], row["列"], row["问题"]) == (2, "隐患描述", "无法识别的单元格内容")


# -- targets --------------------------------------------------------------------------------------


def test_a_reimported_target_replaces_instead_of_duplicating(zone):
    """Test that a blank 范围代码 is the stored '' (an unchanged file is 未变; a corrected value is 修改) and the
    table keeps one row per key."""
    same = check_file(csv(nz.targets()), "目标.csv", zone, today=TODAY).preview
    assert (same.rows_new, same.rows_changed, same.rows_unchanged) == (0, 0, 4)
    fixed = nz.targets().head(1).assign(目标值=2.8)
    outcome = import_file(csv(fixed), "目标.csv", zone, user="u", today=TODAY)
    assert (outcome.preview.rows_new, outcome.preview.rows_changed) == (0, 1)
    t = pd.read_parquet(zone / "targets.parquet")
    whole = t[(t.indicator_id == "output") & (t.scope_kind == "全区")]
    assert list(whole["target_value"]) == [2.8] and list(whole["scope_code"]) == [""]


@pytest.mark.parametrize(
    "kind, code, message",
    [
        ("片区", "QS99", "未知片区代码 'QS99'"),
        ("产业链", "新材料", "未知产业链 '新材料'"),
        ("全区", "QS01", "全区目标的范围代码应为空"),
    ],
)
def test_targets_import_runs_the_editors_checks(zone, kind, code, message):
    """Test that the importer refuses what the 目标推演 editor refuses, with the same message."""
    from cockpit.domain import targets

    row = nz.targets().head(1).assign(范围=kind, 范围代码=code)
    outcome = check_file(csv(row), "目标.csv", zone, today=TODAY)
    assert message in " | ".join(outcome.problems["问题"])
    editor = targets.validate(
        pd.DataFrame(
            [
                {
                    "year": 2025,
                    "indicator_id": "output",
                    "scope_kind": kind,
                    "scope_code": code,
                    "target_value": 3.0,
                    "source": "",
                }
            ]
        ),
        chains=["绿色食品", "汽车零部件", "智能终端", "精密仪器"],
        areas=["QS01", "QS02", "QS03"],
    )
    assert any(message in e for e in editor)


# -- crash safety of a bundle commit, and readers -------------------------------------------------


@pytest.mark.parametrize("step", STEPS)
def test_a_bundle_commit_killed_at_each_step_leaves_all_old_or_all_new(step, empty_zone, book, tmp_path):
    """Test that killing the onboarding import at each step leaves every table in its old or its new version,
    the same for all: undone before the journal says committed, completed after."""
    path = tmp_path / "入驻工作簿.xlsx"
    path.write_bytes(book)
    env = {**os.environ, "COCKPIT_CRASH_AT": step}
    run = subprocess.run(
        [sys.executable, "-m", "cockpit.data.ingest", str(path), "--data-dir", str(empty_zone)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 77, run.stderr
    done = STEPS.index(step) >= STEPS.index("committed")
    db = Database(empty_zone)  # a reader first: it must not load a half-committed bundle
    assert len(db.run("areas")) == (3 if done else 0)
    assert db.run("data_periods").empty != done
    with DataStore(empty_zone).lock():
        pass
    counts = {t: rows(empty_zone, t) for t in nz.SHEETS}
    assert (
        counts
        == {
            "areas": 3,
            "sectors": 4,
            "parcels": 4,
            "enterprises": 4,
            "enterprise_month": 96,
            "county_month": 27,
            "price_index": 2,
            "projects": 2,
            "project_month": 27,
            "land_actions": 1,
            "hazards": 3,
            "trainings": 2,
            "targets": 4,
        }
    ) == done
    if not done:
        assert set(counts.values()) == {0}
    store = DataStore(empty_zone)
    assert len([e for e in store.history() if e.action == "导入"]) == (len(nz.SHEETS) if done else 0)
    for table in nz.SHEETS:
        assert [v for v in store.versions(table) if v != INITIAL] == [
            e.version for e in store.history() if e.table == table and e.version != INITIAL
        ]
    assert not (empty_zone / "journal.json").exists() and not list(empty_zone.glob("*.tmp-*"))


def test_a_reader_keeps_serving_the_previous_version_while_a_commit_is_pending(zone, tmp_path):
    """Test that a running reader does not reload while an interrupted multi-table commit is pending, and sees
    the whole new version once it is completed."""
    db = Database(zone)
    version = db.data_version()
    path = tmp_path / "删除.xlsx"
    e1 = "91339900MA2QY0001A"
    path.write_bytes(
        nz.fill_workbook(
            onboarding_bytes(),
            {
                "hazards": _full_columns("hazards", pd.DataFrame({"隐患编号": ["YH-QS-1"]})),
                "trainings": _full_columns("trainings", pd.DataFrame({"编号": ["PX-QS-1"]})),
            },
        )
    )
    env = {**os.environ, "COCKPIT_CRASH_AT": "replaced_one"}
    run = subprocess.run(
        [sys.executable, "-m", "cockpit.data.ingest", str(path), "--mode", "delete", "--data-dir", str(zone)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 77, run.stderr
    assert db.data_version() == version  # the journal defers the reload
    assert (
        len(db.run("hazard_list", {"year": 2025, "month": 6, "scope": EVERYTHING, "category": "", "ent_id": e1})) == 1
    )
    with DataStore(zone).lock():  # the next writer completes the commit
        pass
    assert db.data_version() != version
    assert rows(zone, "hazards") == 2 and rows(zone, "trainings") == 1


def test_readers_wait_while_files_are_being_swapped(zone):
    """Test that a reader fingerprinting the files waits for a writer holding the swap lock."""
    finished = threading.Event()
    with open(zone / SWAP_LOCK, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        thread = threading.Thread(target=lambda: (Database(zone).data_version(), finished.set()))
        thread.start()
        time.sleep(0.5)
        assert not finished.is_set()
        fcntl.flock(fh, fcntl.LOCK_UN)
    thread.join(30)
    assert finished.is_set()


def test_history_lines_stay_readable_for_older_logs(tmp_path):
    """Test that log lines written before the bundle fields existed still load."""
    store = DataStore(tmp_path)
    store.history_dir.mkdir(parents=True)
    old = {
        "version": "20240101-000000-01",
        "table": "targets",
        "action": "导入",
        "user": "u",
        "at": "x",
        "source_name": "a.csv",
        "source_sha256": "0",
        "rows": 1,
        "rows_new": 1,
        "rows_changed": 0,
        "note": "",
    }
    store.log_path.write_text(json.dumps(old, ensure_ascii=False) + "\n", encoding="utf-8")
    assert store.history()[0].tables == 1 and store.history()[0].mode == ""


def test_the_navigation_knows_a_zone_without_statistics_before_the_database_opens(tmp_path, monkeypatch):
    """Test `ui.has_monthly_statistics` (read from the parquet footer, so the entry script registers its pages before
    the database opens — ~20 s for a province): False for a freshly made zone (its enterprise_month has no row),
    True for a copy of the sample; `ui.zone()` names the zone without opening the database."""
    import new_zone as nz

    from cockpit.app import ui
    from cockpit.data.zone import Zone, init

    empty = init(tmp_path / "empty", Zone(nz.NAME, nz.SHORT, nz.COUNTY))
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(empty))
    assert ui.has_monthly_statistics() is False and ui.zone().name == nz.NAME
    full = tmp_path / "full"
    copy_data_dir(ROOT / "data", full)
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(full))
    assert ui.has_monthly_statistics() is True
    (full / "enterprise_month.parquet").unlink()
    assert ui.has_monthly_statistics() is False
