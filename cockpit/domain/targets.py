"""The targets table: read, validate, and save with the previous version kept.

`targets.parquet` in the data directory is what every page's 完成率 reads. A save validates the whole table
and commits it through `cockpit.data.store` (atomic replace under the data directory's lock, the previous
version kept in history/targets/, a line in the history log), so target edits can be rolled back on the
数据管理 page like any import. Editing in the app is for the admin role (cockpit.app.gate).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cockpit.domain.format import is_blank
from cockpit.domain.indicators import REGISTRY

# the indicators a target may name (the registry's; the targets template's 代码表 lists the same)
BY_ID = {i.id: i for i in REGISTRY.targetable()}

COLUMNS = ("year", "indicator_id", "scope_kind", "scope_code", "target_value", "source")
SCOPE_KINDS = ("全区", "产业链", "片区")
FILE = "targets.parquet"

# upper bound of a plausible target per unit (a typo guard, not a business rule)
_MAX = {
    "亿元": 100_000.0,
    "亩": 100_000.0,
    "万元/亩": 100_000.0,
    "%": 100.0,
    "分": 100.0,
    "个": 10_000.0,
    "起": 10_000.0,
}
_WHOLE = {"个", "起"}


def load(directory: Path) -> pd.DataFrame:
    """The whole targets table (all years), columns in schema order."""
    path = Path(directory) / FILE
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.read_parquet(path)[list(COLUMNS)]


def with_names(df: pd.DataFrame) -> pd.DataFrame:
    """Add the indicator's 名称 and 单位 from the registry (for display and editing), rows in the
    registry's order within each scope."""
    order = {k: i for i, k in enumerate(BY_ID)}
    out = df.assign(
        _kind=df["scope_kind"].map({k: i for i, k in enumerate(SCOPE_KINDS)}), _pos=df["indicator_id"].map(order)
    )
    out = out.sort_values(["_kind", "scope_code", "_pos"], kind="stable", na_position="last")
    out = out.drop(columns=["_kind", "_pos"]).reset_index(drop=True)
    out.insert(2, "name_cn", [BY_ID[i].name if i in BY_ID else i for i in out["indicator_id"]])
    out.insert(3, "unit", [BY_ID[i].unit if i in BY_ID else "" for i in out["indicator_id"]])
    return out


def _blank(x) -> bool:
    """No value, or a text cell of blanks."""
    return is_blank(x) or str(x).strip() == ""


def by_indicator(df: pd.DataFrame) -> dict[str, float | None]:
    """indicator_id → target_value of a frame of targets (one scope), the form goal seek and the sliders use;
    None where the scope has no target for it."""
    return {str(i): None if is_blank(v) else float(v) for i, v in zip(df["indicator_id"], df["target_value"])}


@dataclass(frozen=True)
class Problem:
    """One problem with a targets table: the row (0-based, None for the whole table), the column, the
    message, the value as typed."""

    row: int | None
    column: str
    message: str
    value: object = ""


