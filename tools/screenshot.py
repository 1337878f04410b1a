"""Screenshot pages of the app in headless Chromium, as a leader would see them.

    .venv/bin/python tools/screenshot.py "?year=2023&month=1—12月" [more paths…] [--out screenshots]

Starts `streamlit run` on a free port (or uses --url), opens each path, waits for the script to finish and
writes a full-page PNG per path into --out.
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--url", help="an already running app (default: start one)")
    ap.add_argument("--out", default="screenshots")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1800)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server = nullcontext(args.url) if args.url else streamlit_server()
    with server as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, locale="zh-CN")
        for path in args.paths:
            page.goto(f"{base}/{path.lstrip('/')}")
            wait_for_app(page)
            page.wait_for_timeout(800)  # let Vega finish drawing
            name = re.sub(r"[^\w.-]+", "_", path).strip("_") or "root"
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            errors = page.locator("[data-testid=stException]").count()
            print(f"{target}  exceptions={errors}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
