"""亩均效益综合评价 (Zhejiang "亩均论英雄"): indicators, benchmarks, weighted score, A/B/C/D classes.

Pure pandas; the rules come from `config/mujun.toml` (or the file named by $COCKPIT_MUJUN), read on every
call of `load_config`, so an edited file takes effect on the next page run without code changes.

Evaluation of year Y (see `evaluate`):
1. The units: every enterprise that reported as 规上 in Y (rows of the named query `mujun_inputs`);
   enterprises on the same parcel form one unit (sums of their figures and of their land).
2. Six indicators per unit (`INDICATORS`): a ratio numerator / denominator (× 100 for R&D 占比);
   an indicator is missing when its denominator is zero or absent.
3. Benchmarks: the zone averages of Y − 1 (Σ numerator ÷ Σ denominator over that year's units) or fixed
   values; without data for Y − 1 the zone averages of Y itself.
4. Points per indicator = value / benchmark × weight (optionally capped at `max_ratio` × weight);
   a missing indicator scores 0 ("zero"), is left out with the other weights scaled up to the full
   weight ("reweight"), or excludes the unit ("exclude"). The shipped rules cap value / benchmark at 3.
5. Classes by rank (top A % …, ties share the better class) or by score thresholds.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = ROOT / "config" / "mujun.toml"
CLASSES = ("A", "B", "C", "D")
NOT_RATED = "未参评"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    numerator: str
    denominator: str
    factor: float = 1.0
    definition: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator("tax_per_mu", "亩均税收", "万元/亩", "tax_wan", "land_mu", 1.0, "实缴税金 ÷ 用地面积"),
    Indicator("va_per_mu", "亩均增加值", "万元/亩", "value_added_wan", "land_mu", 1.0, "工业增加值 ÷ 用地面积"),
    Indicator(
        "va_per_energy", "单位能耗增加值", "万元/吨标煤", "value_added_wan", "energy_tce", 1.0, "工业增加值 ÷ 综合能耗"
    ),
    Indicator(
        "va_per_emission",
        "单位排放增加值",
        "万元/吨",
        "value_added_wan",
        "emission_t",
        1.0,
        "工业增加值 ÷ 主要污染物排放当量",
    ),
    Indicator(
        "labour_productivity",
        "全员劳动生产率",
        "万元/人",
        "value_added_wan",
        "employees",
        1.0,
        "工业增加值 ÷ 年平均从业人员",
    ),
    Indicator(
        "rd_share", "R&D经费占营业收入比重", "%", "rd_wan", "revenue_wan", 100.0, "R&D 经费支出 ÷ 营业收入 × 100"
    ),
)
BY_KEY = {i.key: i for i in INDICATORS}
SUM_COLUMNS = (
    "tax_wan",
    "value_added_wan",
    "revenue_wan",
    "output_wan",
    "energy_tce",
    "emission_t",
    "employees",
    "rd_wan",
    "land_mu",
)


# ---------------------------------------------------------------------------------------- config
@dataclass(frozen=True)
class Config:
    weights: dict[str, float]
    benchmark_mode: str = "previous_year"  # or "fixed"
    fixed: dict[str, float] = field(default_factory=dict)
    max_ratio: float = 3.0  # 0 = no cap
    method: str = "rank"  # or "threshold"
    names: dict[str, str] = field(
        default_factory=lambda: {"A": "优先发展", "B": "提升发展", "C": "调控帮扶", "D": "倒逼整治"}
    )
    rank_pct: dict[str, float] = field(default_factory=lambda: {"A": 20.0, "B": 40.0, "C": 35.0, "D": 5.0})
    thresholds: dict[str, float] = field(default_factory=lambda: {"A": 165.0, "B": 120.0, "C": 50.0})
    missing: str = "zero"  # or "reweight", "exclude"

    def label(self, cls) -> str:
        """'A 类 优先发展'; units not rated → '未参评'."""
        if cls not in CLASSES:
            return NOT_RATED
        return f"{cls} 类 {self.names.get(cls, '')}".strip()

    def describe(self) -> str:
        """The rules in one paragraph (shown on the page)."""
        weights = "、".join(f"{BY_KEY[k].name} {self.weights[k]:g}" for k in self.weights)
        if self.benchmark_mode == "fixed":
            bench = "基准值为配置文件中的固定值"
        else:
            bench = "基准值为上一年度全区平均值（全区合计相除）"
        cap = f"，单项最多计 {self.max_ratio:g} 倍权重分" if self.max_ratio > 0 else ""
        if self.method == "rank":
            cls = "按得分排名分类：" + "、".join(f"{c} 类（{self.names[c]}）{self.rank_pct[c]:g}%" for c in CLASSES)
            cls += "（从高到低，个数四舍五入，同分同类）"
        else:
            cls = (
                "按得分线分类："
                + "、".join(f"{c} 类（{self.names[c]}）≥ {self.thresholds[c]:g} 分" for c in CLASSES[:3])
                + f"、其余为 D 类（{self.names['D']}）"
            )
        missing = {
            "zero": "缺项记 0 分",
            "reweight": "缺项不计、其余各项按权重折算到满分",
            "exclude": "有缺项的单元不参评",
        }[self.missing]
        return (
            f"综合得分 = Σ（实际值 ÷ 基准值 × 权重）；权重：{weights}；{bench}{cap}；{cls}；"
            f"{missing}；同一地块上的企业合并评价。"
        )


def config_path() -> Path:
    return Path(os.environ.get("COCKPIT_MUJUN", DEFAULT_CONFIG))


def load_config(path: Path | None = None) -> Config:
    """Read and check the 亩均 rules; a missing file gives the documented defaults."""
    path = Path(path or config_path())
    raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return parse_config(raw)


def parse_config(raw: dict) -> Config:
    default = Config(
        weights={
            "tax_per_mu": 30.0,
            "va_per_mu": 20.0,
            "va_per_energy": 20.0,
            "va_per_emission": 10.0,
            "labour_productivity": 10.0,
            "rd_share": 10.0,
        }
    )
    weights = {k: float(raw.get("weights", {}).get(k, default.weights[k])) for k in BY_KEY}
    unknown = set(raw.get("weights", {})) - set(BY_KEY)
    if unknown:
        raise ValueError(f"亩均配置 [weights] 中有未知指标：{'、'.join(sorted(unknown))}")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError("亩均配置 [weights]：权重不能为负，且合计须大于 0")
    bench = raw.get("benchmark", {})
    mode = str(bench.get("mode", default.benchmark_mode))
    if mode not in ("previous_year", "fixed"):
        raise ValueError('亩均配置 [benchmark] mode 只能是 "previous_year" 或 "fixed"')
    fixed = {k: float(v) for k, v in bench.get("fixed", {}).items() if k in BY_KEY}
    if mode == "fixed" and any(fixed.get(k, 0) <= 0 for k in BY_KEY if weights[k] > 0):
        raise ValueError("亩均配置 [benchmark.fixed]：每项有权重的指标都要填写大于 0 的固定基准值")
    classes = raw.get("classes", {})
    method = str(classes.get("method", default.method))
    if method not in ("rank", "threshold"):
        raise ValueError('亩均配置 [classes] method 只能是 "rank" 或 "threshold"')
    names = {**default.names, **{k: str(v) for k, v in classes.get("names", {}).items() if k in CLASSES}}
    rank_pct = {**default.rank_pct, **{k: float(v) for k, v in classes.get("rank", {}).items() if k in CLASSES}}
    if abs(sum(rank_pct.values()) - 100.0) > 1e-6 or any(v < 0 for v in rank_pct.values()):
        raise ValueError("亩均配置 [classes.rank]：A、B、C、D 的比例须为非负数且合计 100")
    thresholds = {
        **default.thresholds,
        **{k: float(v) for k, v in classes.get("threshold", {}).items() if k in CLASSES[:3]},
    }
    if not thresholds["A"] >= thresholds["B"] >= thresholds["C"]:
        raise ValueError("亩均配置 [classes.threshold]：须满足 A ≥ B ≥ C")
    missing = str(raw.get("missing", {}).get("rule", default.missing))
    if missing not in ("zero", "reweight", "exclude"):
        raise ValueError('亩均配置 [missing] rule 只能是 "zero"、"reweight" 或 "exclude"')
    return Config(
        weights=weights,
        benchmark_mode=mode,
        fixed=fixed,
        max_ratio=float(bench.get("max_ratio", default.max_ratio)),
        method=method,
        names=names,
        rank_pct=rank_pct,
        thresholds=thresholds,
        missing=missing,
    )


# ----------------------------------------------------------------------------------- evaluation
def evaluation_year(chosen_year: int, last_month: dict[int, int]) -> tuple[int | None, str]:
    """The year to evaluate for the filter bar's year, and a note saying why.

    A complete year (reported through 12月) is evaluated as chosen; for a year in progress, the last
    complete year before it. `last_month`: year → last month with data.
    """
    complete = sorted(y for y, m in last_month.items() if m >= 12)
    if chosen_year in complete:
        return chosen_year, f"评价年度 {chosen_year} 年（全年数据）"
    earlier = [y for y in complete if y < chosen_year]
    if not earlier:
        return (complete[-1] if complete else None), "所选年度之前没有完整年度数据"
    year = earlier[-1]
    through = last_month.get(chosen_year)
    told = f"数据截至 {through} 月" if through else "没有数据"
    return year, f"{chosen_year} 年尚未结束（{told}），默认评价上一个完整年度 {year} 年"


def complete_years(last_month: dict[int, int]) -> list[int]:
    return sorted((y for y, m in last_month.items() if m >= 12), reverse=True)


def _unit_ids(df: pd.DataFrame) -> pd.Series:
    """A parcel's id, or '企业:<ent_id>' for an enterprise without a parcel."""
    parcel = df["parcel_id"]
    return parcel.where(parcel.notna() & (parcel != ""), "企业:" + df["ent_id"].astype(str))


