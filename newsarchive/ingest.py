"""raw/ → content/: read, segment and enrich every page, then store its articles.

Per raw page the flow is read → segment → enrich → write. A page whose bytes,
the config and the ingest version are all unchanged since the last run is
skipped. Files a maintainer edited are kept and reported, never rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .archive import UNKNOWN_PAPER, IngestRows
from .config import Config
from .dates import page_date
from .enrich import enrich
from .model import Article, IngestedPage, SourcePage
from .names import names_of, remember
from .parallel import ordered_map
from .progress import Progress
from .report import Report
from .segment import segment_text
from .slugs import article_id, article_slug, slug_of_path
from .sources import DecodeError, RawFile, SourceError, find_pages, raw_stamp, read_page
from .store import (
    Manifest,
    SourceRecord,
    article_to_markdown,
    atomic_write,
    content_path_for,
    edited_files,
    file_stamp,
    is_edited,
    text_hash,
)
from .textutil import warm_up
from .topics import teach_topics

INGEST_VERSION = "5"  # bump when segmentation or enrichment changes output
BACKUP_DIR = ".backup"  # content/.backup/<time>/: edited files saved before regenerating


def ingest_page(page: SourcePage, config: Config) -> IngestedPage:
    """Pure: one decoded page in, its articles and leftovers out."""
    segments, leftovers = segment_text(page.text)
    when = page_date(page.meta, page.text)
    articles = tuple(_unique_ids(enrich(seg, page, when, config) for seg in segments))
    return IngestedPage(page, articles, tuple(leftovers))


def _unique_ids(articles: Iterable[Article]) -> Iterator[Article]:
    """Give a repeated article on the same page (OCR printed it twice) its own id and slug.

    Ids hash the source, title and opening words, so two copies would collide;
    only the repeat mixes in its position, so the first keeps its usual id.
    """
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            ident = article_id(article.source, f"{article.id}\x00{article.position}")
            article = replace(article, id=ident, slug=article_slug(article.title, ident))
        seen.add(article.id)
        yield article


def _unique_slugs(result: IngestedPage, taken: dict[str, str]) -> IngestedPage:
    """Lengthen the hash of a slug another raw page's article already has.

    Six hex digits are 16.7 million values, but same-headline articles
    (寻亲启事, 停水通知) share the rest of the slug: among 190,000 generated
    articles two pairs clashed, and the site can hold only one of each URL.
    `taken` maps every slug in content/ to its raw page and is updated here.
    """
    source = result.page.source
    articles = []
    mine: set[str] = set()
    for article in result.articles:
        slug, digits = article.slug, 6
        while (taken.get(slug, source) != source or slug in mine) and digits < len(article.id):
            digits += 2
            slug = article_slug(article.title, article.id, digits)
        if slug != article.slug:
            article = replace(article, slug=slug)
        taken[slug] = source
        mine.add(slug)
        articles.append(article)
    return replace(result, articles=tuple(articles))


def config_fingerprint(config: Config) -> str:
    """Everything in the config that changes ingest output, plus the ingest version."""
    data = {
        "v": INGEST_VERSION,
        "topics": [asdict(t) for t in config.topics],
        "min": config.topic_min_score,
        "max": config.max_topics,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def _store(
    result: IngestedPage,
    content_dir: Path,
    record: SourceRecord,
    report: Report,
    rows: IngestRows,
) -> None:
    """Write a page's articles, keeping every file a maintainer edited.

    `record` is the page's entry in the manifest, starting as the last ingest's and
    changed file by file as the disk changes: a build stopped anywhere in here leaves
    a manifest (saved on the way out) that still names every file ingest wrote, so no
    file of ours is later taken for a maintainer's edit, and none is orphaned. Only
    once every article is written does the record take the page's digest.
    """
    kept_ids: set[str] = set()
    kept_files: set[str] = set()
    for rel, written in list(record.files.items()):
        path = content_dir / rel
        if not path.exists():
            _forget(record, rel)
        elif is_edited(path, written):
            kept_ids.add(_id_in(path))
            kept_files.add(rel)
            record.file_stamps.pop(rel, None)  # still ours to track, never to overwrite
            report.edits_kept.append(rel)
        else:
            path.unlink()
            _forget(record, rel)
    stand_ins = {record.stand_ins[rel] for rel in kept_files if rel in record.stand_ins}
    for article in result.articles:
        rel = content_path_for(article)
        if article.id in kept_ids or rel in kept_files:  # even with its `id:` edited
            continue
        if article.position in stand_ins:  # an edited file of the page's former name
            continue
        text = article_to_markdown(article)
        path = content_dir / rel
        # A file with this very text is ours, written by a build stopped before it could
        # record it (killed, or the machine went down); any other is left alone.
        if path.exists() and rel not in record.files and not _holds(path, text):
            report.problem(
                f"content/{rel}",
                "exists but was not written by ingest; left untouched"
                " (delete it to have the article written again)",
            )
            continue
        atomic_write(path, text)
        record.files[rel] = text_hash(text)
        record.file_stamps[rel] = file_stamp(path)
        rows.add(rel, record.file_stamps[rel], article)
        report.articles_written += 1
    record.leftovers = [lo.text for lo in result.leftovers]
    record.digest = result.page.digest


def _forget(record: SourceRecord, rel: str) -> None:
    record.files.pop(rel, None)
    record.file_stamps.pop(rel, None)
    record.stand_ins.pop(rel, None)


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _id_in(path: Path) -> str:
    return _field_in(path, "id")


def _field_in(path: Path, key: str) -> str:
    """A top-level front-matter value as written, without parsing the whole file."""
    for line in path.read_text(encoding="utf-8").split("\n")[:40]:
        if line.startswith(f"{key}:"):
            return line[len(key) + 1 :].strip().strip("'\"")
    return ""


def _adopt_edits(
    former: str,
    old: SourceRecord,
    source: str,
    record: SourceRecord,
    content_dir: Path,
    report: Report,
) -> None:
    """Hand the edited files of a vanished raw page over to the page it was renamed to.

    A raw page moved (say into its paper's dated folder) has new article paths;
    its unedited files go with the old name, but an edited one is kept, and
    without this the renamed page would write the same article a second time.
    The kept file stands in for the article at its position; the maintainer is
    told, since its `source`, date and paper still describe the old name.
    """
    for rel, written in list(old.files.items()):
        path = content_dir / rel
        if not path.exists() or not is_edited(path, written):
            continue
        position = _field_in(path, "position") or Path(rel).name.partition("-")[0]
        if not position.isdigit():
            continue  # cannot tell which article it is: it stays with the old name, kept
        record.stand_ins[rel] = int(position)
        record.files[rel] = old.files.pop(rel)
        old.file_stamps.pop(rel, None)
        report.problem(
            f"content/{rel}",
            f"edited article of raw/{former}, which is now raw/{source}: kept as you edited"
            " it and shown in place of that page's article; its source, date and newspaper"
            " fields are still the old page's (correct them, or run `python build.py ingest"
            f" --regenerate content/{rel}` to take the article from the new page)",
        )


@dataclass(frozen=True)
class _Job:
    """A raw page that needs reading: new, changed, or forced."""

    raw: RawFile
    stamp: str  # size and mtime, remembered in the manifest
    known_digest: str | None  # digest of the unchanged previous ingest, if reusable


def _work(job: _Job, config: Config) -> IngestedPage | str | None:
    """In a worker: read and ingest one page; a reason string when it cannot be read,
    None when its bytes are the same as last time."""
    try:
        page = read_page(job.raw)
    except (DecodeError, SourceError, OSError) as exc:
        return str(exc)
    if job.known_digest is not None and job.known_digest == page.digest:
        return None
    return ingest_page(page, config)


def _backup_dir(content_dir: Path) -> Path:
    """content/.backup/<local time>/ (not output, so the clock is fine); never reused."""
    base = content_dir / BACKUP_DIR / time.strftime("%Y%m%d-%H%M%S")
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def _plan_regenerate(
    targets: Sequence[Path], config: Config, manifest: Manifest, report: Report
) -> dict[str, set[str] | None]:
    """Raw source -> content files to regenerate (None: every edited file of that page)."""
    owner = {rel: src for src, rec in manifest.sources.items() for rel in rec.files}
    plan: dict[str, set[str] | None] = {}
    for target in targets:
        path = Path(target).resolve()
        if path.is_relative_to(config.content_dir):
            kind, rel = "content", path.relative_to(config.content_dir).as_posix()
        elif path.is_relative_to(config.raw_dir):
            kind, rel = "raw", path.relative_to(config.raw_dir).as_posix()
        else:
            report.problem(str(target), "is neither in the content folder nor in the raw folder")
            continue
        if kind == "content" and rel in owner:
            files = plan.setdefault(owner[rel], set())
            if files is not None:
                files.add(rel)
        elif kind == "raw" and rel in manifest.sources:
            plan[rel] = None
        else:
            report.problem(str(target), f"was not written by ingest from any {kind} page")
    return plan


def _back_up_and_release(
    plan: dict[str, set[str] | None], manifest: Manifest, content_dir: Path, report: Report
) -> None:
    """Copy each edited file to be regenerated into content/.backup/…, then delete it."""
    folder: Path | None = None
    for source, wanted in plan.items():
        record = manifest.sources[source]
        for rel in sorted(record.files if wanted is None else wanted):
            path = content_dir / rel
            if not path.exists() or not is_edited(path, record.files[rel]):
                continue
            folder = folder or _backup_dir(content_dir)
            backup = folder / rel
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, backup)
            path.unlink()
            report.backed_up.append(backup.relative_to(content_dir.parent).as_posix())


def ingest(config: Config, report: Report, regenerate: Sequence[Path] = ()) -> int:
    """Ingest every new or changed raw page; return how many were (re)ingested this run.

    Pages are written as they come back from the workers and then dropped:
    holding them all made ingest memory grow with the archive.

    `regenerate` names content files (or raw pages) whose hand edits should
    be replaced by fresh output: each edited file is backed up first.
    """
    content_dir = config.content_dir
    content_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(content_dir)
    files_before = manifest.files()
    forced = _plan_regenerate(regenerate, config, manifest, report) if regenerate else {}
    _back_up_and_release(forced, manifest, content_dir, report)
    fingerprint = config_fingerprint(config)
    same_config = manifest.fingerprint == fingerprint
    content_prefix = os.path.join(content_dir, "")  # + a file's relative path: its path
    done = 0
    seen: set[str] = set()
    todo: list[_Job] = []
    for raw in find_pages(config.raw_dir):
        seen.add(raw.source)
        old = manifest.sources.get(raw.source)
        try:
            stamp = raw_stamp(raw)
        except OSError as exc:
            report.problem(f"raw/{raw.source}", f"cannot be read ({exc})")
            continue
        reusable = (
            same_config
            and old is not None
            and raw.source not in forced
            and all(map(os.path.exists, map(content_prefix.__add__, old.files)))
        )
        if reusable and old is not None and old.stamp == stamp:
            _unchanged(old, content_dir, report)
            continue
        todo.append(_Job(raw, stamp, old.digest if reusable and old is not None else None))
    # Reading, segmenting and enriching are pure and CPU-bound: spread them over the
    # cores; storing stays here, in input order, so output is the same either way.
    taken = {  # slug -> the raw page whose article has it
        slug_of_path(rel): source
        for source, record in manifest.sources.items()
        for rel in record.files
    }
    task = functools.partial(_work, config=config)
    if todo:  # load dictionaries and teach the topic words once, before forking
        warm_up()
        teach_topics(config.topics)
    progress = Progress("ingest", len(todo), "pages")
    rows = IngestRows(content_dir)  # what the next load would parse from the files written
    met: set[str] = set()  # names and folder names of the articles written, for names.py
    # A new page with the very text of one that is gone was renamed: see _adopt_edits.
    renamed = {
        record.digest: source
        for source, record in manifest.sources.items()
        if source not in seen and record.digest
    }
    try:
        for job, outcome in zip(todo, ordered_map(task, todo), strict=True):
            progress.tick()
            old = manifest.sources.get(job.raw.source)
            if isinstance(outcome, str):
                report.problem(f"raw/{job.raw.source}", outcome)
                continue
            if outcome is None:  # same bytes as last time: only the timestamp moved
                assert old is not None
                old.stamp = job.stamp
                _unchanged(old, content_dir, report)
                continue
            report.pages_read += 1
            report.pages_ingested.append(job.raw.source)
            if not outcome.articles:
                report.problem(f"raw/{job.raw.source}", "no article text found")
            outcome = _unique_slugs(outcome, taken)
            record = SourceRecord("")  # no digest until complete: see _store
            if old is not None:
                record.files, record.file_stamps = dict(old.files), dict(old.file_stamps)
                record.stand_ins = dict(old.stand_ins)
            manifest.sources[job.raw.source] = record
            former = renamed.pop(outcome.page.digest, None) if old is None else None
            if former is not None:
                _adopt_edits(
                    former, manifest.sources[former], job.raw.source, record, content_dir, report
                )
            _store(outcome, content_dir, record, report, rows)
            for a in outcome.articles:
                met.update(names_of(a.source, a.topics, a.byline, a.newspaper or UNKNOWN_PAPER))
            record.stamp = job.stamp
            done += 1
    except BaseException:
        # Stopped (Ctrl-C, a full disk): keep what was written known, so the next build
        # carries on from here. The fingerprint stays the last complete ingest's, so the
        # pages not reached yet are not taken for up to date.
        manifest.save(content_dir)
        raise
    finally:
        rows.close()
        remember(content_dir, met)
    progress.done()
    for gone in sorted(set(manifest.sources) - seen):
        record = manifest.sources.pop(gone)
        kept = SourceRecord("", leftovers=[])
        for rel, written in record.files.items():
            path = content_dir / rel
            if path.exists() and not is_edited(path, written):
                path.unlink()
            elif path.exists():
                report.edits_kept.append(rel)
                kept.files[rel] = written
        if kept.files:  # remember them, so later builds still list them as kept edits
            manifest.sources[gone] = kept
    manifest.fingerprint = fingerprint
    manifest.save(content_dir)
    _prune_empty_dirs(content_dir, files_before - manifest.files())
    return done


def _unchanged(record: SourceRecord, content_dir: Path, report: Report) -> None:
    report.pages_read += 1
    report.pages_skipped_unchanged += 1
    report.articles_unchanged += len(record.files)
    report.edits_kept.extend(edited_files(record, content_dir))


def _prune_empty_dirs(root: Path, removed: Iterable[str]) -> None:
    """Remove the folders that the files this ingest removed have left empty.

    Only those folders and their parents are looked at, not all of content/:
    a build that removes nothing pays nothing. The backups are never among them.
    """
    for folder in sorted({os.path.dirname(rel) for rel in removed}, reverse=True):
        while folder:  # deepest first, then up to (not including) root
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:  # not empty (a file or subfolder kept), or already gone
                break
            folder = os.path.dirname(folder)
