"""`python -m cockpit.app.serve`: the preload that runs while the server starts, the address switch, the proxies it
trusts and the security headers (the headers on the real server: tests/test_browser_security.py)."""

from cockpit.app import serve, ui
from cockpit.domain import memo


def test_preload_opens_the_data_and_fills_the_caches(tmp_path, monkeypatch):
    """Test that the preload opens the working data and leaves the filter-bar queries and a chart spec in the
    memo, so the first session finds them, and that it never raises (a broken data dir is the session's
    business)."""
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path / "data"))
    memo.clear()
    serve.preload()
    assert (tmp_path / "data" / "enterprise_month.parquet").exists()  # working dir made from the sample
    before = len(memo._cache)
    assert before >= 4
    periods = ui.q("data_periods")
    assert len(memo._cache) == before and len(periods) >= 1  # served from the memo
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(blocker / "data"))
    serve.preload()  # cannot make the working dir there: no exception
    memo.clear()


def test_serve_runs_streamlit_on_the_app(monkeypatch):
    """Test that main() hands `streamlit run app.py <options>` to Streamlit's CLI."""
    import sys

    from streamlit.web import cli

    seen = {}
    monkeypatch.setattr(serve, "preload", lambda: None)
    monkeypatch.setattr(serve, "install", lambda ready: None)
    monkeypatch.setattr(serve, "trust_proxies", lambda environ: None)
    monkeypatch.delenv(serve.ADDRESS_ENV, raising=False)
    monkeypatch.setattr(cli, "main", lambda: seen.setdefault("argv", list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["x"])
    serve.main(["--server.port", "9"])
    assert seen["argv"] == ["streamlit", "run", str(serve.APP), "--server.port", "9"]


def test_main_installs_the_serving_rules(monkeypatch):
    """Test that main() hardens the server before handing over, and reads COCKPIT_ADDRESS and the proxies."""
    import sys

    from streamlit.web import cli

    calls = []
    monkeypatch.setattr(serve, "preload", lambda: None)
    monkeypatch.setattr(serve, "install", lambda ready: calls.append(("install", ready)))
    monkeypatch.setattr(serve, "trust_proxies", lambda environ: calls.append("proxies"))
    monkeypatch.setattr(cli, "main", lambda: calls.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["x"])
    monkeypatch.setenv(serve.ADDRESS_ENV, "0.0.0.0")
    serve.main(["--server.port", "9"])
    assert calls == [
        ("install", serve.WARMED),  # its sessions wait for the warm-up
        "proxies",
        ["streamlit", "run", str(serve.APP), "--server.port", "9", "--server.address", "0.0.0.0"],
    ]


def test_address_switch():
    """Test that COCKPIT_ADDRESS becomes --server.address unless the command line names one; unset or blank,
    nothing is added (.streamlit/config.toml binds 127.0.0.1)."""
    assert serve.streamlit_args(["--server.port", "9"], {}) == ["--server.port", "9"]
    assert serve.streamlit_args([], {"COCKPIT_ADDRESS": " "}) == []
    assert serve.streamlit_args([], {"COCKPIT_ADDRESS": "0.0.0.0"}) == ["--server.address", "0.0.0.0"]
    assert serve.streamlit_args(["--server.address=10.0.0.5"], {"COCKPIT_ADDRESS": "0.0.0.0"}) == [
        "--server.address=10.0.0.5"
    ]
    import tomllib

    config = tomllib.loads((serve.APP.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


def test_forwarded_for_is_trusted_only_from_listed_proxies():
    """Test that uvicorn is told to trust no proxy by default (its own default trusts 127.0.0.1), the listed
    ones when COCKPIT_TRUSTED_PROXIES is set, and an explicit FORWARDED_ALLOW_IPS otherwise."""
    environ = {}
    serve.trust_proxies(environ)
    assert environ["FORWARDED_ALLOW_IPS"] == ""
    environ = {"COCKPIT_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/8", "FORWARDED_ALLOW_IPS": "*"}
    serve.trust_proxies(environ)
    assert environ["FORWARDED_ALLOW_IPS"] == "127.0.0.1,10.0.0.0/8"
    environ = {"FORWARDED_ALLOW_IPS": "10.1.1.1"}
    serve.trust_proxies(environ)
    assert environ["FORWARDED_ALLOW_IPS"] == "10.1.1.1"


def test_policy_allows_exactly_the_inline_scripts_of_the_page():
    """Test that the CSP lists the hash of each inline script of Streamlit's index.html (not of external ones),
    and never 'unsafe-inline' or 'unsafe-eval' for scripts."""
    import base64
    import hashlib

    html = '<script>window.a = 1</script><script type="module" src="./x.js"></script><script>b()</script>'
    hashes = serve.inline_script_hashes(html)
    expected = [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in ("window.a = 1", "b()")]
    assert hashes == [f"'sha256-{h}'" for h in expected]
    headers = serve.security_headers(html)
    script = next(d for d in headers["Content-Security-Policy"].split("; ") if d.startswith("script-src"))
    assert script == f"script-src 'self' 'wasm-unsafe-eval' {' '.join(hashes)}"
    assert len(serve.inline_script_hashes(serve.streamlit_index_html())) >= 1
    assert headers["X-Frame-Options"] == "DENY"


def test_hidden_paths_follow_the_base_url():
    """Test that the metrics path is hidden under server.baseUrlPath too."""
    assert serve.hidden_paths("") == {"/_stcore/metrics"}
    assert serve.hidden_paths("/cockpit/") == {"/cockpit/_stcore/metrics"}


def test_only_the_apps_own_component_may_be_framed_by_the_same_origin():
    """Test the middleware: the copy button's files (under the base URL) get frame-ancestors 'self' and
    SAMEORIGIN; every other path, another component included, stays unframeable."""
    import asyncio
    import threading

    from cockpit.app import serve

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    hardened = serve.Hardened(app, serve.security_headers("<html></html>"), frozenset(), base_url_path="/cockpit/")

    def headers(path):
        sent = []

        async def send(message):
            sent.append(message)

        # in a thread of its own: an earlier test (Playwright's sync API) may leave an event loop running here
        worker = threading.Thread(target=asyncio.run, args=(hardened({"type": "http", "path": path}, None, send),))
        worker.start()
        worker.join()
        return {k.decode(): v.decode() for k, v in sent[0]["headers"]}

    framed = headers("/cockpit/component/cockpit.app.clipboard.copy_button/index.html")
    assert "frame-ancestors 'self'" in framed["content-security-policy"]
    assert framed["x-frame-options"] == "SAMEORIGIN"
    assert "script-src 'self'" in framed["content-security-policy"]
    for path in (
        "/cockpit/",
        "/cockpit/component/other.thing/index.html",
        "/component/cockpit.app.clipboard.copy_button/index.html",
    ):
        h = headers(path)
        assert "frame-ancestors 'none'" in h["content-security-policy"] and h["x-frame-options"] == "DENY", path


def test_the_server_starts_listening_before_pandas_is_imported():
    """Test that what the server runs before it listens (its serving rules, the content security policy with the
    map's tile origin, Streamlit's start-up modules) imports neither pandas, pyarrow nor DuckDB: those ~1 s of
    imports belong to the preload, after the server answers (cold start)."""
    import subprocess
    import sys

    code = (
        "from cockpit.app import serve\n"
        "serve.install(); serve.skip_component_scan(); serve.security_headers(serve.streamlit_index_html())\n"
        "import streamlit.web.cli, streamlit.web.bootstrap, sys\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=serve.APP.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_component_scan_it_skips_would_find_nothing():
    """Test that the skipped scan is Streamlit's method of that name (an upgrade that renames it fails here) and
    that no installed package declares a v2 component, so skipping it loses nothing."""
    from streamlit.components.v2 import component_manager, manifest_scanner

    assert callable(component_manager.BidiComponentManager.discover_and_register_components)
    assert manifest_scanner.scan_component_manifests() == []
    manager = component_manager.BidiComponentManager()
    serve.skip_component_scan()
    manager.discover_and_register_components()  # a no-op now
    assert component_manager.BidiComponentManager.discover_and_register_components.__module__ == serve.__name__


def test_warm_itself_preloads_once_the_server_answers(monkeypatch):
    """Test the start-up order: the preload runs after the server answers, then the warm-up run; when the server
    is not reached the preload still runs (after PRELOAD_AFTER)."""
    from cockpit.app import warmup

    calls = []
    monkeypatch.setattr(warmup, "wait_healthy", lambda base, timeout: calls.append(("healthy", base)))
    monkeypatch.setattr(warmup, "warm_up", lambda base, headers: calls.append(("warm", base)))
    serve.WARMED.clear()
    serve.warm_itself(
        ["--server.port", "8123"], preload=lambda: calls.append(("preload", "") if not serve.WARMED.is_set() else "")
    )
    base = "http://127.0.0.1:8123"
    assert calls == [("healthy", base), ("preload", ""), ("healthy", base), ("warm", base)]
    assert serve.WARMED.is_set()  # the sessions held until the warm-up finished go on

    calls.clear()

    def unreachable(base, timeout):
        calls.append(("healthy", timeout))
        raise TimeoutError(base)

    monkeypatch.setattr(warmup, "wait_healthy", unreachable)
    serve.WARMED.clear()
    serve.warm_itself([], preload=lambda: calls.append(("preload", "") if serve.WARMED.is_set() else ("held", "")))
    assert calls == [("healthy", serve.PRELOAD_AFTER), ("preload", ""), ("healthy", 120)]  # not held meanwhile


def test_no_script_relies_on_streamlit_magic():
    """Test that Streamlit's "magic" is off (.streamlit/config.toml) and that no script needs it: app.py and no page
    has an expression statement magic would have written to the page (a bare name, literal or f-string; calls
    and docstrings it leaves alone), so turning it off hides nothing. A bare `total` in a page fails this."""
    import ast
    import tomllib

    root = serve.APP.parent
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    scripts = [serve.APP, *sorted((root / "pages").rglob("*.py"))]
    assert len(scripts) >= 10
    shown = []
    for script in scripts:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            body = getattr(node, "body", None)
            for i, statement in enumerate(body if isinstance(body, list) else []):
                if not isinstance(statement, ast.Expr):
                    continue
                value = statement.value
                if isinstance(value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                    continue
                if i == 0 and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    continue  # a docstring
                shown.append(f"{script.relative_to(root)}:{statement.lineno}: {ast.unparse(statement)[:60]}")
    assert not shown, shown


def test_a_deep_link_opened_before_the_warm_up_finished_finds_its_page():
    """Test, on the real server, a leader's first visit right after a restart, by a deep link: the session connects
    as soon as the server answers (before its warm-up run), waits for the warm-up (serve.Hardened holds it), and
    its run knows the page — no "Page not found" (Streamlit knows the pages only after a first run) — and draws it."""
    from browser import streamlit_server
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with streamlit_server(warm=False) as base:
        msg = BackMsg()
        msg.rerun_script.page_name = "industry"
        kinds, texts = [], []
        with connect(
            base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], open_timeout=60
        ) as ws:
            ws.send(msg.SerializeToString())
            while "script_finished" not in kinds:
                fwd = ForwardMsg()
                fwd.ParseFromString(ws.recv(timeout=60))
                kinds.append(fwd.WhichOneof("type"))
                if kinds[-1] == "delta":
                    texts.append(str(fwd.delta))
    assert "page_not_found" not in kinds
    assert any("工业经济" in t for t in texts)  # the page asked for ran
