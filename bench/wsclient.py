"""A minimal Streamlit websocket client: sessions that change the 产业链 filter or the page, as a browser does.

Speaks the same protobuf messages as the browser (BackMsg rerun_script with widget states and the page's script
hash; ForwardMsg deltas, navigation and script_finished), so many sessions can be driven without many browsers.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

FINISHED_OK = (0, 3)  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def _url(base: str) -> str:
    return base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"


def _rerun(widget_id: str | None = None, chains: list[str] | None = None, page_hash: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_script_hash = page_hash
    msg.rerun_script.page_name = ""
    if widget_id is not None:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        state.string_array_value.data.extend(chains or [])
    return msg.SerializeToString()


@dataclass
class Session:
    """One websocket session. `rerun` sends a rerun (a filter value, a page) and reads until the script run
    ends; it learns the 产业链 widget's id and the app's pages (url path → script hash) from what it reads."""

    base: str
    timeout: float = 120
    chain_widget: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    page: str = ""

    def __enter__(self) -> Session:
        from websockets.sync.client import connect

        self._connection = connect(_url(self.base), subprotocols=["streamlit"], open_timeout=30, max_size=None)
        self.ws = self._connection.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._connection.__exit__(*exc)

    def rerun(self, chains: list[str] | None = None, page: str | None = None) -> tuple[float, str | None]:
        """(seconds from sending to the end of the run, an error message or None). The run is of `page` (a url
        path; "" = the default page) when given, else of the page the session is on, as a browser's rerun is."""
        if page is not None:
            self.page = page
        page_hash = self.pages.get(self.page, "")
        widget = self.chain_widget if chains is not None else None
        t0 = time.perf_counter()
        self.ws.send(_rerun(widget, chains, page_hash))
        error = self._until_finished()
        return time.perf_counter() - t0, error

    def _until_finished(self) -> str | None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        error = None
        deadline = time.time() + self.timeout
        while True:
            raw = self.ws.recv(timeout=max(0.1, deadline - time.time()))
            if isinstance(raw, str):
                continue
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "multiselect" and el.multiselect.label == "产业链":
                    self.chain_widget = el.multiselect.id
                elif which == "exception":
                    error = error or f"{el.exception.type}: {el.exception.message}"
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                current = [
                    p.url_pathname
                    for p in fwd.navigation.app_pages
                    if p.page_script_hash == fwd.navigation.page_script_hash
                ]
                self.page = current[0] if current else self.page
            elif kind == "page_not_found":
                error = "page not found"
            elif kind == "script_finished":
                if fwd.script_finished not in FINISHED_OK:
                    error = error or f"script finished with status {fwd.script_finished}"
                return error


def run_once(base: str, timeout: float = 120) -> str | None:
    """One session, one run of the default page; returns an error message or None."""
    with Session(base, timeout) as s:
        return s.rerun()[1]


def filter_loop(base: str, chains: list[str], stop_at: float, offset: int = 0, timeout: float = 120):
    """Open a session and, until `stop_at`, alternate between one 产业链 and none; yield (seconds, error)
    per rerun, measured from sending the change to the end of the script run."""
    with Session(base, timeout) as s:
        _, error = s.rerun()
        if s.chain_widget is None:
            yield 0.0, error or "no 产业链 widget"
            return
        i = offset
        while time.time() < stop_at:
            yield s.rerun([chains[i % len(chains)]] if i % 2 == 0 else [])
            i += 1


def viewer(
    base: str,
    chains: list[str],
    stop_at: float,
    rng: random.Random,
    think: tuple[float, float] = (5, 15),
    page_share: float = 0.5,
    timeout: float = 60,
):
    """A leader in the meeting: opens the cockpit, then until `stop_at` thinks for a random `think` seconds and
    either changes the 产业链 filter (a chain, or back to all) or opens another page (`page_share` of the
    actions). Yields dicts: kind ("open", "filter", "page"), page (url path), seconds, error, at (start time)."""
    chain: list[str] = []
    with Session(base, timeout) as s:
        at = time.time()
        seconds, error = s.rerun()
        yield {"kind": "open", "page": s.page, "seconds": seconds, "error": error, "at": at}
        if error or s.chain_widget is None:
            return
        while True:
            wait = rng.uniform(*think)
            if time.time() + wait >= stop_at:
                return
            time.sleep(wait)
            others = [p for p in s.pages if p != s.page]
            at = time.time()
            if others and rng.random() < page_share:
                target = rng.choice(others)
                seconds, error = s.rerun(chain, page=target)
                kind = "page"
            else:
                chain = [] if chain else [rng.choice(chains)]
                seconds, error = s.rerun(chain)
                kind, target = "filter", s.page
            yield {"kind": kind, "page": target, "seconds": seconds, "error": error, "at": at}
