"""Cards that fit: the CSS that lays a card grid out by the width it gets, and the keys that mark a grid.

A grid is one keyed container (`grid_key`: `cards-n4-…`, `p` in 演示模式, the digit the most cards a row).
Its columns follow the width of the main area, not a fixed count: as many as fit at `CARD_MIN` each, at most
the digit (4 → 3 → 2 → 1 when the sidebar opens or the window narrows); on a phone two compact cards a row.
Each card is a size container: the value shrinks with the card (container units) and wraps before its unit
rather than ellipsize, labels and changes wrap. The delta and the light sit on one line under the value.
"""

from __future__ import annotations

import hashlib

GRID = "cards"
MAX_PER_ROW = 6
CARD_MIN = "10.5rem"  # the narrowest card: a value like "9,850 人次" shrinks to fit, labels wrap
PHONE = "640px"  # at most this wide: two compact cards a row


NO_ROWS = "本表在当前筛选范围内无记录。"
DASH = "—"


def no_rows(data) -> bool:
    """Whether a table's frame (or a Styler's) has no rows."""
    frame = getattr(data, "data", data)
    return hasattr(frame, "columns") and len(frame) == 0


def dashes(data):
    """The frame a table shows: missing text as '—' (st.dataframe writes None); numbers stay numbers (a missing
    number is an empty cell). A Styler is returned as it is."""
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        return data
    text = [
        c
        for c in data.columns
        if (pd.api.types.is_object_dtype(data[c]) or pd.api.types.is_string_dtype(data[c])) and data[c].isna().any()
    ]
    if not text:
        return data
    out = data.copy()
    for c in text:
        out[c] = out[c].astype(object).where(out[c].notna(), DASH)
    return out


# the tint behind a status word in a table (`light_columns`), by colour name: light enough for dark text
LIGHT_BG = {
    "red": "#f6d5d2",
    "orange": "#fde0c2",
    "yellow": "#fbecc6",
    "blue": "#d6e4f5",
    "green": "#d5ecd9",
    "gray": "#e6e6e6",
}


def light_cells(frame, columns: list[str]):
    """`frame` with each cell of `columns` as a one-word list (no word: an empty list), the form a label column
    (`light_columns`) draws; the frame itself is not changed."""
    from cockpit.domain.format import is_blank

    out = frame.copy()
    for c in columns:
        out[c] = [[] if is_blank(v) or v == DASH else [str(v)] for v in out[c]]
    return out


def light_columns(lights: dict[str, dict[str, str]], column_config: dict) -> dict:
    """The column configs that draw `lights` ({column: {word: colour name}}): each word on a label tinted with its
    colour (`LIGHT_BG`; an unknown name: gray), read-only, keeping the label and help of `column_config`'s entry."""
    import streamlit as st

    out = {}
    for column, words in lights.items():
        given = column_config.get(column) or {}
        out[column] = st.column_config.MultiselectColumn(
            given.get("label", column),
            help=given.get("help"),
            width=given.get("width"),
            options=list(words),
            color=[LIGHT_BG.get(colour, LIGHT_BG["gray"]) for colour in words.values()],
            disabled=True,
        )
    return out


def grid_key(name: str, per_row: int, *, present: bool = False) -> str:
    """The key of a card grid's container: its class `st-key-cards-<n|p><per_row>-<hash of name>` selects
    the CSS below (unique on a page as long as no two grids have the same name: the card ids, or a page's
    name for its cells)."""
    per_row = max(1, min(int(per_row), MAX_PER_ROW))
    digest = hashlib.blake2s(name.encode(), digest_size=4).hexdigest()
    return f"{GRID}-{'p' if present else 'n'}{per_row}-{digest}"


def columns_track(per_row: int, minimum: str = CARD_MIN, gap: str = "1rem") -> str:
    """`grid-template-columns` for at most `per_row` columns of at least `minimum`: auto-fill makes as many
    tracks as fit, the max() keeps them from getting narrower than a `per_row`-th of the row."""
    if per_row <= 1:
        return "minmax(0, 1fr)"
    share = f"(100% - {per_row - 1} * {gap}) / {per_row}"
    return f"repeat(auto-fill, minmax(max(min({minimum}, 100%), calc({share})), 1fr))"