def join_inputs(figures: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """The rows `evaluate` takes: each row of `mujun_inputs` (year, ent_no, the year's figures) with its
    enterprise's columns from `mujun_enterprises` (ent_id, name, sector, chain, area, parcel, 亩).

    The two queries are read apart because turning a million rows of repeated names into pandas
    costs seconds; joining them here by position costs a fraction of that."""
    at = pd.Index(enterprises["ent_no"]).get_indexer(figures["ent_no"])
    if (at < 0).any():
        raise ValueError("mujun_inputs 中有 mujun_enterprises 没有的企业编号")
    ents = enterprises.iloc[at].reset_index(drop=True)
    figures = figures.reset_index(drop=True)
    return pd.concat(
        [
            figures[["year"]],
            ents[["ent_id", "ent_no"]],
            ents.drop(columns=["ent_id", "ent_no"]),
            figures.drop(columns=["year", "ent_no"]),
        ],
        axis=1,
    )


def read_inputs(run) -> pd.DataFrame:
    """`join_inputs` of the named queries, run by `run(name)` (e.g. `Database.run`)."""
    return join_inputs(run("mujun_inputs"), run("mujun_enterprises"))


def group_units(inputs: pd.DataFrame) -> pd.DataFrame:
    """One evaluation unit per parcel (enterprises without a parcel are units of their own).

    `inputs`: rows of `mujun_inputs` for one year. Returns unit_id, parcel_id, n_enterprises and the
    summed figures, one row per unit in the order of unit_id.
    """
    return _group(inputs)[0]


def _group(inputs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """`group_units`, and for each row of `inputs` the position of its unit (grouped by integer codes:
    strings are hashed once, in `pd.factorize`)."""
    codes, unit_ids = pd.factorize(_unit_ids(inputs), sort=True)
    n = len(unit_ids)
    sums = pd.DataFrame({c: pd.to_numeric(inputs[c], errors="coerce").to_numpy() for c in SUM_COLUMNS})
    sums = sums.groupby(codes).sum(min_count=1).reindex(range(n))
    ent_ids = inputs["ent_no" if "ent_no" in inputs else "ent_id"].reset_index(drop=True)
    if not ent_ids.duplicated().any():  # one row per enterprise (the grain of mujun_inputs): count rows
        n_enterprises = np.bincount(codes, minlength=n)
    else:
        n_enterprises = ent_ids.groupby(codes).nunique().reindex(range(n)).to_numpy()
    parcel = inputs["parcel_id"].reset_index(drop=True).groupby(codes).first().reindex(range(n))
    units = pd.DataFrame({"unit_id": unit_ids, "parcel_id": parcel, "n_enterprises": n_enterprises.astype(np.int64)})
    return pd.concat([units, sums], axis=1), codes


def _ratio(num, den, factor: float = 1.0):
    num = pd.to_numeric(num, errors="coerce")
    den = pd.to_numeric(den, errors="coerce")
    out = num / den.where(den > 0) * factor
    return out


def add_indicators(units: pd.DataFrame) -> pd.DataFrame:
    """The six indicator values per unit (NaN where the denominator is zero or missing)."""
    out = units.copy()
    for ind in INDICATORS:
        out[ind.key] = _ratio(out[ind.numerator], out[ind.denominator], ind.factor)
    return out


def zone_averages(units: pd.DataFrame) -> dict[str, float | None]:
    """Zone average of each indicator: Σ numerator ÷ Σ denominator over units with a denominator > 0."""
    out = {}
    for ind in INDICATORS:
        num = pd.to_numeric(units[ind.numerator], errors="coerce")
        den = pd.to_numeric(units[ind.denominator], errors="coerce")
        ok = (den > 0) & num.notna()
        total = float(den[ok].sum())
        out[ind.key] = float(num[ok].sum()) / total * ind.factor if total > 0 else None
    return out


def benchmarks(inputs: pd.DataFrame, year: int, cfg: Config) -> tuple[dict[str, float | None], str]:
    """Benchmarks for evaluating `year` and a note on where they come from.

    `inputs`: rows of `mujun_inputs` for all years (only `year` and `year − 1` are used).
    """
    return _benchmarks(_Years.of_frame(inputs), year, cfg)


class _Years:
    """Each year's rows (`rows_of(year)`: a frame, or None when the year has none) and their units,
    each grouped once and kept until `forget_before`."""

    def __init__(self, rows_of, empty: pd.DataFrame):
        self._rows_of, self.empty = rows_of, empty
        self._rows: dict[int, pd.DataFrame | None] = {}
        self._grouped: dict[int, tuple[pd.DataFrame, np.ndarray] | None] = {}

    @classmethod
    def of_frame(cls, inputs: pd.DataFrame) -> _Years:
        by_year = {int(y): r for y, r in inputs.groupby("year", sort=True)} if len(inputs) else {}
        return cls(by_year.get, inputs.iloc[:0] if "ent_id" in inputs else empty_inputs())

    def rows(self, year: int) -> pd.DataFrame | None:
        if year not in self._rows:
            rows = self._rows_of(year)
            self._rows[year] = None if rows is None or rows.empty else rows
        return self._rows[year]

    def grouped(self, year: int) -> tuple[pd.DataFrame, np.ndarray] | None:
        if year not in self._grouped:
            rows = self.rows(year)
            self._grouped[year] = None if rows is None else _group(rows)
        return self._grouped[year]

    def __call__(self, year: int) -> pd.DataFrame | None:
        """The year's units (None when it has no rows)."""
        grouped = self.grouped(year)
        return None if grouped is None else grouped[0]

    def forget_before(self, year: int) -> None:
        for kept in (self._rows, self._grouped):
            for y in [y for y in kept if y < year]:
                del kept[y]


def _benchmarks(units_of: _Years, year: int, cfg: Config) -> tuple[dict[str, float | None], str]:
    if cfg.benchmark_mode == "fixed":
        return {k: cfg.fixed.get(k) for k in BY_KEY}, "基准值：配置文件中的固定值"
    previous = units_of(year - 1)
    if previous is not None:
        return zone_averages(previous), f"基准值：{year - 1} 年全区平均值"
    same = units_of(year)
    return (
        zone_averages(same if same is not None else group_units(empty_inputs())),
        f"基准值：{year - 1} 年无数据，采用 {year} 年全区平均值",
    )


def score_units(units: pd.DataFrame, bench: dict[str, float | None], cfg: Config) -> pd.DataFrame:
    """Points per indicator (`pts_<key>`), `score`, `missing` (names of missing indicators), `rated`."""
    out = add_indicators(units)
    total_weight = sum(cfg.weights.values())
    points = pd.DataFrame(index=out.index)
    available_weight = pd.Series(0.0, index=out.index)
    for ind in INDICATORS:
        w = cfg.weights[ind.key]
        b = bench.get(ind.key)
        if w == 0:
            points[ind.key] = 0.0
            continue
        if b is None or not (b > 0):
            ratio = pd.Series(np.nan, index=out.index)
        else:
            ratio = out[ind.key] / b
            if cfg.max_ratio > 0:
                ratio = ratio.clip(upper=cfg.max_ratio)
        points[ind.key] = ratio * w
        available_weight += np.where(points[ind.key].notna(), w, 0.0)
    missing = points.isna()
    out["missing"] = _missing_names(missing)
    raw = points.sum(axis=1, min_count=1)
    if cfg.missing == "reweight":
        score = raw * total_weight / available_weight.where(available_weight > 0)
        rated = available_weight > 0
    elif cfg.missing == "exclude":
        score = raw.where(~missing.any(axis=1))
        rated = ~missing.any(axis=1)
    else:
        score = points.fillna(0.0).sum(axis=1)
        rated = pd.Series(True, index=out.index)
    for k in points.columns:
        out[f"pts_{k}"] = points[k]
    out["score"] = score.where(rated)
    out["rated"] = rated.astype(bool)
    return out


def _missing_names(missing: pd.DataFrame) -> pd.Series:
    """'亩均税收、亩均增加值' per row of a boolean frame (columns: indicator keys); '' when none missing.

    Each pattern of missing indicators is a bit code; its label is built once, not once per unit."""
    names = [BY_KEY[k].name for k in missing.columns]
    codes = missing.to_numpy(dtype=np.int64) @ (1 << np.arange(len(names), dtype=np.int64))
    labels = {int(c): "、".join(n for i, n in enumerate(names) if int(c) >> i & 1) for c in np.unique(codes)}
    return pd.Series(codes, index=missing.index).map(labels).astype("str")


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5 + 1e-9))


