"""Real browser: file bombs uploaded on 数据管理 are rejected with their message while a viewer in another
session keeps working, and the server's memory does not grow with them."""

import os
import time
from pathlib import Path

import make_bad_files as mb
import pytest
from browser import metric_values, nav_to, pick_chain_and_wait, wait_for_app
from test_browser_admin import PASSWORD, admin_app, login, submit_login  # noqa: F401 - admin_app: the fixture

SHOTS = os.environ.get("COCKPIT_SHOTS")
CHAINS = ["新材料", "健康医药", "新装备", "食品饮料", "文化创意", "新能源及电子信息", "其他"]


def bombs(directory: Path) -> list[tuple[Path, str]]:
    """The bomb kinds of the corpus, written for this test: (file, text the admin must see). The file-level
    messages are shown as text; the dimension bomb is read normally and rejected for its negative output,
    a row-level problem shown only in the problem table (a canvas; the corpus test checks the message)."""
    month = mb.frame_rows(mb._set(mb.base_month(), 0, "工业总产值（万元）", -5))
    made = [
        ("维度炸弹.xlsx", mb.dimension_bomb(month), "文件被拒绝"),
        ("压缩炸弹.xlsx", mb.zip_bomb(), "行数过多"),
        ("共享字符串炸弹.xlsx", mb.shared_string_bomb(), "文件解压后过大"),
        ("共享字符串过多.xlsx", mb.many_strings_xlsx(), "文本内容过多"),
        ("一千万行.csv", mb.ten_million_lines_csv(), "行数过多"),
        ("一百万行.xlsx", mb.million_rows_xlsx(), "行数过多"),
    ]
    out = []
    for name, data, message in made:
        (directory / name).write_bytes(data)
        out.append((directory / name, message))
    return out


def server_pid(url: str) -> int:
    """The process serving `url` (found by its --server.port argument)."""
    port = url.rsplit(":", 1)[1].encode()
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"cockpit.app.serve" in args and port in args:
            return int(proc.name)
    raise LookupError(url)


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise LookupError(pid)


def pick_chain(viewer, chain: str) -> float:
    """Add one 产业链 to the viewer's filter; seconds until the 规上工业产值 card shows the new figure."""
    start = time.monotonic()
    pick_chain_and_wait(viewer, chain, "规上工业产值", metric_values(viewer)["规上工业产值"])
    return time.monotonic() - start


def test_bombs_are_rejected_while_a_viewer_keeps_working(chromium, admin_app, tmp_path):
    """Test that each bomb upload ends in 文件被拒绝 with its message, a viewer's filter change in another
    session completes and shows numbers meanwhile, and the server's peak memory barely moves."""
    files = bombs(tmp_path)
    admin = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    viewer = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    rejected = admin.get_by_text("文件被拒绝")
    try:
        login(admin, admin_app, PASSWORD)
        nav_to(admin, "数据管理")
        viewer.goto(f"{admin_app}/?year=2024")
        wait_for_app(viewer)
        pid = server_pid(admin_app)
        before = peak_mb(pid)
        log = [("无上传", round(pick_chain(viewer, CHAINS[0]), 1))]
        for (path, message), chain in zip(files, CHAINS[1:]):
            start = time.monotonic()
            admin.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
            viewer_seconds = pick_chain(viewer, chain)  # a rerun in another session, during the upload
            admin_busy = rejected.count() == 0  # the admin's file was still being read when the viewer was done
            rejected.wait_for(timeout=120_000)
            admin_seconds = time.monotonic() - start
            wait_for_app(admin, timeout=60_000)
            assert admin.get_by_text(message).count() >= 1, path.name
            assert "亿元" in metric_values(viewer)["规上工业产值"]
            assert viewer.locator("[data-testid=stException]").count() == 0
            log.append((path.name, round(viewer_seconds, 1), admin_busy, round(admin_seconds, 1)))
            if SHOTS:
                admin.screenshot(path=str(Path(SHOTS) / f"bomb_{path.stem}.png"), full_page=True)
            admin.locator("[data-testid=stFileChipDeleteBtn]").click()  # clear it for the next upload
            rejected.wait_for(state="detached", timeout=60_000)
        grown = peak_mb(pid) - before
        print(
            "(file, viewer rerun s, admin still reading then, admin rejected s):", log, f"server peak +{grown:.0f} MB"
        )
        assert grown < 300, (grown, log)
        assert admin.locator("[data-testid=stException]").count() == 0
    finally:
        admin.context.close()
        viewer.context.close()


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_reading_notes_and_the_big5_message_are_shown(chromium, admin_app, tmp_path, viewport):
    """Test that the admin sees the title-row and hidden-sheet notes (plain text) with the preview, and the
    Big5 message on a rejection."""
    month = mb.base_month()
    rows = mb.frame_rows(month)
    title = tmp_path / "标题行.xlsx"
    title.write_bytes(
        mb.xlsx([("月报", "visible", [["2024年10月规上工业企业月报"], [], *rows]), ("说明", "veryHidden", [["x"]])])
    )
    big5 = tmp_path / "繁体.csv"
    big5.write_bytes(mb.big5_csv(month))
    width, height = viewport
    admin = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
    try:
        admin.goto(admin_app)
        wait_for_app(admin)
        if width < 600:  # on a phone the sidebar (with the login) starts collapsed
            admin.locator("[data-testid=stExpandSidebarButton]").click()
        submit_login(admin, PASSWORD)
        assert admin.get_by_text("已以管理员身份登录").is_visible()
        wait_for_app(admin)
        nav_to(admin, "数据管理")  # on a phone: in the open sidebar
        if width < 600:
            admin.locator("[data-testid=stSidebarCollapseButton] button").click()
        admin.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(title))
        admin.get_by_text("校验通过：").wait_for(timeout=60_000)
        assert (
            admin.get_by_text(
                "注意：工作表「月报」的表头在第 3 行：上方的标题行「2024年10月规上工业企业月报」已跳过"
            ).count()
            == 1
        )
        assert admin.get_by_text("注意：已忽略隐藏的工作表：「说明」（只读取打开文件时能看到的工作表）").count() == 1
        wait_for_app(admin)
        if SHOTS:
            admin.screenshot(path=str(Path(SHOTS) / f"notes_{width}.png"), full_page=True)
        admin.locator("[data-testid=stFileChipDeleteBtn]").click()
        admin.get_by_text("校验通过：").wait_for(state="detached", timeout=60_000)
        admin.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(big5))
        admin.get_by_text("文件被拒绝").wait_for(timeout=60_000)
        wait_for_app(admin)
        assert admin.get_by_text("文件似乎是 Big5（繁体）编码，请另存为 UTF-8 或 GB18030").count() >= 1
        if SHOTS:
            admin.screenshot(path=str(Path(SHOTS) / f"big5_{width}.png"), full_page=True)
    finally:
        admin.context.close()
