"""Import a zone's data from Excel/CSV: read → validate → preview → commit.

A file is one table (a template's 数据 sheet, or a CSV) or an onboarding workbook (one sheet per table, named by
the tables' titles). A workbook is validated as one bundle in dependency order (片区 → 行业与产业链 → 地块 → 企业
→ monthly facts → 项目 → …), so codes added by one sheet may be used by the sheets after it. Every problem is
reported at once, in Chinese, as (工作表 /) 行号 / 列 / 问题 / 原值, and nothing is written unless everything
passes; then all tables are committed as one version through `cockpit.data.store` (atomic, serialised, versioned).

Modes (`--mode`): merge 追加更新 (new keys added, existing keys replaced), replace 整表替换 (the table becomes the
file; the preview lists the rows that disappear), replace-period 按期间替换 (the months or years the file covers
are replaced), delete 删除 (a file of keys). A change that would leave references dangling (a 片区 still used by
an enterprise) is refused, listing the users, unless the same bundle removes them too.

enterprise_month may carry 1—本月累计 values (「1—本月累计工业总产值（万元）」…, or `--cumulative` for the plain
headers): 当月 = this 累计 − the stored months before it (1—2月 as one period); a 累计 that goes down is reported.

Command line (same checks, same messages; exit code 1 when the file is rejected):
    python -m cockpit.data.ingest FILE [--table T] [--mode M] [--cumulative] [--dry-run] [--data-dir D] [--user NAME]

A .geojson file (a FeatureCollection keyed by 地块编号) imports parcel boundaries (`--table parcels`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import logging
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cockpit.data.geo import GeometryError
from cockpit.data.reader import (  # noqa: F401
    Limits,
    Rejected,
    _blank,
    book_table,
    load_limits,
    read_book,
    read_table_file,
    table_frame,
)
from cockpit.data.schema import SPECS, YTD, Col, TableSpec, importable, ref_column, references

PROBLEM_COLUMNS = ["行号", "列", "问题", "原值"]
BUNDLE_COLUMNS = ["工作表"] + PROBLEM_COLUMNS
HEADER_ROW = 1  # data rows start at Excel row 2 (unless the reader found the header lower)
MODES = {"merge": "追加更新", "replace": "整表替换", "replace-period": "按期间替换", "delete": "删除"}
TITLES = {SPECS[t].title: t for t in SPECS}
IGNORED_SHEETS = ("填写说明", "代码表")
log = logging.getLogger(__name__)


@dataclass
class Problems:
    rows: list[dict] = field(default_factory=list)
    sheet: str = ""

    def add(self, row: int | str, column: str, problem: str, value="") -> None:
        self.rows.append(
            {
                "工作表": self.sheet,
                "行号": row,
                "列": column,
                "问题": problem,
                "原值": "" if value is None else str(value)[:100],
            }
        )

    def __bool__(self) -> bool:
        return bool(self.rows)

    def frame(self, with_sheet: bool = False) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=BUNDLE_COLUMNS)[BUNDLE_COLUMNS if with_sheet else PROBLEM_COLUMNS]


# -- plausibility rules (config/rules.toml [ingest]) -----------------------------------------------


@dataclass(frozen=True)
class Window:
    """Dates a clerk may type: not before `earliest`; facts not after today; plans and deadlines not more than
    `future_years` after today."""

    earliest: dt.date = dt.date(2000, 1, 1)
    future_years: int = 3


def load_window(path: Path | None = None) -> Window:
    from cockpit.data.config import rules_section

    raw = rules_section("ingest", path)
    earliest = raw.get("earliest_date", dt.date(2000, 1, 1))
    earliest = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(str(earliest))
    return Window(earliest, int(raw.get("future_years", 3)))


def _latest(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


# -- table detection and headers ------------------------------------------------------------------


def _norm(header: str) -> str:
    h = header.replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
    return h.replace("-", "—").replace("－", "—").lower()


def detect_table(columns: list[str], mode: str = "merge") -> str | None:
    """The importable table whose headers best match the file's (None when nothing matches well). A deletion
    file may hold only the key columns: the one table whose key headers are all there."""
    normed = {_norm(c) for c in columns}
    if mode == "delete":
        keyed = [
            s.table
            for s in SPECS.values()
            if s.importable and all(_norm(s.col(k).header) in normed for k in s.key) and len(normed) <= len(s.columns)
        ]
        widest = max((len(SPECS[t].key) for t in keyed), default=0)
        keyed = [t for t in keyed if len(SPECS[t].key) == widest]  # the most specific key
        if keyed:
            return keyed[0] if len(keyed) == 1 else None  # 年份+月份: several tables, say which
    best, score = None, 0.0
    for spec in SPECS.values():
        if not spec.importable:
            continue
        names = {_norm(c.header) for c in spec.columns} | {c.name for c in spec.columns}
        names |= {_norm(c.ytd_header) for c in spec.columns if c.flow}
        hits = len(normed & names) / len(spec.columns)
        if hits > score:
            best, score = spec.table, hits
    return best if score >= 0.5 else None


def map_headers(
    columns: list[str], spec: TableSpec, problems: Problems, *, mode: str = "merge", cumulative: bool = False
) -> dict[str, str]:
    """File header → field (a column name, or `ytd:<name>` for a 1—本月累计 value); reports missing, unknown
    (with the nearest), repeated headers. `cumulative`: the plain headers of flow columns hold 累计 values."""
    by_norm = {}
    for c in spec.columns:
        plain = c.ytd_name if (cumulative and c.flow) else c.name
        by_norm[_norm(c.header)] = plain
        by_norm[c.name] = plain
        if c.flow:
            by_norm[_norm(c.ytd_header)] = c.ytd_name
            by_norm[c.ytd_name] = c.ytd_name
    mapping: dict[str, str] = {}
    unknown = []
    for col in columns:
        if "\u0000" in col:
            problems.add(HEADER_ROW, col.split("\u0000")[0], "列名重复")
            continue
        name = by_norm.get(_norm(col))
        if name is None:
            unknown.append(col)
        elif name in mapping.values():
            problems.add(HEADER_ROW, col, "列名重复（与另一列对应同一字段）")
        else:
            mapping[col] = name
    given = set(mapping.values())
    needed = spec.key if mode == "delete" else [c.name for c in spec.columns if c.required]
    missing = [c for c in spec.columns if c.name not in given and not (c.flow and c.ytd_name in given)]
    if mode == "delete":
        unknown = []  # a deletion file may carry any other columns (only its keys are read)
    for col in unknown:
        candidates = [c.header for c in missing] or [c.header for c in spec.columns]
        near = difflib.get_close_matches(col, candidates, n=1, cutoff=0.4)
        hint = f"，是否应为「{near[0]}」？" if near else "，不属于本表，请删除该列"
        problems.add(HEADER_ROW, col, f"无法识别的列名{hint}", col)
    for c in missing:
        if c.name in needed:
            problems.add(HEADER_ROW, c.header, "缺少必填列" + ("（删除时须有主键列）" if mode == "delete" else ""))
    return mapping


# -- cells ----------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_TRUE = {"是", "y", "yes", "true", "1", "√", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "f"}
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_EXCEL_ERRORS = (
    "#REF!",
    "#N/A",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#CONNECT!",
    "#BUSY!",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@")
_COMBINED_MONTHS = re.compile(r"^\s*1\s*[—\-－–~～至到]\s*2\s*月?\s*$")


class CellError(ValueError):
    pass


def parse_cell(value, col: Col):
    """A cell as the column's type; None for a blank; CellError with a Chinese reason otherwise."""
    if _blank(value):
        return None
    if isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS:
        raise CellError(f"单元格为 Excel 错误值「{value.strip()}」（公式出错），请改为实际的值")
    if col.kind == "str":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > col.max_chars:
            raise CellError(f"文本过长（超过 {col.max_chars} 字）")
        if _CONTROL.search(text):
            raise CellError("含有控制字符（如 NUL），请删除后重新导入")
        if text.startswith(_FORMULA_START):
            raise CellError("不能以 = + - @ 开头（表格软件会把它当作公式），请删除开头的符号")
        return text
    if col.kind in ("int", "float"):
        if isinstance(value, bool):
            raise CellError("应为数字")
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            number = _number(str(value), col)
        if math.isnan(number) or math.isinf(number):
            raise CellError("应为数字")
        if col.kind == "int":
            if not number.is_integer():
                raise CellError("应为整数")
            return int(number)
        return number
    if col.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    raise CellError("日期不存在") from None
        raise CellError("日期格式不正确，应为 YYYY-MM-DD")
    if col.kind == "bool":
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError("应填“是”或“否”")
    raise AssertionError(col.kind)


