"""Move cockpit's flat modules into layer subpackages and rewrite every reference (run once, on a clean main).

    python tools/restructure.py [--root DIR] [--dry-run] [--no-format]

Layers, bottom to top (a module may import its own layer and those below; tests/test_layers.py checks it):

    cockpit/data     tables, files and the database: schema, store, db, ingest, readers, zone set-up, dimensions
    cockpit/domain   pure computations on frames: indicators, metrics, formatting, the pages' arithmetic
    cockpit/report   what leaves the app: the brief, narrative, charts, exports, PDFs, notifications
    cockpit/app      Streamlit glue: ui, the filter bar, navigation links, caches, the server
    cockpit/gen      the sample and benchmark-scale generators (may import anything)

The module list comes from the files present, so the script works on whatever main looks like: a module named in
LAYER goes there; any other goes to `app` when it imports Streamlit, else to the highest layer among the modules it
imports (at least `domain`). What it does, in order: `git mv cockpit/<m>.py cockpit/<layer>/<m>.py` (+ one
__init__.py per layer); rewrite `from cockpit import a, b` by layer (Python files in cockpit/, pages/, app.py,
tests/, bench/, tools/, deploy/); replace `cockpit.<m>` and `cockpit/<m>.py` in every tracked text file (imports,
`python -m cockpit.<m>`, mock targets, Makefile, README, docs, systemd units, pyproject.toml); add one `.parent` to
`Path(__file__)…parent` in moved modules (ROOT, assets); switch on ruff's import order ("I") and run
`ruff check --select I --fix` and `ruff format` (the formatting the codebase did not have before), and add
`ruff format --check` to `make lint`.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ORDER = ("data", "domain", "report", "app", "gen")
LAYER = {
    # data
    "config": "data",
    "dimensions": "data",
    "schema": "data",
    "store": "data",
    "db": "data",
    "reader": "data",
    "rawread": "data",
    "ingest": "data",
    "zone": "data",
    "opstate": "data",
    "templates": "data",
    "geo": "data",
    # domain
    "format": "domain",
    "markup": "domain",
    "memo": "domain",
    "metrics": "domain",
    "indicators": "domain",
    "attribution": "domain",
    "cards": "domain",
    "industry": "domain",
    "land": "domain",
    "mujun": "domain",
    "whatif": "domain",
    "scenarios": "domain",
    "overview": "domain",
    "projects": "domain",
    "safety": "domain",
    "enterprise": "domain",
    "alerts": "domain",
    "alerts_state": "domain",
    "alerts_view": "domain",
    "duty": "domain",
    "navigation": "domain",
    "selection": "domain",
    "targets": "domain",
    "empty": "domain",
    # report
    "brief": "report",
    "narrative": "report",
    "landmap": "report",
    "exports": "report",
    "profile_pdf": "report",
    "charts": "report",
    "notify": "report",
    "notify_senders": "report",
    # app (Streamlit glue and the server)
    "ui": "app",
    "filters": "app",
    "present": "app",
    "gate": "app",
    "auth": "app",
    "links": "app",
    "map_view": "app",
    "mujun_cache": "app",
    "alerts_ui": "app",
    "scenario_panel": "app",
    "serve": "app",
    "warmup": "app",
    "replicas": "app",
    "fit": "app",
    "clipboard": "app",
    # generators
    "sample": "gen",
    "scale": "gen",
}
# imports across the rule that are known and allowed (module, imported module): reason
EXCEPTIONS = {
    ("zone", "indicators"): "a new zone's 指标目录 table is written from the indicator registry",
    ("ingest", "targets"): "an imported 年度目标 table is checked against the indicator registry",
}
PY_DIRS = ("cockpit", "pages", "tests", "bench", "tools", "deploy")
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".toml",
    ".ini",
    ".cfg",
    ".txt",
    ".sh",
    ".service",
    ".timer",
    ".conf",
    ".env",
    ".yml",
    ".yaml",
    ".json",
    ".sql",
}


def flat_modules(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "cockpit").glob("*.py") if p.stem != "__init__")


def imports_of(path: Path, modules) -> tuple[set[str], bool]:
    """The cockpit modules a file imports (anywhere in it, lazily too) and whether it imports Streamlit."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, streamlit = set(), False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                streamlit |= parts[0] == "streamlit"
                if parts[0] == "cockpit":
                    found |= {p for p in parts[1:] if p in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            streamlit |= parts[0] == "streamlit"
            if parts[0] == "cockpit":
                inner = [p for p in parts[1:] if p in modules]
                found |= set(inner) if inner else {a.name for a in node.names if a.name in modules}
    return found, streamlit


def assign(root: Path) -> dict[str, str]:
    """Module → layer: LAYER, else by the rule (Streamlit → app; else the highest layer it imports, ≥ domain)."""
    modules = flat_modules(root)
    graph = {m: imports_of(root / "cockpit" / f"{m}.py", modules) for m in modules}
    layer = {m: LAYER[m] for m in modules if m in LAYER}
    for _ in range(len(modules) + 1):
        for m in modules:
            if m in LAYER:
                continue
            deps, st = graph[m]
            if st:
                layer[m] = "app"
                continue
            ranks = [ORDER.index(layer.get(d, "domain")) for d in deps] + [ORDER.index("domain")]
            layer[m] = ORDER[min(max(ranks), ORDER.index("app"))]
    return layer


def _rewrite_from_cockpit(source: str, layer: dict[str, str]) -> str:
    """`from cockpit import a, b as c` → one `from cockpit.<layer> import …` per layer (same indentation)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cockpit" and node.level == 0:
            by_layer: dict[str, list[str]] = {}
            for a in node.names:
                where = layer.get(a.name)
                text = a.name + (f" as {a.asname}" if a.asname else "")
                by_layer.setdefault(where or "", []).append(text)
            indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
            comment = lines[node.end_lineno - 1][node.end_col_offset :].rstrip("\n")  # a trailing lint directive
            new = []
            for where in sorted(by_layer, key=lambda w: ORDER.index(w) if w in ORDER else -1):
                pkg = f"cockpit.{where}" if where else "cockpit"
                new.append(f"{indent}from {pkg} import {', '.join(by_layer[where])}{comment}\n")
            edits.append((node.lineno, node.end_lineno, "".join(new)))
    for start, end, text in sorted(edits, reverse=True):
        lines[start - 1 : end] = [text]
    return "".join(lines)


def _rewrite_text(text: str, layer: dict[str, str]) -> str:
    names = "|".join(sorted(layer, key=len, reverse=True))

    def from_cockpit(m: re.Match) -> str:  # `from cockpit import a, b` in a string (a child's -c code), in docs
        where = {layer.get(n.split(" as ")[0].strip()) for n in m.group(1).split(",")}
        return (
            f"from cockpit.{where.pop()} import {m.group(1)}" if len(where) == 1 and None not in where else m.group(0)
        )

    text = re.sub(r"\bfrom cockpit import ([a-z_]+(?: as [a-z_]+)?(?:, *[a-z_]+(?: as [a-z_]+)?)*)", from_cockpit, text)
    text = re.sub(rf"\bcockpit\.({names})\b", lambda m: f"cockpit.{layer[m.group(1)]}.{m.group(1)}", text)
    text = re.sub(rf"\bcockpit/({names})\.py\b", lambda m: f"cockpit/{layer[m.group(1)]}/{m.group(1)}.py", text)
    return text


def _tracked(root: Path) -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    paths = [root / p for p in out.splitlines()]
    return [p for p in paths if p.is_file() and (p.suffix in TEXT_SUFFIXES or p.name in ("Makefile",))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--dry-run", action="store_true", help="print the layer of each module and stop")
    ap.add_argument("--no-format", action="store_true", help="skip ruff (import order and format)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    layer = assign(root)
    for where in ORDER:
        print(f"{where:7s}", " ".join(m for m in sorted(layer) if layer[m] == where))
    if args.dry_run:
        return 0

    # 1. move (git mv keeps the history), one package per layer
    for where in sorted(set(layer.values())):
        pkg = root / "cockpit" / where
        pkg.mkdir(exist_ok=True)
        init = pkg / "__init__.py"
        if not init.exists():
            init.write_text(
                f'"""cockpit.{where}: see tools/restructure.py for what this layer holds."""\n', encoding="utf-8"
            )
            subprocess.run(["git", "add", str(init)], cwd=root, check=True)
    for m, where in layer.items():
        subprocess.run(["git", "mv", f"cockpit/{m}.py", f"cockpit/{where}/{m}.py"], cwd=root, check=True)

    # 2. Path(__file__) in a moved module is one directory deeper
    for m, where in layer.items():
        path = root / "cockpit" / where / f"{m}.py"
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"(Path\(__file__\)(?:\.resolve\(\))?)\.parent\b", r"\1.parent.parent", text)
        if new != text:
            path.write_text(new, encoding="utf-8")

    # 3. imports and references everywhere
    for path in _tracked(root):
        text = path.read_text(encoding="utf-8")
        new = text
        if path.suffix == ".py" and (path.parent == root or path.relative_to(root).parts[0] in PY_DIRS):
            new = _rewrite_from_cockpit(new, layer)
        new = _rewrite_text(new, layer)
        if new != text:
            path.write_text(new, encoding="utf-8")

    # notes that only hold while the modules are flat
    readme = root / "README.md"
    if readme.exists():
        kept = [
            line
            for line in readme.read_text(encoding="utf-8").splitlines(keepends=True)
            if "flat-until-restructure" not in line
        ]
        readme.write_text("".join(kept), encoding="utf-8")

    # 4. import order switched on, then ruff: sort imports and format
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        text = pyproject.read_text(encoding="utf-8")
        pyproject.write_text(
            text.replace('select = ["E", "F", "W", "B"]', 'select = ["E", "F", "W", "B", "I"]'), encoding="utf-8"
        )
    makefile = root / "Makefile"
    if makefile.exists() and not args.no_format:  # formatted from now on: lint keeps it so
        text = makefile.read_text(encoding="utf-8")
        if "ruff format --check" not in text:
            text = text.replace(
                "\t$(PY) -m ruff check .\n", "\t$(PY) -m ruff check .\n\t$(PY) -m ruff format --check .\n"
            )
            makefile.write_text(text, encoding="utf-8")
    if not args.no_format:
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "--select", "I", "--fix", "-q", "."], cwd=root, check=False)
        subprocess.run([*ruff, "format", "-q", "."], cwd=root, check=False)
    print("moved", len(layer), "modules; run `make lint` and `make test-fast`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
