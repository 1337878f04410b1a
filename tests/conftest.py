import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _restore_main_module():
    """AppTest runs app.py as `__main__` (Streamlit's script runner replaces sys.modules["__main__"]) and leaves it
    there; a multiprocessing "spawn" child started later in the same pytest process would then re-run app.py and die.
    Put pytest's own main module back after each test."""
    yield
    sys.modules["__main__"] = _MAIN


def copy_data_dir(source: Path, target: Path) -> Path:
    """A copy of a data directory another connection may be using: the files without the state database's
    write-ahead log, then the database through SQLite's online backup (a closing connection deletes the -wal and
    -shm files, so a plain copytree could list them and then not find them, and could copy a half-checkpointed
    database)."""
    import shutil
    import sqlite3
    from contextlib import closing

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("state.sqlite*"))
    if (source / "state.sqlite").exists():
        with (
            closing(sqlite3.connect(source / "state.sqlite")) as live,
            closing(sqlite3.connect(target / "state.sqlite")) as copy,
        ):
            live.backup(copy)
    return target


def pytest_configure(config):
    """Run the app (AppTest and the browser's server) on a throwaway working copy of the sample."""
    import os
    import tempfile

    os.environ.setdefault("COCKPIT_VALIDATE_CHARTS", "1")  # every chart a test draws is schema-checked
    os.environ.setdefault("COCKPIT_COLLECTOR", "0")  # no idle-time gc passes here: tests/test_collector.py drives them
    if "COCKPIT_DATA_DIR" not in os.environ:
        os.environ["COCKPIT_DATA_DIR"] = tempfile.mkdtemp(prefix="cockpit-test-data-")


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    """A Database over the hand-made tiny dataset."""
    import tiny

    from cockpit.data.db import Database

    return Database(tiny.write(tmp_path_factory.mktemp("tiny")))


@pytest.fixture(scope="session")
def real_db():
    """A Database over the shipped sample data."""
    from cockpit.data.db import DEFAULT_DATA_DIR, Database

    return Database(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def app_url():
    """A running `streamlit run app.py` on the shipped data."""
    from browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def pytest_collection_modifyitems(config, items):
    """Mark tests by what they need, so a small change can run the fast lane:
    `pytest -m "not browser and not apptest and not bench"` (pure functions and queries).
    browser = uses Chromium (the `page`/`chromium`/`app_url` fixtures); apptest = drives the app with
    Streamlit's AppTest; bench = the benchmark smoke run."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"page", "chromium", "app_url"}:
            item.add_marker(pytest.mark.browser)
        source = getattr(item.module, "__file__", "") or ""
        if source and "AppTest" in Path(source).read_text(encoding="utf-8"):
            item.add_marker(pytest.mark.apptest)
        if Path(source).name == "test_bench.py":
            item.add_marker(pytest.mark.bench)
