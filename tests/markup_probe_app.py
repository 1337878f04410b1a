"""A Streamlit script for tests/test_browser_security.py: hostile strings through `plain()` into every kind of
element that reads Markdown. Not a page of the app."""

import streamlit as st

from cockpit.domain.markup import plain

HOSTILE = [
    "**粗体**",
    "[链接](http://x)",
    "<b>x</b>",
    ":red[x]",
    ":blue-background[y]",
    ":material/home:",
    ":smile:",
    "$x^2$",
    "# 标题",
    "- 列表",
    "1. 列表",
    "> 引用",
    "`代码`",
    "~~删~~",
    "a_b_c_",
    "\\*",
    "&amp;",
    "|表|格|",
    "<script>alert(1)</script>",
    "***",
    "<http://a.b>",
    "1) x",
    "+ y",
    "x:y:z",
]

if __name__ == "__main__":  # streamlit run; the test imports HOSTILE only
    KINDS = {
        "markdown": lambda i, t: st.markdown(t),
        "caption": lambda i, t: st.caption(t),
        "error": lambda i, t: st.error(t),
        "metric": lambda i, t: st.metric(t, "1"),
        "slider": lambda i, t: st.slider(t, 0, 10, key=f"slider{i}"),
        "expander": lambda i, t: st.expander(t),
        "subheader": lambda i, t: st.subheader(t, anchor=False),
    }
    for kind, draw in KINDS.items():
        with st.container(key=f"probe_{kind}"):
            for i, text in enumerate(HOSTILE):
                draw(i, plain(text))
