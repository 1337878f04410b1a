"""Business rules read from `config/rules.toml` (or the file named by COCKPIT_RULES).

Rules only: the zone's name travels with its data (`zone.toml` in the data directory, `cockpit.data.zone`)."""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_RULES = ROOT / "config" / "rules.toml"


@dataclass(frozen=True)
class StatusRule:
    """红黄绿灯规则: yellow while 完成率 trails 时序进度 by at most `yellow_points` 个百分点."""

    yellow_points: float = 10.0


@dataclass(frozen=True)
class GradeRule:
    """化工园区风险等级的得分下限 (A below `b`)."""

    b: float = 60.0
    c: float = 70.0
    d: float = 85.0
    goal: str = "D"


@dataclass(frozen=True)
class Rules:
    status: StatusRule
    grade: GradeRule
    same_enterprises: bool = True  # 规上 growth on the enterprises that reported in both periods (同口径)


def rules_path() -> Path:
    return Path(os.environ.get("COCKPIT_RULES", DEFAULT_RULES))


def read_rules(path: Path | None = None) -> dict:
    """The rules file as a dict ({} when it is missing): the one reader of config/rules.toml (or $COCKPIT_RULES);
    each module takes its section and applies its own documented defaults."""
    path = path or rules_path()
    return copy.deepcopy(_parsed(path.read_text(encoding="utf-8"))) if path.exists() else {}


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> dict:
    """The TOML text parsed, once per content (read on every rerun, many times: parsing took ~3 ms each)."""
    return tomllib.loads(text)


def rules_section(name: str, path: Path | None = None) -> dict:
    """One [section] of the rules file as a dict ({} when the file or the section is missing)."""
    return dict(read_rules(path).get(name, {}))


def load_rules(path: Path | None = None) -> Rules:
    """Read the rules file; a missing file falls back to the documented defaults."""
    raw = read_rules(path)
    status = raw.get("status", {})
    grade = raw.get("risk_grade", {})
    return Rules(
        status=StatusRule(yellow_points=float(status.get("yellow_points", 10.0))),
        grade=GradeRule(
            b=float(grade.get("B", 60.0)),
            c=float(grade.get("C", 70.0)),
            d=float(grade.get("D", 85.0)),
            goal=str(grade.get("goal", "D")),
        ),
        same_enterprises=str(raw.get("growth", {}).get("basis", "同口径")) != "全口径",
    )


@dataclass(frozen=True)
class MapConfig:
    tile_url: str = ""  # optional XYZ tiles, e.g. 'https://tiles.example.gov.cn/{z}/{x}/{y}.png'
    tile_attribution: str = ""  # shown under the map when tiles are drawn


def map_config(path: Path | None = None) -> MapConfig:
    """The [map] section of the rules file (config/rules.toml): an optional tile server for deployments. Here,
    not in the map module, because the server reads it while it starts (its content security policy) and must
    not wait for pandas to import then."""
    raw = rules_section("map", path)
    url = str(raw.get("tile_url", "")).strip()
    if url and not (url.startswith(("https://", "http://")) and all(k in url for k in ("{z}", "{x}", "{y}"))):
        raise ValueError("config/rules.toml [map] tile_url 应为含 {z}、{x}、{y} 的 http(s) 地址，或留空")
    return MapConfig(tile_url=url, tile_attribution=str(raw.get("tile_attribution", "")))
