"""Shared text helpers: jieba and OpenCC loaded once, lazily, because both are slow to start."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from functools import cache

import jieba
import jieba.analyse

jieba.setLogLevel(logging.WARNING)


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s), for matching and search, never for storage."""
    return _opencc("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Simplified → traditional (OpenCC s2t)."""
    return _opencc("s2t").convert(text)


def words(text: str) -> list[str]:
    """jieba words of the text (precise mode), without blanks."""
    return [w for w in jieba.lcut(text) if w.strip()]


def search_words(text: str) -> list[str]:
    """jieba search-mode words: long words plus their shorter parts."""
    return [w for w in jieba.lcut_for_search(text) if w.strip()]


def keywords(text: str, top: int = 8) -> list[str]:
    """The most salient words of a text (TF-IDF over jieba's dictionary)."""
    return keywords_of(words(text), top)


def keywords_of(tokens: Iterable[str], top: int = 8) -> list[str]:
    """TF-IDF keywords from words already cut, weighted as `jieba.analyse.extract_tags` does.

    Ingest cuts each article once and derives topics and keywords from the same
    words: jieba is most of ingest's time, so cutting twice would double it.
    """
    tfidf = jieba.analyse.default_tfidf
    stop = tfidf.stop_words
    freq = Counter(w for w in tokens if len(w.strip()) >= 2 and w.lower() not in stop)
    idf, median = tfidf.idf_freq, tfidf.median_idf
    ranked = sorted(freq, key=lambda w: (-freq[w] * idf.get(w, median), w))
    return ranked[:top]


def dictionary_freq(word: str) -> int:
    """How common a word is in jieba's dictionary (0 when it is not a word there)."""
    jieba.initialize()
    return int(jieba.dt.FREQ.get(word, 0) or 0)


def keyword_set(text: str, top: int = 20) -> set[str]:
    """Salient words of a text, for telling which article a stray block belongs to."""
    return set(jieba.analyse.extract_tags(to_simplified(text), topK=top))


def add_words(vocabulary: tuple[str, ...]) -> None:
    """Teach jieba words it must keep whole (the topic keywords of the site config)."""
    for word in vocabulary:
        if word not in jieba.dt.FREQ or not jieba.dt.FREQ[word]:
            jieba.add_word(word)
