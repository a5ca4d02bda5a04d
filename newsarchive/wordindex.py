"""A bundle's word index in array operations: every word's pages and positions as CBOR.

Indexing touches every token of the archive, about 1,400 an article, and the
pure-Python cutting and grouping of tokens was the largest single cost of a
build. Here a page's folded text becomes an array of token codes in a few
numpy steps (`page_tokens`, the array form of `searchtext.tokens`); a shard's
codes are sorted once by word, page, weight and position, and the CBOR that
Pagefind 1.5.2 reads is laid out by numpy with no Python code per token
(`pagefind_format` writes the files; `tests/test_wordindex.py` checks tokens
against `searchtext.tokens` and the bytes against cbor2 and the definition).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .searchtext import HAN_RANGES, WORD

# A Han token's code is its first character << 16 | its second (0 for the last
# character of a run). Han characters are all in the BMP, so codes fit in 32 bits
# and sort as the tokens do. Other words (letters, digits) are numbered in their
# bundle, in sorted order, below the smallest Han code: they sort first, as strings do.
_HAN_CODES = 0x3400 << 16
_WORD = re.compile(WORD)
_KEY_LIMIT = 2**62  # one int64 sort key for (word, page, weight, position) when it fits
_COLUMN = np.int32  # pages, weights and positions: half the memory of int64

Piece = tuple[str, int, int]  # part of a dotted number: (word, weight × 24, position)


class PageTokens(NamedTuple):
    """A page's index tokens, in order, as `searchtext.tokens` cuts each of its texts."""

    codes: np.ndarray  # uint32: a Han token's code, or 0 where another word stands
    counts: list[int]  # tokens of each text
    words: list[tuple[int, str]]  # (token number, word) of each token that is not Han


def page_tokens(texts: Sequence[str]) -> PageTokens:
    """Cut folded texts (a page's weight runs) into tokens: Han bigrams and each run's last
    character, and whole words of letters and digits, as `searchtext.tokens` does."""
    text = "\n".join(texts)  # a line break is no token and ends a Han run
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = np.zeros(len(chars), dtype=bool)
    for low, high in HAN_RANGES:
        han |= (chars >= low) & (chars <= high)
    at = np.flatnonzero(han)  # one token starts at every Han character
    following = np.append(np.where(han[1:], chars[1:], 0), 0).astype(np.uint32)
    codes = (chars[at] << 16) | following[at]
    found = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    words: list[tuple[int, str]] = []
    if found:
        at = np.concatenate([at, np.array([start for start, _ in found], dtype=at.dtype)])
        codes = np.concatenate([codes, np.zeros(len(found), dtype=np.uint32)])
        order = np.argsort(at, kind="stable")
        at, codes = at[order], codes[order]
        words = list(zip(np.flatnonzero(codes == 0).tolist(), [w for _, w in found], strict=True))
    ends = np.cumsum([len(t) + 1 for t in texts], dtype=np.int64) - 1  # each text's separator
    counts = np.diff(np.searchsorted(at, ends), prepend=0).tolist()
    return PageTokens(codes, counts, words)


def token_text(code: int, words: Sequence[str]) -> str:
    """The token a code stands for; `words` are the bundle's other words, sorted."""
    if code < _HAN_CODES:
        return words[code]
    second = code & 0xFFFF
    return chr(code >> 16) + chr(second) if second else chr(code >> 16)


class Encoded(NamedTuple):
    """The word index of a bundle, words in Pagefind's (code point) order.

    `body[offsets[i]:offsets[i + 1]]` is the CBOR of word i's page entries,
    `[page gap, [locations], []]` each; `pages[i]` is how many there are and
    `weight[i]` the sum over them of locations + 1, Pagefind's measure for
    cutting the index into chunks.
    """

    words: list[str]
    body: np.ndarray  # uint8
    offsets: np.ndarray  # int64, len(words) + 1
    pages: np.ndarray  # int64
    weight: np.ndarray  # int64


