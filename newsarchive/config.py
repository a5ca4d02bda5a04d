"""The site configuration: declared once, typed, read once and passed down.

Validation collects every problem before failing, naming the file and line,
so a maintainer fixes them all in one go (MkDocs' approach).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_NAME = "archive.yaml"


class ConfigError(Exception):
    """Raised with every problem found in a config file, one per line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))


@dataclass(frozen=True)
class Topic:
    """A topic of the taxonomy with the keywords that signal it."""

    name: str  # shown to readers, e.g. 社会保障
    keywords: tuple[str, ...]  # jieba words that count towards this topic


@dataclass(frozen=True)
class Config:
    """Every setting of an archive. Paths are absolute once loaded."""

    title: str = "报刊档案"  # site name in the header and feeds
    description: str = (
        "由报纸版面 OCR 文本整理而成的可检索档案。"  # home page intro, meta description
    )
    base_url: str = "/"  # path prefix the site is served under, e.g. /archive/
    site_url: str = ""  # absolute origin for feeds, sitemap and citations, e.g. https://example.org
    raw_dir: Path = Path("raw")  # raw OCR pages
    content_dir: Path = Path("content")  # Markdown articles (maintainers may edit)
    site_dir: Path = Path("site")  # generated website
    per_page: int = 20  # articles per list page
    topic_min_score: float = 2.0  # weighted keyword hits an article needs for a topic
    max_topics: int = 3  # topics per article at most
    search_shard_articles: int = 1500  # articles per search-index shard (bounds index memory)
    topics: tuple[Topic, ...] = ()  # the taxonomy
    root: Path = field(default=Path("."), compare=False)  # folder the config lives in

    def with_paths(self, **paths: Path) -> Config:
        """Return a copy with some folders replaced (command-line overrides)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: Path(v).resolve() for k, v in paths.items() if v is not None})
        return Config(**values)


_SIMPLE_KEYS: dict[str, type] = {
    "title": str,
    "description": str,
    "base_url": str,
    "site_url": str,
    "per_page": int,
    "topic_min_score": float,
    "max_topics": int,
    "search_shard_articles": int,
}
_PATH_KEYS = ("raw_dir", "content_dir", "site_dir")


def _line_of(node: yaml.Node | None, key: str) -> str:
    """The 1-based line of `key` in a mapping node, for messages."""
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if getattr(k, "value", None) == key:
                return f"line {k.start_mark.line + 1}: "
    return ""


def _parse_topics(raw: Any, problems: list[str], where: str) -> tuple[Topic, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.append(f"{where}`topics` must map each topic name to a list of keywords")
        return ()
    topics = []
    for name, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            problems.append(f"{where}topic `{name}` needs a list of non-empty keyword strings")
            continue
        topics.append(Topic(str(name), tuple(words)))
    return tuple(topics)


def parse_config(text: str, path: Path) -> Config:
    """Parse and validate config text; raise ConfigError listing all problems."""
    root = path.parent.resolve()
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ConfigError(
            path, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(path, ["the file must be a mapping of `key: value` lines"])

    problems: list[str] = []
    values: dict[str, Any] = {"root": root}
    known = set(_SIMPLE_KEYS) | set(_PATH_KEYS) | {"topics"}
    for key, value in data.items():
        where = _line_of(node, str(key))
        if key not in known:
            problems.append(f"{where}unknown key `{key}` (known: {', '.join(sorted(known))})")
        elif key in _SIMPLE_KEYS:
            want = _SIMPLE_KEYS[key]
            ok = isinstance(value, want) or (want is float and isinstance(value, int))
            if not ok or isinstance(value, bool):
                problems.append(f"{where}`{key}` must be {want.__name__}, got {value!r}")
            else:
                values[key] = want(value)
        elif key in _PATH_KEYS:
            if not isinstance(value, str) or not value:
                problems.append(f"{where}`{key}` must be a folder path")
            else:
                values[key] = (root / value).resolve()
        elif key == "topics":
            values["topics"] = _parse_topics(value, problems, where)

    base = values.get("base_url", "/")
    if not base.startswith("/"):
        problems.append(f"{_line_of(node, 'base_url')}`base_url` must start with / (got {base!r})")
    elif not base.endswith("/"):
        values["base_url"] = base + "/"
    if values.get("search_shard_articles", 1500) < 1:
        problems.append(
            f"{_line_of(node, 'search_shard_articles')}`search_shard_articles` must be at least 1"
        )
    if values.get("per_page", 20) < 1:
        problems.append(f"{_line_of(node, 'per_page')}`per_page` must be at least 1")
    if problems:
        raise ConfigError(path, problems)
    for key in _PATH_KEYS:
        values.setdefault(key, (root / getattr(Config, key)).resolve())
    return Config(**values)


def load_config(path: Path | None) -> Config:
    """Read the config file; without one, defaults relative to the working folder."""
    if path is None:
        candidate = Path.cwd() / DEFAULT_CONFIG_NAME
        if not candidate.exists():
            return parse_config("{}", candidate)
        path = candidate
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot be read ({exc})"]) from exc
    return parse_config(text, path)
