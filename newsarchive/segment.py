"""Cut a page's text into articles at its headlines.

A page is read as a sequence of line units. Runs of short, unpunctuated
lines are headline candidates; whether a run opens a new article or is a
subheading inside the current one depends on what surrounds it (a byline
just closed the previous article, a kicker/subtitle shape, a 本报讯 lead).
Text is kept verbatim: headline lines go to the segment's headline fields,
everything else to its paragraphs or to page leftovers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Leftover, Segment

MAX_HEADLINE_CHARS = 32
_SENTENCE_END = tuple("。！？!?；;…")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"^\*\*(.+)\*\*$")
CONTINUATION = re.compile(
    r"^[（(]\s*(?:上接|接上|紧接)\s*(第?[0-9一二三四五六七八九十]+版)\s*[)）]"
)
_ROLE = r"(?:本报|新华社|人民日报)?(?:特约|见习|实习)?(?:记者|通讯员|摄影|评论员|撰稿|编辑)"
_NAME = r"[\u4e00-\u9fff·]{2,4}"
BYLINE_LINE = re.compile(
    rf"^(?:{_ROLE}\s*(?:{_NAME}[\s、，,]*)+)+(?:\s*图片由.*提供)?$"
    rf"|^本报评论员$|^[（(]\s*{_NAME}(?:\s+{_NAME})*\s*[)）]$"
    rf"|^{_NAME}\s*摄$|^.{{2,24}}供稿$"
)
PHOTO_CAPTION = re.compile(r"(?:图为|摄$|\s摄[)）]?$|本报记者\s*\S{2,4}\s*摄)")
_COLUMN_HINT = re.compile(r"(?:发布会|之窗|专访|聚焦\s|专栏|快评|观察|时评|[①-⑳]$)")


@dataclass(frozen=True)
class Unit:
    """One non-empty line of the page, classified."""

    text: str  # the line without Markdown heading marks
    raw: str  # the line as printed
    blank_before: bool  # a blank line separated it from the previous unit
    heading_level: int  # Markdown heading level, 0 if none
    kind: str  # "headline", "byline", "paragraph"


def _classify(line: str, blank_before: bool) -> Unit:
    raw = line
    level = 0
    text = line.strip()
    if match := _MD_HEADING.match(text):
        level, text = len(match.group(1)), match.group(2)
    if match := _EMPHASIS.match(text):
        text = match.group(1)
    text = text.strip()
    if BYLINE_LINE.match(text):
        kind = "byline"
    elif level or (len(text) <= MAX_HEADLINE_CHARS and not text.endswith(_SENTENCE_END)):
        kind = "headline"
    else:
        kind = "paragraph"
    if CONTINUATION.match(text):
        kind = "paragraph"
    return Unit(text, raw, blank_before, level, kind)


def units_of(text: str) -> list[Unit]:
    """Split page text into classified line units."""
    units = []
    blank = True
    for line in text.split("\n"):
        if not line.strip():
            blank = True
            continue
        units.append(_classify(line, blank))
        blank = False
    return units


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends where a sentence can end."""
    return text.rstrip().endswith((*_SENTENCE_END, "”", "」", "）", ")", "》", '"', "’"))


@dataclass
class _Draft:
    headline: list[str]
    paragraphs: list[str]
    bylines: list[str]
    continued_from: str | None = None
    closed: bool = False  # a byline or end marker closed it


def _headline_parts(lines: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    """Split a headline run into column, kicker, title, subtitle."""
    lines = [ln for ln in lines if ln]
    column = subtitle = kicker = None
    subs = [ln for ln in lines if ln.startswith(("——", "—", "--"))]
    if subs:
        subtitle = subs[-1]
        lines = [ln for ln in lines if ln is not subtitle]
    if len(lines) >= 2 and _COLUMN_HINT.search(lines[0]):
        column, lines = lines[0], lines[1:]
    if not lines:
        return column, None, subtitle, None
    if len(lines) == 1:
        return column, None, lines[0], subtitle
    title = max(lines, key=len) if len(lines) > 2 else lines[-1]
    rest = [ln for ln in lines if ln is not title]
    kicker = " ".join(rest) if rest else None
    return column, kicker, title, subtitle


def segment_text(text: str) -> tuple[list[Segment], list[Leftover]]:
    """Cut page text into article segments and leftovers."""
    units = units_of(text)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == "headline":
            run = [unit]
            j = i + 1
            while j < len(units) and units[j].kind == "headline":
                run.append(units[j])
                j += 1
            nxt = units[j] if j < len(units) else None
            opens = (
                current is None
                or current.closed
                or len(run) >= 2
                or (nxt is not None and nxt.kind == "byline")
                or (nxt is not None and nxt.text.startswith(("本报讯", "本报", "【")))
                or (nxt is not None and CONTINUATION.match(nxt.text) is not None)
                or any(u.heading_level == 1 for u in run)
                or not current.paragraphs
            )
            if opens and current is not None and not current.paragraphs and not current.closed:
                current.headline.extend(u.text for u in run)  # headline printed in pieces
            elif opens:
                current = _Draft([u.text for u in run], [], [])
                drafts.append(current)
            else:
                assert current is not None
                current.paragraphs.extend("## " + u.text for u in run)
            i = j
            continue
        if current is None or current.closed:
            current = _Draft([], [], [])
            drafts.append(current)
        if unit.kind == "byline":
            current.bylines.append(unit.text)
            current.paragraphs.append(unit.text)
            current.closed = bool(current.paragraphs[:-1])
        else:
            body = unit.text
            if (match := CONTINUATION.match(body)) and not current.paragraphs:
                current.continued_from = match.group(1)
            prev = current.paragraphs[-1] if current.paragraphs else None
            if (
                prev is not None
                and not prev.startswith("## ")
                and len(prev) > MAX_HEADLINE_CHARS
                and not ends_sentence(prev)
                and prev not in current.bylines
            ):
                current.paragraphs[-1] = prev + body  # rejoin a column break
            else:
                current.paragraphs.append(body)
        i += 1
    return _finish(drafts)


def _finish(drafts: list[_Draft]) -> tuple[list[Segment], list[Leftover]]:
    segments: list[Segment] = []
    leftovers: list[Leftover] = []
    for draft in drafts:
        if not draft.paragraphs:
            if draft.headline:
                leftovers.append(Leftover("\n".join(draft.headline)))
            continue
        column, kicker, title, subtitle = _headline_parts(draft.headline)
        segments.append(
            Segment(
                position=len(segments) + 1,
                title=title,
                kicker=kicker,
                subtitle=subtitle,
                column=column,
                paragraphs=tuple(draft.paragraphs),
                bylines=tuple(draft.bylines),
                continued_from=draft.continued_from,
            )
        )
    return segments, leftovers
