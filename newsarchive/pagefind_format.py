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

import bisect
import gzip
import hashlib
import itertools
import json
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
import numpy as np
from zlib_ng import gzip_ng

from .parallel import without_cycle_collector
from .swap import new_folder
from .wordindex import Encoded, Piece, WordIndex, page_tokens

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
    """One page as search sees it: its folded text in runs of one weight, and its labels."""

    url: str
    runs: list[tuple[float, str]]  # (weight, folded text) in page order
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def _pack(payload: bytes) -> bytes:
    """A Pagefind data file: the magic prefix, gzipped (mtime 0: same input, same bytes).

    Level 5 writes a 2.5% larger index than level 6 in a third of the time.
    """
    return gzip.compress(_MAGIC + payload, compresslevel=5, mtime=0)


def _pack_chunk(payload: bytes) -> bytes:
    """A word-index chunk, gzipped by zlib-ng: half zlib's time on these 60 KB files, and
    0.5% smaller (on the small fragments zlib-ng's files are 4% larger: those stay zlib's).
    """
    return gzip_ng.compress(_MAGIC + payload, compresslevel=5, mtime=0)


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


_ARRAYS = [_head(4, n) for n in range(0x100)]


def _array(n: int) -> bytes:
    return _ARRAYS[n] if n < 0x100 else _head(4, n)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return _head(3, len(data)) + data


class PageWords(NamedTuple):
    """A page's tokens as the word index takes them (see `wordindex.WordIndex.add`)."""

    codes: bytes  # uint32 token codes
    runs: list[tuple[int, int]]  # (weight × 24, tokens) of each run
    words: list[tuple[int, str]]  # (token number, word) of the tokens that are not Han
    pieces: list[Piece]  # parts of dotted numbers: (word, weight × 24, position)


def page_words(page: IndexPage) -> PageWords:
    """Cut a page into tokens; join dotted numbers and list their parts, as Pagefind does.

    A dotted number (`2695.9`) is indexed joined (`26959`, which is what a
    query for it becomes) at its weight, and its parts of two or more
    characters at the same position, sharing the weight.
    """
    cut = page_tokens([text for _, text in page.runs])
    scaled = [round(weight * _WEIGHT_SCALE) for weight, _ in page.runs]
    words: list[tuple[int, str]] = []
    pieces: list[Piece] = []
    ends = list(itertools.accumulate(cut.counts))
    for number, word in cut.words:
        if "." in word:
            weight = scaled[bisect.bisect_right(ends, number)]
            parts = [part for part in word.split(".") if len(part) > 1]
            pieces += [(part, weight // len(parts), number) for part in parts]
            word = word.replace(".", "")
        words.append((number, word))
    runs = list(zip(scaled, cut.counts, strict=True))
    return PageWords(cut.codes.tobytes(), runs, words, pieces)


def _chunks(encoded: Encoded) -> list[range]:
    """Split the sorted words where Pagefind would (by number of locations)."""
    chunks: list[range] = []
    first, size = 0, 0
    for i, weight in enumerate(encoded.weight.tolist()):
        size += weight
        if size >= _CHUNK_SIZE:
            chunks.append(range(first, i + 1))
            first, size = i + 1, 0
    if first < len(encoded.words):
        chunks.append(range(first, len(encoded.words)))
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


def _chunk_bytes(encoded: Encoded, chunk: range) -> bytes:
    """CBOR of a word chunk: [[[word, [[page gap, locs, []], ...], []], ...]]."""
    start, end = _ARRAYS[3], _ARRAYS[0]
    body = memoryview(encoded.body)
    offsets = encoded.offsets[chunk.start : chunk.stop + 1].tolist()
    words = encoded.words[chunk.start : chunk.stop]
    counts = encoded.pages[chunk.start : chunk.stop].tolist()
    parts: list[bytes | memoryview] = [_ARRAYS[1], _array(len(chunk))]
    for word, count, low, high in zip(words, counts, offsets, offsets[1:], strict=False):
        parts += (start, _text(word), _array(count), body[low:high], end)
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
    words: tuple[bytes, list[tuple[int, int]], list[tuple[int, str]], list[Piece]]  # PageWords
    filters: dict[str, list[str]]
    sort: dict[str, str]
    meta_fields: tuple[str, ...]


def prepare(page: IndexPage) -> PreparedPage:
    """Everything a bundle needs from one page."""
    words = page_words(page)
    word_count = len(words.codes) // 4
    fragment = {
        "url": page.url,
        "content": "",  # excerpts come from the `text` meta (assets/search.js)
        "word_count": word_count,
        "filters": {k: page.filters[k] for k in sorted(page.filters)},
        "meta": {k: page.meta[k] for k in sorted(page.meta)},
        "anchors": [],
    }
    data = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return PreparedPage(
        _pack(data),
        hashlib.sha256(data).hexdigest(),
        word_count,
        tuple(words),  # a plain tuple: marshal takes no subclasses
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
    absent. The cycle collector is off meanwhile: many small objects, none
    cyclic, that it would only scan again and again.
    """

    def __init__(self, out: Path, runtime: Path) -> None:
        self.out, self.runtime = out, runtime
        out.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = new_folder(out.parent, f".{out.name}-")
        for sub in ("fragment", "index", "filter"):
            (self._tmp / sub).mkdir()
        self._prefix = f"{LANGUAGE}_"
        self._words = WordIndex()
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
        codes, runs, words, pieces = page.words
        number = self._words.add(np.frombuffer(codes, dtype=np.uint32), runs, words, pieces)
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
        encoded = self._words.encode()
        self._words = WordIndex()
        index_chunks: list[list[str]] = []
        for chunk in _chunks(encoded):
            data = _chunk_bytes(encoded, chunk)
            name = _short_hash(data, taken, prefix)
            (out / "index" / f"{name}.pf_index").write_bytes(_pack_chunk(data))
            index_chunks.append([encoded.words[chunk.start], encoded.words[chunk[-1]], name])
        del encoded
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
