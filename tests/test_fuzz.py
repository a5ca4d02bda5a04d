"""End-to-end fuzzing: random and mutated pages through ingest and render, no crash, no text lost.

(The precise segmentation property lives in test_property_ingest.py; this is the smoke version
over the whole path: bytes → decode → ingest_page → front matter → parse → HTML.)
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.archive import Entry, _row, written_row
from newsarchive.config import load_config
from newsarchive.decode import DecodeError, decode_bytes
from newsarchive.ingest import ingest_page
from newsarchive.model import PageMeta, SourcePage
from newsarchive.render import body_html
from newsarchive.store import FrontMatterError, article_to_markdown, markdown_to_article

REPO = Path(__file__).resolve().parent.parent
CONFIG = load_config(REPO / "archive.yaml")
SAMPLE = (REPO / "raw" / "002_435847ab0598361c.txt").read_text(encoding="utf-8")
# Ingest sets punctuation in Chinese text full-width: a mark is kept in either width.
NARROW = str.maketrans("，；：？！（）", ",;:?!()")
LINES = [line for line in SAMPLE.split("\n") if line.strip()]
ALPHABET = st.sampled_from(
    list("山西日报记者本讯社会保障养老就业。，：、；！？“”（）《》——…")
    + list("abcXYZ0123456789 \t\n\n\n:#-'\"<>&[]()*_`|{}!\\/%")
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _kept_text(page: SourcePage) -> str:
    result = ingest_page(page, CONFIG)
    parts = [lo.text for lo in result.leftovers]
    for article in result.articles:
        markdown = article_to_markdown(article)
        again = markdown_to_article(markdown, "fuzz.md")  # round trip must parse
        assert again.title == article.title and again.body == article.body.strip("\n")
        assert written_row(article) == _row(Entry.of(again))  # what ingest hands the load
        assert "<script" not in body_html(article.body)
        parts += [article.title, article.body, *article.byline]
        parts += [article.kicker or "", article.subtitle or "", article.column or ""]
        parts += [article.continued_from or ""]
    return "\n".join(parts)


def _assert_no_text_lost(text: str) -> None:
    page = SourcePage("fuzz/page.txt", text, "utf-8", PageMeta())
    # Every character (not every copy: segmentation drops OCR's duplicated paragraphs)
    # ends up somewhere; Markdown heading marks and emphasis stars are layout, not text.
    kept = set(_kept_text(page).translate(NARROW))
    lost = {ch for ch in text.translate(NARROW) if not ch.isspace() and ch not in kept}
    lost -= set("#*")
    assert not lost, lost


@SETTINGS
@given(st.text(ALPHABET, max_size=600))
def test_random_text_pages(text: str) -> None:
    _assert_no_text_lost(text)


@SETTINGS
@given(
    st.lists(st.sampled_from(LINES), min_size=1, max_size=25),
    st.lists(st.tuples(st.integers(0, 24), st.text(ALPHABET, max_size=20)), max_size=6),
)
def test_mutated_sample_pages(lines: list[str], edits: list[tuple[int, str]]) -> None:
    lines = list(lines)
    for at, insert in edits:
        lines.insert(min(at, len(lines)), insert)
    _assert_no_text_lost("\n".join(lines))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["utf-8", "gb18030", "big5", "utf-16"]))
def test_random_bytes_decode_or_fail_cleanly(noise: bytes, encoding: str) -> None:
    data = SAMPLE[:200].encode(encoding, errors="ignore") + noise
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        return
    page = SourcePage("fuzz/bytes.txt", decoded.text, decoded.encoding, PageMeta())
    try:
        _kept_text(page)
    except FrontMatterError as exc:  # pragma: no cover - would be a bug
        raise AssertionError(exc) from exc


# Characters where YAML's plain style ends: ASCII punctuation and spaces, line breaks of
# every kind, the BOM, NBSP, characters outside the BMP, and what resolves to other types.
_YAML_EDGES = st.sampled_from(
    [
        *"山西日报“”（）·—…、。：，ａＺ０aZ09-.:#,[]{}&*!|>'\"%@` \t\n",
        *("\u00a0", "\u0085", "\u2028", "\u2029", "\ufeff", "\ufffe", "\U0001f600", "\x7f"),
    ]
)
_YAML_WORDS = st.sampled_from(["true", "No", "null", "~", "2024", "0351", "1.5", "1e3", "0x1f"])
_YAML_TEXT = st.one_of(
    st.text(_YAML_EDGES, max_size=12),
    _YAML_WORDS,
    st.builds(str.__add__, _YAML_WORDS, st.text(_YAML_EDGES, max_size=3)),
)


@settings(max_examples=500)
@given(st.one_of(_YAML_TEXT, st.lists(_YAML_TEXT, max_size=4)))
def test_front_matter_fields_are_written_as_the_yaml_dumper_writes_them(value: object) -> None:
    """The direct writing of plain strings and lists of them gives the dumper's very text."""
    from newsarchive.store import _dump, _dump_value

    assert _dump_value("title", value) == _dump("title", value)
