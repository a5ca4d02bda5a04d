"""Punctuation set full-width where it stands in Chinese text, as the paper printed it.

OCR engines often return ASCII commas, colons and brackets in Chinese text
(`回升,越来越多市民`, `(上接第1版)`): printed Chinese sets them full-width, and
read in a CJK font the narrow forms look like typos. So a mark becomes its
full-width form only where Chinese text touches it, and nothing else moves:

- `,` `;` `:` `?` `!` when a Han character or Chinese punctuation stands right
  before or right after it (`1,000`, `8:30`, `http://` and English stay as they are);
- a bracket pair `(…)` when it holds a Han character or Han text touches it
  (`（上接第1版）`, `补齐91个县（市）`, `（1）加强`), but not `f(x)` or a Markdown
  link. A pair OCR left mixed, `(上接第1版）`, is matched as one.

Full stops are left alone: `2695.9亿元` and `www.ctctc.cn` need theirs.
Each mark maps to one character, so lengths and offsets never change.
"""

from __future__ import annotations

import re

from .searchtext import HAN

# Han ideographs (with radicals and extension A), CJK punctuation and full-width forms,
# and the curly quotes, dashes and ellipsis Chinese text uses.
_WIDE = f"\u2e80-\u2fff\u3000-\u303f{HAN}\uff00-\uffef“”‘’—…"
_HAN = re.compile(f"[{HAN}]")
_PAIR = re.compile(r"[(（]([^()（）\n]*)[)）]")
# One pattern a mark, each replaced by a constant: no Python call per comma.
_MARKS = tuple(
    (mark, re.compile(rf"{re.escape(mark)}(?:(?<=[{_WIDE}].)|(?=[{_WIDE}]))"), full)
    for mark, full in zip(",;:?!", "，；：？！", strict=True)
)
_NEXT_TO_WIDE = re.compile(rf"[{_WIDE}]")


def _pair(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before, after = text[start - 1 : start], text[end : end + 1]
    if before == "]":  # a Markdown link's target
        return match.group()
    inner = match.group(1)
    if _HAN.search(inner) or _NEXT_TO_WIDE.match(before) or _NEXT_TO_WIDE.match(after):
        return f"（{inner}）"
    return match.group()


def widen(text: str) -> str:
    """`text` with the ASCII punctuation of its Chinese sentences set full-width.

    One mark set full-width can make its neighbour touch Chinese text (`(x),中`:
    the comma first, then the pair), so passes repeat until nothing changes.
    """
    if text.isascii():
        return text
    while True:
        wider = text
        if "(" in wider or ")" in wider:
            wider = _PAIR.sub(_pair, wider)
        for mark, pattern, full in _MARKS:
            if mark in wider:
                wider = pattern.sub(full, wider)
        if wider == text:
            return text
        text = wider
