"""Every page type of the reader's site, its feeds, sitemap and data files (no browser).

The sample build checks counts and valid formats; a small inline archive
(full, partial and missing dates, two papers, homophone reporters, a raw
file gone missing) checks what the sample pages do not contain.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from newsarchive.archive import Archive, load_archive, sort_articles
from newsarchive.config import load_config
from newsarchive.export import FIELDS
from newsarchive.model import Article
from newsarchive.render import render_site
from newsarchive.report import Report

REPO = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def sample(sample_site: Path) -> tuple[Path, Archive]:
    return sample_site, load_archive(sample_site.parent / "content", Report())


def _html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts]


def _count(site: Path, pattern: str) -> int:
    return len(list(site.glob(pattern)))


def test_every_page_type_exists_with_the_right_count(sample: tuple[Path, Archive]) -> None:
    site, archive = sample
    per = load_config(REPO / "archive.yaml").per_page

    def pages_of(groups: dict[str, list[Article]]) -> int:
        return sum(math.ceil(len(v) / per) for v in groups.values())

    assert _count(site, "index.html") == 1
    assert _count(site, "articles/*/index.html") == len(archive.articles)
    assert _count(site, "pages/*/index.html") == len(archive.pages) == 5
    assert (site / "topics/index.html").exists()
    assert _count(site, "topics/*/index.html") == len(archive.by_topic)
    assert _count(site, "topics/*/index.html") + _count(
        site, "topics/*/page/*/index.html"
    ) == pages_of(archive.by_topic)
    assert (site / "dates/index.html").exists()
    assert _count(site, "dates/[12]???/index.html") == len(archive.by_year)
    assert _count(site, "dates/[12]???/??/index.html") == len(archive.by_month)
    assert _count(site, "dates/[12]???/??/??/index.html") == len(archive.by_day)
    assert (site / "dates/undated/index.html").exists() == bool(archive.undated)
    assert _count(site, "papers/*/index.html") == len(archive.by_paper)
    assert _count(site, "people/*/index.html") == len(archive.by_person)
    for path in ("papers/index.html", "people/index.html", "data/index.html", "404.html"):
        assert (site / path).exists(), path
    for path in ("feed.xml", "sitemap.xml", "robots.txt", "data/articles.csv"):
        assert (site / path).exists(), path
    assert _count(site, "topics/*/feed.xml") == len(archive.by_topic)


def test_feeds_are_valid_atom_without_another_host(sample: tuple[Path, Archive]) -> None:
    site, archive = sample
    feeds = [site / "feed.xml", *site.glob("topics/*/feed.xml")]
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        for tag in ("title", "id", "updated"):
            assert root.find(f"{ATOM}{tag}") is not None, (path, tag)
        entries = root.findall(f"{ATOM}entry")
        assert entries, path
        for entry in entries:
            for tag in ("title", "id", "updated", "link"):
                assert entry.find(f"{ATOM}{tag}") is not None, (path, tag)
            href = entry.find(f"{ATOM}link").get("href")
            assert href.startswith("/articles/"), href
            assert (site / href.lstrip("/") / "index.html").exists(), href
    site_feed = ET.parse(site / "feed.xml").getroot()
    assert len(site_feed.findall(f"{ATOM}entry")) == min(50, len(archive.articles))
    assert "http://127" not in (site / "feed.xml").read_text(encoding="utf-8")


def test_sitemap_lists_every_page_and_robots_allows_all(sample_site: Path) -> None:
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in root.iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs)) == len(_html_pages(sample_site)) - 1  # all but 404
    for loc in locs:
        assert loc.startswith("/"), loc
        target = sample_site / loc.lstrip("/")
        assert (target / "index.html").exists() or target.is_file(), loc
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert "Sitemap:" not in robots  # no site_url: a relative Sitemap line is invalid


def test_csv_and_json_carry_every_article(sample: tuple[Path, Archive]) -> None:
    site, archive = sample
    text = (site / "data/articles.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [name for name, _ in FIELDS]
    assert [r["id"] for r in rows] == [a.id for a in archive.articles]
    by_id = {a.id: a for a in archive.articles}
    for row in rows:
        article = by_id[row["id"]]
        assert row["title"] == article.title
        assert row["topics"] == ";".join(article.topics)
        assert (site / row["url"].lstrip("/") / "index.html").exists()
    data = json.loads((site / "data/articles.json").read_text(encoding="utf-8"))
    assert data["count"] == len(archive.articles) == len(data["articles"])
    assert data["articles"][0]["byline"] == list(archive.articles[0].byline)


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_article_page_has_citation_metadata_neighbours_and_related(
    sample: tuple[Path, Archive],
) -> None:
    site, archive = sample
    article = next(a for a in archive.articles if a.continued_from)
    html = (site / "articles" / article.slug / "index.html").read_text(encoding="utf-8")
    data = _jsonld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert '<meta property="og:title"' in html
    assert 'rel="canonical"' not in html and "og:url" not in html  # no site_url
    assert 'id="cite-text"' in html and f'href="/articles/{article.slug}/"' in html
    assert f"本文上接{article.continued_from}" in html
    assert f'href="/pages/{archive.pages[article.source].slug}/"' in html
    assert html.count("data-pagefind-body") == 1
    related = archive.related(article)
    assert 0 < len(related) <= 5 and article not in related
    assert "相关文章" in html


def test_page_view_shows_articles_in_order_and_the_ocr_text(
    sample: tuple[Path, Archive],
) -> None:
    site, archive = sample
    view = next(iter(archive.pages.values()))
    html = (site / "pages" / view.slug / "index.html").read_text(encoding="utf-8")
    positions = [html.index(f'href="/articles/{a.slug}/"') for a in view.articles]
    assert positions == sorted(positions)
    raw = (REPO / "raw" / view.source).read_text(encoding="utf-8")
    first_line = next(line for line in raw.splitlines() if line.strip())
    assert first_line.strip()[:10] in html
    assert "原始 OCR 文字" in html


def _article(n: int, **fields: object) -> Article:
    base = {
        "id": f"{n:012x}",
        "slug": f"a-{n}",
        "title": f"标题{n}",
        "untitled": False,
        "kind": "news",
        "byline": (),
        "date": None,
        "date_source": "path",
        "newspaper": None,
        "source": "p.txt",
        "position": 1,
        "topics": (),
        "body": f"正文{n}。\n\n## 小标题\n\n第二段。",
    }
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def inline_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Archive]:
    tmp = tmp_path_factory.mktemp("inline")
    raw = tmp / "raw"
    (raw / "甲报/2021-12-09").mkdir(parents=True)
    (raw / "甲报/2021-12-09/01.txt").write_text("甲报头版原文\n第二行", encoding="utf-8")
    articles = [
        _article(
            1,
            date="2021-12-09",
            newspaper="甲报",
            source="甲报/2021-12-09/01.txt",
            position=1,
            page_no=1,
            byline=("王伟",),
            topics=("经济",),
            keywords=("煤炭", "合同"),
        ),
        _article(
            2,
            date="2021-12-09",
            newspaper="甲报",
            source="甲报/2021-12-09/01.txt",
            position=2,
            page_no=1,
            byline=("汪伟",),
            topics=("经济",),
            keywords=("煤炭", "合同"),
            continued_from="第1版",
        ),
        _article(
            3,
            date="2021-12",
            newspaper="乙报",
            source="乙报/2021-12/03.txt",
            position=1,
            topics=("经济",),
            keywords=("煤炭",),
        ),
        _article(4, date="2021", source="x/1.txt", topics=("文化",)),
        _article(5, date=None, source="x/2.txt", topics=("经济",)),
        _article(
            6,
            date="1953-03-14",
            newspaper="乙报",
            source="乙报/1953-03-14/02.txt",
            topics=("经济",),
        ),
    ]
    archive = Archive(sort_articles(articles), {"甲报/2021-12-09/01.txt": ("报头残字",)})
    config = replace(
        load_config(REPO / "archive.yaml"),
        raw_dir=raw,
        per_page=2,
        base_url="/archive/",
        site_url="https://example.org",
    )
    site = tmp / "site"
    render_site(config, archive, site)
    return site, archive


def test_dates_full_partial_and_missing_each_get_their_page(
    inline_site: tuple[Path, Archive],
) -> None:
    site, _ = inline_site
    day = (site / "dates/2021/12/09/index.html").read_text(encoding="utf-8")
    assert "标题1" in day and "/archive/pages/" in day  # the day's page views
    month = (site / "dates/2021/12/page/2/index.html").read_text(encoding="utf-8")
    assert "标题3" in month  # month-only date on the month page, after the full dates
    year = (site / "dates/2021/index.html").read_text(encoding="utf-8")
    assert 'href="/archive/dates/2021/12/09/"' in year  # calendar links the day
    assert "2021年12月9日，2 篇" in year
    assert "标题4" in year  # year-only date listed on the year page
    assert "标题5" in (site / "dates/undated/index.html").read_text(encoding="utf-8")
    assert (site / "dates/1953/03/14/index.html").exists()


def test_names_pages_topic_pagination_and_homophones(inline_site: tuple[Path, Archive]) -> None:
    site, archive = inline_site
    assert len(set(archive.person_slugs.values())) == 2  # 王伟 and 汪伟 both wangwei
    people = list(site.glob("people/*/index.html"))
    assert len(people) == 2
    assert _count(site, "papers/*/index.html") == 3  # 甲报, 乙报, 未注明报纸
    assert (site / "topics/jingji/page/3/index.html").exists()  # 5 articles, 2 a page
    assert not (site / "topics/jingji/page/4/index.html").exists()


def test_site_url_makes_feeds_canonical_and_robots_absolute(
    inline_site: tuple[Path, Archive],
) -> None:
    site, archive = inline_site
    first = archive.articles[0]
    html = (site / "articles" / first.slug / "index.html").read_text(encoding="utf-8")
    url = f"https://example.org/archive/articles/{first.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert _jsonld(html)["url"] == url
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}id").text.startswith("https://example.org/archive/")
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/archive/sitemap.xml" in robots
    for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc"):
        assert (loc.text or "").startswith("https://example.org/archive/")


def test_page_view_ocr_leftovers_and_missing_raw(inline_site: tuple[Path, Archive]) -> None:
    site, archive = inline_site
    present = archive.pages["甲报/2021-12-09/01.txt"]
    html = (site / "pages" / present.slug / "index.html").read_text(encoding="utf-8")
    assert "甲报头版原文" in html and "报头残字" in html
    missing = archive.pages["x/1.txt"]
    html = (site / "pages" / missing.slug / "index.html").read_text(encoding="utf-8")
    assert "已不在原始文件夹中" in html


def test_neighbours_and_related_use_pages_dates_and_keywords(
    inline_site: tuple[Path, Archive],
) -> None:
    _, archive = inline_site
    one, two = archive.by_id["000000000001"], archive.by_id["000000000002"]
    assert archive.on_page_neighbours(one) == (None, two)
    assert archive.on_page_neighbours(two) == (one, None)
    assert archive.by_date_neighbours(two) == (archive.by_id["000000000003"], one)
    assert archive.by_date_neighbours(one)[1] is None  # the newest article
    assert archive.by_date_neighbours(archive.by_id["000000000005"]) == (None, None)
    assert archive.related(one)[0] is two  # two shared keywords and a shared topic
    assert one not in archive.related(one)


def test_every_page_has_the_shared_header_and_footer_under_the_base_url(
    inline_site: tuple[Path, Archive],
) -> None:
    """The header, footer and head links are rendered once per build (_chrome.html):
    every page still carries them once, with the configured base URL."""
    site, _ = inline_site
    pages = _html_pages(site)
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.count('<header class="site-header">') == 1, path
        assert html.count('<footer class="site-footer">') == 1, path
        assert '<link rel="stylesheet" href="/archive/assets/site.css">' in html, path
        assert 'action="/archive/search/"' in html and 'href="/archive/sitemap.xml"' in html
        assert html.index("</head>") < html.index("site-header") < html.index('id="main"')
        assert html.index('id="main"') < html.index("site-footer") < html.index("</body>")


def test_people_index_is_paged_most_articles_first(
    inline_site: tuple[Path, Archive], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every byline makes a person, so the index of an archive of years runs to tens of
    thousands of names: it is paged, and every page links on, so each name stays one
    click from the first page's pager."""
    import newsarchive.render as render

    _, archive = inline_site
    config = replace(load_config(REPO / "archive.yaml"), base_url="/archive/")
    monkeypatch.setattr(render, "PEOPLE_PER_PAGE", 1)
    site = tmp_path / "site"
    render_site(config, archive, site)
    first = (site / "people/index.html").read_text(encoding="utf-8")
    second = (site / "people/page/2/index.html").read_text(encoding="utf-8")
    assert not (site / "people/page/3").exists()
    assert "共 2 位" in first and "本页为第 1–1 位" in first and "本页为第 2–2 位" in second
    assert 'href="/archive/people/page/2/"' in first  # the pager
    assert 'href="/archive/people/"' in second
    listed = [re.findall(r'href="/archive/people/([^"/]+)/"', page) for page in (first, second)]
    assert sorted(listed[0] + listed[1]) == sorted(set(archive.person_slugs.values()))
    assert "（第2页）" in second
    assert '<link rel="next" href="/archive/people/page/2/">' in first
    assert '<link rel="prev" href="/archive/people/">' in second


def test_a_small_people_index_is_one_page(sample: tuple[Path, Archive]) -> None:
    site, archive = sample
    html = (site / "people/index.html").read_text(encoding="utf-8")
    assert f"共 {len(archive.by_person)} 位" in html and "本页为" not in html
    assert not (site / "people/page").exists()
