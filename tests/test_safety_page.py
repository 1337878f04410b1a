"""AppTest: the 安全生产 page on the shipped data (cards, overdue list, enterprise drill-down)."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

PAGE = "pages/safety/safety.py"


def safety_page(year: int, month: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="year").select(year).run()
    at.selectbox(key="month").select(month).run()
    assert not at.exception, at.exception
    return at


def registers(at: AppTest):
    """The hazard tables on the page (overdue list and drill-down register), as DataFrames."""
    return [d.value for d in at.dataframe if "hazard_id" in d.value.columns]


def test_2023_shows_zero_accidents_as_the_report_says():
    """Test that 2023 1—12月 shows 0 生产安全事故 with the green light and no overdue hazards."""
    at = safety_page(2023, 12)
    m = {x.label: x.value for x in at.metric}
    assert m["生产安全事故"] == "0 起"
    assert m["到期未整改隐患"] == "0 个"
    assert any("正常" in c.value and "目标 0 起" in c.value for c in at.caption)


def test_overdue_list_puts_major_hazards_first_with_days_overdue():
    """Test that 2024 1—9月 lists every 到期未整改 hazard, 重大 first and longest overdue first."""
    at = safety_page(2024, 9)
    overdue = registers(at)[0]
    count = int(next(x.value for x in at.metric if x.label == "到期未整改隐患").split()[0])
    assert len(overdue) == count > 0
    assert set(overdue["status"]) == {"到期未整改"}
    levels = list(overdue["level"])
    assert levels == sorted(levels, key=lambda v: v != "重大")
    major_days = [int(d) for d, lv in zip(overdue["overdue_days"], levels) if lv == "重大"]
    assert major_days == sorted(major_days, reverse=True)


@pytest.mark.parametrize("year, month", [(2023, 12), (2024, 9)])
def test_enterprise_selector_narrows_the_register(year, month):
    """Test that picking an enterprise shows only that enterprise's hazards, and fewer rows than before."""
    at = safety_page(year, month)
    before = registers(at)[-1]
    choice = at.selectbox(key="safety_ent")
    label = choice.options[1]  # the enterprise with most hazards, shown as "name（N 个）"
    choice.select_index(1).run()
    assert not at.exception, at.exception
    after = registers(at)[-1]
    assert 0 < len(after) < len(before)
    assert after["ent_name"].nunique() == 1
    assert label == f"{after['ent_name'].iloc[0]}（{len(after)} 个）"
