"""The full-text search index: the only module that knows Pagefind.

Article pages mark what search needs with `data-pagefind-*` attributes (body,
weights, meta, filters, sort). This module reads those pages back and gives
Pagefind, through its Python API, a stand-in page per article whose text is
already segmented by `searchtext` (Han bigrams, traditional folded to
simplified). Pagefind is told the language is English so that neither it nor
the browser segments the text again: both sides then split the same way and
every substring is findable (see bench/README.md, "Search recall").

The article's own text travels in the `text` meta so the search page shows
and highlights the real words, not the tokens. The `stock` variant, kept for
the benchmark, indexes the rendered pages as they are with jieba.
"""

from __future__ import annotations

import asyncio
import functools
import tempfile
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from .parallel import ordered_map
from .searchtext import fold_table_json, index_text

INDEX_DIR = "pagefind"
FOLD_FILE = "fold.json"  # traditional → simplified table for the browser, beside the index
VARIANTS = ("bigram", "stock")
# Pagefind's language for the pre-segmented index: any language Pagefind does not
# segment; English adds only a stemmer for Latin words, applied to both sides.
INDEX_LANGUAGE = "en"
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "blockquote", "tr"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source"}


@dataclass
class SearchDoc:
    """What search needs from one article page."""

    url: str  # site-relative URL, e.g. /articles/<id>/
    parts: list[tuple[int, str]] = field(default_factory=list)  # (weight, text) in page order
    meta: dict[str, str] = field(default_factory=dict)  # title, date, newspaper
    filters: dict[str, list[str]] = field(default_factory=dict)  # topic, kind, year, newspaper
    sort: dict[str, str] = field(default_factory=dict)  # date

    def text(self) -> str:
        """The searchable text as the reader sees it."""
        return "".join(t for _, t in self.parts).strip()


class _PageReader(HTMLParser):
    """Collects the data-pagefind-* contract of a rendered article page."""

    def __init__(self, doc: SearchDoc):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.stack: list[tuple[str, bool, bool, int, list[str] | None]] = []
        self.capture: list[tuple[str, str, list[str]]] = []  # (kind, key, text buffer)

    def _state(self) -> tuple[bool, bool, int]:
        if not self.stack:
            return False, False, 1
        _, body, ignore, weight, _ = self.stack[-1]
        return body, ignore, weight

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        body, ignore, weight = self._state()
        body = body or "data-pagefind-body" in a
        ignore = ignore or "data-pagefind-ignore" in a
        if "data-pagefind-weight" in a:
            weight = int(float(a["data-pagefind-weight"]))
        buffers: list[str] | None = None
        for kind in ("meta", "filter", "sort"):
            spec = a.get(f"data-pagefind-{kind}")
            if not spec:
                continue
            key, _, value = spec.partition(":")
            if value:
                self._store(kind, key.strip(), value.strip())
            else:
                buffers = buffers if buffers is not None else []
                self.capture.append((kind, key.strip(), buffers))
        if tag in _BLOCKS and body and not ignore:
            self.doc.parts.append((weight, "\n"))
        if tag not in _VOID:
            self.stack.append((tag, body, ignore, weight, buffers))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, body, ignore, weight, buffers = self.stack.pop()
            if buffers is not None:
                text = "".join(buffers).strip()
                for kind, key, _buf in [c for c in self.capture if c[2] is buffers]:
                    self._store(kind, key, text)
                self.capture = [c for c in self.capture if c[2] is not buffers]
            if name == tag:
                if tag in _BLOCKS and body and not ignore:
                    self.doc.parts.append((weight, "\n"))
                break

    def handle_data(self, data: str) -> None:
        for buf in {id(b): b for _, _, b in self.capture}.values():  # one element, many keys
            buf.append(data)
        body, ignore, weight = self._state()
        if body and not ignore:
            self.doc.parts.append((weight, data))

    def _store(self, kind: str, key: str, value: str) -> None:
        if kind == "meta":
            self.doc.meta[key] = value
        elif kind == "sort":
            self.doc.sort[key] = value
        elif value:
            self.doc.filters.setdefault(key, []).append(value)


