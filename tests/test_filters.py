"""Link values for the filter bar: codes or names map to options; a value that matches nothing is named."""

from cockpit.filters import resolve, unknown_note

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
