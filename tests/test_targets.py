"""The targets table: validation, atomic save with the previous version kept, the edit switch."""

import threading

import pandas as pd
import pytest

from cockpit.data.db import DEFAULT_DATA_DIR
from cockpit.domain import targets

CHAINS = ["新材料", "新装备"]
AREAS = ["A1", "A2"]


def row(**kw):
    base = dict(year=2024, indicator_id="output", scope_kind="全区", scope_code="", target_value=146.0, source="测试")
    return {**base, **kw}


def table(*rows):
    return pd.DataFrame(list(rows), columns=list(targets.COLUMNS))


def test_shipped_targets_are_valid():
    """Test that the bundled targets table passes validation and carries a source on every row."""
    df = targets.load(DEFAULT_DATA_DIR)
    chains = pd.read_parquet(DEFAULT_DATA_DIR / "sectors.parquet")["chain"].unique().tolist()
    areas = pd.read_parquet(DEFAULT_DATA_DIR / "areas.parquet")["area_code"].tolist()
    assert targets.validate(df, chains=chains, areas=areas) == []
    assert (df["source"] != "").all()
    assert set(df.loc[df["year"] == 2024, "source"]) == {"2024年工作计划", "示例默认值"}


@pytest.mark.parametrize(
    "bad, message",
    [
        (row(indicator_id="nope"), "未知指标"),
        (row(scope_kind="全县"), "范围应为"),
        (row(scope_code="新材料"), "全区目标的范围代码应为空"),
        (row(scope_kind="产业链", scope_code="新农业"), "未知产业链"),
        (row(scope_kind="片区", scope_code="Z9"), "未知片区代码"),
        (row(target_value=-1.0), "超出范围"),
        (row(target_value=0.0), "超出范围"),
        (row(indicator_id="risk_score", target_value=120.0), "超出范围"),
        (row(indicator_id="high_tech_share", target_value=80.0), "未知指标"),  # a share has no target rule
        (row(indicator_id="reserve_projects", target_value=8.5), "应为整数"),
        (row(target_value="很多"), "应为数字"),
        (row(year=1999), "年份"),
    ],
)
def test_validation_rejects_bad_rows(bad, message):
    """Test that each kind of bad row is reported in Chinese."""
    errors = targets.validate(table(bad), chains=CHAINS, areas=AREAS)
    assert any(message in e for e in errors), errors


def test_validation_accepts_scoped_and_zero_accident_targets():
    """Test that 产业链 / 片区 targets and a zero target for a lower-is-better indicator are fine."""
    ok = table(
        row(),
        row(scope_kind="产业链", scope_code="新材料", target_value=60.0),
        row(scope_kind="片区", scope_code="A1", target_value=30.0),
        row(indicator_id="accidents", target_value=0.0),
    )
    assert targets.validate(ok, chains=CHAINS, areas=AREAS) == []


def test_validation_rejects_duplicates():
    """Test that two targets for the same year, indicator and scope are refused."""
    errors = targets.validate(table(row(), row(target_value=150.0)))
    assert any("重复目标" in e for e in errors)


def test_replace_year_keeps_other_years():
    """Test that editing 2024 leaves 2023's rows and fills an empty source."""
    old = table(row(year=2023, target_value=135.0), row())
    new = targets.replace_year(old, 2024, table(row(target_value=150.0, source="")))
    assert new.set_index("year").loc[2023, "target_value"] == 135.0
    assert new.set_index("year").loc[2024, "target_value"] == 150.0
    assert new.set_index("year").loc[2024, "source"] == "管理员录入"


def test_save_replaces_atomically_and_keeps_previous(tmp_path):
    """Test that a save swaps in the new table, keeps the old version and logs who saved it."""
    from cockpit.data.store import DataStore

    targets.save(table(row()), tmp_path)
    assert targets.load(tmp_path)["target_value"].tolist() == [146.0]
    entry = targets.save(table(row(target_value=150.0)), tmp_path, user="李四")
    assert targets.load(tmp_path)["target_value"].tolist() == [150.0]
    store = DataStore(tmp_path)
    versions = store.versions("targets")
    first = tmp_path / "history" / "targets" / f"{versions[0]}.parquet"
    assert pd.read_parquet(first)["target_value"].tolist() == [146.0]
    assert (entry.user, entry.action) == ("李四", "修改目标") and store.history()[-1] == entry
    assert not list(tmp_path.glob("*.tmp*"))


def test_invalid_save_changes_nothing(tmp_path):
    """Test that an invalid table raises and leaves the current file and history untouched."""
    targets.save(table(row()), tmp_path)

    def snapshot():
        return {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    before = snapshot()
    with pytest.raises(ValueError, match="超出范围"):
        targets.save(table(row(target_value=-5.0)), tmp_path)
    assert snapshot() == before


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    """Test that a crash while writing the temp file keeps the old file and removes the temp file."""
    from cockpit.data.store import atomic_write

    targets.save(table(row()), tmp_path)
    before = (tmp_path / "targets.parquet").read_bytes()

    def broken(path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(tmp_path / "targets.parquet", broken)
    assert (tmp_path / "targets.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


def test_concurrent_saves_leave_a_valid_table(tmp_path):
    """Test that saves from several threads serialise: the file is readable and every old version kept."""
    targets.save(table(row()), tmp_path)
    threads = [
        threading.Thread(target=targets.save, args=(table(row(target_value=100.0 + i)), tmp_path)) for i in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from cockpit.data.store import DataStore

    assert targets.load(tmp_path)["target_value"].iloc[0] in {100.0 + i for i in range(6)}
    assert len(DataStore(tmp_path).versions("targets")) == 1 + 7  # the first file ("初始") + 7 saves
    assert len(DataStore(tmp_path).history()) == 7


def test_with_names_adds_name_unit_and_catalogue_order():
    """Test that the 目标表 rows get the catalogue's name and unit and follow its order, 全区 first."""
    df = table(
        row(indicator_id="land_reclaimed", target_value=150.0),
        row(scope_kind="产业链", scope_code="新材料", target_value=60.0),
        row(),
    )
    out = targets.with_names(df)
    assert out["indicator_id"].tolist() == ["output", "land_reclaimed", "output"]
    assert out["scope_kind"].tolist() == ["全区", "全区", "产业链"]
    assert out.loc[1, "name_cn"] == "低效工业用地整治" and out.loc[1, "unit"] == "亩"
