"""The 总览 cards from query rows: values in display units, 同比, 完成率, lights."""

import pandas as pd
import pytest

from cockpit.cards import overview_cards
from cockpit.config import GradeRule, Rules, StatusRule
from cockpit.metrics import Status

RULES = Rules(StatusRule(10.0), GradeRule())


def frames():
    industry = pd.DataFrame({"year": [2024, 2023], "output_wan": [900000.0, 800000.0],
                             "value_added_wan": [150000.0, 140000.0],
                             "high_tech_va_wan": [126000.0, 112000.0],
                             "mujun_va_wan_per_mu": [70.0, 66.0]})
    investment = pd.DataFrame({"year": [2024, 2023], "fai_wan": [150000.0, 130000.0],
                               "industrial_invest_wan": [100000.0, 90000.0],
                               "high_tech_invest_wan": [60000.0, None], "project_count": [80, 75]})
    land = pd.DataFrame({"year": [2024, 2023], "reclaimed_mu": [105.0, 100.0]})
    safety = pd.DataFrame({"year": [2024, 2023], "major_open": [3, 1], "accidents": [0, 0]})
    targets = pd.DataFrame({"indicator_id": ["output", "land_reclaimed", "accidents"],
                            "target_value": [120.0, 150.0, 0.0]})
    return industry, investment, land, safety, targets


def test_overview_cards():
    """Test values, 同比, 完成率 and lights on hand-checked numbers (1—9月)."""
    cards = {c.indicator_id: c for c in overview_cards(*frames(), year=2024, month=9, rules=RULES)}
    out = cards["output"]
    assert out.value == 90.0 and out.value_text == "90.00 亿元"
    assert out.change == pytest.approx(12.5) and out.change_text == "同比 +12.5%"
    assert out.completion == 75.0 and out.progress == 75.0 and out.status == Status.GREEN
    share = cards["high_tech_share"]
    assert share.value == pytest.approx(84.0) and share.change == pytest.approx(4.0)
    assert share.change_text == "同比 +4.0 个百分点"
    land = cards["land_reclaimed"]
    assert land.completion == 70.0 and land.status == Status.YELLOW  # 5 points behind 75 %
    assert cards["accidents"].status == Status.GREEN
    assert cards["high_tech_invest"].change is None  # last year missing → no 同比
    assert cards["fai"].target is None and cards["fai"].status is None
    hazards = cards["major_hazards_open"]
    assert hazards.higher_is_better is False and hazards.change == 2
    assert hazards.change_text == "比上年同期 +2 个"
    assert cards["accidents"].change_text == "与上年同期持平（0 起）"
