"""Named scenarios: presets, URL encoding, save / reload / compare."""

import json
import sqlite3

import pytest
from test_whatif import chain_monthly

from cockpit.domain import scenarios, whatif

CHAINS = ["新材料", "食品饮料"]


def test_presets_follow_the_ytd_growth():
    """Test that 基准 carries each chain's 同比 on (rounded), 保守 −5, 乐观 +5, clamped to the slider."""
    yoy = {"新材料": 7.6, "食品饮料": None, "新能源及电子信息": 80.0}
    assert scenarios.preset("基准", yoy) == {"新材料": 8.0, "食品饮料": 0.0, "新能源及电子信息": 50.0}
    assert scenarios.preset("保守", yoy) == {"新材料": 3.0, "食品饮料": -5.0, "新能源及电子信息": 45.0}
    assert scenarios.preset("乐观", yoy)["新材料"] == 13.0


def test_url_round_trip():
    """Test that the assumptions survive encode → decode."""
    growth = {"新材料": 5.0, "食品饮料": -2.5}
    text = scenarios.encode(growth)
    assert text == "新材料:5,食品饮料:-2.5"
    assert scenarios.decode(text, CHAINS) == growth


def test_url_decode_ignores_unknown_and_junk():
    """Test that unknown chains, non-numbers and injected text are dropped and values are clamped."""
    text = "新材料:999,新农业:5,食品饮料:abc,'; drop table x;--:1,食品饮料:nan"
    assert scenarios.decode(text, CHAINS) == {"新材料": scenarios.GROWTH_MAX}
    assert scenarios.decode(None, CHAINS) == {} and scenarios.decode("", CHAINS) == {}
    assert scenarios.decode("新材料:1.26", CHAINS) == {"新材料": 1.5}


def test_scenario_saved_reloaded_and_compared(tmp_path):
    """Test that a custom scenario is saved in the state database, reloaded after a new connection, and
    compared with the presets."""
    assert scenarios.save_custom(tmp_path, "新材料加速", {"新材料": 10.0, "食品饮料": -20.0}, 2024) == 1
    loaded = scenarios.load_custom(tmp_path)
    assert loaded["新材料加速"]["growth"] == {"新材料": 10.0, "食品饮料": -20.0}
    assert loaded["新材料加速"]["year"] == 2024 and loaded["新材料加速"]["version"] == 1
    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        assert con.execute("select name, version from scenario_versions").fetchall() == [("新材料加速", 1)]

    scenarios.save_custom(tmp_path, "持平", {"新材料": 0.0, "食品饮料": 0.0}, 2024)
    assert list(scenarios.load_custom(tmp_path)) == ["持平", "新材料加速"]

    base = whatif.chain_base(chain_monthly(), year=2024, month=9)
    table = scenarios.compare(
        base, {n: s["growth"] for n, s in scenarios.load_custom(tmp_path).items()}, {"output": 0.2}
    ).set_index("情景")
    assert table.loc["新材料加速", "全年规上产值（亿元）"] == pytest.approx(0.18)  # 1320 + 480 万元
    assert table.loc["持平", "全年规上产值（亿元）"] == pytest.approx(0.18)  # 1290 + 510 万元
    assert table.loc["新材料加速", "高新增加值占比（%）"] == pytest.approx(264 / 360 * 100)
    assert table.loc["持平", "高新增加值占比（%）"] == pytest.approx(258 / 360 * 100)
    assert table.loc["新材料加速", "产值完成率（%）"] == pytest.approx(90.0)


def test_saving_over_a_name_needs_the_version_it_replaces(tmp_path):
    """Test that a second save of a name is refused unless it names the newest version, so a page must ask,
    and that a save which raced with another (an older version named) is refused too."""
    scenarios.save_custom(tmp_path, "甲", {"新材料": 1.0}, 2024)
    with pytest.raises(scenarios.Exists) as asked:
        scenarios.save_custom(tmp_path, "甲", {"新材料": 2.0}, 2024)
    assert asked.value.version == 1 and "已有同名情景" in str(asked.value)
    assert scenarios.load_custom(tmp_path)["甲"]["growth"] == {"新材料": 1.0}  # nothing overwritten
    assert scenarios.save_custom(tmp_path, "甲", {"新材料": 2.0}, 2024, replace=1) == 2
    with pytest.raises(scenarios.Exists):  # another admin was shown version 1 too
        scenarios.save_custom(tmp_path, "甲", {"新材料": 3.0}, 2024, replace=1)
    kept = scenarios.load_custom(tmp_path)["甲"]
    assert kept["growth"] == {"新材料": 2.0} and kept["version"] == 2 and kept["versions"] == 2
    assert [v["growth"] for v in scenarios.history(tmp_path, "甲")] == [{"新材料": 2.0}, {"新材料": 1.0}]


