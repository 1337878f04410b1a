"""Number formatting with the units and precision of the zone's reports (亿元 to 0.01, % to 0.1)."""

from __future__ import annotations

import math

DASH = "—"


def is_blank(x) -> bool:
    """None, NaN, NaT or pandas NA (a table cell with nothing in it): the one test of "no value" (the modules
    import it, often as `_missing`)."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    if isinstance(x, (int, str)):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


_missing = is_blank


def num(x, digits: int = 2) -> str:
    """Thousands separators and fixed decimals: 1234.5 → '1,234.50'; None/NaN → '—'."""
    if _missing(x):
        return DASH
    return f"{x:,.{digits}f}"


def yi(wan, digits: int = 2) -> str:
    """万元 amount shown in 亿元: 1366500 → '136.65 亿元'."""
    return DASH if _missing(wan) else f"{num(wan / 10000, digits)} 亿元"


def wan(x, digits: int = 0) -> str:
    """万元 amount: 4300 → '4,300 万元'."""
    return DASH if _missing(x) else f"{num(x, digits)} 万元"


def _signed(x, digits: int) -> str:
    """x with its sign and `digits` decimals; a change that rounds to zero reads '+0.0', never '-0.0'."""
    return f"{(x if round(x, digits) != 0 else 0.0):+.{digits}f}"


def pct(x, digits: int = 1, signed: bool = False) -> str:
    """Percentage value already in percent: 35.6 → '35.6%' (signed → '+35.6%')."""
    if _missing(x):
        return DASH
    return f"{_signed(x, digits)}%" if signed else f"{x:.{digits}f}%"


def pp(x, digits: int = 1) -> str:
    """Difference of two percentages: 2.34 → '+2.3 个百分点'."""
    return DASH if _missing(x) else f"{_signed(x, digits)} 个百分点"


def mu(x, digits: int = 1) -> str:
    """Land area: 150 → '150.0 亩'."""
    return DASH if _missing(x) else f"{num(x, digits)} 亩"


def count(x, unit: str = "个") -> str:
    """Whole count with its measure word: 90 → '90 个'."""
    return DASH if _missing(x) else f"{int(x):,} {unit}"


def shown_note(total: int, shown: int, unit: str = "个", *, total_said: bool = False) -> str | None:
    """'共 X 个，显示前 N 个；下载 Excel 可得全部' when a list shows only its first `shown` of `total` rows, else None;
    `total_said`: the caption already gives the total, so only '，显示前 N 个；下载 Excel 可得全部'."""
    if total <= shown:
        return None
    tail = f"显示前 {count(shown, unit)}；下载 Excel 可得全部"
    return f"，{tail}" if total_said else f"共 {count(total, unit)}，{tail}"


def by_unit(value, unit: str) -> str:
    """Format a value given in the indicator's display unit (as in the catalogue)."""
    if unit == "亿元":
        return DASH if _missing(value) else f"{num(value, 2)} 亿元"
    if unit == "%":
        return pct(value)
    if unit == "亩":
        return mu(value)
    if unit in ("个", "起", "人次", "家", "天", "次", "场"):
        return count(value, unit)
    if unit == "分":
        return DASH if _missing(value) else f"{num(value, 1)} 分"
    return DASH if _missing(value) else f"{num(value, 2)} {unit}"


def period_label(year: int, month: int) -> str:
    """Reporting period in the bulletin style: (2024, 9) → '2024年1—9月'; month 1 or 2 → '1—2月'."""
    return f"{year}年1—{max(month, 2)}月"


def as_of_date(year: int, month: int):
    """The as-of date of the period period_label names: the last day of month m; 1—2月 (published together) ends
    on the last day of February, so month 1 reads as 2: (2024, 1) and (2024, 2) → 2024-02-29."""
    import calendar
    import datetime as dt

    month = max(int(month), 2)
    return dt.date(int(year), month, calendar.monthrange(int(year), month)[1])


def date(x) -> str:
    """A date as 'YYYY-MM-DD'; None/NaT → '—' (tables show the dash instead of 'None')."""
    return DASH if is_blank(x) else f"{x:%Y-%m-%d}"


def days(x) -> str:
    """A whole number of days for a table cell: 56 → '56'; None/NA → '—'."""
    return DASH if is_blank(x) else f"{int(x):,}"