def read_page(html: str, url: str) -> SearchDoc:
    """Parse one rendered article page into what search needs."""
    doc = SearchDoc(url=url)
    reader = _PageReader(doc)
    reader.feed(html)
    reader.close()
    return doc


def stand_in_html(doc: SearchDoc) -> str:
    """The page Pagefind indexes: segmented text by weight, real text and labels as meta."""
    blocks: list[str] = []
    for weight, text in _merge(doc.parts):
        tokens = index_text(text)
        if tokens:
            blocks.append(f'<p data-pagefind-weight="{weight}">{escape(tokens)}</p>')
    extra = [
        f'<div data-pagefind-meta="{escape(k)}">{escape(v)}</div>' for k, v in doc.meta.items()
    ]
    extra.append(f'<div data-pagefind-meta="text">{escape(_plain(doc))}</div>')
    for key, values in doc.filters.items():
        extra += [f'<div data-pagefind-filter="{escape(key)}">{escape(v)}</div>' for v in values]
    extra += [
        f'<div data-pagefind-sort="{escape(k)}">{escape(v)}</div>' for k, v in doc.sort.items()
    ]
    return (
        f'<html lang="{INDEX_LANGUAGE}"><head><title></title></head><body>'
        f"<main data-pagefind-body>{''.join(blocks)}</main>{''.join(extra)}</body></html>"
    )


def _merge(parts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join consecutive pieces of the same weight, keeping paragraph breaks."""
    merged: list[tuple[int, str]] = []
    for weight, text in parts:
        if merged and merged[-1][0] == weight:
            merged[-1] = (weight, merged[-1][1] + text)
        else:
            merged.append((weight, text))
    return merged


def _plain(doc: SearchDoc) -> str:
    """Body text for excerpts: lines stripped, blank lines dropped."""
    lines = (line.strip() for line in doc.text().splitlines())
    return "\n".join(line for line in lines if line)


def _stand_in(path: Path, site_dir: Path) -> tuple[str, str]:
    """(site-relative path, stand-in HTML) for one rendered article page."""
    rel = path.relative_to(site_dir).as_posix()
    url = "/" + rel.removesuffix("index.html")
    return rel, stand_in_html(read_page(path.read_text(encoding="utf-8"), url))


async def _index_folder(folder: Path, out: Path, language: str, glob: str | None) -> int:
    """One Pagefind run over a folder of pages, through the Python API.

    Pagefind's Python service answers each request after a 0.1 s poll, so one
    `add_html_file` call per page costs 100 ms (111 s for 1,000 articles);
    a single `add_directory` call lets the binary read the files itself.
    """
    config = IndexConfig(root_selector="html", force_language=language, output_path=str(out))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(folder), glob=glob)
    return int(result.get("page_count", 0))  # leaving the context wrote the index to `out`


def index_site(site_dir: Path, variant: str = "bigram", jobs: int | None = None) -> int:
    """Index every article page under site_dir; return how many pages went in."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown search variant {variant!r}; expected one of {VARIANTS}")
    out = site_dir / INDEX_DIR
    if variant == "stock":
        return _run(_index_folder(site_dir, out, "zh-cn", "articles/*/index.html"))
    files = sorted((site_dir / "articles").glob("*/index.html"))
    with tempfile.TemporaryDirectory(prefix=".pagefind-input-", dir=site_dir.parent) as tmp:
        folder = Path(tmp)
        task = functools.partial(_stand_in, site_dir=site_dir)
        for rel, html in ordered_map(task, files, jobs):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        count = _run(_index_folder(folder, out, INDEX_LANGUAGE, None))
    (out / FOLD_FILE).write_text(fold_table_json(), encoding="utf-8")
    return count


def _run(coro: Coroutine[None, None, int]) -> int:
    """asyncio.run, also when the caller already runs an event loop (e.g. Playwright's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
