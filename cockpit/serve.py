"""Start the app: `python -m cockpit.serve [streamlit options]` is `streamlit run app.py [options]` plus a preload.

A fresh process spends ~2 s importing pandas, pyarrow, DuckDB and Altair and ~0.5 s more opening the data and
loading the Vega-Lite schema — on the first visitor's clock, because Streamlit runs nothing before a session
connects. Here a background thread does that work while the server itself starts, so the first page is drawn
sooner (cold start is measured by `make bench`). Nothing the preload does is required: if it fails or has not
finished, the first session does the same work itself.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def preload() -> None:
    """Import the heavy libraries, open the database and build one chart spec (loads the schema validator)."""
    import logging

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    try:
        import pandas as pd

        from cockpit import charts, ui

        charts.spec(charts.ranked_bars, pd.DataFrame({"c": ["甲"], "v": [1.0], "l": [""]}),
                    category="c", value="v", title="", unit="", label="l")
        for name in ("data_periods", "sectors", "areas"):
            ui.q(name)
    except Exception:  # noqa: BLE001 - the first session meets (and shows) any real problem itself
        pass


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=preload, name="cockpit-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
