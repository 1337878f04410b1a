"""The layer rule of cockpit (data → domain → report → app; the generators apart), checked on the import graph.

Works on the flat package (each module's layer from tools/restructure.py's mapping and rule) and after the move
(the layer is the subpackage the module is in)."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import restructure  # noqa: E402

ORDER = restructure.ORDER
PKG = ROOT / "cockpit"


def layers() -> dict[str, tuple[str, Path]]:
    """Module name → (layer, file), from the subpackages when they exist, else from the mapping."""
    moved = {p.stem: (p.parent.name, p) for where in ORDER for p in (PKG / where).glob("*.py") if p.stem != "__init__"}
    flat = restructure.assign(ROOT) if list(PKG.glob("*.py")) != [PKG / "__init__.py"] else {}
    return {**{m: (where, PKG / f"{m}.py") for m, where in flat.items()}, **moved}


LAYERS = layers()


def _imports(path: Path):
    """(cockpit modules imported, Streamlit imported at module level, Streamlit imported anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mods, top_st, any_st = set(), False, False
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "streamlit":
                any_st = True
                top_st |= id(node) in top
            if parts[0] == "cockpit":
                mods |= {p for p in parts[1:] if p in LAYERS}
    return mods, top_st, any_st


def test_every_module_has_a_layer():
    """Test that each module of cockpit is in one of the layers."""
    assert LAYERS and all(where in ORDER for where, _ in LAYERS.values())
    assert {"db", "indicators", "brief", "ui", "sample"} <= set(LAYERS)


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_a_module_imports_only_its_layer_and_those_below(module):
    """Test the layer rule: data imports nothing above data, domain nothing above domain, report nothing from the
    app; the generators may import anything (known exceptions are listed in tools/restructure.py)."""
    where, path = LAYERS[module]
    if where == "gen":
        return
    mods, _, _ = _imports(path)
    above = {
        m for m in mods if ORDER.index(LAYERS[m][0]) > ORDER.index(where) and (module, m) not in restructure.EXCEPTIONS
    }
    assert not above, f"{where}.{module} imports {sorted(above)}"


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_no_streamlit_below_the_app(module):
    """Test that data and domain never import Streamlit, and report only inside a function (charts' table export)."""
    where, path = LAYERS[module]
    _, top_st, any_st = _imports(path)
    if where in ("data", "domain"):
        assert not any_st, module
    if where == "report":
        assert not top_st, module


def test_the_rule_catches_a_wrong_import(tmp_path):
    """Test that the check sees an upward import (a data module importing the ui)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from cockpit.app import ui\n    import streamlit as st\n", encoding="utf-8")
    mods, top_st, any_st = _imports(bad)
    assert mods == {"ui"} and any_st and not top_st
    assert ORDER.index(LAYERS["ui"][0]) > ORDER.index("data")
