"""The sharded search index: bounded shards, and a one-page change rebuilds only its shard."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from test_rebuild import make_project

from newsarchive.pipeline import build
from newsarchive.report import Report
from newsarchive.search import PageRecord, plan_shards


def _shards(site: Path) -> dict[str, tuple[list[str], int]]:
    """key -> (periods, inode of its pagefind-entry.json)."""
    listing = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    return {
        s["key"]: (
            s["periods"],
            (site / "pagefind/shards" / s["key"] / "pagefind-entry.json").stat().st_ino,
        )
        for s in listing["shards"]
    }


def test_one_changed_page_rebuilds_only_the_shard_of_its_month(tmp_path: Path) -> None:
    config = replace(make_project(tmp_path), search_shard_articles=6)
    build(config, Report())
    before = _shards(config.site_dir)
    assert len(before) >= 5

    page = config.raw_dir / "004_e0aca1a44daf8f47.txt"  # the 2025-03 page
    page.write_text(
        page.read_text(encoding="utf-8") + "\n\n新增的一段文字，检验增量索引。\n", encoding="utf-8"
    )
    report = Report()
    build(config, report)
    after = _shards(config.site_dir)

    changed = set(after) - set(before)
    assert changed, "the edited page's shard must get a new key"
    assert all("2025-03" in after[key][0] for key in changed)
    for key in set(after) & set(before):
        assert after[key][1] == before[key][1], f"shard {key} was rebuilt, not reused"
    listing = json.loads((config.site_dir / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert (
        sum(s["articles"] for s in listing["shards"]) == listing["articles"] == report.indexed_pages
    )


def test_shards_hold_at_most_the_cap_and_never_split_a_month_that_fits() -> None:
    pages = [
        PageRecord(f"articles/{month}-{i}/index.html", month, f"{month}-01", f"{month}{i}")
        for month, count in (("1953-03", 4), ("1953-04", 3), ("1953-05", 9), ("未知", 2))
        for i in range(count)
    ]
    shards = plan_shards(pages, cap=5)
    assert all(len(s.rels) <= 5 for s in shards)
    assert sorted(r for s in shards for r in s.rels) == sorted(p.rel for p in pages)
    owners: dict[str, set[str]] = {}
    for shard in shards:
        for period in shard.periods:
            owners.setdefault(period, set()).add(shard.key)
    assert len(owners["1953-03"]) == len(owners["1953-04"]) == 1  # fit: kept whole
    assert len(owners["1953-05"]) == 2  # 9 > 5: split, the search page orders it itself
    assert plan_shards(pages, cap=5) == shards  # same input, same keys


def test_a_shard_rewritten_after_an_edit_is_the_one_a_clean_index_writes(tmp_path: Path) -> None:
    """One edited page: its shard is written while its unchanged pages are read again
    (search._stream_shard); the bundle must be byte for byte a from-scratch index's."""
    import shutil

    from newsarchive.search import index_site

    config = replace(make_project(tmp_path), search_shard_articles=6)
    build(config, Report())
    page = config.raw_dir / "004_e0aca1a44daf8f47.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n增量索引的又一段。\n", encoding="utf-8")
    build(config, Report())
    clean = tmp_path / "clean"
    shutil.copytree(config.site_dir, clean, ignore=shutil.ignore_patterns("pagefind"))
    index_site(clean, shard_articles=6)

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    assert files(config.site_dir / "pagefind") == files(clean / "pagefind")
