"""Shared text helpers: the segmenter and OpenCC, loaded once, lazily (both are slow to start).

Words are cut by jieba-rs (the `rjieba` binding): the same dictionary and the
same DAG + HMM algorithm as Python jieba, so the same words, about twenty
times faster (jieba was three quarters of ingest time). Where the two differ,
in runs of Latin letters and punctuation (`www.ctctc.cn`), we split as jieba
does; `tests/test_textutil.py` checks both give the same words on the sample
and generated pages. Python jieba stays for its IDF table and dictionary
frequencies, both read here from jieba's own files rather than through
`jieba.analyse` and `jieba.initialize`, which also build tables we do not use
(the part-of-speech tables, the prefix table): 0.4 s each that a rebuild of one
page would otherwise spend.
"""

from __future__ import annotations

import heapq
import importlib.util
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import rjieba


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s), for matching and search, never for storage."""
    return _opencc("t2s").convert(text)


_JIEBA_HAN = re.compile(r"[\u4e00-\u9fd5]")  # what Python jieba treats as Han
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # how it splits other runs
_OTHER = r"[^\sa-zA-Z0-9\u4e00-\u9fd5]"
_MIXED = re.compile(rf"[a-zA-Z0-9]{_OTHER}|{_OTHER}[a-zA-Z0-9]")
# Words of two or more characters, none of them Han, in a NUL-joined list of words.
_NON_HAN_WORDS = re.compile(r"(?:^|(?<=\0))[^\0\u4e00-\u9fd5]{2,}(?=\0|$)")


@cache
def _segmenter() -> rjieba.Jieba:
    return rjieba.Jieba()


@cache
def _plain_segmenter() -> rjieba.Jieba:
    """A second segmenter that add_words never teaches (24 MB): see name_words."""
    return rjieba.Jieba()


def cut(text: str, segmenter: rjieba.Jieba | None = None) -> list[str]:
    """jieba words of the text (precise mode, HMM on), blanks included."""
    cut = (segmenter if segmenter is not None else _segmenter()).cut(text, True)
    if not _MIXED.search(text):  # only letters or digits next to other symbols can differ
        return cut
    if "\0" not in text:  # the common case: every word without Han is one jieba keeps whole
        joined = "\0".join(cut)
        if all(_JIEBA_SKIP.fullmatch(w) for w in _NON_HAN_WORDS.findall(joined)):
            return cut
    out: list[str] = []
    for word in cut:
        if len(word) > 1 and not _JIEBA_HAN.search(word) and not _JIEBA_SKIP.fullmatch(word):
            out.extend(part for part in _JIEBA_SKIP.split(word) if part)
        else:
            out.append(word)
    return out


def words(text: str, segmenter: rjieba.Jieba | None = None) -> list[str]:
    """jieba words of the text (precise mode), without blanks."""
    return list(filter(str.strip, cut(text, segmenter)))


def name_words(text: str) -> list[str]:
    """Words by jieba's own dictionary alone, never the taxonomy's words add_words teaches.

    For the slugs of names and folders, which every render makes afresh: they must
    come out the same whether or not this process ingested (and so taught) first,
    or a topic's URL would change with the command that built the site.
    """
    return words(text, _plain_segmenter())


# jieba.analyse's KeywordExtractor.STOP_WORDS (tests/test_segmenter.py checks they agree).
_STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it "  # noqa: SIM905
    "this then at have all not one has or".split()
)


@cache
def _tfidf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median, read as jieba.analyse.TFIDF reads them."""
    fields = (_jieba_dir() / "analyse" / "idf.txt").read_bytes().decode("utf-8").split()
    idf = dict(zip(fields[0::2], map(float, fields[1::2]), strict=True))  # "word idf" lines
    return idf, sorted(idf.values())[len(idf) // 2]


def keywords_of(counts: Counter[str], top: int = 8) -> list[str]:
    """TF-IDF keywords from words already cut and counted, weighted as
    `jieba.analyse.extract_tags` does (only the distinct words are scored).

    Ingest cuts each article once, counts its words once, and derives topics and
    keywords from those counts, so the two can never disagree on what a word is.
    """
    idf, median = _tfidf()
    wanted = 4 * top  # the best few, of which short and stop words are dropped
    # Four in five distinct words occur once, and a word seen once weighs at most the
    # highest IDF: when `wanted` repeated words already weigh more, the singles cannot
    # place, and their IDF lookups (most of this function's time) are skipped.
    repeated = list(itertools.compress(counts, map((1).__lt__, counts.values())))
    best = heapq.nsmallest(wanted, _scored(repeated, counts, idf, median))
    if len(best) < wanted or -best[-1][0] <= _idf_ceiling():
        best = heapq.nsmallest(wanted, _scored(counts, counts, idf, median))
    kept = [w for _, w in best if _keyword_like(w)]
    if len(kept) >= top or len(counts) <= wanted:
        return kept[:top]
    scored = _scored(counts, counts, idf, median)  # too few survived: filter them all
    return [w for _, w in heapq.nsmallest(top, (s for s in scored if _keyword_like(s[1])))]


def _scored(
    words: Iterable[str], counts: Counter[str], idf: dict[str, float], median: float
) -> list[tuple[float, str]]:
    """(−weight, word) for each word, weight = count × IDF, in C loops."""
    words = list(words)
    weights = map(
        operator.mul, map(counts.__getitem__, words), map(idf.get, words, itertools.repeat(median))
    )
    return list(zip(map(operator.neg, weights), words, strict=True))


@cache
def _idf_ceiling() -> float:
    """The highest weight a word seen once can have (unknown words get the median)."""
    idf, median = _tfidf()
    return max(max(idf.values(), default=median), median)


def _keyword_like(word: str) -> bool:
    """What extract_tags keeps: two or more characters once stripped, not a stop word."""
    return len(word.strip()) >= 2 and word.lower() not in _STOP_WORDS


@cache
def _dictionary() -> dict[str, int]:
    """jieba's dictionary, word → frequency, read from its dict.txt: the figures
    jieba.dt.FREQ holds, without the prefix table jieba builds around them (0.45 s of
    every ingest, a twentieth of a one-page rebuild)."""
    text = (_jieba_dir() / "dict.txt").read_bytes().decode("utf-8")
    fields = text.split()
    counts = fields[1::3]
    # "word freq tag" on every line (as jieba ships it): read in C loops.
    if len(fields) == 3 * len(text.splitlines()) and all(map(str.isdigit, counts)):
        return dict(zip(fields[0::3], map(int, counts), strict=True))
    freq: dict[str, int] = {}
    for line in text.splitlines():  # a dictionary with some tags left out
        word, count = line.split(" ", 2)[:2]
        freq[word] = int(count)
    return freq


@cache
def _jieba_dir() -> Path:
    """Where Python jieba's data files are, without importing it (0.1 s: pkg_resources)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed: its dictionary files are needed")
    return Path(spec.origin).parent


def warm_up() -> None:
    """Load the dictionaries now, in the parent, so forked workers share one copy."""
    _dictionary()
    _segmenter()
    _tfidf()


def best_freq(candidates: Iterable[str]) -> int:
    """How common the commonest candidate is in jieba's dictionary (0 when none is a word)."""
    return max(map(_dictionary().get, candidates, itertools.repeat(0)), default=0)


def keyword_set(text: str, top: int = 20) -> set[str]:
    """Salient words of a text, for telling which article a stray block belongs to.

    `jieba.analyse.extract_tags` over our own cut: the same weights and order.
    """
    idf, median = _tfidf()
    freq: dict[str, float] = {}
    for w in cut(to_simplified(text)):
        if _keyword_like(w):
            freq[w] = freq.get(w, 0.0) + 1.0
    total = sum(freq.values())
    for w in freq:
        freq[w] *= idf.get(w, median) / total
    return set(sorted(freq, key=freq.__getitem__, reverse=True)[:top])


def add_words(vocabulary: tuple[str, ...]) -> None:
    """Teach the segmenter words it must keep whole (the topic keywords of the site config)."""
    segmenter = _segmenter()
    for word in vocabulary:
        if not segmenter.has_word(word):
            segmenter.add_word(word, None, None)
