"""The full-text search index: the only module that knows about Pagefind's inputs.

Article pages mark what search needs with `data-pagefind-*` attributes (body,
weights, meta, filters, sort). This module reads those pages back, folds
their text with `searchtext` (traditional to simplified) and hands it to
`pagefind_format`, which cuts it into Han bigrams (`wordindex.page_tokens`,
the array form of `searchtext.tokens`) and writes the Pagefind bundle files
itself: the same index the Pagefind binary would write for those words
(tests/test_pagefind_format.py), without its per-site memory and start-up.
Both the index and the browser then split text the same way, so every
substring is findable (see bench/README.md, "Search recall").

The article's own text travels in the `text` meta so the search page shows
and highlights the real words, not the tokens. The `stock` variant, kept for
the benchmark, runs the Pagefind binary over the rendered pages with jieba.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import marshal
import os
import shutil
import tempfile
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .pagefind_format import VERSION as PAGEFIND_VERSION
from .pagefind_format import (
    BundleWriter,
    IndexPage,
    PreparedPage,
    prepare,
    runtime_files,
    write_bundle,
)
from .parallel import ordered_map
from .progress import Progress
from .searchtext import fold, fold_table_json, load_fold_table
from .store import atomic_write

INDEX_DIR = "pagefind"
FOLD_FILE = "fold.json"  # traditional → simplified table for the browser, beside the index
SHARDS_DIR = "shards"  # one Pagefind bundle per shard: pagefind/shards/<key>/
SHARDS_FILE = "shards.json"  # the shard list the search page loads
SHARD_ARTICLES = 1500  # articles per shard: bounds memory, and what one edit rewrites
PERIOD_FILTER = "period"  # hidden filter: YYYY-MM of each article, for date-sorted search
UNDATED_PERIOD = "未知"
CACHE_FILE = ".newsarchive-search.json"  # in site/: per-page records for the next build
INDEX_FORMAT = "bigram-2"  # bump when what is indexed changes shape: every shard is rebuilt
RUNTIME_DIR = f"runtime-{PAGEFIND_VERSION}"  # Pagefind's browser files, linked into each shard
VARIANTS = ("bigram", "stock")
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


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def read_page(html: str, url: str) -> SearchDoc:
    """Parse one rendered article page into what search needs.

    lxml parses in C; the walk below visits elements only (about 35 in an
    article's search part), about a third of the time `html.parser` took.
    """
    doc = SearchDoc(url=url)
    try:
        root = etree.fromstring(_search_part(html), _PARSER)
    except etree.XMLSyntaxError:  # nothing to parse: an empty page
        root = None
    if root is not None:
        _walk(root, doc, False, False, 1)
    return doc


def _walk(element: etree._Element, doc: SearchDoc, body: bool, ignore: bool, weight: int) -> None:
    """Collect the data-pagefind-* contract of an element and its descendants."""
    attrs = element.attrib
    captured: list[tuple[str, str]] = []  # (kind, key) whose value is this element's text
    if attrs:
        body = body or "data-pagefind-body" in attrs
        ignore = ignore or "data-pagefind-ignore" in attrs
        if "data-pagefind-weight" in attrs:
            weight = int(float(attrs["data-pagefind-weight"]))
        for kind in ("meta", "filter", "sort"):
            spec = attrs.get(f"data-pagefind-{kind}")
            if not spec:
                continue
            key, _, value = spec.partition(":")
            if value:
                _store(doc, kind, key.strip(), value.strip())
            else:
                captured.append((kind, key.strip()))
    shown = body and not ignore
    block = shown and element.tag in _BLOCKS
    parts = doc.parts
    if block:
        parts.append((weight, "\n"))
    if shown and element.text:
        parts.append((weight, element.text))
    for child in element:
        _walk(child, doc, body, ignore, weight)
        if shown and child.tail:
            parts.append((weight, child.tail))
    if block and element.tag not in _VOID:
        parts.append((weight, "\n"))
    if captured:
        text = "".join(element.itertext()).strip()
        for kind, key in captured:
            _store(doc, kind, key, text)


def _store(doc: SearchDoc, kind: str, key: str, value: str) -> None:
    if kind == "meta":
        doc.meta[key] = value
    elif kind == "sort":
        doc.sort[key] = value
    elif value:
        doc.filters.setdefault(key, []).append(value)


def _search_part(html: str) -> str:
    """The `<article data-pagefind-body>` element alone, when it holds every search mark.

    Parsing is most of the index step's time, and the rest of an article page
    (head, navigation, related articles) carries nothing search reads; any
    page that marks something outside it is parsed whole.
    """
    start = html.find("<article ")
    end = html.find("</article>", start)
    if start < 0 or end < 0:
        return html
    part = html[start : end + len("</article>")]
    if "data-pagefind-body" not in part[: part.find(">")]:
        return html
    if part.count("data-pagefind") != html.count("data-pagefind") or "<article" in part[1:]:
        return html
    return part


def index_page(doc: SearchDoc) -> IndexPage:
    """What the index holds for one article: weighted tokens, real text and labels."""
    runs = [(float(weight), fold(text)) for weight, text in _merge(doc.parts)]
    meta = dict(doc.meta)
    meta["text"] = " ".join(_plain(doc).split())  # whitespace collapsed, as HTML shows it
    meta["sortdate"] = doc.sort.get("date", "")
    filters = {k: list(v) for k, v in doc.filters.items()}
    filters[PERIOD_FILTER] = [period_of(doc)]
    return IndexPage(doc.url, runs, meta, filters, dict(doc.sort))


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


def period_of(doc: SearchDoc) -> str:
    """The month (or year, for a year-only date) a page belongs to; 未知 when undated.

    Shards never split a period unless it alone outgrows a shard, so a
    date-sorted search asked one period at a time gets one shard's order back.
    """
    date = doc.sort.get("date", "")
    if not date or date.startswith("0000"):
        return UNDATED_PERIOD
    return date[:7]


@dataclass(frozen=True)
class PageRecord:
    """What sharding needs to know of one article page (its index data waits on disk)."""

    rel: str  # site-relative path, e.g. articles/<slug>/index.html
    period: str  # YYYY-MM (or YYYY), or 未知: the unit shards are made of
    date: str  # the `date` sort value, for splitting a period that is too big
    digest: str  # hash of what the index holds for the page: an unchanged shard is reused


@dataclass(frozen=True)
class Shard:
    """A run of consecutive periods indexed together as one Pagefind bundle."""

    key: str  # content hash: same articles, same text → same key → reused
    periods: tuple[str, ...]  # periods it covers, oldest first
    rels: tuple[str, ...]  # article pages it indexes


Place = tuple[str, int, int]  # spool file name, offset, length: where a prepared page waits


def _read_record(path: Path, site_dir: Path, scratch: Path) -> tuple[PageRecord, Place]:
    """Read and prepare one rendered article page; spool the result; return its record."""
    rel, doc = _read_doc(path, site_dir)
    source = json.dumps([doc.url, _merge(doc.parts), doc.meta, doc.filters, doc.sort])
    place = _spool(scratch, _packed(doc))
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
    return PageRecord(rel, period_of(doc), doc.sort.get("date", ""), digest), place


_SPOOLS: dict[tuple[int, Path], BinaryIO] = {}


def _spool(scratch: Path, data: bytes) -> Place:
    """Append prepared data to this process's spool file in scratch.

    One file per process rather than one per page: creating and deleting tens
    of thousands of small files cost seconds (more on disks mounted with
    `discard`).
    """
    key = (os.getpid(), scratch)
    spool = _SPOOLS.get(key)
    if spool is None:
        spool = _SPOOLS[key] = open(scratch / f"spool-{os.getpid()}.bin", "ab")  # noqa: SIM115
    offset = spool.tell()
    spool.write(data)
    spool.flush()  # the shard writers are other processes
    return spool.name, offset, len(data)


@contextmanager
def _scratch(parent: Path) -> Iterator[Path]:
    """A temporary folder for spooled pages; this process's spool is closed before it goes."""
    with tempfile.TemporaryDirectory(prefix=".search-input-", dir=parent) as tmp:
        try:
            yield Path(tmp)
        finally:
            for key in [k for k in _SPOOLS if k[1] == Path(tmp)]:
                _SPOOLS.pop(key).close()


def _unspool(places: list[Place]) -> list[PreparedPage]:
    pages = []
    handles: dict[str, BinaryIO] = {}
    try:
        for name, offset, length in places:
            handle = handles.get(name) or handles.setdefault(name, open(name, "rb"))  # noqa: SIM115
            handle.seek(offset)
            pages.append(PreparedPage(*marshal.loads(handle.read(length))))
    finally:
        for handle in handles.values():
            handle.close()
    return pages


def plan_shards(pages: list[PageRecord], cap: int) -> list[Shard]:
    """Pack consecutive periods into shards of at most `cap` articles.

    A period is split only when it alone has more than `cap` articles; the
    search page then orders that period's results itself (assets/search.js).
    """
    by_period: dict[str, list[PageRecord]] = {}
    for page in pages:
        by_period.setdefault(page.period, []).append(page)
    shards: list[Shard] = []
    periods: list[str] = []
    group: list[PageRecord] = []
    for period in sorted(by_period):
        items = sorted(by_period[period], key=lambda p: (p.date, p.rel))
        for start in range(0, len(items), cap):
            chunk = items[start : start + cap]
            if group and (len(group) + len(chunk) > cap or period in periods):
                shards.append(_shard(periods, group))
                periods, group = [], []
            if period not in periods:
                periods.append(period)
            group.extend(chunk)
    if group:
        shards.append(_shard(periods, group))
    return shards


def _shard(periods: list[str], pages: list[PageRecord]) -> Shard:
    h = hashlib.sha1(INDEX_FORMAT.encode())
    for page in pages:
        h.update(f"{page.rel}\0{page.digest}\n".encode())
    return Shard(h.hexdigest()[:16], tuple(periods), tuple(p.rel for p in pages))


async def _index_folder(folder: Path, out: Path, language: str, glob: str | None) -> int:
    """One Pagefind run over a folder of pages, through the Python API.

    Pagefind's Python service answers each request after a 0.1 s poll, so one
    `add_html_file` call per page costs 100 ms (111 s for 1,000 articles);
    a single `add_directory` call lets the binary read the files itself.
    The service also terminates the binary as soon as it acknowledges the
    write, which can cut files short (seen: an empty pagefind-entry.json, a
    wasm file stopped at 64 KiB), so we wait for the files to settle, check
    the bundle, and try once more if it is incomplete.
    """
    for attempt in range(2):
        shutil.rmtree(out, ignore_errors=True)
        service = await PagefindService().launch()
        try:
            config = IndexConfig(
                root_selector="html", force_language=language, output_path=str(out)
            )
            index = await service.create_index(config)
            result = await index.add_directory(str(folder), glob=glob)
            await index.write_files()
            await _settle(out)
        finally:
            await service.close()
        if _complete(out) or attempt:
            break
    if not _complete(out):
        raise RuntimeError(f"Pagefind wrote an incomplete index to {out}")
    return int(result.get("page_count", 0))


async def _settle(folder: Path, quiet: float = 0.2, limit: float = 30.0) -> None:
    """Wait until no file under folder has changed for `quiet` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    last: tuple[tuple[str, int], ...] = ()
    while loop.time() < deadline:
        now = tuple(sorted((str(p), p.stat().st_size) for p in folder.rglob("*") if p.is_file()))
        if now and now == last and _complete(folder):
            return
        last = now
        await asyncio.sleep(quiet)


def _complete(bundle: Path) -> bool:
    """The entry file parses and names metadata that exists: the bundle can load."""
    try:
        entry = json.loads(_entry(bundle).read_text(encoding="utf-8"))
        languages = entry["languages"].values()
        return all((bundle / f"pagefind.{lang['hash']}.pf_meta").is_file() for lang in languages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def index_site(
    site_dir: Path,
    variant: str = "bigram",
    jobs: int | None = None,
    previous: Path | None = None,
    shard_articles: int = SHARD_ARTICLES,
) -> int:
    """Index every article page under site_dir; return how many pages went in.

    The bigram index is split into shards (pagefind/shards/<key>/, listed in
    pagefind/shards.json) of at most `shard_articles` pages; a shard whose
    articles are unchanged is hard-linked from `previous` (the live site's
    pagefind/ folder), and the others are written in parallel.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown search variant {variant!r}; expected one of {VARIANTS}")
    out = site_dir / INDEX_DIR
    if variant == "stock":
        return _run(_index_folder(site_dir, out, "zh-cn", "articles/*/index.html"))
    shards_dir = out / SHARDS_DIR
    load_fold_table()  # before the workers fork
    cache = _load_cache(previous.parent / CACHE_FILE) if previous else {}
    stamps = _article_stamps(site_dir)
    with _scratch(site_dir.parent) as scratch:
        read = functools.partial(_read_record, site_dir=site_dir, scratch=scratch)
        # A page whose HTML file is the very file last indexed (same inode and mtime:
        # incremental render hard-links unchanged pages) keeps its cached record.
        same = {rel for rel, stamp in stamps.items() if cache.get(rel, [""])[0] == stamp}
        pages = [PageRecord(rel, *cache[rel][1:]) for rel in sorted(same)]
        changed = [site_dir / rel for rel in stamps if rel not in same]
        places: dict[str, Place] = {}
        progress = Progress("index", len(changed), "pages")
        for page, place in ordered_map(read, changed, jobs):
            pages.append(page)
            places[page.rel] = place
            progress.tick()
        progress.done()
        pages.sort(key=lambda p: p.rel)
        shards = plan_shards(pages, max(1, shard_articles))
        runtime = runtime_files(
            out / RUNTIME_DIR, [previous / RUNTIME_DIR] if previous is not None else []
        )
        todo: list[Shard] = []
        for shard in shards:
            target = shards_dir / shard.key
            if _entry(target).exists():
                continue
            old = previous / SHARDS_DIR / shard.key if previous else None
            if old is not None and _entry(old).exists():
                _link_copy(old, target)
            else:
                todo.append(shard)
        if len(todo) == 1:  # one edit: its shard is written while its pages are read
            _stream_shard(todo[0], places, site_dir, shards_dir / todo[0].key, runtime, jobs)
            todo = []
        missing = [site_dir / rel for s in todo for rel in s.rels if rel not in places]
        for page, place in ordered_map(read, missing, jobs):
            places[page.rel] = place  # cached pages in a shard that must be written again
        jobs_ = [(shard, [places[rel] for rel in shard.rels]) for shard in todo]
        write = functools.partial(_write_shard, shards_dir=shards_dir, runtime=runtime)
        for _ in ordered_map(write, jobs_, jobs, chunk=1):
            pass
    records = {p.rel: [stamps[p.rel], p.period, p.date, p.digest] for p in pages}
    cache_text = json.dumps({"format": INDEX_FORMAT, "pages": records}, ensure_ascii=False)
    atomic_write(site_dir / CACHE_FILE, cache_text)
    keep = {shard.key for shard in shards}
    if shards_dir.exists():
        for stale in shards_dir.iterdir():
            if stale.name not in keep:
                shutil.rmtree(stale, ignore_errors=True)
    listing = [{"key": s.key, "periods": list(s.periods), "articles": len(s.rels)} for s in shards]
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"format": INDEX_FORMAT, "articles": len(pages), "shards": listing}
    atomic_write(out / SHARDS_FILE, json.dumps(manifest, ensure_ascii=False))
    atomic_write(out / FOLD_FILE, fold_table_json())
    return len(pages)


