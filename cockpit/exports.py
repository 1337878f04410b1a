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


def xlsx_bytes(sheets: dict[str, pd.DataFrame], formats: dict[str, dict[str, str]] | None = None) -> bytes:
    """An .xlsx with one sheet per entry (Chinese sheet names), frozen header row, numbers as numbers.

    `formats`: sheet name → {column header: Excel number format} applied to that column's data cells.
    """
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            sheet = name[:31]
            neutralise_frame(df).to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width * 1.6, 8), 60)
                number_format = (formats or {}).get(name, {}).get(col)
                if number_format:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = number_format
    return buf.getvalue()


# --- a shown table → its export: the columns shown, their labels as headers, display formats as Excel formats

_PRINTF = re.compile(r"%([+,]*)(?:\.(\d+))?([dif])")


def excel_format(fmt: str | None) -> str | None:
    """An Excel number format for a Streamlit column format: '%.2f' → '0.00', '%+.1f' → '+0.0;-0.0;0.0',
    '%d' → '0', '%.1f%%' → '0.0"%"', '1—%d月' → '"1—"0"月"', 'YYYY-MM-DD' → 'yyyy-mm-dd'; None when unknown."""
    if not fmt:
        return None
    if "YYYY" in fmt or "DD" in fmt:
        return fmt.lower()
    m = _PRINTF.search(fmt)
    if m is None:
        return None
    flags, digits, kind = m.groups()
    digits = 0 if kind in "di" else int(digits or 6)
    body = ("#,##0" if "," in flags else "0") + ("." + "0" * digits if digits else "")

    def literal(text: str) -> str:
        text = text.replace("%%", "%")
        return f'"{text}"' if text else ""

    before, after = literal(fmt[:m.start()]), literal(fmt[m.end():])
    if "+" in flags:
        return f"{before}+{body}{after};{before}-{body}{after};{before}{body}{after}"
    return f"{before}{body}{after}"


def shown_frame(df: pd.DataFrame, column_config: dict | None = None,
                column_order: list[str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as shown, for export: the shown columns in order, renamed to their labels (which carry
    the units), values untouched (numbers stay numbers); and an Excel number format per label.

    `column_config` maps a column to a label string, a Streamlit column-config dict or None (hidden).
    """
    config = column_config or {}
    columns = [c for c in (column_order or df.columns) if c in df.columns and
               not (c in config and config[c] is None)]
    out = df[columns].copy()
    labels, formats = {}, {}
    for c in columns:
        spec = config.get(c)
        label = spec if isinstance(spec, str) else (spec or {}).get("label")
        labels[c] = str(label or c)
        number_format = excel_format(((spec or {}).get("type_config") or {}).get("format")
                                     if isinstance(spec, dict) else None)
        if number_format:
            formats[labels[c]] = number_format
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        if (labels[c] not in formats and pd.api.types.is_datetime64_any_dtype(out[c])
                and (out[c].dropna() == out[c].dropna().dt.normalize()).all()):
            formats[labels[c]] = "yyyy-mm-dd"
    return out.rename(columns=labels), formats

