"""Atom feeds (site and per topic), sitemap.xml and robots.txt.

Without `site_url` nothing here may point at another host: links become
root-relative paths (which resolve against the feed's own address), entry
ids become `urn:newsarchive:` names, and robots.txt names no sitemap.
Timestamps come from article dates only, never from the clock, so two
builds are byte-identical.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .archive import Archive, Entry
from .config import Config

if TYPE_CHECKING:
    from .render import Urls

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50  # entries in the site feed
TOPIC_FEED_SIZE = 20  # entries in each topic feed


def timestamp(date: str | None) -> str | None:
    """RFC 3339 for a (possibly partial) date: 2021-12 → 2021-12-01T00:00:00Z."""
    if not date:
        return None
    parts = [*date.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _fallback_time() -> str:
    """For an archive with no dates at all: SOURCE_DATE_EPOCH, else the epoch."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _link(urls: Urls, url: str) -> str:
    return urls.absolute(url) or url


def atom_feed(
    config: Config, urls: Urls, title: str, articles: Iterable[Entry], self_url: str, home: str
) -> str:
    """An Atom 1.0 document for these articles (newest first)."""
    ET.register_namespace("", ATOM_NS)
    items = list(articles)
    stamps = [t for a in items if (t := timestamp(a.date))]
    updated = max(stamps) if stamps else _fallback_time()
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM_NS}}}subtitle").text = config.description
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = urls.absolute(self_url) or (
        "urn:newsarchive:feed:" + self_url.removeprefix(urls.base)
    )
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = updated
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": _link(urls, self_url)})
    ET.SubElement(
        feed,
        f"{{{ATOM_NS}}}link",
        {"rel": "alternate", "type": "text/html", "href": _link(urls, home)},
    )
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = config.title
    for article in items:
        url = urls.article(article)
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = article.title
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = urls.absolute(url) or (
            f"urn:newsarchive:article:{article.id}"
        )
        ET.SubElement(
            entry,
            f"{{{ATOM_NS}}}link",
            {"rel": "alternate", "type": "text/html", "href": _link(urls, url)},
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = timestamp(article.date) or updated
        if article.date:
            ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = timestamp(article.date)
        for name in article.byline:
            person = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
            ET.SubElement(person, f"{{{ATOM_NS}}}name").text = name
        for topic in article.topics:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": topic})
        ET.SubElement(entry, f"{{{ATOM_NS}}}summary").text = article.excerpt(200)
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def sitemap(urls: Urls, html_paths: Iterable[str]) -> str:
    """sitemap.xml of every HTML page; absolute only when site_url is known."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in sorted(html_paths):
        url = urls(path.removesuffix("index.html"))
        ET.SubElement(
            ET.SubElement(root, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc"
        ).text = _link(urls, url)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots(urls: Urls) -> str:
    lines = ["User-agent: *", "Allow: /"]
    absolute = urls.absolute(urls("sitemap.xml"))
    if absolute:
        lines.append(f"Sitemap: {absolute}")
    return "\n".join(lines) + "\n"


def plan_files(
    config: Config, archive: Archive, urls: Urls, html_paths: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """(path, text) of the site feed, one feed per topic, sitemap and robots.txt."""
    base = urls.base
    yield (
        urls.feed().removeprefix(base),
        atom_feed(config, urls, config.title, archive.articles[:FEED_SIZE], urls.feed(), urls()),
    )
    for topic, items in archive.by_topic.items():
        yield (
            urls.topic_feed(topic).removeprefix(base),
            atom_feed(
                config,
                urls,
                f"{topic} - {config.title}",
                items[:TOPIC_FEED_SIZE],
                urls.topic_feed(topic),
                urls.topic(topic),
            ),
        )
    yield "sitemap.xml", sitemap(urls, html_paths)
    yield "robots.txt", robots(urls)
