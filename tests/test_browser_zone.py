"""Real browser: an admin starts a new zone by uploading its onboarding workbook on 数据管理, 总览 then shows the
zone's name and 产值, and a rollback to 初始 returns the empty zone."""

import os
import tempfile
from pathlib import Path

import new_zone as nz
import pytest
from browser import metric_values, nav_to, streamlit_server, wait_for_app
from test_browser_admin import login as login_with

from cockpit.app.auth import make_hash
from cockpit.data.templates import onboarding_bytes
from cockpit.data.zone import Zone, init

PASSWORD = "qingshan-测试-2025"
SHOTS = os.environ.get("COCKPIT_SHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def zone_app():
    """A server on a freshly started, empty 青山经开区."""
    directory = init(Path(tempfile.mkdtemp(prefix="cockpit-zone-")) / "data", Zone(nz.NAME, nz.SHORT, nz.COUNTY))
    env = {"COCKPIT_ADMIN_PASSWORD_HASH": make_hash(PASSWORD), "COCKPIT_DATA_DIR": str(directory)}
    with streamlit_server(env=env) as url:
        yield url


def login(page, url):
    login_with(page, url, PASSWORD)
    nav_to(page, "数据管理")


def fill_clerk(page, name="测试员"):
    panel = page.locator("[role=tabpanel]:visible")
    panel.get_by_label("经办人").first.fill(name)
    page.keyboard.press("Enter")
    wait_for_app(page)


def test_onboarding_upload_then_rollback_to_the_empty_zone(page, zone_app, tmp_path):
    """Test upload → preview → commit on 数据管理; 总览 shows 青山经济开发区 and 2025年1—4月 产值 0.90 亿元
    (4 × 2,250 万元: February holds 1—2月); rollback to 初始 shows the empty zone again."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(zone_app)
    wait_for_app(page)
    assert page.title().startswith(f"{nz.SHORT} · 领导驾驶舱")
    page.get_by_text("尚无企业月度统计数据").wait_for(timeout=20_000)

    sheets = {t: make() for t, make in nz.SHEETS.items()}
    sheets["enterprise_month"] = nz.enterprise_month([k for k in nz.MONTHS if k <= (2025, 4)])
    book = tmp_path / "青山经开区入驻工作簿.xlsx"
    book.write_bytes(nz.fill_workbook(onboarding_bytes(), sheets))
    login(page, zone_app)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(book))
    page.get_by_text("校验通过").wait_for(timeout=60_000)
    assert page.get_by_text("企业名录").count() >= 1
    shot(page, "zone_onboarding_preview")
    fill_clerk(page)
    page.get_by_role("button", name="提交导入").click()
    page.get_by_text("已提交").wait_for(timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0

    page.goto(zone_app)
    wait_for_app(page)
    assert page.get_by_role("heading", name=f"{nz.NAME} · 总览").count() == 1
    assert page.get_by_text("2025年1—4月").count() >= 1
    assert metric_values(page)["规上工业产值"] == "0.90 亿元"
    shot(page, "zone_overview_after_onboarding")

    login(page, zone_app)
    page.get_by_role("tab", name="历史与回滚").click()
    box = page.locator("[data-testid=stSelectbox]").filter(has_text="恢复到版本").first
    box.locator("input").click()
    page.get_by_role("option").filter(has_text="初始").click()
    wait_for_app(page)
    fill_clerk(page)
    page.get_by_role("button", name="回滚", exact=True).click()
    page.get_by_text("已回滚到版本 初始").wait_for(timeout=60_000)

    page.goto(zone_app)
    wait_for_app(page)
    page.get_by_text("尚无企业月度统计数据").wait_for(timeout=20_000)
    assert page.locator("[data-testid=stMetric]").count() == 0
