"""Loading content/ through the load cache gives the same archive as parsing every file.

The cache (LOAD_CACHE in site/) spares re-parsing unchanged front matter; a
file whose size or mtime moved is parsed again, and a broken file is never
cached, so its problem is reported on every build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from newsarchive.archive import Entry, load_archive
from newsarchive.incremental import LOAD_CACHE
from newsarchive.report import Report

REPO = Path(__file__).resolve().parent.parent


def _fields(entry: Entry) -> tuple[object, ...]:
    return (*(getattr(entry, f) for f in Entry.__slots__ if f != "file"), entry.body)  # type: ignore[attr-defined]


def test_cached_load_equals_a_full_parse_and_sees_edits(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    cache = tmp_path / LOAD_CACHE
    first = load_archive(content, Report(), save_cache=cache, key="k")
    again = load_archive(content, Report(), cache=cache, key="k")
    assert [_fields(a) for a in again.articles] == [_fields(a) for a in first.articles]

    path = Path(first.articles[0].file)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: 改", 1), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    edited = load_archive(content, Report(), cache=cache, key="k")
    assert edited.by_id[first.articles[0].id].title.startswith("改")
    other_key = load_archive(content, Report(), cache=cache, key="other code")
    assert [_fields(a) for a in other_key.articles] == [_fields(a) for a in edited.articles]


def test_a_broken_file_is_reported_on_every_cached_load(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    broken = next(content.rglob("*.md"))
    broken.write_text("---\ntitle: [unclosed\n---\n\nbody\n", encoding="utf-8")
    cache = tmp_path / LOAD_CACHE
    for _ in range(2):
        report = Report()
        archive = load_archive(content, report, cache=cache, save_cache=cache, key="k")
        assert any(broken.name in line for line in report.problems)
        assert all(a.file != str(broken) for a in archive.articles)
