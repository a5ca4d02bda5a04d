"""Issue 6, rebuilding safely: hand edits survive, URLs are stable, rebuilds are incremental."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.config import Config, load_config
from newsarchive.pipeline import build, run_ingest, run_render
from newsarchive.report import Report
from newsarchive.store import MANIFEST_NAME, STAMPS_NAME, Manifest, markdown_to_article

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"


def make_project(tmp: Path, pages: list[str] | None = None) -> Config:
    """A copy of the sample raw pages (or some of them) with the repo's config."""
    (tmp / "raw").mkdir(parents=True)
    for path in sorted(RAW.glob("*.txt")):
        if pages is None or path.name in pages:
            shutil.copy(path, tmp / "raw" / path.name)
    return load_config(REPO / "archive.yaml").with_paths(
        raw_dir=tmp / "raw", content_dir=tmp / "content", site_dir=tmp / "site"
    )


def rebuild(config: Config, **kwargs: object) -> Report:
    """ingest + render without the search index (Pagefind is tested elsewhere)."""
    report = Report()
    run_ingest(config, report, **kwargs)  # type: ignore[arg-type]
    run_render(config, report, with_index=False)
    return report


def articles(config: Config) -> dict[str, tuple[str, str]]:
    """id -> (slug, content path) of every article in content/."""
    out = {}
    for path in sorted(config.content_dir.rglob("*.md")):
        if ".backup" in path.parts:
            continue
        article = markdown_to_article(path.read_text(encoding="utf-8"), path)
        out[article.id] = (article.slug, path.relative_to(config.content_dir).as_posix())
    return out


def site_article_urls(config: Config) -> set[str]:
    return {p.parent.name for p in (config.site_dir / "articles").glob("*/index.html")}


@pytest.fixture
def project(tmp_path: Path) -> Config:
    config = make_project(tmp_path)
    rebuild(config)
    return config


def _edit(path: Path, title: str) -> str:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            lines[i] = "title: " + json.dumps(title, ensure_ascii=False)
        elif line.startswith("date:"):
            lines[i] = "date: '1999-12-31'"
        elif line.startswith("date_source:"):
            lines[i] = "date_source: override"
    edited = "\n".join(lines).replace("---\n\n", "---\n\n维护者补充的一句话。\n\n", 1)
    path.write_text(edited, encoding="utf-8")
    return edited


