"""Every article's metadata as CSV and JSON, for readers who want the data itself.

CollectionBuilder's lesson: a collection is more useful when its metadata
can be downloaded whole. The columns follow the content contract
(docs/front-matter.md) plus the page URL, so the files join with content/.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .archive import Archive, Entry, plain_text, shorten

if TYPE_CHECKING:
    from .render import Urls

CSV_PATH = "data/articles.csv"
JSON_PATH = "data/articles.json"
FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "稳定标识"),
    ("title", "标题"),
    ("kicker", "引题"),
    ("subtitle", "副题"),
    ("column", "栏目"),
    ("kind", "类型"),
    ("date", "日期（可能只到年或月）"),
    ("date_source", "日期来源"),
    ("newspaper", "报纸"),
    ("page_no", "版次"),
    ("position", "在版面中的顺序"),
    ("byline", "作者（多人以“;”分隔）"),
    ("topics", "专题（以“;”分隔）"),
    ("continued_from", "上接版面"),
    ("source", "原始文件"),
    ("url", "文章网址"),
    ("summary", "开头文字"),
)


def excerpt(body: str, length: int = 120) -> str:
    """Plain-text opening of an article body (subheading marks dropped)."""
    return shorten(plain_text(body), length)


def record(article: Entry, urls: Urls) -> dict[str, Any]:
    """One article's metadata row; lists stay lists (joined only for CSV)."""
    link = urls.article(article)
    return {
        "id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "column": article.column,
        "kind": article.kind,
        "date": article.date,
        "date_source": article.date_source,
        "newspaper": article.newspaper,
        "page_no": article.page_no,
        "position": article.position,
        "byline": list(article.byline),
        "topics": list(article.topics),
        "continued_from": article.continued_from,
        "source": article.source,
        "url": urls.absolute(link) or link,
        "summary": article.excerpt(),
    }


def to_csv(rows: list[dict[str, Any]]) -> str:
    """UTF-8 CSV with a BOM, so spreadsheet programs read the Chinese correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _ in FIELDS], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ";".join(v) if isinstance(v, list) else ("" if v is None else v)
                for k, v in row.items()
            }
        )
    return "\ufeff" + out.getvalue()


def plan_files(archive: Archive, urls: Urls) -> Iterator[tuple[str, str]]:
    """(path, text) of the data downloads, in archive order (newest first)."""
    rows = [record(a, urls) for a in archive.articles]
    yield CSV_PATH, to_csv(rows)
    payload = {"count": len(rows), "fields": [name for name, _ in FIELDS], "articles": rows}
    yield JSON_PATH, json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
