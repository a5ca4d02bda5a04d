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
_FULL = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!代)")


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


def explicit_date(text: str) -> PageDate | None:
    """A masthead line such as `《人民日报》（2025年01月15日第 11 版）`."""
    match = _MASTHEAD.search(text)
    if not match:
        return None
    paper, y, m, d, page = match.groups()
    year, month, day = int(y), int(m), int(d)
    if not _valid(year, month, day):
        return None
    return PageDate(_iso(year, month, day), "explicit", paper, int(page) if page else None)


def infer_date(text: str) -> str | None:
    """Reason from the dates in the text.

    Month-day mentions without a year (`12月8日`) are the events being
    reported, so they give the month; the year is the latest year the text
    treats as current: the year of a full date in the same month, else the
    most recent year mentioned that is not a plan (`2022年度` plans point a
    year ahead, so a full date such as `2021年12月13日` wins).
    """
    full = [
        (int(y), int(m), int(d))
        for y, m, d in _FULL.findall(text)
        if _valid(int(y), int(m), int(d))
    ]
    stripped = _FULL.sub(" ", text)
    month_days = [
        (int(m), int(d)) for m, d in _MONTH_DAY.findall(stripped) if _valid(2000, int(m), int(d))
    ]
    years = [int(y) for y in _YEAR.findall(stripped) if 1800 <= int(y) <= 2100]
    if month_days:
        month = Counter(m for m, _ in month_days).most_common(1)[0][0]
        same_month_years = [y for y, m, _ in full if m == month]
        if same_month_years:
            return _iso(max(same_month_years), month)
        if full:
            return _iso(max(y for y, _, _ in full), month)
        if years:
            return _iso(max(years))
        return None
    if full:
        year, month, _ = max(full)
        return _iso(year, month)
    if years:
        return _iso(max(years))
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
