"""content/: one Markdown file per article, YAML front matter, round-trippable.

The manifest `content/.newsarchive.json` remembers, for every raw page, the
digest of its bytes and the hash of each file ingest wrote. A file whose
text no longer matches what ingest wrote has been edited by a maintainer and
is never overwritten or deleted. The files' sizes and mtimes, which spare
reading unchanged files, are kept in `content/.newsarchive-stamps.json`: they
differ on every checkout, and the manifest is committed with content/.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import DATE_SOURCES, KINDS, Article

MANIFEST_NAME = ".newsarchive.json"
MANIFEST_VERSION = 1
# Sizes and mtimes of the raw and content files, so unchanged ones are not read again.
# They differ on every checkout, so they live apart from the manifest, which holds only
# what follows from the files' contents and is committed with content/.
STAMPS_NAME = ".newsarchive-stamps.json"

# Front-matter keys in the order they are written.
FIELD_ORDER = (
    "id",
    "title",
    "untitled",
    "kicker",
    "subtitle",
    "column",
    "kind",
    "byline",
    "date",
    "date_source",
    "newspaper",
    "page_no",
    "source",
    "position",
    "continued_from",
    "topics",
    "keywords",
    "slug",
)
OPTIONAL = {"kicker", "subtitle", "column", "continued_from", "page_no"}
# libyaml's loader parses front matter ~10x faster than the pure-Python one (same results).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 5x faster, same output
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class FrontMatterError(ValueError):
    """A content file's front matter is broken; lists every problem with its line."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))


# A string YAML writes as it is, unquoted, whatever the dumper: letters, digits and
# non-ASCII printable characters (no ASCII punctuation but an inner `-` or `.`, no
# spaces, no line breaks, no BOM), provided the resolver reads it back as a string
# (`2024`, `true`, `1.5` would not be).
_PLAIN_CHARS = "0-9A-Za-z\u00a0-\u2027\u2030-\ud7ff\ue000-\ufefe\uff00-\ufffd"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}][{_PLAIN_CHARS}.-]*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


def _is_plain(value: object) -> bool:
    return (
        isinstance(value, str)
        and _PLAIN.fullmatch(value) is not None
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
    )


def _dump_value(key: str, value: Any) -> str:
    """`key: value` as YAML. Titles, ids, slugs and keywords are new in every article and
    nearly always plain: written directly, at a fiftieth of a yaml.dump call (the same
    text: tests/test_fuzz.py checks it); anything else goes through the dumper."""
    if _is_plain(value):
        return f"{key}: {value}\n"
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, tuple) and all(map(_is_plain, value)):
        return f"{key}: [{', '.join(value)}]\n"
    try:
        return _dump_cached(key, value)
    except TypeError:  # unhashable: a nested structure from a hand-edited file
        return _dump(key, value)


@functools.lru_cache(maxsize=4096)
def _dump_cached(key: str, value: Any) -> str:
    """YAML of one field; kinds, papers, dates and topics repeat across articles."""
    return _dump(key, value)


def _dump(key: str, value: Any) -> str:
    flow = isinstance(value, (list, tuple))
    dumped = yaml.dump(
        {key: list(value) if flow else value},
        Dumper=_DUMPER,
        allow_unicode=True,
        default_flow_style=flow,
        sort_keys=False,
        width=10_000,
    )
    if flow:  # safe_dump wraps a flow mapping in braces: {key: [a, b]}
        dumped = dumped.strip()[1:-1].strip() + "\n"
    return dumped


def article_to_markdown(article: Article) -> str:
    """Front matter in FIELD_ORDER, optional keys only when set, then the body."""
    lines = ["---\n"]
    for key in FIELD_ORDER:
        value = getattr(article, key)
        if key in OPTIONAL and value is None:
            continue
        if isinstance(value, tuple):
            value = list(value)
        lines.append(_dump_value(key, value))
    lines.append("---\n\n")
    lines.append(article.body.rstrip("\n") + "\n")
    return "".join(lines)


