#!/usr/bin/env python3
"""Convert our content/ folder into the Hugo peer's site layout.

The comparison with Hugo + Pagefind is only fair when both build the very same
articles, so this reads the Markdown files our ingest stage wrote (one article per
file, YAML front matter) and writes them the way the shared peer harness's Hugo
site expects them (/work/shared/bench: `make_corpus.py --layout hugo`):

    OUT/content/posts/<slug>.md      YAML front matter: title, date, topics, byline, source
    OUT/content/archive/<yyyy>.md    one stub per year, rendered by the peer's year.html
    OUT/corpus-manifest.json         the counts `lib/measure.py` checks a build against

The front matter and manifest are produced with make_corpus.py's own helpers
(imported, not copied), so the files are byte-compatible with the peer benchmark.

    python bench/to_peer.py --content DIR --out SITE [--placeholder-date 1900-01-01]

Hugo needs a full timestamp on every page: partial dates (1953, 1953-03) get the
first day of the period, undated articles get --placeholder-date (Hugo only; our
own build keeps them undated), and every article gets a distinct second of the
day so list order never depends on ties.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

PEER_BENCH = Path(os.environ.get("PEER_BENCH", "/work/shared/bench"))
PLACEHOLDER_DATE = "1900-01-01"
_SLUG_OK = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_make_corpus() -> ModuleType:
    """Import the shared harness's make_corpus.py (it is a script, not a package)."""
    path = PEER_BENCH / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("peer_make_corpus", path)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot import {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("peer_make_corpus", mod)
    spec.loader.exec_module(mod)
    return mod


def read_article(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter and body of one content file (body = everything after the closing ---)."""
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    if not text.startswith("---"):
        raise ValueError(f"{path}: no front matter")
    m = re.search(r"^---[ \t]*$", text[3:], flags=re.M)
    if not m:
        raise ValueError(f"{path}: front matter not closed")
    meta = yaml.load(text[3 : 3 + m.start()], Loader=_Loader) or {}
    return meta, text[3 + m.end() :].strip("\n") + "\n"


def day_of(value: Any, placeholder: str) -> dt.date:
    """A calendar day for Hugo: YYYY-MM-DD as is, YYYY-MM / YYYY to the first day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value) if value not in (None, "") else placeholder
    parts = [int(p) for p in s.split("-")[:3]] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def content_files(content: Path) -> list[Path]:
    """All article files, sorted; dot-folders (manifests, backups) are not articles."""
    return sorted(
        p
        for p in content.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(content).parts)
    )


def convert(content: Path, out: Path, placeholder: str = PLACEHOLDER_DATE) -> dict[str, Any]:
    """Write the Hugo peer layout for every article under `content`; return the manifest."""
    mc = load_make_corpus()
    arts: list[dict[str, Any]] = []
    slugs: set[str] = set()
    undated = 0
    for path in content_files(content):
        meta, body = read_article(path)
        if meta.get("date") in (None, ""):
            undated += 1
        slug = str(meta.get("slug") or meta.get("id") or path.stem).lower()
        if not _SLUG_OK.match(slug):
            slug = re.sub(r"[^a-z0-9_-]+", "-", str(meta.get("id") or path.stem).lower()).strip("-")
        base, k = slug or "a", 2
        while slug in slugs:
            slug = f"{base}-{k}"
            k += 1
        slugs.add(slug)
        byline = meta.get("byline") or []
        arts.append(
            {
                "slug": slug,
                "title": str(meta.get("title") or slug),
                "day": day_of(meta.get("date"), placeholder),
                "topics": [str(t) for t in (meta.get("topics") or [])],
                "byline": " ".join(map(str, byline)) if isinstance(byline, list) else str(byline),
                "source": str(meta.get("newspaper") or meta.get("source") or ""),
                "body": body,
                "order": (str(meta.get("source") or path), int(meta.get("position") or 0)),
            }
        )
    # distinct timestamps, in page order within a day, so every list sorts the same way
    arts.sort(key=lambda a: (a["day"], a["order"]))
    second: dict[dt.date, int] = {}
    for a in arts:
        n = second.get(a["day"], 0)
        second[a["day"]] = n + 1
        a["date"] = dt.datetime.combine(a["day"], dt.time(6), tzinfo=mc.TZ) + dt.timedelta(
            seconds=n
        )
    posts = out / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    by_topic: dict[str, int] = {}
    years: set[int] = set()
    for a in arts:
        (posts / f"{a['slug']}.md").write_text(mc.yaml_doc(a), encoding="utf-8")
        for t in a["topics"]:
            by_topic[t] = by_topic.get(t, 0) + 1
        years.add(a["date"].year)
    for y in sorted(years):  # the same year stubs make_corpus.py writes for --layout hugo
        mc.write(
            str(out / "content" / "archive" / f"{y}.md"),
            f'---\ntitle: "{y}年"\nyear: {y}\nlayout: year\nurl: /archive/{y}/\n---\n',
        )
    topic_pages = {t: math.ceil(c / mc.PER_PAGE) for t, c in sorted(by_topic.items())}
    manifest = {
        "n": len(arts),
        "layout": "hugo",
        "from": str(content),
        "per_page": mc.PER_PAGE,
        "articles": len(arts),
        "undated_placeholder": placeholder,
        "undated": undated,
        "topics": dict(sorted(by_topic.items())),
        "topic_pages": topic_pages,
        "topic_pages_total": sum(topic_pages.values()),
        "years": sorted(years),
        # article pages + paginated topic pages + year pages + topics index + home
        "expected_html": len(arts) + sum(topic_pages.values()) + len(years) + 2,
        "body_chars_total": sum(len(a["body"]) for a in arts),
    }
    (out / "corpus-manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--content", required=True, type=Path, help="our content/ folder")
    ap.add_argument("--out", required=True, type=Path, help="Hugo site folder to write")
    ap.add_argument("--layout", default="hugo", choices=["hugo"], help="peer layout")
    ap.add_argument("--placeholder-date", default=PLACEHOLDER_DATE, help="date for undated")
    a = ap.parse_args(argv)
    m = convert(a.content, a.out, a.placeholder_date)
    keys = ("articles", "undated", "topic_pages_total", "expected_html")
    print(json.dumps({k: m[k] for k in keys}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
