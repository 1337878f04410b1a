"""Link values for the filter bar: codes or names map to options; a value that matches nothing is named."""

import pytest

from cockpit.app import filters
from cockpit.app.filters import resolve, unknown_note

SECTORS = {"26": "化学原料和化学制品制造业", "38": "电气机械和器材制造业"}


def test_codes_and_names_map_to_options_in_option_order():
    """Test that a code and a name both select their option, once, in the options' order."""
    assert resolve(["38", "化学原料和化学制品制造业", "26"], SECTORS) == (["26", "38"], [])


def test_unknown_values_are_returned_for_the_note():
    """Test that values matching nothing come back (blanks ignored) and the note names them."""
    keys, unknown = resolve(["XYZ", " ", "26 "], SECTORS)
    assert keys == ["26"] and unknown == ["XYZ"]
    assert unknown_note("片区", ["XYZ"]) == "链接中的片区“XYZ”不存在，已忽略"
    assert unknown_note("行业", ["1", "2"]) == "链接中的行业“1”“2”不存在，已忽略"


@pytest.mark.parametrize(
    "text, label",
    [
        ("12", "1—12月"),
        ("12月", "1—12月"),
        ("1-12月", "1—12月"),
        ("1～9月", "1—9月"),
        ("1—9月", "1—9月"),
        (" 9 ", "1—9月"),
        ("九月", "九月"),
        ("1—9", "1—9月"),
    ],
)
def test_month_values_in_links_are_read_as_the_widget_labels(text, label):
    """Test that a link's 截至月份 written as a number, 'm月' or '1-m月' is read as the widget's '1—m月' label
    (anything else is kept and then reported as matching nothing)."""
    assert filters.month_label(text) == label
