"""Real browser: the admin gate and an upload through the 数据管理 page that the 总览 then shows."""

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from browser import metric_values, nav_to, streamlit_server, wait_for_app, wait_for_expanders_still

from cockpit.app.auth import make_hash
from cockpit.data.db import SAMPLE_DIR
from cockpit.data.schema import SPECS

PASSWORD = "kaihua-测试-2024"
SHOTS = os.environ.get("COCKPIT_SHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def admin_app():
    """A server with an admin password and its own working data directory."""
    env = {
        "COCKPIT_ADMIN_PASSWORD_HASH": make_hash(PASSWORD),
        "COCKPIT_DATA_DIR": tempfile.mkdtemp(prefix="cockpit-admin-"),
    }
    with streamlit_server(env=env) as url:
        yield url


def october_file(tmp_path) -> Path:
    """A CSV of 2024-10 (the September rows, one month later), with the template's Chinese headers."""
    em = pd.read_parquet(SAMPLE_DIR / "enterprise_month.parquet")
    rows = em[(em.year == 2024) & (em.month == 9)].assign(month=10)
    headers = {c.name: c.header for c in SPECS["enterprise_month"].columns}
    path = tmp_path / "2024年10月企业月报.csv"
    rows.rename(columns=headers).to_csv(path, index=False, encoding="gb18030")
    return path


def submit_login(page, password: str) -> None:
    """Submit the sidebar login form (open or not) and wait for its answer: logged in, or 密码不正确.

    The form is filled and submitted only once the expander has finished opening (`wait_for_expanders_still`):
    a click on 登录 during the last moment of the expander's animation was released on the expander's title, so no
    submit left the browser (the login that "showed nothing" in two full runs, reproduced with the server and the
    browser's events traced)."""
    if not page.get_by_label("密码").is_visible():
        page.get_by_text("管理员登录", exact=True).click()
    wait_for_expanders_still(page)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已以管理员身份登录").or_(page.get_by_text("密码不正确")).first.wait_for(timeout=30_000)


def login(page, url, password):
    page.goto(url)
    wait_for_app(page)
    submit_login(page, password)


def test_admin_page_hidden_without_login(page, admin_app):
    """Test that viewers see no 数据管理 in the navigation and a wrong password does not open it."""
    page.goto(admin_app)
    wait_for_app(page)
    assert page.get_by_role("link", name="数据管理").count() == 0
    login(page, admin_app, "wrong-password")
    page.get_by_text("密码不正确").wait_for(timeout=20_000)
    wait_for_app(page)
    assert page.get_by_role("link", name="数据管理").count() == 0


def test_upload_through_the_page_shows_the_new_figure(page, admin_app, tmp_path):
    """Test that an admin uploads 2024-10 data, commits it, and the 总览 then offers and shows 1—10月."""
    page.goto(f"{admin_app}/?year=2024")
    wait_for_app(page)
    before = metric_values(page)["规上工业产值"]
    assert page.get_by_text("2024年1—9月").count() >= 1

    login(page, admin_app, PASSWORD)
    nav_to(page, "数据管理")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(october_file(tmp_path)))
    page.get_by_text("校验通过").wait_for(timeout=30_000)
    shot(page, "admin_preview")
    page.get_by_label("经办人").first.fill("测试员")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="提交导入").click()
    page.get_by_text("已提交").wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0

    page.goto(f"{admin_app}/?year=2024")
    wait_for_app(page)
    assert page.get_by_text("2024年1—10月").count() >= 1
    after = metric_values(page)["规上工业产值"]
    assert float(after.split()[0]) > float(before.split()[0])
    shot(page, "overview_after_import")
