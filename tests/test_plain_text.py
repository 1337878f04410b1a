"""Imported text is shown literally, never as Markdown: the `plain` helper, and hostile names on 安全生产 and
on the 投资与项目 project detail (AppTest). The same strings in the real frontend: tests/test_browser_security.py."""

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from tabs import open_tab

from cockpit.data.db import SAMPLE_DIR
from cockpit.data.store import ensure_working_dir
from cockpit.data.zone import ZONE_FILE
from cockpit.domain.markup import plain

HOSTILE = ["**粗体**", "[链接](http://x)", "<b>x</b>", ":red[x]"]
NAME = "".join(HOSTILE)  # one enterprise / project / assessor / zone name holding all four
ZONE = "__开发区__ :blue[区]"


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("**粗体**", r"\*\*粗体\*\*"),
        ("[链接](http://x)", r"\[链接\]\(http\:\/\/x\)"),
        ("<b>x</b>", r"\<b\>x\<\/b\>"),
        (":red[x]", r"\:red\[x\]"),
        ("$1$ #2 `3` ~4~ _5_ |6|", r"\$1\$ \#2 \`3\` \~4\~ \_5\_ \|6\|"),
        ("新材料", "新材料"),
        ("两行\n文字\r\t\x00", "两行 文字 "),
        (None, ""),
        (12.5, r"12\.5"),
    ],
)
def test_plain_escapes_markdown_and_control_characters(text, escaped):
    """Test that every ASCII punctuation character is backslash-escaped and control characters become spaces."""
    assert plain(text) == escaped


def _rename(directory, table, column, key, value, new):
    path = directory / f"{table}.parquet"
    data = pq.read_table(path)
    column_index = data.schema.get_field_index(column)
    hit = pc.equal(data[key], value) if key else pa.array([True] * len(data))
    replaced = pc.if_else(hit, pa.scalar(new, data.schema.field(column).type), data[column])
    pq.write_table(data.set_column(column_index, data.schema.field(column), replaced), path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A working copy of the sample where the enterprise with the most hazards, one project and every risk
    assessor are called NAME, and whose zone.toml names the zone ZONE."""
    directory = tmp_path_factory.mktemp("hostile") / "work"
    ensure_working_dir(directory, SAMPLE_DIR)
    hazards = pq.read_table(directory / "hazards.parquet").to_pandas()
    ent_id = hazards["ent_id"].value_counts().index[0]
    project_id = pq.read_table(directory / "projects.parquet").to_pandas()["project_id"].iloc[0]
    _rename(directory, "enterprises", "ent_name", "ent_id", ent_id, NAME)
    _rename(directory, "projects", "project_name", "project_id", project_id, NAME)
    _rename(directory, "risk_assessments", "assessor", None, None, NAME)
    # the zone's name travels with its data (zone.toml), written here by hand as a hostile clerk could
    (directory / ZONE_FILE).write_text(f'[zone]\nname = "{ZONE}"\nshort_name = "{ZONE}"\n', encoding="utf-8")
    rules = ROOT / "config" / "rules.toml"
    return {"directory": directory, "rules": rules, "ent_id": ent_id, "project_id": project_id}


@pytest.fixture()
def app(hostile, monkeypatch):
    import streamlit as st

    from cockpit.domain import memo

    monkeypatch.setenv("COCKPIT_DATA_DIR", str(hostile["directory"]))
    monkeypatch.setenv("COCKPIT_RULES", str(hostile["rules"]))
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


def markdown_bodies(at) -> list[str]:
    """The Markdown source of every element that Streamlit renders as Markdown."""
    out = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.error)]
    out += [e.body if hasattr(e, "body") else e.value for e in at.header]
    return [str(x) for x in out]


def test_hostile_names_are_literal_on_safety(app, hostile):
    """Test that on 安全生产 the enterprise picked in the drill-down, the risk assessor and the zone name are
    written Markdown-escaped (the page shows their characters), and no element carries them raw."""
    at = app.switch_page("pages/safety/safety.py").run()
    at.selectbox(key="safety_ent").select(hostile["ent_id"]).run()
    assert not at.exception, at.exception
    bodies = markdown_bodies(at) + markdown_bodies(open_tab(at, "化工集聚区"))  # the assessor: in its tab
    assert any(f"企业：{plain(NAME)}" in b for b in bodies)  # the drill-down's scope caption
    assert any(f"，{plain(NAME)}）" in b for b in bodies)  # 最近一次（日期，评估方）
    assert any(b.startswith(f"{plain(ZONE)} · 安全生产") for b in bodies)  # the page header
    for raw in (*HOSTILE, ZONE):
        assert not any(raw in b for b in bodies), raw


def test_hostile_project_name_is_literal_on_the_project_detail(app, hostile):
    """Test that the 投资与项目 project detail shows a hostile project name as plain text (st.text), the picker's
    note echoes the search escaped, and no Markdown element carries the raw name."""
    at = open_tab(app.switch_page("pages/invest/projects.py").run(), "项目查询")
    at.text_input(key="project_search").input("**粗体**").run()
    at.selectbox(key="project_pick").select(hostile["project_id"]).run()
    assert not at.exception, at.exception
    assert any(t.value.startswith(f"{NAME} · ") for t in at.text)  # st.text: no Markdown at all
    bodies = markdown_bodies(at)
    assert any(b.startswith(f"{plain(ZONE)} · 投资与项目") for b in bodies)
    for raw in (*HOSTILE, ZONE):
        assert not any(raw in b for b in bodies), raw