def rank_cutoffs(n: int, cfg: Config) -> dict[str, int]:
    """Cumulative counts of the rank classes for n units: {'A': nA, 'B': nA+nB, 'C': nA+nB+nC}."""
    out, cum = {}, 0.0
    for c in CLASSES[:3]:
        cum += cfg.rank_pct[c]
        out[c] = _round_half_up(n * cum / 100.0)
    return out


def class_of(score: float, others: pd.Series | np.ndarray, n: int, cfg: Config) -> str | None:
    """The class of one score: by threshold, or by its rank among `others` (the scores of all units
    but this one; rank = 1 + number of strictly higher scores, so ties share the better class)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if cfg.method == "threshold":
        for c in CLASSES[:3]:
            if score >= cfg.thresholds[c]:
                return c
        return "D"
    others = np.asarray(others, dtype=float)
    rank = 1 + int(np.sum(others[~np.isnan(others)] > score))
    cut = rank_cutoffs(n, cfg)
    for c in CLASSES[:3]:
        if rank <= cut[c]:
            return c
    return "D"


def classify(scores: pd.Series, cfg: Config) -> pd.Series:
    """Class (A/B/C/D) per score; None for units without a score (not rated).

    The same classes as `class_of` for each score, in one pass: by threshold, or by the competition
    rank (1 + number of strictly higher scores, `rank_of`) against the cumulative rank cut-offs."""
    values = scores.to_numpy(dtype=float)
    rated = ~np.isnan(values)
    if cfg.method == "threshold":
        hits = [values >= cfg.thresholds[c] for c in CLASSES[:3]]
    else:
        rank = rank_of(scores).to_numpy(dtype=float)
        cut = rank_cutoffs(int(rated.sum()), cfg)
        hits = [rank <= cut[c] for c in CLASSES[:3]]
    cls = np.select(hits, list(CLASSES[:3]), default="D").astype(object)
    cls[~rated] = None
    return pd.Series(cls, index=scores.index, dtype=object)


def rank_of(scores: pd.Series) -> pd.Series:
    """Competition rank (1 = best; ties share the smaller rank); NaN scores get no rank."""
    return scores.rank(method="min", ascending=False)


@dataclass
class Evaluation:
    year: int
    units: pd.DataFrame  # one row per unit: sums, indicators, points, score, rank, cls
    enterprises: pd.DataFrame  # one row per enterprise: its own figures + its unit's result
    benchmarks: dict[str, float | None]
    benchmark_note: str
    config: Config

    # Lookups by id go through an index built on first use (a hash table: later lookups cost
    # microseconds, where a comparison over 200,000 rows costs milliseconds). Do not mutate the frames.
    @cached_property
    def _enterprise_index(self) -> pd.Index:
        return pd.Index(self.enterprises["ent_id"])

    @cached_property
    def _unit_index(self) -> pd.Index:
        return pd.Index(self.units["unit_id"])

    def enterprise_position(self, ent_id: str) -> int:
        """Row position of an enterprise in `enterprises` (KeyError when it was not evaluated)."""
        return _first_position(self._enterprise_index.get_loc(ent_id))

    def unit_position(self, unit_id: str) -> int:
        """Row position of a unit in `units` (KeyError when there is no such unit)."""
        return _first_position(self._unit_index.get_loc(unit_id))

    def enterprise(self, ent_id: str) -> pd.Series:
        """One enterprise's row (KeyError when it was not evaluated this year)."""
        return self.enterprises.iloc[self.enterprise_position(ent_id)]

    def unit(self, unit_id: str) -> pd.Series:
        """One unit's row (KeyError when there is no such unit)."""
        return self.units.iloc[self.unit_position(unit_id)]