def test_hand_edit_survives_rebuild_of_its_page_and_shows_on_site(project: Config) -> None:
    slug, rel = next(iter(articles(project).values()))
    path = project.content_dir / rel
    edited = _edit(path, "维护者改过的标题: #--- ' \"")
    source = markdown_to_article(edited, rel).source
    raw = project.raw_dir / source
    raw.write_bytes(raw.read_bytes() + "\n\n补充一段新的正文内容。\n".encode())  # re-ingest it

    report = rebuild(project)

    assert source in report.pages_ingested
    assert path.read_text(encoding="utf-8") == edited
    assert rel in report.edits_kept
    assert f"kept {rel}" in report.summary()
    html = (project.site_dir / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert "维护者改过的标题: #--- &#39; &#34;" in html
    assert "维护者补充的一句话。" in html
    assert "1999年12月31日" in html
    # and a nothing-changed rebuild still lists the kept edit
    again = Report()
    build(project, again)
    assert rel in again.edits_kept


def test_hand_edit_of_the_id_itself_is_never_overwritten(project: Config) -> None:
    """The README says to leave `id` alone; a file whose id was edited anyway is still
    a maintainer's file, kept when its raw page is ingested again."""
    ident, (_, rel) = next(iter(articles(project).items()))
    path = project.content_dir / rel
    edited = path.read_text(encoding="utf-8").replace(f"id: {ident}", "id: my-own-id", 1)
    assert edited != path.read_text(encoding="utf-8")
    path.write_text(edited, encoding="utf-8")
    source = markdown_to_article(edited, rel).source
    raw = project.raw_dir / source
    raw.write_bytes(raw.read_bytes() + "\n\n补充一段新的正文内容。\n".encode())

    report = rebuild(project)

    assert source in report.pages_ingested
    assert path.read_text(encoding="utf-8") == edited
    assert rel in report.edits_kept


def test_regenerate_by_name_backs_the_edit_up_first(project: Config) -> None:
    _, rel = next(iter(articles(project).values()))
    path = project.content_dir / rel
    original = path.read_text(encoding="utf-8")
    edited = _edit(path, "要丢弃的改动")

    report = Report()
    run_ingest(project, report, regenerate=[path])

    assert path.read_text(encoding="utf-8") == original
    assert len(report.backed_up) == 1
    backup = project.content_dir.parent / report.backed_up[0]
    assert backup.is_relative_to(project.content_dir / ".backup")
    assert backup.read_text(encoding="utf-8") == edited
    rebuild(project)  # the next run keeps the backup and does not publish it
    assert backup.read_text(encoding="utf-8") == edited
    assert "要丢弃的改动" not in "".join(
        p.read_text(encoding="utf-8") for p in project.site_dir.rglob("*.html")
    )


def test_regenerate_of_an_unknown_file_is_a_problem_not_a_crash(project: Config) -> None:
    report = Report()
    run_ingest(project, report, regenerate=[project.content_dir / "nope.md"])
    assert any("nope.md" in p for p in report.problems)


def test_article_urls_are_stable_when_other_pages_come_and_go(tmp_path: Path) -> None:
    names = sorted(p.name for p in RAW.glob("*.txt"))
    config = make_project(tmp_path, names[:3])
    rebuild(config)
    first = articles(config)
    slugs = {ident: slug for ident, (slug, _) in first.items()}
    assert site_article_urls(config) == set(slugs.values())

    def same_slugs_for_surviving(before: dict[str, str]) -> dict[str, str]:
        now = {ident: slug for ident, (slug, _) in articles(config).items()}
        for ident in before.keys() & now.keys():
            assert now[ident] == before[ident], ident
        assert site_article_urls(config) == set(now.values())
        return now

    for name in names[3:]:  # add
        shutil.copy(RAW / name, config.raw_dir / name)
    rebuild(config)
    now = same_slugs_for_surviving(slugs)
    assert slugs.keys() <= now.keys()

    folder = config.content_dir / names[0].removesuffix(".txt")
    assert folder.is_dir()
    backups = config.content_dir / ".backup" / "kept"
    backups.mkdir(parents=True)
    (config.raw_dir / names[0]).unlink()  # remove
    rebuild(config)
    now = same_slugs_for_surviving(now)
    gone = {i for i, (_, rel) in first.items() if rel.startswith(names[0].removesuffix(".txt"))}
    assert gone and not gone & now.keys()
    assert not folder.exists(), "the removed page's folder is pruned"
    assert backups.is_dir(), "backup folders are never pruned, even empty"

    renamed = config.raw_dir / ("renamed-" + names[1])  # rename: its own ids may change
    (config.raw_dir / names[1]).rename(renamed)
    rebuild(config)
    moved = names[1][:3]
    others = {i: s for i, s in now.items() if not first.get(i, ("", ""))[1].startswith(moved)}
    same_slugs_for_surviving(others)

    before = dict(articles(config))  # same input again: nothing moves
    rebuild(config)
    assert articles(config) == before


def test_nothing_changed_rebuild_does_almost_nothing(project: Config) -> None:
    """(How long it takes is measured by bench/run.py's rebuild-noop, not here.)"""
    index = project.site_dir / "index.html"
    stamp = index.stat().st_mtime_ns
    kept = [project.content_dir / name for name in (MANIFEST_NAME, STAMPS_NAME)]
    stamps = [path.stat().st_mtime_ns for path in kept]
    report = Report()
    run_ingest(project, report)
    run_render(project, report, with_index=False)
    assert report.pages_skipped_unchanged == report.pages_read == 5
    assert report.articles_written == 0
    assert report.render_skipped
    assert "render and index skipped" in report.summary()
    assert index.stat().st_mtime_ns == stamp
    assert [path.stat().st_mtime_ns for path in kept] == stamps


def test_a_fresh_checkout_builds_without_touching_the_committed_manifest(
    project: Config,
) -> None:
    """A clone gives every file a new mtime and has no stamps file (it is not committed):
    the build reads the files again, finds them unchanged, and leaves the manifest, which
    is committed with content/, byte for byte as it was: no diff after building."""
    manifest = project.content_dir / MANIFEST_NAME
    before = manifest.read_bytes()
    (project.content_dir / STAMPS_NAME).unlink()
    later = time.time() + 3600
    for path in [*project.raw_dir.rglob("*"), *project.content_dir.rglob("*.md")]:
        os.utime(path, (later, later))
    report = Report()
    run_ingest(project, report)
    assert report.pages_read == 5 and report.articles_written == 0
    assert report.edits_kept == [] and report.problems == []
    assert manifest.read_bytes() == before
    assert b"stamp" not in before
    again = Report()  # and the stamps file it wrote spares the next build the reading
    run_ingest(project, again)
    assert again.pages_skipped_unchanged == 5


def test_one_raw_change_rerenders_only_its_dependent_pages(project: Config) -> None:
    before = articles(project)
    inode = {
        p.relative_to(project.site_dir).as_posix(): p.stat().st_ino
        for p in project.site_dir.rglob("*.html")
    }
    manifest = Manifest.load(project.content_dir)
    source = sorted(manifest.sources)[2]
    raw = project.raw_dir / source
    text = raw.read_text(encoding="utf-8")
    raw.write_text(text + "\n\n本报讯 一条新的简讯补在版面末尾，说明增量重建。\n", encoding="utf-8")

    report = rebuild(project)

    assert report.pages_ingested == [source]
    assert report.pages_skipped_unchanged == 4
    changed = {
        rel
        for rel, ino in inode.items()
        if (project.site_dir / rel).exists() and (project.site_dir / rel).stat().st_ino != ino
    }
    assert report.html_written == len(changed) + len(
        {p for p in project.site_dir.rglob("*.html")} - {project.site_dir / r for r in inode}
    )
    assert 0 < report.html_written < len(inode) // 2
    assert report.html_unchanged > len(inode) // 2
    # other pages' articles were not re-rendered
    for _ident, (slug, rel) in before.items():
        if not rel.startswith(source.removesuffix(".txt")):
            assert f"articles/{slug}/index.html" not in changed, slug
    assert "unchanged, skipped" in report.summary()


def test_template_change_rerenders_everything(project: Config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import newsarchive.pipeline as pipeline

    monkeypatch.setattr(pipeline, "base_key", lambda *a: "a different template set")
    report = Report()
    run_render(project, report, with_index=False)
    assert report.html_unchanged == 0 and report.html_written > 100


def test_template_edited_between_builds_of_one_process_is_used(  # type: ignore[no-untyped-def]
    project: Config, tmp_path: Path, monkeypatch
) -> None:
    """`serve` rebuilds in one process: each render must read the templates afresh, even
    though Jinja is told not to re-check them for every page within a build."""
    import newsarchive.incremental as incremental
    import newsarchive.pipeline as pipeline
    import newsarchive.render as render

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    for module in (render, incremental, pipeline):
        monkeypatch.setattr(module, "TEMPLATES_DIR", templates)
    run_render(project, Report(), with_index=False)
    page = project.site_dir / "404.html"
    assert "模板已改" not in page.read_text(encoding="utf-8")
    edited = templates / "404.html"
    edited.write_text(edited.read_text(encoding="utf-8").replace("</h1>", "模板已改</h1>", 1))
    run_render(project, Report(), with_index=False)
    assert "模板已改" in page.read_text(encoding="utf-8")


def test_urls_do_not_depend_on_the_command_that_built_the_site(tmp_path: Path) -> None:
    """Regression: ingest teaches the segmenter the taxonomy's words, and a render in the
    same process slugged 城市建设 `chengshijianshe`, a render on its own `chengshi-jianshe`:
    a topic's URL changed whenever a build had no raw page to ingest."""
    config = make_project(tmp_path)
    rebuild(config)  # ingest (which teaches) and render in this process
    alone = tmp_path / "site-by-render-alone"
    paths = ["--raw", str(config.raw_dir), "--content", str(config.content_dir)]
    subprocess.run(
        [sys.executable, "build.py", "render", *paths, "--site", str(alone)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )

    def pages(site: Path) -> list[str]:
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))

    assert any(p.startswith("topics/chengshi") for p in pages(alone))
    assert pages(config.site_dir) == pages(alone)


def test_article_printed_twice_on_a_page_keeps_both_copies(tmp_path: Path) -> None:
    """Regression: two copies of one article on a page got the same id; one vanished."""
    config = make_project(tmp_path, pages=[])
    story = "## 停水通知\n\n兹因配合供水管线阀门更换工程，定于8月31日实施停水，请用户提前储水。\n\n"
    (config.raw_dir / "dup.txt").write_text(story + story, encoding="utf-8")
    report = rebuild(config)
    ids = articles(config)
    assert len(ids) == 2 and len({slug for slug, _ in ids.values()}) == 2
    assert not report.problems
    assert len(site_article_urls(config)) == 2


def test_two_raw_pages_whose_slugs_clash_both_reach_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same headlines on two raw pages and a 6-digit hash clash (two pairs in 190,000
    generated articles): the later article gets a longer hash instead of being dropped."""
    import newsarchive.enrich as enrich_module

    real = enrich_module.article_slug
    monkeypatch.setattr(
        enrich_module, "article_slug", lambda title, ident: real(title, "000000" + ident[6:])
    )
    config = make_project(tmp_path, pages=[])
    page = sorted(RAW.glob("*.txt"))[0]
    for folder in ("甲报/2021-01-04", "乙报/2021-01-05"):
        (config.raw_dir / folder).mkdir(parents=True)
        shutil.copy(page, config.raw_dir / folder / "01.txt")
    report = rebuild(config)
    assert not [p for p in report.problems if "also used by" in p]
    found = articles(config)
    slugs = [slug for slug, _ in found.values()]
    assert len(found) >= 4 and len(set(slugs)) == len(slugs)
    assert any(slug.endswith("000000") for slug in slugs)  # the first keeps its slug
    pages = list((config.site_dir / "articles").glob("*/index.html"))
    assert len(pages) == len(found)


def _tree(site: Path) -> dict[str, bytes]:
    """Every output file and its bytes, without the build's own records."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not p.name.startswith(".newsarchive-")
    }


