"""Write Pagefind 1.5.2 search bundles directly, from words we have already cut.

Pagefind's binary re-reads every page as HTML, splits it into words and keeps
the whole site in memory (1 GB per 1,000 of our pages, and it cannot add to an
index). Our words are already cut (`searchtext`), so this module writes the
files Pagefind's browser code reads, in the same format the 1.5.2 binary
writes: gzip of `pagefind_dcd` + CBOR (meta, word chunks, filters) or + JSON
(one fragment per page). `tests/test_pagefind_format.py` checks the decoded
output against what the binary writes for the same pages.

The browser half (pagefind.js, the WebAssembly search) is copied from one
tiny run of the real binary (`runtime_files`), so queries are still answered
by Pagefind's own code.
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import itertools
import json
import operator
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import cbor2

from .parallel import without_cycle_collector
from .swap import new_folder

VERSION = "1.5.2"  # the Pagefind release whose format and browser files we use
LANGUAGE = "unknown"  # Pagefind's language without a stemmer: our tokens are final
_MAGIC = b"pagefind_dcd"  # Pagefind checks decompressed files start with this
_WEIGHT_SCALE = 24  # Pagefind stores data-pagefind-weight × 24 as a whole number
_CHUNK_SIZE = 20_000  # locations per word-index chunk, as Pagefind chunks
# Characters Pagefind 1.5.2 keeps inside words; its browser code reads this list.
_INCLUDE_CHARACTERS = ["_", "‿", "⁀", "⁔", "︳", "︴", "﹍", "﹎", "﹏", "＿"]
# Browser files a bundle needs; the UI files are left out (assets/search.js is our UI).
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", f"wasm.{LANGUAGE}.pagefind")


@dataclass
class IndexPage:
    """One page as search sees it: its words in order, with the weight of each run."""

    url: str
    runs: list[tuple[float, list[str]]]  # (weight, tokens) in page order
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)

    def word_count(self) -> int:
        return sum(len(tokens) for _, tokens in self.runs)


def _pack(payload: bytes) -> bytes:
    """A Pagefind data file: the magic prefix, gzipped (mtime 0: same input, same bytes).

    Level 5 writes a 2.5% larger index than level 6 in a third of the time.
    """
    return gzip.compress(_MAGIC + payload, compresslevel=5, mtime=0)


def _short_hash(data: bytes, taken: set[str], prefix: str) -> str:
    """`prefix` + the shortest hex prefix (≥ 7) of sha256(data) not already taken."""
    return _short_name(hashlib.sha256(data).hexdigest(), taken, prefix)


def _short_name(full: str, taken: set[str], prefix: str) -> str:
    length = 7
    while prefix + full[:length] in taken and length < len(full):
        length += 1
    name = prefix + full[:length]
    taken.add(name)
    return name


def _head(major: int, n: int) -> bytes:
    """A CBOR head: major type and argument, in the shortest form (as cbor2 writes it)."""
    base = major << 5
    if n < 24:
        return bytes((base | n,))
    if n < 0x100:
        return bytes((base | 24, n))
    if n < 0x10000:
        return bytes((base | 25,)) + n.to_bytes(2, "big")
    if n < 0x100000000:
        return bytes((base | 26,)) + n.to_bytes(4, "big")
    return bytes((base | 27,)) + n.to_bytes(8, "big")


def _int(n: int) -> bytes:
    return _head(0, n) if n >= 0 else _head(1, -1 - n)


_SMALL = -256  # _INTS[n - _SMALL] is the CBOR of n, for every n a location list holds
_INTS = [_int(n) for n in range(_SMALL, 0x10000)]
_ARRAYS = [_head(4, n) for n in range(0x100)]


def _array(n: int) -> bytes:
    return _ARRAYS[n] if n < 0x100 else _head(4, n)


def _ints(values: list[int]) -> bytes:
    """CBOR array of ints. Word chunks are millions of these: cbor2 spends ~0.4 µs an item
    on nested lists, a table lookup far less (checked against cbor2 in the tests)."""
    table, low = _INTS, _SMALL
    if values and low <= min(values) and max(values) < 0x10000:
        return _array(len(values)) + b"".join(map(table.__getitem__, map((-low).__add__, values)))
    return _array(len(values)) + b"".join(_int(v) for v in values)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return _head(3, len(data)) + data


def _locations(page: IndexPage) -> dict[str, tuple[bytes, int]]:
    """Each word's positions on the page, as Pagefind 1.5.2 encodes them.

    Positions are grouped by weight, lightest first; each group starts with
    -(weight × 24 + 1) and then lists its positions as gaps from the previous
    one. A dotted number (`2695.9`) is indexed joined (`26959`, which is what
    a query for it becomes) at its weight, and its parts of two or more
    characters at the same position, sharing the weight, as Pagefind does.
    Returns each word's CBOR-encoded list and its length.

    This runs once per token of the archive, so it is written for speed: most
    words of the body occur once in it, and those are found and encoded by
    C-level iteration (dict, zip, map) with no Python code per word.
    """
    runs: list[tuple[int, list[str], int]] = []  # (weight × 24, tokens, first position)
    parts: list[tuple[str, int, int]] = []  # pieces of dotted numbers: (word, weight, position)
    start = 0
    for weight, tokens in page.runs:
        scaled = round(weight * _WEIGHT_SCALE)
        if "." in "".join(tokens):
            tokens = list(tokens)
            for i, token in enumerate(tokens):
                if "." in token:
                    pieces = [piece for piece in token.split(".") if len(piece) > 1]
                    parts += [(piece, scaled // len(pieces), start + i) for piece in pieces]
                    tokens[i] = token.replace(".", "")
        if tokens:
            runs.append((scaled, tokens, start))
        start += len(tokens)
    if not runs:
        return {}
    # The run with the most tokens (the body) takes the fast path for its words that
    # occur once on the whole page; every other (word, weight, position) is grouped.
    main = max(range(len(runs)), key=lambda i: len(runs[i][1]))
    main_scaled, main_tokens, main_start = runs[main]
    once, repeated = _single_and_repeated(main_tokens, main_start)
    elsewhere = {t for i, run in enumerate(runs) if i != main for t in run[1]}
    elsewhere.update(p[0] for p in parts)
    groups: dict[str, dict[int, list[int]]] = {}
    for word in elsewhere.intersection(once):
        groups[word] = {main_scaled: [once.pop(word)]}
    encoded: dict[str, tuple[bytes, int]] = {}
    table, low = _INTS, _SMALL
    for word, positions in repeated.items():
        if word in elsewhere:
            groups.setdefault(word, {})[main_scaled] = positions
        else:  # one weight only: no grouping to do
            locs = _weight_group(main_scaled, positions)
            encoded[word] = (_ints(locs), len(locs))
    if once and main_scaled < 0xFF and max(once.values()) < 0x10000:
        pair = _ARRAYS[2] + table[-(main_scaled + 1) - low]
        encoded.update(
            zip(
                once,
                zip(
                    map(pair.__add__, map(table.__getitem__, map((-low).__add__, once.values()))),
                    itertools.repeat(2),
                ),
                strict=True,
            )
        )
    else:
        for word, position in once.items():
            groups[word] = {main_scaled: [position]}
    for i, (scaled, tokens, first) in enumerate(runs):
        if i == main:
            continue
        for position, token in enumerate(tokens, first):
            groups.setdefault(token, {}).setdefault(scaled, []).append(position)
    for word, scaled, position in parts:
        groups.setdefault(word, {}).setdefault(scaled, []).append(position)
    for word, by_weight in groups.items():
        locs = []
        for scaled, positions in sorted(by_weight.items()):
            locs += _weight_group(scaled, sorted(positions))
        encoded[word] = (_ints(locs), len(locs))
    return encoded


def _weight_group(scaled: int, positions: list[int]) -> list[int]:
    """-(weight × 24 + 1), the first position, then the gaps between ascending positions."""
    return [-(scaled + 1), positions[0], *map(operator.sub, positions[1:], positions)]


def _single_and_repeated(
    tokens: list[str], start: int
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Words that occur once (→ position) and more than once (→ positions), in C loops."""
    where = range(start, start + len(tokens))
    last = dict(zip(tokens, where, strict=True))
    if len(last) == len(tokens):
        return last, {}
    first = dict(zip(reversed(tokens), reversed(where), strict=True))
    again = set(
        itertools.compress(last, map(operator.ne, last.values(), map(first.__getitem__, last)))
    )
    repeated: dict[str, list[int]] = {word: [] for word in again}
    chosen = list(map(again.__contains__, tokens))
    lists = map(repeated.__getitem__, itertools.compress(tokens, chosen))
    collections.deque(map(list.append, lists, itertools.compress(where, chosen)), maxlen=0)
    for word in again:
        del last[word]
    return last, repeated


