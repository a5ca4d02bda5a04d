"""Cut a page's text into articles: headline blocks, bodies, bylines, repairs.

A page is read as line units. Steps, each a small function:

1. classify every non-empty line (headline-like, byline, jump marker, masthead,
   paragraph) and note how many empty lines precede it (two or more mark where
   a picture stood);
2. find photo captions (short text standing after a picture gap);
3. repair column order: a paragraph that stops mid-sentence continues in the
   paragraph whose first words complete its last word (jieba's dictionary
   decides, so `专业护` + `理技能` rejoins `护理`); by default the next one;
4. walk the units in reading order: headline runs open articles or become
   `##` subheadings depending on what closes and follows them;
5. drop sentences OCR printed twice inside one article, recording them.

Text is kept verbatim: headline lines go to the headline fields, everything
else to a body, a page leftover, or the explicit `dropped` list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bylines import is_byline_line, is_name, trailing_credit
from .model import Leftover, Segment
from .textutil import best_freq, keyword_set, to_simplified

MAX_HEADLINE_CHARS = 48
MIN_JOIN_FREQ = 100  # a word spanning a non-adjacent join must be this common in jieba's dictionary
CAPTION_MAX_CHARS = 300
_SENTENCE_END = tuple("。！？!?；;…")
_PARA_END = (*_SENTENCE_END, "”", "」", "’", "）", ")", "》", '"', "：", ":", "】", "——")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"^\*\*(.+?)\*\*$")
CONTINUATION = re.compile(
    r"^[（(]\s*(?:上接|接上|紧接|转自)\s*(第?[0-9一二三四五六七八九十]+版)\s*[)）]"
)
_LEAD = re.compile(r"^(?:本报讯|本报\S{0,10}电|【[^】]{2,30}】|新华社\S{0,12}电|[（(]新华社)")
_MASTHEAD = re.compile(
    r"^\s*(?:《[^》]{2,20}》\s*[（(]\s*\d{4}\s*年.{0,20}[)）]"
    r"|\S{2,12}报\s+\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,20})\s*$"
)
_DATE_ONLY = re.compile(
    r"^[\d一二三四五六七八九十〇零○]{2,4}\s*年[\d一二三四五六七八九十〇零○]{1,2}\s*月[\d一二三四五六七八九十〇零○]{1,3}\s*日$"
)
_COLUMN_HINT = re.compile(
    r"(?:发布会|之窗|专访|专栏|快评|时评|短评|评论员观察|聚焦\s|[①-⑳]$|[\(（]\d+[\)）]$|专题|特刊|论坛)"
)
PHOTO_CAPTION = re.compile(r"(?:图为|摄$|\s摄[)）]?$|(?:本报)?记者\s*\S{2,4}\s*摄)")
_NOTICE_TITLE = re.compile(r"(?:启事|启示|通知|通告|公告|声明|讣告|公示|告示|须知|提示)$")
_NOTE = re.compile(r"^(?:注|附|附件|备注)\s*[：:\d]")
_CLAUSE = re.compile(r"[^。！？!?]+[。！？!?]+[”」’]?")


@dataclass
class Unit:
    """One non-empty line of the page, classified."""

    index: int  # position among the page's units
    text: str  # the line without Markdown heading/emphasis marks
    gap: int  # empty lines before it
    level: int  # Markdown heading level, 0 if none
    strong: bool  # printed with a mark (#, **): certainly display type
    kind: str  # headline, byline, marker, masthead, dateline, paragraph


def _headline_like(text: str) -> bool:
    if not 2 <= len(text) <= MAX_HEADLINE_CHARS:
        return False
    if text.endswith(("，", ",", "、", "：", ":", "；", ";", "。", ".", "…")):
        return False
    if re.search(r"[，。；]", text) or _DATE_ONLY.match(text) or _LEAD.match(text):
        return False
    if re.match(r"^(?:注|附|电话|联系|地址|邮编)\s*[：:]?|^特此\S{2}$", text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    return digits <= len(text) * 0.3


def _classify(index: int, line: str, gap: int) -> Unit:
    text = line.strip()
    level = 0
    strong = False
    if match := _MD_HEADING.match(text):
        level, text, strong = len(match.group(1)), match.group(2), True
    if match := _EMPHASIS.match(text):
        text, strong = match.group(1).strip(), True
    text = text.strip()
    if CONTINUATION.match(text) and CONTINUATION.sub("", text).strip() == "":
        kind = "marker"
    elif is_byline_line(text):
        kind = "byline"
    elif _MASTHEAD.match(text):
        kind = "masthead"
    elif _DATE_ONLY.match(text):
        kind = "dateline"
    elif strong or _headline_like(text):
        kind = "headline"
    else:
        kind = "paragraph"
    return Unit(index, text, gap, level, strong, kind)


def units_of(text: str) -> list[Unit]:
    """Split page text into classified line units."""
    units: list[Unit] = []
    gap = 0
    for line in text.split("\n"):
        if not line.strip():
            gap += 1
            continue
        units.append(_classify(len(units), line, gap if units else max(gap, 1)))
        gap = 0
    marked = any(u.strong for u in units)
    if marked:  # on a page that marks headlines, an unmarked line heads nothing on its own
        _demote_lone_weak(units)
    return units


def _demote_lone_weak(units: list[Unit]) -> None:
    """Unmarked headline-like lines count only when they touch a marked headline."""
    i = 0
    while i < len(units):
        if units[i].kind != "headline":
            i += 1
            continue
        j = i
        while j < len(units) and units[j].kind == "headline":
            j += 1
        if not any(u.strong for u in units[i:j]):
            for u in units[i:j]:
                u.kind = "paragraph"
        i = j


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends where a paragraph can end."""
    return text.rstrip().endswith(_PARA_END)


