"""Incremental rendering: write only the pages whose inputs changed.

Two levels, cheapest first:

1. A *build fingerprint* (file stats of content/ and raw/, plus templates,
   assets, config, package source and SOURCE_DATE_EPOCH) is stored in the
   site's manifest. When it matches, nothing can have changed and the whole
   load/render/index is skipped: no YAML is parsed at all.
2. Otherwise every planned page gets a *dependency key*: a hash of its
   template, path and context (the data it shows). The `archive` template
   global is wrapped in a recorder, so a page that reaches into the archive
   (`archive.by_year` on the home page) also depends on a digest of exactly
   the attributes it read last time. A page whose key and recorded digests
   are unchanged is not rendered; its file comes from the previous site.

The previous site is copied into the staging folder with hard links (cheap,
and safe because every write replaces a file rather than modifying it in
place), vanished pages are deleted, and the pipeline swaps the folder in.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .names import NAME_SLUGS, name_slug
from .parallel import ordered_map

if TYPE_CHECKING:  # the archive module pulls in jieba: too slow for a nothing-changed build
    from .archive import Archive

SITE_MANIFEST = ".newsarchive-site.json"
SITE_MANIFEST_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = REPO_DIR / "templates"  # the same folders render.py reads
ASSETS_DIR = REPO_DIR / "assets"
NOT_LINKED = ("assets", "pagefind")  # rewritten whole by copy_assets / the indexer
LOAD_CACHE = ".newsarchive-articles.json"  # parsed front matter, for the next load
_PR_SET_PDEATHSIG = 1  # prctl option: signal this process when its parent dies
_WHOLE = "*"  # pseudo-attribute: the whole archive (a method was called on it)


def _hash() -> Any:
    return hashlib.blake2b(digest_size=16)


def _tree_stats(root: Path, suffixes: tuple[str, ...] | None = None) -> Iterator[str]:
    """`relpath size mtime_ns` of every file under root, sorted; cheap (no reads).

    The slug memo (names.py) is left out: what it holds follows from the names and
    the code, and a render may add to it after the build's fingerprint is taken.
    """
    if not root.is_dir():
        return
    start = len(os.path.join(root, ""))  # entry.path[start:] is the path relative to root
    stack = [str(root)]
    rows = []
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != ".backup":
                        stack.append(entry.path)
                elif entry.name == NAME_SLUGS:
                    continue
                elif suffixes is None or entry.name.lower().endswith(suffixes):
                    st = entry.stat()
                    rows.append(f"{entry.path[start:]}\0{st.st_size}\0{st.st_mtime_ns}")
    yield from sorted(rows)


def _tree_hash(root: Path) -> str:
    """Hash of the names and bytes of every file under root (templates, assets, code)."""
    h = _hash()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def base_key(config: Config, templates: Path, assets: Path) -> str:
    """What every page depends on: code, templates, assets, config, SOURCE_DATE_EPOCH."""
    settings = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in ("root", "raw_dir", "content_dir", "site_dir")
    }
    h = _hash()
    for part in (
        _tree_hash(PACKAGE_DIR),
        _tree_hash(templates),
        _tree_hash(assets),
        repr(sorted(settings.items())),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def build_fingerprint(config: Config, key: str) -> str:
    """base_key plus the stats of every input file: equal means nothing to do."""
    h = _hash()
    h.update(key.encode())
    for label, root in (("content", config.content_dir), ("raw", config.raw_dir)):
        h.update(f"\0{label}\0".encode())
        for row in _tree_stats(root):
            h.update(row.encode() + b"\n")
    return h.hexdigest()


@dataclasses.dataclass
class SiteState:
    """The render manifest kept in the site: what each output file was made from."""

    fingerprint: str = ""  # build fingerprint of the run that wrote the site
    indexed: bool = False  # whether the search index was built
    problems: list[str] = dataclasses.field(default_factory=list)  # that run's problems
    content_problems: list[str] = dataclasses.field(default_factory=list)  # from content/
    attrs: dict[str, str] = dataclasses.field(default_factory=dict)  # archive attr -> digest
    pages: dict[str, tuple[str, list[str]]] = dataclasses.field(default_factory=dict)
    files: dict[str, str] = dataclasses.field(default_factory=dict)  # other output -> hash

    @classmethod
    def load(cls, site_dir: Path) -> SiteState:
        try:
            data = json.loads((site_dir / SITE_MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("version") != SITE_MANIFEST_VERSION:
            return cls()
        pages = {p: (v[0], list(v[1])) for p, v in data.get("pages", {}).items()}
        return cls(
            data.get("fingerprint", ""),
            bool(data.get("indexed")),
            list(data.get("problems", [])),
            list(data.get("content_problems", [])),
            dict(data.get("attrs", {})),
            pages,
            dict(data.get("files", {})),
        )

    def save(self, site_dir: Path) -> None:
        data = {
            "version": SITE_MANIFEST_VERSION,
            "fingerprint": self.fingerprint,
            "indexed": self.indexed,
            "problems": self.problems,
            "content_problems": self.content_problems,
            "attrs": dict(sorted(self.attrs.items())),
            "pages": {p: [k, a] for p, (k, a) in sorted(self.pages.items())},
            "files": dict(sorted(self.files.items())),
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        _replace(site_dir / SITE_MANIFEST, text + "\n")


def link_tree(old: Path, new: Path) -> int:
    """Hard-link old's files into new (copy where links fail); return how many.

    Plain os.path strings: a site has one folder per article, and this runs
    on every build.
    """
    count = 0
    old_root, new_root = os.fspath(old), os.fspath(new)
    for folder, dirs, files in os.walk(old_root):
        top = folder == old_root
        if top:
            dirs[:] = [d for d in dirs if d not in NOT_LINKED]
            target = new_root
            os.makedirs(target, exist_ok=True)
        else:
            target = os.path.join(new_root, os.path.relpath(folder, old_root))
            with contextlib.suppress(FileExistsError):
                os.mkdir(target)
        dirs.sort()
        for name in files:
            if top and name in (SITE_MANIFEST, LOAD_CACHE):
                continue
            src, dst = os.path.join(folder, name), os.path.join(target, name)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
            count += 1
    return count


def sync_tree(old: Path, new: Path, old_state: SiteState, new_state: SiteState) -> int:
    """Make `new`, an earlier site (the spare, see swap.py), hold what `old` holds.

    Both manifests list every output file (pages and files); `new`'s files
    that `old` lacks are deleted, and every file of `old` that is not the very
    same file in `new` (same inode) is hard-linked over it. Folders that
    exist stay, so a rebuild creates and deletes almost nothing. The build's
    own records and `assets/` are removed, to be written afresh (`pagefind/`
    is the index's: see search.index_site). Returns how many files were linked.
    """
    old_root, new_root = os.fspath(old), os.fspath(new)
    for name in os.listdir(new_root):
        if name.startswith(".newsarchive-"):  # rewritten by this build: never share them
            os.unlink(os.path.join(new_root, name))
    shutil.rmtree(os.path.join(new_root, "assets"), ignore_errors=True)
    wanted = set(old_state.pages) | set(old_state.files)
    for rel in sorted((set(new_state.pages) | set(new_state.files)) - wanted):
        path = Path(new_root, rel)
        path.unlink(missing_ok=True)
        _prune_parents(path, new)
    count = 0
    for rel in wanted:
        src, dst = os.path.join(old_root, rel), os.path.join(new_root, rel)
        try:
            have = os.stat(src)
        except FileNotFoundError:  # gone from the live site (by hand): render it again
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dst)
            continue
        try:
            got = os.stat(dst)
            if got.st_ino == have.st_ino and got.st_dev == have.st_dev:
                continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
        tmp = os.path.join(os.path.dirname(dst), f".{os.path.basename(dst)}.link")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copy2(src, tmp)
        os.replace(tmp, dst)
        count += 1
    return count


def _in_orphan_proof_child(work: Any, *args: Any) -> None:
    """Run work in a child that dies with its parent (Linux), so a killed build stops it."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    work(*args)


class _Linker:
    """Fills the staging folder from the previous site in a forked process, while the
    build loads the archive and plans pages on the other core: link_tree into an
    empty folder, or sync_tree into the spare site (with its manifest `reused`)."""

    def __init__(self, old: Path, new: Path, previous: SiteState, reused: SiteState | None):
        self._process: Any = None
        work: Any = link_tree
        args: tuple[Any, ...] = (old, new)
        if reused is not None:
            work, args = sync_tree, (old, new, previous, reused)
        if "fork" in multiprocessing.get_all_start_methods():
            self._process = multiprocessing.get_context("fork").Process(
                target=_in_orphan_proof_child, args=(work, *args), daemon=True
            )
            self._process.start()
        else:
            work(*args)

    def wait(self) -> None:
        """Block until every old file is linked; raise if linking failed."""
        process, self._process = self._process, None
        if process is not None:
            process.join()
            if process.exitcode != 0:
                raise RuntimeError(f"linking the previous site failed ({process.exitcode})")


class Deferred:
    """A context value computed when first needed: by the key of a page the last site
    had (in the parent), or in the worker that renders a page new to the site.

    It hashes as its value, so deferring a value changes no page key. A fresh
    build then computes, say, every article's related list on both cores
    instead of in the parent before the workers start.
    """

    __slots__ = ("_make", "_value")
    _UNSET: Any = object()

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._value = Deferred._UNSET

    def get(self) -> Any:
        if self._value is Deferred._UNSET:
            self._value = self._make()
        return self._value


def resolved(context: dict[str, Any]) -> dict[str, Any]:
    """The context with every Deferred value computed: what a template is given."""
    return {k: v.get() if type(v) is Deferred else v for k, v in context.items()}


class _Digests:
    """Stable content hashes of context values, memoised per object for one run."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}

    def of(self, obj: object) -> str:
        h = _hash()
        self._feed(h, obj)
        return h.hexdigest()

    def _memoised(self, obj: object) -> bytes:
        hit = self._memo.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        h = _hash()
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):  # type: ignore[arg-type]
            self._feed(h, getattr(obj, f.name))
        digest = h.digest()
        self._memo[id(obj)] = (obj, digest)
        return digest

    def _feed(self, h: Any, obj: object) -> None:
        kind = type(obj)
        if obj is None or kind in (int, float, bool, str):
            h.update(f"{kind.__name__}:{obj!r};".encode())
        elif kind is Deferred:
            self._feed(h, obj.get())  # type: ignore[attr-defined]
        elif hasattr(kind, "page_digest"):  # an archive Entry: its digest, computed at load
            h.update(b"e" + obj.page_digest())  # type: ignore[attr-defined]
        elif kind is bytes:
            h.update(b"b" + obj + b";")  # type: ignore[operator]
        elif isinstance(obj, str):  # Markup and other str subclasses
            h.update(f"s:{str(obj)!r};".encode())
        elif isinstance(obj, (list, tuple)):
            h.update(b"[")
            for item in obj:
                self._feed(h, item)
            h.update(b"]")
        elif isinstance(obj, dict):
            h.update(b"{")
            for key, value in obj.items():
                self._feed(h, key)
                self._feed(h, value)
            h.update(b"}")
        elif isinstance(obj, (set, frozenset)):
            h.update(repr(sorted(repr(x) for x in obj)).encode())
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            h.update(self._memoised(obj))
        elif callable(obj):
            self._feed_callable(h, obj)
        elif isinstance(obj, _Recorder):
            h.update(b"archive;")  # what a page reads of it is tracked by the recorder
        elif hasattr(obj, "__dict__"):  # e.g. Urls: public settings; private refs are tracked
            h.update(type(obj).__qualname__.encode())
            self._feed(h, {k: v for k, v in vars(obj).items() if not k.startswith("_")})
        else:
            h.update(repr(obj).encode())

    def _feed_callable(self, h: Any, fn: Any) -> None:
        """A lambda or bound method in a context: its code identity and bound values."""
        h.update(getattr(fn, "__qualname__", type(fn).__qualname__).encode())
        if hasattr(fn, "__self__"):
            self._feed(h, fn.__self__)
        self._feed(h, getattr(fn, "__defaults__", None))
        for cell in getattr(fn, "__closure__", None) or ():
            self._feed(h, cell.cell_contents)


class _Recorder:
    """Stands in for the archive in templates and notes which attributes a page reads."""

    __slots__ = ("_archive", "_seen")

    def __init__(self, archive: Archive):
        object.__setattr__(self, "_archive", archive)
        object.__setattr__(self, "_seen", None)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._archive, name)
        seen = self._seen
        if seen is not None:
            seen.add(_WHOLE if callable(value) else name)
        return value


class SiteOutput:
    """Writes a site into a staging folder, skipping pages whose dependencies are unchanged."""

    def __init__(self, target: Path, previous: SiteState | None = None, key: str = ""):
        self.target = target
        self.previous = previous or SiteState()
        self.state = SiteState()
        self.key = key
        self.written = 0
        self.unchanged = 0
        self.files_written = 0
        self._digests = _Digests()
        self._recorder: _Recorder | None = None
        self._pending: dict[str, str] = {}
        self._kept_from = target  # where a kept page's file is now (the old site while linking)
        self._linker: _Linker | None = None
        self._attr_digests: dict[str, str] = {}

    @classmethod
    def from_previous(
        cls,
        target: Path,
        site_dir: Path,
        key: str,
        reused: SiteState | None = None,
        previous: SiteState | None = None,
    ) -> SiteOutput:
        """Start from the previous site (hard links) when its manifest can be trusted.

        `target` is empty, or (with `reused`, its manifest) an earlier site to update.
        `previous` is site_dir's manifest when the caller has read it already.
        """
        previous = previous if previous is not None else SiteState.load(site_dir)
        out = cls(target, previous, key)
        if previous.pages:
            out._kept_from = site_dir
            out._linker = _Linker(site_dir, target, previous, reused)
        return out

    def wait(self) -> None:
        """Let the linking of the previous site finish: before any write, and before forking."""
        if self._linker is not None:
            linker, self._linker = self._linker, None
            linker.wait()
            self._kept_from = self.target

    def release(self) -> None:
        """Forget the archive once every page is rendered: it is most of the build's memory,
        and the search index that follows (with its forked workers) does not need it."""
        self._recorder = None
        self._digests = _Digests()

    def track(self, archive: Archive) -> Any:
        """The archive as templates should see it: a recorder of what each page reads."""
        self._recorder = _Recorder(archive)
        return self._recorder

    def _attr_digest(self, name: str) -> str:
        if name not in self._attr_digests:
            archive: Archive = self._recorder._archive  # type: ignore[union-attr]
            if name == _WHOLE:
                value: Any = (archive.articles, archive.leftovers)
            else:
                value = getattr(archive, name)
                if name.endswith("_slugs") and isinstance(value, dict):
                    # A name's slug is its own pinyin unless a homophone forced a hash:
                    # only those exceptions can change a page that shows the name.
                    value = {k: v for k, v in value.items() if v != name_slug(k)}
            self._attr_digests[name] = self._digests.of(value)
        return self._attr_digests[name]

    def still_fresh(self, pages: Sequence[tuple[str, str, dict[str, Any]]]) -> list[bool]:
        """For each (path, template, context): True when the page need not be rendered
        again (and is kept).

        The key of every page the previous site had is hashed on every core: after
        a one-page edit that hashing is most of the render step. A page new to the
        site gets its key where it is rendered.
        """
        known = [i for i, (path, _, _) in enumerate(pages) if path in self.previous.pages]
        kept_from = self._kept_from

        def key_of(i: int) -> tuple[str, bool]:
            path, template, context = pages[i]
            return self._key(path, template, context), (kept_from / path).is_file()

        keys = dict(zip(known, ordered_map(key_of, known), strict=True))
        verdicts = []
        for i, (path, _, _) in enumerate(pages):
            key, kept = keys.get(i, ("", False))
            verdicts.append(self._settle(path, key, kept))
        return verdicts

    def _settle(self, path: str, key: str, kept: bool) -> bool:
        old = self.previous.pages.get(path)
        if (
            old is not None
            and kept
            and old[0] == key
            and all(self.previous.attrs.get(a) == self._attr_digest(a) for a in old[1])
        ):
            self.state.pages[path] = old
            for attr in old[1]:
                self.state.attrs[attr] = self._attr_digest(attr)
            self.unchanged += 1
            return True
        self._pending[path] = key
        return False

    def _key(self, path: str, template: str, context: dict[str, Any]) -> str:
        return self._digests.of((self.key, path, template, context))

    def page_key(self, path: str, template: str, context: dict[str, Any]) -> str:
        """The key of a page to render: from `still_fresh`, or, for a page new to the site,
        computed now, in the worker that renders it (a fresh build hashes in parallel)."""
        return self._pending.get(path) or self._key(path, template, context)

    @contextmanager
    def reads(self) -> Iterator[set[str]]:
        """Collect the archive attributes a page reads while rendered inside this block."""
        seen: set[str] = set()
        recorder = self._recorder
        if recorder is not None:
            object.__setattr__(recorder, "_seen", seen)
        try:
            yield seen
        finally:
            if recorder is not None:
                object.__setattr__(recorder, "_seen", None)

    def put(self, path: str, html: str) -> None:
        """Write a page without bookkeeping: for worker processes (see render_site)."""
        self.wait()
        _write(self.target / path, html)

    def adopt(self, path: str, key: str, seen: list[str]) -> None:
        """Record a rendered page: its key and the archive attributes it read."""
        self._pending.pop(path, None)
        self.state.pages[path] = (key, seen)
        for attr in seen:
            self.state.attrs[attr] = self._attr_digest(attr)
        self.written += 1

    def write_file(self, path: str, text: str) -> None:
        """A non-page output (feed, sitemap, data file): written only when it changed."""
        self.wait()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.state.files[path] = digest
        out = self.target / path
        if self.previous.files.get(path) == digest and out.is_file():
            return
        _write(out, text)
        self.files_written += 1

    def finish(self) -> int:
        """Delete what the previous site had and this one does not; return how many."""
        self.wait()
        gone = (set(self.previous.pages) | set(self.previous.files)) - (
            set(self.state.pages) | set(self.state.files)
        )
        for path in sorted(gone):
            (self.target / path).unlink(missing_ok=True)
            _prune_parents(self.target / path, self.target)
        return len(gone)


def _replace(path: Path, text: str) -> None:
    """Write a new file and rename it over the old one: readers see the old or the new
    file whole, and a hard-linked old site stays intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _write(path: Path, text: str) -> None:
    """Write an output file of the staging folder. Most files of a fresh build are new:
    written in place, with one open and no rename (each directory entry operation costs
    on a busy disk). One that exists may be a hard link into the live site: replaced."""
    data = text.encode("utf-8")
    try:
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileExistsError:
        _replace(path, text)
        return
    with open(fd, "wb") as file:
        file.write(data)


def _prune_parents(path: Path, root: Path) -> None:
    folder = path.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
