"""Archive → HTML pages, through the Jinja templates in templates/.

`plan_pages` lists every page of the site as (output path, template, context);
`render_site` renders them into a fresh folder. Nothing here knows Pagefind.
"""

from __future__ import annotations

import calendar
import json
import math
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import export, feeds
from .archive import UNKNOWN_PAPER, Archive, Entry, PageView
from .config import Config
from .decode import DecodeError, decode_bytes, normalise_newlines
from .export import excerpt
from .incremental import Deferred, SiteOutput, resolved
from .names import name_slug
from .parallel import ordered_map, without_cycle_collector
from .progress import Progress

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
PEOPLE_PER_PAGE = 1000  # names on a page of the people index (about 80 KB of HTML)
T = TypeVar("T")
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


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One HTML file to write."""

    path: str  # output path relative to the site root, e.g. articles/x/index.html
    template: str  # template file name
    context: dict[str, Any]  # variables for the template; hashed for the page's key
    # More variables, computed only when the page is rendered: what follows from the
    # context (a body's HTML, JSON-LD, raw text) need not be built for unchanged pages.
    derive: Callable[[], dict[str, Any]] | None = None


@cache
def _markdown() -> markdown.Markdown:
    """Python-Markdown with raw HTML and links switched off: OCR text is never markup."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    for name in _UNSAFE_INLINE:
        md.inlinePatterns.deregister(name)
    return md


# Plain OCR prose needs no Markdown parser: blocks without anything Python-Markdown
# (as configured in _markdown) could read as markup are converted directly, with the
# same output; anything else goes through the parser. tests/test_render_body.py
# checks the two agree.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]!#=\t\r\x00-\x09\x0b-\x1f\x7f]")
_RISKY_LINE = re.compile(r"^(?:\s|[-+>:]|\d+[.)])|\s$", re.M)
_TAG_OR_ENTITY = re.compile(r"<[^<>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z0-9]+);")
_HEADING = re.compile(r"(#{1,6})([^#\n]*)")


