"""A minimal Streamlit websocket client: one session that changes the 产业链 filter in a loop.

Speaks the same protobuf messages as the browser (BackMsg rerun_script with widget states; ForwardMsg
deltas and script_finished), so many sessions can be driven without many browsers. Loopback only.
"""

from __future__ import annotations

import time

FINISHED_OK = (0, 3)  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def _url(base: str) -> str:
    return base.replace("http://", "ws://") + "/_stcore/stream"


def _rerun(widget_id: str | None = None, chains: list[str] | None = None) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.page_name = ""
    if widget_id is not None:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        state.string_array_value.data.extend(chains or [])
    return msg.SerializeToString()


def _until_finished(ws, timeout: float) -> tuple[str | None, str | None]:
    """Read ForwardMsgs until the script run ends; return (the chain multiselect's id, an error or None)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    widget_id, error = None, None
    deadline = time.time() + timeout
    while True:
        raw = ws.recv(timeout=max(0.1, deadline - time.time()))
        if isinstance(raw, str):
            continue
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            el = fwd.delta.new_element
            which = el.WhichOneof("type")
            if which == "multiselect" and el.multiselect.label == "产业链":
                widget_id = el.multiselect.id
            elif which == "exception":
                error = f"{el.exception.type}: {el.exception.message}"
        elif kind == "page_not_found":
            error = "page not found"
        elif kind == "script_finished":
            if fwd.script_finished not in FINISHED_OK:
                error = error or f"script finished with status {fwd.script_finished}"
            return widget_id, error


def run_once(base: str, timeout: float = 120) -> str | None:
    """One session, one run of the default page; returns an error message or None."""
    from websockets.sync.client import connect

    with connect(_url(base), subprotocols=["streamlit"], open_timeout=30, max_size=None) as ws:
        ws.send(_rerun())
        return _until_finished(ws, timeout)[1]


def filter_loop(base: str, chains: list[str], stop_at: float, offset: int = 0, timeout: float = 120):
    """Open a session and, until `stop_at`, alternate between one 产业链 and none; yield (seconds, error)
    per rerun, measured from sending the change to the end of the script run."""
    from websockets.sync.client import connect

    with connect(_url(base), subprotocols=["streamlit"], open_timeout=30, max_size=None) as ws:
        ws.send(_rerun())
        widget_id, error = _until_finished(ws, timeout)
        if widget_id is None:
            yield 0.0, error or "no 产业链 widget"
            return
        i = offset
        while time.time() < stop_at:
            value = [chains[i % len(chains)]] if i % 2 == 0 else []
            t0 = time.perf_counter()
            ws.send(_rerun(widget_id, value))
            _, error = _until_finished(ws, timeout)
            yield time.perf_counter() - t0, error
            i += 1
