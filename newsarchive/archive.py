"""content/ → Archive: every article loaded once, grouped the ways readers browse.

Publishing re-reads content/ (never the ingest results in memory), so a
maintainer's correction flows straight into the site. Grouping uses dicts,
never `x in list`, so it stays linear in the number of articles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .model import Article
from .report import Report
from .slugs import pinyin_slug
from .store import MANIFEST_NAME, FrontMatterError, Manifest, markdown_to_article

UNKNOWN_PAPER = "未注明报纸"


def date_sort_key(date: str | None) -> str:
    """Partial dates sort before full dates of the same period; undated last when reversed."""
    return date or ""


def page_slug(source: str) -> str:
    """URL-safe name of a raw page: `太原日报/2021-12-09/01.txt` → `taiyuanribao-2021-12-09-01`."""
    stem = source.rsplit(".", 1)[0]
    parts = [
        pinyin_slug(part, max_len=40) or re.sub(r"[^a-z0-9]+", "-", part.lower())
        for part in stem.split("/")
    ]
    slug = "-".join(p.strip("-") for p in parts if p.strip("-"))
    return re.sub(r"-{2,}", "-", slug) or "page"


def name_slug(name: str) -> str:
    return pinyin_slug(name, max_len=40) or "x"


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
