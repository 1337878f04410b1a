"""Import monthly statistics and ledgers from Excel/CSV: read → validate → preview → commit.

Every problem in a file is reported at once, in Chinese, as 行号 / 列 / 问题 / 原值, and nothing is written
unless the whole file passes. Accepted rows are merged into the table by its key (new keys added, existing
keys replaced) and committed through `cockpit.store` (atomic, serialised, versioned).

Command line (same checks, same messages; exit code 1 when the file is rejected):
    python -m cockpit.ingest FILE [--table T] [--dry-run] [--data-dir D] [--user NAME]
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

import pandas as pd

from cockpit.reader import Limits, Rejected, _blank, load_limits, read_table_file  # noqa: F401
from cockpit.schema import SPECS, Col, TableSpec

PROBLEM_COLUMNS = ["行号", "列", "问题", "原值"]
log = logging.getLogger(__name__)
HEADER_ROW = 1  # data rows start at Excel row 2


@dataclass
class Problems:
    rows: list[dict] = field(default_factory=list)

    def add(self, row: int | str, column: str, problem: str, value="") -> None:
        self.rows.append({"行号": row, "列": column, "问题": problem,
                          "原值": "" if value is None else str(value)[:100]})

    def __bool__(self) -> bool:
        return bool(self.rows)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)


# -- table detection and headers ------------------------------------------------------------------

def _norm(header: str) -> str:
    h = header.replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
    return h.replace("-", "—").replace("－", "—").lower()


def detect_table(columns: list[str]) -> str | None:
    """The importable table whose headers best match the file's (None when nothing matches well)."""
    normed = {_norm(c) for c in columns}
    best, score = None, 0.0
    for spec in SPECS.values():
        names = {_norm(c.header) for c in spec.columns} | {c.name for c in spec.columns}
        hits = len(normed & names) / len(spec.columns)
        if hits > score:
            best, score = spec.table, hits
    return best if score >= 0.5 else None


def map_headers(columns: list[str], spec: TableSpec, problems: Problems) -> dict[str, str]:
    """File header → column name; reports missing, unknown (with the nearest), repeated headers."""
    by_norm = {}
    for c in spec.columns:
        by_norm[_norm(c.header)] = c.name
        by_norm[c.name] = c.name
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
    missing = [c for c in spec.columns if c.name not in mapping.values()]
    for col in unknown:
        candidates = [c.header for c in missing] or [c.header for c in spec.columns]
        near = difflib.get_close_matches(col, candidates, n=1, cutoff=0.4)
        hint = f"，是否应为「{near[0]}」？" if near else "，不属于本表，请删除该列"
        problems.add(HEADER_ROW, col, f"无法识别的列名{hint}", col)
    for c in missing:
        if c.required:
            problems.add(HEADER_ROW, c.header, "缺少必填列")
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


class CellError(ValueError):
    pass


def parse_cell(value, col: Col):
    """A cell as the column's type; None for a blank; CellError with a Chinese reason otherwise."""
    if _blank(value):
        return None
    if col.kind == "str":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > 200:
            raise CellError("文本过长（超过 200 字）")
        return text
    if col.kind in ("int", "float"):
        if isinstance(value, bool):
            raise CellError("应为数字")
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = str(value).strip().replace(",", "").replace("，", "")
            try:
                number = float(text)
            except ValueError:
                raise CellError("应为数字，不能包含文字或单位") from None
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


def _range_reason(value, col: Col) -> str | None:
    if col.min is not None and value < col.min:
        return "不能为负数" if col.min == 0 else f"数值过小（应不小于 {col.min:g}{col.unit}）"
    if col.max is not None and value > col.max:
        return f"数值超出合理范围（应不大于 {col.max:g}{col.unit}）"
    return None


# -- validation -----------------------------------------------------------------------------------

@dataclass
class Validation:
    table: str
    clean: pd.DataFrame          # typed rows, parquet column names (only when no problems)
    problems: Problems
    row_numbers: list[int]       # Excel row of each clean row

    @property
    def ok(self) -> bool:
        return not self.problems


