"""Our Pagefind bundle writer against the Pagefind 1.5.2 binary, on the real sample pages.

The same words go both ways: once as HTML pages through the binary (the
Pagefind Python API, language `unknown` so nothing is stemmed or segmented),
once through `pagefind_format.write_bundle`. Decoded, the two indexes must
agree on every word's pages, positions and weights, every page's word count,
meta, filters and sort order. The one intended difference: the binary also
indexes the words of meta fields (whole sentences of the `text` meta, as it
cannot cut Chinese without spaces); we index only the body, where the title
already is at weight 8.
"""

from __future__ import annotations

import gzip
import json
from html import escape
from pathlib import Path
from typing import Any

import cbor2
import pytest

from newsarchive import search
from newsarchive.pagefind_format import IndexPage, prepare, runtime_files, write_bundle
from newsarchive.searchtext import tokens


def _html(page: IndexPage) -> str:
    """The page as the binary must see it to index exactly these words."""
    body = "".join(
        f'<p data-pagefind-weight="{weight:g}">{escape(" ".join(tokens(text)))}</p>'
        for weight, text in page.runs
    )
    extra = [f'<div data-pagefind-meta="{k}">{escape(v)}</div>' for k, v in page.meta.items()]
    extra += [
        f'<div data-pagefind-filter="{k}">{escape(v)}</div>'
        for k, values in page.filters.items()
        for v in values
    ]
    extra += [f'<div data-pagefind-sort="{k}">{escape(v)}</div>' for k, v in page.sort.items()]
    return (
        '<html lang="unknown"><head><title></title></head><body>'
        f"<main data-pagefind-body>{body}</main>{''.join(extra)}</body></html>"
    )


def _load(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data[len(b"pagefind_dcd") :]


def _positions(locs: list[int]) -> frozenset[tuple[int, int]]:
    """(position, weight×24) pairs from Pagefind's weight-grouped, gap-encoded list."""
    out: set[tuple[int, int]] = set()
    weight, position = 0, 0
    for x in locs:
        if x < 0:
            weight, position = -x - 1, 0
            continue
        position += x
        out.add((position, weight))
    return frozenset(out)


def _decode(bundle: Path) -> dict[str, Any]:
    """Everything search reads from a bundle, keyed by URL (page order is free)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = cbor2.loads(_load(bundle / f"pagefind.{language['hash']}.pf_meta"))
    version, pages, chunks, filter_files, sorts, meta_fields = meta
    urls, fragments = [], {}
    for name, word_count in pages:
        fragment = json.loads(_load(bundle / "fragment" / f"{name}.pf_fragment"))
        urls.append(fragment["url"])
        assert fragment["word_count"] == word_count
        fragments[fragment["url"]] = (word_count, fragment["filters"], fragment["meta"])
    words: dict[str, dict[str, frozenset[tuple[int, int]]]] = {}
    for low, high, name in chunks:
        (chunk,) = cbor2.loads(_load(bundle / "index" / f"{name}.pf_index"))
        for word, word_pages, _extra in chunk:
            assert low[:1] <= word[:1] <= high[:1] or low <= word <= high
            number = 0
            for gap, locs, _meta_locs in word_pages:
                number += gap
                if locs:
                    words.setdefault(word, {})[urls[number]] = _positions(locs)
    filters = {}
    for _, name in filter_files:
        filter_name, values = cbor2.loads(_load(bundle / "filter" / f"{name}.pf_filter"))
        filters[filter_name] = {v: sorted(urls[p] for p in ps) for v, ps in values}
    sort_values = {key: [fragments[urls[p]][2]["sortdate"] for p in order] for key, order in sorts}
    return {
        "version": version,
        "language": language["wasm"],
        "page_count": language["page_count"],
        "fragments": fragments,
        "words": words,
        "filters": filters,
        "sorts": sort_values,
        "meta_fields": meta_fields,
    }


@pytest.fixture(scope="module")
def bundles(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    work = tmp_path_factory.mktemp("pagefind-format")
    files = sorted((sample_site / "articles").glob("*/index.html"))
    pages = []
    for path in files:
        rel = path.relative_to(sample_site).as_posix()
        doc = search.read_page(path.read_text(encoding="utf-8"), "/" + rel[: -len("index.html")])
        pages.append(search.index_page(doc))
        target = work / "html" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_html(pages[-1]), encoding="utf-8")
    search._run(search._index_folder(work / "html", work / "binary", "unknown", None))
    write_bundle([prepare(p) for p in pages], work / "ours", runtime_files(work / "runtime"))
    for chunk in (work / "ours" / "index").glob("*.pf_index"):  # our CBOR is cbor2's, byte for byte
        raw = _load(chunk)
        assert cbor2.dumps(cbor2.loads(raw)) == raw
    return _decode(work / "binary"), _decode(work / "ours")


def test_same_pages_meta_filters_and_sort_order(bundles: tuple[dict, dict]) -> None:
    binary, ours = bundles
    assert len(ours["fragments"]) == 43
    for key in ("version", "language", "page_count", "fragments", "filters", "sorts"):
        assert ours[key] == binary[key], key
    assert ours["meta_fields"] == binary["meta_fields"]


def test_every_word_has_the_same_pages_positions_and_weights(bundles: tuple[dict, dict]) -> None:
    binary, ours = bundles
    body_words = {w: pages for w, pages in binary["words"].items() if pages}
    assert len(body_words) > 5000
    assert set(ours["words"]) == set(body_words)
    for word, pages in body_words.items():
        assert ours["words"][word] == pages, word
    weights = {w for pages in ours["words"].values() for locs in pages.values() for _, w in locs}
    assert {24, 192} <= weights  # body and title weights both exercised
    dotted = ours["words"]["26959"]  # 2695.9: indexed joined, as a query for it is
    assert dotted == binary["words"]["26959"]
