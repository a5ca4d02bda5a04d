"""The build, as a flat list of steps: check, ingest, load, render, index, publish.

Heavy stages (jieba, Pagefind) are imported only when a step runs, so a
build with nothing to do finishes in the time it takes to stat the inputs.
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from . import names
from .config import Config
from .incremental import (
    ASSETS_DIR,
    LOAD_CACHE,
    TEMPLATES_DIR,
    SiteOutput,
    SiteState,
    base_key,
    build_fingerprint,
)
from .parallel import without_cycle_collector
from .report import Report
from .store import Manifest, edited_files
from .swap import clean_stale, discard, publish, staging_dir, take_spare


@contextmanager
def _timed(report: Report, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.timings[step] = report.timings.get(step, 0.0) + time.perf_counter() - start


def up_to_date(
    config: Config, report: Report, with_index: bool = True, state: SiteState | None = None
) -> bool:
    """True (and the report filled from the last build) when no input changed since it.

    `state` is site/'s manifest when the caller has read it already (one parse of a
    file that lists every page is 0.3 s at 64,000 articles).
    """
    with _timed(report, "check"):
        state = state if state is not None else SiteState.load(config.site_dir)
        if not state.fingerprint or (with_index and not state.indexed):
            return False
        if build_fingerprint(config, base_key(config, TEMPLATES_DIR, ASSETS_DIR)) != (
            state.fingerprint
        ):
            return False
        manifest = Manifest.load(config.content_dir)
    for record in manifest.sources.values():
        report.pages_read += 1 if record.digest else 0
        report.pages_skipped_unchanged += 1 if record.digest else 0
        report.articles_unchanged += len(record.files)
        report.edits_kept.extend(edited_files(record, config.content_dir))
    _replay(report, state, state.problems)
    return True


def _replay(report: Report, state: SiteState, problems: list[str]) -> None:
    report.render_skipped = True
    report.html_unchanged = len(state.pages)
    for line in problems:
        where, _, reason = line.partition(": ")
        report.problem(where, reason)


def run_ingest(config: Config, report: Report, regenerate: Sequence[Path] = ()) -> None:
    from .ingest import ingest

    with _timed(report, "ingest"):
        ingest(config, report, regenerate)


def run_render(
    config: Config, report: Report, with_index: bool = True, previous: SiteState | None = None
) -> None:
    """Render (and index) into a staging folder, then swap it in as site/.

    Nothing changed since the last build (same fingerprint): nothing is done.
    Otherwise the staging folder starts as hard links to the previous site
    and only pages whose dependencies changed are rendered again. `previous` is
    site/'s manifest when the caller has read it already.
    """
    with _timed(report, "check"):
        key = base_key(config, TEMPLATES_DIR, ASSETS_DIR)
        fingerprint = build_fingerprint(config, key)
        previous = previous if previous is not None else SiteState.load(config.site_dir)
    if previous.fingerprint == fingerprint and (previous.indexed or not with_index):
        _replay(report, previous, previous.content_problems)
        return None
    from .archive import load_archive
    from .render import render_site

    before = len(report.problems)
    clean_stale(config.site_dir)
    # The site the last build replaced (see swap.py) is brought up to date in place;
    # without one, or without its manifest, staging starts empty and is linked in full.
    staged = take_spare(config.site_dir)
    reused = SiteState.load(staged) if staged is not None else None
    if staged is not None and not (reused and reused.pages and previous.pages):
        discard(staged)
        staged, reused = None, None
    staged = staged or staging_dir(config.site_dir)
    out: SiteOutput | None = None
    try:
        if not with_index:
            shutil.rmtree(staged / "pagefind", ignore_errors=True)
        # Filling the staging folder from the previous site runs beside the load.
        out = SiteOutput.from_previous(staged, config.site_dir, key, reused, previous)
        with _timed(report, "load"), without_cycle_collector():
            archive = load_archive(
                config.content_dir,
                report,
                cache=config.site_dir / LOAD_CACHE,
                save_cache=staged / LOAD_CACHE,
                key=key,
            )
        with _timed(report, "render"):
            report.html_written = render_site(config, archive, staged, out)
            report.html_unchanged = out.unchanged
            report.html_deleted = out.finish()
        names.keep(config.content_dir)  # slugs this render had to make, for the next build
        out.release()
        del archive
        gc.collect()  # return the archive's memory before the index forks its workers
        if with_index:
            from .search import index_site

            with _timed(report, "index"):
                report.indexed_pages = index_site(
                    staged,
                    previous=config.site_dir / "pagefind",
                    shard_articles=config.search_shard_articles,
                )
        out.state.fingerprint = fingerprint
        out.state.indexed = with_index
        out.state.problems = list(report.problems)
        out.state.content_problems = report.problems[before:]
        out.state.save(staged)
        publish(staged, config.site_dir)
    except BaseException:
        if out is not None:
            with suppress(Exception):
                out.wait()
        _remove(staged)
        raise


def run_index(config: Config, report: Report) -> None:
    """Rebuild only the search index of the already-rendered site (unchanged shards kept)."""
    from .search import index_site

    with _timed(report, "index"):
        report.indexed_pages = index_site(
            config.site_dir,
            previous=config.site_dir / "pagefind",
            shard_articles=config.search_shard_articles,
        )


def build(config: Config, report: Report, regenerate: Sequence[Path] = ()) -> None:
    """raw/ → content/ → site/ with its search index; nothing at all when nothing changed."""
    state = SiteState.load(config.site_dir)  # ingest does not touch site/: read it once
    if not regenerate and up_to_date(config, report, state=state):
        return None
    run_ingest(config, report, regenerate)
    run_render(config, report, previous=state)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