def _number(text: str, col: Col) -> float:
    text = text.strip().replace("，", ",").replace(" ", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise CellError("千分位逗号位置不对（应每三位一个，如 1,234.5），请核对数值")
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        if col.name == "month" and _COMBINED_MONTHS.match(text):
            raise CellError("月份应为数字：1—2月合并报送时月份填 2（2月的值为1—2月合计，1月不填）") from None
        raise CellError("应为数字，不能包含文字或单位") from None


def _range_reason(value, col: Col) -> str | None:
    if col.min is not None and value < col.min:
        return "不能为负数" if col.min == 0 else f"数值过小（应不小于 {col.min:g}{col.unit}）"
    if col.max is not None and value > col.max:
        return f"数值超出合理范围（应不大于 {col.max:g}{col.unit}）"
    return None


def _window_reason(value, col: Col, today: dt.date, window: Window) -> str | None:
    """Dates (and years) outside the plausible window."""
    if col.kind == "date":
        if value < window.earliest:
            return f"日期过早（应不早于 {window.earliest.isoformat()}）"
        if col.not_future and value > today:
            return f"日期在未来（今天是 {today.isoformat()}）"
        latest = _latest(today, window.future_years)
        if value > latest:
            return f"日期过晚（计划或期限应不晚于 {latest.isoformat()}，即今天起 {window.future_years} 年内）"
    elif col.unit == "年":
        if value < window.earliest.year:
            return f"年份过早（应不早于 {window.earliest.year} 年）"
        if col.not_future and value > today.year:
            return f"年份在未来（今年是 {today.year} 年）"
        if value > today.year + window.future_years:
            return f"年份过晚（应不晚于 {today.year + window.future_years} 年）"
    return None


# -- validation -----------------------------------------------------------------------------------


@dataclass
class Validation:
    table: str
    clean: pd.DataFrame  # typed rows, parquet column names (only when no problems)
    problems: Problems
    row_numbers: list[int]  # Excel row of each clean row
    derived: pd.DataFrame | None = None  # 累计 → 当月 (for the preview)
    given: frozenset = frozenset()  # the columns the file has (others keep their stored values)

    @property
    def ok(self) -> bool:
        return not self.problems


def reference_codes(state: dict[str, pd.DataFrame]) -> dict[tuple[str, str], set]:
    """Allowed values per referenced (table, column), from the data as the bundle has left them so far."""
    out = {}
    for _t, _c, _w, _v, ref, ref_col in references():
        df = state.get(ref)
        if df is not None and (ref, ref_col) not in out:
            out[(ref, ref_col)] = set(df[ref_col].dropna().astype(str)) if ref_col in df else set()
    return out


_REF_NAMES = {
    ("sectors", "sector_code"): "行业代码",
    ("areas", "area_code"): "片区代码",
    ("areas", "area_name"): "片区名称",
    ("enterprises", "ent_id"): "企业（统一社会信用代码）",
    ("projects", "project_id"): "项目编号",
    ("parcels", "parcel_id"): "地块编号",
    ("indicators", "indicator_id"): "指标代码",
    ("sectors", "chain"): "产业链",
}


def unknown_code(ref: str, ref_col: str) -> str:
    from cockpit.data.templates import where_codes

    return f"未知的{_REF_NAMES.get((ref, ref_col), ref_col)}：{where_codes(ref)}"


def validate(
    raw: pd.DataFrame,
    table: str,
    current: dict[str, pd.DataFrame],
    today: dt.date | None = None,
    *,
    mode: str = "merge",
    cumulative: bool = False,
    window: Window | None = None,
    sheet: str = "",
) -> Validation:
    """Check a raw sheet against the table's rules and the data in `current`; collect every problem."""
    today = today or dt.date.today()
    window = window or load_window()
    spec = SPECS[table]
    problems = Problems(sheet=sheet)
    mapping = map_headers(list(raw.columns), spec, problems, mode=mode, cumulative=cumulative)
    if mode == "delete":
        mapping = {h: n for h, n in mapping.items() if n in spec.key}
    refs = reference_codes(current)
    first = int(raw.attrs.get("header_row", HEADER_ROW)) + 1
    typed_rows, numbers, seen_keys = [], [], {}
    excel_rows = raw.index if "header_row" in raw.attrs else range(first, first + len(raw))
    for excel_row, record in zip(excel_rows, raw.to_dict("records")):
        excel_row = int(excel_row)
        row: dict = {}
        for header, name in mapping.items():
            ytd = name.startswith(YTD)
            col = spec.col(name.removeprefix(YTD))
            label = col.ytd_header if ytd else col.header
            value = record.get(header)
            try:
                parsed = parse_cell(value, col)
            except CellError as exc:
                problems.add(excel_row, label, str(exc), value)
                continue
            except Exception:  # noqa: BLE001 - any surprise in a cell is a problem row, never a traceback
                problems.add(excel_row, label, "无法识别的单元格内容", repr(value)[:100])
                continue
            if parsed is None:
                alone = not ytd or col.name not in mapping.values()
                if (name in spec.key and col.blank is None) or (mode != "delete" and col.required and alone):
                    problems.add(excel_row, label, "必填项为空")
                row[name] = col.blank
                continue
            reason = _cell_reason(parsed, col, refs, today, window, mode)
            if reason:
                problems.add(excel_row, label, reason, value)
            row[name] = parsed
        if mode != "delete":
            _check_period(spec, row, excel_row, today, problems)
        key = tuple(row.get(k) for k in spec.key)
        if all(k is not None for k in key):
            if key in seen_keys:
                problems.add(
                    excel_row,
                    "、".join(spec.col(k).header for k in spec.key),
                    f"主键与第 {seen_keys[key]} 行重复",
                    " / ".join(map(str, key)),
                )
            else:
                seen_keys[key] = excel_row
        typed_rows.append(row)
        numbers.append(excel_row)
    if raw.empty:
        problems.add(HEADER_ROW, "", "文件中没有数据行")
    fields = spec.names + [c.ytd_name for c in spec.columns if c.flow and c.ytd_name in mapping.values()]
    clean = pd.DataFrame(typed_rows, columns=fields)
    derived = None
    if mode != "delete":
        ytd = [c for c in spec.columns if c.flow and c.ytd_name in mapping.values()]
        if ytd and not problems:
            derived = monthly_from_ytd(clean, numbers, current.get(table), spec, ytd, problems)
        # cross-field rules on the rows whose cells all passed (one mistake, one message)
        bad = {p["行号"] for p in problems.rows}
        good = [i for i, n in enumerate(numbers) if n not in bad]
        rows, at = clean.iloc[good].reset_index(drop=True), [numbers[i] for i in good]
        for excel_row, row in zip(at, rows.to_dict("records")):
            for check in spec.checks:
                ROW_CHECKS.get(check, _no_check)(row, excel_row, spec, problems)
        for check in spec.checks:
            FRAME_CHECKS.get(check, _no_frame_check)(rows, at, spec, problems, current)
    clean = clean[spec.names]
    given = frozenset(n.removeprefix(YTD) for n in mapping.values())
    return Validation(table, clean, problems, numbers, derived, given)


def _cell_reason(parsed, col: Col, refs, today, window, mode) -> str | None:
    if mode == "delete":
        return None
    reason = None
    if col.kind in ("int", "float"):
        reason = _range_reason(parsed, col)
    if reason is None and col.kind in ("int", "date"):
        reason = _window_reason(parsed, col, today, window)
    if reason is None and col.choices and parsed not in col.choices:
        reason = f"取值不在允许范围内（可填：{'、'.join(col.choices)}）"
    if reason is None and col.ref and str(parsed) not in refs.get((col.ref, ref_column(col)), set()):
        reason = unknown_code(col.ref, ref_column(col))
    return reason


def _check_period(spec, row, excel_row, today, problems) -> None:
    if spec.period == "month" and row.get("year") and row.get("month"):
        if (row["year"], row["month"]) > (today.year, today.month):
            problems.add(
                excel_row, "月份", f"报告期在未来（{row['year']}年{row['month']}月）", f"{row['year']}-{row['month']}"
            )


def _no_check(*_args) -> None:
    return None


def _no_frame_check(*_args) -> None:
    return None


def _va_not_above_output(row, excel_row, spec, problems) -> None:
    out, va = row.get("output_wan"), row.get("value_added_wan")
    if out is not None and va is not None and not pd.isna(out) and not pd.isna(va) and va > out + 1e-9:
        problems.add(excel_row, spec.col("value_added_wan").header, "增加值大于工业总产值", va)


def _credit_code(row, excel_row, spec, problems) -> None:
    code = row.get("ent_id")
    if code and not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code):
        problems.add(
            excel_row, spec.col("ent_id").header, "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）", code
        )


