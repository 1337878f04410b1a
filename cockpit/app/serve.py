"""Start the app: `python -m cockpit.app.serve [streamlit options]` is `streamlit run app.py [options]` plus a preload
and the serving rules below.

Start-up order (cold start, process start → first page drawn, is measured by `make bench`): a fresh process spends
~1 s importing pandas, pyarrow, DuckDB and Streamlit's Arrow conversion and ~0.5 s more opening the data and running
the first page — on the first visitor's clock, because Streamlit runs nothing before a session connects. The server
first starts listening with nothing of that imported (the browser then loads Streamlit's static files, about a second
of its own work, meanwhile); then a background thread does the preload and runs the app once in a throwaway session
(`warm_itself`), so the first visitor's run finds the caches filled and the pages known. A session that connects
before that run has finished waits for it (`Hardened` holds its websocket, HOLD_AT_MOST at most): before, a deep
link opened in that second got Streamlit's English "Page not found" dialog over the page, and its run competed with
the warm-up's. If the preload or the warm-up fails, or the server does not answer on 127.0.0.1 within PRELOAD_AFTER,
sessions are not held and do the same work themselves. Streamlit's scan of every installed package for v2
components (~0.4 s at start, before the server listens) is skipped: the app declares none (`skip_component_scan`).

Serving rules (every HTTP response of the server, static files included; the WebSocket is untouched):
- `/_stcore/metrics` answers 404: it is Streamlit's unauthenticated OpenMetrics endpoint (cache names, session
  counts, memory per cache), of use to nobody in the meeting room. `/_stcore/health` stays (the warm-up and
  monitoring poll it).
- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'` (no page may frame the cockpit), a Content-Security-
  Policy that allows what Streamlit's frontend needs and nothing else (see `content_security_policy`),
  `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
- The server listens on 127.0.0.1 unless told otherwise (`.streamlit/config.toml`); `COCKPIT_ADDRESS=0.0.0.0`
  (or an interface address) opens it to a LAN. X-Forwarded-For is believed only from the proxies listed in
  `COCKPIT_TRUSTED_PROXIES` (none by default), so a client cannot choose the address the login lockout sees.

Streamlit 1.67 serves through Starlette under uvicorn and builds its app in
`streamlit.web.server.starlette.starlette_server.create_starlette_app`. `install()` wraps that factory so the app it
returns gets one more middleware through Starlette's public `add_middleware`; nothing else of Streamlit changes.
(`st.App(middleware=...)` is the documented alternative, but it needs a separate launcher script that `streamlit
run` discovers and switches the server to another run mode; the tests check the headers on the real server, so an
upgrade that moves the factory fails them instead of silently dropping the headers.)
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import secrets
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent.parent / "app.py"
ADDRESS_ENV = "COCKPIT_ADDRESS"
TRUSTED_PROXIES_ENV = "COCKPIT_TRUSTED_PROXIES"
REPLICA_ENV = "COCKPIT_REPLICA"
HIDDEN_PATHS = ("_stcore/metrics",)
PRELOAD_AFTER = 5.0  # s: the preload waits this long at most for the server to answer
# A session that connects before this process's warm-up run has finished waits for it (at most HOLD_AT_MOST): the
# pages are known only after a first run (a deep link opened earlier gets Streamlit's English "Page not found"),
# and a first session running beside the warm-up doubles the work of both on the first visitor's clock.
WARMED = threading.Event()  # set when the warm-up run has finished or given up
WARM_UP_HEADER = "X-Cockpit-Warm-Up"
WARM_UP_TOKEN = secrets.token_urlsafe(16)  # carried by this process's own warm-up session only
HOLD_AT_MOST = 30.0  # s


def preload() -> None:
    """Import the heavy libraries, open the database and build one chart spec (Arrow conversion of its data)."""
    import logging

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    try:
        import pandas as pd

        from cockpit.app import filters, ui
        from cockpit.report import charts

        charts.spec(
            charts.ranked_bars,
            pd.DataFrame({"c": ["甲"], "v": [1.0], "l": [""]}),
            category="c",
            value="v",
            title="",
            unit="",
            label="l",
        )
        for name in ("data_periods", *filters.option_queries()):
            ui.q(name)
    except Exception:  # noqa: BLE001 - the first session meets (and shows) any real problem itself
        pass
    # what is loaded now (the libraries, their schemas) lives as long as the process: out of the collector's
    # generations, so a full collection walks only what the sessions made (see runner.postScriptGC in
    # .streamlit/config.toml); later passes, while no page runs: cockpit.app.collector
    from cockpit.app import collector

    collector.collect_and_freeze()


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-…') of the inline <script> elements of a page (those without src)."""
    out = []
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        if "src=" not in attrs.lower():
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            out.append(f"'sha256-{digest}'")
    return out


