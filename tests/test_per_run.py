"""Values read once per script run (cockpit.app.ui.once_per_run) and the data directory resolved once per value
(cockpit.data.db.data_dir)."""

import os

from streamlit.testing.v1 import AppTest

from cockpit.app import ui
from cockpit.data import db


def script():
    import streamlit as st

    from cockpit.app import ui

    calls = st.session_state.setdefault("calls", [])

    def compute():
        calls.append(1)
        return len(calls)

    first, again, other = ui.once_per_run("k", compute), ui.once_per_run("k", compute), ui.once_per_run("j", compute)
    st.text(f"{first} {again} {other}")


def test_a_value_is_computed_once_per_run_and_again_in_the_next_run():
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert at.text[0].value == "1 1 2"  # "k" once, then "j"
    at.run()
    assert at.text[0].value == "3 3 4"  # a new run computes again: a changed file shows on the next rerun
    assert not at.exception


def test_outside_a_script_run_it_is_computed_every_call():
    calls = []
    assert [ui.once_per_run("k", lambda: calls.append(1) or len(calls)) for _ in range(3)] == [1, 2, 3]


def test_the_data_directory_follows_the_variable_and_the_working_directory(tmp_path, monkeypatch):
    """Test that a relative $COCKPIT_DATA_DIR resolves against the current working directory (cached per pair),
    links are resolved, and an absolute value does not depend on the working directory."""
    for name in ("a", "b"):
        (tmp_path / name / "zone").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "a" / "zone")
    monkeypatch.setenv("COCKPIT_DATA_DIR", "zone")
    monkeypatch.chdir(tmp_path / "a")
    assert db.data_dir() == (tmp_path / "a" / "zone").resolve()
    monkeypatch.chdir(tmp_path / "b")
    assert db.data_dir() == (tmp_path / "b" / "zone").resolve()
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path / "link"))
    assert db.data_dir() == (tmp_path / "a" / "zone").resolve()
    monkeypatch.chdir(tmp_path)
    assert db.data_dir() == (tmp_path / "a" / "zone").resolve()
    monkeypatch.delenv("COCKPIT_DATA_DIR")
    assert db.data_dir() == db.WORKING_DIR.resolve()
    assert os.path.isabs(db.data_dir())