def _first_position(loc) -> int:
    """`Index.get_loc`'s answer (a position, a slice or a mask for repeated labels) → the first position."""
    if isinstance(loc, slice):
        return int(loc.start or 0)
    if isinstance(loc, np.ndarray):
        return int(np.flatnonzero(loc)[0])
    return int(loc)


def evaluate(inputs: pd.DataFrame, year: int, cfg: Config) -> Evaluation:
    """Score and classify every unit (parcel) of `year`; `inputs`: all rows of `mujun_inputs`."""
    return evaluate_years(inputs, [year], cfg)[year]


def evaluate_years(inputs: pd.DataFrame, years, cfg: Config) -> dict[int, Evaluation]:
    """`evaluate` for each of `years`, grouping each year's units once (a year's units serve as the
    next year's benchmark). The classification is zone-wide: it depends on the data and the rules only."""
    return {ev.year: ev for ev in _evaluate_each(_Years.of_frame(inputs), years, cfg)}


def evaluate_each(rows_of, years, cfg: Config, empty: pd.DataFrame | None = None):
    """`evaluate` of each of `years` in turn (a generator), where `rows_of(year)` gives that year's rows
    of `mujun_inputs` (None or no rows when it has none): only the year and the one before are read
    and held at a time. `empty`: rows without rows for a year that has none (default `empty_inputs`)."""
    yield from _evaluate_each(_Years(rows_of, empty_inputs() if empty is None else empty), years, cfg)


