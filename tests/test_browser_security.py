"""The server as users meet it: security headers, no /_stcore/metrics, a CSP every page renders under, the
address it listens on, Markdown-safe names in the real frontend, and the login lockout per client address across
a restart."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import (
    ROOT,
    csp_problems,
    free_port,
    streamlit_server,
    wait_for_app,
    wait_for_expanders_still,
    watched_page,
)

from cockpit.app.auth import ENV, make_hash
from cockpit.domain import navigation

PAGES = ["/"] + [f"/{p.key}" for p in navigation.viewer_pages()[1:]] + ["/?present=1"]


def get(url: str, headers: dict | None = None):
    """(status, headers) of a plain GET."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


def listening(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    out = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        path = Path("/proc/net") / name
        for line in path.read_text().splitlines()[1:] if path.exists() else []:
            local, state = line.split()[1], line.split()[3]
            host, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                raw = bytes.fromhex(host)
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                out.add(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, words))
    return out


def lan_address() -> str | None:
    """This machine's address on its network (not loopback), or None when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing interface
        except OSError:
            return None
        ip = s.getsockname()[0]
    return None if ip.startswith("127.") else ip


def test_security_headers_and_no_metrics(app_url):
    """Test that pages, static files and the health check carry X-Frame-Options, the CSP with frame-ancestors
    'none', nosniff and a referrer policy, that /_stcore/metrics answers 404 in any spelling, and that the
    health check still answers."""
    for path in ("/", "/safety", "/favicon.png", "/_stcore/health"):
        status, headers = get(app_url + path)
        assert status == 200, path
        assert headers["X-Frame-Options"] == "DENY", path
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "'unsafe-eval'" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    for path in (
        "/_stcore/metrics",
        "/_stcore/metrics/",
        "//_stcore/metrics",
        "/_stcore/%6detrics",
        "/_stcore/metrics?families=session_events",
    ):
        status, headers = get(app_url + path, {"Accept": "application/openmetrics-text"})
        assert status == 404, path
        assert headers["X-Frame-Options"] == "DENY"


def test_listens_on_loopback_by_default(app_url):
    """Test that the default server listens on 127.0.0.1 only (not on every interface)."""
    assert listening(urlsplit(app_url).port) == {"127.0.0.1"}


def test_every_page_renders_under_the_csp(app_url, chromium):
    """Test that every page (and the presentation mode) draws its visible charts with the CSP on, with no CSP
    violation, no failed script and no exception in the console, at 1366×768."""
    context, page, messages = watched_page(chromium, 1366, 768)
    for path in PAGES:
        page.goto(app_url + path)
        wait_for_app(page, 60_000)
        # every chart drawn (a page without charts, such as 预警, passes at once)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
            ".filter(c => c.offsetParent !== null).every(c => c.querySelector('canvas, svg'))",
            timeout=30_000,
        )
        assert page.locator("[data-testid=stException]").count() == 0, path
    context.close()
    bad = csp_problems(messages)
    assert not bad, bad


@contextmanager
def probe_server():
    """`streamlit run tests/markup_probe_app.py` on a free port."""
    from cockpit.app.warmup import wait_healthy

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "tests" / "markup_probe_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, 60, alive=lambda: proc.poll() is None)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


# where each kind of element keeps the Markdown it rendered (inside the probe's container of that kind)
LABELS = {
    "markdown": "[data-testid=stMarkdownContainer]",
    "caption": "[data-testid=stCaptionContainer]",
    "error": "[data-testid=stMarkdownContainer]",
    "metric": "[data-testid=stMetricLabel] [data-testid=stMarkdownContainer]",
    "slider": "[data-testid=stWidgetLabel] [data-testid=stMarkdownContainer]",
    "expander": "summary [data-testid=stMarkdownContainer]",
    "subheader": "h3",
}
FORMATTING = (
    "strong, em, code, del, ul, ol, blockquote, hr, h1, h2, img, a, .katex, "
    ".stMarkdownColoredText, .stMarkdownColoredBackground, [data-testid=stIconMaterial], [role=img]"
)


def test_plain_text_is_literal_in_the_frontend(chromium):
    """Test that strings full of Markdown, Streamlit directives, HTML and LaTeX, passed through `plain()`, show
    exactly their characters in Markdown, captions, alerts, metric and widget labels, expander titles and
    subheaders, with no formatting element created (a bare URL may stay a link whose text is the URL)."""
    from markup_probe_app import HOSTILE

    with probe_server() as base:
        context = chromium.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(base)
        wait_for_app(page, 60_000)
        for kind, selector in LABELS.items():
            shown = page.locator(f".st-key-probe_{kind} {selector}").evaluate_all(
                "(els, f) => els.map(e => [e.innerText.trim(), [...e.querySelectorAll(f)].filter("
                "x => !(x.tagName === 'A' && x.getAttribute('href') === x.textContent)).length])",
                FORMATTING,
            )
            assert [s[0] for s in shown] == HOSTILE, kind
            assert [s[1] for s in shown] == [0] * len(HOSTILE), kind
        context.close()


FRAMES: dict = {}  # page → websocket messages received (see open_session)


@pytest.fixture()
def open_session(chromium):
    """Open a new browser (own cookies and session) on the app's start page, sending `headers` with every
    request; closed after the test."""
    contexts = []

    def open_(base: str, headers: dict | None = None):
        context = chromium.new_context(
            viewport={"width": 1366, "height": 900}, locale="zh-CN", extra_http_headers=headers or {}
        )
        contexts.append(context)
        page = context.new_page()
        FRAMES[page] = 0  # websocket messages from the server: a rerun always sends some
        page.on("websocket", lambda ws: ws.on("framereceived", lambda _: FRAMES.__setitem__(page, FRAMES[page] + 1)))
        page.goto(base + "/")
        wait_for_app(page, 60_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def log_in(page, password: str) -> str:
    """Submit the sidebar login; the text of the alert it shows ('' when none, i.e. logged in)."""
    box = page.locator("[data-testid=stExpander]").filter(has_text="管理员登录")
    field = box.locator("input[type=password]")
    if not field.is_visible():
        box.locator("summary").click()
    wait_for_expanders_still(page)  # a click at the end of the expander's opening is lost (tests/browser.py)
    field.fill(password)
    # wait for the submit's own rerun: messages from the server, then quiet (a fixed 3 s wait for "running" read
    # the page before a late rerun under the full suite, and React may never show "running" for a fast one)
    before = FRAMES[page]
    box.get_by_role("button", name="登录").click()
    deadline = time.monotonic() + 30
    while FRAMES[page] == before:
        assert time.monotonic() < deadline, "the login's rerun sent nothing in 30 s"
        page.wait_for_timeout(50)
    last, quiet = FRAMES[page], 0
    while quiet < 4:
        page.wait_for_timeout(100)
        quiet, last = (quiet + 1, last) if FRAMES[page] == last else (0, FRAMES[page])
    wait_for_app(page)
    alert = page.locator("[data-testid=stSidebar] [data-testid=stAlert]")
    return alert.inner_text() if alert.count() else ""


def test_lockout_per_address_across_a_restart(open_session, tmp_path):
    """Test, on a server open to the LAN, that five wrong passwords from this machine's LAN address lock that
    address (a forged X-Forwarded-For does not escape it), that the admin on another address (loopback) still
    logs in, and that after a server restart the LAN address is still locked."""
    ip = lan_address()
    if ip is None:
        pytest.skip("this machine has no non-loopback address to connect from")
    env = {
        "COCKPIT_DATA_DIR": str(tmp_path / "work"),
        "COCKPIT_ADDRESS": "0.0.0.0",
        ENV: make_hash("right", iterations=1000),
    }
    with streamlit_server(env) as base:
        lan = base.replace("127.0.0.1", ip)
        assert listening(urlsplit(base).port) == {"0.0.0.0"}
        viewer = open_session(lan)
        assert [log_in(viewer, "wrong") for _ in range(4)] == ["密码不正确"] * 4
        assert "暂停" in log_in(viewer, "wrong")
        assert "暂停" in log_in(viewer, "right")
        forged = open_session(lan, {"X-Forwarded-For": "203.0.113.9"})
        assert "暂停" in log_in(forged, "right")
        admin = open_session(base)
        assert log_in(admin, "right") == ""
        assert admin.get_by_text("已以管理员身份登录").is_visible()
    with streamlit_server(env) as base:
        again = open_session(base.replace("127.0.0.1", ip))
        assert "暂停" in log_in(again, "right")


def test_behind_a_trusted_proxy_each_client_has_its_own_lock(open_session, tmp_path):
    """Test that with COCKPIT_TRUSTED_PROXIES naming the proxy (loopback here, as for nginx on the same machine)
    the lockout follows X-Forwarded-For: the guessing client is locked, another client behind the same proxy and
    the machine itself are not."""
    env = {
        "COCKPIT_DATA_DIR": str(tmp_path / "work"),
        "COCKPIT_TRUSTED_PROXIES": "127.0.0.1",
        ENV: make_hash("right", iterations=1000),
    }
    with streamlit_server(env) as base:
        guesser = open_session(base, {"X-Forwarded-For": "203.0.113.9"})
        for _ in range(5):
            last = log_in(guesser, "wrong")
        assert "暂停" in last
        assert log_in(open_session(base, {"X-Forwarded-For": "203.0.113.10"}), "right") == ""
        assert log_in(open_session(base), "right") == ""
        assert "暂停" in log_in(open_session(base, {"X-Forwarded-For": "203.0.113.9"}), "right")
