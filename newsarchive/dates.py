"""The page's publication date, and which rule decided it.

Rules, in order: a maintainer's override, the raw path or sidecar, a date
printed in a masthead line, inference from the dates in the text. A partial
date (`2021-12`, `2021`) is given when the evidence is partial; no date is
ever invented.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import PageMeta

_MASTHEAD = re.compile(
    r"《([^》]{2,20})》\s*[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"(?:\s*第\s*(\d{1,3})\s*版)?\s*[)）]"
)
# A dateline printed at the top of a page: "人民日报 1953年3月14日 星期六 第2版".
_TOPLINE = re.compile(
    r"^\s*(?:《?([^\s《》（(]{2,12}报)》?)?\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"\s*(?:星期[一二三四五六日天])?\s*(?:第\s*(\d{1,3})\s*版)?\s*[)）]?\s*(?:星期[一二三四五六日天])?\s*$"
)
_CN = "〇零一二三四五六七八九十"
_NUM = rf"[\d{_CN}]{{1,3}}"
_FULL = re.compile(rf"(?<!\d)(\d{{4}})\s*年\s*({_NUM})\s*月\s*({_NUM})\s*[日号]")
_YEAR_MONTH = re.compile(rf"(?<!\d)(\d{{4}})\s*年\s*({_NUM})\s*月(?!\s*{_NUM}\s*[日号])")
_MONTH_DAY = re.compile(rf"(?<![\d年{_CN}])({_NUM})\s*月\s*({_NUM})\s*[日号]")
_YEAR = re.compile(r"(?<!\d)((?:18|19|20)\d{2})\s*年(?!代|度)")
_FUTURE_BEFORE = re.compile(r"(?:到|至|将|预计|计划|力争|争取|定|截止|之前)(?:于|在)?\s*$")
_FUTURE_AFTER = re.compile(r"^\s*(?:\d{1,2}时)?\s*(?:前|以前|之前|底前|起|开始|结束|截止|到期)")
NEAR_FUTURE_DAYS = 45  # a full date up to this far after the page's own dates is in its year


def cn_number(text: str) -> int:
    """'12' or '十二' or '二十九' → int; 0 when unreadable."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    if "十" in text:
        left, _, right = text.partition("十")
        tens = digits.get(left, 0) if left else 1
        ones = digits.get(right, 0) if right else 0
        return tens * 10 + ones
    return digits.get(text, 0) if len(text) == 1 else 0


@dataclass(frozen=True)
class PageDate:
    date: str | None  # YYYY-MM-DD, YYYY-MM, YYYY or None
    source: str  # override, path, explicit, inferred, none
    newspaper: str | None = None  # a paper named in a masthead line
    page_no: int | None = None  # a page number printed in the masthead


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    out = f"{year:04d}"
    if month:
        out += f"-{month:02d}"
        if day:
            out += f"-{day:02d}"
    return out


def _valid(year: int, month: int, day: int) -> bool:
    return 1800 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _future(text: str, start: int, end: int) -> bool:
    return bool(_FUTURE_BEFORE.search(text[max(0, start - 4) : start])) or bool(
        _FUTURE_AFTER.match(text[end : end + 6])
    )


def infer_date(text: str) -> str | None:
    """Reason from the dates in the text; give only the precision the evidence has.

    Month-day mentions without a year (`12月8日`) are the events being reported:
    their most frequent month is the page's month. The year is the latest one the
    page's dated past events imply: a full date (or year-month) not marked as
    future is in the page's year when it falls before, or shortly after, the
    page's month-day; when it falls well after it, it happened the year before
    (`2022年4月26日` reported on a `1月4日` page means January 2023). Without
    month-day mentions only a year is given.
    """
    text = re.sub(
        r"([〇零○一二三四五六七八九]{4})(?=\s*年)",
        lambda m: "".join(
            str("〇一二三四五六七八九".find(c.replace("零", "〇").replace("○", "〇")))
            for c in m.group(1)
        ),
        text,
    )
    full: list[tuple[int, int, int, bool]] = []
    for m in _FULL.finditer(text):
        y, mo, d = int(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3))
        if _valid(y, mo, d):
            full.append((y, mo, d, _future(text, m.start(), m.end())))
    stripped = _FULL.sub(lambda m: " " * len(m.group(0)), text)
    year_months: list[tuple[int, int, bool]] = []
    for m in _YEAR_MONTH.finditer(stripped):
        y, mo = int(m.group(1)), cn_number(m.group(2))
        if _valid(y, mo, 1):
            year_months.append((y, mo, _future(stripped, m.start(), m.end())))
    stripped = _YEAR_MONTH.sub(lambda m: " " * len(m.group(0)), stripped)
    month_days = [
        (cn_number(mo), cn_number(d))
        for mo, d in _MONTH_DAY.findall(stripped)
        if _valid(2000, cn_number(mo), cn_number(d))
    ]
    years = [
        int(m.group(1))
        for m in _YEAR.finditer(stripped)
        if not _future(stripped, m.start(), m.end())
    ]
    if not month_days:
        past = [y for y, _, _, fut in full if not fut] or [
            y for y, _, fut in year_months if not fut
        ]
        return _iso(max(past)) if past else None
    month = Counter(mo for mo, _ in month_days).most_common(1)[0][0]
    day = max(d for mo, d in month_days if mo == month)
    anchor = month * 31 + day
    implied: list[int] = []
    for y, mo, d, fut in full:
        ahead = mo * 31 + d - anchor
        if ahead <= NEAR_FUTURE_DAYS:
            implied.append(y)
        elif not fut:
            implied.append(y + 1)
    for y, mo, fut in year_months:
        if mo * 31 - anchor > NEAR_FUTURE_DAYS and not fut:
            implied.append(y + 1)
        elif mo <= month:
            implied.append(y)
    if implied:
        return _iso(max(implied), month)
    if years:
        return _iso(max(years), month)
    return None


def explicit_date(text: str) -> PageDate | None:
    """A masthead or top dateline: `《人民日报》（2025年01月15日第 11 版）`."""
    candidates = [_MASTHEAD.search(text)]
    for line in [ln for ln in text.split("\n") if ln.strip()][:6]:
        candidates.append(_TOPLINE.match(line))
    for match in candidates:
        if not match:
            continue
        paper, y, m, d, page = match.groups()
        year, month, day = int(y), int(m), int(d)
        if _valid(year, month, day):
            return PageDate(_iso(year, month, day), "explicit", paper, int(page) if page else None)
    return None


def page_date(meta: PageMeta, text: str) -> PageDate:
    """Apply the rules in order and say which one decided."""
    printed = explicit_date(text)
    paper = meta.newspaper or (printed.newspaper if printed else None)
    page_no = meta.page_no if meta.page_no is not None else (printed.page_no if printed else None)
    if meta.date and meta.date_override:
        return PageDate(meta.date, "override", paper, page_no)
    if meta.date:
        return PageDate(meta.date, "path", paper, page_no)
    if printed:
        return PageDate(printed.date, "explicit", paper, page_no)
    inferred = infer_date(text)
    if inferred:
        return PageDate(inferred, "inferred", paper, page_no)
    return PageDate(None, "none", paper, page_no)