class WordIndex:
    """Collects the token codes of a bundle's pages, in page order."""

    def __init__(self) -> None:
        self._words: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self._codes: list[np.ndarray] = []
        self._runs: list[tuple[int, int, int]] = []  # (page, weight × 24, tokens)
        self._word_at: list[tuple[int, int]] = []  # (occurrence, word id) of non-Han tokens
        self._pieces: list[tuple[int, int, int, int]] = []  # (word id, page, weight × 24, pos)
        self._pages = 0
        self._occurrences = 0

    def add(
        self,
        codes: np.ndarray,
        runs: Sequence[tuple[int, int]],
        words: Sequence[tuple[int, str]] = (),
        pieces: Sequence[Piece] = (),
    ) -> int:
        """The next page: its token codes, (weight × 24, tokens) of each run, its other
        words by token number and the parts of its dotted numbers. Returns its number."""
        number = self._pages
        self._pages += 1
        self._runs += [(number, scaled, count) for scaled, count in runs if count]
        if len(codes):
            self._codes.append(codes)
        start, ids = self._occurrences, self._words
        self._word_at += [(start + index, ids[word]) for index, word in words]
        self._pieces += [(ids[word], number, scaled, pos) for word, scaled, pos in pieces]
        self._occurrences += len(codes)
        return number

    def encode(self) -> Encoded:
        """Every word's CBOR page entries, grouped and laid out in whole-array steps."""
        if not self._codes and not self._pieces:
            empty = np.zeros(0, dtype=np.int64)
            return Encoded([], np.zeros(0, dtype=np.uint8), np.zeros(1, np.int64), empty, empty)
        words = sorted(self._words)
        rank = np.zeros(len(words), dtype=np.int64)  # word id -> its code: its sorted place
        rank[[self._words[w] for w in words]] = np.arange(len(words))
        code, page, scaled, pos = self._columns(rank)
        sort = _sort(code, page, scaled, pos)
        code, page, scaled, pos = code[sort], page[sort], scaled[sort], pos[sort]
        del sort
        return _lay_out(words, code, page, scaled, pos)

    def _columns(self, rank: np.ndarray) -> tuple[np.ndarray, ...]:
        """(code, page, weight × 24, position) of every occurrence, in page order."""
        runs = np.array(self._runs or [(0, 0, 0)], dtype=np.int64).reshape(-1, 3)
        code = np.concatenate(self._codes) if self._codes else np.zeros(0, dtype=np.uint32)
        code = code.astype(np.int64)
        if self._word_at:
            at, ids = np.array(self._word_at, dtype=np.int64).T
            code[at] = rank[ids]
        page = np.repeat(runs[:, 0], runs[:, 2]).astype(_COLUMN)
        scaled = np.repeat(runs[:, 1], runs[:, 2]).astype(_COLUMN)
        length = np.bincount(page, minlength=self._pages)  # tokens per page
        first = np.cumsum(length) - length
        pos = (np.arange(len(code)) - first[page]).astype(_COLUMN)
        if self._pieces:
            extra = np.array(self._pieces, dtype=np.int64)
            code = np.concatenate([code, rank[extra[:, 0]]])
            page = np.concatenate([page, extra[:, 1].astype(_COLUMN)])
            scaled = np.concatenate([scaled, extra[:, 2].astype(_COLUMN)])
            pos = np.concatenate([pos, extra[:, 3].astype(_COLUMN)])
        return code, page, scaled, pos


