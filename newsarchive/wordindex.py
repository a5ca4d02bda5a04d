"""A bundle's word index in array operations: every word's pages and positions as CBOR.

Indexing touches every token of the archive, about 1,400 an article, and the
pure-Python grouping of positions per word and page was the largest single
cost of a build. Here a shard's tokens become integer arrays as pages arrive
(one C-level dict lookup per token); at the end one sort groups them by word,
page, weight and position, and the CBOR that Pagefind 1.5.2 reads is laid out
by numpy with no Python code per token (`pagefind_format` writes the files;
`tests/test_wordindex.py` checks the bytes against cbor2 and the definition).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

# A weight run of a page: (weight × 24, its tokens in order). Dotted numbers are
# already joined; their pieces come separately as (word, weight × 24, position).
Run = tuple[int, Sequence[str]]
Piece = tuple[str, int, int]

_KEY_LIMIT = 2**62  # one int64 sort key for (word, page, weight, position) when it fits
_COLUMN = np.int32  # word ids, pages, weights and positions: half the memory of int64


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
    """Collects the tokens of a bundle's pages, in page order, as integers."""

    def __init__(self) -> None:
        self._vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self._ids: list[np.ndarray] = []
        self._runs: list[tuple[int, int, int, int]] = []  # (page, weight×24, first position, n)
        self._pieces: list[tuple[int, int, int, int]] = []  # (word id, page, weight×24, pos)
        self._pages = 0

    def add(self, runs: Sequence[Run], pieces: Sequence[Piece] = ()) -> int:
        """The next page's weight runs; returns its page number."""
        number = self._pages
        self._pages += 1
        start, count = 0, 0
        for scaled, tokens in runs:
            if tokens:
                self._runs.append((number, scaled, start, len(tokens)))
                count += len(tokens)
            start += len(tokens)
        if count:
            chained = itertools.chain.from_iterable(tokens for _, tokens in runs)
            ids = map(self._vocab.__getitem__, chained)
            self._ids.append(np.fromiter(ids, dtype=_COLUMN, count=count))
        for word, scaled, position in pieces:
            self._pieces.append((self._vocab[word], number, scaled, position))
        return number

    def encode(self) -> Encoded:
        """Every word's CBOR page entries, grouped and laid out in whole-array steps."""
        words = list(self._vocab)  # in id order
        if not self._ids and not self._pieces:
            empty = np.zeros(0, dtype=np.int64)
            return Encoded([], np.zeros(0, dtype=np.uint8), np.zeros(1, np.int64), empty, empty)
        ids, page, scaled, pos = self._columns()
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.empty(len(words), dtype=_COLUMN)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(words), dtype=_COLUMN)
        word = rank[ids]
        del ids
        sort = _sort(word, page, scaled, pos)
        word, page, scaled, pos = word[sort], page[sort], scaled[sort], pos[sort]
        del sort
        return _lay_out([words[i] for i in order], word, page, scaled, pos)

    def _columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(word id, page, weight×24, position) of every occurrence, in page order."""
        runs = np.array(self._runs or [(0, 0, 0, 0)], dtype=_COLUMN).reshape(-1, 4)
        lengths = runs[:, 3]
        ids = np.concatenate(self._ids) if self._ids else np.zeros(0, dtype=_COLUMN)
        page = np.repeat(runs[:, 0], lengths)
        scaled = np.repeat(runs[:, 1], lengths)
        firsts = np.cumsum(lengths, dtype=np.int64) - lengths  # where each run starts
        pos = np.arange(len(ids)) - np.repeat(firsts - runs[:, 2], lengths)
        pos = pos.astype(_COLUMN)  # a position on one page
        if self._pieces:
            extra = np.array(self._pieces, dtype=_COLUMN)
            ids = np.concatenate([ids, extra[:, 0]])
            page = np.concatenate([page, extra[:, 1]])
            scaled = np.concatenate([scaled, extra[:, 2]])
            pos = np.concatenate([pos, extra[:, 3]])
        return ids, page, scaled, pos


def _sort(word: np.ndarray, page: np.ndarray, scaled: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The order of occurrences by word, page, weight and position."""
    levels = np.unique(scaled[_starts(scaled)])  # a handful: one per run, not per occurrence
    level = np.searchsorted(levels, scaled)
    sizes = [int(word.max()) + 1, int(page.max()) + 1, len(levels), int(pos.max()) + 1]
    if sizes[0] * sizes[1] * sizes[2] * sizes[3] < _KEY_LIMIT:
        key = word.astype(np.int64) * sizes[1] + page
        key = ((key * sizes[2]) + level) * sizes[3] + pos
        return np.argsort(key)  # equal keys are identical occurrences: any order will do
    return np.lexsort((pos, level, page, word))


def _lay_out(
    words: list[str], word: np.ndarray, page: np.ndarray, scaled: np.ndarray, pos: np.ndarray
) -> Encoded:
    """CBOR of sorted occurrences: per word and page `[gap, [locs…], []]`.

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
    present = [words[i] for i in word[word_starts].tolist()]
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