def _evaluate_each(years_of: _Years, years, cfg: Config):
    keep = ["n_enterprises", "score", "rank", "cls", "cls_label", "rated", "missing"]
    keep += [i.key for i in INDICATORS]
    for year in years:
        year = int(year)
        bench, note = _benchmarks(years_of, year, cfg)
        rows, grouped = years_of.rows(year), years_of.grouped(year)
        if rows is None:
            rows = years_of.empty
            grouped = _group(rows)
        units, at = grouped
        units = score_units(units, bench, cfg)
        units["rank"] = rank_of(units["score"])
        units["cls"] = classify(units["score"], cfg)
        units["cls_label"] = _labels(units["cls"], cfg)
        ents = rows.reset_index(drop=True)
        ents["unit_id"] = units["unit_id"].iloc[at].reset_index(drop=True)
        ents = pd.concat([ents, units[keep].iloc[at].reset_index(drop=True)], axis=1)
        years_of.forget_before(year)  # the next year reads this one (its benchmarks), not earlier ones
        yield Evaluation(year, units, ents, bench, note, cfg)


def _labels(cls: pd.Series, cfg: Config) -> pd.Series:
    """'A 类 优先发展' … per class; '未参评' where there is none."""
    return cls.map({c: cfg.label(c) for c in CLASSES}).fillna(NOT_RATED).astype("str")


