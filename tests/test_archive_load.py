"""Loading content/ through the load cache gives the same archive as parsing every file.

The cache (LOAD_CACHE in site/) spares re-parsing unchanged front matter; a
file whose size or mtime moved is parsed again, and a broken file is never
cached, so its problem is reported on every build. Ingest hands the load the
rows of the files it wrote (INGEST_ROWS in content/), which must be exactly
what parsing those files gives.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from newsarchive.archive import (
    INGEST_ROWS,
    Entry,
    _parse_row,
    _read_ingest_rows,
    load_archive,
)
from newsarchive.config import load_config
from newsarchive.incremental import LOAD_CACHE
from newsarchive.ingest import ingest
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


def _ingested(tmp_path: Path) -> Path:
    config = load_config(REPO / "archive.yaml").with_paths(
        raw_dir=REPO / "raw", content_dir=tmp_path / "content", site_dir=tmp_path / "site"
    )
    ingest(config, Report())
    return config.content_dir


def _rows(content: Path) -> tuple[str, dict[str, list[object]]]:
    head, *lines = (content / INGEST_ROWS).read_text(encoding="utf-8").splitlines()
    return head, {rel: [stamp, row] for rel, stamp, row in map(json.loads, lines)}


def test_ingest_rows_are_what_parsing_the_sample_files_gives(tmp_path: Path) -> None:
    content = _ingested(tmp_path)
    rows = _read_ingest_rows(content)  # what the load reads: also checks the rows are current
    files = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))
    assert sorted(rows) == files
    for rel, (stamp, row) in rows.items():
        path = content / rel
        assert stamp == f"{path.stat().st_size}:{path.stat().st_mtime_ns}"
        assert row == _parse_row((str(path), rel))[0], rel

    with_rows = load_archive(content, Report())
    (content / INGEST_ROWS).unlink()
    parsed = load_archive(content, Report())
    assert [_fields(a) for a in with_rows.articles] == [_fields(a) for a in parsed.articles]
    assert [a.file for a in with_rows.articles] == [a.file for a in parsed.articles]


def test_load_takes_ingest_rows_only_for_untouched_files_and_current_code(
    tmp_path: Path,
) -> None:
    content = _ingested(tmp_path)
    head, rows = _rows(content)
    first, second = sorted(rows)[:2]
    for rel in (first, second):
        rows[rel][1][2] = "行里的标题"  # the title field: seen only if the row is used
    lines = [head] + [json.dumps([rel, *rest], ensure_ascii=False) for rel, rest in rows.items()]
    (content / INGEST_ROWS).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def title(archive_: object, rel: str) -> str:
        return next(a.title for a in archive_.articles if a.file == str(content / rel))  # type: ignore[attr-defined]

    os.utime(content / second, ns=(1, 1))  # touched after ingest: parsed again
    archive = load_archive(content, Report())
    assert title(archive, first) == "行里的标题"
    assert title(archive, second) != "行里的标题"

    stale = json.dumps({**json.loads(head), "key": "older code"})
    (content / INGEST_ROWS).write_text("\n".join([stale, *lines[1:]]) + "\n", encoding="utf-8")
    assert title(load_archive(content, Report()), first) != "行里的标题"


def test_an_ingest_that_writes_nothing_keeps_the_rows(tmp_path: Path) -> None:
    content = _ingested(tmp_path)
    before = (content / INGEST_ROWS).stat()
    _ingested(tmp_path)
    after = (content / INGEST_ROWS).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not [p for p in content.iterdir() if ".tmp" in p.name]