def test_history_is_capped_per_scenario(tmp_path):
    """Test that only the newest `keep` versions of a name are kept, and other names are untouched."""
    scenarios.save_custom(tmp_path, "乙", {"新材料": 0.0}, 2024, keep=3)
    for i in range(1, 6):
        scenarios.save_custom(tmp_path, "甲", {"新材料": float(i)}, 2024, replace=i - 1 or None, keep=3)
    assert [v["version"] for v in scenarios.history(tmp_path, "甲")] == [5, 4, 3]
    assert [v["growth"]["新材料"] for v in scenarios.history(tmp_path, "甲")] == [5.0, 4.0, 3.0]
    assert len(scenarios.history(tmp_path, "乙")) == 1


def test_the_cap_comes_from_the_rules_file(tmp_path, monkeypatch):
    """Test that [scenarios] keep_versions of the rules file sets the cap (default 20)."""
    assert scenarios.keep_versions() == 20
    rules = tmp_path / "rules.toml"
    rules.write_text("[scenarios]\nkeep_versions = 2\n", encoding="utf-8")
    monkeypatch.setenv("COCKPIT_RULES", str(rules))
    assert scenarios.keep_versions() == 2
    for i in range(1, 5):
        scenarios.save_custom(tmp_path, "甲", {"新材料": float(i)}, 2024, replace=i - 1 or None)
    assert [v["version"] for v in scenarios.history(tmp_path, "甲")] == [4, 3]


def test_delete_and_rename(tmp_path):
    """Test that delete removes every version, rename moves every version, and rename refuses a taken name."""
    scenarios.save_custom(tmp_path, "甲", {"新材料": 1.0}, 2024)
    scenarios.save_custom(tmp_path, "甲", {"新材料": 2.0}, 2024, replace=1)
    scenarios.save_custom(tmp_path, "乙", {"新材料": 9.0}, 2024)
    with pytest.raises(ValueError, match="已有名为"):
        scenarios.rename_custom(tmp_path, "甲", "乙")
    with pytest.raises(ValueError, match="预设"):
        scenarios.rename_custom(tmp_path, "甲", "基准")
    scenarios.rename_custom(tmp_path, "甲", "丙")
    assert set(scenarios.load_custom(tmp_path)) == {"乙", "丙"}
    assert [v["growth"]["新材料"] for v in scenarios.history(tmp_path, "丙")] == [2.0, 1.0]
    with pytest.raises(ValueError, match="不存在"):
        scenarios.rename_custom(tmp_path, "甲", "丁")
    assert scenarios.delete_custom(tmp_path, "丙") is True
    assert scenarios.delete_custom(tmp_path, "丙") is False
    assert set(scenarios.load_custom(tmp_path)) == {"乙"} and scenarios.history(tmp_path, "丙") == []


def test_scenarios_of_the_old_json_file_are_imported_once(tmp_path):
    """Test that scenarios an earlier version saved in scenarios/custom.json appear, and a deleted one does not
    come back on the next load."""
    legacy = tmp_path / "scenarios" / "custom.json"
    legacy.parent.mkdir()
    legacy.write_text(
        json.dumps(
            {"旧情景": {"growth": {"新材料": 4.0}, "year": 2023, "saved": "20240101-1"}, "坏/名": {"growth": {}}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert scenarios.load_custom(tmp_path)["旧情景"]["growth"] == {"新材料": 4.0}
    assert list(scenarios.load_custom(tmp_path)) == ["旧情景"]
    scenarios.delete_custom(tmp_path, "旧情景")
    assert scenarios.load_custom(tmp_path) == {} and legacy.exists()


@pytest.mark.parametrize(
    "name, problem",
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("基准", "预设"),
        ("当前假设", "预设"),
        ("长" * 21, "不超过"),
        ("a/b", "字符"),
        ("..\\x", "字符"),
        ("..", "句点"),
        ("C:盘", "字符"),
        ("两行\n名称", "控制字符"),
        ("t\tab", "控制字符"),
        ("右\u202e左", "不可见"),
        ("零\u200b宽", "不可见"),
        ("nul\x00", "控制字符"),
    ],
)
def test_bad_scenario_names_are_refused(tmp_path, name, problem):
    """Test that empty, reserved, over-long, path-like and control-character names are refused, nothing written."""
    with pytest.raises(ValueError, match=problem):
        scenarios.save_custom(tmp_path, name, {"新材料": 1.0}, 2024)
    assert not (tmp_path / "state.sqlite").exists()
