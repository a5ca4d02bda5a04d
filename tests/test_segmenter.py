"""The fast segmenter (jieba-rs) must cut exactly as Python jieba does.

Slugs, topics and keywords are all derived from these words, so a difference
would silently change URLs and topic pages. Checked on the real sample pages,
the fixture pages (traditional, GB18030, 1950s) and generated pages.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

import jieba
import jieba.analyse
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.config import load_config
from newsarchive.decode import decode_bytes
from newsarchive.textutil import add_words, best_freq, keyword_set, to_simplified, words

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from make_pages import generate  # noqa: E402

jieba.setLogLevel(logging.WARNING)


def _texts() -> list[tuple[str, str]]:
    files = sorted((ROOT / "raw").rglob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures").rglob("*.txt")
    )
    return [(p.name, decode_bytes(p.read_bytes()).text) for p in files]


@pytest.fixture(scope="module", autouse=True)
def _taught() -> None:
    """Both segmenters know the topic keywords, as during ingest."""
    vocabulary = sorted({w for t in load_config(ROOT / "archive.yaml").topics for w in t.keywords})
    add_words(tuple(vocabulary))
    for word in vocabulary:
        if not jieba.dt.FREQ.get(word):
            jieba.add_word(word)


@pytest.mark.parametrize(("name", "text"), _texts(), ids=lambda x: x if len(x) < 40 else "")
def test_same_words_as_jieba_on_real_pages(name: str, text: str) -> None:
    assert words(text) == [w for w in jieba.lcut(text) if w.strip()]


def test_same_words_as_jieba_on_generated_pages(tmp_path: Path) -> None:
    generate(60, seed=7, out=str(tmp_path))
    for path in sorted(tmp_path.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert words(text) == [w for w in jieba.lcut(text) if w.strip()], path.name


@pytest.mark.parametrize(
    "text",
    [
        "访问www.ctctc.cn了解",
        "增长2695.9亿元，达5.6%。",
        "ＧＤＰ增长３．５％",
        "C919大飞机",
        "A-B_c&d#e+f",
    ],
)
def test_latin_and_number_runs_split_like_jieba(text: str) -> None:
    assert words(text) == [w for w in jieba.lcut(text) if w.strip()]


def test_keyword_set_matches_jieba_extract_tags() -> None:
    for _, text in _texts():
        assert keyword_set(text) == set(jieba.analyse.extract_tags(to_simplified(text), topK=20))


def test_idf_table_and_stop_words_are_jiebas() -> None:
    import jieba.analyse

    from newsarchive.textutil import _STOP_WORDS, _tfidf

    default = jieba.analyse.default_tfidf
    assert _tfidf() == (default.idf_freq, default.median_idf)
    assert default.stop_words == _STOP_WORDS


def _keywords_by_definition(tokens: list[str], top: int = 8) -> list[str]:
    """extract_tags' weighting over every distinct word, filtered first (no shortcuts)."""
    from collections import Counter

    from newsarchive.textutil import _STOP_WORDS, _tfidf

    idf, median = _tfidf()
    scored = sorted(
        (-n * idf.get(w, median), w)
        for w, n in Counter(tokens).items()
        if len(w.strip()) >= 2 and w.lower() not in _STOP_WORDS
    )
    return [w for _, w in scored[:top]]


def test_keywords_of_real_and_generated_pages_follow_the_definition(tmp_path: Path) -> None:
    from newsarchive.textutil import cut, keywords_of

    generate(30, seed=11, out=str(tmp_path))
    texts = [t for _, t in _texts()] + [p.read_text() for p in sorted(tmp_path.rglob("*.txt"))]
    for text in texts:
        for part in [text, text[:60], text[:12]]:  # short parts: few words survive the filter
            tokens = cut(part)
            counts = Counter(tokens)
            assert keywords_of(counts) == _keywords_by_definition(tokens)
            assert keywords_of(counts, top=3) == _keywords_by_definition(tokens, top=3)


@given(st.lists(st.sampled_from(["的", "经济", "发展", "the", "ok", " ", "a", "报告", "工作"])))
def test_keywords_of_any_tokens_follow_the_definition(tokens: list[str]) -> None:
    from newsarchive.textutil import keywords_of

    assert keywords_of(Counter(tokens), top=2) == _keywords_by_definition(tokens, top=2)


