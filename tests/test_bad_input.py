"""Bad raw input gets correct handling or a one-line message naming the file; the build goes on."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from newsarchive.cli import main
from newsarchive.config import load_config
from newsarchive.pipeline import run_ingest, run_render
from newsarchive.report import Report
from newsarchive.store import markdown_to_article

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "raw" / "000_d2b1f8d4df1ea5d1.txt").read_text(encoding="utf-8")
TRAD = "政府工作報告\n\n本報記者 王明\n\n加強基層醫療衛生服務，提高養老金標準，推進小區改造。" * 3
YAML_TITLE = "标题 A: # --- ' \" 也要原样"  # a colon that only Latin text touches stays ASCII
SCRIPT = "<script>alert(1)</script>"


def _write_raw(raw: Path) -> None:
    raw.mkdir(parents=True)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_bytes(b" \n\t\n")
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    (raw / "undecodable.txt").write_bytes(b"\xff\xfe\xfd\x80\x81" * 10 + b"\x00\x01\x02" * 200)
    (raw / "utf16.txt").write_bytes(PAGE.encode("utf-16"))
    (raw / "gb18030.txt").write_bytes(PAGE.replace("山西", "山西省").encode("gb18030"))
    (raw / "big5.txt").write_bytes(TRAD.encode("big5"))
    (raw / "crlf.txt").write_bytes(PAGE.replace("\n", "\r\n").replace("山西", "晋").encode())
    (raw / "bom.txt").write_bytes(codecs.BOM_UTF8 + PAGE.replace("山西", "三晋").encode())
    (raw / "specials.txt").write_text(
        f"{YAML_TITLE}\n\n本报讯 正文里有 {SCRIPT} 和 <b>粗体</b> 与 [链接](http://x.invalid)，"
        "还有 ../../etc/passwd 这样的路径。这是一篇完整的新闻报道，内容足够长，可以成为文章。\n",
        encoding="utf-8",
    )
    weird = raw / ".." / "raw" / "etc.." / "a..."  # path-like names, inside raw/
    weird.mkdir(parents=True)
    (weird / "page...txt").write_text("../../etc\n\n" + PAGE, encoding="utf-8")
    (weird / "page...yaml").write_text("newspaper: ../../etc\ndate: 1999-01-02\n", encoding="utf-8")
    with open(raw / "huge.txt", "wb") as f:  # 50 MB
        f.truncate(50 * 1024 * 1024)
        f.seek(0)
        f.write(PAGE.encode())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    tmp = tmp_path_factory.mktemp("bad")
    _write_raw(tmp / "raw")
    config = load_config(REPO / "archive.yaml").with_paths(
        raw_dir=tmp / "raw", content_dir=tmp / "content", site_dir=tmp / "site"
    )
    report = Report()
    run_ingest(config, report)
    run_render(config, report, with_index=False)
    return tmp, report


def _problem(report: Report, name: str) -> str:
    found = [p for p in report.problems if p.startswith(f"raw/{name}:")]
    assert len(found) == 1, (name, report.problems)
    assert "\n" not in found[0]
    return found[0]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("binary.txt", "binary"),
        ("undecodable.txt", "binary"),
        ("huge.txt", "50 MB is larger than a page"),
    ],
)
def test_unreadable_files_get_one_line_with_name_and_reason(
    built: tuple[Path, Report], name: str, reason: str
) -> None:
    assert reason in _problem(built[1], name)


def test_every_encoding_and_line_ending_is_read(built: tuple[Path, Report]) -> None:
    tmp, _ = built
    for name in ("utf16", "gb18030", "big5", "crlf", "bom", "etc../a.../page.."):
        files = list((tmp / "content" / name).glob("*.md"))
        assert files, name
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert "\r" not in text and "\ufffd" not in text, path
    big5 = "".join(p.read_text(encoding="utf-8") for p in (tmp / "content/big5").glob("*.md"))
    assert "養老金" in big5


def test_yaml_specials_and_html_in_text_are_text(built: tuple[Path, Report]) -> None:
    tmp, _ = built
    [path] = (tmp / "content" / "specials").glob("*.md")
    article = markdown_to_article(path.read_text(encoding="utf-8"), path)
    assert article.title == YAML_TITLE
    assert SCRIPT in article.body
    html = (tmp / "site" / "articles" / article.slug / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html
    assert 'href="http://x.invalid"' not in html
    for page in (tmp / "site").rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml"):  # .json data files hold it as data
            assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page


def test_path_like_names_stay_inside_their_folders(built: tuple[Path, Report]) -> None:
    tmp, _ = built
    for root in (tmp / "content", tmp / "site"):
        for path in root.rglob("*"):
            assert path.resolve().is_relative_to(root.resolve()), path
    assert not (tmp / "etc").exists() and not (tmp.parent / "etc").exists()


def test_summary_counts_and_strict_exit_code(built: tuple[Path, Report], tmp_path: Path) -> None:
    summary = built[1].summary()
    for words in ("pages read:", "articles written:", "hand edits kept:", "files skipped"):
        assert words in summary
    assert "raw/empty.txt: empty file" in summary

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(PAGE, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    args = ["ingest", "--config", str(REPO / "archive.yaml"), "--raw", str(raw)]
    args += ["--content", str(tmp_path / "content"), "--site", str(tmp_path / "site")]
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1
    os.remove(raw / "empty.txt")
    assert main([*args, "--strict"]) == 0


@pytest.mark.parametrize(
    ("command", "missing", "flag"),
    [
        ("build", "raw", "--raw"),
        ("ingest", "raw", "--raw"),
        ("render", "content", "--content"),
        ("index", "site", "--site"),
    ],
)
def test_a_missing_input_folder_is_named_and_nothing_is_built(
    built: tuple[Path, Report], tmp_path: Path, capsys, command: str, missing: str, flag: str
) -> None:  # type: ignore[no-untyped-def]
    """A mistyped path stops the build with the folder's name; the site already built stays."""
    tmp = built[0]
    site = tmp / "site"
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    folders = {"raw": tmp / "raw", "content": tmp / "content", "site": site}
    folders[missing] = tmp_path / "typo"
    args = [command, "--config", str(REPO / "archive.yaml")]
    for name in ("raw", "content", "site"):
        args += [f"--{name}", str(folders[name])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "typo") in err and flag in err and "does not exist" in err
    assert not (tmp_path / "typo").exists()
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_ctrl_c_says_what_was_kept_and_how_to_carry_on(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One line instead of tracebacks, and the exit status of a stop by SIGINT."""
    from newsarchive import cli

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_ingest", stopped)
    (tmp_path / "raw").mkdir()
    args = ["ingest", "--config", str(REPO / "archive.yaml"), "--raw", str(tmp_path / "raw")]
    assert main([*args, "--content", str(tmp_path / "content")]) == 130
    err = capsys.readouterr().err
    assert "stopped" in err and "again" in err and "Traceback" not in err
