"""Named growth scenarios for the sector sliders: 保守 / 基准 / 乐观 presets plus saved custom ones.

A scenario is a growth assumption (同比, %) per 产业链 for the rest of the year. Presets follow the data:
基准 = each 产业链's 1—m月 产值 同比 carried on (rounded to 1 %), 保守 = 基准 − 5, 乐观 = 基准 + 5 (clamped to
the slider range). A scenario travels in the URL as `growth=新材料:5,新装备:3.5`.

Custom scenarios are operational state several sessions change, so they live in the data directory's SQLite
database (`cockpit.data.opstate`, tables `scenario_…`): every save is a new version of its name; the newest
`keep_versions` versions of each name are kept (config/rules.toml [scenarios], default 20). Saving over an
existing name must name the version it replaces (`replace=`), so a page asks before overwriting and a save that
raced with another one is refused instead of silently winning. Loading is open to everybody; saving, renaming and
deleting are the page's admin actions. Scenarios saved by earlier versions in `scenarios/custom.json` are
imported once (the file is left in place).
"""

from __future__ import annotations

import json
import math
import unicodedata
from datetime import datetime
from pathlib import Path

import pandas as pd

from cockpit.data import opstate
from cockpit.data.config import rules_section
from cockpit.domain import whatif

PRESETS = ("保守", "基准", "乐观")
CURRENT = "当前假设"  # the row of the comparison table that shows the sliders' values
PRESET_SHIFT = {"保守": -5.0, "基准": 0.0, "乐观": 5.0}
GROWTH_MIN, GROWTH_MAX, GROWTH_STEP = -30.0, 50.0, 0.5
URL_KEY = "growth"
MAX_NAME = 20
KEEP_VERSIONS = 20
PATH_CHARACTERS = set('/\\:*?"<>|')
LEGACY_FILE = Path("scenarios") / "custom.json"
DDL = """
create table if not exists scenario_versions (
    name text not null,
    version integer not null,
    growth text not null,
    year integer not null,
    saved_at text not null,
    saved_by text not null,
    primary key (name, version)
);
create table if not exists scenario_meta (key text primary key, value text not null)
"""


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


class Exists(ValueError):
    """A scenario of that name exists (newest version `version`, saved at `saved_at`): saving over it needs
    `replace=version`."""

    def __init__(self, name: str, version: int, saved_at: str) -> None:
        super().__init__(f"已有同名情景“{name}”（{saved_at} 保存）")
        self.name, self.version, self.saved_at = name, version, saved_at


def keep_versions() -> int:
    """Versions kept per scenario, from config/rules.toml [scenarios] keep_versions (at least 1)."""
    return max(1, int(rules_section("scenarios").get("keep_versions", KEEP_VERSIONS)))


def check_name(name: str) -> str | None:
    """Why a custom scenario name cannot be used (None when it can)."""
    name = (name or "").strip()
    if not name:
        return "请填写情景名称"
    if len(name) > MAX_NAME:
        return f"情景名称不超过 {MAX_NAME} 个字"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        return "情景名称不能含换行、制表等控制字符或不可见字符"
    if PATH_CHARACTERS & set(name) or name.strip(".") == "":
        return '情景名称不能含 / \\ : * ? " < > | 等字符，也不能只由句点组成'
    if name in PRESETS or name == CURRENT:
        return "保守 / 基准 / 乐观 / 当前假设 是预设名称，请换一个名称"
    return None


def _valid(name: str) -> str:
    problem = check_name(name)
    if problem:
        raise ValueError(problem)
    return name.strip()


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _open(con, directory: Path) -> None:
    """Create the tables; import the scenarios an earlier version kept in scenarios/custom.json (once)."""
    opstate.ensure(con, DDL)
    if con.execute("select 1 from scenario_meta where key = 'legacy_json_imported'").fetchone():
        return
    legacy = Path(directory) / LEGACY_FILE
    raw = json.loads(legacy.read_text(encoding="utf-8")) if legacy.exists() else {}
    for name, item in raw.items():
        if isinstance(item, dict) and isinstance(item.get("growth"), dict) and check_name(str(name)) is None:
            con.execute(
                "insert or ignore into scenario_versions values (?, 1, ?, ?, ?, '早期版本')",
                (
                    str(name).strip(),
                    json.dumps(item["growth"], ensure_ascii=False),
                    int(item.get("year", 0)),
                    str(item.get("saved", "")),
                ),
            )
    con.execute("insert into scenario_meta values ('legacy_json_imported', ?)", (_now(),))