def _idf_bands() -> tuple[list[str], list[str]]:
    """Words at the highest IDF (the most a word seen once can weigh), and words at just
    under half of it (seen twice, they weigh just under that): the mix where leaving
    out the words seen once could go wrong."""
    from newsarchive.textutil import _tfidf

    idf, _ = _tfidf()
    ranked = sorted(idf, key=lambda w: (-idf[w], w))
    top = idf[ranked[0]]
    under_half = [w for w in ranked if top / 2 - 0.4 <= idf[w] < top / 2]
    return ranked[:40], under_half[:: max(1, len(under_half) // 80)][:80]


_HEAVY, _UNDER_HALF = _idf_bands()
_OTHERS = ["未登录词甲", "的", "a", " "]  # the median IDF; dropped by the filter


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(_UNDER_HALF + _OTHERS), min_size=20, max_size=84, unique=True),
    st.lists(st.sampled_from(_HEAVY), max_size=40),
    st.lists(st.sampled_from(_HEAVY + _UNDER_HALF + _OTHERS), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=10),
)
def test_keywords_of_many_repeated_words_follow_the_definition(
    twice: list[str], heavy_twice: list[str], once: list[str], top: int
) -> None:
    """Long word lists, where keywords_of leaves out the words seen once whenever
    enough repeated words outweigh any of them."""
    from newsarchive.textutil import keywords_of

    tokens = twice + heavy_twice + once + heavy_twice + twice
    assert keywords_of(Counter(tokens), top=top) == _keywords_by_definition(tokens, top=top)


def test_dictionary_frequencies_are_jiebas() -> None:
    """Segmentation ranks column joins by these figures: read from dict.txt, they must be
    what a fresh jieba tokenizer holds (its prefix entries count as 0, as unknown words)."""
    fresh = jieba.Tokenizer()
    fresh.initialize()
    assert len(fresh.FREQ) > 300_000
    assert [w for w, n in fresh.FREQ.items() if best_freq([w]) != n] == []
    assert best_freq(["不在词典里的词"]) == 0 and best_freq([]) == 0
    common = max(("北京", "天安门", "不在词典里的词"), key=lambda w: fresh.FREQ.get(w, 0))
    assert best_freq(["不在词典里的词", "天安门", "北京"]) == fresh.FREQ[common]


def test_a_dictionary_with_tags_left_out_is_read_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jieba's format makes the part of speech optional; the fast path needs it on every line."""
    from newsarchive import textutil

    (tmp_path / "dict.txt").write_text("北京 100 ns\n天安门 20\n广场 30 n\n", encoding="utf-8")
    monkeypatch.setattr(textutil, "_jieba_dir", lambda: tmp_path)
    textutil._dictionary.cache_clear()
    try:
        assert textutil._dictionary() == {"北京": 100, "天安门": 20, "广场": 30}
    finally:
        textutil._dictionary.cache_clear()


_TOPIC_WORDS = ["经济", "发展", "教育", "学校", "医院", "的", "农业"]


@given(
    st.lists(st.sampled_from(_TOPIC_WORDS), max_size=8),
    st.lists(st.sampled_from(_TOPIC_WORDS), max_size=60),
    st.lists(
        st.lists(st.sampled_from(_TOPIC_WORDS[:-1]), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    ),
)
def test_topic_scores_follow_the_definition(
    title: list[str], body: list[str], keyword_lists: list[list[str]]
) -> None:
    """Each distinct keyword of a topic scores its hits, three times over in the headline;
    a keyword may belong to several topics and be listed twice in one."""
    from newsarchive.config import Topic
    from newsarchive.topics import TITLE_WEIGHT, score_topics

    taxonomy = tuple(Topic(f"题{i}", tuple(words)) for i, words in enumerate(keyword_lists))
    expected = {}
    for topic in taxonomy:
        score = sum(
            TITLE_WEIGHT * title.count(word) + body.count(word) for word in set(topic.keywords)
        )
        if score:
            expected[topic.name] = score
    assert score_topics(Counter(title), Counter(body), taxonomy) == expected
