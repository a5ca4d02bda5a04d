"""Score ingest output against hand-read golden files.

Shared by `bench/score_ingest.py` (prints the figures) and `tests/test_golden.py`
(asserts the targets), so the numbers a maintainer sees are the numbers the
tests enforce.

Rules, chosen to be strict where the issue is strict and documented where a
call had to be made:

- Titles match on text normalised with NFKC (full/half-width) and with all
  whitespace removed; each golden title matches at most one predicted title
  (multiset matching). Untitled golden articles (`title: null`) take no part in
  title precision/recall; they are matched to an untitled predicted article
  whose body contains their `first_words`.
- Byline and kind accuracy are over *all* golden articles: an article that was
  not found counts as wrong. Byline is an exact set match of names.
- Kicker/subtitle/column accuracy are over matched titled articles.
- Date: a full date is correct when it lies inside the golden window. A
  partial date (`2021-12`, `2021`) is correct when its whole span contains the
  window: the claim "published in December 2021" is then true whichever day of
  the window it was. No date, or a span that only overlaps the window, is
  wrong. `date_exact` additionally counts only full dates in the window.
  A golden `date_window: null` means the page has no date evidence: only no
  date is right there (never invent one).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import Article

TARGETS = {"title_f1": 0.95, "byline": 0.9, "date": 1.0}


def norm(text: str | None) -> str:
    """Compare text modulo width and whitespace: NFKC, no spaces."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _body_plain(article: Article) -> str:
    return norm(re.sub(r"(?m)^#+\s*", "", article.body))


def date_span(value: str) -> tuple[str, str]:
    """First and last day a YYYY, YYYY-MM or YYYY-MM-DD value covers."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return value, value
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return f"{value}-01", f"{value}-{last:02d}"
    return f"{value}-01-01", f"{value}-12-31"


def date_ok(value: str | None, window: Sequence[str]) -> bool:
    """A date is right when every day it could mean holds the whole window (see module doc)."""
    if not value:
        return False
    lo, hi = date_span(value)
    if lo == hi:
        return window[0] <= lo <= window[1]
    return lo <= window[0] and window[1] <= hi


@dataclass
class PageScore:
    """Counts for one golden page; figures are derived by `Totals`."""

    source: str
    gold_titles: int = 0
    pred_titles: int = 0
    title_hits: int = 0
    gold_articles: int = 0
    found: int = 0
    byline_ok: int = 0
    kind_ok: int = 0
    head_fields: int = 0  # matched titled articles
    kicker_ok: int = 0
    subtitle_ok: int = 0
    column_ok: int = 0
    date: str | None = None
    date_ok: bool = False
    date_exact: bool = False
    misses: list[str] = field(default_factory=list)  # human-readable differences


def _match(gold: list[dict[str, Any]], pred: Sequence[Article]) -> list[Article | None]:
    """For each golden article, the predicted article it corresponds to (or None)."""
    used: set[int] = set()
    out: list[Article | None] = []
    for g in gold:
        hit: Article | None = None
        for i, a in enumerate(pred):
            if i in used:
                continue
            if g.get("title"):
                ok = not a.untitled and norm(a.title) == norm(g["title"])
            else:
                ok = a.untitled and norm(g.get("first_words", "")) in _body_plain(a)
            if ok:
                hit = a
                used.add(i)
                break
        out.append(hit)
    return out


def score_page(gold: dict[str, Any], articles: Sequence[Article], date: str | None) -> PageScore:
    """Compare one page's predicted articles with its golden file."""
    score = PageScore(str(gold.get("source")))
    golds = list(gold.get("articles") or [])
    score.gold_articles = len(golds)
    score.gold_titles = sum(1 for g in golds if g.get("title"))
    score.pred_titles = sum(1 for a in articles if not a.untitled)
    for g, a in zip(golds, _match(golds, articles), strict=True):
        label = g.get("title") or f"[untitled] {g.get('first_words')}"
        if a is None:
            score.misses.append(f"missing: {label}")
            continue
        score.found += 1
        if g.get("title"):
            score.title_hits += 1
            score.head_fields += 1
            for key in ("kicker", "subtitle", "column"):
                if norm(g.get(key)) == norm(getattr(a, key)):
                    setattr(score, f"{key}_ok", getattr(score, f"{key}_ok") + 1)
                else:
                    score.misses.append(f"{key} of {label}: {getattr(a, key)!r} != {g.get(key)!r}")
        if sorted(norm(n) for n in g.get("byline") or []) == sorted(norm(n) for n in a.byline):
            score.byline_ok += 1
        else:
            score.misses.append(f"byline of {label}: {list(a.byline)} != {g.get('byline')}")
        if g.get("kind") == a.kind:
            score.kind_ok += 1
        else:
            score.misses.append(f"kind of {label}: {a.kind} != {g.get('kind')}")
    gold_titles = {norm(g["title"]) for g in golds if g.get("title")}
    for a in articles:
        if not a.untitled and norm(a.title) not in gold_titles:
            score.misses.append(f"extra title: {a.title}")
    window = gold.get("date_window")
    score.date = date
    if window is None:  # the page gives no evidence: the right answer is no date
        score.date_ok = date is None
        if not score.date_ok:
            score.misses.append(f"date {date} given where the page has no date evidence")
    else:
        score.date_ok = date_ok(date, window)
        score.date_exact = bool(date) and len(date or "") == 10 and score.date_ok
        if not score.date_ok:
            score.misses.append(f"date {date} outside {window}")
    return score