def test_a_private_site_folder_left_by_an_older_version_is_opened_up(tmp_path: Path) -> None:
    """Sites staged by tempfile were 0700; rebuilding through that spare must not keep it."""
    config = make_project(tmp_path / "p", pages=[sorted(p.name for p in RAW.glob("*.txt"))[0]])
    probe = tmp_path / "probe"
    probe.mkdir()
    usual = stat.S_IMODE(probe.stat().st_mode)
    rebuild(config)
    config.site_dir.chmod(0o700)
    source = next(config.raw_dir.glob("*.txt"))
    for n in range(2):  # the first rebuild keeps the private site as the spare, the next uses it
        text = source.read_text(encoding="utf-8")
        source.write_text(text + f"\n\n本报讯 第{n}次补记。\n", encoding="utf-8")
        rebuild(config)
    assert stat.S_IMODE(config.site_dir.stat().st_mode) == usual


def test_rebuilds_through_the_spare_site_equal_a_clean_build(tmp_path: Path) -> None:
    """The replaced site is kept as the spare and updated in place by the next build;
    after edits, an added and a removed page, the site is byte for byte a clean build's."""
    from newsarchive.swap import spare_dir

    config = make_project(tmp_path / "inc")
    report = Report()
    build(config, report)
    sources = sorted(config.raw_dir.glob("*.txt"))
    steps = [
        lambda: sources[0].write_text(sources[0].read_text() + "\n\n本报讯 第一次补记。\n"),
        lambda: sources[3].write_text(sources[3].read_text() + "\n\n本报讯 第二次补记。\n"),
        lambda: sources[1].unlink(),
        lambda: shutil.copy(RAW / sources[1].name, config.raw_dir / "again.txt"),
        lambda: sources[0].write_text(sources[0].read_text().replace("第一次补记", "改过的补记")),
    ]
    for step in steps:
        step()
        build(config, Report())
        spare = spare_dir(config.site_dir)
        assert spare.is_dir()  # the replaced site, kept for the next build to update
        shared = {
            rel
            for rel in _tree(config.site_dir)
            if (spare / rel).exists()
            and (spare / rel).stat().st_ino == (config.site_dir / rel).stat().st_ino
        }
        assert any(rel.startswith("articles/") for rel in shared)  # hard links, not copies

    clean = make_project(tmp_path / "clean", pages=[])
    shutil.copytree(config.raw_dir, clean.raw_dir, dirs_exist_ok=True)
    build(clean, Report())
    assert _tree(config.site_dir) == _tree(clean.site_dir)


