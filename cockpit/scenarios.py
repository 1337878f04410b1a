"""Named growth scenarios for the sector sliders: 保守 / 基准 / 乐观 presets plus saved custom ones.

A scenario is a growth assumption (同比, %) per 产业链 for the rest of the year. Presets follow the data:
基准 = each 产业链's 1—m月 产值 同比 carried on (rounded to 1 %), 保守 = 基准 − 5, 乐观 = 基准 + 5 (clamped to
the slider range). Custom scenarios are saved as JSON in `<data dir>/scenarios/custom.json` (atomic write,
previous version kept in `scenarios/history/`). A scenario travels in the URL as `growth=新材料:5,新装备:3.5`.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import pandas as pd

from cockpit import whatif
from cockpit.store import atomic_write
from cockpit.targets import stamp

PRESETS = ("保守", "基准", "乐观")
PRESET_SHIFT = {"保守": -5.0, "基准": 0.0, "乐观": 5.0}
GROWTH_MIN, GROWTH_MAX, GROWTH_STEP = -30.0, 50.0, 0.5
URL_KEY = "growth"
FOLDER = "scenarios"
FILE = "custom.json"
MAX_NAME = 20
LOCK = threading.Lock()


def clamp(g: float) -> float:
    """Into the slider range, on the slider's step."""
    g = min(max(float(g), GROWTH_MIN), GROWTH_MAX)
    return round(g / GROWTH_STEP) * GROWTH_STEP


def preset(name: str, ytd_yoy: dict[str, float | None]) -> dict[str, float]:
    """Growth per 产业链 of a preset from each chain's 1—m月 同比 (None → 0; 基准 clamped before the shift)."""
    shift = PRESET_SHIFT[name]
    out = {}
    for chain, yoy in ytd_yoy.items():
        base = 0.0 if yoy is None or (isinstance(yoy, float) and math.isnan(yoy)) else clamp(round(yoy))
        out[chain] = clamp(base + shift)
    return out


def encode(growth: dict[str, float]) -> str:
    """URL form: '新材料:5,新装备:-2.5' (chains in the dict's order, numbers without trailing zeros)."""
    return ",".join(f"{c}:{clamp(g):g}" for c, g in growth.items())


def decode(text: str | None, chains) -> dict[str, float]:
    """Parse the URL form; only known 产业链 (whitelist), numbers clamped, anything else ignored."""
    out: dict[str, float] = {}
    if not text:
        return out
    known = set(chains)
    for part in str(text).split(","):
        chain, _, value = part.partition(":")
        chain = chain.strip()
        try:
            g = float(value)
        except ValueError:
            continue
        if chain in known and math.isfinite(g):
            out[chain] = clamp(g)
    return out


def _path(directory: Path) -> Path:
    return Path(directory) / FOLDER / FILE


def load_custom(directory: Path) -> dict[str, dict]:
    """Saved custom scenarios: name → {"growth": {产业链: %}, "year": int, "saved": str}."""
    path = _path(directory)
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): v for k, v in raw.items() if isinstance(v, dict) and "growth" in v}


def check_name(name: str) -> str | None:
    """Why a custom scenario name cannot be used (None when it can)."""
    name = (name or "").strip()
    if not name:
        return "请填写情景名称"
    if len(name) > MAX_NAME:
        return f"情景名称不超过 {MAX_NAME} 个字"
    if name in PRESETS:
        return "保守 / 基准 / 乐观 是预设情景，请换一个名称"
    return None


def save_custom(directory: Path, name: str, growth: dict[str, float], year: int) -> None:
    """Add or replace one custom scenario (atomic write; the previous file is kept in history/)."""
    problem = check_name(name)
    if problem:
        raise ValueError(problem)
    with LOCK:
        scenarios = load_custom(directory)
        scenarios[name.strip()] = {"growth": {c: clamp(g) for c, g in growth.items()},
                                   "year": int(year), "saved": stamp()}
        text = json.dumps(scenarios, ensure_ascii=False, indent=2)
        path = _path(directory)
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"),
                     keep_as=path.parent / "history" / f"custom-{stamp()}.json")


def compare(base: pd.DataFrame, scenarios: dict[str, dict[str, float]],
            targets: dict[str, float]) -> pd.DataFrame:
    """Side by side: one row per scenario with projected 产值 / 增加值 (亿元), 同比, 高新占比, 完成率 (%)."""
    rows = []
    for name, growth in scenarios.items():
        p = whatif.summarize(whatif.project(base, growth), targets)
        rows.append({"情景": name, "全年规上产值（亿元）": p.output, "产值同比（%）": p.output_yoy,
                     "产值完成率（%）": p.output_completion, "全年增加值（亿元）": p.value_added,
                     "增加值同比（%）": p.value_added_yoy, "增加值完成率（%）": p.value_added_completion,
                     "高新增加值占比（%）": p.high_tech_share})
    return pd.DataFrame(rows)