def empty_inputs() -> pd.DataFrame:
    """`mujun_inputs` without rows (evaluating it gives empty tables with every column)."""
    text = ("ent_id", "ent_name", "sector_code", "sector_name", "chain", "area_code", "area_name", "parcel_id")
    cols = ["year", "ent_id", "ent_no", *text[1:], *SUM_COLUMNS]
    return pd.DataFrame(
        {c: pd.Series(dtype=object if c in text else "int64" if c in ("year", "ent_no") else float) for c in cols}
    )


# ------------------------------------------------------------------------------------- summaries
def class_order(ents: pd.DataFrame, cfg: Config) -> list[str]:
    """Class labels in order A … D, plus 未参评 only when some enterprise is not rated (legends)."""
    order = [cfg.label(c) for c in CLASSES]
    return order + ([NOT_RATED] if ents["cls"].isna().any() else [])


def class_counts(ents: pd.DataFrame, by: str | None, cfg: Config) -> pd.DataFrame:
    """Enterprises per class (and their share, %) overall or per value of column `by`.

    Returns long rows: [by,] cls_label, count, share_pct (share within the group).
    """
    keys = ([by] if by else []) + ["cls_label"]
    # count by class code, then label the few groups (not every enterprise)
    counts = ents.groupby(keys[:-1] + ["cls"], dropna=False).size().rename("count").reset_index()
    counts.insert(len(keys) - 1, "cls_label", _labels(counts.pop("cls"), cfg))
    totals = counts.groupby(by)["count"].transform("sum") if by else counts["count"].sum()
    counts["share_pct"] = counts["count"] / totals * 100.0
    order = [cfg.label(c) for c in CLASSES] + [NOT_RATED]
    counts["order"] = counts["cls_label"].map({v: i for i, v in enumerate(order)})
    return counts.sort_values(keys[:-1] + ["order"]).drop(columns="order").reset_index(drop=True)


def indicator_table(ev: Evaluation, unit_id: str) -> pd.DataFrame:
    """One unit's six indicators (name with unit) against the benchmarks: value, benchmark, ratio (%),
    weight, points."""
    unit = ev.unit(unit_id)
    rows = []
    for ind in INDICATORS:
        value = unit[ind.key]
        bench = ev.benchmarks.get(ind.key)
        rows.append(
            {
                "指标": f"{ind.name}（{ind.unit}）",
                "实际值": value,
                "基准值": bench,
                "实际值/基准值（%）": value / bench * 100.0 if bench and pd.notna(value) else np.nan,
                "权重（分）": ev.config.weights[ind.key],
                "得分（分）": unit[f"pts_{ind.key}"],
            }
        )
    return pd.DataFrame(rows)


HISTORY_COLUMNS = ["year", "score", "rank", "units", "cls", "cls_label"]


def class_history(inputs: pd.DataFrame, ent_id: str, years: list[int], cfg: Config) -> pd.DataFrame:
    """One enterprise's score, rank and class in each of `years` (evaluated with the current rules)."""
    return history_of(history_table(evaluate_years(inputs, sorted(years), cfg)), ent_id)


@dataclass
class History:
    """Each enterprise's evaluated years, compact (1,000,000 rows at provincial scale cost ~40 MB)."""

    ids: pd.Index  # the enterprises, unique and sorted
    bounds: np.ndarray  # the rows of ids[i] are frame.iloc[bounds[i]:bounds[i + 1]]
    frame: pd.DataFrame  # HISTORY_COLUMNS (cls, cls_label as categories), by enterprise, then year


def history_table(evaluations) -> History:
    """Every enterprise's year, score, rank, units (rated units that year), cls and cls_label in each
    evaluation (a dict year → Evaluation, or evaluations one after another), for `history_of`."""
    if isinstance(evaluations, dict):
        evaluations = [evaluations[y] for y in sorted(evaluations)]
    parts = []
    for ev in evaluations:  # a generator is read once: each evaluation can be dropped after its part
        e = ev.enterprises
        parts.append(
            pd.DataFrame(
                {
                    "ent_id": e["ent_id"].to_numpy(dtype=object),
                    "year": np.int64(ev.year),
                    "score": e["score"].to_numpy(dtype=float),
                    "rank": e["rank"].to_numpy(dtype=float),
                    "units": np.int64(ev.units["rated"].sum()),
                    "cls": e["cls"].astype("category"),
                    "cls_label": e["cls_label"].astype("category"),
                }
            ).reset_index(drop=True)
        )
    if not parts:
        return History(pd.Index([], dtype=object), np.zeros(1, dtype=np.int64), pd.DataFrame(columns=HISTORY_COLUMNS))
    table = pd.concat(parts, ignore_index=True)
    for col in ("cls", "cls_label"):  # categories differ between years: unify them
        table[col] = table[col].astype("category")
    codes, ids = pd.factorize(table.pop("ent_id"), sort=True)
    order = np.lexsort((table["year"].to_numpy(), codes))
    bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1))
    ids = pd.Index(ids)
    ids.get_indexer(ids[:1])  # builds the lookup now, not in a rerun
    return History(ids, bounds, table.iloc[order].reset_index(drop=True)[HISTORY_COLUMNS])


