"""content/ → Archive: every article loaded once, grouped the ways readers browse.

Publishing re-reads content/ (never the ingest results in memory), so a
maintainer's correction flows straight into the site. Grouping uses dicts,
never `x in list`, so it stays linear in the number of articles.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO, TypeVar

from .model import Article
from .names import name_slug, part_slug, recall
from .parallel import ordered_map
from .report import Report
from .store import (
    MANIFEST_NAME,
    FrontMatterError,
    Manifest,
    atomic_write,
    markdown_to_article,
    split_front_matter,
)

UNKNOWN_PAPER = "未注明报纸"
RELATED_COUNT = 5  # related articles shown under each article
MAX_POSTING = 100  # a keyword in more articles than this says nothing specific; skipped
TOPIC_WINDOW = 8  # same-topic neighbours (by date) considered as related candidates
SUMMARY_CHARS = 201  # opening text kept per article: excerpts up to 200 characters are exact
LOAD_CACHE_VERSION = 1
INGEST_ROWS = ".newsarchive-rows.jsonl"  # in content/: rows of the files the last ingest wrote
_ROW_SOURCES = ("model.py", "store.py", "archive.py")  # the code a load-cache row depends on


def date_sort_key(date: str | None) -> str:
    """Partial dates sort before full dates of the same period; undated last when reversed."""
    return date or ""


def page_slug(source: str) -> str:
    """URL-safe name of a raw page: `太原日报/2021-12-09/01.txt` → `taiyuanribao-2021-12-09-01`."""
    stem = source.rsplit(".", 1)[0]
    parts = [part_slug(part) for part in stem.split("/")]
    slug = "-".join(p.strip("-") for p in parts if p.strip("-"))
    return re.sub(r"-{2,}", "-", slug) or "page"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Name → URL slug; homophones (王伟/汪伟) get a short hash so no two share a URL.

    The first name in code-point order keeps the bare slug, so a URL only
    changes when a homophone that sorts before it appears.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(names)):
        slug = name_slug(name)
        if slug in used:
            slug = f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"
        used.add(slug)
        out[name] = slug
    return out


def plain_text(body: str) -> str:
    """A body as one line of plain text (subheading marks dropped), for excerpts."""
    return " ".join(line.lstrip("#").strip() for line in body.splitlines() if line.strip())


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _digest(value: object) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """An article as the site needs it, without its body unless it is held in memory.

    Lists, feeds and indexes never show a body, so an archive of many
    thousand articles keeps only this record per article (slots, shared
    strings) and reads a body from its content file when its own page is
    rendered. The digests stand for the article in incremental page keys.
    """

    id: str
    slug: str
    title: str
    untitled: bool
    kind: str
    byline: tuple[str, ...]
    date: str | None
    date_source: str
    newspaper: str | None
    source: str
    position: int
    topics: tuple[str, ...]
    kicker: str | None
    subtitle: str | None
    column: str | None
    continued_from: str | None
    page_no: int | None
    keywords: tuple[str, ...]
    summary: str  # plain opening text, SUMMARY_CHARS at most
    meta_digest: bytes  # hash of every field above: all that lists and links show
    body_digest: bytes  # hash of the body
    file: str = ""  # content file holding the body ("" when held)
    held_body: str | None = None  # the body, when it did not come from a file

    @classmethod
    def of(cls, article: Article, file: str = "") -> Entry:
        """From a parsed article; with `file`, the body is left on disk."""
        values = [getattr(article, name) for name in ENTRY_FIELDS]
        body = article.body
        return cls(
            *values,  # type: ignore[arg-type]
            plain_text(body)[:SUMMARY_CHARS],
            _digest(values),
            _digest(body),
            file,
            None if file else body,
        )

    @property
    def body(self) -> str:
        """The Markdown body (read from the content file when not held)."""
        if self.held_body is not None:
            return self.held_body
        text = Path(self.file).read_text(encoding="utf-8")
        return split_front_matter(text, self.file)[1]

    def excerpt(self, length: int = 120) -> str:
        """Plain-text opening, as export.excerpt(body, length) gives it."""
        assert length < SUMMARY_CHARS
        return shorten(self.summary, length)

    def page_digest(self) -> bytes:
        """What an incremental page key needs of an article shown in a list or link."""
        return self.meta_digest


ENTRY_FIELDS = tuple(f.name for f in fields(Entry))[:18]  # the Article fields kept
A = TypeVar("A", Article, Entry)


@dataclass(frozen=True)
class PageView:
    """One raw page (版面): its articles in printed order and what belonged to none."""

    source: str  # raw path relative to the raw folder
    slug: str  # URL name
    articles: tuple[Entry, ...]  # in position order
    leftovers: tuple[str, ...]  # text that belonged to no article

    @property
    def date(self) -> str | None:
        return self.articles[0].date if self.articles else None

    @property
    def newspaper(self) -> str | None:
        return self.articles[0].newspaper if self.articles else None

    @property
    def page_no(self) -> int | None:
        return self.articles[0].page_no if self.articles else None


@dataclass
class Archive:
    """All articles plus the indexes the site is built from."""

    articles: list[Entry]  # newest first, then by page and position
    leftovers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> leftover text

    def __post_init__(self) -> None:
        self.articles = [a if isinstance(a, Entry) else Entry.of(a) for a in self.articles]

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {a.id: a for a in self.articles}

    @cached_property
    def by_topic(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for article in self.articles:
            for topic in article.topics:
                groups[topic].append(article)
        return dict(groups)

    @cached_property
    def by_paper(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for article in self.articles:
            groups[article.newspaper or UNKNOWN_PAPER].append(article)
        return dict(groups)

    @cached_property
    def by_person(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for article in self.articles:
            for name in article.byline:
                groups[name].append(article)
        return dict(groups)

    @cached_property
    def by_year(self) -> dict[str, list[Entry]]:
        return self._group_dates(4)

    @cached_property
    def by_month(self) -> dict[str, list[Entry]]:
        return self._group_dates(7)

    @cached_property
    def by_day(self) -> dict[str, list[Entry]]:
        return self._group_dates(10)

    @cached_property
    def undated(self) -> list[Entry]:
        return [a for a in self.articles if not a.date]

    def _group_dates(self, width: int) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for article in self.articles:
            if article.date and len(article.date) >= width:
                groups[article.date[:width]].append(article)
        return dict(sorted(groups.items(), reverse=True))

    @cached_property
    def topic_slugs(self) -> dict[str, str]:
        return unique_slugs(self.by_topic)

    @cached_property
    def paper_slugs(self) -> dict[str, str]:
        return unique_slugs(self.by_paper)

    @cached_property
    def person_slugs(self) -> dict[str, str]:
        return unique_slugs(self.by_person)

    @cached_property
    def _order(self) -> dict[str, int]:
        """Article id → index in `articles` (newest first), for O(1) neighbours."""
        return {a.id: i for i, a in enumerate(self.articles)}

    def by_date_neighbours(self, article: Entry) -> tuple[Entry | None, Entry | None]:
        """(older, newer) article in archive order; none across the undated boundary."""
        if not article.date:
            return None, None
        i = self._order[article.id]
        older = self.articles[i + 1] if i + 1 < len(self.articles) else None
        newer = self.articles[i - 1] if i > 0 else None
        return (older if older and older.date else None), newer

    def on_page_neighbours(self, article: Entry) -> tuple[Entry | None, Entry | None]:
        """(previous, next) article printed on the same page."""
        items = self.pages[article.source].articles
        i = self._page_order[article.id]
        return (items[i - 1] if i > 0 else None), (items[i + 1] if i + 1 < len(items) else None)

    @cached_property
    def _page_order(self) -> dict[str, int]:
        return {a.id: i for view in self.pages.values() for i, a in enumerate(view.articles)}

    @cached_property
    def pages_by_day(self) -> dict[str, list[PageView]]:
        """Full date → the page views printed that day, by newspaper and page number."""
        groups: dict[str, list[PageView]] = defaultdict(list)
        for view in self.pages.values():
            if view.date and len(view.date) == 10:
                groups[view.date].append(view)
        for views in groups.values():
            views.sort(key=lambda v: (v.newspaper or "", v.page_no or 0, v.source))
        return dict(groups)

    @cached_property
    def _keyword_index(self) -> dict[str, list[int]]:
        """Keyword → indexes of the articles carrying it (the inverted index)."""
        index: dict[str, list[int]] = defaultdict(list)
        for i, article in enumerate(self.articles):
            for word in set(article.keywords):
                index[word].append(i)
        return dict(index)

    @cached_property
    def _topic_order(self) -> dict[tuple[str, str], int]:
        return {(t, a.id): i for t, items in self.by_topic.items() for i, a in enumerate(items)}

    def related(self, article: Entry, count: int = RELATED_COUNT) -> list[Entry]:
        """Articles sharing keywords and topics, best first.

        Candidates come only from the inverted keyword index (skipping words
        too common to be telling) and from a few same-topic neighbours by
        date, so the cost per article is bounded and the archive stays linear
        however large it grows. A shared keyword weighs by its rarity (idf);
        a shared topic adds one.
        """
        total = len(self.articles)
        me = self._order[article.id]
        scores: dict[int, float] = {}
        get = scores.get
        for word in sorted(set(article.keywords)):  # a fixed order: float sums decide ties
            posting = self._keyword_index.get(word, ())
            if len(posting) > MAX_POSTING or len(posting) < 2:
                continue
            weight = 1.0 + math.log(total / len(posting))
            for j in posting:
                scores[j] = get(j, 0) + weight
        for topic in article.topics:
            items = self.by_topic[topic]
            k = self._topic_order[(topic, article.id)]
            for other in items[max(0, k - TOPIC_WINDOW) : k + TOPIC_WINDOW + 1]:
                j = self._order[other.id]
                scores[j] = get(j, 0) + 0.0
        scores.pop(me, None)
        mine = set(article.topics)
        articles = self.articles
        ranked = heapq.nsmallest(
            count,
            (
                (-(score + len(mine.intersection(articles[j].topics))), abs(j - me), j)
                for j, score in scores.items()
            ),
        )
        return [articles[j] for _, _, j in ranked]

    @cached_property
    def pages(self) -> dict[str, PageView]:
        """Page views keyed by source, in archive order (newest pages first)."""
        groups: dict[str, list[Entry]] = defaultdict(list)
        for article in self.articles:
            groups[article.source].append(article)
        views: dict[str, PageView] = {}
        used: set[str] = set()
        for source, items in groups.items():
            slug = page_slug(source)
            while slug in used:
                slug += "-x"
            used.add(slug)
            items.sort(key=lambda a: a.position)
            views[source] = PageView(source, slug, tuple(items), self.leftovers.get(source, ()))
        return views


def sort_articles(articles: Iterable[Entry]) -> list[Entry]:
    """Newest first; within a page, printed order."""
    items = sorted(articles, key=lambda a: (a.source, a.position))
    items.sort(key=lambda a: date_sort_key(a.date), reverse=True)
    return items


def _content_files(content_dir: Path) -> list[tuple[str, os.stat_result]]:
    """(relative path, stat) of every visible content file, in path-component order."""
    found = []
    start = len(os.path.join(content_dir, ""))  # item.path[start:] is relative to content_dir
    stack = [str(content_dir)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for item in entries:
                if item.name.startswith("."):
                    continue
                if item.is_dir():
                    stack.append(item.path)
                elif item.name.endswith(".md") and item.is_file():
                    rel = item.path[start:].replace(os.sep, "/")
                    found.append((rel, item.stat()))
    found.sort(key=lambda f: f[0].split("/"))
    return found


class _Shared:
    """One string object per distinct name, date and keyword: 190,000 articles repeat them."""

    def __init__(self) -> None:
        self._pool: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = tuple(self(v) for v in value)
        elif not isinstance(value, str):
            return value  # never pool numbers: True == 1 would merge them
        return self._pool.setdefault(value, value)


def _row(entry: Entry) -> list[Any]:
    """An entry as a JSON row of the load cache (without its file)."""
    return [
        *(
            list(v) if isinstance(v, tuple) else v
            for v in (getattr(entry, name) for name in ENTRY_FIELDS)
        ),
        entry.summary,
        entry.meta_digest.hex(),
        entry.body_digest.hex(),
    ]


def _from_row(row: list[Any], file: str, share: _Shared) -> Entry:
    values = [share(v) for v in row[: len(ENTRY_FIELDS)]]
    summary, meta, body = row[len(ENTRY_FIELDS) :]
    return Entry(*values, summary, bytes.fromhex(meta), bytes.fromhex(body), file)


def row_key() -> str:
    """Version of a load-cache row: the code that parses content files and shapes rows."""
    h = hashlib.sha1(str(LOAD_CACHE_VERSION).encode())
    for name in _ROW_SOURCES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()


class IngestRows:
    """The load-cache rows of the files ingest writes, streamed to content/INGEST_ROWS.

    Ingest holds each article it writes, so the row a load would parse out of
    the file costs it almost nothing; the load that follows then parses no
    YAML for those files (2 CPU s for 10,000 of them). A row counts only
    while its file keeps the size and mtime it had when written, so any later
    edit is parsed as usual. The file is replaced only when ingest wrote
    something, and never left half-written.
    """

    def __init__(self, content_dir: Path) -> None:
        self.path = content_dir / INGEST_ROWS
        self._tmp = self.path.with_name(f".{self.path.name}.tmp{os.getpid()}")
        self._out: TextIO | None = None  # opened by the first row: most ingests write none

    def add(self, rel: str, stamp: str, article: Article) -> None:
        """A file just written at content/rel, with its stamp, from `article`."""
        if self._out is None:
            self._out = open(self._tmp, "w", encoding="utf-8")  # noqa: SIM115
            head = {"version": LOAD_CACHE_VERSION, "key": row_key()}
            self._out.write(json.dumps(head) + "\n")
        line = [rel, stamp, written_row(article)]
        self._out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")

    def close(self) -> None:
        """Put the rows in place, when there are any (also after an error: each row
        stands for a file already written); otherwise the previous rows stay."""
        if self._out is not None:
            self._out.close()
            os.replace(self._tmp, self.path)


def written_row(article: Article) -> list[Any]:
    """The load-cache row of the file article_to_markdown writes for `article`.

    It equals parsing that file back: YAML gives back every field as written,
    and ingest's bodies have no blank lines at their ends for the parse to
    strip (tests/test_archive_load.py checks every sample article,
    tests/test_fuzz.py random pages).
    """
    return _row(Entry.of(article))


def _read_ingest_rows(content_dir: Path) -> dict[str, list[Any]]:
    """content/INGEST_ROWS as {rel: [stamp, row]}; empty when missing, stale or unreadable."""
    try:
        with open(content_dir / INGEST_ROWS, encoding="utf-8") as rows:
            head = json.loads(rows.readline() or "{}")
            if head != {"version": LOAD_CACHE_VERSION, "key": row_key()}:
                return {}
            return {rel: [stamp, row] for rel, stamp, row in map(json.loads, rows)}
    except (OSError, ValueError, TypeError):
        return {}


def _read_cache(path: Path | None, key: str) -> dict[str, list[Any]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != LOAD_CACHE_VERSION:
        return {}
    if data.get("key") != key or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _parse_row(file: tuple[str, str]) -> tuple[list[Any] | None, list[str]]:
    """One content file (path, path in content/) as a load-cache row, or why it is unusable."""
    path, rel = file
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"cannot be read ({exc})"]
    try:
        parsed = markdown_to_article(text, f"content/{rel}")
    except FrontMatterError as exc:
        return None, list(exc.problems)
    return _row(Entry.of(parsed, path)), []


def load_archive(
    content_dir: Path,
    report: Report,
    cache: Path | None = None,
    save_cache: Path | None = None,
    key: str = "",
) -> Archive:
    """Read every content file; a broken one is reported with its reasons and left out.

    LOAD_CACHE (in site/) holds the parsed front matter of the last build.

    Bodies stay on disk (see Entry). With `cache` (the LOAD_CACHE of the last
    build, made with the same code `key`), a file whose size and mtime are
    unchanged is not parsed again; nor is one the last ingest wrote (INGEST_ROWS)
    and nobody has touched since. `save_cache` writes the cache for the next build.
    """
    recall(content_dir)  # the slugs of names ingest met (see names.py)
    cached = _read_cache(cache, key)
    fresh = _read_ingest_rows(content_dir)
    rows: dict[str, list[Any]] = {}
    share = _Shared()
    articles: list[Entry] = []
    seen_ids: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    files = [(rel, f"{st.st_size}:{st.st_mtime_ns}") for rel, st in _content_files(content_dir)]
    hits = {
        rel: hit
        for rel, stamp in files
        for hit in (fresh.get(rel), cached.get(rel))
        if hit is not None and hit[0] == stamp
    }
    del fresh, cached
    misses = [(str(content_dir / rel), rel) for rel, _ in files if rel not in hits]
    # Parsing YAML is most of a cold load: spread the files not in the cache over the cores.
    parsed = dict(zip((rel for _, rel in misses), ordered_map(_parse_row, misses), strict=True))
    for rel, stamp in files:
        path = str(content_dir / rel)
        hit = hits.get(rel)
        if hit is not None:
            rows[rel] = hit
        else:
            row, problems = parsed[rel]
            for problem in problems:
                report.problem(f"content/{rel}", problem)
            if row is None:
                continue
            rows[rel] = [stamp, row]
        article = _from_row(rows[rel][1], path, share)
        if article.id in seen_ids:
            report.problem(
                f"content/{rel}",
                f"id {article.id} is also used by {seen_ids[article.id]}; left out",
            )
            continue
        if article.slug in seen_slugs:
            report.problem(
                f"content/{rel}",
                f"slug {article.slug} is also used by {seen_slugs[article.slug]}; left out",
            )
            continue
        seen_ids[article.id] = rel
        seen_slugs[article.slug] = rel
        articles.append(article)
    del hits
    if save_cache is not None:
        data = {"version": LOAD_CACHE_VERSION, "key": key, "files": rows}
        atomic_write(save_cache, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    del rows
    manifest = Manifest.load(content_dir) if (content_dir / MANIFEST_NAME).exists() else Manifest()
    leftovers = {
        src: tuple(rec.leftovers) for src, rec in manifest.sources.items() if rec.leftovers
    }
    return Archive(sort_articles(articles), leftovers)
