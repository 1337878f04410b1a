"""Named scenarios: presets, URL encoding, save / reload / compare."""

import json

import pytest

from cockpit import scenarios, whatif
from test_whatif import chain_monthly

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
    """Test that a custom scenario is saved as JSON, reloaded, compared with the presets, and versions kept."""
    scenarios.save_custom(tmp_path, "新材料加速", {"新材料": 10.0, "食品饮料": -20.0}, 2024)
    loaded = scenarios.load_custom(tmp_path)
    assert loaded["新材料加速"]["growth"] == {"新材料": 10.0, "食品饮料": -20.0}
    assert loaded["新材料加速"]["year"] == 2024
    raw = json.loads((tmp_path / "scenarios" / "custom.json").read_text(encoding="utf-8"))
    assert "新材料加速" in raw

    scenarios.save_custom(tmp_path, "持平", {"新材料": 0.0, "食品饮料": 0.0}, 2024)
    assert set(scenarios.load_custom(tmp_path)) == {"新材料加速", "持平"}
    assert len(list((tmp_path / "scenarios" / "history").glob("custom-*.json"))) == 1

    base = whatif.chain_base(chain_monthly(), year=2024, month=9)
    table = scenarios.compare(base, {n: s["growth"] for n, s in scenarios.load_custom(tmp_path).items()},
                              {"output": 0.2}).set_index("情景")
    assert table.loc["新材料加速", "全年规上产值（亿元）"] == pytest.approx(0.18)   # 1320 + 480 万元
    assert table.loc["持平", "全年规上产值（亿元）"] == pytest.approx(0.18)       # 1290 + 510 万元
    assert table.loc["新材料加速", "高新增加值占比（%）"] == pytest.approx(264 / 360 * 100)
    assert table.loc["持平", "高新增加值占比（%）"] == pytest.approx(258 / 360 * 100)
    assert table.loc["新材料加速", "产值完成率（%）"] == pytest.approx(90.0)


@pytest.mark.parametrize("name, problem", [("", "请填写"), ("基准", "预设情景"), ("长" * 21, "不超过")])
def test_bad_scenario_names_are_refused(tmp_path, name, problem):
    """Test that empty, preset and over-long names are refused and nothing is written."""
    with pytest.raises(ValueError, match=problem):
        scenarios.save_custom(tmp_path, name, {"新材料": 1.0}, 2024)
    assert not (tmp_path / "scenarios").exists()
