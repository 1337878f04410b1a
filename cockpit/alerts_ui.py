"""Streamlit glue of the 预警 feature: the evaluation kept per data version, rules and day; the 总览 strip; the box
that a warning's link opens on its page.

The evaluation (`cockpit.alerts.evaluate`) runs once per (data directory, data version, rules files, day) in a
process and is recorded in the 督办 state (`cockpit.alerts_state.sync`) the first time; every rerun after that
reads the state only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import streamlit as st

from cockpit import alerts, alerts_state, memo, ui

# url path → page script (the pages a warning's link can open inside the app; see app.py)
PAGE_FILES = {"overview": "pages/overview/overview.py", "industry": "pages/economy/industry.py",
              "mujun": "pages/economy/mujun.py", "invest": "pages/invest/projects.py", "land": "pages/land/land.py",
              "safety": "pages/safety/safety.py", "alerts": "pages/alerts/alerts.py", "admin": "pages/admin/data.py"}
ROW_KEYS = {"hazard": "隐患", "project": "项目", "accident": "事故", "indicator": "指标", "assessment": "评估"}
SEVERITY_COLOUR = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue", "绿": "green"}


def stamp() -> str:
    """What an evaluation depends on besides the data: the contents of the rules files."""
    from cockpit import mujun
    from cockpit.config import rules_path

    h = hashlib.sha1()
    for path in (alerts.config_path(), rules_path(), mujun.config_path()):
        h.update(path.read_bytes() if path.exists() else b"-")
    return h.hexdigest()[:12]


def today() -> dt.date:
    return dt.date.today()


def _evaluate(directory: str, version: str, rules_stamp: str, day: str) -> tuple[alerts.Period, list]:
    period = alerts.latest_period(ui.q, dt.date.fromisoformat(day))
    return period, alerts.evaluate(ui.q, period=period, rules=ui.rules())


def _sync(directory: str, version: str, rules_stamp: str, day: str) -> dict:
    period, found = current(directory, version, rules_stamp, day)
    return alerts_state.sync(ui.database().directory, found, period, stamp=f"{version}:{rules_stamp}")


def current(directory: str | None = None, version: str | None = None, rules_stamp: str | None = None,
            day: str | None = None) -> tuple[alerts.Period, list]:
    """(as-of period, warnings) of the current data, rules and day, evaluated once per process."""
    db = ui.database()
    key = (directory or str(db.directory), version or db.data_version(), rules_stamp or stamp(),
           day or today().isoformat())
    return memo.call(_evaluate, *key, copy=lambda x: x)


def state() -> tuple[alerts.Period, pd.DataFrame]:
    """The 督办 state after recording today's evaluation (once per process, data version, rules and day)."""
    db = ui.database()
    key = (str(db.directory), db.data_version(), stamp(), today().isoformat())
    memo.call(_sync, *key, copy=lambda x: x)
    period, _ = current(*key)
    return period, alerts_state.items(db.directory)


def config() -> alerts.Config:
    return alerts.load_config()


def strip() -> None:
    """The 总览's line of open warnings by severity, with 督办逾期, and a link to the 预警 page."""
    try:
        cfg = config()
        period, frame = state()
    except alerts.ConfigError as exc:
        st.warning(f"预警规则有误，未能计算预警：{exc}")
        return
    live = alerts_state.open_items(frame)
    late = int(alerts_state.overdue(live, today()).sum())
    parts = [f":{SEVERITY_COLOUR.get(cfg.colour(s), 'gray')}[● {s} {int((live['severity'] == s).sum())}]"
             for s in cfg.levels]
    with st.container(border=True, horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(f"**预警待办** · {' · '.join(parts)} · 督办逾期 {late}", width="content")
        st.caption(f"全区口径，截至{period.label}数据", width="content")
        st.page_link(PAGE_FILES["alerts"], label="查看预警与督办", icon=":material/notifications_active:")


def linked_row() -> None:
    """On the page a warning's link opens: a box naming the row (隐患 / 项目 / 事故 / 指标 / 评估) with its warnings
    and their 督办 status, so the reader sees at once what the link is about."""
    wanted = {k: st.query_params.get(k) for k in ROW_KEYS if st.query_params.get(k)}
    if not wanted:
        return
    try:
        _, frame = state()
    except alerts.ConfigError:
        return
    hits = frame[[_matches(link, wanted) for link in frame["link"]]]
    name, value = next(iter(wanted.items()))
    with st.container(border=True):
        if hits.empty:
            st.caption(f"链接定位：{ROW_KEYS[name]} {value} · 当前没有与它有关的预警")
            return
        st.caption(f"链接定位：{ROW_KEYS[name]} {value} · 相关预警 {len(hits)} 条（督办请到“预警”页）")
        for r in hits.itertuples():
            st.text(f"【{r.severity}·{r.status}】{r.subject}：{r.figure}" + (f"（{r.duty}）" if r.duty else ""))


def _matches(link: str, wanted: dict) -> bool:
    query = dict(parse_qsl(urlsplit(link).query))
    return all(query.get(k) == v for k, v in wanted.items())


def link_target(link: str) -> tuple[str | None, dict]:
    """(page script or None when the page is not part of the app, query parameters) of a warning's link."""
    parts = urlsplit(link)
    return PAGE_FILES.get(parts.path.strip("/")), dict(parse_qsl(parts.query))
