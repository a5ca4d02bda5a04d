"""The benchmark's page generator must be deterministic and prefix-stable.

Benchmark sizes are compared with each other only if the small corpus is a prefix of
the large one and every run of the same size sees the same bytes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "make_pages.py"
_spec = importlib.util.spec_from_file_location("make_pages", BENCH)
assert _spec and _spec.loader
make_pages = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_pages", make_pages)  # dataclasses look their module up here
_spec.loader.exec_module(make_pages)

SEEDS = make_pages.DEFAULT_SEEDS
if not list(Path("/").glob(SEEDS.lstrip("/"))):
    SEEDS = make_pages.FALLBACK_SEEDS
PAGE_PATH = re.compile(r"^[^/]+/\d{4}-\d{2}-\d{2}/\d{2}\.txt$")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.txt"))}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("pages")
    out = {}
    for name, n, seed in (("a20", 20, 7), ("b20", 20, 7), ("c40", 40, 7), ("d20", 20, 8)):
        make_pages.generate(n, seed, str(base / name), SEEDS)
        out[name] = base / name
    return out


def test_same_seed_same_bytes(corpora: dict[str, Path]) -> None:
    a, b = _files(corpora["a20"]), _files(corpora["b20"])
    assert a == b
    assert (corpora["a20"] / "manifest.json").read_bytes() == (
        corpora["b20"] / "manifest.json"
    ).read_bytes()
    assert _files(corpora["d20"]) != a


def test_small_corpus_is_prefix_of_large(corpora: dict[str, Path]) -> None:
    small, large = _files(corpora["a20"]), _files(corpora["c40"])
    assert len(small) == 20 and len(large) == 40
    assert all(large.get(path) == text for path, text in small.items())
    m20 = json.loads((corpora["a20"] / "manifest.json").read_text(encoding="utf-8"))
    m40 = json.loads((corpora["c40"] / "manifest.json").read_text(encoding="utf-8"))
    assert m40["by_page"][:20] == m20["by_page"]


def test_layout_and_manifest(corpora: dict[str, Path]) -> None:
    root = corpora["c40"]
    files = _files(root)
    assert all(PAGE_PATH.match(p) for p in files), sorted(files)[:5]
    m = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert m["pages"] == 40 == len(m["by_page"])
    assert m["articles"] == sum(len(p["titles"]) for p in m["by_page"])
    assert set(files) == {p["path"] for p in m["by_page"]}
    issues: dict[str, list[int]] = {}
    for path in files:
        issue, page = path.rsplit("/", 1)
        issues.setdefault(issue, []).append(int(page[:2]))
    # every issue but the last (cut off by --pages) is numbered 01..NN without gaps
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in issues.values())
    assert len(issues) == m["paper_days"]
    for page in m["by_page"]:
        assert 3 <= len(page["titles"]) <= 9
        text = files[page["path"]].decode("utf-8")
        assert "\n\n" in text
        for title in page["titles"]:
            if title is not None:
                assert 4 <= len(title) <= 28
                assert title in text
    lo, hi = m["date_range"]
    assert "1950-01-01" <= lo <= hi <= "2025-12-31"