def _is_credit_name(unit: Unit) -> bool:
    return not unit.strong and is_name(unit.text) and len(unit.text) <= 4


def find_captions(units: list[Unit]) -> dict[int, list[int]]:
    """Photo captions: first unit index → the caption's unit indexes (credit included).

    A caption is up to three short paragraphs standing right after a picture gap
    (two or more empty lines), optionally followed by the photographer's name, and
    followed by a headline, another gap or the end of the page.
    """
    found: dict[int, list[int]] = {}
    i = 0
    while i < len(units):
        first = units[i]
        if first.gap < 2 or first.kind not in ("paragraph", "byline"):
            i += 1
            continue
        j, total = i, 0
        while (
            j < len(units)
            and j - i < 3
            and units[j].kind == "paragraph"
            and (j == i or units[j].gap <= 1)
        ):
            total += len(units[j].text)
            j += 1
        if j == i or total > CAPTION_MAX_CHARS:
            i += 1
            continue
        if j < len(units) and (
            units[j].kind == "byline" or (_is_credit_name(units[j]) and units[j].gap <= 1)
        ):
            j += 1
        end_ok = j == len(units) or units[j].gap >= 2 or units[j].kind in ("headline", "marker")
        if end_ok:
            found[i] = list(range(i, j))
            i = j
        else:
            i += 1
    return found


def _is_broken(unit: Unit) -> bool:
    return unit.kind == "paragraph" and len(unit.text) > 8 and not ends_sentence(unit.text)


def _junction_word(tail: str, head: str) -> int:
    """Dictionary frequency of the best word spanning `tail|head`, 0 if none."""
    tail, head = to_simplified(tail[-4:]), to_simplified(head[:4])
    spans = range(1, len(head) + 1)
    return best_freq([tail[i:] + head[:j] for i in range(len(tail)) for j in spans])


