"""Plain data passed between the build stages.

Every stage takes and returns these frozen dataclasses, so a stage can be
tested without a disk and no stage can mutate what an earlier one produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("news", "commentary", "interview", "notice", "photo", "continuation", "fragment")
DATE_SOURCES = ("override", "path", "explicit", "inferred", "none")


@dataclass(frozen=True)
class PageMeta:
    """What the raw file's location or sidecar says about the page."""

    newspaper: str | None = None  # paper name from folder or sidecar
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    page_no: int | None = None  # printed page (版) number
    date_override: bool = False  # sidecar's `date_override: true` beats everything


@dataclass(frozen=True)
class SourcePage:
    """One raw OCR page, decoded."""

    source: str  # path relative to the raw folder, POSIX separators
    text: str  # decoded text, newlines normalised to \n
    encoding: str  # the encoding it was read with
    meta: PageMeta = field(default_factory=PageMeta)
    digest: str = ""  # sha256 of the raw bytes, for incremental rebuilds


@dataclass(frozen=True)
class Block:
    """A paragraph-sized unit of page text with its character span in `SourcePage.text`."""

    text: str  # the block's text, stripped of surrounding blank space
    start: int  # offset of the first character in the page text
    end: int  # offset just past the last character


@dataclass(frozen=True)
class Segment:
    """An article cut out of a page, before enrichment."""

    position: int  # 1-based order on the page
    title: str | None  # headline, None when the page printed none
    kicker: str | None = None  # line printed above the headline (引题)
    subtitle: str | None = None  # line below it (副题)
    column: str | None = None  # standing column label (栏目)
    paragraphs: tuple[str, ...] = ()  # body; subheadings are "## …"
    bylines: tuple[str, ...] = ()  # raw byline lines removed from the body
    continued_from: str | None = None  # e.g. 第1版 for (上接第1版)
    photo: bool = False  # a caption standing where a picture was printed
    dropped: tuple[str, ...] = ()  # text OCR printed twice, removed from the body (kept here)


@dataclass(frozen=True)
class Leftover:
    """Page text that belongs to no article (banners, stray fragments); shown on the page view."""

    text: str
    reason: str = ""  # why it is left over: banner, masthead, headline


@dataclass(frozen=True)
class Article:
    """One article as written to content/: the front-matter contract plus the body."""

    id: str  # stable identifier
    slug: str  # readable URL slug, fixed once written
    title: str  # headline, or a made-up one when untitled
    untitled: bool  # title was made up from the text
    kind: str  # one of KINDS
    byline: tuple[str, ...]  # names credited
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; None if unknown
    date_source: str  # one of DATE_SOURCES
    newspaper: str | None  # paper name where known
    source: str  # raw file path relative to the raw folder
    position: int  # 1-based order on the page
    topics: tuple[str, ...]  # topics from the site taxonomy
    body: str  # Markdown body
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None
    continued_from: str | None = None
    page_no: int | None = None  # printed page number where known
    keywords: tuple[str, ...] = ()  # salient jieba words, for related articles


@dataclass(frozen=True)
class IngestedPage:
    """The result of ingesting one raw page: its articles and what was left over."""

    page: SourcePage
    articles: tuple[Article, ...]
    leftovers: tuple[Leftover, ...] = ()