def _latest(con, name: str):
    return con.execute(
        "select version, saved_at from scenario_versions where name = ? order by version desc limit 1", (name,)
    ).fetchone()


def _reading(directory: Path):
    """A read connection (no write lock: every rerun of 推演 reads), the tables made once per process."""

    def prepare() -> None:
        with opstate.connect(directory) as con:
            _open(con, directory)

    return opstate.reading(directory, "scenarios", prepare)


def load_custom(directory: Path) -> dict[str, dict]:
    """Saved custom scenarios by name (sorted): {"growth": {产业链: %}, "year", "saved", "version",
    "versions" (how many are kept)}."""
    with _reading(directory) as con:
        rows = con.execute(
            "select name, version, growth, year, saved_at, n from ("
            "  select *, row_number() over (partition by name order by version desc) as rn,"
            "         count(*) over (partition by name) as n from scenario_versions)"
            " where rn = 1 order by name"
        ).fetchall()
    return {
        r["name"]: {
            "growth": json.loads(r["growth"]),
            "year": r["year"],
            "saved": r["saved_at"],
            "version": r["version"],
            "versions": r["n"],
        }
        for r in rows
    }


def history(directory: Path, name: str) -> list[dict]:
    """The kept versions of one scenario, newest first."""
    with _reading(directory) as con:
        rows = con.execute(
            "select version, growth, year, saved_at, saved_by from scenario_versions "
            "where name = ? order by version desc",
            (name,),
        ).fetchall()
    return [{**dict(r), "growth": json.loads(r["growth"])} for r in rows]


def save_custom(
    directory: Path,
    name: str,
    growth: dict[str, float],
    year: int,
    *,
    replace: int | None = None,
    user: str = "管理员",
    keep: int | None = None,
) -> int:
    """Save `growth` as a new version of scenario `name`; returns the version number.

    A name that exists is replaced only when `replace` is its newest version (what the user was shown when asked);
    otherwise `Exists` is raised with the newest version. Versions beyond the newest `keep` are deleted.
    """
    name = _valid(name)
    keep = keep_versions() if keep is None else max(1, int(keep))
    text = json.dumps({c: clamp(g) for c, g in growth.items()}, ensure_ascii=False)
    with opstate.connect(directory) as con:
        _open(con, directory)
        latest = _latest(con, name)
        if latest is not None and latest["version"] != replace:
            raise Exists(name, latest["version"], latest["saved_at"])
        version = 1 if latest is None else latest["version"] + 1
        con.execute(
            "insert into scenario_versions values (?, ?, ?, ?, ?, ?)", (name, version, text, int(year), _now(), user)
        )
        con.execute("delete from scenario_versions where name = ? and version <= ?", (name, version - keep))
    return version


def delete_custom(directory: Path, name: str) -> bool:
    """Delete a scenario with all its versions; False when there was none of that name."""
    with opstate.connect(directory) as con:
        _open(con, directory)
        return con.execute("delete from scenario_versions where name = ?", (name,)).rowcount > 0


def rename_custom(directory: Path, old: str, new: str) -> None:
    """Give a scenario (all its versions) a new name; refused when `old` is missing or `new` is taken."""
    new = _valid(new)
    with opstate.connect(directory) as con:
        _open(con, directory)
        if _latest(con, old) is None:
            raise ValueError(f"情景“{old}”已不存在（可能已被删除或改名）")
        if new != old and _latest(con, new) is not None:
            raise ValueError(f"已有名为“{new}”的情景，请换一个名称")
        con.execute("update scenario_versions set name = ? where name = ?", (new, old))


def compare(base: pd.DataFrame, scenarios: dict[str, dict[str, float]], targets: dict[str, float]) -> pd.DataFrame:
    """Side by side: one row per scenario with projected 产值 / 增加值 (亿元), 同比, 高新占比, 完成率 (%)."""
    rows = []
    for name, growth in scenarios.items():
        p = whatif.summarize(whatif.project(base, growth), targets)
        rows.append(
            {
                "情景": name,
                "全年规上产值（亿元）": p.output,
                "产值同比（%）": p.output_yoy,
                "产值完成率（%）": p.output_completion,
                "全年增加值（亿元）": p.value_added,
                "增加值同比（%）": p.value_added_yoy,
                "增加值完成率（%）": p.value_added_completion,
                "高新增加值占比（%）": p.high_tech_share,
            }
        )
    return pd.DataFrame(rows)
