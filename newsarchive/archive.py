"""content/ → Archive: every article loaded once, grouped the ways readers browse.

Publishing re-reads content/ (never the ingest results in memory), so a
maintainer's correction flows straight into the site. Grouping uses dicts,
never `x in list`, so it stays linear in the number of articles.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .model import Article
from .report import Report
from .slugs import pinyin_slug
from .store import MANIFEST_NAME, FrontMatterError, Manifest, markdown_to_article

UNKNOWN_PAPER = "未注明报纸"
RELATED_COUNT = 5  # related articles shown under each article
MAX_POSTING = 100  # a keyword in more articles than this says nothing specific; skipped
TOPIC_WINDOW = 8  # same-topic neighbours (by date) considered as related candidates


def date_sort_key(date: str | None) -> str:
    """Partial dates sort before full dates of the same period; undated last when reversed."""
    return date or ""


def page_slug(source: str) -> str:
    """URL-safe name of a raw page: `太原日报/2021-12-09/01.txt` → `taiyuanribao-2021-12-09-01`."""
    stem = source.rsplit(".", 1)[0]
    parts = [_part_slug(part) for part in stem.split("/")]
    slug = "-".join(p.strip("-") for p in parts if p.strip("-"))
    return re.sub(r"-{2,}", "-", slug) or "page"


@lru_cache(maxsize=4096)
def _part_slug(part: str) -> str:
    """Folder names (newspaper, date) repeat across thousands of pages: slug each once."""
    return pinyin_slug(part, max_len=40) or re.sub(r"[^a-z0-9]+", "-", part.lower())


def name_slug(name: str) -> str:
    return pinyin_slug(name, max_len=40) or "x"


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


@dataclass(frozen=True)
class PageView:
    """One raw page (版面): its articles in printed order and what belonged to none."""

    source: str  # raw path relative to the raw folder
    slug: str  # URL name
    articles: tuple[Article, ...]  # in position order
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

    articles: list[Article]  # newest first, then by page and position
    leftovers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> leftover text

    @cached_property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @cached_property
    def by_topic(self) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            for topic in article.topics:
                groups[topic].append(article)
        return dict(groups)

    @cached_property
    def by_paper(self) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            groups[article.newspaper or UNKNOWN_PAPER].append(article)
        return dict(groups)

    @cached_property
    def by_person(self) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            for name in article.byline:
                groups[name].append(article)
        return dict(groups)

    @cached_property
    def by_year(self) -> dict[str, list[Article]]:
        return self._group_dates(4)

    @cached_property
    def by_month(self) -> dict[str, list[Article]]:
        return self._group_dates(7)

    @cached_property
    def by_day(self) -> dict[str, list[Article]]:
        return self._group_dates(10)

    @cached_property
    def undated(self) -> list[Article]:
        return [a for a in self.articles if not a.date]

    def _group_dates(self, width: int) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
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

    def by_date_neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) article in archive order; none across the undated boundary."""
        if not article.date:
            return None, None
        i = self._order[article.id]
        older = self.articles[i + 1] if i + 1 < len(self.articles) else None
        newer = self.articles[i - 1] if i > 0 else None
        return (older if older and older.date else None), newer

    def on_page_neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
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

    def related(self, article: Article, count: int = RELATED_COUNT) -> list[Article]:
        """Articles sharing keywords and topics, best first.

        Candidates come only from the inverted keyword index (skipping words
        too common to be telling) and from a few same-topic neighbours by
        date, so the cost per article is bounded and the archive stays linear
        however large it grows. A shared keyword weighs by its rarity (idf);
        a shared topic adds one.
        """
        total = len(self.articles)
        me = self._order[article.id]
        scores: Counter[int] = Counter()
        for word in set(article.keywords):
            posting = self._keyword_index.get(word, ())
            if len(posting) > MAX_POSTING or len(posting) < 2:
                continue
            weight = 1.0 + math.log(total / len(posting))
            for j in posting:
                scores[j] += weight
        for topic in article.topics:
            items = self.by_topic[topic]
            k = self._topic_order[(topic, article.id)]
            for other in items[max(0, k - TOPIC_WINDOW) : k + TOPIC_WINDOW + 1]:
                scores[self._order[other.id]] += 0.0
        scores.pop(me, None)
        mine = set(article.topics)
        ranked = heapq.nsmallest(
            count,
            scores,
            key=lambda j: (
                -(scores[j] + len(mine.intersection(self.articles[j].topics))),
                abs(j - me),
                j,
            ),
        )
        return [self.articles[j] for j in ranked]

    @cached_property
    def pages(self) -> dict[str, PageView]:
        """Page views keyed by source, in archive order (newest pages first)."""
        groups: dict[str, list[Article]] = defaultdict(list)
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


def sort_articles(articles: Iterable[Article]) -> list[Article]:
    """Newest first; within a page, printed order."""
    items = sorted(articles, key=lambda a: (a.source, a.position))
    items.sort(key=lambda a: date_sort_key(a.date), reverse=True)
    return items


def load_archive(content_dir: Path, report: Report) -> Archive:
    """Read every content file; a broken one is reported with its reasons and left out."""
    articles: list[Article] = []
    seen_ids: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for path in sorted(content_dir.rglob("*.md")):
        rel = path.relative_to(content_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        try:
            article = markdown_to_article(path.read_text(encoding="utf-8"), f"content/{rel}")
        except FrontMatterError as exc:
            for problem in exc.problems:
                report.problem(f"content/{rel}", problem)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            report.problem(f"content/{rel}", f"cannot be read ({exc})")
            continue
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
    manifest = Manifest.load(content_dir) if (content_dir / MANIFEST_NAME).exists() else Manifest()
    leftovers = {
        src: tuple(rec.leftovers) for src, rec in manifest.sources.items() if rec.leftovers
    }
    return Archive(sort_articles(articles), leftovers)
