"""Turn segments into articles: kind, byline names, date, topics, id and slug."""

from __future__ import annotations

import re
from collections import Counter

from .bylines import bylines_of
from .config import Config
from .dates import PageDate
from .model import Article, Segment, SourcePage
from .punctuation import widen
from .segment import PHOTO_CAPTION
from .slugs import article_id, article_slug
from .textutil import keywords_of, to_simplified
from .topics import assign_topics, topic_words

_NOTICE = re.compile(r"(?:启事|启示|通知|通告|公告|声明|讣告|公示|告示|须知)$")
_COMMENTARY = re.compile(r"^——?论(?!坛|文)|评论员|^(?:短评|时评|社论|快评|评论|编者按|编后)")
_INTERVIEW = re.compile(r"^——?\s*(?:专)?访")
UNTITLED_CHARS = 18
# A made-up title `…坚持强龙头、…` reads better as `…坚持强龙头…`.
_CUT_AFTER_MARK = re.compile(r"[，、；：。,;:]+…$")


def _kind(segment: Segment, bylines: tuple[str, ...]) -> str:
    """The kind, by the strongest printed signal: jump, notice title, 评论员, ——访, caption."""
    title = to_simplified(segment.title or "")
    body = [p for p in segment.paragraphs if not p.startswith("## ")]
    text = "\n".join(body)
    if segment.continued_from:
        return "continuation"
    if title and _NOTICE.search(title):
        return "notice"
    heads = (segment.subtitle, segment.column, segment.kicker)
    labels = [to_simplified(x or "") for x in heads] + [title]
    if "本报评论员" in bylines or any(_COMMENTARY.search(label) for label in labels):
        return "commentary"
    if _INTERVIEW.search(to_simplified(segment.subtitle or "")):
        return "interview"
    if segment.photo or (
        segment.title is None and len(text) < 300 and len(body) <= 3 and PHOTO_CAPTION.search(text)
    ):
        return "photo"
    if segment.title is None:
        return "fragment"
    return "news"


def _made_up_title(segment: Segment) -> str:
    """The first words of the body, for an article printed without a headline."""
    for para in segment.paragraphs:
        if para.startswith("## "):
            continue
        first = re.sub(r"^[（(]\s*(?:上接|接上|紧接|转自)[^)）]*[)）]\s*", "", para).strip()
        if first:
            head = first[:UNTITLED_CHARS]
            return head + ("…" if len(first) > UNTITLED_CHARS else "")
    return "（无标题）"


def enrich(segment: Segment, page: SourcePage, when: PageDate, config: Config) -> Article:
    """Everything the front-matter contract needs, from one segment and its page."""
    body = "\n\n".join(segment.paragraphs)
    untitled = not segment.title
    title = segment.title or _made_up_title(segment)
    names = bylines_of(segment.paragraphs, segment.bylines)
    # The id hashes the text as OCR read it, so setting its punctuation full-width
    # (below, and in any later change to that) never moves an article's URL.
    fingerprint = f"{title}\x00{body[:64]}"
    ident = article_id(page.source, fingerprint)
    plain = "\n".join(p.removeprefix("## ") for p in segment.paragraphs)
    # One segmentation pass per text, shared by topics and keywords.
    title_words = Counter([] if untitled else topic_words(title, config.topics))
    body_words = Counter(
        topic_words(
            "\n".join(x for x in (segment.kicker, segment.subtitle, plain) if x), config.topics
        )
    )
    all_words = body_words.copy()  # counted once, for topics and for keywords
    all_words.update(title_words)
    return Article(
        id=ident,
        slug=article_slug(title, ident),
        title=_CUT_AFTER_MARK.sub("…", widen(title)) if untitled else widen(title),
        untitled=untitled,
        kind=_kind(segment, names),
        byline=names,
        date=when.date,
        date_source=when.source,
        newspaper=when.newspaper,
        source=page.source,
        position=segment.position,
        topics=assign_topics(
            title_words, body_words, config.topics, config.topic_min_score, config.max_topics
        ),
        body=widen(body),
        kicker=segment.kicker and widen(segment.kicker),
        subtitle=segment.subtitle and widen(segment.subtitle),
        column=segment.column and widen(segment.column),
        continued_from=segment.continued_from,
        page_no=when.page_no,
        keywords=tuple(keywords_of(all_words, 8)),
    )