def reference_codes(current: dict[str, pd.DataFrame]) -> dict[str, set]:
    """Allowed codes per reference table, from the current working data."""
    keys = {"sectors": "sector_code", "areas": "area_code", "enterprises": "ent_id",
            "projects": "project_id", "parcels": "parcel_id", "indicators": "indicator_id"}
    return {t: set(current[t][k].astype(str)) for t, k in keys.items()
            if t in current and not current[t].empty}


_REF_NAMES = {"sectors": "行业代码", "areas": "片区代码", "enterprises": "企业（统一社会信用代码）",
              "projects": "项目编号", "parcels": "地块编号", "indicators": "指标代码"}


def validate(raw: pd.DataFrame, table: str, current: dict[str, pd.DataFrame],
             today: dt.date | None = None) -> Validation:
    """Check a raw file against the table's rules and the current data; collect every problem."""
    today = today or dt.date.today()
    spec = SPECS[table]
    problems = Problems()
    mapping = map_headers(list(raw.columns), spec, problems)
    refs = reference_codes(current)
    typed_rows, numbers, seen_keys = [], [], {}
    excel_rows = raw.index if raw.attrs.get("header_row") else range(HEADER_ROW + 1, HEADER_ROW + 1 + len(raw))
    for excel_row, record in zip(excel_rows, raw.to_dict("records")):
        excel_row = int(excel_row)
        row: dict = {}
        for header, name in mapping.items():
            col = spec.col(name)
            value = record.get(header)
            try:
                parsed = parse_cell(value, col)
            except CellError as exc:
                problems.add(excel_row, col.header, str(exc), value)
                continue
            except Exception:  # noqa: BLE001 - a value no rule foresaw is a problem row, never a traceback
                problems.add(excel_row, col.header, "无法识别该单元格的内容", value)
                continue
            if parsed is None:
                if col.required:
                    problems.add(excel_row, col.header, "必填项为空")
                row[name] = None
                continue
            reason = None
            if col.kind in ("int", "float"):
                reason = _range_reason(parsed, col)
            if reason is None and col.choices and parsed not in col.choices:
                reason = f"取值不在允许范围内（可填：{'、'.join(col.choices)}）"
            if reason is None and col.ref and col.ref in refs and str(parsed) not in refs[col.ref]:
                reason = f"未知的{_REF_NAMES[col.ref]}"
            if reason is None and col.not_future and col.kind == "date" and parsed > today:
                reason = f"日期在未来（今天是 {today.isoformat()}）"
            if reason:
                problems.add(excel_row, col.header, reason, value)
            row[name] = parsed
        _check_period(spec, row, excel_row, today, problems)
        for check in spec.checks:
            CHECKS[check](row, excel_row, spec, problems)
        key = tuple(row.get(k) for k in spec.key)
        if all(k is not None for k in key):
            if key in seen_keys:
                problems.add(excel_row, "、".join(spec.col(k).header for k in spec.key),
                             f"主键与第 {seen_keys[key]} 行重复", " / ".join(map(str, key)))
            else:
                seen_keys[key] = excel_row
        typed_rows.append(row)
        numbers.append(excel_row)
    if raw.empty:
        problems.add(HEADER_ROW, "", "文件中没有数据行")
    clean = pd.DataFrame(typed_rows, columns=[c.name for c in spec.columns])
    if not problems and "ytd_consistent" in spec.checks:
        check_ytd(clean, numbers, current.get(table, pd.DataFrame()), spec, problems)
    return Validation(table, clean, problems, numbers)


def _check_period(spec, row, excel_row, today, problems) -> None:
    if spec.period == "month" and row.get("year") and row.get("month"):
        if (row["year"], row["month"]) > (today.year, today.month):
            problems.add(excel_row, "月份", f"报告期在未来（{row['year']}年{row['month']}月）",
                         f"{row['year']}-{row['month']}")


