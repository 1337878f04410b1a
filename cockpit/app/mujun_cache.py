"""The 亩均效益 evaluation computed once per data version and rules, shared by every session and filter.

The classification is zone-wide: it depends on the data (all enterprises and years) and on
config/mujun.toml, never on the filter bar. So the evaluation is kept per (data directory, data version,
rules) in `st.cache_resource`; the filter bar only chooses what is shown (query `mujun_scope`), and each
scope's figures are kept for the next rerun (`scoped`).

What is kept is compact: the yearly figures (numbers only) and the enterprises, every enterprise's class
history, and the full evaluation of at most `KEEP_YEARS` years (the latest complete year at first; an
earlier year is evaluated when asked for, ~1 s at 200,000 enterprises).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import streamlit as st

from cockpit.app import ui
from cockpit.domain import memo, mujun

KEEP_YEARS = 2


SHOW_ROWS = 500  # rows a long table of the 亩均 page shows (its download holds them all)
PICK_LIMIT = 200  # enterprises its picker offers at once (more through the name search)


class Evaluated:
    """Every complete year evaluated under one set of rules: class histories, and years prepared to show.

    `figures`, `enterprises`: rows of the queries `mujun_inputs` and `mujun_enterprises`; `years`: the
    complete years. Shared between sessions: read only (the prepared years are built under a lock).
    """

    def __init__(
        self,
        figures: pd.DataFrame,
        enterprises: pd.DataFrame,
        parcel_actions: pd.DataFrame,
        years: list[int],
        cfg: mujun.Config,
    ):
        self.figures, self.enterprises, self.parcel_actions = figures, enterprises, parcel_actions
        self.years, self.cfg = sorted(int(y) for y in years), cfg
        self._prepared: OrderedDict[int, mujun.Prepared] = OrderedDict()
        self._lock = threading.Lock()
        latest = []

        def each_year():  # one evaluation in memory at a time; the latest is kept to be shown
            for ev in self._evaluate(self.years):
                if ev.year == self.years[-1]:
                    latest.append(ev)
                yield ev

        self.history = mujun.history_table(each_year())
        for ev in latest:
            self._prepared[ev.year] = mujun.Prepared(ev, parcel_actions)

    def _rows(self, year: int) -> pd.DataFrame:
        return mujun.join_inputs(self.figures[self.figures["year"] == year], self.enterprises)

    def _evaluate(self, years):
        return mujun.evaluate_each(self._rows, years, self.cfg)

    def year(self, year: int) -> mujun.Prepared:
        """The evaluation of `year` prepared for showing (KeyError when `year` is not a complete year)."""
        if year not in self.years:
            raise KeyError(year)
        with self._lock:
            if year not in self._prepared:
                self._prepared[year] = mujun.Prepared(next(self._evaluate([year])), self.parcel_actions)
                while len(self._prepared) > KEEP_YEARS:
                    self._prepared.popitem(last=False)
            self._prepared.move_to_end(year)
            return self._prepared[year]

    def d_list(self, year: int | None) -> pd.DataFrame:
        """The zone-wide D 类 list of `year` with parcel actions (no rows when `year` was not evaluated)."""
        if year in self.years:
            return self.year(year).d_list
        return mujun.d_class_list(mujun.evaluate(mujun.empty_inputs(), 0, self.cfg), self.parcel_actions)


@st.cache_resource(show_spinner="正在计算亩均效益评价（数据更新后计算一次）…", max_entries=2)
def _evaluated(directory: str, version: str, rules: str, _cfg: mujun.Config) -> Evaluated:
    db = ui.database()
    periods = db.run("data_periods")
    years = mujun.complete_years(dict(zip(periods["year"].astype(int), periods["last_month"].astype(int))))
    return Evaluated(db.run("mujun_inputs"), db.run("mujun_enterprises"), db.run("mujun_parcel_actions"), years, _cfg)


def evaluated(cfg: mujun.Config) -> Evaluated:
    """The evaluation under `cfg` of the current data (cached by directory, data version and rules)."""
    db = ui.database()
    return _evaluated(str(db.directory), ui.data_version(), repr(cfg), cfg)


@st.cache_resource(show_spinner=False, max_entries=8)
def _scoped(directory: str, version: str, rules: str, year: int, scope, _cfg: mujun.Config):
    return evaluated(_cfg).year(year).scoped(ui.q("mujun_scope", {"scope": scope})["ent_no"].to_numpy())


def scoped(cfg: mujun.Config, year: int, params: dict) -> mujun.Scoped:
    """`year`'s evaluation as shown for the filter scope in `params` (产业链, 行业, 片区, 高新).

    The result is shared between reruns and sessions: read it, do not change it."""
    from cockpit.data.dimensions import scope_from

    db = ui.database()
    return _scoped(str(db.directory), ui.data_version(), repr(cfg), int(year), scope_from(params), cfg)


def what_if(cfg: mujun.Config, year: int, ent_id: str, **changes) -> mujun.WhatIf:
    """`mujun.what_if` on `year`'s evaluation, kept for the next rerun (a filter change keeps the enterprise)."""
    db = ui.database()
    return memo.call(_what_if, str(db.directory), ui.data_version(), cfg, int(year), ent_id, copy=_same, **changes)


def _what_if(directory: str, version: str, cfg: mujun.Config, year: int, ent_id: str, **changes):
    return mujun.what_if(evaluated(cfg).year(year).ev, ent_id, **changes)


def _same(result):
    return result  # frozen: nothing to copy
