"""Which files of the raw folder are pages, in what order, and which sidecar each has."""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.sources import find_pages


def test_pages_sidecars_and_order(tmp_path: Path) -> None:
    for rel in [
        "a/01.txt",
        "a/01.yaml",  # sidecar by stem
        "a/02.TXT",  # suffixes in any case
        "a/02.TXT.yml",  # sidecar by full name
        "a/.hidden.txt",  # hidden file
        ".drafts/x.txt",  # hidden folder
        "b/c/03.md",
        "b/c/03.yml",
        "b/c/03.yaml",  # .yaml is looked for before .yml
        "d.txt/04.txt",  # a folder named like a page is not one
        "e/05.txt.json",  # not a page suffix
        "z.txt",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "a/01.txt", tmp_path / "b/link.txt")  # a link to a page is a page
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "b/broken.txt")  # a broken link is not

    pages = list(find_pages(tmp_path))

    found = [(p.source, p.sidecar and p.sidecar.relative_to(tmp_path).as_posix()) for p in pages]
    assert found == [
        ("a/01.txt", "a/01.yaml"),
        ("a/02.TXT", "a/02.TXT.yml"),
        ("b/c/03.md", "b/c/03.yaml"),
        ("b/link.txt", None),
        ("d.txt/04.txt", None),
        ("z.txt", None),
    ]
    assert all(p.path == tmp_path / p.source for p in pages)
