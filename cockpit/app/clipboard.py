"""A visible 复制 button: copies a text to the clipboard with one click.

`st.code` has a copy icon, but it shows only on hover and sits in a monospace box. This is a Streamlit component
(v1) whose page and script are files in `assets/copy_button`, served from the app's own origin: the strict CSP
(cockpit/app/serve.py, script-src 'self', frame-src 'self') allows them without an inline-script hash, and Streamlit
gives its component frames clipboard-write. The text travels as the component's argument (never as markup).
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "assets" / "copy_button"
_COMPONENT = None


def copy_button(text: str, *, label: str = "复制", done: str = "已复制", help: str = "", key: str) -> None:
    """Draw the button; a click copies `text` and says `done` beside it."""
    global _COMPONENT
    if _COMPONENT is None:
        import streamlit.components.v1 as components

        _COMPONENT = components.declare_component("copy_button", path=str(FOLDER))
    _COMPONENT(text=text, label=label, done=done, help=help, key=key, default=None)
