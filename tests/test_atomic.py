"""A build killed at any moment (kill -9) leaves the previous site/ complete."""

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
