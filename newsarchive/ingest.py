"""raw/ → content/: read, segment and enrich every page, then store its articles.

Per raw page the flow is read → segment → enrich → write. A page whose bytes,
the config and the ingest version are all unchanged since the last run is
skipped. Files a maintainer edited are kept and reported, never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from .config import Config
from .dates import page_date
from .enrich import enrich
from .model import IngestedPage, SourcePage
from .report import Report
from .segment import segment_text
from .sources import DecodeError, RawFile, SourceError, find_pages, read_page
from .store import (
    Manifest,
    SourceRecord,
    article_to_markdown,
    atomic_write,
    content_path_for,
    text_hash,
)

INGEST_VERSION = "1"  # bump when segmentation or enrichment changes output


def ingest_page(page: SourcePage, config: Config) -> IngestedPage:
    """Pure: one decoded page in, its articles and leftovers out."""
    segments, leftovers = segment_text(page.text)
    when = page_date(page.meta, page.text)
    articles = tuple(enrich(seg, page, when, config) for seg in segments)
    return IngestedPage(page, articles, tuple(leftovers))


def config_fingerprint(config: Config) -> str:
    """Everything in the config that changes ingest output, plus the ingest version."""
    data = {
        "v": INGEST_VERSION,
        "topics": [asdict(t) for t in config.topics],
        "min": config.topic_min_score,
        "max": config.max_topics,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def _is_edited(path: Path, written_hash: str) -> bool:
    try:
        return text_hash(path.read_text(encoding="utf-8")) != written_hash
    except (OSError, UnicodeDecodeError):
        return False  # missing: nothing to keep


def _store(
    result: IngestedPage, content_dir: Path, old: SourceRecord | None, report: Report
) -> SourceRecord:
    """Write a page's articles, keeping every file a maintainer edited."""
    record = SourceRecord(result.page.digest, leftovers=[lo.text for lo in result.leftovers])
    kept_ids: set[str] = set()
    if old is not None:
        for rel, written in old.files.items():
            path = content_dir / rel
            if not path.exists():
                continue
            if _is_edited(path, written):
                kept_ids.add(_id_in(path))
                record.files[rel] = written  # still ours to track, never to overwrite
                report.edits_kept.append(rel)
            else:
                path.unlink()
    for article in result.articles:
        if article.id in kept_ids:
            continue
        rel = content_path_for(article)
        text = article_to_markdown(article)
        path = content_dir / rel
        if path.exists() and rel not in record.files:
            report.problem(rel, "exists but was not written by ingest; left untouched")
            continue
        atomic_write(path, text)
        record.files[rel] = text_hash(text)
        report.articles_written += 1
    return record


def _id_in(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").split("\n")[:40]:
        if line.startswith("id:"):
            return line[3:].strip().strip("'\"")
    return ""


def _read(raw: RawFile, report: Report) -> SourcePage | None:
    try:
        return read_page(raw)
    except (DecodeError, SourceError, OSError) as exc:
        report.problem(f"raw/{raw.source}", str(exc))
        return None


def ingest(config: Config, report: Report) -> list[IngestedPage]:
    """Ingest every raw page; return the pages (re)ingested this run."""
    content_dir = config.content_dir
    content_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(content_dir)
    fingerprint = config_fingerprint(config)
    same_config = manifest.fingerprint == fingerprint
    done: list[IngestedPage] = []
    seen: set[str] = set()
    for raw in find_pages(config.raw_dir):
        seen.add(raw.source)
        page = _read(raw, report)
        if page is None:
            continue
        report.pages_read += 1
        old = manifest.sources.get(raw.source)
        if (
            same_config
            and old is not None
            and old.digest == page.digest
            and all((content_dir / rel).exists() for rel in old.files)
        ):
            report.pages_skipped_unchanged += 1
            report.articles_unchanged += len(old.files)
            continue
        result = ingest_page(page, config)
        if not result.articles:
            report.problem(f"raw/{raw.source}", "no article text found")
        manifest.sources[raw.source] = _store(result, content_dir, old, report)
        done.append(result)
    for gone in sorted(set(manifest.sources) - seen):
        record = manifest.sources.pop(gone)
        for rel, written in record.files.items():
            path = content_dir / rel
            if path.exists() and not _is_edited(path, written):
                path.unlink()
            elif path.exists():
                report.edits_kept.append(rel)
    manifest.fingerprint = fingerprint
    manifest.save(content_dir)
    _prune_empty_dirs(content_dir)
    return done


def _prune_empty_dirs(root: Path) -> None:
    for path in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
