"""Imported text inside Streamlit's Markdown: shown literally, never interpreted.

`st.markdown`, `st.caption`, `st.info`/`success`/`warning`/`error`, `st.header`/`subheader`, widget and metric
labels, `help=` tooltips and expander titles all read their text as Markdown with Streamlit's extensions
(`:red[…]`, `:material/…:`, emoji shortcodes, `$…$` LaTeX). A name such as `**粗体**` or `[链接](http://x)` from
an imported table would be drawn bold or as a link. `plain(text)` makes any text safe to put into such a string:
every ASCII punctuation character gets a backslash (CommonMark's escape, which Streamlit's extensions honour) and
control characters (line breaks included) become spaces, so the browser shows exactly the characters of the
text. Checked against the real frontend in tests/test_browser_security.py. (A bare URL or e-mail address stays
clickable: GFM's autolinks match the decoded text. Its visible text is the address itself, so nothing is hidden.)
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def plain(text) -> str:
    """`text` (anything; None → '') as a Markdown string that renders as exactly its characters."""
    if text is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", _CONTROL.sub(" ", str(text)))
