"""Long steps report progress; short ones stay quiet."""

import io
import sys
from pathlib import Path

from newsarchive.config import load_config
from newsarchive.pipeline import run_ingest
from newsarchive.progress import Progress
from newsarchive.report import Report

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))


def test_progress_prints_counts_for_long_steps_only() -> None:
    out = io.StringIO()
    long = Progress("render", 500, "pages", stream=out, interval=0.0, min_total=200)
    for _ in range(500):
        long.tick()
    long.done()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("render: 1/500 pages") and lines[-1].startswith("render: 500/500")
    quiet = io.StringIO()
    short = Progress("render", 20, "pages", stream=quiet, interval=0.0, min_total=200)
    for _ in range(20):
        short.tick()
    short.done()
    assert quiet.getvalue() == ""


def test_ingest_of_many_pages_shows_progress(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from make_pages import main as make_pages

    make_pages(["--pages", "210", "--seed", "3", "--out", str(tmp_path / "raw")])
    config = load_config(REPO / "archive.yaml").with_paths(
        raw_dir=tmp_path / "raw", content_dir=tmp_path / "content", site_dir=tmp_path / "site"
    )
    run_ingest(config, Report())
    assert "ingest: 210/210 pages" in capsys.readouterr().err