def _va_not_above_output(row, excel_row, spec, problems) -> None:
    out, va = row.get("output_wan"), row.get("value_added_wan")
    if out is not None and va is not None and va > out:
        problems.add(excel_row, spec.col("value_added_wan").header, "增加值大于工业总产值", va)


def _credit_code(row, excel_row, spec, problems) -> None:
    code = row.get("ent_id")
    if code and not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code):
        problems.add(excel_row, spec.col("ent_id").header,
                     "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）", code)


_STAGES = ("date_idea", "date_talk", "date_sign", "date_start", "date_complete", "date_produce")


def _stage_order(row, excel_row, spec, problems) -> None:
    dates = [(c, row.get(c)) for c in _STAGES if row.get(c)]
    for (c1, d1), (c2, d2) in zip(dates, dates[1:]):
        if d2 < d1:
            problems.add(excel_row, spec.col(c2).header,
                         f"早于{spec.col(c1).header}（{d1.isoformat()}），阶段日期应依次不早于前一阶段",
                         d2.isoformat())


def _hazard_order(row, excel_row, spec, problems) -> None:
    found = row.get("found_date")
    for c in ("deadline", "rectified_date"):
        if found and row.get(c) and row[c] < found:
            problems.add(excel_row, spec.col(c).header, "早于发现日期", row[c].isoformat())


CHECKS = {"va_not_above_output": _va_not_above_output, "credit_code_format": _credit_code,
          "stage_dates_ordered": _stage_order, "hazard_dates_ordered": _hazard_order,
          "ytd_consistent": lambda *a: None}


def check_ytd(clean: pd.DataFrame, numbers: list[int], existing: pd.DataFrame, spec: TableSpec,
              problems: Problems, tolerance: float = 0.5) -> None:
    """Where 累计 is given, it must equal the earlier months' 当月 values plus this month."""
    if "output_ytd_wan" not in clean or clean["output_ytd_wan"].isna().all():
        return
    monthly = {}
    if not existing.empty:
        for r in existing[["ent_id", "year", "month", "output_wan"]].itertuples(index=False):
            monthly[(r.ent_id, int(r.year), int(r.month))] = float(r.output_wan)
    for r in clean.itertuples(index=False):
        monthly[(r.ent_id, int(r.year), int(r.month))] = float(r.output_wan)
    for excel_row, r in zip(numbers, clean.itertuples(index=False)):
        if r.output_ytd_wan is None or pd.isna(r.output_ytd_wan):
            continue
        expected = sum(v for (e, y, m), v in monthly.items()
                       if e == r.ent_id and y == r.year and m <= r.month)
        if abs(expected - r.output_ytd_wan) > max(tolerance, 0.001 * abs(expected)):
            problems.add(excel_row, spec.col("output_ytd_wan").header,
                         f"累计值与1—{r.month}月各月当月产值之和（{expected:,.2f} 万元）不符",
                         r.output_ytd_wan)


# -- preview and merge ----------------------------------------------------------------------------

def _period_of(df: pd.DataFrame, spec: TableSpec) -> pd.Series:
    if spec.period == "month":
        return df["year"].astype(int).astype(str) + "年" + df["month"].astype(int).astype(str) + "月"
    if spec.period:
        return df[spec.period].map(lambda d: f"{d.year}年" if d is not None and not pd.isna(d) else "未定")
    if "year" in df:
        return df["year"].astype(int).astype(str) + "年"
    return pd.Series(["全部"] * len(df), index=df.index)


def _comparable(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = df[columns].copy()
    for c in columns:
        out[c] = out[c].map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v))
                            else (round(v, 6) if isinstance(v, float) else v))
    return out


@dataclass
class Preview:
    summary: pd.DataFrame   # 期间 / 新增 / 修改 / 未变
    totals: pd.DataFrame    # 指标 / 期间 / 导入前 / 导入后 / 变化
    merged: pd.DataFrame
    rows_new: int
    rows_changed: int


