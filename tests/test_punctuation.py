"""Punctuation set full-width in Chinese text, and only there (newsarchive/punctuation.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.config import load_config
from newsarchive.ingest import ingest_page
from newsarchive.model import PageMeta, SourcePage
from newsarchive.punctuation import widen

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("ocr", "printed"),
    [
        # Lines of the sample pages, as OCR returned them.
        ("随着气温回升,越来越多市民走出家门,拥抱", "随着气温回升，越来越多市民走出家门，拥抱"),
        ("(上接第1版)要推动“一批", "（上接第1版）要推动“一批"),
        ("补齐91个县(市)911个", "补齐91个县（市）911个"),
        ("(2022-2035年)》,明确了", "（2022-2035年）》，明确了"),
        ("8月29日,省政府新闻办", "8月29日，省政府新闻办"),
        ("示范县20个,建设标准化", "示范县20个，建设标准化"),
        ("”的总体布局,这个“中心", "”的总体布局，这个“中心"),
        ("(九)协同推进降碳", "（九）协同推进降碳"),
        ("头”就是指,把省会", "头”就是指，把省会"),
        # A pair OCR read half one way and half the other.
        ("(上接第1版）", "（上接第1版）"),
        ("(一)(二)", "（一）（二）"),
        ("(1)加强", "（1）加强"),
        ("问题是什么?怎么办!", "问题是什么？怎么办！"),
        ("时间:8:30", "时间：8:30"),
    ],
)
def test_marks_in_chinese_text_are_set_full_width(ocr: str, printed: str) -> None:
    assert widen(ocr) == printed


@pytest.mark.parametrize(
    "text",
    [
        "共1,000人",  # thousands
        "8:30",  # a time
        "http://www.ctctc.cn/a?b=1",  # an address
        "Hello, world! (twice)",  # English
        "f(x) = 1",
        "今年民生支出已达2695.9亿元",  # full stops are never touched
        "[报道](http://x.cn)称",  # a Markdown link
    ],
)
def test_marks_outside_chinese_text_are_kept(text: str) -> None:
    assert widen(text) == text


CHINESE = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4EFF),
        st.sampled_from(list(",;:?!()（）.，。“”1a ")),
    ),
    max_size=60,
)


@given(CHINESE)
def test_widen_changes_only_widths_and_is_final(text: str) -> None:
    out = widen(text)
    assert len(out) == len(text)
    for before, after in zip(text, out, strict=True):
        assert after == before or (before in ",;:?!()" and ord(after) == ord(before) + 0xFEE0)
    assert widen(out) == out


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_ascii_text_is_untouched(text: str) -> None:
    assert widen(text) == text


def test_sample_article_ids_do_not_move() -> None:
    """Ids hash the text as OCR read it, so setting widths leaves the committed ids as they were."""
    config = load_config(REPO / "archive.yaml")
    committed: set[tuple[str, str]] = set()
    for path in (REPO / "content").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        committed.add((meta["source"], meta["id"]))
    made: set[tuple[str, str]] = set()
    for path in sorted((REPO / "raw").glob("*.txt")):
        page = SourcePage(path.name, path.read_text(encoding="utf-8"), "utf-8", PageMeta())
        made.update((a.source, a.id) for a in ingest_page(page, config).articles)
    assert len(committed) == 43
    assert made == committed


def test_made_up_titles_do_not_end_on_a_mark_before_the_ellipsis() -> None:
    """`随着气温回升，越来越多市民走出家门，…` reads as `…走出家门…`; the id stays the OCR one."""
    config = load_config(REPO / "archive.yaml")
    titles = []
    for path in sorted((REPO / "raw").glob("*.txt")):
        page = SourcePage(path.name, path.read_text(encoding="utf-8"), "utf-8", PageMeta())
        titles += [a.title for a in ingest_page(page, config).articles if a.untitled]
    assert "随着气温回升，越来越多市民走出家门…" in titles
    assert [t for t in titles if re.search(r"[，、；：。,;:]…$", t)] == []
