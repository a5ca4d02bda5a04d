"""Find raw pages and what their location and sidecar files say about them.

Layout understood (any depth, sorted walk for determinism):
    raw/<newspaper>/<YYYY-MM-DD>/<page>.txt     folder names give paper, date, page
    raw/<anything>/<page>.txt + <page>.yaml     a sidecar gives newspaper, date, page
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .decode import DecodeError, decode_bytes
from .model import PageMeta, SourcePage

PAGE_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIXES = (".yaml", ".yml")
MAX_PAGE_BYTES = 8 * 1024 * 1024  # a real OCR page is 10-100 kB; more is a wrong file

_DATE_DIR = re.compile(r"^(\d{4})(?:[-_.]?(\d{2}))?(?:[-_.]?(\d{2}))?$")
_PAGE_NO = re.compile(r"(\d{1,3})")


class SourceError(ValueError):
    """A raw file or its sidecar cannot be used; the message names the reason."""


@dataclass(frozen=True)
class RawFile:
    """A raw page on disk before it is read."""

    path: Path  # absolute path
    source: str  # path relative to the raw folder, POSIX separators
    sidecar: Path | None  # its sidecar, if any


def find_pages(raw_dir: Path) -> Iterator[RawFile]:
    """Yield every raw page under raw_dir in a stable order (path parts compared).

    Hidden files and folders are skipped. One listing per folder also tells which
    sidecars exist, so a page costs no `stat` of its own: this runs over the whole
    raw folder on every build.
    """
    found: list[tuple[tuple[str, ...], str | None]] = []
    _collect(str(raw_dir), (), found)
    found.sort()
    for parts, sidecar in found:
        path = raw_dir.joinpath(*parts)
        yield RawFile(path, "/".join(parts), path.with_name(sidecar) if sidecar else None)


def _collect(
    folder: str, parts: tuple[str, ...], found: list[tuple[tuple[str, ...], str | None]]
) -> None:
    """Add (path parts, sidecar name) of each page in folder and below to found."""
    with os.scandir(folder) as listing:
        entries = list(listing)
    files = {entry.name for entry in entries if entry.is_file()}  # symlinks followed
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _collect(entry.path, (*parts, name), found)
            continue
        stem, suffix = os.path.splitext(name)
        if name not in files or suffix.lower() not in PAGE_SUFFIXES:
            continue
        candidates = [stem + s for s in SIDECAR_SUFFIXES] + [name + s for s in SIDECAR_SUFFIXES]
        sidecar = next((c for c in candidates if c in files), None)
        found.append(((*parts, name), sidecar))


def _date_from_dir(name: str) -> str | None:
    match = _DATE_DIR.match(name)
    if not match:
        return None
    year, month, day = match.groups()
    if not 1800 <= int(year) <= 2100:
        return None
    if month and not 1 <= int(month) <= 12:
        return None
    if day and not 1 <= int(day) <= 31:
        return None
    return "-".join(p for p in (year, month, day) if p)


def meta_from_path(source: str) -> PageMeta:
    """Newspaper, date and page number from `<newspaper>/<date>/<page>.txt`."""
    parts = source.split("/")
    newspaper = date = None
    for i, part in enumerate(parts[:-1]):
        found = _date_from_dir(part)
        if found:
            date = found
            if i > 0:
                newspaper = parts[i - 1]
    stem = parts[-1].rsplit(".", 1)[0]
    page_no = None
    if date:  # only trust a page number in a dated layout; sample names carry hashes
        match = _PAGE_NO.search(stem)
        page_no = int(match.group(1)) if match else None
    return PageMeta(newspaper=newspaper, date=date, page_no=page_no)


def meta_from_sidecar(path: Path, base: PageMeta) -> PageMeta:
    """Overlay a sidecar's `newspaper`, `date`, `page` on what the path said."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourceError(f"sidecar {path.name} is not readable YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise SourceError(f"sidecar {path.name} must be a mapping")
    newspaper = data.get("newspaper", base.newspaper)
    date = data.get("date", base.date)
    if date is not None:
        date = str(date)
        if _date_from_dir(date) != date:
            raise SourceError(f"sidecar {path.name}: date {date!r} is not YYYY[-MM[-DD]]")
    page = data.get("page", base.page_no)
    if page is not None and not isinstance(page, int):
        raise SourceError(f"sidecar {path.name}: page must be a whole number")
    return PageMeta(
        newspaper=str(newspaper) if newspaper else None,
        date=date,
        page_no=page,
        date_override=bool(data.get("date_override", False)),
    )


def read_page(raw: RawFile) -> SourcePage:
    """Read and decode one raw page with its metadata; raise SourceError/DecodeError."""
    size = raw.path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise SourceError(
            f"{size / 1024 / 1024:.0f} MB is larger than a page can be "
            f"(limit {MAX_PAGE_BYTES // 1024 // 1024} MB); skipped"
        )
    data = raw.path.read_bytes()
    decoded = decode_bytes(data)
    meta = meta_from_path(raw.source)
    if raw.sidecar is not None:
        meta = meta_from_sidecar(raw.sidecar, meta)
    digest = hashlib.sha256(data)
    if raw.sidecar is not None:  # a sidecar edit must re-ingest the page too
        digest.update(b"\0sidecar\0" + raw.sidecar.read_bytes())
    return SourcePage(raw.source, decoded.text, decoded.encoding, meta, digest.hexdigest())


def raw_stamp(raw: RawFile) -> str:
    """Size and mtime of a page and its sidecar: unchanged means no need to read it."""
    parts = []
    for path in (raw.path, raw.sidecar):
        if path is not None:
            st = path.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


__all__ = ["DecodeError", "RawFile", "SourceError", "find_pages", "raw_stamp", "read_page"]
