"""AppTest of the admin login: a lockout per client address that a restart does not lift."""

import sqlite3

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app import auth, gate
from cockpit.app.auth import ENV, make_hash

VIEWER, ADMIN = "198.51.100.7", "192.0.2.1"


@pytest.fixture()
def work(tmp_path, monkeypatch):
    """A private working data directory, a configured password, fresh caches (a new process has none)."""
    directory = tmp_path / "work"
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(directory))
    monkeypatch.setenv(ENV, make_hash("right", iterations=1000))
    restart()
    yield directory
    restart()


def restart() -> None:
    """What a server restart forgets: every Streamlit cache and the query memo."""
    import streamlit as st

    from cockpit.domain import memo

    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()


def session(monkeypatch, address: str) -> AppTest:
    """A new browser session whose connection comes from `address`."""
    monkeypatch.setattr(gate, "client_address", lambda: address)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()


def log_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="admin_password").input(password)
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, at.exception
    return at


def is_admin(at: AppTest) -> bool:
    return bool(at.session_state["_cockpit_admin"]) if "_cockpit_admin" in at.session_state else False


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_wrong_passwords_lock_one_address_and_a_restart_keeps_the_lock(work, monkeypatch):
    """Test that five wrong passwords from the viewer's address refuse even the right one from there, that the
    admin on another address still logs in, and that after a restart (caches gone, a new connection to the
    state database) the viewer's address is still locked."""
    viewer = session(monkeypatch, VIEWER)
    for _ in range(4):
        assert "密码不正确" in errors(log_in(viewer, "wrong"))
    assert "暂停" in errors(log_in(viewer, "wrong"))
    assert "暂停" in errors(log_in(viewer, "right")) and not is_admin(viewer)
    assert "暂停" in errors(log_in(session(monkeypatch, VIEWER), "right"))  # a new session: same address

    admin = log_in(session(monkeypatch, ADMIN), "right")
    assert is_admin(admin) and not errors(admin)

    restart()
    with sqlite3.connect(work / "state.sqlite") as con:
        assert con.execute("select subject from auth_locks").fetchall() == [(f"address:{VIEWER}",)]
    again = log_in(session(monkeypatch, VIEWER), "right")
    assert "暂停" in errors(again) and not is_admin(again)


def test_lock_expires(work, monkeypatch):
    """Test that the address may log in again once the lock has run out (the clock moved past it)."""
    viewer = session(monkeypatch, VIEWER)
    for _ in range(5):
        log_in(viewer, "wrong")
    real_time = auth.time.time
    monkeypatch.setattr(auth.time, "time", lambda: real_time() + 301)
    assert is_admin(log_in(session(monkeypatch, VIEWER), "right"))
