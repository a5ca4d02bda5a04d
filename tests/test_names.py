"""Slugs of names remembered by ingest (names.py): the same URLs, without pypinyin or jieba."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_rebuild import RAW, REPO, make_project

from newsarchive import names
from newsarchive.config import Config
from newsarchive.incremental import SiteState
from newsarchive.pipeline import run_ingest, up_to_date
from newsarchive.report import Report

# Loads the archive and every slug a render needs, then says which libraries it loaded.
PROBE = """
import json, sys
from pathlib import Path
from newsarchive.archive import load_archive
from newsarchive.report import Report
archive = load_archive(Path(sys.argv[1]), Report())
slugs = {k: getattr(archive, k + "_slugs") for k in ("topic", "paper", "person")}
slugs["page"] = {s: v.slug for s, v in archive.pages.items()}
loaded = sorted(m for m in ("pypinyin", "rjieba", "jieba") if m in sys.modules)
print(json.dumps({"slugs": slugs, "loaded": loaded}, ensure_ascii=False))
"""


def probe(content: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(content)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = make_project(tmp_path_factory.mktemp("names"))
    run_ingest(config, Report())
    return config


def test_render_after_ingest_loads_no_segmenter_and_gets_the_same_slugs(ingested: Config) -> None:
    memo = ingested.content_dir / names.NAME_SLUGS
    remembered = probe(ingested.content_dir)
    assert remembered["loaded"] == []
    assert remembered["slugs"]["person"] and remembered["slugs"]["page"]
    saved = memo.read_bytes()
    memo.unlink()
    try:
        computed = probe(ingested.content_dir)
    finally:
        memo.write_bytes(saved)
    assert "pypinyin" in computed["loaded"]  # the probe can tell
    assert remembered["slugs"] == computed["slugs"]


def test_a_memo_from_other_code_is_ignored(ingested: Config, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    name = "司马不知名"  # in no sample page, so not yet slugged in this process
    stale = {"key": "made by other code", "slugs": {name: "wrong"}}
    (content / names.NAME_SLUGS).write_text(json.dumps(stale, ensure_ascii=False))
    names.recall(content)
    assert name not in names._known
    names.remember(content, [name])
    data = json.loads((content / names.NAME_SLUGS).read_text(encoding="utf-8"))
    assert data == {"key": names.memo_key(), "slugs": {name: names._pinyin(name)}}
    assert data["slugs"][name].startswith("sima")


def test_a_name_typed_into_a_content_file_is_slugged_all_the_same(ingested: Config) -> None:
    path = sorted(ingested.content_dir.rglob("*.md"))[0]
    original = path.read_text(encoding="utf-8")
    edited = re.sub(r"^byline: \[(.*)\]$", r"byline: [欧阳修, \1]", original, count=1, flags=re.M)
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    try:
        result = probe(ingested.content_dir)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result["slugs"]["person"]["欧阳修"] == "ouyangxiu"
    assert "pypinyin" in result["loaded"]


@pytest.mark.parametrize("text", ["[1, 2]", '"slugs"', "{", '{"key": 1, "slugs": []}'])
def test_a_broken_memo_is_ignored_and_replaced(tmp_path: Path, text: str) -> None:
    (tmp_path / names.NAME_SLUGS).write_text(text, encoding="utf-8")
    names.recall(tmp_path)  # no error: the slugs are made afresh
    names.remember(tmp_path, ["诸葛不知名"])
    data = json.loads((tmp_path / names.NAME_SLUGS).read_text(encoding="utf-8"))
    assert data["key"] == names.memo_key() and data["slugs"]["诸葛不知名"].startswith("zhuge")


def test_a_render_after_the_code_changed_fills_the_memo_and_the_next_build_has_nothing_to_do(
    tmp_path: Path,
) -> None:
    """A memo written by other code (an upgrade) is refilled by the next render, once."""
    config = make_project(tmp_path, pages=[sorted(p.name for p in RAW.glob("*.txt"))[0]])
    run_ingest(config, Report())
    memo = config.content_dir / names.NAME_SLUGS
    memo.write_text(json.dumps({"key": "made by other code", "slugs": {}}), encoding="utf-8")
    paths = ["--raw", config.raw_dir, "--content", config.content_dir, "--site", config.site_dir]
    render = [sys.executable, "build.py", "render", *map(str, paths)]
    subprocess.run(render, cwd=REPO, check=True, capture_output=True)
    data = json.loads(memo.read_text(encoding="utf-8"))
    assert data["key"] == names.memo_key()
    loaded = probe(config.content_dir)
    assert loaded["loaded"] == []  # every name the render needs is in the memo now
    assert loaded["slugs"]["person"]
    state = SiteState.load(config.site_dir)
    report = Report()
    assert up_to_date(config, report, with_index=False), "writing the memo changed nothing"
    assert state.fingerprint
