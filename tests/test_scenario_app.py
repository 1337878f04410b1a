"""AppTest of the 目标推演 scenario block: only admins save, rename and delete; a same-name save asks first;
the history is capped; viewers still load saved scenarios."""

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_whatif_page import open_page

from cockpit.app.auth import ENV, make_hash
from cockpit.domain import scenarios


@pytest.fixture()
def work(tmp_path, monkeypatch):
    """A private working data directory and a configured admin password; fresh caches."""
    import streamlit as st

    from cockpit.domain import memo

    directory = tmp_path / "work"
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(directory))
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()
    yield directory
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


def save(at: AppTest, name: str) -> AppTest:
    at.text_input(key="whatif_save_name").input(name)
    at.button(key="whatif_save").click().run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def test_a_viewer_cannot_save_but_can_load(work):
    """Test that a viewer gets no save, rename or delete controls (and is told why), nothing is written, and
    a scenario an admin saved is offered to the viewer and loads into the sliders."""
    at = open_page(admin=False)
    assert not [w for w in at.text_input if w.key == "whatif_save_name"]
    assert not [b for b in at.button if b.key in ("whatif_save", "whatif_rename", "whatif_delete")]
    assert "需管理员登录" in texts(at.caption)
    assert scenarios.load_custom(work) == {}

    scenarios.save_custom(work, "新材料加速", {"新材料": 20.0}, 2024)
    at = open_page(admin=False)
    assert "新材料加速" in at.selectbox(key="whatif_pick").options
    at.selectbox(key="whatif_pick").select("新材料加速").run()
    at.button(key="whatif_load").click().run()
    assert at.slider(key="whatif_growth_新材料").value == 20.0


def test_saving_over_a_name_asks_first(work):
    """Test that an admin's second save under the same name changes nothing until 覆盖保存 is clicked,
    that 取消 keeps the old one, and that the overwritten version stays in the history."""
    at = save(open_page(admin=True), "甲")
    assert "已保存情景" in texts(at.success)
    first = scenarios.load_custom(work)["甲"]["growth"]["新材料"]

    at.slider(key="whatif_growth_新材料").set_value(first + 10).run()
    save(at, "甲")
    assert "已有同名情景" in texts(at.warning)
    assert scenarios.load_custom(work)["甲"]["growth"]["新材料"] == first  # nothing written yet
    at.button(key="whatif_overwrite_cancel").click().run()
    assert not [b for b in at.button if b.key == "whatif_overwrite"]
    assert scenarios.load_custom(work)["甲"]["version"] == 1

    save(at, "甲")
    at.button(key="whatif_overwrite").click().run()
    assert not at.exception, at.exception
    assert "已覆盖保存" in texts(at.success)
    saved = scenarios.load_custom(work)["甲"]
    assert saved["growth"]["新材料"] == first + 10 and saved["version"] == 2
    assert [v["growth"]["新材料"] for v in scenarios.history(work, "甲")] == [first + 10, first]


def test_rename(work):
    """Test that an admin renames a scenario: the new name is offered for loading, the old one is gone,
    and a taken name is refused with a message."""
    scenarios.save_custom(work, "甲", {"新材料": 3.0}, 2024)
    scenarios.save_custom(work, "乙", {"新材料": 4.0}, 2024)
    at = open_page(admin=True)
    at.selectbox(key="whatif_manage_pick").select("甲").run()
    at.text_input(key="whatif_rename_to").input("乙").run()
    at.button(key="whatif_rename").click().run()
    assert "已有名为" in texts(at.error)
    at.text_input(key="whatif_rename_to").input("丙").run()
    at.button(key="whatif_rename").click().run()
    assert not at.exception, at.exception
    assert set(scenarios.load_custom(work)) == {"乙", "丙"}
    assert scenarios.load_custom(work)["丙"]["growth"] == {"新材料": 3.0}
    assert {"乙", "丙"} <= set(at.selectbox(key="whatif_pick").options)
    assert "甲" not in at.selectbox(key="whatif_pick").options


def test_delete_needs_the_confirmation(work):
    """Test that 删除情景 is disabled until the confirmation is ticked, then deletes the scenario."""
    scenarios.save_custom(work, "甲", {"新材料": 3.0}, 2024)
    at = open_page(admin=True)
    assert at.button(key="whatif_delete").disabled
    at.checkbox(key="whatif_delete_confirm").check().run()
    at.button(key="whatif_delete").click().run()
    assert not at.exception, at.exception
    assert scenarios.load_custom(work) == {}
    assert "已删除情景" in texts(at.success)
    assert "甲" not in at.selectbox(key="whatif_pick").options


def test_history_is_capped(work, tmp_path, monkeypatch):
    """Test that saving one name four times through the page keeps only the configured number of versions."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        (ROOT / "config" / "rules.toml").read_text(encoding="utf-8").replace("keep_versions = 20", "keep_versions = 2"),
        encoding="utf-8",
    )
    monkeypatch.setenv("COCKPIT_RULES", str(rules))
    at = save(open_page(admin=True), "甲")
    for growth in (5.0, 6.0, 7.0):
        at.slider(key="whatif_growth_新材料").set_value(growth).run()
        save(at, "甲")
        at.button(key="whatif_overwrite").click().run()
    assert [(v["version"], v["growth"]["新材料"]) for v in scenarios.history(work, "甲")] == [(4, 7.0), (3, 6.0)]
    assert "（第 4 版），保留 2 个版本；每个情景保留最近 2 个版本" in texts(at.caption)
