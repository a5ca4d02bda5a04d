"""A build killed at any moment (kill -9) leaves the previous site/ complete, and an ingest
stopped part-way is carried on by the next, every file it wrote still known as its own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_rebuild import REPO, make_project

from newsarchive.incremental import SITE_MANIFEST, SiteState
from newsarchive.report import Report
from newsarchive.store import Manifest

pytestmark = pytest.mark.slow


def _command(config) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        sys.executable,
        str(REPO / "build.py"),
        "--config",
        str(REPO / "archive.yaml"),
        "--raw",
        str(config.raw_dir),
        "--content",
        str(config.content_dir),
        "--site",
        str(config.site_dir),
    ]


def assert_complete(site: Path) -> None:
    """Every page the site's manifest lists is there in full, and nothing else."""
    state = SiteState.load(site)
    assert state.pages, f"{site / SITE_MANIFEST} missing or empty"
    html = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert html == set(state.pages)
    for rel in html:
        assert (site / rel).read_text(encoding="utf-8").rstrip().endswith("</html>"), rel
    for rel in state.files:
        assert (site / rel).is_file(), rel
    assert (site / "assets").is_dir()
    if state.indexed:  # the shard list and every bundle it names
        listing = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
        for shard in listing["shards"]:
            assert (site / "pagefind" / "shards" / shard["key"] / "pagefind.js").is_file()


def test_kill_9_at_any_moment_leaves_the_previous_site_complete(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    subprocess.run(_command(config), check=True, capture_output=True)
    assert_complete(config.site_dir)
    pages = sorted(config.raw_dir.glob("*.txt"))
    for n, delay in enumerate((0.2, 0.6, 1.0, 1.6, 2.4, 3.5, 5.0)):
        raw = pages[n % len(pages)]
        raw.write_text(
            raw.read_text(encoding="utf-8") + f"\n\n本报讯 第{n}次补充的简讯。\n",
            encoding="utf-8",
        )
        proc = subprocess.Popen(
            _command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert_complete(config.site_dir)
    # and the next build finishes, cleaning up what the killed ones left behind
    done = subprocess.run(_command(config), capture_output=True, text=True, check=True)
    assert "files skipped or with problems: 0" in done.stdout
    assert_complete(config.site_dir)
    assert not list(tmp_path.glob(".site-new-*"))


def test_a_failing_render_leaves_the_site_and_no_staging_folder(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsarchive import pipeline

    config = make_project(tmp_path)
    pipeline.run_ingest(config, Report())
    pipeline.run_render(config, Report(), with_index=False)
    before = {p: p.read_bytes() for p in config.site_dir.rglob("*") if p.is_file()}
    (config.content_dir / "x.md").write_text("---\nid: x\ntitle: 新\n---\n\n正文\n", "utf-8")

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("newsarchive.render.copy_assets", boom)
    with pytest.raises(RuntimeError):
        pipeline.run_render(config, Report(), with_index=False)
    assert {p: p.read_bytes() for p in config.site_dir.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".site-new-*"))


def _content(config) -> dict[str, str]:  # type: ignore[no-untyped-def]
    root = config.content_dir
    return {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in root.rglob("*.md")}


def _stop_after_writes(monkeypatch, count: int, stop: BaseException) -> None:  # type: ignore[no-untyped-def]
    """Make ingest stop right after its `count`-th content file is on disk, before it can
    note the file down: the worst moment for Ctrl-C, a full disk or kill -9."""
    from newsarchive import ingest as ingest_module

    real, written = ingest_module.atomic_write, []

    def write_then_stop(path: Path, text: str) -> None:
        real(path, text)
        written.append(path)
        if len(written) == count:
            raise stop

    monkeypatch.setattr(ingest_module, "atomic_write", write_then_stop)


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_a_first_ingest_stopped_part_way_is_finished_by_the_next(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch, stop: BaseException
) -> None:
    from newsarchive.pipeline import run_ingest

    whole = make_project(tmp_path / "whole")
    run_ingest(whole, Report())
    config = make_project(tmp_path / "stopped")
    with monkeypatch.context() as patch:
        _stop_after_writes(patch, 7, stop)
        with pytest.raises(type(stop)):
            run_ingest(config, Report())
    assert 0 < len(_content(config)) < len(_content(whole))
    again = Report()
    run_ingest(config, again)
    assert again.problems == [] and again.edits_kept == []
    assert _content(config) == _content(whole)
    assert _noted(config) == _noted(whole)


def _noted(config) -> dict[str, tuple[str, dict[str, str], list[str]]]:  # type: ignore[no-untyped-def]
    """What the manifest knows of each raw page, but for the times of day in its stamps."""
    sources = Manifest.load(config.content_dir).sources
    return {src: (rec.digest, rec.files, rec.leftovers) for src, rec in sources.items()}


def test_a_reingest_stopped_part_way_takes_none_of_its_files_for_hand_edits(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch
) -> None:
    """The raw pages changed, so ingest rewrites files it wrote before; stopped between
    rewriting one and noting its new text, the old note must not make it a hand edit."""
    from newsarchive.pipeline import run_ingest

    def change_every_page(config) -> None:  # type: ignore[no-untyped-def]
        for raw in config.raw_dir.glob("*.txt"):
            raw.write_text(raw.read_text("utf-8").replace("发展", "进展"), "utf-8")

    config = make_project(tmp_path / "stopped")
    run_ingest(config, Report())
    change_every_page(config)
    with monkeypatch.context() as patch:
        _stop_after_writes(patch, 5, KeyboardInterrupt())
        with pytest.raises(KeyboardInterrupt):
            run_ingest(config, Report())
    again = Report()
    run_ingest(config, again)
    assert again.problems == [] and again.edits_kept == []
    fresh = make_project(tmp_path / "fresh")
    change_every_page(fresh)
    run_ingest(fresh, Report())
    assert _content(config) == _content(fresh)