def plan_joins(units: list[Unit], caption_units: set[int]) -> dict[int, int]:
    """For paragraphs broken mid-sentence, the unit that continues each (index → index).

    The adjacent paragraph continues it unless a paragraph elsewhere on the page
    completes its last word with a common dictionary word and the adjacent one does
    not (a column printed out of order).
    """
    paras = [u for u in units if u.kind == "paragraph" and u.index not in caption_units]
    broken = [u for u in paras if _is_broken(u)]
    nxt: dict[int, Unit | None] = {}
    for u in broken:
        after = units[u.index + 1] if u.index + 1 < len(units) else None
        ok = after is not None and after.kind == "paragraph" and after.index not in caption_units
        nxt[u.index] = after if ok else None
    headless = set()
    for u in paras:
        before = units[u.index - 1] if u.index else None
        if (
            before is None
            or before.kind == "byline"
            or _is_broken(before)
            or (before.kind == "paragraph" and trailing_credit(before.text))
        ):
            headless.add(u.index)
    joins: dict[int, int] = {}
    claimed: set[int] = set()
    scored: list[tuple[int, int, int]] = []
    for u in broken:
        adjacent = nxt[u.index]
        if adjacent is not None and _junction_word(u.text, adjacent.text) >= MIN_JOIN_FREQ:
            continue
        for cand in paras:
            if cand.index == u.index + 1 or cand.index not in headless or cand.index == u.index:
                continue
            if _LEAD.match(to_simplified(cand.text[:12])) or CONTINUATION.match(cand.text):
                continue
            freq = _junction_word(u.text, cand.text)
            if freq >= MIN_JOIN_FREQ:
                prev = units[cand.index - 1] if cand.index else None
                if (
                    prev is not None
                    and _is_broken(prev)
                    and _junction_word(prev.text, cand.text) >= MIN_JOIN_FREQ
                ):
                    continue  # its own neighbour already fits
                scored.append((-freq, u.index, cand.index))
    for _, src, dst in sorted(scored):
        if src in joins or dst in claimed:
            continue
        joins[src] = dst
        claimed.add(dst)
    for u in broken:
        adjacent = nxt[u.index]
        if u.index not in joins and adjacent is not None and adjacent.index not in claimed:
            joins[u.index] = adjacent.index
            claimed.add(adjacent.index)
    return joins


def reading_order(units: list[Unit], joins: dict[int, int]) -> list[Unit]:
    """Reorder runs of units so that every non-adjacent join becomes adjacent."""
    moved = {dst for src, dst in joins.items() if dst != src + 1}
    cuts = moved | {src + 1 for src, dst in joins.items() if dst != src + 1}
    runs: list[list[Unit]] = []
    for u in units:
        if not runs or u.index in cuts:
            runs.append([])
        runs[-1].append(u)
    start_of = {run[0].index: k for k, run in enumerate(runs)}
    follows: dict[int, int] = {}
    for k, run in enumerate(runs):
        dst = joins.get(run[-1].index)
        if dst is not None and dst in moved and dst in start_of:
            follows[k] = start_of[dst]
    targets = set(follows.values())
    order: list[Unit] = []
    done: set[int] = set()
    for k in range(len(runs)):
        if k in targets or k in done:
            continue
        while k is not None and k not in done:
            done.add(k)
            order.extend(runs[k])
            k = follows.get(k)  # type: ignore[assignment]
    for k in range(len(runs)):  # a cycle of moved runs: keep file order
        if k not in done:
            done.add(k)
            order.extend(runs[k])
    return order


@dataclass
class _Draft:
    headline: list[Unit]
    paragraphs: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    continued_from: str | None = None
    closed: bool = False  # a byline, credit or signature closed it
    photo: bool = False
    last_unit: int = -1  # index of the unit that supplied the last paragraph
    column: str | None = None  # set by a banner printed after it
    headless: bool = False  # started with no headline or jump marker


def _title_level(draft: _Draft) -> int:
    levels = [u.level for u in draft.headline if u.level]
    return max(levels) if levels else 0


def _run_opens(run: list[Unit], cur: _Draft | None, after: Unit | None, marked: bool) -> bool:
    if cur is None or cur.closed:
        return True
    if after is not None and (
        after.kind in ("byline", "marker")
        or (
            after.kind == "paragraph"
            and (_LEAD.match(to_simplified(after.text[:12])) or CONTINUATION.match(after.text))
        )
    ):
        return True
    texts = [u.text for u in run]
    if (
        after is not None
        and after.kind == "paragraph"
        and len(after.text) <= 16
        and after.text.endswith(("：", ":"))
    ):
        return True  # a salutation: a notice or letter starts here
    if _NOTICE_TITLE.search(to_simplified(texts[-1])):
        return True
    if len(run) >= 2 or any(t.startswith(("——", "--")) or t.endswith("——") for t in texts):
        return True
    if any(u.level == 1 for u in run):
        return True
    if marked:
        level = min(u.level for u in run if u.level) if any(u.level for u in run) else 9
        title_level = _title_level(cur)
        return bool(title_level) and level <= title_level
    return False