def _stream_shard(
    shard: Shard,
    places: dict[str, Place],
    site_dir: Path,
    out: Path,
    runtime: Path,
    jobs: int | None,
) -> None:
    """Write one shard here while workers prepare its pages that were not read yet.

    A rebuild after one edit rewrites one shard, mostly of unchanged pages:
    adding them to the bundle as they arrive keeps both cores busy, where
    reading all of them first and then writing left one core idle.
    """
    unread = [site_dir / rel for rel in shard.rels if rel not in places]
    read = functools.partial(_prepared, site_dir=site_dir)
    prepared = iter(ordered_map(read, unread, jobs))
    with BundleWriter(out, runtime) as writer:
        for rel in shard.rels:
            if rel in places:
                writer.add(_unspool([places[rel]])[0])
            else:
                writer.add(PreparedPage(*marshal.loads(next(prepared))))
    for _ in prepared:  # let the workers finish
        pass


def _prepared(path: Path, site_dir: Path) -> bytes:
    """A page's prepared index data, read and packed in a worker."""
    return _packed(_read_doc(path, site_dir)[1])


def _packed(doc: SearchDoc) -> bytes:
    """The prepared index data of a page, marshalled: to spool or to send to the parent
    (marshal is cheaper than pickle for these strings, bytes and tuples)."""
    return marshal.dumps(tuple(prepare(index_page(doc))))


