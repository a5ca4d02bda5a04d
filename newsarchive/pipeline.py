"""The build, as a flat list of steps: ingest, load, render, index, publish."""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from .archive import Archive, load_archive
from .config import Config
from .ingest import ingest
from .render import render_site
from .report import Report
from .search import index_site
from .swap import clean_stale, publish, staging_dir


@contextmanager
def _timed(report: Report, step: str):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    yield
    report.timings[step] = report.timings.get(step, 0.0) + time.perf_counter() - start


def run_ingest(config: Config, report: Report) -> None:
    with _timed(report, "ingest"):
        ingest(config, report)


def run_render(config: Config, report: Report, with_index: bool = True) -> Archive:
    """Render (and index) into a staging folder, then swap it in as site/."""
    with _timed(report, "load"):
        archive = load_archive(config.content_dir, report)
    clean_stale(config.site_dir)
    staged = staging_dir(config.site_dir)
    try:
        with _timed(report, "render"):
            report.html_written = render_site(config, archive, staged)
        if with_index:
            with _timed(report, "index"):
                report.indexed_pages = index_site(staged)
        publish(staged, config.site_dir)
    except BaseException:
        _remove(staged)
        raise
    return archive


def run_index(site_dir: Path, report: Report) -> None:
    """Rebuild only the search index of an already-rendered site."""
    with _timed(report, "index"):
        report.indexed_pages = index_site(site_dir)


def build(config: Config, report: Report) -> Archive:
    """raw/ → content/ → site/ with its search index."""
    run_ingest(config, report)
    return run_render(config, report)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
