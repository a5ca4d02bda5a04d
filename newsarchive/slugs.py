"""Readable, stable URL slugs and ids.

Slugs are pinyin of the headline (jieba words become hyphen-separated
syllable groups), so a URL can be read aloud; a short hash keeps them unique.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .textutil import words

_UNSAFE = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 48


@lru_cache(maxsize=1 << 16)
def _part(word: str) -> str:
    """One word's pinyin as a slug part. Headlines reuse a few thousand words (3,342
    distinct in 23,288), and pypinyin costs 11 µs a call: remembered, not redone."""
    syllables = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default"))
    return _UNSAFE.sub("-", syllables.lower()).strip("-")


def pinyin_slug(
    text: str, max_len: int = MAX_SLUG, split: Callable[[str], list[str]] = words
) -> str:
    """`山西明年煤炭` → `shanxi-mingnian-meitan`; ASCII letters and digits kept.

    `split` cuts the text into the words that become hyphen-separated groups.
    """
    slug = "-".join(filter(None, map(_part, split(text))))
    slug = re.sub(r"-{2,}", "-", slug)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug.strip("-")


def article_id(source: str, fingerprint: str) -> str:
    """A 12-hex id from the raw file and the article's own text, not its neighbours."""
    return hashlib.sha1(f"{source}\x00{fingerprint}".encode()).hexdigest()[:12]


def article_slug(title: str, ident: str, digits: int = 6) -> str:
    """Pinyin of the headline plus the first `digits` of the id (more only on a clash)."""
    base = pinyin_slug(title) or "article"
    return f"{base}-{ident[:digits]}"


def slug_of_path(rel: str) -> str:
    """The slug in a content path `…/<NN>-<slug>.md`."""
    name = rel.rsplit("/", 1)[-1].removesuffix(".md")
    return name.split("-", 1)[1] if "-" in name else name
