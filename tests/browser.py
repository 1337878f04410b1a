"""Real-browser helpers: a `cockpit.app.serve` (`streamlit run`) server on a free port and Debian's Chromium via Playwright.

No browser download: Playwright drives /usr/bin/chromium (apt package `chromium`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict | None = None, timeout: float = 60.0, warm: bool = True):
    """Start the app as `make run` does (`python -m cockpit.app.serve`, i.e. `streamlit run app.py` with the
    preload and the serving rules) headless on a free port, listening where the configuration says (127.0.0.1
    unless `env` sets COCKPIT_ADDRESS); yield its base URL on 127.0.0.1 once it answers and (`warm`) the app has
    run once in it."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "cockpit.app.serve",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    log = tempfile.TemporaryFile()  # a file, not a pipe: a chatty server never blocks on it
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        from cockpit.app.warmup import wait_healthy, warm_up

        try:
            wait_healthy(base, timeout, alive=lambda: proc.poll() is None)
        except TimeoutError:
            log.seek(0)
            raise RuntimeError("streamlit did not start:\n" + log.read().decode(errors="replace")) from None
        if warm:
            warm_up(base)  # the server's own warm-up has run (sessions wait for it) and the caches are filled
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile))"
)


def watched_page(chromium, width: int, height: int):
    """(context, page, messages): a page at width×height in a new context whose console messages, page errors and
    CSP violations (reported by REPORT_CSP) are collected in `messages`."""
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    page.add_init_script(REPORT_CSP)
    return context, page, messages


def csp_problems(messages: list[str]) -> list[str]:
    """The collected messages that tell of a CSP violation or a script error."""
    return [m for m in messages if "Content Security Policy" in m or "CSP violation" in m or "pageerror" in m]


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished running and no skeleton placeholders remain."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=timeout)


def wait_for_expanders_still(page, timeout: float = 10_000) -> None:
    """Wait until no expander is opening or closing.

    Streamlit 1.67 animates an expander's height (500 ms, Web Animations API) over an inline height fixed at the
    start value — the collapsed one when it opens — which only the animation's `finish` handler removes. A click
    whose press and release straddle the end of that animation can be released on another element (seen in a traced
    run: pressed on 登录, released on the expander's title, the sidebar being scrolled to the form): the browser then
    sends no click to the button and the form is never submitted. Most likely the opened expander is laid out at the
    collapsed height for a moment, the sidebar's scroll range shrinks and its scroll position clamps, so its
    contents jump under the pointer. A person cannot type a password within those 500 ms; a test can."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stExpander] details')]"
        ".every(d => !d.style.height && d.getAnimations().length === 0)",
        timeout=timeout,
    )


def metric_values(page) -> dict[str, str]:
    """Card label → displayed value, read from the rendered stMetric elements."""
    out = {}
    for metric in page.locator("[data-testid=stMetric]").all():
        label = metric.locator("[data-testid=stMetricLabel]").inner_text().strip()
        value = metric.locator("[data-testid=stMetricValue]").inner_text().strip()
        out[label] = value
    return out


def toggle_chain(page, chain: str, select: bool) -> None:
    """Choose one 产业链 in the filter bar (select) or clear the 产业链 choice; does not wait for the rerun."""
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text="产业链")
    if select:
        box.locator("input").click()
        page.get_by_role("option", name=chain, exact=True).click()
        page.keyboard.press("Escape")
    else:
        # the option list can reopen after a pick while the input keeps the focus (seen with the last
        # option): move the focus off the widget first, or the click lands on the list and clears nothing
        page.keyboard.press("Escape")
        page.locator("[data-testid=stSidebar]").get_by_text("筛选", exact=True).click()
        box.get_by_role("button", name="Clear all").click()


def pick_chain_and_wait(page, chain: str, label_part: str, before: str) -> None:
    """Choose one 产业链 in the filter bar and wait until the card whose label contains `label_part`
    no longer shows `before`."""
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text="产业链")
    box.locator("input").click()
    page.get_by_role("option", name=chain, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "([l, b]) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes(l) && !m.innerText.includes(b))",
        arg=[label_part, before],
    )
    wait_for_app(page)


def nav_to(page, title: str, timeout: float = 20_000) -> None:
    """Open a page from the navigation as a user does: its link (the top bar, or the sidebar on a phone), or the
    item in the top bar's section drop-down that holds it (cockpit.domain.navigation: 专题, 管理).

    Tries again until `timeout`: a rerun still under way (管理 is added by the rerun after a login; the bar
    re-measures what fits) can detach or hide the button just found, or open a menu without the item yet."""
    from playwright.sync_api import Error as PlaywrightError

    from cockpit.domain import navigation

    link = page.get_by_role("link", name=title, exact=True)
    section = next((p.section for p in navigation.PAGES if p.title == title), navigation.MAIN)
    # the top bar's buttons that show (a narrow bar moves the rest behind an overflow button, 更多)
    shown = page.locator(".rc-overflow-item:not([aria-hidden=true]) [data-testid=stTopNavSection]")
    own = shown.filter(has_text=section)
    rest = page.locator(".rc-overflow-item-rest [data-testid=stTopNavSection]")
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if link.first.is_visible():
                link.first.click(timeout=5_000)
            else:
                opener = own if section != navigation.MAIN and own.first.is_visible() else rest
                if not opener.first.is_visible():
                    raise PlaywrightError(f"no button that leads to {title} is visible yet")
                opener.first.click(timeout=5_000)
                page.get_by_role("menuitem", name=title).first.click(timeout=5_000)
            break
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")  # a menu opened without the item
            page.wait_for_timeout(250)
    key = next((p.key for p in navigation.PAGES if p.title == title), None)
    if key:  # the click returns before the app moves: wait for the page's path (总览: the root)
        page.wait_for_function(
            "k => location.pathname.replace(/\\/$/, '').endsWith('/' + k) || (k === 'overview' && "
            "location.pathname.replace(/\\/$/, '') === '')",
            arg=key,
            timeout=timeout,
        )
    wait_for_app(page)