def _chunks(words: list[tuple[str, list]]) -> list[list[tuple[str, list]]]:
    """Split the sorted word list where Pagefind would (by number of locations)."""
    chunks: list[list[tuple[str, list]]] = []
    chunk: list[tuple[str, list]] = []
    size = 0
    for word, bucket in words:
        size += bucket[1]
        chunk.append((word, bucket))
        if size >= _CHUNK_SIZE:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Shortest distinct prefixes of the last word of a chunk and the first of the next."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _sort_order(sorts: Sequence[dict[str, str]], key: str) -> list[int]:
    """Page numbers ordered by a sort value: numerically when every value is a number."""
    values = [(i, sort[key]) for i, sort in enumerate(sorts) if key in sort]
    try:
        numbers = [(i, float(v)) for i, v in values]
    except ValueError:
        return [i for i, _ in sorted(values, key=lambda iv: (iv[1], iv[0]))]
    return [i for i, _ in sorted(numbers, key=lambda iv: (iv[1], iv[0]))]


def _chunk_bytes(chunk: list[tuple[str, list]]) -> bytes:
    """CBOR of a word chunk: [[[word, [[page gap, locs, []], ...], []], ...]]."""
    start, end = _ARRAYS[3], _ARRAYS[0]
    parts = [_ARRAYS[1], _array(len(chunk))]
    for word, bucket in chunk:
        parts += (start, _text(word), _array(len(bucket) - 2), *bucket[2:], end)
    return b"".join(parts)