def check(df: pd.DataFrame, *, chains=(), areas=(), duplicates: bool = True) -> list[Problem]:
    """The rules every target obeys, wherever it comes from (the 目标推演 editor and the importer run this
    same function).

    Checks: known indicator, scope kind and code (产业链 from `chains`, 片区 codes from `areas`; empty for
    全区), a number within the unit's range (whole numbers for 个/起; > 0 where higher is better),
    and (with `duplicates`) one row per (year, indicator, scope).
    """
    problems = []
    for i, row in enumerate(df.to_dict("records")):
        meta = BY_ID.get(row.get("indicator_id"))
        if meta is None:
            problems.append(Problem(i, "indicator_id", "未知指标", row.get("indicator_id")))
            continue
        year = row.get("year")
        if _blank(year) or not float(year).is_integer() or not 2000 <= int(year) <= 2100:
            problems.append(Problem(i, "year", "年份应为 2000—2100 的整数", year))
        kind, code = row.get("scope_kind"), "" if _blank(row.get("scope_code")) else str(row["scope_code"])
        if kind not in SCOPE_KINDS:
            problems.append(Problem(i, "scope_kind", f"范围应为 {' / '.join(SCOPE_KINDS)}", kind))
        elif kind == "全区" and code:
            problems.append(Problem(i, "scope_code", "全区目标的范围代码应为空", code))
        elif kind == "产业链" and code not in chains:
            problems.append(Problem(i, "scope_code", f"未知产业链 {code!r}：请先在「行业与产业链」中添加", code))
        elif kind == "片区" and code not in areas:
            problems.append(Problem(i, "scope_code", f"未知片区代码 {code!r}：请先在「片区」中添加", code))
        value, unit = row.get("target_value"), meta.unit
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = math.nan
        if math.isnan(value) or math.isinf(value):
            problems.append(Problem(i, "target_value", f"目标值应为数字（单位：{unit}）", row.get("target_value")))
            continue
        low_ok = value > 0 if meta.higher_is_better else value >= 0
        if not low_ok or value > _MAX.get(unit, 1e9):
            bound = "大于 0" if meta.higher_is_better else "不小于 0"
            problems.append(
                Problem(
                    i,
                    "target_value",
                    f"目标值 {value:g} {unit} 超出范围（应{bound}且不超过 {_MAX.get(unit, 1e9):g} {unit}）",
                    value,
                )
            )
        elif unit in _WHOLE and not value.is_integer():
            problems.append(Problem(i, "target_value", f"目标值应为整数（单位：{unit}）", value))
    if duplicates and not df.empty:
        key = df.assign(scope_code=df["scope_code"].fillna(""))[["year", "indicator_id", "scope_kind", "scope_code"]]
        for _, dup in key[key.duplicated(keep=False)].drop_duplicates().iterrows():
            problems.append(
                Problem(
                    None,
                    "",
                    f"重复目标：{dup['year']} 年 {dup['indicator_id']}（{dup['scope_kind']} "
                    f"{dup['scope_code']}）出现多次",
                )
            )
    return problems


def validate(df: pd.DataFrame, *, chains=(), areas=()) -> list[str]:
    """Problems with a targets table as lines for the editor ("第 i 行（指标）：…"); empty when it may be saved."""
    lines = []
    records = df.to_dict("records")
    for p in check(df, chains=chains, areas=areas):
        if p.row is None:
            lines.append(p.message)
            continue
        meta = BY_ID.get(records[p.row].get("indicator_id"))
        where = f"第 {p.row + 1} 行" + (f"（{meta.name}）" if meta else "")
        message = f"未知指标 {p.value!r}" if p.message == "未知指标" else p.message
        lines.append(f"{where}：{message}")
    return lines


def replace_year(table: pd.DataFrame, year: int, rows: pd.DataFrame) -> pd.DataFrame:
    """The whole table with the rows of `year` replaced by `rows` (other years untouched), typed."""
    rows = rows.assign(year=year)
    keep = table[table["year"] != year]
    out = pd.concat([keep[list(COLUMNS)], rows[list(COLUMNS)]], ignore_index=True)
    out["scope_code"] = out["scope_code"].fillna("").astype(str)
    out["source"] = out["source"].fillna("").astype(str).replace("", "管理员录入")
    return normalise(out)


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Schema types and a stable order (year, scope, indicator)."""
    out = df[list(COLUMNS)].copy()
    out["year"] = out["year"].astype("int64")
    for col in ("indicator_id", "scope_kind", "scope_code", "source"):
        out[col] = out[col].fillna("").astype(str)
    out["target_value"] = out["target_value"].astype("float64")
    return out.sort_values(["year", "scope_kind", "scope_code", "indicator_id"], kind="stable").reset_index(drop=True)


def stamp() -> str:
    """A file-name timestamp with microseconds: 20240930-153000-123456."""
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def save(df: pd.DataFrame, directory: Path, *, user: str = "管理员", chains=(), areas=()):
    """Validate and commit targets.parquet through the store; returns the history entry.

    Raises ValueError (with every problem listed) and changes nothing when the table is invalid.
    """
    from cockpit.data.store import DataStore

    errors = validate(df, chains=chains, areas=areas)
    if errors:
        raise ValueError("\n".join(errors))
    table = normalise(df)
    return DataStore(Path(directory)).commit(
        "targets", table, user=user, action="修改目标", source_name="目标推演页面", rows_changed=len(table)
    )
