"""URL slugs of names (topics, papers, people) and raw folder names, remembered in content/.

A name's slug is the pinyin of its words as jieba's own dictionary cuts them
(slugs.pinyin_slug over textutil.name_words), the same in every process. Every
render needs the slug of every name in the archive, but making one needs pypinyin
and jieba, 0.4 s to load before the first page, and 0.2 s more for 10,000 names.
Ingest has both loaded anyway: it writes the slug of each name and folder it meets
to content/NAME_SLUGS, and a render whose names ingest has seen loads neither.
A name ingest never saw (typed into a content file by hand, or met before the code
changed) is slugged as before, and the render adds it to the memo (`keep`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path

from .store import atomic_write

NAME_SLUGS = ".newsarchive-names.json"  # in content/: {"key": …, "slugs": {text: slug}}
_SLUG_LEN = 40

_known: dict[str, str] = {}  # text -> pinyin slug, for this process
_made: set[str] = set()  # texts this process slugged itself (not recalled)


@cache
def memo_key() -> str:
    """What a remembered slug depends on: the code that makes it and the libraries' data."""
    here = Path(__file__).parent
    h = hashlib.sha1()
    for name in ("names.py", "slugs.py", "textutil.py"):
        h.update((here / name).read_bytes())
    for package in ("pypinyin", "rjieba"):
        h.update(metadata.version(package).encode())
    return h.hexdigest()


def _pinyin(text: str) -> str:
    from .slugs import pinyin_slug  # pypinyin and jieba: loaded only when needed
    from .textutil import name_words

    return pinyin_slug(text, max_len=_SLUG_LEN, split=name_words)


def _slug(text: str) -> str:
    slug = _known.get(text)
    if slug is None:
        slug = _known[text] = _pinyin(text)
        _made.add(text)
    return slug


def name_slug(name: str) -> str:
    """Pinyin slug of a topic, paper or person: `张秀丽` → `zhang-xiuli`."""
    return _slug(name) or "x"


def part_slug(part: str) -> str:
    """Slug of one folder or file name of a raw page's path (a paper, a date, a page)."""
    return _slug(part) or re.sub(r"[^a-z0-9]+", "-", part.lower())


def _remembered(content_dir: Path) -> dict[str, str]:
    """content_dir's memo; empty when missing, unreadable or made by other code."""
    try:
        data = json.loads((content_dir / NAME_SLUGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    slugs = data.get("slugs") if isinstance(data, dict) else None
    if not isinstance(slugs, dict) or data.get("key") != memo_key():
        return {}
    return {k: v for k, v in slugs.items() if isinstance(k, str) and isinstance(v, str)}


def recall(content_dir: Path) -> None:
    """Take in the slugs ingest remembered in content_dir (when made by this code)."""
    for text, slug in _remembered(content_dir).items():
        _known.setdefault(text, slug)


def remember(content_dir: Path, texts: Iterable[str]) -> None:
    """Add the slugs of these names and folder names to content_dir's memo (ingest).

    The file is rewritten only when it gains a name, and never left half-written.
    """
    wanted = {text for text in texts if text}
    if not wanted:  # an ingest that wrote nothing
        return
    kept = _remembered(content_dir)
    new = {text: _slug(text) for text in wanted if text not in kept}
    if new:
        body = {"key": memo_key(), "slugs": dict(sorted({**kept, **new}.items()))}
        atomic_write(
            content_dir / NAME_SLUGS, json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        )


def keep(content_dir: Path) -> None:
    """Add the slugs this process had to make to content_dir's memo (render).

    Without it, names ingest met before a change of the code or of pypinyin
    would be slugged again by every later render. The memo is a cache, so a
    content folder that cannot be written is no error.
    """
    with suppress(OSError):
        remember(content_dir, _made)
    _made.clear()


def names_of(source: str, topics: Iterable[str], byline: Iterable[str], paper: str) -> list[str]:
    """Every text of one article whose slug a render needs."""
    return [*source.rsplit(".", 1)[0].split("/"), *topics, *byline, paper]