def split_front_matter(text: str, path: Path | str) -> tuple[str, str, int]:
    """Return (yaml, body, line where the body starts)."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        raise FrontMatterError(path, ["line 1: the file must start with a `---` front-matter line"])
    match = re.search(r"^---[ \t]*$", text[3:], flags=re.M)
    if not match:
        raise FrontMatterError(path, ["front matter is not closed by a `---` line"])
    head = text[3 : 3 + match.start()]
    body = text[3 + match.end() :]
    return head, body.strip("\n"), head.count("\n") + 2


def _key_lines(head: str) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(head.split("\n"), start=1):
        if match := re.match(r"^([A-Za-z_]+)\s*:", line):
            lines[match.group(1)] = number
    return lines


def markdown_to_article(text: str, path: Path | str) -> Article:
    """Parse and validate a content file; raise FrontMatterError listing all problems."""
    head, body, _ = split_front_matter(text, path)
    try:
        data = yaml.load(head, Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""  # mark.line 0 is the `---` line
        raise FrontMatterError(
            path, [f"{where}invalid YAML ({getattr(exc, 'problem', exc)})"]
        ) from exc
    if not isinstance(data, dict):
        raise FrontMatterError(path, ["front matter must be `key: value` lines"])
    at = _key_lines(head)

    def where(key: str) -> str:
        return f"line {at[key]}: " if key in at else ""  # head line 1 is the `---` line

    problems: list[str] = []

    def text_field(key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                problems.append(f"`{key}` is missing")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problems.append(f"{where(key)}`{key}` must be text, got {type(value).__name__}")
            return None
        return value

    def list_field(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            problems.append(f"{where(key)}`{key}` must be a list of text")
            return ()
        return tuple(str(v) for v in value)

    title = text_field("title", required=True)
    if title is not None and not title.strip():
        problems.append(f"{where('title')}`title` must not be empty")
    ident = text_field("id", required=True)
    kind = text_field("kind") or "news"
    if kind not in KINDS:
        problems.append(f"{where('kind')}`kind` must be one of {', '.join(KINDS)}, got {kind!r}")
    date = data.get("date")
    if date is not None:
        date = str(date)
        if not valid_date(date):
            problems.append(
                f"{where('date')}`date` must be YYYY-MM-DD, YYYY-MM or YYYY, got {date!r}"
            )
    date_source = text_field("date_source") or ("none" if date is None else "override")
    if date_source not in DATE_SOURCES:
        problems.append(
            f"{where('date_source')}`date_source` must be one of {', '.join(DATE_SOURCES)}"
        )
    position = data.get("position", 1)
    if not isinstance(position, int) or isinstance(position, bool):
        problems.append(f"{where('position')}`position` must be a whole number")
        position = 1
    page_no = data.get("page_no")
    if page_no is not None and (not isinstance(page_no, int) or isinstance(page_no, bool)):
        problems.append(f"{where('page_no')}`page_no` must be a whole number")
        page_no = None
    untitled = data.get("untitled", False)
    if not isinstance(untitled, bool):
        problems.append(f"{where('untitled')}`untitled` must be true or false")
    byline = list_field("byline")
    topics = list_field("topics")
    keywords = list_field("keywords")
    source = text_field("source") or ""
    slug = text_field("slug") or ""
    if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        problems.append(f"{where('slug')}`slug` must be lower-case letters, digits and hyphens")
    newspaper = text_field("newspaper")
    optional = {k: text_field(k) for k in ("kicker", "subtitle", "column", "continued_from")}
    if problems:
        raise FrontMatterError(path, problems)
    assert title is not None and ident is not None
    return Article(
        id=ident,
        slug=slug or ident,
        title=title,
        untitled=bool(untitled),
        kind=kind,
        byline=byline,
        date=date,
        date_source=date_source,
        newspaper=newspaper,
        source=source,
        position=position,
        topics=topics,
        body=body,
        page_no=page_no,
        keywords=keywords,
        **optional,
    )


def valid_date(date: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month and day."""
    if not _DATE.match(date):
        return False
    parts = [int(p) for p in date.split("-")]
    try:
        datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        return False
    return True


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_path_for(article: Article) -> str:
    """`<raw path without suffix>/<NN>-<slug>.md`, relative to content/: easy to find by page."""
    stem = (
        article.source.rsplit(".", 1)[0]
        if "." in article.source.rsplit("/", 1)[-1]
        else article.source
    )
    safe = "/".join(part for part in stem.split("/") if part not in ("", ".", ".."))
    return f"{safe or 'page'}/{article.position:02d}-{article.slug}.md"