class PreparedPage(NamedTuple):
    """One page ready to go into a bundle: the per-page work, done where pages are read.

    Preparing is most of the indexing time and independent for every page, so
    it runs in parallel workers and its result is parked until the page's
    shard is written.
    """

    fragment: bytes  # the gzipped fragment file
    fragment_hash: str  # sha256 of the fragment's JSON: names the file
    word_count: int
    locations: dict[str, tuple[bytes, int]]  # word -> (CBOR locations, how many)
    filters: dict[str, list[str]]
    sort: dict[str, str]
    meta_fields: tuple[str, ...]


def prepare(page: IndexPage) -> PreparedPage:
    """Everything a bundle needs from one page."""
    fragment = {
        "url": page.url,
        "content": "",  # excerpts come from the `text` meta (assets/search.js)
        "word_count": page.word_count(),
        "filters": {k: page.filters[k] for k in sorted(page.filters)},
        "meta": {k: page.meta[k] for k in sorted(page.meta)},
        "anchors": [],
    }
    data = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return PreparedPage(
        _pack(data),
        hashlib.sha256(data).hexdigest(),
        page.word_count(),
        _locations(page),
        page.filters,
        page.sort,
        tuple(sorted(page.meta)),
    )


def write_bundle(pages: Iterable[PreparedPage], out: Path, runtime: Path) -> None:
    """Write a complete Pagefind bundle for `pages` into `out` (which must not exist)."""
    with BundleWriter(out, runtime) as writer:
        for page in pages:
            writer.add(page)


