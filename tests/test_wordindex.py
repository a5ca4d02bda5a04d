"""The array-built word index against cbor2 and against the definition of Pagefind's lists.

`tests/test_pagefind_format.py` compares whole bundles with the Pagefind
binary on the sample pages; here hypothesis draws many small bundles,
including dotted numbers, repeated words, weights that collide and both
sort paths, and every word's bytes are decoded and checked.
"""

from __future__ import annotations

import itertools
from unittest import mock

import cbor2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive import wordindex
from newsarchive.pagefind_format import IndexPage, _chunk_bytes, _chunks, _text, page_words
from newsarchive.searchtext import tokens
from newsarchive.wordindex import WordIndex, page_tokens, put_heads, token_text


def _cbor_ints(values: list[int]) -> bytes:
    """A CBOR array of ints written by put_heads."""
    array = np.array(values, dtype=np.int64)
    negative = array < 0
    argument = np.where(negative, -1 - array, array)
    lengths = wordindex.head_lengths(argument).astype(np.int64)
    at = np.cumsum(lengths) - lengths
    out = np.zeros(int(lengths.sum()), dtype=np.uint8)
    for major, chosen in ((0, ~negative), (1, negative)):
        put_heads(out, at[chosen], major, argument[chosen])
    head = np.zeros(9, dtype=np.uint8)
    size = int(wordindex.head_lengths(np.array([len(values)]))[0])
    put_heads(head, np.array([0]), 4, np.array([len(values)]))
    return head[:size].tobytes() + out.tobytes()


@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=300), st.text())
def test_heads_are_what_cbor2_writes(values: list[int], word: str) -> None:
    assert _cbor_ints(values) == cbor2.dumps(values)
    assert _text(word) == cbor2.dumps(word)


def _plain_locations(runs: list[tuple[float, list[str]]]) -> dict[str, list[int]]:
    """A page's location lists by their definition: positions grouped by weight, lightest
    first, each group -(weight × 24 + 1), the first position, then gaps; a dotted number
    joined, and its parts of two or more characters at its position sharing its weight."""
    found: dict[str, dict[int, list[int]]] = {}
    position = 0
    for weight, words in runs:
        scaled = round(weight * 24)
        for word in words:
            pieces = [p for p in word.split(".") if len(p) > 1] if "." in word else []
            for piece in pieces:
                found.setdefault(piece, {}).setdefault(scaled // len(pieces), []).append(position)
            found.setdefault(word.replace(".", ""), {}).setdefault(scaled, []).append(position)
            position += 1
    out: dict[str, list[int]] = {}
    for word, by_weight in found.items():
        locs: list[int] = []
        for scaled in sorted(by_weight):
            positions = sorted(by_weight[scaled])
            locs += [-(scaled + 1), positions[0]]
            locs += [b - a for a, b in itertools.pairwise(positions)]
        out[word] = locs
    return out


# Folded text as pages give it: Han (with repeats, a traditional-range character and
# extension A), numbers with dots, letters, spaces, punctuation, a line break, an emoji.
_TEXT = st.text(alphabet="报告工作民生亿元㐀豈12.5ax。， \n😀", max_size=60)
_WEIGHTS = st.sampled_from([1.0, 2.0, 8.0, 0.5, 10.0, 0.0, 7.0])
_PAGE = st.lists(st.tuples(_WEIGHTS, _TEXT), max_size=5)


@given(st.lists(_TEXT, max_size=5))
def test_page_tokens_cut_as_searchtext_does(texts: list[str]) -> None:
    cut = page_tokens(texts)
    others = dict(cut.words)
    got = [others[i] if code == 0 else token_text(code, []) for i, code in enumerate(cut.codes)]
    assert got == [token for text in texts for token in tokens(text)]
    assert cut.counts == [len(tokens(text)) for text in texts]
    assert all(cut.codes[i] == 0 for i in others)


@pytest.mark.parametrize("key_limit", [wordindex._KEY_LIMIT, 0], ids=["one-key", "lexsort"])
@given(st.lists(_PAGE, max_size=12))
def test_every_word_lists_its_pages_and_locations(key_limit: int, pages: list) -> None:
    index = WordIndex()
    expected: dict[str, dict[int, list[int]]] = {}
    for number, runs in enumerate(pages):
        codes, counts, words, pieces = page_words(IndexPage(f"/{number}/", runs))
        assert index.add(np.frombuffer(codes, dtype=np.uint32), counts, words, pieces) == number
        cut = [(weight, tokens(text)) for weight, text in runs]
        for word, locs in _plain_locations(cut).items():
            expected.setdefault(word, {})[number] = locs
    with mock.patch.object(wordindex, "_KEY_LIMIT", key_limit):
        encoded = index.encode()
    assert encoded.words == sorted(expected)
    chunks = _chunks(encoded)
    assert [i for chunk in chunks for i in chunk] == list(range(len(encoded.words)))
    decoded = {}
    for chunk in chunks:
        (entries,) = cbor2.loads(_chunk_bytes(encoded, chunk))
        decoded.update({word: page_list for word, page_list, _meta in entries})
    for i, word in enumerate(encoded.words):
        numbers = list(itertools.accumulate(gap for gap, _, _ in decoded[word]))
        assert numbers == sorted(expected[word])
        assert [locs for _, locs, _ in decoded[word]] == [expected[word][n] for n in numbers]
        assert all(meta == [] for _, _, meta in decoded[word])
        assert encoded.pages[i] == len(numbers)
        assert encoded.weight[i] == sum(len(locs) + 1 for locs in expected[word].values())


def test_chunks_close_where_pagefind_closes_them() -> None:
    """Pagefind starts a new chunk once a chunk holds 20,000 locations or more."""
    index = WordIndex()
    for number in range(30):
        text = " ".join([f"w{number:02}"] * 999)  # 1,000 locations a word
        codes, counts, words, pieces = page_words(IndexPage(f"/{number}/", [(1.0, text)]))
        index.add(np.frombuffer(codes, dtype=np.uint32), counts, words, pieces)
    chunks = _chunks(index.encode())
    assert [len(chunk) for chunk in chunks] == [20, 10]
