"""The sample pages build into a complete site."""

import json
import stat
from pathlib import Path

from newsarchive.report import Report
from newsarchive.store import markdown_to_article


def _content_files(site: Path) -> list[Path]:
    return sorted((site.parent / "content").rglob("*.md"))


def test_every_article_gets_a_page_with_its_title(sample_build: tuple[Path, Report]) -> None:
    site, report = sample_build
    files = _content_files(site)
    assert report.pages_read == 5
    assert len(files) == report.articles_written >= 25
    pages = sorted((site / "articles").glob("*/index.html"))
    assert len(pages) == len(files)
    for path in files:
        article = markdown_to_article(path.read_text(encoding="utf-8"), path)
        html = (site / "articles" / article.slug / "index.html").read_text(encoding="utf-8")
        assert f">{article.title}</h1>" in html.replace("&#34;", '"').replace("&#39;", "'")


def test_pages_are_chinese_and_self_contained(sample_site: Path) -> None:
    for path in sample_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in html, path
        for marker in (
            'src="http',
            "src='http",
            'src="//',
            'rel="stylesheet" href="http',
            "url(http",
        ):
            assert marker not in html, (path, marker)


def test_site_has_home_topics_years_months_and_search(sample_site: Path) -> None:
    assert (sample_site / "index.html").exists()
    assert (sample_site / "search" / "index.html").exists()
    assert list((sample_site / "topics").glob("*/index.html"))
    years = list((sample_site / "dates").glob("[12][0-9][0-9][0-9]/index.html"))
    months = list((sample_site / "dates").glob("[12][0-9][0-9][0-9]/[01][0-9]/index.html"))
    assert years and months
    shards = json.loads((sample_site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert sum(s["articles"] for s in shards["shards"]) == shards["articles"] > 0
    for shard in shards["shards"]:
        assert (sample_site / "pagefind" / "shards" / shard["key"] / "pagefind.js").exists()


def test_every_folder_of_the_site_has_the_usual_permissions(
    sample_site: Path, tmp_path: Path
) -> None:
    """A web server running as another user, or `rsync -a site/ host:`, needs the site's
    folders to carry the permissions of any folder the user makes, not private ones."""
    probe = tmp_path / "probe"
    probe.mkdir()
    usual = stat.S_IMODE(probe.stat().st_mode)
    folders = [sample_site, *(p for p in sample_site.rglob("*") if p.is_dir())]
    assert any(p.parent.name == "shards" for p in folders)  # the search index's bundles too
    odd = {
        str(p.relative_to(sample_site.parent)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in folders
        if stat.S_IMODE(p.stat().st_mode) != usual
    }
    assert not odd, f"folders that are not {oct(usual)}: {odd}"