def preview(clean: pd.DataFrame, existing: pd.DataFrame, table: str) -> Preview:
    """Rows new / changed / unchanged per period, and headline totals before and after the merge."""
    spec = SPECS[table]
    stored = [c for c in existing.columns] if not existing.empty else [c.name for c in spec.columns
                                                                       if c.name != "output_ytd_wan"]
    incoming = clean[[c for c in stored if c in clean.columns]].copy()
    for c in stored:
        if c not in incoming:
            incoming[c] = None
    key = list(spec.key)
    if existing.empty:
        status = pd.Series(["新增"] * len(incoming), index=incoming.index)
        merged = incoming[stored]
    else:
        old = _comparable(existing, stored).set_index(key)
        new = _comparable(incoming, stored).set_index(key)
        present = new.index.isin(old.index)
        same = [present[i] and old.loc[idx].equals(new.iloc[i]) if present[i] else False
                for i, idx in enumerate(new.index)]
        status = pd.Series(["未变" if s else ("修改" if p else "新增") for s, p in zip(same, present)],
                           index=incoming.index)
        keep = ~existing.set_index(key).index.isin(new.index)
        merged = pd.concat([existing[keep], incoming[stored]], ignore_index=True)
    periods = _period_of(incoming, spec)
    summary = (pd.crosstab(periods, status).reindex(columns=["新增", "修改", "未变"], fill_value=0)
               .reset_index().rename(columns={"index": "期间", "row_0": "期间"}))
    summary.columns = ["期间", "新增", "修改", "未变"]
    totals = _totals(existing, merged, spec, set(periods))
    return Preview(summary, totals, merged.reset_index(drop=True),
                   int((status == "新增").sum()), int((status == "修改").sum()))


def _totals(before: pd.DataFrame, after: pd.DataFrame, spec: TableSpec, periods: set) -> pd.DataFrame:
    rows = []
    for col in spec.headline or ():
        c = spec.col(col)
        for label, df in (("导入前", before), ("导入后", after)):
            if df.empty:
                continue
            p = _period_of(df, spec)
            year = p.str.slice(0, 5)
            sums = df[col].astype(float).groupby(year).sum()
            for y, v in sums.items():
                if any(str(x).startswith(y) for x in periods):
                    rows.append({"指标": c.header, "年度": y, "口径": label, "合计": v})
    rows.append({"指标": "行数", "年度": "全部", "口径": "导入前", "合计": float(len(before))})
    rows.append({"指标": "行数", "年度": "全部", "口径": "导入后", "合计": float(len(after))})
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["指标", "年度"], columns="口径", values="合计", aggfunc="sum",
                          sort=False).reset_index()
    for col in ("导入前", "导入后"):
        if col not in wide:
            wide[col] = 0.0
    wide = wide.fillna(0.0)
    wide["变化"] = wide["导入后"] - wide["导入前"]
    return wide[["指标", "年度", "导入前", "导入后", "变化"]]


# -- the whole pipeline ---------------------------------------------------------------------------

@dataclass
class Outcome:
    table: str | None
    problems: pd.DataFrame
    preview: Preview | None = None
    sha256: str = ""
    committed: object | None = None  # store.Entry
    notes: list[str] = field(default_factory=list)  # from reading: title rows skipped, hidden sheets …

    @property
    def ok(self) -> bool:
        return self.problems.empty


def current_tables(directory: Path) -> dict[str, pd.DataFrame]:
    from cockpit.store import DataStore

    store = DataStore(directory)
    names = set(SPECS) | {"sectors", "areas", "enterprises", "projects", "parcels", "indicators"}
    return {t: store.read(t) for t in names}


def check_file(data: bytes, filename: str, directory: Path, table: str | None = None,
               today: dt.date | None = None, limits: Limits | None = None) -> Outcome:
    """Read and validate a file against the data in `directory`; preview the merge when it passes."""
    sha = hashlib.sha256(data).hexdigest()
    problems = Problems()
    try:
        raw = read_table_file(data, filename, limits or load_limits(),
                              recognise=lambda cells: detect_table(cells) is not None)
    except Rejected as exc:
        problems.add(exc.row or 0, exc.column or "文件", str(exc), filename if exc.value is None else exc.value)
        return Outcome(table, problems.frame(), sha256=sha)
    try:
        outcome = _check_raw(raw, directory, table, today, sha)
    except Exception:  # noqa: BLE001 - the clerk gets a rejection report, the log gets the traceback
        log.exception("checking %s failed", filename)
        problems.add(0, "文件", "读取或校验时出现意外错误，文件未导入，数据未改动。请检查文件内容或联系管理员", filename)
        outcome = Outcome(table, problems.frame(), sha256=sha)
    outcome.notes = raw.attrs.get("notes", [])
    return outcome


