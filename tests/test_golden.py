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