def test_render_without_index_after_an_indexed_build_drops_the_old_index(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    build(config, Report())
    assert (config.site_dir / "pagefind").is_dir()
    first, second = sorted(config.raw_dir.glob("*.txt"))[:2]
    first.unlink()
    build(config, Report())  # now the first site is the spare, index and all
    second.write_text(second.read_text(encoding="utf-8") + "\n\n本报讯 补记。\n", encoding="utf-8")
    rebuild(config)  # render only: reuses that spare
    assert not (config.site_dir / "pagefind").exists()


def test_a_page_deleted_from_the_live_site_by_hand_comes_back_current(tmp_path: Path) -> None:
    """The spare still holds an older copy of a page deleted from site/: it must not return."""
    config = make_project(tmp_path / "inc")
    build(config, Report())
    first, second, third = sorted(config.raw_dir.glob("*.txt"))[:3]
    first.write_text(first.read_text(encoding="utf-8") + "\n\n本报讯 补记一。\n", encoding="utf-8")
    build(config, Report())  # the first site is now the spare
    second.write_text(
        second.read_text(encoding="utf-8") + "\n\n本报讯 补记二。\n", encoding="utf-8"
    )
    build(config, Report())
    from newsarchive.swap import spare_dir

    spare = spare_dir(config.site_dir)
    changed = [  # pages the last build wrote anew: the spare holds their previous version
        page
        for page in sorted(config.site_dir.rglob("*.html"))
        if (old := spare / page.relative_to(config.site_dir)).is_file()
        and old.stat().st_ino != page.stat().st_ino
        and old.read_bytes() != page.read_bytes()
    ]
    assert changed
    victim = changed[0]
    victim.unlink()
    third.write_text(third.read_text(encoding="utf-8") + "\n\n本报讯 补记三。\n", encoding="utf-8")
    build(config, Report())
    clean = make_project(tmp_path / "clean", pages=[])
    shutil.copytree(config.raw_dir, clean.raw_dir, dirs_exist_ok=True)
    build(clean, Report())
    assert victim.is_file()
    assert _tree(config.site_dir) == _tree(clean.site_dir)


def test_a_page_file_shared_with_the_live_site_is_replaced_never_written_through(
    tmp_path: Path,
) -> None:
    """Staging writes new files in place but swaps out existing ones: an existing file
    may be a hard link into the live site, which must not change under its readers."""
    from newsarchive.incremental import _write

    live, staged = tmp_path / "live.html", tmp_path / "stage" / "a" / "page.html"
    live.write_text("old", encoding="utf-8")
    _write(staged, "new page")  # folder missing: created
    assert staged.read_text(encoding="utf-8") == "new page"
    staged.unlink()
    staged.hardlink_to(live)
    _write(staged, "changed")
    assert staged.read_text(encoding="utf-8") == "changed"
    assert live.read_text(encoding="utf-8") == "old"
    assert staged.stat().st_ino != live.stat().st_ino
    assert sorted(p.name for p in staged.parent.iterdir()) == ["page.html"]  # no temp left


def test_a_deferred_context_value_keys_a_page_as_its_value_and_is_computed_once(
    tmp_path: Path,
) -> None:
    from newsarchive.incremental import Deferred, SiteOutput, resolved

    calls: list[int] = []

    def related() -> list[str]:
        calls.append(1)
        return ["甲", "乙"]

    out = SiteOutput(tmp_path / "site")
    deferred = Deferred(related)
    lazy = out.page_key("a/index.html", "article.html", {"related": deferred, "n": 1})
    plain = out.page_key("a/index.html", "article.html", {"related": ["甲", "乙"], "n": 1})
    other = out.page_key("a/index.html", "article.html", {"related": ["甲"], "n": 1})
    assert lazy == plain != other
    assert resolved({"related": deferred, "n": 1}) == {"related": ["甲", "乙"], "n": 1}
    assert calls == [1]


def test_a_renamed_raw_page_keeps_its_edited_article_once(project: Config) -> None:
    """Moving a raw page (say into its paper's dated folder) must not show an article the
    maintainer edited twice: the edited file stands in for the renamed page's article at
    its position, the other articles move to the new path, and the maintainer is told."""
    before = articles(project)
    _, rel = next(iter(before.values()))
    path = project.content_dir / rel
    edited = _edit(path, "改过标题的文章")
    article = markdown_to_article(edited, rel)
    old = project.raw_dir / article.source
    new = project.raw_dir / "光明日报" / "2023-08-09" / "01.txt"
    new.parent.mkdir(parents=True)
    old.rename(new)
    siblings = sum(1 for a in before.values() if Path(a[1]).parent == Path(rel).parent)

    report = rebuild(project)

    assert path.read_text(encoding="utf-8") == edited  # kept, untouched
    after = articles(project)
    titles = [
        markdown_to_article(p.read_text(encoding="utf-8"), p).title
        for p in project.content_dir.rglob("*.md")
        if ".backup" not in p.parts
    ]
    assert titles.count("改过标题的文章") == 1
    moved = [a for a in after.values() if a[1].startswith("光明日报/2023-08-09/01/")]
    assert len(moved) == siblings - 1  # every other article, at its new path
    old_folder = str(Path(rel).parent) + "/"
    assert [a[1] for a in after.values() if a[1].startswith(old_folder)] == [rel]
    assert len(after) == len(before)
    assert rel in report.edits_kept
    assert any(rel in p and "光明日报/2023-08-09/01.txt" in p for p in report.problems)
    # the kept file now belongs to the new page: still listed on the next builds,
    # and regenerating it takes the article from the new page
    again = rebuild(project)
    assert rel in again.edits_kept
    assert not any(rel in p for p in again.problems)
    new.write_bytes(new.read_bytes() + "\n\n补充一段新的正文内容。\n".encode())
    changed = rebuild(project)
    assert "光明日报/2023-08-09/01.txt" in changed.pages_ingested
    assert path.read_text(encoding="utf-8") == edited
    at_position = [
        a
        for a in articles(project).values()
        if a[1].startswith("光明日报/") and int(Path(a[1]).name[:2]) == article.position
    ]
    assert at_position == []  # the edited file still stands in for it
    count = len(articles(project))
    run_ingest(project, Report(), regenerate=[path])
    assert not path.exists()
    assert len(articles(project)) == count
    assert len([a for a in articles(project).values() if a[1].startswith("光明日报/")]) == count - (
        len(before) - siblings
    )