def history_of(history: History, ent_id: str) -> pd.DataFrame:
    """One enterprise's rows of `history_table` by year: year, score, rank, units, cls (None when not
    rated), cls_label; empty when it was never evaluated."""
    at = history.ids.get_indexer([ent_id])[0]
    rows = history.frame.iloc[0:0] if at < 0 else history.frame.iloc[history.bounds[at] : history.bounds[at + 1]]
    out = rows.reset_index(drop=True)
    cls = out["cls"].astype(object)
    out["cls"] = cls.where(cls.notna(), None)
    out["cls_label"] = out["cls_label"].astype("str")
    return out


def d_class_list(ev: Evaluation, parcel_actions: pd.DataFrame | None = None) -> pd.DataFrame:
    """D 类（倒逼整治）enterprises of the evaluation with their parcels (for the 低效用地 page).

    Columns: ent_id, ent_name, chain, sector_name, area_code, area_name, parcel_id, land_mu, score,
    rank, tax_per_mu, va_per_mu, and — when `parcel_actions` (query `mujun_parcel_actions`) is
    given — the parcel's latest 整治 action: action_id, action_year, method, status.
    """
    return _d_rows(ev.enterprises, parcel_actions)


def _d_rows(ents: pd.DataFrame, parcel_actions: pd.DataFrame | None) -> pd.DataFrame:
    cols = [
        "ent_id",
        "ent_name",
        "chain",
        "sector_name",
        "area_code",
        "area_name",
        "parcel_id",
        "land_mu",
        "score",
        "rank",
        "tax_per_mu",
        "va_per_mu",
    ]
    d = ents[ents["cls"] == "D"][cols].sort_values(["score", "ent_id"])
    if parcel_actions is not None:
        acts = parcel_actions.rename(columns={"plan_year": "action_year"})[
            ["parcel_id", "action_id", "action_year", "method", "status"]
        ]
        d = d.merge(acts, on="parcel_id", how="left")
    return d.reset_index(drop=True)


# ------------------------------------------------------------------ one evaluation, many filter scopes


@dataclass
class Scoped:
    """One evaluation as shown for the filter scope (the classes stay zone-wide; see `Prepared`)."""

    enterprises: pd.DataFrame  # in-scope enterprises in ranking order (rank, ent_id; unrated last)
    units: pd.DataFrame  # units with an enterprise in scope: unit_id, score, cls, cls_label
    zone: dict[str, float | None]  # zone_averages of the in-scope enterprises
    counts: pd.DataFrame  # class_counts overall, by chain and by area
    by_chain: pd.DataFrame
    by_area: pd.DataFrame
    d_list: pd.DataFrame  # the in-scope rows of the D 类 list, with parcel actions


def rated_by_area(ents: pd.DataFrame) -> pd.DataFrame:
    """Rated enterprises (a class given) and D 类 among them per 片区: area_name, rated, d_class (the map's 片区
    view; zone-wide, so computed once per evaluation)."""
    rated = ents[ents["cls"].notna()]
    flags = pd.DataFrame({"area_name": rated["area_name"].to_numpy(), "d": (rated["cls"] == "D").to_numpy(dtype=bool)})
    return flags.groupby("area_name").agg(rated=("d", "size"), d_class=("d", "sum")).reset_index()


