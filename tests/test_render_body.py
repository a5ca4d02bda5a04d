"""The direct body converter gives exactly what Python-Markdown gives, or declines.

`plain_body_html` skips the Markdown parser for plain prose (most OCR bodies);
a wrong guess would change the site silently, so every body it accepts is
compared with the parser's output: the sample content and random text built
from the characters Markdown treats specially.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.render import body_html, markdown_html, plain_body_html
from newsarchive.store import split_front_matter

REPO = Path(__file__).resolve().parent.parent
PIECES = [
    *"ab 1.2-+>:<&;#x=~|!()[]*_`\\\t\r\n\u3000\u00a0\u2028\x85\x02中文，。",
    "\n\n",
    "&amp;",
    "&#38;",
    "<a>",
    "<http://x.cn>",
    "<a@b.cn>",
    "  \n",
    "## ",
    "1. ",
    "* ",
    "---",
    "===",
    "    ",
    "本报讯",
]


def _same(body: str) -> bool:
    fast = plain_body_html(body)
    return fast is None or fast == markdown_html(body)


def test_sample_bodies_convert_the_same_and_mostly_skip_the_parser() -> None:
    bodies = [
        split_front_matter(p.read_text(encoding="utf-8"), p)[1]
        for p in sorted((REPO / "content").rglob("*.md"))
    ]
    assert all(_same(b) for b in bodies)
    assert sum(plain_body_html(b) is not None for b in bodies) > len(bodies) // 2


def test_plain_paragraphs_and_headings() -> None:
    body = "## 小标题\n\n第一段，a < b & c。\n第二行\n\n第二段"
    assert plain_body_html(body) == (
        "<h2>小标题</h2>\n<p>第一段，a &lt; b &amp; c。\n第二行</p>\n<p>第二段</p>"
    )
    assert body_html(body) == markdown_html(body)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_random_markup_characters_convert_the_same(pieces: list[str]) -> None:
    assert _same("".join(pieces))
