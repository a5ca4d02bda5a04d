"""Two builds of the same input are byte-identical, search index included.

The builds run in separate processes with different PYTHONHASHSEED values
(so set or dict-of-str ordering cannot hide), into different folders, with
SOURCE_DATE_EPOCH set. The content manifest (content/.newsarchive.json) is
compared too: it is committed with content/. The site's manifest, the stamps
beside the content manifest and the caches are build state, not output: they
record input file stamps, so they are left out of the comparison.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.archive import INGEST_ROWS
from newsarchive.incremental import LOAD_CACHE, SITE_MANIFEST
from newsarchive.search import CACHE_FILE
from newsarchive.store import STAMPS_NAME

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


# Pagefind 1.x writes its filter and metadata indexes from a hash map, so their
# byte order (and so their content-hash names) varies from run to run; the
# maintainer says so in Pagefind/pagefind#638. Their *content* must still match:
# those files are compared as order-free multisets of their decompressed bytes.
_UNORDERED = (".pf_filter", ".pf_meta")


def _tree(root: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or path.name in (
            SITE_MANIFEST,
            STAMPS_NAME,
            CACHE_FILE,
            LOAD_CACHE,
            INGEST_ROWS,  # caches: they hold file mtimes
        ):
            continue
        if rel.startswith("pagefind/") and rel.endswith(_UNORDERED):
            if rel.endswith(".pf_meta"):
                continue  # names the filter files by their (order-dependent) hashes
            group = rel.rsplit("/", 1)[0]
            data = bytes(sorted(gzip.decompress(path.read_bytes())))
            bucket = out.setdefault(f"pagefind unordered {group}", [])
            assert isinstance(bucket, list)
            bucket.append(hashlib.sha256(data).hexdigest())
            bucket.sort()
        elif rel.startswith("pagefind/") and rel.endswith("/pagefind-entry.json"):
            entry = json.loads(path.read_text(encoding="utf-8"))
            for language in entry.get("languages", {}).values():
                language.pop("hash", None)  # names the metadata file above
            out[rel] = entry
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _build(tmp: Path, raw: Path, seed: str) -> Path:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
    cmd = [sys.executable, str(REPO / "build.py"), "--config", str(REPO / "archive.yaml")]
    cmd += ["--raw", str(raw), "--content", str(tmp / "content"), "--site", str(tmp / "site")]
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return tmp


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("determinism")
    raw = tmp / "raw"
    shutil.copytree(REPO / "raw", raw)
    return _build(tmp / "one", raw, "1"), _build(tmp / "two", raw, "2")


def _differ(one: dict[str, object], two: dict[str, object]) -> list[str]:
    return sorted(p for p in one.keys() | two.keys() if one.get(p) != two.get(p))


def test_two_builds_write_identical_content_and_pages(two_builds: tuple[Path, Path]) -> None:
    one, two = two_builds
    assert _tree(one / "content") == _tree(two / "content")
    site_one, site_two = _tree(one / "site"), _tree(two / "site")
    pages = [p for p in _differ(site_one, site_two) if not p.startswith("pagefind")]
    assert not pages, pages[:20]
    assert len(site_one) > 100


def test_two_builds_write_the_same_search_index(two_builds: tuple[Path, Path]) -> None:
    one, two = two_builds
    site_one, site_two = _tree(one / "site"), _tree(two / "site")
    assert any(p.endswith("/pagefind-entry.json") for p in site_one)
    index = [p for p in _differ(site_one, site_two) if p.startswith("pagefind")]
    assert not index, index
