"""The reader's site in headless Chromium: links, accessibility, subpath, screenshots.

Screenshots land in tests/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from conftest import build_sample, serve_dir

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent / "screenshots"
SEVERE = ("serious", "critical")
LINKS_JS = """() => Array.from(document.querySelectorAll(
    'a[href], link[href], script[src], img[src], form[action]'))
  .map(e => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))"""


def _first(site: Path, pattern: str) -> str:
    """Site-relative directory URL of the first page matching a glob, e.g. articles/x/."""
    found = sorted(site.glob(pattern))
    assert found, pattern
    return found[0].parent.relative_to(site).as_posix() + "/"


def page_types(site: Path) -> dict[str, str]:
    """One representative URL (relative to the site root) per page type."""
    types = {
        "home": "",
        "article": _first(site, "articles/*/index.html"),
        "pageview": _first(site, "pages/*/index.html"),
        "topics": "topics/",
        "topic": _first(site, "topics/*/index.html"),
        "dates": "dates/",
        "year": _first(site, "dates/[12][0-9][0-9][0-9]/index.html"),
        "month": _first(site, "dates/[12][0-9][0-9][0-9]/[01][0-9]/index.html"),
        "papers": "papers/",
        "paper": _first(site, "papers/*/index.html"),
        "people": "people/",
        "person": _first(site, "people/*/index.html"),
        "data": "data/",
        "search": "search/",
    }
    days = sorted(site.glob("dates/[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/index.html"))
    if days:
        types["day"] = days[0].parent.relative_to(site).as_posix() + "/"
    if (site / "dates" / "undated" / "index.html").exists():
        types["undated"] = "dates/undated/"
    return types


def crawl(browser, root: str) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """Visit every HTML page reachable from root; return (pages, broken or escaping links).

    Each page is fetched once through the browser's request context and parsed
    by Chromium (scripts off); links are resolved against the page's own URL.
    Full navigations cost ten times more and add nothing to a link check.
    """
    context = browser.new_context(java_script_enabled=False)
    try:
        return _crawl(context.new_page(), root)
    finally:
        context.close()


def _crawl(page, root: str) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    origin = urlparse(root)
    queue: deque[str] = deque([root, root + "404.html"])
    seen: set[str] = set(queue)
    status: dict[str, int] = {}
    broken: list[str] = []
    visited = 0
    while queue:
        url = queue.popleft()
        response = page.request.get(url)
        visited += 1
        if response.status >= 400 and not url.endswith("404.html"):
            broken.append(f"{url} -> {response.status}")
            continue
        if "html" not in (response.headers.get("content-type") or ""):
            continue
        page.set_content(response.text(), wait_until="domcontentloaded")
        for href in page.evaluate(LINKS_JS):
            target = urldefrag(urljoin(url, href)).url
            parsed = urlparse(target)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin.netloc:
                continue
            if not parsed.path.startswith(origin.path):
                broken.append(f"{url}: {href} leaves {origin.path}")
                continue
            check = target.split("?")[0]
            if check not in status:
                status[check] = page.request.get(check).status
            if status[check] >= 400:
                broken.append(f"{url}: {href} -> {status[check]}")
            elif (check.endswith("/") or check.endswith(".html")) and check not in seen:
                seen.add(check)
                queue.append(check)
    return visited, broken


def test_no_broken_internal_link_on_any_page(sample_site: Path, site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    visited, broken = crawl(browser, site_url)
    html_files = [p for p in sample_site.rglob("*.html") if "pagefind" not in p.parts]
    assert visited >= len(html_files), (visited, len(html_files))
    assert not broken, "\n".join(broken[:30])


def test_no_serious_axe_violation_on_the_main_page_types(
    sample_site: Path, site_url: str, page
) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    types = page_types(sample_site)
    problems = []
    for name in ("home", "article", "topic", "year", "month", "pageview", "search"):
        page.goto(site_url + types[name])
        if name == "search":
            page.wait_for_timeout(300)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            results = axe.run(page)
            for v in results.response["violations"]:
                if v["impact"] in SEVERE:
                    targets = [n["target"] for n in v["nodes"][:3]]
                    problems.append(f"{name} ({scheme}): {v['id']} {v['impact']} {targets}")
    assert not problems, "\n".join(problems)


def test_site_works_under_a_subpath(tmp_path: Path, browser, page) -> None:  # type: ignore[no-untyped-def]
    # Playwright's sync API owns this thread's event loop; Pagefind needs its own.
    with ThreadPoolExecutor(1) as pool:
        site, _report = pool.submit(build_sample, tmp_path, "/archive/").result()
    url, stop = serve_dir(site, "/archive/")
    try:
        visited, broken = crawl(browser, url)
        assert visited > 50
        assert not broken, "\n".join(broken[:30])
        shards = page.request.get(url + "pagefind/shards.json").json()["shards"]
        assert shards
        for shard in shards:
            bundle = url + f"pagefind/shards/{shard['key']}/"
            assert page.request.get(bundle + "pagefind.js").status == 200
        assert page.request.get(url + "feed.xml").status == 200
    finally:
        stop()


def test_screenshots_of_every_page_type(sample_site: Path, site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    types = page_types(sample_site)
    types["404"] = "no-such-page/"
    main = ("home", "article", "pageview", "topic", "year", "month", "search")
    for width in (375, 1280):
        for scheme in ("light", "dark"):
            context = browser.new_context(
                locale="zh-CN", viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            shot = context.new_page()
            for name, path in types.items():
                if scheme == "dark" and name not in main:
                    continue
                shot.goto(site_url + path)
                overflow = shot.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
                shot.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
            context.close()