def _check_raw(raw: pd.DataFrame, directory: Path, table: str | None, today, sha: str) -> Outcome:
    problems = Problems()
    table = table or detect_table(list(raw.columns))
    if table is None or table not in SPECS:
        problems.add(HEADER_ROW, "表头", "无法识别数据表：请使用模板的表头，或指定要导入的表",
                     "、".join(map(str, raw.columns[:6])))
        return Outcome(None, problems.frame(), sha256=sha)
    current = current_tables(directory)
    result = validate(raw, table, current, today)
    if not result.ok:
        return Outcome(table, result.problems.frame(), sha256=sha)
    return Outcome(table, result.problems.frame(), preview(result.clean, current[table], table), sha)


def import_file(data: bytes, filename: str, directory: Path, *, user: str, table: str | None = None,
                dry_run: bool = False, today: dt.date | None = None) -> Outcome:
    """check_file, then (unless dry_run or rejected) commit the merged table atomically."""
    from cockpit.store import DataStore

    store = DataStore(directory)
    with store.lock():  # validate and merge against the data this commit replaces (no lost updates)
        outcome = check_file(data, filename, directory, table, today)
        if outcome.ok and not dry_run:
            p = outcome.preview
            outcome.committed = store.commit(
                outcome.table, p.merged, user=user, source_name=Path(filename).name,
                source_sha256=outcome.sha256, rows_new=p.rows_new, rows_changed=p.rows_changed)
    return outcome


def main(argv: list[str] | None = None) -> int:
    from cockpit.db import data_dir

    ap = argparse.ArgumentParser(prog="python -m cockpit.ingest",
                                 description="导入 Excel/CSV 数据（校验 → 预览 → 提交）")
    ap.add_argument("file")
    ap.add_argument("--table", choices=sorted(SPECS), help="目标数据表（默认按表头识别）")
    ap.add_argument("--dry-run", action="store_true", help="只校验和预览，不写入")
    ap.add_argument("--data-dir", default=None, help="工作数据目录（默认 $COCKPIT_DATA_DIR 或 var/data）")
    ap.add_argument("--user", default="命令行")
    args = ap.parse_args(argv)
    directory = Path(args.data_dir) if args.data_dir else data_dir()
    from cockpit.db import SAMPLE_DIR
    from cockpit.store import ensure_working_dir

    ensure_working_dir(directory, SAMPLE_DIR)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"无法读取文件 {path}：{exc.strerror}", file=sys.stderr)
        return 2
    outcome = import_file(data, path.name, directory, user=args.user, table=args.table,
                          dry_run=args.dry_run)
    pd.set_option("display.unicode.east_asian_width", True)
    for note in outcome.notes:
        print(f"注意：{note}", file=sys.stderr)
    if not outcome.ok:
        print(f"文件被拒绝（{SPECS[outcome.table].title if outcome.table else '未识别'}），"
              f"共 {len(outcome.problems)} 个问题，未写入任何数据：", file=sys.stderr)
        print(outcome.problems.to_string(index=False), file=sys.stderr)
        return 1
    p = outcome.preview
    print(f"数据表：{SPECS[outcome.table].title}（{outcome.table}）  新增 {p.rows_new} 行，修改 {p.rows_changed} 行")
    print(p.summary.to_string(index=False))
    print(p.totals.to_string(index=False))
    if outcome.committed:
        print(f"已提交，版本 {outcome.committed.version}")
    else:
        print("试运行：未写入")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