def _sector_code(row, excel_row, spec, problems) -> None:
    code = row.get("sector_code")
    if code and not re.fullmatch(r"\d{2}", code):
        problems.add(
            excel_row,
            spec.col("sector_code").header,
            "行业代码应为 GB/T 4754 国民经济行业大类的两位数字（如 13、36）",
            code,
        )


_STAGES = ("date_idea", "date_talk", "date_sign", "date_start", "date_complete", "date_produce")


def _stage_order(row, excel_row, spec, problems) -> None:
    dates = [(c, row.get(c)) for c in _STAGES if row.get(c)]
    for (c1, d1), (c2, d2) in zip(dates, dates[1:]):
        if d2 < d1:
            problems.add(
                excel_row,
                spec.col(c2).header,
                f"早于{spec.col(c1).header}（{d1.isoformat()}），阶段日期应依次不早于前一阶段",
                d2.isoformat(),
            )


def _hazard_order(row, excel_row, spec, problems) -> None:
    found = row.get("found_date")
    for c in ("deadline", "rectified_date"):
        if found and row.get(c) and row[c] < found:
            problems.add(excel_row, spec.col(c).header, "早于发现日期", row[c].isoformat())


def _targets_rules(clean, numbers, spec, problems, current) -> None:
    """The 目标推演 editor's own validation (cockpit.domain.targets.check), on the imported rows."""
    from cockpit.domain.targets import check

    sectors, areas = current.get("sectors"), current.get("areas")
    chains = set(sectors["chain"].dropna()) if sectors is not None else set()
    codes = set(areas["area_code"].dropna()) if areas is not None else set()
    for p in check(clean, chains=chains, areas=codes, duplicates=False):
        header = spec.col(p.column).header if p.column else ""
        problems.add(numbers[p.row] if p.row is not None else "", header, p.message, p.value)