def headline_parts(
    lines: list[Unit],
) -> tuple[str | None, str | None, str | None, str | None, list[str]]:
    """Split a headline run into column, kicker, title, subtitle and stray lines.

    The title is the last marked line (or the last line not opening with a dash);
    a dash-led line after it is the subtitle; lines above are the kicker, the first
    one being the column when it has a column's shape; an unmarked line below the
    title is a standing label (column).
    """
    if not lines:
        return None, None, None, None, []
    marked = [k for k, u in enumerate(lines) if u.level]
    plain = [k for k, u in enumerate(lines) if not u.text.startswith(("——", "--"))]
    if marked:
        t = marked[-1]
    elif plain:
        t = plain[-1]
    else:
        t = 0
    title = lines[t].text
    column: str | None = None
    subtitle: str | None = None
    stray: list[str] = []
    above = [u.text for u in lines[:t]]
    below = [u.text for u in lines[t + 1 :]]
    if above and _COLUMN_HINT.search(above[0]) and not above[0].endswith("——"):
        column = above.pop(0)
        while above and above[0].startswith(("——", "--")):
            stray.append(above.pop(0))  # the column's own tagline
    kicker = " ".join(above) if above else None
    for line in below:
        if line.startswith(("——", "--")) and subtitle is None:
            subtitle = line
        elif column is None and not line.startswith(("——", "--")):
            column = line
        else:
            stray.append(line)
    return column, kicker, title, subtitle, stray


def _banner(run: list[Unit]) -> tuple[str, list[str]]:
    """A label printed between articles: its column-shaped line, the rest stray."""
    texts = [u.text for u in run]
    for k, text in enumerate(texts):
        if _COLUMN_HINT.search(text) or (run[k].strong and not run[k].level):
            return text, texts[:k] + texts[k + 1 :]
    return texts[0], texts[1:]


def segment_text(text: str) -> tuple[list[Segment], list[Leftover]]:
    """Cut page text into article segments and page leftovers."""
    units = units_of(text)
    captions = find_captions(units)
    caption_units = {i for group in captions.values() for i in group}
    joins = plan_joins(units, caption_units)
    relocated = any(dst != src + 1 for src, dst in joins.items())
    order = reading_order(units, joins)
    marked = any(u.strong for u in units)
    drafts: list[_Draft] = []
    leftovers: list[Leftover] = []
    cur: _Draft | None = None
    k = 0
    while k < len(order):
        unit = order[k]
        if unit.index in captions:
            group = [units[i] for i in captions[unit.index]]
            cur = _Draft([], photo=True, closed=True, headless=True)
            for member in group:
                cur.paragraphs.append(member.text)
                if member.kind == "byline" or _is_credit_name(member):
                    cur.bylines.append(member.text)
            drafts.append(cur)
            k += len(group)
            continue
        if unit.kind == "headline":
            run = [unit]
            j = k + 1
            while j < len(order) and order[j].kind == "headline" and order[j].index not in captions:
                run.append(order[j])
                j += 1
            after = order[j] if j < len(order) else None
            if after is not None and after.index in captions and after.gap >= 2:
                label, stray = _banner(run)
                if cur is not None and cur.column is None and not cur.headless:
                    cur.column = label
                else:
                    stray.insert(0, label)
                leftovers.extend(Leftover(s, "banner") for s in stray)
            elif _run_opens(run, cur, after, marked):
                if cur is not None and not cur.paragraphs and cur.headline and not cur.closed:
                    cur.headline.extend(run)  # a headline printed in pieces
                else:
                    cur = _Draft(list(run))
                    drafts.append(cur)
            else:
                assert cur is not None
                for u in run:
                    cur.paragraphs.append(("## " if u.strong or not marked else "") + u.text)
                    cur.last_unit = u.index
            k = j
            continue
        if unit.kind == "masthead":
            leftovers.append(Leftover(unit.text, "masthead"))
            k += 1
            continue
        if unit.kind == "marker" or (unit.kind == "paragraph" and CONTINUATION.match(unit.text)):
            if cur is None or cur.paragraphs or cur.closed or not cur.headline:
                cur = _Draft([])
                drafts.append(cur)
            match = CONTINUATION.match(unit.text)
            assert match is not None
            cur.continued_from = match.group(1)
            cur.paragraphs.append(unit.text)
            cur.last_unit = unit.index
            k += 1
            continue
        prev = order[k - 1] if k else None
        broken_off = (
            prev is not None
            and prev.index + 1 != unit.index
            and joins.get(prev.index) != unit.index
        )  # a column moved here from elsewhere on the page starts afresh
        note = unit.kind == "paragraph" and _NOTE.match(unit.text)  # 注: under a signed notice
        if cur is None or (cur.closed and unit.kind != "byline" and not note) or broken_off:
            cur = _Draft([], headless=True)
            drafts.append(cur)
        if unit.kind == "byline":
            body_before = [p for p in cur.paragraphs if p not in cur.bylines]
            cur.bylines.append(unit.text)
            cur.paragraphs.append(unit.text)
            cur.closed = bool(body_before)  # a byline above the body does not close it
        elif cur.paragraphs and joins.get(cur.last_unit) == unit.index:
            cur.paragraphs[-1] += unit.text  # rejoin a paragraph broken by a column
        else:
            cur.paragraphs.append(unit.text)
        if unit.kind == "dateline" and len(cur.paragraphs) > 1:
            cur.closed = True  # a notice signed and dated
        elif unit.kind == "paragraph" and trailing_credit(cur.paragraphs[-1]):
            cur.closed = True
        cur.last_unit = unit.index
        k += 1
    if relocated:
        drafts = _place_headless(drafts)
    return _finish(drafts, leftovers)


