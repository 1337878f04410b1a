"""Warm up a freshly started Streamlit server by running the app once in a throwaway session.

On Streamlit 1.67 the first browser session of a new server process that opens a deep link
(`/safety?year=2023`) gets a "Page not found" dialog over the right page, because the app's pages are
only known after its first run. Running the entry script once, right after start, avoids that, and also
fills the caches so the first leader does not wait for them.

    python -m cockpit.app.warmup http://127.0.0.1:8501
"""

from __future__ import annotations

import sys
import time
import urllib.request


def wait_healthy(base: str, timeout: float = 60.0, alive=lambda: True) -> None:
    """Poll /_stcore/health until it answers 200; TimeoutError after `timeout` or once not `alive()`."""
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline or not alive():
            raise TimeoutError(f"{base} did not become healthy")
        time.sleep(0.2)


def warm_up(base: str, timeout: float = 60.0, headers: dict[str, str] | None = None) -> bool:
    """Open one websocket session, run the default page to the end; True when it finished. `headers`: sent with
    the handshake (the server's own warm-up says who it is: cockpit.app.serve)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    url = base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.page_name = ""
    deadline = time.time() + timeout
    # the handshake waits while the server warms itself (up to serve.HOLD_AT_MOST)
    with connect(
        url, subprotocols=["streamlit"], open_timeout=timeout, max_size=None, additional_headers=headers
    ) as ws:
        ws.send(msg.SerializeToString())
        while time.time() < deadline:
            try:
                raw = ws.recv(timeout=max(0.1, deadline - time.time()))
            except TimeoutError:
                break
            if isinstance(raw, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "script_finished":
                return True
    return False


def main(argv: list[str] | None = None) -> int:
    base = (argv or sys.argv[1:] or ["http://127.0.0.1:8501"])[0].rstrip("/")
    wait_healthy(base)
    ok = warm_up(base)
    print("warm-up", "done" if ok else "timed out", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
