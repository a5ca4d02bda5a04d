"""No character lost: every non-space character of a page ends up in exactly one place.

The places are an article's headline fields (title, kicker, subtitle, column),
its body, a page leftover, or the explicit `dropped` list of OCR duplicates.
Markdown marks (`#`, `**`) are layout, not text, and are ignored on both sides.
Pages are generated from realistic pieces: headline blocks (kickers, ——subtitles,
column labels, Markdown marks), bylines, jump markers, paragraphs broken by a
column, picture gaps with captions, and single-newline layouts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.config import load_config
from newsarchive.ingest import ingest_page
from newsarchive.model import PageMeta, SourcePage
from newsarchive.segment import segment_text

REPO = Path(__file__).resolve().parent.parent
MARKUP = set("#*")


def chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace() and ch not in MARKUP)


def accounted(text: str) -> Counter[str]:
    segments, leftovers = segment_text(text)
    out: Counter[str] = Counter()
    for seg in segments:
        for part in (seg.title, seg.kicker, seg.subtitle, seg.column):
            out += chars(part or "")
        for para in (*seg.paragraphs, *seg.dropped):
            out += chars(para)
    for lo in leftovers:
        out += chars(lo.text)
    return out


def test_sample_pages_lose_nothing() -> None:
    for path in sorted((REPO / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert accounted(text) == chars(text), path.name


# Enrichment sets punctuation in Chinese text full-width (newsarchive/punctuation.py):
# at the Article level a mark counts the same in either width, and nothing else may change.
NARROW = str.maketrans("，；：？！（）", ",;:?!()")


def narrowed(counts: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for ch, n in counts.items():
        out[ch.translate(NARROW)] += n
    return out


def test_articles_and_leftovers_cover_sample_pages() -> None:
    """The same at the Article level: untitled titles are made up, so they don't count."""
    config = load_config(REPO / "archive.yaml")
    for path in sorted((REPO / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = ingest_page(SourcePage(path.name, text, "utf-8", PageMeta()), config)
        got: Counter[str] = Counter()
        for art in result.articles:
            got += chars("" if art.untitled else art.title)
            for part in (art.kicker, art.subtitle, art.column, art.body):
                got += chars(part or "")
        for lo in result.leftovers:
            got += chars(lo.text)
        segments, _ = segment_text(text)
        for seg in segments:
            for d in seg.dropped:
                got += chars(d)
        assert narrowed(got) == narrowed(chars(text)), path.name


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)
SURNAME = st.sampled_from(list("王李张刘陈杨黄赵吴周董申尹薄"))
name = st.builds(lambda s, g: s + g, SURNAME, st.text(HAN, min_size=1, max_size=2))
phrase = st.text(HAN, min_size=2, max_size=12)
sentence = st.builds(
    lambda a, b, end: a + "，" + b + end, phrase, phrase, st.sampled_from(["。", "！", "？", "”。"])
)
paragraph = st.builds("".join, st.lists(sentence, min_size=1, max_size=4))


@st.composite
def headline_block(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["省政府新闻办发布会", "聚焦 安全生产", "科普之窗"])))
    if draw(st.booleans()):
        lines.append(draw(phrase) + draw(st.sampled_from(["", "——"])))
    mark = draw(st.sampled_from(["", "# ", "## ", "### "]))
    lines.append(mark + draw(phrase))
    if draw(st.booleans()):
        lines.append("——" + draw(st.sampled_from(["访", "论", ""])) + draw(phrase))
    return lines


@st.composite
def byline(draw: st.DrawFn) -> str:
    names = " ".join(draw(st.lists(name, min_size=1, max_size=3)))
    return draw(
        st.sampled_from(
            [
                f"本报记者 {names}",
                f"记者 {names} 通讯员 {draw(name)}",
                f"({names})",
                "本报评论员",
                f"{draw(name)} 摄",
                f"【新华社北京十四日电】本社记者{draw(name)}报导",
            ]
        )
    )


@st.composite
def article(draw: st.DrawFn) -> list[list[str]]:
    """Blocks of lines; the page joins lines with \\n and blocks with a blank line."""
    blocks: list[list[str]] = []
    if draw(st.booleans()):
        blocks.append(draw(headline_block()))
    if draw(st.booleans()):
        blocks.append([draw(st.sampled_from(["(上接第1版)", "（上接第二版）"]))])
    if draw(st.booleans()):
        blocks.append([draw(byline())])
    for _ in range(draw(st.integers(1, 4))):
        para = draw(paragraph)
        kind = draw(st.sampled_from(["plain", "broken", "sub", "dup"]))
        if kind == "broken" and len(para) > 12:
            cut = draw(st.integers(4, len(para) - 4))
            blocks.append([para[:cut]])
            blocks.append([para[cut:]])
        elif kind == "sub":
            blocks.append([draw(st.sampled_from(["", "## ", "### "])) + draw(phrase)])
            blocks.append([para])
        elif kind == "dup":
            blocks.append([para + para])
        else:
            blocks.append([para])
    if draw(st.booleans()):
        blocks.append([draw(byline())])
    return blocks


@st.composite
def page(draw: st.DrawFn) -> str:
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append("《人民日报》（1953年03月14日第 2 版）")
    single = draw(st.booleans())  # single-newline layout
    for art in draw(st.lists(article(), min_size=1, max_size=4)):
        for block in art:
            sep = "\n" if single else "\n\n"
            parts.append(sep.join(block))
        if draw(st.booleans()):
            parts.append("\n" + draw(paragraph)[:60] + "\n")  # picture gap + caption
    sep = "\n" if single else "\n\n"
    return sep.join(parts) + draw(st.sampled_from(["", "\n", "  \n"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_generated_pages_lose_nothing(text: str) -> None:
    assert accounted(text) == chars(text)


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from(list("标题记者王李。，\n #*(上接第1版)——摄"))))
def test_arbitrary_text_loses_nothing(text: str) -> None:
    assert accounted(text) == chars(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_segmenting_is_deterministic(text: str) -> None:
    assert segment_text(text) == segment_text(text)