def _sort(word: np.ndarray, page: np.ndarray, scaled: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The order of occurrences by word, page, weight and position."""
    levels = np.unique(scaled[_starts(scaled)])  # a handful: one per run, not per occurrence
    level = np.searchsorted(levels, scaled)
    sizes = [int(word.max()) + 1, int(page.max()) + 1, len(levels), int(pos.max()) + 1]
    if sizes[0] * sizes[1] * sizes[2] * sizes[3] < _KEY_LIMIT:
        key = word * sizes[1] + page
        key = ((key * sizes[2]) + level) * sizes[3] + pos
        return np.argsort(key)  # equal keys are identical occurrences: any order will do
    return np.lexsort((pos, level, page, word))


def _lay_out(
    words: list[str], word: np.ndarray, page: np.ndarray, scaled: np.ndarray, pos: np.ndarray
) -> Encoded:
    """CBOR of sorted occurrences (`word` holds codes): per word and page `[gap, [locs…], []]`.

    A page's locations are its weight groups, lightest first, each
    -(weight×24 + 1) and then the first position and the gaps to the next.
    Each occurrence writes, in order: `[3-array, gap, n-array` if it opens a
    page entry, -(weight×24 + 1) if it opens a weight group, its own value,
    and `[]]` if it closes the entry; so its bytes are found by a running sum.
    """
    n = len(word)
    new_word = _starts(word)
    new_page = new_word | _starts(page)
    new_group = new_page | _starts(scaled)
    closes = np.append(new_page[1:], True)
    value = pos - np.where(new_group, 0, np.roll(pos, 1))  # first position, then gaps
    opens = np.flatnonzero(new_page)
    gap = page[opens] - np.where(new_word[opens], 0, page[opens - 1])  # page number, then gaps
    in_page = np.cumsum(1 + new_group, dtype=np.int64)  # locations so far, by occurrence
    locations = np.diff(in_page[np.append(opens[1:] - 1, n - 1)], prepend=0)
    groups = np.flatnonzero(new_group)

    page_head = np.zeros(n, dtype=np.int8)
    page_head[opens] = 1 + head_lengths(gap) + head_lengths(locations)
    group_head = np.zeros(n, dtype=np.int8)
    group_head[groups] = head_lengths(scaled[groups])
    size = page_head + group_head + head_lengths(value) + closes
    end = np.cumsum(size, dtype=np.int64)
    first = end - size
    body = np.empty(int(end[-1]), dtype=np.uint8)
    body[first[opens]] = 0x83  # an array of 3: gap, locations, meta locations
    put_heads(body, first[opens] + 1, 0, gap)
    put_heads(body, first[opens] + 1 + head_lengths(gap), 4, locations)
    put_heads(body, first[groups] + page_head[groups], 1, scaled[groups])  # -(s + 1)
    put_heads(body, first + page_head + group_head, 0, value)
    body[end[closes] - 1] = 0x80  # the empty array of meta locations

    word_starts = np.flatnonzero(new_word)
    offsets = np.append(first[word_starts], len(body))
    owner = np.cumsum(new_word)[opens] - 1  # the word of each page entry
    pages = np.bincount(owner, minlength=len(word_starts))
    weight = np.bincount(owner, weights=locations + 1, minlength=len(word_starts))
    present = [token_text(code, words) for code in word[word_starts].tolist()]
    return Encoded(present, body, offsets, pages.astype(np.int64), weight.astype(np.int64))


def _starts(column: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before it (and at the first)."""
    out = np.empty(len(column), dtype=bool)
    if len(column):
        out[0] = True
        np.not_equal(column[1:], column[:-1], out=out[1:])
    return out


def head_lengths(argument: np.ndarray) -> np.ndarray:
    """Bytes of each CBOR head with this argument (≥ 0) in its shortest form."""
    length = np.ones(len(argument), dtype=np.int8)
    for limit, more in ((24, 1), (0x100, 1), (0x10000, 2), (0x100000000, 4)):
        length[argument >= limit] += more
    return length


def put_heads(out: np.ndarray, at: np.ndarray, major: int, argument: np.ndarray) -> None:
    """Write CBOR heads of one major type at the byte offsets `at`.

    An int n ≥ 0 is major 0 with argument n, a negative one major 1 with
    argument -1 - n; an array of n items starts with major 4, argument n.
    """
    length = head_lengths(argument)
    extra = np.minimum(argument, 23).astype(np.uint8)
    for size, code in ((2, 24), (3, 25), (5, 26), (9, 27)):
        extra[length == size] = code
    out[at] = (major << 5) | extra
    for size in (2, 3, 5, 9):
        chosen = np.flatnonzero(length == size)
        if not len(chosen):
            continue
        where, values = at[chosen], argument[chosen].astype(np.int64)
        for k in range(1, size):  # the argument's bytes, big-endian
            out[where + k] = (values >> (8 * (size - 1 - k))) & 0xFF