class BundleWriter:
    """Writes one Pagefind bundle page by page, so pages can arrive while others are read.

    Files go into a sibling temporary folder that is renamed into place when
    the `with` block ends without an error, so a bundle is either complete or
    absent. The cycle collector is off meanwhile: millions of small lists, none
    cyclic, that it would only scan again and again.
    """

    def __init__(self, out: Path, runtime: Path) -> None:
        self.out, self.runtime = out, runtime
        out.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = new_folder(out.parent, f".{out.name}-")
        for sub in ("fragment", "index", "filter"):
            (self._tmp / sub).mkdir()
        self._prefix = f"{LANGUAGE}_"
        # word -> [last page number, locations so far, then one CBOR [gap, locs, []] per
        # page]; one dict lookup per word and page, the innermost loop of indexing.
        self._words: dict[str, list] = {}
        self._filters: dict[str, dict[str, list[int]]] = {}
        self._meta_pages: list[list[object]] = []
        self._sorts: list[dict[str, str]] = []
        self._taken: set[str] = set()
        self._meta_fields: set[str] = set()
        self._collector_off = without_cycle_collector()

    def __enter__(self) -> BundleWriter:
        self._collector_off.__enter__()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if error is None:
                self._finish()
                os.replace(self._tmp, self.out)
        finally:
            if error is not None or self._tmp.exists():
                shutil.rmtree(self._tmp, ignore_errors=True)
            self._collector_off.__exit__(None, None, None)

    def add(self, page: PreparedPage) -> None:
        """The next page of the bundle (pages are numbered in the order they are added)."""
        number = len(self._meta_pages)
        words = self._words
        table, low, start, end = _INTS, _SMALL, _ARRAYS[3], _ARRAYS[0]
        head = _int(number)
        for word, (locs, count) in page.locations.items():
            bucket = words.get(word)
            if bucket is None:
                words[word] = [number, count + 1, start + head + locs + end]
            else:
                gap = number - bucket[0]
                bucket[0] = number
                bucket[1] += count + 1
                bucket.append(
                    start + (table[gap - low] if gap < 0x10000 else _int(gap)) + locs + end
                )
        for name, values in page.filters.items():
            by_value = self._filters.setdefault(name, {})
            for value in values:
                by_value.setdefault(value, []).append(number)
        self._meta_fields.update(page.meta_fields)
        self._sorts.append(page.sort)
        name = _short_name(page.fragment_hash, self._taken, self._prefix)
        (self._tmp / "fragment" / f"{name}.pf_fragment").write_bytes(page.fragment)
        self._meta_pages.append([name, page.word_count])

    def _finish(self) -> None:
        out, prefix, taken = self._tmp, self._prefix, self._taken
        chunks = _chunks(sorted(self._words.items()))
        self._words = {}
        index_chunks: list[list[str]] = []
        for chunk in chunks:
            data = _chunk_bytes(chunk)
            name = _short_hash(data, taken, prefix)
            (out / "index" / f"{name}.pf_index").write_bytes(_pack(data))
            index_chunks.append([chunk[0][0], chunk[-1][0], name])
        for left, right in itertools.pairwise(index_chunks):
            left[1], right[0] = _prefixes(left[1], right[0])

        meta_filters: list[list[str]] = []
        filters = self._filters
        for filter_name in sorted(filters):
            values = [[v, filters[filter_name][v]] for v in sorted(filters[filter_name])]
            data = cbor2.dumps([filter_name, values])
            name = _short_hash(data, taken, prefix)
            (out / "filter" / f"{name}.pf_filter").write_bytes(_pack(data))
            meta_filters.append([filter_name, name])

        sort_keys = sorted({k for sort in self._sorts for k in sort})
        sorts = [[key, _sort_order(self._sorts, key)] for key in sort_keys]
        meta_pages = self._meta_pages
        meta = [VERSION, meta_pages, index_chunks, meta_filters, sorts, sorted(self._meta_fields)]
        data = cbor2.dumps(meta)
        meta_hash = prefix + hashlib.sha256(data).hexdigest()[:10]
        (out / f"pagefind.{meta_hash}.pf_meta").write_bytes(_pack(data))
        entry = {
            "version": VERSION,
            "languages": {
                LANGUAGE: {"hash": meta_hash, "wasm": None, "page_count": len(meta_pages)}
            },
            "include_characters": _INCLUDE_CHARACTERS,
        }
        for name in RUNTIME_FILES:
            _link_or_copy(self.runtime / name, out / name)
        # The entry file last: a bundle with an entry file is complete.
        (out / "pagefind-entry.json").write_text(
            json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def runtime_files(target: Path, reuse: Iterable[Path] = ()) -> Path:
    """Pagefind's browser files in `target`, copied from `reuse` or made by one tiny run.

    The files come out of the Pagefind binary itself (indexing one empty page
    takes well under a second), so the browser code always matches VERSION.
    """
    if all((target / name).is_file() for name in RUNTIME_FILES):
        return target
    for candidate in reuse:
        if all((candidate / name).is_file() for name in RUNTIME_FILES):
            target.mkdir(parents=True, exist_ok=True)
            for name in RUNTIME_FILES:
                if not (target / name).exists():
                    _link_or_copy(candidate / name, target / name)
            return target
    with tempfile.TemporaryDirectory(prefix="newsarchive-pagefind-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "index.html").write_text(
            "<html lang='unknown'><body><main data-pagefind-body>x</main></body></html>",
            encoding="utf-8",
        )
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", LANGUAGE]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        bundle = site / "pagefind"
        missing = [n for n in RUNTIME_FILES if not (bundle / n).is_file()]
        if proc.returncode or missing:
            raise RuntimeError(
                f"Pagefind {VERSION} could not provide its browser files "
                f"(exit {proc.returncode}, missing {missing}): {proc.stderr.strip()[-500:]}"
            )
        target.mkdir(parents=True, exist_ok=True)
        for name in RUNTIME_FILES:
            shutil.copy2(bundle / name, target / name)
    return target