def _parcel_boundary(row, excel_row, spec, problems) -> None:
    """A boundary must be a valid parcel outline (cockpit.data.geo) whose area matches the 亩; stored compact."""
    from cockpit.data import geo

    text = row.get("boundary_geojson")
    if not text:
        return
    found = geo.problems(text, row.get("area_mu"))
    for problem in found:
        problems.add(excel_row, spec.col("boundary_geojson").header, problem, text)
    if not found:
        row["boundary_geojson"] = geo.dumps(geo.parse(text))


def _park_is_cluster(clean, numbers, spec, problems, current) -> None:
    areas = current.get("areas")
    clusters = set(areas.loc[areas["is_chemical_cluster"].astype(bool), "area_name"]) if areas is not None else set()
    for excel_row, park in zip(numbers, clean["park"]):
        if park is not None and park not in clusters:
            problems.add(
                excel_row,
                spec.col("park").header,
                "不是化工集聚区：请在「片区」中把该片区的“是否化工集聚区”填为“是”",
                park,
            )


ROW_CHECKS = {
    "va_not_above_output": _va_not_above_output,
    "credit_code_format": _credit_code,
    "sector_code_format": _sector_code,
    "stage_dates_ordered": _stage_order,
    "hazard_dates_ordered": _hazard_order,
    "parcel_boundary": _parcel_boundary,
}
FRAME_CHECKS = {"targets_rules": _targets_rules, "park_is_chemical_cluster": _park_is_cluster}


def monthly_from_ytd(
    clean: pd.DataFrame,
    numbers: list[int],
    existing: pd.DataFrame | None,
    spec: TableSpec,
    flows: list[Col],
    problems: Problems,
    tolerance: float = 0.5,
) -> pd.DataFrame:
    """Turn 1—本月累计 values into 当月 values in `clean` (in place); returns what was derived.

    当月(m) = 累计(m) − the 当月 values of the months before m in that year (stored, or earlier rows of the
    file). January may be missing when February comes (1—2月 are published together: February then holds
    both months); any other missing month before m is a problem, and so is a 累计 below the previous one
    (a revision: replace that period instead). When 当月 is given too, the two must agree.
    """
    known: dict[tuple, dict[int, dict]] = {}
    ents = set(zip(clean["ent_id"], clean["year"]))
    if existing is not None and not existing.empty:
        sub = existing[[k in ents for k in zip(existing["ent_id"], existing["year"])]]
        for r in sub.to_dict("records"):
            known.setdefault((r["ent_id"], int(r["year"])), {})[int(r["month"])] = r
    rows = []
    order = sorted(range(len(clean)), key=lambda i: (clean.at[i, "ent_id"], clean.at[i, "year"], clean.at[i, "month"]))
    for i in order:
        ent, year, month = clean.at[i, "ent_id"], int(clean.at[i, "year"]), int(clean.at[i, "month"])
        months = known.setdefault((ent, year), {})
        months.pop(month, None)  # this row replaces a stored month
        gaps = [m for m in range(2, month) if m not in months]
        for col in flows:
            ytd = clean.at[i, col.ytd_name]
            if ytd is None or pd.isna(ytd):
                continue
            before = sum(
                float(v[col.name])
                for m, v in months.items()
                if m < month and v.get(col.name) is not None and not pd.isna(v[col.name])
            )
            monthly = float(ytd) - before
            given = clean.at[i, col.name]
            if given is not None and not pd.isna(given):  # both forms given: they must agree
                expected = before + float(given)
                if abs(expected - ytd) > max(tolerance, 0.001 * abs(expected)):
                    problems.add(
                        numbers[i],
                        col.ytd_header,
                        f"累计值与1—{month}月各月当月{col.header.split('（')[0]}之和（{expected:,.2f} {col.unit}）不符",
                        ytd,
                    )
                continue
            if gaps:
                problems.add(
                    numbers[i],
                    col.ytd_header,
                    f"本年 {'、'.join(map(str, gaps))} 月没有数据，无法由1—{month}月累计算出当月值："
                    "请先导入这些月份（或本文件一并填写），或改填当月值",
                    ytd,
                )
                break
            if monthly < -tolerance:
                prev = max((m for m in months if m < month), default=None)
                problems.add(
                    numbers[i],
                    col.ytd_header,
                    f"累计值下降：1—{month}月累计 {float(ytd):,.2f} 小于1—{prev}月累计 {before:,.2f}"
                    f"（差 {monthly:,.2f} {col.unit}），可能是统计修订。修订前期数据请用“按期间替换”"
                    "重新导入那几个月；本月不会存为负值",
                    ytd,
                )
                continue
            clean.at[i, col.name] = max(monthly, 0.0)
            rows.append(
                {
                    "统一社会信用代码": ent,
                    "年份": year,
                    "月份": month,
                    "指标": col.header,
                    "1—本月累计": float(ytd),
                    "此前各月合计": before,
                    "当月（推算）": max(monthly, 0.0),
                }
            )
        months[month] = {c.name: clean.at[i, c.name] for c in flows}
    return pd.DataFrame(rows)


