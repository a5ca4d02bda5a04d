"""Chinese search in a real browser, through our search.js and Pagefind's JavaScript."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_sample, serve_dir

from newsarchive.searchtext import fold, tokens

pytestmark = pytest.mark.browser
DONE = "s => s.textContent.startsWith('找到') || s.textContent.startsWith('没有')"


def search(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open a search URL, wait for the result count, return the result titles."""
    page.goto(url)
    page.wait_for_function(f"({DONE})(document.querySelector('.search-status'))", timeout=15000)
    return page.locator(".search-result-title").all_inner_texts()


def search_all(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Like search(), then press 显示更多结果 until every result is shown."""
    search(page, url)
    more = page.locator(".search-more")
    while more.is_visible():
        shown = page.locator(".search-result").count()
        more.click()
        page.wait_for_function(
            f"document.querySelectorAll('.search-result').length > {shown}"
            " || document.querySelector('.search-more').hidden"
        )
    return page.locator(".search-result-title").all_inner_texts()


def dates(page) -> list[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    metas = page.locator(".search-result-meta").all_inner_texts()
    return [tuple(int(n) for n in re.findall(r"\d+", m.split("·")[0])) for m in metas]


def test_q_parameter_searches_and_highlights(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    titles = search(page, site_url + "search/?q=煤炭")
    assert any("煤炭重点合同" in t for t in titles), titles
    assert page.locator("#search-q").input_value() == "煤炭"
    marks = page.locator(".search-result-excerpt mark").all_inner_texts()
    assert marks and set(marks) == {"煤炭"}
    href = page.locator(".search-result-title a").first.get_attribute("href") or ""
    assert "highlight=" in href and "#:~:text=" in href


def test_word_inside_a_sentence_is_found(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """The failure mode of stock Pagefind 1.5: a word jieba did not cut out on its own."""
    titles = search(page, site_url + "search/?q=" + "民生支出")
    assert any("2695.9" in t for t in titles), titles
    assert any("2695.9" in t for t in search(page, site_url + "search/?q=2695.9"))


def test_simplified_query_finds_traditional_text_and_back(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    simplified = search(page, site_url + "search/?q=报告")
    assert "政府工作報告" in simplified, simplified
    assert page.locator(".search-result-excerpt mark", has_text="報告").count() >= 1
    traditional = search(page, site_url + "search/?q=報告")
    assert sorted(traditional) == sorted(simplified)
    assert len(traditional) > 1  # simplified pages too


def test_filters_narrow_results_and_go_in_the_url(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    everything = search(page, site_url + "search/?q=工作")
    page.select_option("select[name=kind]", "评论")
    page.wait_for_function(
        f"({DONE})(document.querySelector('.search-status')) && location.search.includes('kind=')"
    )
    page.wait_for_timeout(300)
    commentary = page.locator(".search-result-title").all_inner_texts()
    assert commentary and len(commentary) < len(everything)
    assert "kind=%E8%AF%84%E8%AE%BA" in page.url
    years = search(page, site_url + "search/?q=工作&year=2021")
    assert years and all(d[0] == 2021 for d in dates(page))


def test_sort_by_date_both_ways(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    search(page, site_url + "search/?q=工作&sort=desc")
    newest = dates(page)
    assert len(newest) > 2 and newest == sorted(newest, reverse=True)
    search(page, site_url + "search/?q=工作&sort=asc")
    oldest = dates(page)
    assert oldest == sorted(oldest) and oldest[0] < newest[0]


def test_keyboard_only_from_the_header_box(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.focus("#site-q")
    page.keyboard.type("煤炭")
    page.keyboard.press("Enter")
    page.wait_for_function(f"({DONE})(document.querySelector('.search-status'))", timeout=15000)
    assert page.locator(".search-status").get_attribute("aria-live") == "polite"
    page.focus("#search-q")
    first = page.locator(".search-result-title a").first
    for _ in range(12):  # labelled controls, then the results, in reading order
        page.keyboard.press("Tab")
        if first.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first result")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/.+highlight="))


def test_query_tokens_match_python(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """search.js and searchtext.py must segment identically, or recall silently drops."""
    page.goto(site_url + "search/")
    page.wait_for_function(
        "window.newsSearch && document.querySelector('select[name=kind] option + option')"
    )
    samples = ["政府工作報告", "今年民生支出已達2695.9億元", "ＡＢＣ１２３ 迴圈", "煤"]
    samples.append("İSTANBUL 報告")  # İ: the one character str.lower makes two
    got = page.evaluate(
        "xs => xs.map(x => window.newsSearch.tokens(window.newsSearch.fold(x)))", samples
    )
    assert got == [tokens(fold(s), query=True) for s in samples]
    folded = page.evaluate("xs => xs.map(x => window.newsSearch.fold(x))", samples)
    assert folded == [fold(s) for s in samples]  # same text, same length: offsets agree


@pytest.fixture(scope="module")
def subpath_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site, _ = build_sample(tmp_path_factory.mktemp("subpath"), base_url="/archive/")
    url, stop = serve_dir(Path(site), "/archive/")
    yield url
    stop()


def test_search_works_under_a_subpath(page, subpath_url: str) -> None:  # type: ignore[no-untyped-def]
    titles = search(page, subpath_url + "search/?q=煤炭")
    assert any("煤炭重点合同" in t for t in titles), titles
    href = page.locator(".search-result-title a").first.get_attribute("href") or ""
    assert href.startswith("/archive/articles/")


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample built with tiny shards, so every search merges several Pagefind bundles."""
    site, _ = build_sample(tmp_path_factory.mktemp("sharded"), search_shard_articles=6)
    url, stop = serve_dir(Path(site))
    yield url, Path(site)
    stop()


def test_search_across_shards_by_relevance_and_by_date(page, sharded) -> None:  # type: ignore[no-untyped-def]
    url, site = sharded
    shards = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert len(shards) >= 5
    by_relevance = search_all(page, url + "search/?q=工作")
    newest = search_all(page, url + "search/?q=工作&sort=desc")
    newest_dates = dates(page)
    oldest = search_all(page, url + "search/?q=工作&sort=asc")
    oldest_dates = dates(page)
    assert len({d[:2] for d in newest_dates}) >= 3  # results come from several periods/shards
    assert sorted(by_relevance) == sorted(newest) == sorted(oldest)
    assert newest_dates == sorted(newest_dates, reverse=True)
    assert oldest_dates == sorted(oldest_dates)
