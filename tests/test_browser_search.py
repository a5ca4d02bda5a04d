"""Chinese search in a real browser, through Pagefind's JavaScript."""

import pytest

pytestmark = pytest.mark.browser


def test_search_finds_coal_contract_article(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search/")
    box = page.locator(".pagefind-ui__search-input")
    box.fill("煤炭")
    results = page.locator(".pagefind-ui__result-title")
    results.first.wait_for(timeout=15000)
    titles = results.all_inner_texts()
    assert any("煤炭重点合同" in t for t in titles), titles
