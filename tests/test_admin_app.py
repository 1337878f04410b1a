"""AppTest: the admin gate, and an import seen by the dashboard on the next rerun without a restart."""

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit.app.auth import ENV, make_hash
from cockpit.data.db import SAMPLE_DIR
from cockpit.data.ingest import import_file
from cockpit.data.schema import SPECS

ADMIN_PAGE = str(ROOT / "pages" / "admin" / "data.py")


def texts(at) -> str:
    return " ".join(e.value for e in at.error) + " ".join(str(m.value) for m in at.markdown)


def test_admin_page_refuses_without_a_configured_password(monkeypatch):
    """Test that with no password configured the admin page refuses and shows no uploader."""
    monkeypatch.delenv(ENV, raising=False)
    at = AppTest.from_file(ADMIN_PAGE, default_timeout=30).run()
    assert "未配置管理员密码" in texts(at)
    assert not at.get("file_uploader")


def test_admin_page_refuses_a_viewer(monkeypatch):
    """Test that with a password configured but no login the admin page refuses."""
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    at = AppTest.from_file(ADMIN_PAGE, default_timeout=30).run()
    assert "仅限管理员" in texts(at)
    assert not at.get("file_uploader")


def test_admin_page_opens_for_an_admin_and_nav_shows_it(monkeypatch):
    """Test that a logged-in admin gets the page, and the entry script lists it in the navigation."""
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    at = AppTest.from_file(ADMIN_PAGE, default_timeout=30)
    at.session_state["_cockpit_admin"] = True
    at.run()
    assert not at.exception and not at.error
    assert at.get("file_uploader")


def test_entry_script_registers_the_admin_page_only_for_admins(monkeypatch):
    """Test that the admin page is not registered for a viewer, and an admin gets the uploader."""
    monkeypatch.setenv(ENV, make_hash("pw", iterations=1000))
    viewer = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        viewer.switch_page("pages/admin/data.py")

    admin = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    admin.session_state["_cockpit_admin"] = True
    admin.run()
    admin.switch_page("pages/admin/data.py").run()
    assert not admin.exception
    assert admin.get("file_uploader")


def test_import_is_visible_on_the_next_rerun(tmp_path, monkeypatch):
    """Test that after an import the running app shows the new month on its next rerun (no restart)."""
    work = tmp_path / "work"
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(work))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="year").select(2024).run()
    assert at.selectbox(key="month").value == 9
    em = pd.read_parquet(SAMPLE_DIR / "enterprise_month.parquet")
    rows = em[(em.year == 2024) & (em.month == 9)].assign(month=10)
    data = (
        rows.rename(columns={c.name: c.header for c in SPECS["enterprise_month"].columns}).to_csv(index=False).encode()
    )
    assert import_file(data, "10月.csv", work, user="u").ok
    at.run()
    assert 10 in at.selectbox(key="month").options or "1—10月" in at.selectbox(key="month").options
    at.selectbox(key="month").select(10).run()
    assert not at.exception
    assert any("2024年1—10月" in c.value for c in at.caption)


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with fresh Streamlit caches (the working directory differs per test)."""
    import streamlit as st

    from cockpit.domain import memo

    st.cache_data.clear()
    st.cache_resource.clear()
    memo.clear()
    yield