def _plain(text: str) -> bool:
    """True when text holds nothing Markdown would treat as markup (only &, <, > to escape)."""
    return not (
        _MARKUP_CHARS.search(text) or _RISKY_LINE.search(text) or _TAG_OR_ENTITY.search(text)
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_body_html(body: str) -> str | None:
    """Paragraphs and `## ` headings straight to HTML; None when the parser is needed."""
    if not body or body != body.strip() or "\n\n\n" in body:
        return None
    out = []
    for block in body.split("\n\n"):
        if block.startswith("#"):
            match = _HEADING.fullmatch(block)
            if not match or _MARKUP_CHARS.search(match.group(2)):
                return None
            text = match.group(2).strip()
            if not text or not _plain(text):
                return None
            level = len(match.group(1))
            out.append(f"<h{level}>{_escape(text)}</h{level}>")
        elif _plain(block):
            out.append(f"<p>{_escape(block)}</p>")
        else:
            return None
    return "\n".join(out)


def markdown_html(body: str) -> str:
    md = _markdown()
    md.reset()
    return md.convert(body)


def body_html(body: str) -> Markup:
    """An article body as HTML; most OCR bodies skip the (slow) Markdown parser."""
    html = plain_body_html(body)
    return Markup(markdown_html(body) if html is None else html)


class Urls:
    """Every URL of the site, in one place, prefixed with base_url.

    Names (topics, papers, people) get their slugs from the archive, which
    keeps homophones apart; `absolute` adds site_url when one is configured.
    """

    def __init__(self, base_url: str, archive: Archive | None = None, site_url: str = ""):
        self.base = base_url
        self.site_url = site_url.rstrip("/")
        self._archive = archive

    def __call__(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def absolute(self, url: str) -> str | None:
        """The full URL for feeds, canonical and og:url; None without site_url."""
        return self.site_url + url if self.site_url else None

    def _slug(self, kind: str, name: str) -> str:
        if self._archive is None:
            return name_slug(name)
        return getattr(self._archive, f"{kind}_slugs").get(name) or name_slug(name)

    @staticmethod
    def _paged(url: str, page: int) -> str:
        return url + (f"page/{page}/" if page > 1 else "")

    def article(self, article: Entry) -> str:
        return self(f"articles/{article.slug}/")

    def topics(self) -> str:
        return self("topics/")

    def topic(self, topic: str, page: int = 1) -> str:
        return self._paged(self(f"topics/{self._slug('topic', topic)}/"), page)

    def topic_feed(self, topic: str) -> str:
        return self(f"topics/{self._slug('topic', topic)}/feed.xml")

    def dates(self) -> str:
        return self("dates/")

    def year(self, year: str) -> str:
        return self(f"dates/{year}/")

    def month(self, month: str, page: int = 1) -> str:
        return self._paged(self(f"dates/{month[:4]}/{month[5:7]}/"), page)

    def day(self, day: str, page: int = 1) -> str:
        return self._paged(self(f"dates/{day[:4]}/{day[5:7]}/{day[8:10]}/"), page)

    def undated(self, page: int = 1) -> str:
        return self._paged(self("dates/undated/"), page)

    def date(self, date: str | None) -> str:
        if not date:
            return self.undated()
        return {4: self.year, 7: self.month}.get(len(date), self.day)(date)

    def papers(self) -> str:
        return self("papers/")

    def paper(self, paper: str | None, page: int = 1) -> str:
        return self._paged(self(f"papers/{self._slug('paper', paper or UNKNOWN_PAPER)}/"), page)

    def people(self, page: int = 1) -> str:
        return self._paged(self("people/"), page)

    def person(self, name: str, page: int = 1) -> str:
        return self._paged(self(f"people/{self._slug('person', name)}/"), page)

    def page(self, view: PageView) -> str:
        return self(f"pages/{view.slug}/")

    def feed(self) -> str:
        return self("feed.xml")

    def data(self) -> str:
        return self("data/")

    def search(self) -> str:
        return self("search/")


@lru_cache(maxsize=8192)
def format_date(date: str | None) -> str:
    """2021-12-09 → 2021年12月9日; partial dates stay partial (cached: lists repeat dates)."""
    if not date:
        return "日期不详"
    parts = date.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out


WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def citation(article: Entry, urls: Urls) -> dict[str, str]:
    """Trove-style citation parts: title, paper, date, page and URL (absolute if known)."""
    link = urls.article(article)
    paper = f"《{article.newspaper}》" if article.newspaper else UNKNOWN_PAPER
    parts = [article.title, paper, format_date(article.date)]
    if article.page_no:
        parts.append(f"第{article.page_no}版")
    return {"text": "，".join(parts) + "。", "url": urls.absolute(link) or link, "href": link}


def json_ld(article: Entry, urls: Urls, config: Config) -> Markup:
    """schema.org NewsArticle, safe to embed in a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": "zh-CN",
        "description": article.excerpt(),
        "isAccessibleForFree": True,
    }
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle.lstrip("—").strip()
    if article.date:
        data["datePublished"] = article.date
    if article.byline:
        data["author"] = [{"@type": "Person", "name": n} for n in article.byline]
    if article.newspaper:
        data["publisher"] = {"@type": "Organization", "name": article.newspaper}
    if article.page_no:
        data["printPage"] = str(article.page_no)
    if article.column:
        data["printSection"] = article.column
    if article.topics:
        data["keywords"] = list(article.topics)
    absolute = urls.absolute(urls.article(article))
    if absolute:
        data["url"] = absolute
        data["mainEntityOfPage"] = absolute
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # C encoder: no indent
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def year_calendar(year: str, archive: Archive) -> list[dict[str, Any]]:
    """Twelve month grids (weeks × Monday-first days) with the article count of each day."""
    months = []
    for m in range(1, 13):
        key = f"{year}-{m:02d}"
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdayscalendar(int(year), m):
            cells = []
            for d in week:
                day = f"{key}-{d:02d}" if d else ""
                cells.append({"day": d, "date": day, "count": len(archive.by_day.get(day, ()))})
            weeks.append(cells)
        total = len(archive.by_month.get(key, ()))
        exact = sum(c["count"] for w in weeks for c in w)
        months.append(
            {"month": key, "number": m, "weeks": weeks, "total": total, "partial": total - exact}
        )
    return months


def timeline(archive: Archive) -> list[dict[str, Any]]:
    """Year rows with twelve month counts, newest year first (home and dates index)."""
    rows = []
    for year, items in archive.by_year.items():
        months = [
            (f"{year}-{m:02d}", len(archive.by_month.get(f"{year}-{m:02d}", ())))
            for m in range(1, 13)
        ]
        rows.append({"year": year, "total": len(items), "months": months})
    return rows


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # UTF-8, UTF-16/32 byte-order marks
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # category Cc but \t\n\f\r


def raw_text(config: Config, source: str) -> str | None:
    """The page's original OCR text, read at render time; None if the file is gone.

    Plain UTF-8 without a single control character is what decode_bytes
    returns it as, without its per-character binary check; all else goes
    through decode_bytes.
    """
    path = config.raw_dir / source
    try:
        data = path.read_bytes()
        if data.strip() and not data.startswith(_BOMS):
            with suppress(UnicodeDecodeError):
                text = data.decode("utf-8")
                if not _CONTROLS.search(text):
                    return normalise_newlines(text)
        return decode_bytes(data).text
    except (OSError, DecodeError):
        return None


def make_env(config: Config, archive: Archive) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # A build makes its own environment, so templates cannot change under it; without
        # this Jinja would stat every template file for every one of 20,000 pages.
        auto_reload=False,
    )
    urls = Urls(config.base_url, archive, config.site_url)
    env.globals.update(
        url=urls,
        urls=urls,
        config=config,
        archive=archive,
        kind_labels=KIND_LABELS,
        unknown_paper=UNKNOWN_PAPER,
        weekdays=WEEKDAYS,
    )
    env.filters["date_cn"] = format_date
    env.filters["body_html"] = body_html
    env.filters["excerpt"] = excerpt
    # Before any template module is made: a module sees the globals of its making.
    env.globals["list_item"] = _once_per_article(env)
    # Header, footer and head links are the same on every page: rendered once, not
    # 20,000 times (a dozen URL calls each).
    chrome = env.get_template("_chrome.html").module
    env.globals["chrome"] = {
        "head": chrome.head(),  # type: ignore[attr-defined]
        "header": chrome.header(),  # type: ignore[attr-defined]
        "footer": chrome.footer(),  # type: ignore[attr-defined]
    }
    return env


def _once_per_article(env: Environment) -> Callable[[Entry, bool], Markup]:
    """`article_item` of _macros.html, rendered once per article and build, not once per list
    showing it. An item shows only the article's own fields (its page_digest, which every
    listing page's key includes), so the copy is the same wherever it appears."""
    done: dict[tuple[Entry, bool], Markup] = {}

    def list_item(article: Entry, show_date: bool = True) -> Markup:
        key = (article, show_date)
        html = done.get(key)
        if html is None:
            macro = env.get_template("_macros.html").module.article_item  # type: ignore[attr-defined]
            html = done[key] = macro(article, show_date)
        return html

    return list_item


def _paginate(items: list[T], per_page: int) -> Iterator[tuple[int, int, list[T]]]:
    total = max(1, math.ceil(len(items) / per_page))
    for number in range(1, total + 1):
        yield number, total, items[(number - 1) * per_page : number * per_page]


def _out(urls: Urls, url: str) -> str:
    """Output file for a directory URL: /archive/topics/x/ → topics/x/index.html."""
    return url.removeprefix(urls.base) + "index.html"


def _list_pages(
    urls: Urls,
    url_of: Callable[[int], str],
    items: list[Entry],
    per_page: int,
    **context: Any,
) -> Iterator[PageSpec]:
    """A paginated article list (topic, month, day, paper, person, undated)."""
    for number, total, chunk in _paginate(items, per_page):
        yield PageSpec(
            _out(urls, url_of(number)),
            "list.html",
            {
                "items": chunk,
                "count": len(items),
                "pager": {"number": number, "total": total, "url": url_of},
                **context,
            },
        )


def _counts(groups: dict[str, list[Entry]]) -> list[tuple[str, int]]:
    """(name, count), most articles first, then by name."""
    return sorted(((k, len(v)) for k, v in groups.items()), key=lambda x: (-x[1], x[0]))


def _article_spec(config: Config, archive: Archive, urls: Urls, article: Entry) -> PageSpec:
    return PageSpec(
        _out(urls, urls.article(article)),
        "article.html",
        {
            "article": article,
            "body_digest": article.body_digest,
            "page_view": archive.pages[article.source],
            "on_page": archive.on_page_neighbours(article),
            "by_date": archive.by_date_neighbours(article),
            "related": Deferred(partial(archive.related, article)),
        },
        partial(_article_extras, config, urls, article),
    )


def _article_extras(config: Config, urls: Urls, article: Entry) -> dict[str, Any]:
    """The parts of an article page that need its body or follow from its fields."""
    return {
        "body_html": body_html(article.body),
        "cite": citation(article, urls),
        "json_ld": json_ld(article, urls, config),
        "canonical": urls.absolute(urls.article(article)),
        "description": article.excerpt(),
    }


def _raw_stamp(config: Config, source: str) -> tuple[int, int] | None:
    """Size and mtime of a raw page: stands for its text in the page view's key."""
    try:
        st = (config.raw_dir / source).stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def plan_pages(config: Config, archive: Archive, urls: Urls) -> Iterator[PageSpec]:
    """Every page of the site, in a fixed order."""
    pages = archive.pages
    topic_counts = _counts(archive.by_topic)
    per = config.per_page
    yield PageSpec(
        "index.html",
        "home.html",
        {
            "latest": archive.articles[:per],
            "latest_pages": list(pages.values())[:8],
            "topic_counts": topic_counts,
            "timeline": timeline(archive),
        },
    )
    for article in archive.articles:
        yield _article_spec(config, archive, urls, article)
    for view in pages.values():
        yield PageSpec(
            _out(urls, urls.page(view)),
            "page.html",
            {"view": view, "raw_stamp": _raw_stamp(config, view.source)},
            partial(lambda source: {"raw_text": raw_text(config, source)}, view.source),
        )

    yield PageSpec("topics/index.html", "topics.html", {"topic_counts": topic_counts})
    for topic, items in archive.by_topic.items():
        yield from _list_pages(
            urls,
            lambda n, t=topic: urls.topic(t, n),
            items,
            per,
            heading=topic,
            kind_label="专题",
            crumbs=[("专题", urls.topics())],
            feed=urls.topic_feed(topic),
        )

    yield PageSpec("dates/index.html", "dates.html", {"timeline": timeline(archive)})
    for year, items in archive.by_year.items():
        yield PageSpec(
            _out(urls, urls.year(year)),
            "year.html",
            {
                "year": year,
                "count": len(items),
                "months": year_calendar(year, archive),
                "year_only": [a for a in items if a.date and len(a.date) == 4],
            },
        )
    for month, items in archive.by_month.items():
        yield from _list_pages(
            urls,
            lambda n, m=month: urls.month(m, n),
            items,
            per,
            heading=format_date(month),
            kind_label="月份",
            crumbs=[("日期", urls.dates()), (f"{int(month[:4])}年", urls.year(month[:4]))],
            days=[(d, len(v)) for d, v in archive.by_day.items() if d.startswith(month)],
        )
    for day, items in archive.by_day.items():
        yield from _list_pages(
            urls,
            lambda n, d=day: urls.day(d, n),
            items,
            per,
            heading=format_date(day),
            kind_label="日期",
            crumbs=[
                ("日期", urls.dates()),
                (f"{int(day[:4])}年", urls.year(day[:4])),
                (format_date(day[:7]), urls.month(day[:7])),
            ],
            day_pages=archive.pages_by_day.get(day, []),
        )
    if archive.undated:
        yield from _list_pages(
            urls,
            urls.undated,
            archive.undated,
            per,
            heading="日期不详",
            kind_label="日期",
            crumbs=[("日期", urls.dates())],
        )

    yield PageSpec("papers/index.html", "names.html", _papers_context(archive))
    for paper, items in archive.by_paper.items():
        yield from _list_pages(
            urls,
            lambda n, p=paper: urls.paper(p, n),
            items,
            per,
            heading=paper,
            kind_label="报纸",
            crumbs=[("报纸", urls.papers())],
        )
    yield from _people_pages(urls, archive)
    for person, items in archive.by_person.items():
        yield from _list_pages(
            urls,
            lambda n, p=person: urls.person(p, n),
            items,
            per,
            heading=person,
            kind_label="作者",
            crumbs=[("人物", urls.people())],
        )

    yield PageSpec("data/index.html", "data.html", {"fields": export.FIELDS})
    yield PageSpec("search/index.html", "search.html", {})
    yield PageSpec("404.html", "404.html", {})


def _papers_context(archive: Archive) -> dict[str, Any]:
    names = _counts(archive.by_paper)
    return {"kind": "papers", "heading": "报纸", "names": names, "count": len(names)}


def _people_pages(urls: Urls, archive: Archive) -> Iterator[PageSpec]:
    """The people index, most articles first, PEOPLE_PER_PAGE names a page.

    Every byline makes a person, so an archive of years has tens of thousands
    (33,728 at 64,330 generated articles): on one page that was 2.7 MB of
    HTML, too much for a phone, and it grew with every day added.
    """
    names = _counts(archive.by_person)
    for number, total, chunk in _paginate(names, PEOPLE_PER_PAGE):
        yield PageSpec(
            _out(urls, urls.people(number)),
            "names.html",
            {
                "kind": "people",
                "heading": "人物",
                "names": chunk,
                "count": len(names),
                "first": (number - 1) * PEOPLE_PER_PAGE + 1,
                "pager": {"number": number, "total": total, "url": urls.people},
            },
        )


def copy_assets(target: Path) -> None:
    shutil.copytree(ASSETS_DIR, target / "assets", dirs_exist_ok=True)


def render_site(
    config: Config, archive: Archive, target: Path, out: SiteOutput | None = None
) -> int:
    """Render every page into target, then feeds, sitemap and data files.

    `out` (see incremental.py) skips pages whose dependencies are unchanged
    since the site it was started from; without it every page is written.
    Returns the number of HTML files written.
    """
    out = out or SiteOutput(target)
    env = make_env(config, out.track(archive))
    urls: Urls = env.globals["urls"]  # type: ignore[assignment]
    seen: set[str] = set()
    with without_cycle_collector():
        specs = list(plan_pages(config, archive, urls))
        for spec in specs:
            if spec.path in seen:
                raise RuntimeError(f"two pages claim the same path {spec.path}")
            seen.add(spec.path)
        kept = out.still_fresh([(spec.path, spec.template, spec.context) for spec in specs])
        stale = [spec for spec, unchanged in zip(specs, kept, strict=True) if not unchanged]
        del specs, kept

    def render_one(index: int) -> tuple[str, str, list[str]]:
        """Render and write one page (in a worker); return its key and what it read."""
        spec = stale[index]
        key = out.page_key(spec.path, spec.template, spec.context)
        with out.reads() as read:
            context = resolved(spec.context)
            if spec.derive is not None:
                context.update(spec.derive())
            html = env.get_template(spec.template).render(**context, page_path=spec.path)
        out.put(spec.path, html)
        return spec.path, key, sorted(read)

    # The feeds, sitemap and data files are built in a thread while the workers render,
    # with Urls over the archive itself: what they read need not be recorded (they are
    # compared by content), and no page's record picks it up.
    html_paths = [p for p in seen if p != "404.html"]
    plain_urls = Urls(config.base_url, archive, config.site_url)

    def plan_files() -> list[tuple[str, str]]:
        return [
            *feeds.plan_files(config, archive, plain_urls, html_paths),
            *export.plan_files(archive, plain_urls),
        ]

    # Jinja holds the GIL: render on every core. Workers are forked after planning,
    # so they share the archive and templates; only (path, key, attributes read) come back.
    out.wait()  # the previous site is linked in before any page is written or worker forked
    progress = Progress("render", len(stale), "pages")
    # The executor starts its thread at the first submit, once the workers exist: a
    # process is never forked while a thread of it runs.
    with ThreadPoolExecutor(max_workers=1) as background:
        files: Future[list[tuple[str, str]]] | None = None
        for path, key, read in ordered_map(render_one, range(len(stale))):
            files = files or background.submit(plan_files)
            out.adopt(path, key, read)
            progress.tick()
        progress.done()
        files = files or background.submit(plan_files)
        planned = files.result()
    count = len(stale)
    for path, text in planned:
        if path in seen:
            raise RuntimeError(f"two files claim the same path {path}")
        seen.add(path)
        out.write_file(path, text)
    copy_assets(target)
    return count
