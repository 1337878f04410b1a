"""The 亩均效益 evaluation computed once per data version and rules, shared by every session and filter.

The classification is zone-wide: it depends on the data (query `mujun_inputs`, all enterprises and
years) and on config/mujun.toml, never on the filter bar. So every complete year is evaluated once per
(data directory, data version, rules) and kept (`st.cache_resource`); the filter bar only chooses what
is shown (query `mujun_scope`), and each scope's figures are kept for the next rerun (`scoped`). At
200,000 enterprises the evaluation of five years takes seconds; a rerun then takes milliseconds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from cockpit import memo, mujun, ui


@dataclass
class Evaluated:
    """Every complete year's evaluation under one set of rules, and each enterprise's class history."""
    evaluations: dict[int, mujun.Evaluation]
    history: pd.DataFrame                      # mujun.history_table of all evaluated years
    parcel_actions: pd.DataFrame
    _prepared: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def d_list(self, year: int | None) -> pd.DataFrame:
        """The zone-wide D 类 list of `year` with parcel actions (no rows when `year` was not evaluated)."""
        if year in self.evaluations:
            return self.year(year).d_list
        empty = mujun.evaluate(mujun.empty_inputs(), 0, mujun.parse_config({}))
        return mujun.d_class_list(empty, self.parcel_actions)

    def year(self, year: int) -> mujun.Prepared:
        """The evaluation of `year` prepared for showing (built on first use, then shared)."""
        with self._lock:
            if year not in self._prepared:
                self._prepared[year] = mujun.Prepared(self.evaluations[year], self.parcel_actions)
            return self._prepared[year]


@st.cache_resource(show_spinner="正在计算亩均效益评价（数据更新后计算一次）…", max_entries=2)
def _evaluated(directory: str, version: str, rules: str, _cfg: mujun.Config) -> Evaluated:
    db = ui.database()
    periods = db.run("data_periods")
    years = mujun.complete_years(dict(zip(periods["year"].astype(int), periods["last_month"].astype(int))))
    evaluations = mujun.evaluate_years(db.run("mujun_inputs"), sorted(years), _cfg)
    return Evaluated(evaluations, mujun.history_table(evaluations), db.run("mujun_parcel_actions"))


def evaluated(cfg: mujun.Config) -> Evaluated:
    """All complete years evaluated under `cfg` for the current data (cached by directory, version, rules)."""
    db = ui.database()
    return _evaluated(str(db.directory), db.data_version(), repr(cfg), cfg)


@st.cache_resource(show_spinner=False, max_entries=8)
def _scoped(directory: str, version: str, rules: str, year: int, scope: tuple, _cfg: mujun.Config):
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in scope}
    return evaluated(_cfg).year(year).scoped(ui.q("mujun_scope", params)["ent_no"].to_numpy())


def scoped(cfg: mujun.Config, year: int, params: dict) -> mujun.Scoped:
    """`year`'s evaluation as shown for the filter scope in `params` (产业链, 行业, 片区, 高新).

    The result is shared between reruns and sessions: read it, do not change it."""
    db = ui.database()
    keys = ("chains", "sectors", "areas", "high_tech_only")
    scope = tuple((k, tuple(params[k]) if isinstance(params[k], list) else params[k]) for k in keys)
    return _scoped(str(db.directory), db.data_version(), repr(cfg), int(year), scope, cfg)


def what_if(cfg: mujun.Config, year: int, ent_id: str, **changes) -> mujun.WhatIf:
    """`mujun.what_if` on `year`'s evaluation, kept for the next rerun (a filter change keeps the enterprise)."""
    db = ui.database()
    return memo.call(_what_if, str(db.directory), db.data_version(), cfg, int(year), ent_id,
                     copy=_same, **changes)


def _what_if(directory: str, version: str, cfg: mujun.Config, year: int, ent_id: str, **changes):
    return mujun.what_if(evaluated(cfg).year(year).ev, ent_id, **changes)


def _same(result):
    return result  # frozen: nothing to copy
