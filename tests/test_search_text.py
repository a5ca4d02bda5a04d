"""Search-side text processing and the page contract, without a browser."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsarchive.search import index_page, read_page
from newsarchive.searchtext import fold, fold_table, tokens

PAGE = """<html><body><header><form><input name="q"></form></header>
<article data-pagefind-body>
<p class="kicker" data-pagefind-weight="3">引题</p>
<h1 data-pagefind-meta="title" data-pagefind-weight="8">政府工作報告</h1>
<dl data-pagefind-ignore>
<dd><a data-pagefind-meta="date" data-pagefind-sort="date:2024-03-05"
   data-pagefind-filter="year:2024">2024年3月5日</a></dd>
<dd data-pagefind-meta="newspaper" data-pagefind-filter="newspaper">人民日报</dd>
<dd><a data-pagefind-filter="topic">政务</a>、<a data-pagefind-filter="topic">经济</a></dd>
<dd data-pagefind-filter="kind">消息</dd>
</dl>
<div class="body"><p>今年民生支出已达2695.9亿元。</p><p>第二段&amp;文字</p></div>
</article></body></html>"""


def test_fold_maps_traditional_to_simplified_one_for_one() -> None:
    assert fold("政府工作報告") == "政府工作报告"
    assert fold("迴圈ＡＢ１２") == "回圈ab12"
    assert fold("İSTANBUL") == "istanbul"  # not "i̇stanbul": str.lower gives İ two characters
    assert len(fold_table()) > 2000


@given(st.text())
def test_fold_keeps_length_so_offsets_map_back(text: str) -> None:
    assert len(fold(text)) == len(text)


_ALPHABETS = st.sampled_from(
    [
        "政府工作報告迴圈臺灣廣場",  # traditional Han
        "ＡＢＣ１２３，；：？！（）",  # full-width ASCII and punctuation
        "AbcİIıΣσςΟΔΟΣ ΑΣ.",  # Latin and Greek, with İ and the context-dependent sigma
        "ǅǈǋᾈᾼ",  # title-case letters and Greek with iota subscript
        "𐐀𐐨𝐀😀",  # beyond the BMP
        "报告。 \n\t",
    ]
)


@given(st.lists(st.tuples(_ALPHABETS, st.integers(0, 50)), max_size=12), st.text(max_size=20))
def test_fold_is_its_definition_for_any_mix_of_scripts(
    picks: list[tuple[str, int]], extra: str
) -> None:
    """fold looks characters up in a table; it must give what translate + lower give."""
    from newsarchive.searchtext import _fold_plain

    text = "".join(alphabet[i % len(alphabet)] for alphabet, i in picks) + extra
    assert fold(text) == _fold_plain(text)


def test_tokens_are_bigrams_plus_run_end_when_indexing() -> None:
    assert tokens("工作报告") == ["工作", "作报", "报告", "告"]
    assert tokens("工作报告", query=True) == ["工作", "作报", "报告"]
    assert tokens("煤", query=True) == ["煤"]
    assert tokens("支出2695.9亿元", query=True) == ["支出", "2695.9", "亿元"]


@given(st.text(alphabet="报告工作民生支出亿元。，12 ", min_size=2))
def test_every_han_substring_is_findable(text: str) -> None:
    """Recall by construction: a Han substring's query tokens all occur in the page's tokens."""
    page = set(tokens(fold(text)))
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            sub = text[i:j]
            if not all("\u4e00" <= c <= "\u9fff" for c in sub):
                continue
            if len(sub) == 1:  # Pagefind matches a query word as a prefix
                assert any(t.startswith(fold(sub)) for t in page)
            else:
                assert set(tokens(fold(sub), query=True)) <= page


def test_read_page_follows_the_data_pagefind_contract() -> None:
    doc = read_page(PAGE, "/articles/x/")
    assert doc.meta == {"title": "政府工作報告", "date": "2024年3月5日", "newspaper": "人民日报"}
    assert doc.filters == {
        "year": ["2024"],
        "newspaper": ["人民日报"],
        "topic": ["政务", "经济"],
        "kind": ["消息"],
    }
    assert doc.sort == {"date": "2024-03-05"}
    text = doc.text()
    assert "2695.9亿元" in text and "第二段&文字" in text
    assert "2024年3月5日" not in text  # data-pagefind-ignore
    assert {w for w, _ in doc.parts if _.strip()} == {1, 3, 8}


def test_index_page_holds_weighted_tokens_and_keeps_real_text_as_meta() -> None:
    page = index_page(read_page(PAGE, "/articles/x/"))
    assert (8.0, "\n政府工作报告\n") in page.runs  # folded: 報 is 报
    assert page.meta["text"].startswith("引题 政府工作報告 ")
    assert page.filters["topic"] == ["政务", "经济"]
    assert page.filters["period"] == ["2024-03"]
    assert page.sort == {"date": "2024-03-05"}
    assert (
        " ".join(t for _, text in page.runs for t in tokens(text)).count(
            " ".join(tokens(fold("第二段&文字")))
        )
        == 1
    )


def test_fold_table_is_bmp_only_so_browser_offsets_agree() -> None:
    """Regression: one non-BMP target shifted every later pair of fold.json in the browser."""
    assert all(
        len(k.encode("utf-16-le")) == 2 == len(v.encode("utf-16-le"))
        for k, v in fold_table().items()
    )


def test_page_chrome_inside_the_article_is_not_indexed(sample_site: Path) -> None:
    """A continuation's notice (`本文上接第1版。查看本版全部文章`) is the site's, not the paper's:
    indexed, it made every continuation a hit for `查看本版` and led its search excerpt."""
    docs = [
        read_page(path.read_text(encoding="utf-8"), str(path))
        for path in (sample_site / "articles").glob("*/index.html")
    ]
    continuations = [d for d in docs if "（上接第1版）" in d.text()]
    assert len(continuations) >= 4
    for doc in docs:
        assert "查看本版全部文章" not in doc.text(), doc.url
