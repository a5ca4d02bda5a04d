"""Broken config or front matter: every problem listed at once, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.archive import load_archive
from newsarchive.cli import main
from newsarchive.config import ConfigError, load_config
from newsarchive.report import Report
from newsarchive.store import FrontMatterError, markdown_to_article

BAD_CONFIG = """title: 档案
per_page: many
colour: blue
base_url: archive/
topics:
  经济: 经济
max_topics: 2
"""


def test_config_errors_are_all_listed_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "archive.yaml"
    path.write_text(BAD_CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 4, lines
    assert all(line.startswith(f"{path}: line ") for line in lines), lines
    text = str(caught.value)
    assert "line 2: `per_page` must be int" in text
    assert "line 3: unknown key `colour`" in text
    assert "line 4: `base_url` must start with /" in text
    assert "line 5: topic `经济` needs a list" in text


def test_invalid_yaml_config_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "archive.yaml"
    path.write_text("title: ok\nper_page: [1,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"archive.yaml: line \d+: not valid YAML"):
        load_config(path)


def test_cli_prints_config_errors_and_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "archive.yaml"
    path.write_text(BAD_CONFIG, encoding="utf-8")
    assert main(["ingest", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown key `colour`" in err and "`per_page` must be int" in err


BAD_FRONT = """---
id: abc
title: ''
kind: essay
date: 2021-13
position: first
byline: {a: 1}
slug: Not A Slug
---

正文。
"""


def test_front_matter_errors_are_all_listed_with_lines() -> None:
    with pytest.raises(FrontMatterError) as caught:
        markdown_to_article(BAD_FRONT, "content/x/01-a.md")
    problems = caught.value.problems
    expected = [
        ("line 3", "`title` must not be empty"),
        ("line 4", "`kind` must be one of"),
        ("line 5", "`date` must be YYYY-MM-DD"),
        ("line 6", "`position` must be a whole number"),
        ("line 7", "`byline` must be a list of text"),
        ("line 8", "`slug` must be lower-case"),
    ]
    for line, message in expected:
        assert any(p.startswith(f"{line}: {message}") for p in problems), (line, problems)
    assert str(caught.value).startswith("content/x/01-a.md: line 3:")


def test_broken_yaml_front_matter_names_its_line() -> None:
    text = "---\nid: a\ntitle: [unclosed\nkind: news\n---\n\n正文\n"
    with pytest.raises(FrontMatterError, match=r"line \d+: invalid YAML"):
        markdown_to_article(text, "content/a.md")


def test_broken_content_files_are_reported_and_the_rest_still_load(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD_FRONT, encoding="utf-8")
    (tmp_path / "b.md").write_text("no front matter\n", encoding="utf-8")
    good = BAD_FRONT.replace("title: ''", "title: 好").replace("kind: essay", "kind: news")
    good = good.replace("2021-13", "2021-12").replace("first", "1")
    good = good.replace("{a: 1}", "[]").replace("Not A Slug", "hao").replace("id: abc", "id: g")
    (tmp_path / "c.md").write_text(good, encoding="utf-8")
    report = Report()
    archive = load_archive(tmp_path, report)
    assert [a.title for a in archive.articles] == ["好"]
    assert sum(p.startswith("content/a.md: line ") for p in report.problems) == 6
    assert any(p.startswith("content/b.md: line 1:") for p in report.problems)