def streamlit_index_html() -> str:
    import streamlit

    return (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")


def tile_origins() -> list[str]:
    """The origin of the optional base-map tile server ([map] tile_url in config/rules.toml), which the map's
    images are loaded from; none when no tile server is configured (the default: the map works offline)."""
    from urllib.parse import urlsplit

    from cockpit.data.config import map_config

    try:
        url = map_config().tile_url
    except ValueError:  # a malformed tile_url: the map page says so; the policy allows nothing extra
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if url else []


def content_security_policy(script_hashes: list[str], extra_images: list[str] = ()) -> str:
    """What Streamlit's frontend needs, measured in Chromium on every page (tests/test_browser_security.py):
    its own scripts plus the inline script of its index.html (by hash, so an upgrade that changes it still
    matches); WebAssembly compilation ('wasm-unsafe-eval': the bundled protobuf/long.js tries it and logs a
    violation without it; it allows no JavaScript eval); inline styles (Emotion writes <style> elements at run
    time, and the presentation CSS goes through st.html); images and fonts from itself and data:/blob: URLs; the
    WebSocket and fetches to its own origin. Vega-Lite charts draw without 'unsafe-eval'. Nothing may frame the
    page. The favicon is a local file (app.py): a :material/…: page icon is fetched from fonts.gstatic.com.
    `extra_images`: origins images may also come from (the configured map tile server)."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *extra_images],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(html: str | None = None) -> dict[str, str]:
    """The headers added to every HTTP response."""
    policy = content_security_policy(
        inline_script_hashes(streamlit_index_html() if html is None else html), tile_origins()
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def replica_header(environ) -> dict[str, str]:
    """`X-Cockpit-Replica: <name>` when $COCKPIT_REPLICA names this process (set per replica by
    `cockpit.app.replicas` and deploy/systemd/cockpit@.service): which replica behind nginx answered a request."""
    name = (environ.get(REPLICA_ENV) or "").strip()
    return {"X-Cockpit-Replica": name} if re.fullmatch(r"[A-Za-z0-9._-]{1,40}", name) else {}


def hidden_paths(base_url_path: str = "") -> frozenset[str]:
    """The paths answered with 404, under the configured server.baseUrlPath."""
    base = "/".join(part for part in base_url_path.split("/") if part)
    return frozenset("/" + "/".join(p for p in (base, path) if p) for path in HIDDEN_PATHS)


# The app's own components, framed by its pages (Streamlit serves a declared component's files under
# /component/<module>.<name>/): their responses may be framed by the same origin, by nothing else.
FRAMEABLE = ("component/cockpit.app.clipboard.copy_button/",)


def same_origin_framing(headers: dict[str, str]) -> dict[str, str]:
    """The headers for a FRAMEABLE path: frame-ancestors 'self' and X-Frame-Options SAMEORIGIN instead of none."""
    out = dict(headers)
    out["Content-Security-Policy"] = out["Content-Security-Policy"].replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    out["X-Frame-Options"] = "SAMEORIGIN"
    return out


class Hardened:
    """ASGI middleware: 404 for the hidden paths, the security headers on every other HTTP response (the app's
    own component files may be framed by the same origin)."""

    def __init__(
        self,
        app,
        headers: dict[str, str],
        hidden: frozenset[str],
        base_url_path: str = "",
        ready: threading.Event | None = None,
    ) -> None:
        self.app = app
        self.ready = ready  # None: sessions are never held (a server without the warm-up)
        self.warm_up_header = (WARM_UP_HEADER.lower().encode("latin-1"), WARM_UP_TOKEN.encode("latin-1"))
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        self.framed_headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in same_origin_framing(headers).items()
        ]
        base = "/".join(part for part in base_url_path.split("/") if part)
        self.frameable = tuple("/" + "/".join(x for x in (base, path) if x) for path in FRAMEABLE)
        self.hidden = hidden

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] == "websocket"
            and self.ready is not None
            and self.warm_up_header not in scope.get("headers", ())
        ):
            await self._until_warm()
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = re.sub(r"/+", "/", scope.get("path") or "/")
        if path.rstrip("/") in self.hidden:
            await self._not_found(send)
            return

        headers = self.framed_headers if path.startswith(self.frameable) else self.headers

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _until_warm(self) -> None:
        """Wait (without blocking the event loop) until the warm-up run has finished, HOLD_AT_MOST at most."""
        deadline = time.monotonic() + HOLD_AT_MOST
        while not self.ready.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def _not_found(self, send) -> None:
        body = b"Not Found"
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    *self.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def install(ready: threading.Event | None = None) -> None:
    """Make the Starlette app Streamlit builds carry `Hardened` (outermost, so it sees every response); `ready`: the
    event its sessions wait for (the warm-up's, `WARMED`), None for none."""
    from streamlit import config
    from streamlit.web.server.starlette import starlette_server

    build = starlette_server.create_starlette_app
    if getattr(build, "cockpit_hardened", False):
        return

    def create_starlette_app(runtime):
        app = build(runtime)
        base = config.get_option("server.baseUrlPath") or ""
        app.add_middleware(
            Hardened,
            headers={**security_headers(), **replica_header(os.environ)},
            hidden=hidden_paths(base),
            base_url_path=base,
            ready=ready,
        )
        return app

    create_starlette_app.cockpit_hardened = True
    starlette_server.create_starlette_app = create_starlette_app


def streamlit_args(argv: list[str], environ) -> list[str]:
    """The options for `streamlit run`: `--server.address $COCKPIT_ADDRESS` when that is set and the command
    line names no address (otherwise `.streamlit/config.toml` binds 127.0.0.1)."""
    address = (environ.get(ADDRESS_ENV) or "").strip()
    named = any(a == "--server.address" or a.startswith("--server.address=") for a in argv)
    return [*argv, "--server.address", address] if address and not named else list(argv)


def trust_proxies(environ) -> None:
    """Tell uvicorn which peers may speak for a client through X-Forwarded-For: those in
    $COCKPIT_TRUSTED_PROXIES (comma-separated addresses or networks), else none (uvicorn trusts 127.0.0.1 by
    default, which would let any local process, or a proxy nobody declared, choose the client address)."""
    environ["FORWARDED_ALLOW_IPS"] = environ.get(TRUSTED_PROXIES_ENV, environ.get("FORWARDED_ALLOW_IPS", ""))


def warm_itself(args: list[str], preload=preload) -> None:
    """Once this server answers: the preload, then the app run once in a throwaway session (cockpit.app.warmup).
    Without the run, the first visitor of a new server who opens a deep link (`/industry?…`) gets Streamlit's
    English "Page not found" dialog over the right page, because the pages are known only after a first run.
    `make run` and the systemd unit warm up too; twice does no harm. A server bound to one interface only (not
    loopback) is not reached: the preload then runs after a few seconds anyway."""
    from cockpit.app import warmup

    port = os.environ.get("STREAMLIT_SERVER_PORT", "8501")
    for i, arg in enumerate(args):
        if arg == "--server.port" and i + 1 < len(args):
            port = args[i + 1]
        elif arg.startswith("--server.port="):
            port = arg.split("=", 1)[1]
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            warmup.wait_healthy(base, timeout=PRELOAD_AFTER)
        except Exception:  # noqa: BLE001 - not reached (yet): preload all the same
            WARMED.set()  # (listening elsewhere only, or very slow): sessions do not wait for a warm-up
        preload()
        try:
            warmup.wait_healthy(base, timeout=120)
            warmup.warm_up(base, headers={WARM_UP_HEADER: WARM_UP_TOKEN})
        except Exception:  # noqa: BLE001 - the first visitor's run does the same, only later
            pass
    finally:
        WARMED.set()  # sessions held until now go on (cockpit.app.serve.Hardened)


def skip_component_scan() -> None:
    """Streamlit 1.67 reads the metadata of every installed distribution at start to find custom components of its
    second kind ("v2", declared in a package's pyproject): ~0.4 s with this venv's packages, before the server
    listens. The app declares none (its one component, the copy button, is a v1 component declared in code and
    served as before), so the scan finds nothing; it is made a no-op. tests/test_serve.py fails when Streamlit
    renames the method, and when an installed package declares such a component."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    def discover_and_register_components(self, *, start_file_watching: bool = True) -> None:
        return None

    BidiComponentManager.discover_and_register_components = discover_and_register_components  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    install(ready=WARMED)
    skip_component_scan()
    trust_proxies(os.environ)
    args = streamlit_args(list(sys.argv[1:] if argv is None else argv), os.environ)
    threading.Thread(target=warm_itself, args=(args, preload), name="cockpit-warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
