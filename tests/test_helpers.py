"""The helpers kept in one copy each (cockpit.domain.format): "no value", the as-of date of a period, the note of a list
that shows only its first rows."""

import datetime as dt
import math

import numpy as np
import pandas as pd

from cockpit.domain import enterprise, indicators, land, metrics, projects, safety
from cockpit.domain import format as fmt
from cockpit.report import narrative


def test_is_blank_is_the_one_test_of_no_value():
    """Test None, NaN (float and numpy), NaT and NA are blank; 0, '', text and dates are not; and the modules that
    once had their own copy use this one."""
    for blank in (None, math.nan, np.float64("nan"), pd.NaT, pd.NA):
        assert fmt.is_blank(blank), blank
    for value in (0, 0.0, "", "甲", dt.date(2024, 1, 1), np.int64(3)):
        assert not fmt.is_blank(value), value
    for module in (enterprise, land, metrics, narrative, safety):
        assert module._missing is fmt.is_blank, module.__name__
    assert indicators._missing is fmt.is_blank
    assert metrics.yoy(pd.NA, 100) is None  # NA once reached a comparison and raised


def test_as_of_date_is_the_end_of_the_period_label():
    """Test the as-of date: the month's last day, leap February, and 1—2月 (month 1 or 2) ending in February,
    as period_label names it; projects and safety use the same function."""
    assert fmt.as_of_date(2024, 9) == dt.date(2024, 9, 30)
    assert fmt.as_of_date(2024, 2) == fmt.as_of_date(2024, 1) == dt.date(2024, 2, 29)
    assert fmt.as_of_date(2023, 1) == dt.date(2023, 2, 28) and fmt.period_label(2023, 1) == "2023年1—2月"
    assert fmt.as_of_date(2023, 12) == dt.date(2023, 12, 31)
    assert projects.as_of_date is fmt.as_of_date and safety.as_of_date is fmt.as_of_date


def test_shown_note_for_a_list_cut_to_its_first_rows():
    """Test the note with and without the total, None (or '') when every row is shown."""
    assert fmt.shown_note(40106, 200, "项") == "共 40,106 项，显示前 200 项；下载 Excel 可得全部"
    assert fmt.shown_note(640, 200, "条", total_said=True) == "，显示前 200 条；下载 Excel 可得全部"
    assert fmt.shown_note(200, 200) is None and fmt.shown_note(3, 10) is None
    assert projects.list_note(40106, 200, "项") == fmt.shown_note(40106, 200, "项")
    assert safety.list_note(640, 200) == "，显示前 200 条；下载 Excel 可得全部" and safety.list_note(5, 200) == ""


def test_one_reader_of_the_rules_file(tmp_path):
    """Test that the modules read their section of the rules file through config.read_rules: values given in the
    file win, a missing file or section gives each module's documented default."""
    from cockpit.data import config, ingest

    path = tmp_path / "rules.toml"
    path.write_text(
        "[land]\nmujun_tax_floor_wan = 7.5\n[projects]\nlag_yellow_months = 2\n[ingest]\nfuture_years = 5\n",
        encoding="utf-8",
    )
    assert config.read_rules(path)["land"] == {"mujun_tax_floor_wan": 7.5}
    assert config.rules_section("status", path) == {} and config.read_rules(tmp_path / "none.toml") == {}
    assert land.load_floor(path) == 7.5 and land.load_floor(tmp_path / "none.toml") == land.DEFAULT_FLOOR_WAN
    assert projects.load_lag_rule(path).yellow_months == 2
    assert ingest.load_window(path).future_years == 5 and ingest.load_window(tmp_path / "none.toml").future_years == 3
    # parsed once per content, read on every call: a change (even of the same size, at once) is seen, and a
    # caller that changes what it got changes nothing for the next
    got = config.read_rules(path)
    got["land"]["mujun_tax_floor_wan"] = 99
    assert config.read_rules(path)["land"] == {"mujun_tax_floor_wan": 7.5}
    path.write_text(path.read_text(encoding="utf-8").replace("7.5", "8.5"), encoding="utf-8")
    assert config.read_rules(path)["land"] == {"mujun_tax_floor_wan": 8.5}


def test_targets_by_indicator():
    """Test the one reading of a targets frame as indicator → value (floats), used by goal seek and the sliders."""
    from cockpit.domain import targets

    df = pd.DataFrame({"indicator_id": ["output", "fai", "tax"], "target_value": [0.1, 5, None]}, dtype=object)
    assert targets.by_indicator(df) == {"output": 0.1, "fai": 5.0, "tax": None}
    assert targets.by_indicator(df.iloc[:0]) == {}
    assert targets._blank("  ") and targets._blank(pd.NA) and not targets._blank(0)