def _place_headless(drafts: list[_Draft]) -> list[_Draft]:
    """On a page whose columns were out of order, join headless blocks to their article.

    A block with no headline and no jump marker is appended to the open (uncredited)
    untitled continuation that shares the most keywords with it.
    """
    targets = [d for d in drafts if d.continued_from and not d.headline and not d.closed]
    if not targets:
        return drafts
    out: list[_Draft] = []
    known: dict[str, set[str]] = {}  # text → its keywords: each target is compared often

    def keywords(draft: _Draft) -> set[str]:
        text = "\n".join(draft.paragraphs)
        if text not in known:
            known[text] = keyword_set(text)
        return known[text]

    for d in drafts:
        if d.headless and not d.photo and not d.continued_from:
            words = keywords(d)
            best = max(targets, key=lambda t: len(words & keywords(t)))
            overlap = len(words & keywords(best))
            if overlap >= 3:
                best.paragraphs.extend(d.paragraphs)
                best.bylines.extend(d.bylines)
                best.closed = d.closed
                continue
        out.append(d)
    return out


def drop_duplicates(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Remove sentences and paragraphs OCR printed twice within one article."""
    seen: set[str] = set()
    kept: list[str] = []
    dropped: list[str] = []
    for para in paragraphs:
        if para.startswith("## "):
            kept.append(para)
            continue
        pieces = _CLAUSE.findall(para)
        rest = _CLAUSE.sub("", para)
        if not pieces or "".join(pieces) + rest != para:
            pieces, rest = [para], ""
        out = ""
        for piece in pieces:
            key = piece.strip()
            if len(key) >= 12 and key in seen:
                dropped.append(piece)
                continue
            seen.add(key)
            out += piece
        out += rest
        if out.strip():
            kept.append(out)
    return kept, dropped


def _finish(
    drafts: list[_Draft], leftovers: list[Leftover]
) -> tuple[list[Segment], list[Leftover]]:
    segments: list[Segment] = []
    for draft in drafts:
        if not draft.paragraphs:
            if draft.headline:
                leftovers.append(Leftover("\n".join(u.text for u in draft.headline), "headline"))
            continue
        column, kicker, title, subtitle, stray = headline_parts(draft.headline)
        if column and draft.column:
            stray.append(draft.column)  # its own label wins over a banner printed after it
        leftovers.extend(Leftover(s, "banner") for s in stray)
        paragraphs, dropped = drop_duplicates(draft.paragraphs)
        segments.append(
            Segment(
                position=len(segments) + 1,
                title=title,
                kicker=kicker,
                subtitle=subtitle,
                column=column or draft.column,
                paragraphs=tuple(paragraphs),
                bylines=tuple(draft.bylines),
                continued_from=draft.continued_from,
                photo=draft.photo,
                dropped=tuple(dropped),
            )
        )
    return segments, leftovers
