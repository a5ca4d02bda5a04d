"""The five sample pages against their hand-read golden files (targets of issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.config import load_config
from newsarchive.scoring import TARGETS, Totals, date_ok, score_folder

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def totals() -> Totals:
    return score_folder(REPO / "tests" / "golden", REPO / "raw", load_config(REPO / "archive.yaml"))


def test_targets_met(totals: Totals) -> None:
    assert totals.meets_targets() == [], totals.figures


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_target(totals: Totals, name: str) -> None:
    assert totals.figures[name] >= TARGETS[name]


def test_every_page_dated_inside_its_window(totals: Totals) -> None:
    assert [p.source for p in totals.pages if not p.date_ok] == []


def test_partial_date_rule() -> None:
    """A partial date is right only when its whole span holds the window."""
    assert date_ok("2021-12", ["2021-12-08", "2021-12-13"])
    assert not date_ok("2021-12", ["2021-11-30", "2021-12-02"])
    assert date_ok("2021-12-09", ["2021-12-08", "2021-12-13"])
    assert not date_ok("2021-12-14", ["2021-12-08", "2021-12-13"])
    assert not date_ok(None, ["2021-12-08", "2021-12-13"])


FIXTURES = REPO / "tests" / "fixtures" / "pages"


@pytest.fixture(scope="module")
def fixture_totals() -> Totals:
    """Pages the rules were not written for: 1950s, masthead, traditional, GB18030."""
    config = load_config(REPO / "archive.yaml")
    return score_folder(FIXTURES / "expected", FIXTURES, config)


def test_generalisation_fixtures_exact(fixture_totals: Totals) -> None:
    misses = [m for page in fixture_totals.pages for m in page.misses]
    figures = fixture_totals.figures
    assert figures["title_f1"] == 1.0, misses
    assert figures["byline"] == 1.0, misses
    assert figures["kind"] == 1.0, misses
    assert figures["date"] == 1.0, misses


def test_ingest_command_reads_nested_folders(tmp_path: Path) -> None:
    """`build.py ingest --raw DIR --content DIR` on a nested folder of mixed encodings."""
    import subprocess
    import sys

    content = tmp_path / "content"
    done = subprocess.run(
        [sys.executable, "build.py", "ingest", "--raw", str(FIXTURES), "--content", str(content)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))
    assert any(p.startswith("晋中日报/2022-03-05/") for p in written), written
    assert any(p.startswith("misc/") for p in written), written
    gb = next(p for p in content.rglob("*.md") if "晋中日报" in p.as_posix())
    text = gb.read_text(encoding="utf-8")
    assert "newspaper: 晋中日报" in text and "date_source: path" in text