@dataclass
class Totals:
    """Figures over many pages."""

    pages: list[PageScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(p, name) for p in self.pages)

    @staticmethod
    def _ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    @property
    def figures(self) -> dict[str, float]:
        hits = self._sum("title_hits")
        precision = self._ratio(hits, self._sum("pred_titles"))
        recall = self._ratio(hits, self._sum("gold_titles"))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        articles = self._sum("gold_articles")
        heads = self._sum("head_fields")
        return {
            "title_precision": precision,
            "title_recall": recall,
            "title_f1": f1,
            "articles_found": self._ratio(self._sum("found"), articles),
            "byline": self._ratio(self._sum("byline_ok"), articles),
            "kind": self._ratio(self._sum("kind_ok"), articles),
            "kicker": self._ratio(self._sum("kicker_ok"), heads),
            "subtitle": self._ratio(self._sum("subtitle_ok"), heads),
            "column": self._ratio(self._sum("column_ok"), heads),
            "date": self._ratio(sum(p.date_ok for p in self.pages), len(self.pages)),
            "date_exact": self._ratio(sum(p.date_exact for p in self.pages), len(self.pages)),
        }

    def meets_targets(self) -> list[str]:
        """Targets not met, as messages; empty when all are met."""
        figs = self.figures
        return [f"{k} {figs[k]:.3f} < {v}" for k, v in TARGETS.items() if figs[k] < v]


def load_golden(folder: Path) -> list[dict[str, Any]]:
    """Every golden YAML file of a folder, sorted by name."""
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]


def score_folder(golden_dir: Path, raw_dir: Path, config: Any) -> Totals:
    """Ingest each golden page's raw file and score it."""
    from .dates import page_date
    from .ingest import ingest_page
    from .sources import RawFile, read_page

    pages: list[PageScore] = []
    for gold in load_golden(golden_dir):
        source = str(gold["source"])
        path = raw_dir / source
        sidecar = next((p for p in (path.with_suffix(".yaml"),) if p.is_file()), None)
        page = read_page(RawFile(path, source, sidecar))
        result = ingest_page(page, config)
        when = page_date(page.meta, page.text)
        pages.append(score_page(gold, result.articles, when.date))
    return Totals(pages)


def format_report(totals: Totals, verbose: bool = True) -> str:
    """The figures as text, with per-page differences when verbose."""
    lines: list[str] = []
    if verbose:
        for page in totals.pages:
            lines.append(f"== {page.source}  date={page.date}")
            lines.extend(f"   {m}" for m in page.misses)
    figs = totals.figures
    lines.append(
        "title P/R/F1 {:.3f}/{:.3f}/{:.3f}  articles found {:.3f}".format(
            figs["title_precision"], figs["title_recall"], figs["title_f1"], figs["articles_found"]
        )
    )
    lines.append(
        "byline {:.3f}  kind {:.3f}  kicker {:.3f}  subtitle {:.3f}  column {:.3f}".format(
            figs["byline"], figs["kind"], figs["kicker"], figs["subtitle"], figs["column"]
        )
    )
    lines.append(
        "date in window {:.3f}  full date in window {:.3f}".format(figs["date"], figs["date_exact"])
    )
    return "\n".join(lines)


def names(items: Iterable[str]) -> list[str]:
    """Normalised names, for tests."""
    return sorted(norm(n) for n in items)