@dataclass
class SourceRecord:
    """What the manifest remembers about one raw page."""

    digest: str  # sha256 of the raw bytes (and sidecar) when last ingested
    files: dict[str, str] = field(default_factory=dict)  # content path -> hash written
    leftovers: list[str] = field(default_factory=list)  # page text in no article
    stamp: str = ""  # raw file size:mtime when last seen; equal means unchanged, unread
    file_stamps: dict[str, str] = field(default_factory=dict)  # content path -> size:mtime
    # edited files of this page's former name -> the article position each stands in for
    stand_ins: dict[str, int] = field(default_factory=dict)


@dataclass
class Manifest:
    fingerprint: str = ""  # config + ingest version; a change re-ingests everything
    sources: dict[str, SourceRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, content_dir: Path) -> Manifest:
        data = _read_json(content_dir / MANIFEST_NAME)
        if data.get("version") != MANIFEST_VERSION:
            return cls()
        stamps = _read_json(content_dir / STAMPS_NAME)
        raw_stamps, file_stamps = stamps.get("raw", {}), stamps.get("files", {})
        sources = {}
        for src, rec in data.get("sources", {}).items():
            files = dict(rec.get("files", {}))
            old = rec.get("file_stamps", {})  # stamps kept here before STAMPS_NAME existed
            sources[src] = SourceRecord(
                rec.get("digest", ""),
                files,
                list(rec.get("leftovers", [])),
                raw_stamps.get(src, rec.get("stamp", "")),
                {rel: st for rel in files if (st := file_stamps.get(rel, old.get(rel)))},
                {
                    rel: int(pos)
                    for rel, pos in rec.get("stand_ins", {}).items()
                    if rel in files and str(pos).isdigit()
                },
            )
        return cls(data.get("fingerprint", ""), sources)

    def files(self) -> set[str]:
        """Every content file the manifest tracks (relative paths)."""
        return {rel for record in self.sources.values() for rel in record.files}

    def save(self, content_dir: Path) -> None:
        """The manifest and, beside it, the stamps; a file whose text is unchanged is not
        written again, so a nothing-changed build changes no file."""
        records = sorted(self.sources.items())
        manifest = {
            "version": MANIFEST_VERSION,
            "fingerprint": self.fingerprint,
            "sources": {
                src: {
                    "digest": rec.digest,
                    "files": dict(sorted(rec.files.items())),
                    "leftovers": rec.leftovers,
                    **({"stand_ins": dict(sorted(rec.stand_ins.items()))} if rec.stand_ins else {}),
                }
                for src, rec in records
            },
        }
        stamps = {
            "raw": {src: rec.stamp for src, rec in records if rec.stamp},
            "files": dict(
                sorted((rel, stamp) for _, rec in records for rel, stamp in rec.file_stamps.items())
            ),
        }
        _write_if_changed(content_dir / MANIFEST_NAME, manifest, indent=1)
        _write_if_changed(content_dir / STAMPS_NAME, stamps, indent=None)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_if_changed(path: Path, data: object, indent: int | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write(path, text)


def is_edited(path: Path, written_hash: str) -> bool:
    """True when a file ingest wrote no longer has the text it wrote."""
    try:
        return text_hash(path.read_text(encoding="utf-8")) != written_hash
    except (OSError, UnicodeDecodeError):
        return False  # missing: nothing to keep


def edited_files(record: SourceRecord, content_dir: Path) -> list[str]:
    """Files of a page a maintainer has edited; reads only files whose size or mtime moved."""
    edited = []
    prefix = os.path.join(content_dir, "")  # plain strings: every build stats every file
    for rel, written in record.files.items():
        stamp = file_stamp(prefix + rel)
        if not stamp or stamp == record.file_stamps.get(rel):
            continue
        if is_edited(content_dir / rel, written):
            edited.append(rel)
        else:
            record.file_stamps[rel] = stamp  # touched, not changed
    return edited


def file_stamp(path: Path | str) -> str:
    """size:mtime_ns of a file, or "" when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file.

    The folder is made only when the write finds it missing: ingest writes ten files
    or so per folder, and a mkdir for each was a system call (and an exception) wasted.
    """
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
