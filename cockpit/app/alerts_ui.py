"""Streamlit glue of the 预警 feature: the evaluation kept per data version, rules and day; the 总览 strip; the box
that a warning's link opens on its page.

The evaluation (`cockpit.domain.alerts.evaluate`) runs once per (data directory, data version, rules files, day) in a
process, in a background thread, and is recorded in the 督办 state (`cockpit.domain.alerts_state.sync`); every rerun after
that reads the state only. The 预警 page waits for it; the 总览 strip does not (it shows the last recorded counts
meanwhile), so a cold start or a new data version never waits for the rules on the first page.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import streamlit as st

from cockpit.app import admission, ui
from cockpit.domain import alerts, alerts_state, navigation

# url path → page script (the pages a warning's link can open inside the app; see app.py)
PAGE_FILES = {p.key: p.script for p in navigation.PAGES}  # link path → page script
ROW_KEYS = {"hazard": "隐患", "project": "项目", "accident": "事故", "indicator": "指标", "assessment": "评估"}
COLD_START_GRACE = 5.0  # s after a process's first run before the strip's first evaluation starts (see _Refresh)
SEVERITY_COLOUR = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue", "绿": "green"}


def stamp() -> str:
    """What an evaluation depends on besides the data: the contents of the rules files (read once per run)."""
    return ui.once_per_run("alerts_stamp", _stamp)


def _stamp() -> str:
    from cockpit.data.config import rules_path
    from cockpit.domain import mujun

    h = hashlib.sha1()
    for path in (alerts.config_path(), rules_path(), mujun.config_path()):
        h.update(path.read_bytes() if path.exists() else b"-")
    return h.hexdigest()[:12]


def today() -> dt.date:
    return dt.date.today()


class _Refresh:
    """One evaluation + sync per key (directory, data version, rules, day) and process, in a background thread.

    A process's first evaluation is started by the warm-up's 总览 strip, while the first visitor's page is being
    drawn: it then waits until `grace` seconds after this object was made (the process's first run), so the two do
    not share the interpreter. A page that needs the result (`wait`: 预警, 企业画像, a warning's link) starts it at
    once; later evaluations (new data, a new day) start at once too."""

    def __init__(self, grace: float = 0.0):
        self.lock = threading.Lock()
        self.jobs: dict[tuple, threading.Thread] = {}
        self.done: dict[tuple, alerts.Period] = {}
        self.failed: dict[tuple, BaseException] = {}
        self.stopping = threading.Event()
        self.needed = threading.Event()  # set: no more waiting (a page waits for the result, or the process ends)
        self.start_after = time.monotonic() + grace

    def _job(self, key: tuple, query, directory, rules) -> None:
        self.needed.wait(max(0.0, self.start_after - time.monotonic()))

        def run(*args, **kwargs):
            if self.stopping.is_set():
                raise RuntimeError("进程正在退出，预警计算已停止")
            return query(*args, **kwargs)

        try:
            period = alerts.latest_period(run, dt.date.fromisoformat(key[3]))
            found = alerts.evaluate(run, period=period, rules=rules)
            alerts_state.sync(directory, found, period, stamp=f"{key[1]}:{key[2]}")
        except BaseException as exc:  # noqa: BLE001 - handed to the page that waits for it
            with self.lock:
                self.failed[key] = exc
                self.jobs.pop(key, None)
            return
        with self.lock:
            self.done = {key: period}  # only the latest key is kept
            self.jobs.pop(key, None)

    def start(self, key: tuple) -> threading.Thread | None:
        """The running job for `key` (started here when needed); None when it is done."""
        with self.lock:
            if key in self.done:
                return None
            job = self.jobs.get(key)
            if job is None:
                self.failed.pop(key, None)
                db = ui.database()
                job = threading.Thread(
                    target=self._job, args=(key, db.run, db.directory, ui.rules()), daemon=True, name="cockpit-alerts"
                )
                self.jobs[key] = job
                job.start()
            return job

    def wait(self, key: tuple) -> alerts.Period:
        self.needed.set()
        job = self.start(key)
        if job is not None:
            with admission.aside():  # the evaluation runs in its own thread: other runs go on meanwhile
                job.join()
        with self.lock:
            if key in self.failed:
                raise self.failed.pop(key)
            return self.done[key]

    def stop(self, timeout: float = 30.0) -> None:
        """At process exit: let a running evaluation end at its next query and wait for it (a daemon thread still
        inside DuckDB when the interpreter finalises aborts the process)."""
        self.stopping.set()
        self.needed.set()
        with self.lock:
            jobs = list(self.jobs.values())
        for job in jobs:
            job.join(timeout)


@st.cache_resource(show_spinner=False)
def _refresh() -> _Refresh:
    refresh = _Refresh(grace=COLD_START_GRACE)
    atexit.register(refresh.stop)
    return refresh


def _key() -> tuple:
    db = ui.database()
    return str(db.directory), ui.data_version(), stamp(), today().isoformat()


def evaluated() -> alerts.Period:
    """The as-of period, once today's evaluation of the current data and rules is recorded in the 督办 state
    (waits for it the first time in a process); read the state with `alerts_state` after it."""
    return _refresh().wait(_key())


def config() -> alerts.Config:
    """The rules file, read again only when it changed (every rerun of 总览 and 预警 asks)."""
    path = alerts.config_path()
    try:
        stat = path.stat()
    except OSError:
        return alerts.load_config(path)  # says what is missing
    return _config(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _config(path: str, mtime_ns: int, size: int) -> alerts.Config:
    return alerts.load_config(Path(path))


def strip() -> None:
    """The 总览's line of open warnings by severity, with 督办逾期, and a link to the 预警 page."""
    try:
        cfg = config()
    except alerts.ConfigError as exc:
        st.warning(f"预警规则有误，未能计算预警：{exc}")
        return
    ready = _refresh().start(_key()) is None
    directory = ui.database().directory
    try:
        last = alerts_state.last_run(directory)
    except sqlite3.Error as exc:  # the 总览 never fails because of its strip
        st.caption(f"预警状态暂时无法读取（{type(exc).__name__}），请稍后刷新。")
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center", gap="medium"):
        if last is None:
            st.caption("预警正在计算，稍后刷新本页即可看到。", width="content")
        else:
            counts, late = alerts_state.open_summary(directory, today())
            parts = [f":{SEVERITY_COLOUR.get(cfg.colour(s), 'gray')}[● {s} {counts.get(s, 0)}]" for s in cfg.levels]
            st.markdown(f"**预警待办** · {' · '.join(parts)} · 督办逾期 {late}", width="content")
            year, month = (int(x) for x in last["asof"].split("-"))
            st.caption(
                f"全区口径，截至{alerts.Period(year, month, today()).label}数据"
                + ("" if ready else "（正在按最新数据更新）"),
                width="content",
            )
        st.page_link(PAGE_FILES["alerts"], label="查看预警与督办", icon=":material/notifications_active:")


def for_enterprise(ent_id: str) -> list[dict]:
    """The open warnings about one enterprise (its own figures, its hazards and accidents), for the 企业画像:
    dicts with severity, rule_name, figure, rule_text, office, duty, status."""
    try:
        evaluated()
    except alerts.ConfigError:
        return []
    mine = alerts_state.of_enterprise(ui.database().directory, ent_id)
    return mine[["severity", "rule_name", "figure", "rule_text", "office", "duty", "status"]].to_dict("records")


def linked_row() -> None:
    """On the page a warning's link opens: a box naming the row (隐患 / 项目 / 事故 / 指标 / 评估) with its warnings
    and their 督办 status, so the reader sees at once what the link is about."""
    wanted = {k: st.query_params.get(k) for k in ROW_KEYS if st.query_params.get(k)}
    if not wanted:
        return
    try:
        evaluated()
    except alerts.ConfigError:
        return
    name, value = next(iter(wanted.items()))
    near = alerts_state.linking(ui.database().directory, urlencode({name: value}, quote_via=quote))
    hits = near[[_matches(link, wanted) for link in near["link"]]]
    with st.container(border=True):  # the value comes from the URL: plain text only
        if hits.empty:
            st.text(f"链接定位：{ROW_KEYS[name]} {value} · 当前没有与它有关的预警")
            return
        st.text(f"链接定位：{ROW_KEYS[name]} {value} · 相关预警 {len(hits)} 条（督办请到“预警”页）")
        for r in hits.itertuples():
            st.text(f"【{r.severity}·{r.status}】{r.subject}：{r.figure}" + (f"（{r.duty}）" if r.duty else ""))


def _matches(link: str, wanted: dict) -> bool:
    query = dict(parse_qsl(urlsplit(link).query))
    return all(query.get(k) == v for k, v in wanted.items())


def link_target(link: str) -> tuple[str | None, dict]:
    """(page script or None when the page is not part of the app, query parameters) of a warning's link."""
    parts = urlsplit(link)
    return PAGE_FILES.get(parts.path.strip("/")), dict(parse_qsl(parts.query))
