"""Search-side text processing, mirrored line for line by assets/search.js.

Pagefind's extended build segments the index with jieba but (since 1.5) the
query with the browser's Intl.Segmenter; when the two disagree a word on the
page cannot be found. So we segment both sides ourselves, the same way:

- `fold` maps every character to one canonical form, one character for one
  character: traditional → simplified (a table generated from OpenCC), full-width
  ASCII → ASCII, upper → lower case. Because it never changes the length, an
  offset in the folded text is an offset in the original, which is how the
  browser highlights the reader's real (possibly traditional) text.
- `tokens` turns each run of Han characters into overlapping bigrams plus its
  last character, and keeps runs of letters and digits whole. Any substring of
  two or more Han characters is then a run of consecutive bigrams, so exact
  (quoted) Pagefind search finds every page that contains it, with no
  dictionary on either side.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import numpy as np

# CJK Unified Ideographs, extension A and the compatibility block: what OpenCC converts,
# and what every module means by a Han character (HAN: the same, for a regex class).
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
HAN = "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_RANGES)
WORD = r"[0-9a-z]+(?:\.[0-9]+)*"  # a token of letters and digits (folded: lower case)
_TOKEN = re.compile(rf"[{HAN}]+|{WORD}")
_HAN = re.compile(rf"[{HAN}]")


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """Traditional → simplified, one character each, as OpenCC's t2s converts them alone."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for lo, hi in HAN_RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            out = t2s.convert(ch)
            # One BMP character only: the browser counts UTF-16 units, and offsets must agree.
            if out != ch and len(out) == 1 and ord(out) < 0x10000:
                table[ch] = out
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    trans = {ord(k): v for k, v in fold_table().items()}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII, common in OCR'd numbers
        trans[code] = chr(code - 0xFEE0)
    trans[0x130] = "i"  # İ: the one character whose lower case is two (i + a combining dot)
    return trans


_CAPITAL_SIGMA = 0x3A3  # its lower case depends on its neighbours: see fold


def fold(text: str) -> str:
    """Canonical form of text, character for character (same length as the input).

    `_fold_plain` is the definition; this looks every character up in a table of
    the whole BMP with numpy, a fifth of its time (the index folds every page).
    A character beyond the BMP, or a capital sigma (lower case `σ` or `ς` by its
    neighbours), sends the text the plain way.
    """
    if not text:
        return text
    try:
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate: never in text read as UTF-8
        return _fold_plain(text)
    if chars.max() > 0xFFFF or (chars == _CAPITAL_SIGMA).any():
        return _fold_plain(text)
    return _fold_codes()[chars].tobytes().decode("utf-32-le")


def _fold_plain(text: str) -> str:
    return text.translate(_translation()).lower()


@lru_cache(maxsize=1)
def _fold_codes() -> np.ndarray:
    """`_fold_plain` of every BMP character alone, as a lookup table of code points."""
    every = "".join(map(chr, range(0x10000)))
    folded = _fold_plain(every)
    if len(folded) != len(every):  # a character folded to two: do them one by one
        folded = "".join(c if len(c := _fold_plain(ch)) == 1 else ch for ch in every)
    return np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


def load_fold_table() -> None:
    """Build fold's table now, in the parent, so forked workers share one copy."""
    _fold_codes()


def tokens(text: str, query: bool = False) -> list[str]:
    """Tokens of folded text: Han bigrams (+ each run's last character when indexing), words.

    The index keeps the last character of a run alone so that a one-character
    query, matched as a prefix, also finds a character that ends a run; a query
    leaves it out so that its bigrams stay consecutive for phrase search. The index
    cuts pages with `wordindex.page_tokens`, this cut in array form: change both
    (tests/test_wordindex.py compares them).
    """
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        run = m.group()
        if not _HAN.match(run):
            out.append(run)
            continue
        out.extend(map(str.__add__, run[:-1], run[1:]))  # bigrams, without a Python loop
        if len(run) == 1 or not query:
            out.append(run[-1])
    return out


def fold_table_json() -> str:
    """The fold table for the browser: one string of (traditional, simplified) pairs."""
    return json.dumps("".join(k + v for k, v in sorted(fold_table().items())), ensure_ascii=False)