_G = f'[class*="st-key-{GRID}-"]'
_CARD = f"{_G} > [data-testid=stLayoutWrapper]"
_BODY = f"{_CARD} > [data-testid=stVerticalBlock]"
_METRIC = "[data-testid=stMetric]"


def css() -> str:
    """The `<style>` for every card grid (injected once per page by `app.py`)."""
    per_row = "\n".join(
        f'[class*="st-key-{GRID}-{mode}{n}-"] {{ grid-template-columns: {columns_track(n)}; }}'
        for mode in "np"
        for n in range(1, MAX_PER_ROW + 1)
    )
    return f"""<style>
{_G} {{ display: grid !important; gap: 1rem; align-items: stretch; }}
{per_row}
{_CARD} {{ container-type: inline-size; min-width: 0; width: auto !important; }}
{_BODY} {{ height: 100%; flex-flow: row wrap; align-items: center; align-content: flex-start;
  column-gap: .5rem; row-gap: .35rem; }}
{_BODY} > [data-testid=stElementContainer] {{ flex: 1 1 100%; min-width: 0; }}
{_BODY} > [data-testid=stElementContainer]:has({_METRIC}),
{_BODY} {_METRIC}, {_BODY} {_METRIC} > div {{ display: contents; }}
{_BODY} {_METRIC} > div > * {{ flex: 1 1 100%; min-width: 0; }}
{_BODY} {_METRIC} > div > div:has([data-testid=stMetricDelta]) {{ flex: 0 1 auto; }}
{_BODY} > [data-testid=stElementContainer]:has({_METRIC}) + :has(.stMarkdownColoredText) {{
  flex: 0 1 auto; width: auto; }}
/* every metric, in a grid or not: wrap rather than cut */
[data-testid=stMetricLabel] p, [data-testid=stMetricValue] p, [data-testid=stMetricDelta] p,
[data-testid=stMetricLabel] [data-testid=stMarkdownContainer],
[data-testid=stMetricValue] [data-testid=stMarkdownContainer],
[data-testid=stMetricDelta] [data-testid=stMarkdownContainer] {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; min-width: 0; }}
{_BODY} [data-testid=stMetricValue], {_BODY} [data-testid=stMetricValue] p {{
  font-size: clamp(1.35rem, 14cqi, var(--cockpit-value-max, 2.25rem)); line-height: 1.2;
  overflow-wrap: normal; word-break: keep-all; }}
[class*="st-key-{GRID}-p"] {{ --cockpit-value-max: 3.2rem; }}
{_BODY} [data-testid=stMetricDelta] {{ max-width: 100%; height: auto; }}
{_BODY} [data-testid=stMetricDelta] p {{ word-break: keep-all; overflow-wrap: anywhere; }}  /* 个百分点 whole */
@media (max-width: {PHONE}) {{
  {_G} {{ grid-template-columns: repeat(2, minmax(0, 1fr)) !important; gap: .5rem; }}
  {_BODY} {{ padding: .6rem .7rem; row-gap: .2rem; column-gap: .35rem; }}
  {_BODY} [data-testid=stMetricLabel] p {{ font-size: .8rem; line-height: 1.25; }}
  {_BODY} [data-testid=stMetricValue], {_BODY} [data-testid=stMetricValue] p {{
    font-size: clamp(1.1rem, 15cqi, 1.6rem); }}
  {_BODY} [data-testid=stMetricDelta], {_BODY} [data-testid=stMetricDelta] p {{ font-size: .75rem; }}
  {_BODY} [data-testid=stCaptionContainer] p {{ font-size: .72rem; line-height: 1.3; }}
}}
/* Streamlit's chrome in Chinese: the top bar's overflow button ("5 more") reads 更多, the phone's ">>" 菜单 */
.rc-overflow-item-rest [data-testid=stTopNavSection] [data-testid=stMarkdownContainer] {{ display: none; }}
.rc-overflow-item-rest [data-testid=stTopNavSection] > span::after {{ content: "更多 ▾"; }}
[data-testid=stExpandSidebarButton] {{ width: auto !important; gap: .25rem; padding: 0 .5rem; }}
[data-testid=stExpandSidebarButton]::after {{ content: "菜单 · 筛选"; font-size: .9rem; white-space: nowrap; }}
</style>"""
