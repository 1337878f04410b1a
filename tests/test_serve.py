"""`python -m cockpit.serve`: the preload that runs while the server starts."""

from cockpit import memo, serve, ui


def test_preload_opens_the_data_and_fills_the_caches(tmp_path, monkeypatch):
    """Test that the preload opens the working data and leaves the filter-bar queries and a chart spec in the
    memo, so the first session finds them, and that it never raises (a broken data dir is the session's
    business)."""
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path / "data"))
    memo.clear()
    serve.preload()
    assert (tmp_path / "data" / "enterprise_month.parquet").exists()  # working dir made from the sample
    before = len(memo._cache)
    assert before >= 4
    periods = ui.q("data_periods")
    assert len(memo._cache) == before and len(periods) >= 1  # served from the memo
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(blocker / "data"))
    serve.preload()  # cannot make the working dir there: no exception
    memo.clear()


def test_serve_runs_streamlit_on_the_app(monkeypatch):
    """Test that main() hands `streamlit run app.py <options>` to Streamlit's CLI."""
    import sys

    from streamlit.web import cli

    seen = {}
    monkeypatch.setattr(serve, "preload", lambda: None)
    monkeypatch.setattr(cli, "main", lambda: seen.setdefault("argv", list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["x"])
    serve.main(["--server.port", "9"])
    assert seen["argv"] == ["streamlit", "run", str(serve.APP), "--server.port", "9"]
