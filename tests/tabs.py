"""AppTest helpers for a page's lazy tabs (`cockpit.app.ui.tabs`): only the open tab is drawn, so a test that
reads what a page shows opens each tab in turn."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest


def lazy_tabs(at: AppTest) -> dict[str, list[str]]:
    """{user key: tab labels} of the stateful tab containers on the page (their element id ends with the key)."""
    found: dict[str, list[str]] = {}

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "tab_container" and child.proto.tab_container.id:
                key = child.proto.tab_container.id.rsplit("-", 1)[-1]
                found[key] = [tab.label for tab in child.children.values()]
            walk(child)

    walk(at._tree)
    return found


def open_tab(at: AppTest, label: str, key: str | None = None) -> AppTest:
    """Run the page again with tab `label` open (of the container `key`, by default the one that has the label)."""
    if key is None:
        key = next(k for k, labels in lazy_tabs(at).items() if label in labels)
    at.session_state[key] = label
    return at.run()


def each_tab(at: AppTest) -> Iterator[str]:
    """Open every tab of the page's lazy tab containers in turn (the page as it is first, when it has none),
    yielding a name of what is open ('' for a page without lazy tabs); leaves the first tab open."""
    containers = lazy_tabs(at)
    if not containers:
        yield ""
        return
    for key, labels in containers.items():
        for label in labels:
            open_tab(at, label, key)
            yield label
        open_tab(at, labels[0], key)
