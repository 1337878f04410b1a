"""Downloads: CSV (UTF-8 with BOM, for Excel) and .xlsx with numeric cells kept numeric.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab/CR) are
neutralised with a leading apostrophe in every export.
"""

from __future__ import annotations

import io
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell made inert for spreadsheets; numbers and other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM so that Excel opens Chinese text correctly."""
    return neutralise_frame(df).to_csv(index=False).encode("utf-8-sig")


HEADER_FILL = "DCE6F1"  # light blue, as the brief's table (darker blue would need white text)
INT_FORMAT, FLOAT_FORMAT = "#,##0", "#,##0.00"
MAX_WIDTH = 50


def text_width(value) -> int:
    """Width of a cell's text in Excel character units: a CJK (full-width) character counts two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def shown_text(value, number_format: str | None) -> str:
    """Roughly the text Excel shows for a number in `number_format` (for the column width)."""
    from cockpit.domain.format import is_blank

    if is_blank(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    fmt = number_format or (INT_FORMAT if float(value).is_integer() else FLOAT_FORMAT)
    digits = len(fmt.split(";")[0].split(".")[1].rstrip('"%月')) if "." in fmt.split(";")[0] else 0
    text = f"{value:,.{digits}f}" if "#,##0" in fmt else f"{value:.{digits}f}"
    return text + ("%" if '"%"' in fmt else "")


def default_format(series: pd.Series) -> str | None:
    """The number format of a numeric column without one: thousands separators, 2 decimals unless whole."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    values = series.dropna()
    return INT_FORMAT if values.empty or (values == values.round()).all() else FLOAT_FORMAT


def xlsx_bytes(
    sheets: dict[str, pd.DataFrame], formats: dict[str, dict[str, str]] | None = None, title: list[str] | None = None
) -> bytes:
    """An .xlsx with one sheet per entry (Chinese sheet names), numbers as numbers.

    `title`: lines above the table (report name first, in bold; then 统计范围, period, 数据截至 …), each in its
    own row, a blank row, then the header: bold on a light fill with thin borders, frozen with the title.
    `formats`: sheet name → {column header: Excel number format} for that column's data cells; numeric
    columns without one get thousands separators. Column widths follow the shown texts (CJK counted double).
    """
    from openpyxl.styles import Border, Font, PatternFill, Side

    thin = Side(style="thin", color="9FB2C8")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    title = [t for t in (title or []) if t]
    header_row = len(title) + 2 if title else 1
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            sheet = name[:31]
            neutralise_frame(df).to_excel(writer, sheet_name=sheet, index=False, startrow=header_row - 1)
            ws = writer.sheets[sheet]
            for i, line in enumerate(title, start=1):
                cell = ws.cell(i, 1, line)
                cell.font = Font(bold=i == 1, size=14 if i == 1 else 10, color=None if i == 1 else "555555")
            ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
            for i, col in enumerate(df.columns, start=1):
                head = ws.cell(header_row, i)
                head.font, head.border = Font(bold=True), border
                head.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
                number_format = (formats or {}).get(name, {}).get(col) or default_format(df[col])
                for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                    cell.border = border
                    if number_format:
                        cell.number_format = number_format
                texts = [str(col)] + [shown_text(v, number_format) for v in df[col].head(500)]
                width = max(text_width(t) for t in texts) + 2
                ws.column_dimensions[head.column_letter].width = min(max(width, 8), MAX_WIDTH)
    return buf.getvalue()


# --- a shown table → its export: the columns shown, their labels as headers, display formats as Excel formats

_PRINTF = re.compile(r"%([+,]*)(?:\.(\d+))?([dif])")


def excel_format(fmt: str | None) -> str | None:
    """An Excel number format for a Streamlit column format: '%.2f' → '#,##0.00', '%+.1f' → '+#,##0.0;-#,##0.0;#,##0.0',
    '%d' → '0' (years), '%.1f%%' → '0.0"%"', '1—%d月' → '"1—"0"月"', 'YYYY-MM-DD' → 'yyyy-mm-dd'; None when unknown."""
    if not fmt:
        return None
    if "YYYY" in fmt or "DD" in fmt:
        return fmt.lower()
    m = _PRINTF.search(fmt)
    if m is None:
        return None
    flags, digits, kind = m.groups()
    digits = 0 if kind in "di" else int(digits or 6)
    # amounts (floats) get thousands separators; whole numbers (%d: years, counts) only when asked
    body = ("#,##0" if "," in flags or kind == "f" else "0") + ("." + "0" * digits if digits else "")

    def literal(text: str) -> str:
        text = text.replace("%%", "%")
        return f'"{text}"' if text else ""

    before, after = literal(fmt[: m.start()]), literal(fmt[m.end() :])
    if "+" in flags:
        return f"{before}+{body}{after};{before}-{body}{after};{before}{body}{after}"
    return f"{before}{body}{after}"


def shown_frame(
    df: pd.DataFrame, column_config: dict | None = None, column_order: list[str] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as shown, for export: the shown columns in order, renamed to their labels (which carry
    the units), values untouched (numbers stay numbers); and an Excel number format per label.

    `column_config` maps a column to a label string, a Streamlit column-config dict or None (hidden).
    """
    config = column_config or {}
    columns = [c for c in (column_order or df.columns) if c in df.columns and not (c in config and config[c] is None)]
    out = df[columns].copy()
    labels, formats = {}, {}
    for c in columns:
        spec = config.get(c)
        label = spec if isinstance(spec, str) else (spec or {}).get("label")
        labels[c] = str(label or c)
        number_format = excel_format(
            ((spec or {}).get("type_config") or {}).get("format") if isinstance(spec, dict) else None
        )
        if number_format:
            formats[labels[c]] = number_format
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        if (
            labels[c] not in formats
            and pd.api.types.is_datetime64_any_dtype(out[c])
            and (out[c].dropna() == out[c].dropna().dt.normalize()).all()
        ):
            formats[labels[c]] = "yyyy-mm-dd"
    return out.rename(columns=labels), formats