def _read_doc(path: Path, site_dir: Path) -> tuple[str, SearchDoc]:
    """A rendered article page's path in the site, and what search needs of it."""
    rel = path.relative_to(site_dir).as_posix()
    return rel, read_page(path.read_text(encoding="utf-8"), "/" + rel.removesuffix("index.html"))


def _write_shard(job: tuple[Shard, list[Place]], shards_dir: Path, runtime: Path) -> str:
    """Write one shard's bundle from its pages' spooled data, in shard order."""
    shard, places = job
    write_bundle(_unspool(places), shards_dir / shard.key, runtime)
    return shard.key


def _article_stamps(site_dir: Path) -> dict[str, str]:
    """`articles/<slug>/index.html` → the identity of that file (inode, mtime, size), for
    every article page, in path order.

    Plain os calls, one stat a page: every build runs this over the whole archive.
    A rewritten page gets a new inode.
    """
    try:
        with os.scandir(site_dir / "articles") as entries:
            slugs = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except FileNotFoundError:
        return {}
    stamps = {}
    for slug in slugs:
        rel = f"articles/{slug}/index.html"
        try:
            st = os.stat(os.path.join(site_dir, rel))
        except FileNotFoundError:
            continue
        stamps[rel] = f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"
    return stamps


def _load_cache(path: Path) -> dict[str, list[str]]:
    """The previous build's per-page records (stamp, period, date, digest), if any."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("format") != INDEX_FORMAT:
        return {}
    return {rel: rec for rel, rec in data.get("pages", {}).items() if len(rec) == 4}


def _entry(bundle: Path) -> Path:
    return bundle / "pagefind-entry.json"


def _link_copy(old: Path, new: Path) -> None:
    """Copy a finished shard by hard links (files are never modified in place)."""
    for path in sorted(old.rglob("*")):
        target = new / path.relative_to(old)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


def _run(coro: Coroutine[None, None, int]) -> int:
    """asyncio.run, also when the caller already runs an event loop (e.g. Playwright's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
