"""Archive → HTML pages, through the Jinja templates in templates/.

`plan_pages` lists every page of the site as (output path, template, context);
`render_site` renders them into a fresh folder. Nothing here knows Pagefind.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .archive import UNKNOWN_PAPER, Archive, PageView, name_slug
from .config import Config
from .model import Article

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
KIND_LABELS = {
    "news": "消息",
    "commentary": "评论",
    "interview": "访谈",
    "notice": "公告启事",
    "photo": "图片新闻",
    "continuation": "转版续文",
    "fragment": "残篇",
}
_UNSAFE_INLINE = (
    "link",
    "image_link",
    "reference",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "html",
)


@dataclass(frozen=True)
class PageSpec:
    """One HTML file to write."""

    path: str  # output path relative to the site root, e.g. articles/x/index.html
    template: str  # template file name
    context: dict[str, Any]  # variables for the template


@cache
def _markdown() -> markdown.Markdown:
    """Python-Markdown with raw HTML and links switched off: OCR text is never markup."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    for name in _UNSAFE_INLINE:
        md.inlinePatterns.deregister(name)
    return md


def body_html(body: str) -> Markup:
    md = _markdown()
    md.reset()
    return Markup(md.convert(body))


class Urls:
    """Every URL of the site, in one place, prefixed with base_url."""

    def __init__(self, base_url: str):
        self.base = base_url

    def __call__(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def article(self, article: Article) -> str:
        return self(f"articles/{article.slug}/")

    def topic(self, topic: str, page: int = 1) -> str:
        return self(f"topics/{name_slug(topic)}/" + (f"page/{page}/" if page > 1 else ""))

    def year(self, year: str) -> str:
        return self(f"dates/{year}/")

    def month(self, month: str) -> str:
        return self(f"dates/{month[:4]}/{month[5:7]}/")

    def day(self, day: str) -> str:
        return self(f"dates/{day[:4]}/{day[5:7]}/{day[8:10]}/")

    def date(self, date: str | None) -> str:
        if not date:
            return self("dates/undated/")
        return {4: self.year, 7: self.month}.get(len(date), self.day)(date)

    def paper(self, paper: str | None) -> str:
        return self(f"papers/{name_slug(paper or UNKNOWN_PAPER)}/")

    def person(self, name: str) -> str:
        return self(f"people/{name_slug(name)}/")

    def page(self, view: PageView) -> str:
        return self(f"pages/{view.slug}/")


def format_date(date: str | None) -> str:
    """2021-12-09 → 2021年12月9日; partial dates stay partial."""
    if not date:
        return "日期不详"
    parts = date.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out


def make_env(config: Config, archive: Archive) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    urls = Urls(config.base_url)
    env.globals.update(
        url=urls,
        urls=urls,
        config=config,
        archive=archive,
        kind_labels=KIND_LABELS,
        unknown_paper=UNKNOWN_PAPER,
    )
    env.filters["date_cn"] = format_date
    env.filters["body_html"] = body_html
    return env


def _paginate(items: list[Article], per_page: int) -> Iterator[tuple[int, int, list[Article]]]:
    total = max(1, math.ceil(len(items) / per_page))
    for number in range(1, total + 1):
        yield number, total, items[(number - 1) * per_page : number * per_page]


def plan_pages(config: Config, archive: Archive, urls: Urls) -> Iterator[PageSpec]:
    """Every page of the site, in a fixed order."""
    pages = archive.pages
    topic_counts = sorted(
        ((t, len(a)) for t, a in archive.by_topic.items()), key=lambda x: (-x[1], x[0])
    )
    yield PageSpec(
        "index.html",
        "home.html",
        {
            "latest": archive.articles[: config.per_page],
            "latest_pages": list(pages.values())[:10],
            "topic_counts": topic_counts,
        },
    )
    for article in archive.articles:
        view = pages[article.source]
        yield PageSpec(
            urls.article(article).removeprefix(config.base_url) + "index.html",
            "article.html",
            {"article": article, "page_view": view},
        )
    yield PageSpec("topics/index.html", "topics.html", {"topic_counts": topic_counts})
    for topic, items in archive.by_topic.items():
        for number, total, chunk in _paginate(items, config.per_page):
            yield PageSpec(
                urls.topic(topic, number).removeprefix(config.base_url) + "index.html",
                "list.html",
                {
                    "heading": topic,
                    "kind_label": "专题",
                    "items": chunk,
                    "pager": {
                        "number": number,
                        "total": total,
                        "url": lambda n, t=topic: urls.topic(t, n),
                    },
                    "count": len(items),
                },
            )
    yield PageSpec("dates/index.html", "dates.html", {})
    for year, items in archive.by_year.items():
        months = [m for m in archive.by_month if m.startswith(year)]
        yield PageSpec(
            f"dates/{year}/index.html",
            "list.html",
            {
                "heading": f"{int(year)}年",
                "kind_label": "年份",
                "items": items,
                "pager": None,
                "count": len(items),
                "months": months,
            },
        )
    for month, items in archive.by_month.items():
        days = [d for d in archive.by_day if d.startswith(month)]
        yield PageSpec(
            f"dates/{month[:4]}/{month[5:7]}/index.html",
            "list.html",
            {
                "heading": format_date(month),
                "kind_label": "月份",
                "items": items,
                "pager": None,
                "count": len(items),
                "days": days,
            },
        )
    for day, items in archive.by_day.items():
        yield PageSpec(
            f"dates/{day[:4]}/{day[5:7]}/{day[8:10]}/index.html",
            "list.html",
            {
                "heading": format_date(day),
                "kind_label": "日期",
                "items": items,
                "pager": None,
                "count": len(items),
            },
        )
    if archive.undated:
        yield PageSpec(
            "dates/undated/index.html",
            "list.html",
            {
                "heading": "日期不详",
                "kind_label": "日期",
                "items": archive.undated,
                "pager": None,
                "count": len(archive.undated),
            },
        )
    for view in pages.values():
        yield PageSpec(f"pages/{view.slug}/index.html", "page.html", {"view": view})
    yield PageSpec("search/index.html", "search.html", {})
    yield PageSpec("404.html", "404.html", {})


def copy_assets(target: Path) -> None:
    shutil.copytree(ASSETS_DIR, target / "assets", dirs_exist_ok=True)


def render_site(config: Config, archive: Archive, target: Path) -> int:
    """Render every page into target (an empty folder); return the number of HTML files."""
    env = make_env(config, archive)
    urls: Urls = env.globals["urls"]  # type: ignore[assignment]
    count = 0
    seen: set[str] = set()
    for spec in plan_pages(config, archive, urls):
        if spec.path in seen:
            raise RuntimeError(f"two pages claim the same path {spec.path}")
        seen.add(spec.path)
        html = env.get_template(spec.template).render(**spec.context, page_path=spec.path)
        out = target / spec.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
        count += 1
    copy_assets(target)
    return count