class Prepared:
    """An evaluation made ready to be shown for many filter scopes (built once per data version and rules).

    `ev.enterprises` are put in ranking order (rank, then ent_id; not rated last) and need the column
    `ent_no` (the enterprise numbering of `mujun_inputs` and `mujun_scope`); `parcel_actions` are the rows
    of `mujun_parcel_actions` for the D 类 list. Read-only once built: sessions share it.
    """

    def __init__(self, ev: Evaluation, parcel_actions: pd.DataFrame | None = None):
        ents = ev.enterprises.sort_values(["rank", "ent_id"], na_position="last", kind="stable")
        ents = ents.reset_index(drop=True)
        self.ev = Evaluation(ev.year, ev.units, ents, ev.benchmarks, ev.benchmark_note, ev.config)
        self.parcel_actions = parcel_actions
        self.ent_no = ents["ent_no"].to_numpy(dtype=np.int64)
        self.unit_pos = self.ev._unit_index.get_indexer(ents["unit_id"])
        if len(ents):
            self.ev.enterprise_position(ents["ent_id"].iloc[0])  # builds the lookup now, not in a rerun
        self.class_order = class_order(ents, ev.config)
        self.d_list = _d_rows(ents, parcel_actions)
        self.rated_by_area = rated_by_area(ents)

    def units_of(self, parcel_ids) -> pd.DataFrame:
        """The units (unit_id, cls_label, tax_per_mu) of these parcels (a unit's id is its parcel's), in the units'
        order; a parcel without a unit has no row. Looked up in the units' index: the units are every evaluated
        parcel of the zone (~120,000 at a province), a map's parcels a few thousand."""
        positions = self.ev._unit_index.get_indexer(pd.Index(parcel_ids).unique())
        positions = np.sort(positions[positions >= 0])
        return self.ev.units.iloc[positions][["unit_id", "cls_label", "tax_per_mu"]].reset_index(drop=True)

    def in_scope(self, scope_nos) -> np.ndarray:
        """A boolean per enterprise row: is its ent_no among `scope_nos` (None = no filter, all)."""
        if scope_nos is None:
            return np.ones(len(self.ent_no), dtype=bool)
        scope_nos = np.asarray(scope_nos, dtype=np.int64)
        size = int(max(self.ent_no.max(initial=-1), scope_nos.max(initial=-1))) + 1
        member = np.zeros(size, dtype=bool)
        member[scope_nos] = True
        return member[self.ent_no]

    def scoped(self, scope_nos=None) -> Scoped:
        """The page's figures for the enterprises numbered `scope_nos` (rows of `mujun_scope`; None = all)."""
        mask = self.in_scope(scope_nos)
        ents = self.ev.enterprises if mask.all() else self.ev.enterprises[mask]
        unit_mask = np.zeros(len(self.ev.units), dtype=bool)
        unit_mask[self.unit_pos[mask]] = True
        units = self.ev.units.loc[unit_mask, ["unit_id", "score", "cls", "cls_label"]]
        cfg = self.ev.config
        return Scoped(
            ents,
            units,
            zone_averages(ents),
            class_counts(ents, None, cfg),
            class_counts(ents, "chain", cfg),
            class_counts(ents, "area_name", cfg),
            _d_rows(ents, self.parcel_actions),
        )


def picker_options(ents: pd.DataFrame, search: str, limit: int) -> pd.DataFrame:
    """Enterprises to offer in the picker (ent_id, ent_name), in the order of `ents` (ranking order).

    With a `search` text: the first `limit` whose name contains it. Without: all when there are at most
    `limit`, else the top-ranked ones and the lowest-ranked D 类 ones (half each; the rest from the top
    when there are fewer D 类)."""
    cols = ["ent_id", "ent_name"]
    text = search.strip()
    if text:
        hit = ents["ent_name"].str.contains(text, regex=False, case=False, na=False)
        return ents.loc[hit, cols].head(limit)
    if len(ents) <= limit:
        return ents[cols]
    d_rows = ents.index[(ents["cls"] == "D").to_numpy()][-(limit // 2) :]
    top = ents.index[: limit - len(d_rows)]
    return ents.loc[top.union(d_rows, sort=False), cols]


# --------------------------------------------------------------------------------------- what-if
@dataclass(frozen=True)
class WhatIf:
    unit_id: str
    values: dict[str, float | None]  # indicator key → new value
    score: float | None
    cls: str | None
    rank: int | None
    units: int  # number of rated units in the ranking
    previous_score: float | None = None  # the unit's score as evaluated

    @property
    def change(self) -> float | None:
        """New score − evaluated score (分); None when either is missing."""
        if self.score is None or self.previous_score is None or math.isnan(self.previous_score):
            return None
        return self.score - self.previous_score


def what_if(
    ev: Evaluation,
    ent_id: str,
    *,
    tax_wan: float | None = None,
    value_added_wan: float | None = None,
    land_mu: float | None = None,
) -> WhatIf:
    """Re-score the unit of one enterprise after changing that enterprise's 税收, 增加值 or 用地.

    New values replace the enterprise's own figures (its unit's totals change by the difference);
    benchmarks and all other units stay as evaluated, so the class is read against the same ranking.
    """
    ent = ev.enterprise(ent_id)
    unit_id = ent["unit_id"]
    at = ev.unit_position(unit_id)
    unit = ev.units.iloc[[at]][list(("unit_id", *SUM_COLUMNS))].copy()
    for col, new in (("tax_wan", tax_wan), ("value_added_wan", value_added_wan), ("land_mu", land_mu)):
        if new is not None:
            unit[col] = unit[col] + (float(new) - float(ent[col]))
    scored = score_units(unit.reset_index(drop=True), ev.benchmarks, ev.config).iloc[0]
    score = scored["score"]
    keep = ev.units["rated"].to_numpy(dtype=bool).copy()
    keep[at] = False
    others = ev.units["score"].to_numpy(dtype=float)[keep]
    rated = bool(scored["rated"])
    n = int(len(others) + (1 if rated else 0))
    cls = class_of(float(score), others, n, ev.config) if rated else None
    rank = 1 + int((others > score).sum()) if rated else None
    before = ev.units["score"].iloc[at]
    return WhatIf(
        unit_id,
        {i.key: scored[i.key] for i in INDICATORS},
        None if not rated else float(score),
        cls,
        rank,
        n,
        None if pd.isna(before) else float(before),
    )