# -- modes, preview -------------------------------------------------------------------------------


def _period_of(df: pd.DataFrame, spec: TableSpec) -> pd.Series:
    if df.empty:
        return pd.Series([], dtype=object)
    if spec.period == "month":
        return df["year"].astype(int).astype(str) + "年" + df["month"].astype(int).astype(str) + "月"
    if spec.period == "year":
        return df["year"].astype(int).astype(str) + "年"
    if spec.period:
        return df[spec.period].map(lambda d: f"{d.year}年" if d is not None and not pd.isna(d) else "未定")
    return pd.Series(["全部"] * len(df), index=df.index)


def _comparable(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = df[columns].copy().astype(object)
    for c in columns:
        out[c] = out[c].map(
            lambda v: (
                None
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else (round(float(v), 6) if isinstance(v, float) else v)
            )
        )
    return out


def _keys(df: pd.DataFrame, key: list[str]) -> pd.Index:
    return pd.MultiIndex.from_frame(_comparable(df, key)) if len(key) > 1 else pd.Index(_comparable(df, key)[key[0]])


@dataclass
class Preview:
    summary: pd.DataFrame  # 期间 / 新增 / 修改 / 未变 / 删除
    totals: pd.DataFrame  # 指标 / 年度 / 导入前 / 导入后 / 变化
    merged: pd.DataFrame
    rows_new: int
    rows_changed: int
    rows_deleted: int = 0
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows that will disappear (Chinese headers)
    mode: str = "merge"
    derived: pd.DataFrame | None = None

    @property
    def rows_unchanged(self) -> int:
        return int(self.summary["未变"].sum()) if "未变" in self.summary else 0


def preview(clean: pd.DataFrame, existing: pd.DataFrame, table: str, mode: str = "merge", given=None) -> Preview:
    """The table after the import, and what changes: rows new / changed / unchanged / removed per period,
    headline totals before and after, the rows that disappear. A column the file does not have (`given`:
    the columns it has; default all of `clean`'s) keeps its stored value in the rows the file replaces."""
    from cockpit.data.store import conform

    spec = SPECS[table]
    existing = conform(table, existing) if not existing.empty else existing
    stored = list(existing.columns) if not existing.empty else spec.names
    incoming = clean.copy()
    for c in stored:
        if c not in incoming:
            incoming[c] = None
    incoming = incoming[stored]
    key = list(spec.key)
    old_keys = _keys(existing, key) if not existing.empty else pd.Index([])
    new_keys = _keys(incoming, key) if not incoming.empty else pd.Index([])
    present = new_keys.isin(old_keys) if len(old_keys) else [False] * len(incoming)
    kept = [c for c in stored if c not in (given if given is not None else clean.columns)]
    if kept and len(old_keys) and mode != "delete":
        old = existing[kept].set_axis(old_keys)
        incoming[kept] = old.reindex(new_keys).set_axis(incoming.index)
    if mode == "delete":
        gone = old_keys.isin(new_keys) if len(old_keys) else []
        removed = existing[gone] if len(old_keys) else existing
        merged = existing[~gone] if len(old_keys) else existing
        status = pd.Series(["删除"] * len(incoming), index=incoming.index)
    else:
        status = pd.Series(["新增"] * len(incoming), index=incoming.index)
        if len(old_keys) and len(incoming):
            old = _comparable(existing, stored)
            old.index = old_keys
            new = _comparable(incoming, stored)
            new.index = new_keys
            before = old.reindex(new_keys)
            same = ((before == new) | (before.isna() & new.isna())).all(axis=1).to_numpy()
            status = pd.Series(np.where(present, np.where(same, "未变", "修改"), "新增"), index=incoming.index)
        replaced = old_keys.isin(new_keys) if len(old_keys) else []
        if mode == "replace":
            dropped = ~replaced if len(old_keys) else []
        elif mode == "replace-period":
            covered = set(_period_of(incoming, spec))
            dropped = (_period_of(existing, spec).isin(covered).to_numpy() & ~replaced) if len(old_keys) else []
        else:
            dropped = [False] * len(existing)
        removed = existing[dropped] if len(old_keys) else existing.iloc[0:0]
        keep = ~(replaced | dropped) if len(old_keys) else []
        merged = pd.concat([existing[keep], incoming], ignore_index=True) if len(old_keys) else incoming
    periods = _period_of(incoming, spec) if mode != "delete" else _period_of(removed, spec)
    counts = pd.crosstab(
        periods, status if mode != "delete" else pd.Series(["删除"] * len(removed), index=removed.index)
    )
    if mode != "delete" and len(removed):
        gone_counts = _period_of(removed, spec).value_counts()
        counts = counts.reindex(counts.index.union(gone_counts.index), fill_value=0)
        counts["删除"] = gone_counts.reindex(counts.index, fill_value=0)
    summary = counts.reindex(columns=["新增", "修改", "未变", "删除"], fill_value=0).reset_index()
    summary.columns = ["期间", "新增", "修改", "未变", "删除"]
    summary = summary.sort_values("期间", key=lambda s: s.map(_period_key), kind="stable").reset_index(drop=True)
    affected = set(periods) | set(_period_of(removed, spec))
    totals = _totals(existing, merged, spec, affected)
    return Preview(
        summary,
        totals,
        merged.reset_index(drop=True),
        int((status == "新增").sum()),
        int((status == "修改").sum()),
        len(removed),
        shown_rows(removed, table),
        mode,
    )


def _period_key(label: str) -> tuple:
    """'2024年10月' → (2024, 10), '2024年' → (2024, 0), others last."""
    m = re.match(r"(\d{4})年(?:(\d{1,2})月)?", str(label))
    return (int(m[1]), int(m[2] or 0)) if m else (9999, 0)


def by_year(summary: pd.DataFrame) -> pd.DataFrame:
    """A per-period summary folded into years (for long previews)."""
    years = summary["期间"].map(lambda p: f"{_period_key(p)[0]}年" if _period_key(p)[0] != 9999 else p)
    return summary.drop(columns="期间").groupby(years, sort=False).sum().rename_axis("期间").reset_index()


def shown_rows(df: pd.DataFrame, table: str, limit: int = 1000) -> pd.DataFrame:
    """Rows with the template's Chinese headers (for previews)."""
    spec = SPECS[table]
    cols = [c for c in spec.names if c in df]
    return df[cols].head(limit).rename(columns={c: spec.col(c).header for c in cols}).reset_index(drop=True)


def _totals(before: pd.DataFrame, after: pd.DataFrame, spec: TableSpec, periods: set) -> pd.DataFrame:
    rows = []
    for col in spec.headline or ():
        c = spec.col(col)
        for label, df in (("导入前", before), ("导入后", after)):
            if df.empty:
                continue
            year = _period_of(df, spec).str.slice(0, 5)
            sums = df[col].astype(float).groupby(year).sum()
            for y, v in sums.items():
                if any(str(x).startswith(y) for x in periods):
                    rows.append({"指标": c.header, "年度": y, "口径": label, "合计": v})
    rows.append({"指标": "行数", "年度": "全部", "口径": "导入前", "合计": float(len(before))})
    rows.append({"指标": "行数", "年度": "全部", "口径": "导入后", "合计": float(len(after))})
    df = pd.DataFrame(rows)
    wide = df.pivot_table(
        index=["指标", "年度"], columns="口径", values="合计", aggfunc="sum", sort=False
    ).reset_index()
    for col in ("导入前", "导入后"):
        if col not in wide:
            wide[col] = 0.0
    wide = wide.fillna(0.0)
    wide["变化"] = wide["导入后"] - wide["导入前"]
    return wide[["指标", "年度", "导入前", "导入后", "变化"]]


# -- bundles --------------------------------------------------------------------------------------


@dataclass
class Part:
    """One table's sheet of an import."""

    table: str
    sheet: str
    raw: pd.DataFrame


def dangling(
    before: dict[str, pd.DataFrame],
    after: dict[str, pd.DataFrame],
    changed: set[str],
    sheets: dict[str, str],
    problems: Problems,
    rows_of: dict[str, dict] | None = None,
) -> None:
    """Codes a change removes while rows (after the change) still use them: one problem per code, naming
    the users (on the row of the deletion file that removes the code, when there is one: `rows_of`)."""
    for table, column, when, value, ref, ref_col in references():
        if ref not in changed or table not in after or ref_col not in before.get(ref, pd.DataFrame()):
            continue
        gone = set(before[ref][ref_col].dropna().astype(str)) - set(after[ref][ref_col].dropna().astype(str))
        if not gone:
            continue
        users = after[table]
        if when is not None:
            users = users[users[when] == value]
        users = users[users[column].astype(str).isin(gone)]
        if users.empty:
            continue
        problems.sheet = sheets.get(ref, SPECS[ref].title)
        spec = SPECS[table]
        for code, rows in users.groupby(users[column].astype(str)):
            sample = "、".join(
                " / ".join(str(v) for v in r) for r in rows[list(spec.key)].head(5).itertuples(index=False)
            )
            problems.add(
                (rows_of or {}).get(ref, {}).get(code, ""),
                SPECS[ref].col(ref_col).header,
                f"不能删除：仍被「{spec.title}」的 {len(rows)} 行使用（{spec.col(column).header}，如 "
                f"{sample}）。请先删除或修改这些行，或在同一工作簿中一并删除",
                code,
            )


def check_parts(
    parts: list[Part],
    current: dict[str, pd.DataFrame],
    *,
    mode: str = "merge",
    today: dt.date | None = None,
    cumulative: bool = False,
) -> tuple[Problems, dict, dict]:
    """Validate the parts in dependency order against `current` (each seeing the earlier parts' result),
    then refuse dangling references. Returns (problems, previews by table, derived by table)."""
    order = {t: i for i, t in enumerate(SPECS)}
    parts = sorted(parts, key=lambda p: order[p.table])
    window = load_window()
    state = dict(current)
    problems = Problems()
    previews: dict[str, Preview] = {}
    rows_of: dict[str, dict] = {}  # deletions: table → {code: row of the file}
    for part in parts:
        spec = SPECS[part.table]
        problems.sheet = part.sheet
        if mode == "replace-period" and spec.period is None:
            problems.add(
                "", "", f"「{spec.title}」没有期间（年份、月份或日期），不能按期间替换；请用追加更新或整表替换"
            )
            continue
        result = validate(
            part.raw,
            part.table,
            state,
            today,
            mode=mode,
            window=window,
            sheet=part.sheet,
            cumulative=cumulative and part.table == "enterprise_month",
        )
        problems.rows += result.problems.rows
        if not result.ok:
            if mode != "delete":  # later sheets may use the codes this one adds: report only their own problems
                keyed = result.clean.dropna(subset=list(spec.key))
                state[part.table] = pd.concat(
                    [state[part.table], keyed[state[part.table].columns.intersection(keyed.columns)]], ignore_index=True
                )
            continue
        if mode == "delete":
            _missing_keys(result, state[part.table], spec, problems)
            if len(spec.key) == 1:
                rows_of[part.table] = dict(zip(result.clean[spec.key[0]].astype(str), result.row_numbers))
        p = preview(result.clean, state[part.table], part.table, mode, result.given)
        p.derived = result.derived
        previews[part.table] = p
        state[part.table] = p.merged
    if not problems:
        dangling(current, state, set(previews), {p.table: p.sheet for p in parts}, problems, rows_of)
    return problems, previews, state


def _missing_keys(result: Validation, existing: pd.DataFrame, spec: TableSpec, problems: Problems) -> None:
    key = list(spec.key)
    have = set(_keys(existing, key)) if not existing.empty else set()
    wanted = _keys(result.clean, key)
    for excel_row, k in zip(result.row_numbers, wanted):
        if k not in have:
            problems.add(
                excel_row,
                "、".join(spec.col(c).header for c in key),
                "要删除的记录不存在",
                " / ".join(map(str, k if isinstance(k, tuple) else (k,))),
            )


# -- the whole pipeline ---------------------------------------------------------------------------


@dataclass
class Outcome:
    table: str | None  # the table of a single-table import (None: a bundle, or unknown)
    problems: pd.DataFrame
    preview: Preview | None = None  # the single table's preview
    sha256: str = ""
    committed: object | None = None  # store.Entry of a single-table commit
    previews: dict[str, Preview] = field(default_factory=dict)  # every table's preview, in import order
    sheets: dict[str, str] = field(default_factory=dict)  # table → sheet
    skipped: list[str] = field(default_factory=list)  # sheets left empty
    mode: str = "merge"
    entries: list = field(default_factory=list)  # store.Entry per committed table
    bundle: bool = False
    notes: list[str] = field(default_factory=list)  # from reading: title rows skipped, hidden sheets …

    @property
    def ok(self) -> bool:
        return self.problems.empty

    def title(self) -> str:
        if self.bundle:
            return "入驻工作簿" + (f"（{len(self.sheets)} 张表）" if self.sheets else "")
        return SPECS[self.table].title if self.table else "未识别"


def current_tables(directory: Path) -> dict[str, pd.DataFrame]:
    from cockpit.data.store import DataStore

    store = DataStore(directory)
    return {t: store.read(t) for t in SPECS}


def read_parts(
    data: bytes,
    filename: str,
    table: str | None,
    limits: Limits,
    problems: Problems,
    mode: str = "merge",
    directory: Path | None = None,
) -> tuple[list[Part], list[str], bool]:
    """The parts of an upload: one per table sheet of an onboarding workbook, or the one table of a file
    (a .geojson file: the parcel outlines it holds, as rows of `parcels`).
    Returns (parts, skipped empty sheets, is a bundle)."""
    if Path(filename).suffix.lower() == ".geojson":
        return [Part("parcels", Path(filename).stem, _parcel_features(data, limits, directory))], [], False
    recognise = lambda cells: detect_table(cells, mode) is not None  # noqa: E731
    if Path(filename).suffix.lower() == ".xlsx":
        book = read_book(data, filename, limits, recognise=recognise)
        names = [s.name for s in book.sheets]
        if table is None and "数据" not in names and any(n in TITLES for n in names):
            return _bundle_parts(book, limits, problems)
        raw = book_table(book, limits, recognise)
    else:
        raw = read_table_file(data, filename, limits, recognise=recognise)
    table = table or detect_table(list(raw.columns), mode)
    if table is None or table not in SPECS or not SPECS[table].importable:
        problems.add(
            HEADER_ROW,
            "表头",
            "无法识别数据表：请使用模板的表头，或指定要导入的表",
            "、".join(map(str, raw.columns[:6])),
        )
        return [], [], False
    return [Part(table, Path(filename).stem, raw)], [], False


def _bundle_parts(book, limits: Limits, problems: Problems) -> tuple[list[Part], list[str], bool]:
    parts, skipped = [], []
    for sheet in book.sheets:
        problems.sheet = sheet.name
        if sheet.name in IGNORED_SHEETS:
            continue
        table = TITLES.get(sheet.name)
        if table is None:
            problems.add(
                "",
                "",
                "无法识别的工作表：入驻工作簿的工作表名应为 " + "、".join(SPECS[t].title for t in importable()),
                sheet.name,
            )
            continue
        if not SPECS[table].importable:
            problems.add("", "", f"「{sheet.name}」由程序生成，不能导入；请删除该工作表", sheet.name)
            continue
        try:
            raw = sheet.frame(limits)
        except Rejected as exc:
            if "没有表头" in str(exc):
                skipped.append(sheet.name)
                continue
            problems.add("", "", str(exc), sheet.name)
            continue
        if raw.empty:
            skipped.append(sheet.name)
            continue
        if not parts:
            raw.attrs["notes"] = book.notes + raw.attrs["notes"]  # hidden sheets, said once
        parts.append(Part(table, sheet.name, raw))
    problems.sheet = ""
    if not parts and not problems:
        problems.add("", "", "入驻工作簿中没有填写任何数据（各工作表只有表头）")
    return parts, skipped, True


def check_file(
    data: bytes,
    filename: str,
    directory: Path,
    table: str | None = None,
    today: dt.date | None = None,
    limits: Limits | None = None,
    *,
    mode: str = "merge",
    cumulative: bool = False,
) -> Outcome:
    """Read and validate a file (one table, or an onboarding workbook) against the data in `directory`;
    preview the change when it passes."""
    if mode not in MODES:
        raise ValueError(f"未知的导入方式：{mode}")
    sha = hashlib.sha256(data).hexdigest()
    problems = Problems()
    limits = limits or load_limits()
    features = Path(filename).suffix.lower() == ".geojson"  # parcel outlines keyed by 地块编号
    try:
        parts, skipped, bundle = read_parts(data, filename, table, limits, problems, mode, directory)
    except GeometryError as exc:
        problems.add(0, "文件", str(exc), filename)
        return Outcome("parcels", problems.frame(), sha256=sha, mode=mode)
    except Rejected as exc:
        problems.add(exc.row or 0, exc.column or "文件", str(exc), filename if exc.value is None else exc.value)
        return Outcome(table, problems.frame(), sha256=sha, mode=mode)
    notes = list(dict.fromkeys(n for p in parts for n in p.raw.attrs.get("notes", [])))
    try:
        outcome = _check_parts(parts, skipped, bundle, problems, directory, table, today, sha, mode, cumulative)
        if features and not outcome.ok:  # a feature file has no rows: say which feature (the first is 第 1 个要素)
            outcome.problems["行号"] = [
                f"第 {r - HEADER_ROW} 个要素" if isinstance(r, int) and r > HEADER_ROW else r
                for r in outcome.problems["行号"]
            ]
    except Exception:  # noqa: BLE001 - the clerk gets a rejection report, the log gets the traceback
        log.exception("checking %s failed", filename)
        problems.add(
            0, "文件", "读取或校验时出现意外错误，文件未导入，数据未改动。请检查文件内容或联系管理员", filename
        )
        outcome = Outcome(table, problems.frame(), sha256=sha, mode=mode)
    outcome.notes = notes
    return outcome


def _check_parts(parts, skipped, bundle, problems, directory, table, today, sha, mode, cumulative) -> Outcome:
    single = parts[0].table if parts and not bundle else (table if not bundle else None)
    if problems:
        return Outcome(single, problems.frame(with_sheet=bundle), sha256=sha, mode=mode, bundle=bundle, skipped=skipped)
    found, previews, _ = check_parts(parts, current_tables(directory), mode=mode, today=today, cumulative=cumulative)
    order = [t for t in SPECS if t in previews]
    outcome = Outcome(
        single,
        found.frame(with_sheet=bundle),
        sha256=sha,
        mode=mode,
        bundle=bundle,
        skipped=skipped,
        sheets={p.table: p.sheet for p in parts},
    )
    if outcome.ok:
        outcome.previews = {t: previews[t] for t in order}
        outcome.preview = previews.get(single) if single else None
    return outcome


def _parcel_features(data: bytes, limits: Limits, directory: Path) -> pd.DataFrame:
    """A .geojson FeatureCollection as rows of `parcels` (cockpit.data.geo.feature_rows): a feature's properties
    named like the table's columns, its geometry as the boundary, a known parcel's other columns kept."""
    from cockpit.data import geo
    from cockpit.data.store import DataStore

    spec = SPECS["parcels"]
    columns = {_norm(c.header): c.name for c in spec.columns} | {c.name: c.name for c in spec.columns}
    return geo.feature_rows(
        data,
        max_bytes=limits.max_bytes,
        max_features=limits.max_rows,
        columns=columns,
        norm=_norm,
        existing=DataStore(directory).read("parcels"),
    )


def import_file(
    data: bytes,
    filename: str,
    directory: Path,
    *,
    user: str,
    table: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    mode: str = "merge",
    cumulative: bool = False,
) -> Outcome:
    """check_file, then (unless dry_run or rejected) commit every table of the file as one version."""
    from cockpit.data.store import Change, DataStore

    store = DataStore(directory)
    with store.lock():  # validate and merge against the data this commit replaces (no lost updates)
        outcome = check_file(data, filename, directory, table, today, mode=mode, cumulative=cumulative)
        if outcome.ok and not dry_run:
            changes = [
                Change(
                    t,
                    p.merged,
                    source_name=Path(filename).name,
                    source_sha256=outcome.sha256,
                    rows_new=p.rows_new,
                    rows_changed=p.rows_changed,
                    rows_deleted=p.rows_deleted,
                    mode=MODES[mode],
                    note=f"工作表「{outcome.sheets.get(t, '')}」" if outcome.bundle else "",
                )
                for t, p in outcome.previews.items()
            ]
            outcome.entries = store.commit_changes(changes, user=user)
            outcome.committed = outcome.entries[0] if outcome.entries and not outcome.bundle else None
    return outcome


def report(outcome: Outcome) -> str:
    """The text the command line prints for an accepted file."""
    pd.set_option("display.unicode.east_asian_width", True)
    lines = []
    for table, p in outcome.previews.items():
        lines.append(
            f"数据表：{SPECS[table].title}（{table}），{MODES[outcome.mode]}：新增 {p.rows_new} 行，"
            f"修改 {p.rows_changed} 行，删除 {p.rows_deleted} 行"
        )
        lines.append((p.summary if len(p.summary) <= 12 else by_year(p.summary)).to_string(index=False))
        lines.append(p.totals.to_string(index=False))
        if p.derived is not None and not p.derived.empty:
            lines.append(f"由 1—本月累计值推算当月值：{len(p.derived)} 项（例）")
            lines.append(p.derived.head(5).to_string(index=False))
        if len(p.removed):
            lines.append(f"将消失的行（{p.rows_deleted} 行，列出前 {min(len(p.removed), 20)} 行）：")
            lines.append(p.removed.head(20).to_string(index=False))
    if outcome.skipped:
        lines.append("未填写、未导入的工作表：" + "、".join(outcome.skipped))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from cockpit.data.db import data_dir

    ap = argparse.ArgumentParser(
        prog="python -m cockpit.data.ingest", description="导入 Excel/CSV 数据或入驻工作簿（校验 → 预览 → 提交）"
    )
    ap.add_argument("file")
    ap.add_argument("--table", choices=importable(), help="目标数据表（默认按表头识别；入驻工作簿不用填）")
    ap.add_argument(
        "--mode",
        choices=list(MODES),
        default="merge",
        help="merge 追加更新（默认）/ replace 整表替换 / replace-period 按期间替换 / delete 删除",
    )
    ap.add_argument(
        "--cumulative", action="store_true", help="企业月度数据的金额、能耗等列为 1—本月累计值（由上期累计推算当月值）"
    )
    ap.add_argument("--dry-run", action="store_true", help="只校验和预览，不写入")
    ap.add_argument("--data-dir", default=None, help="工作数据目录（默认 $COCKPIT_DATA_DIR 或 var/data）")
    ap.add_argument("--user", default="命令行")
    args = ap.parse_args(argv)
    directory = Path(args.data_dir) if args.data_dir else data_dir()
    from cockpit.data.db import SAMPLE_DIR
    from cockpit.data.store import ensure_working_dir

    ensure_working_dir(directory, SAMPLE_DIR)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"无法读取文件 {path}：{exc.strerror}", file=sys.stderr)
        return 2
    outcome = import_file(
        data,
        path.name,
        directory,
        user=args.user,
        table=args.table,
        dry_run=args.dry_run,
        mode=args.mode,
        cumulative=args.cumulative,
    )
    pd.set_option("display.unicode.east_asian_width", True)
    pd.set_option("display.width", 200)
    for note in outcome.notes:
        print(f"注意：{note}", file=sys.stderr)
    if not outcome.ok:
        print(f"文件被拒绝（{outcome.title()}），共 {len(outcome.problems)} 个问题，未写入任何数据：", file=sys.stderr)
        print(outcome.problems.to_string(index=False), file=sys.stderr)
        return 1
    print(report(outcome))
    if outcome.entries:
        print(f"已提交，版本 {outcome.entries[0].version}（{len(outcome.entries)} 张表）")
    else:
        print("试运行：未写入")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
