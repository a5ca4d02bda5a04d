"""Assign 0 to 3 taxonomy topics per article, scored on jieba tokens.

Each keyword occurrence among the article's jieba words (precise mode, so
`火车站` is not also counted as `车站`) scores 1, in the headline 3. The
taxonomy's keywords are taught to jieba first, so a maintainer's multi-word
keyword (`乡村振兴`) is one token. A topic must reach the configured minimum
and at least a third of the best topic's score; an article that matches
nothing gets no topic rather than a wrong one.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from .config import Topic
from .textutil import add_words, to_simplified, words

TITLE_WEIGHT = 3.0
RUNNER_UP_SHARE = 1 / 3  # a second or third topic needs this share of the best score


@cache
def teach_topics(taxonomy: tuple[Topic, ...]) -> None:
    """Teach the segmenter the taxonomy's keywords (once per taxonomy)."""
    add_words(tuple(sorted({w for t in taxonomy for w in t.keywords})))


def topic_words(text: str, taxonomy: tuple[Topic, ...]) -> list[str]:
    """The words topics are scored on: simplified text, cut by jieba knowing the keywords."""
    teach_topics(taxonomy)
    return words(to_simplified(text)) if text else []


def score_topics(
    title_words: Counter[str], body_words: Counter[str], taxonomy: tuple[Topic, ...]
) -> dict[str, float]:
    """Weighted keyword hits per topic (topics without a hit are absent).

    Only the taxonomy's words that occur are counted (a set intersection), rather than
    every keyword looked up in every article: the same scores at a tenth of the cost.
    """
    topics_of = _topics_of(taxonomy)
    scores: dict[str, float] = {}
    for counts, weight in ((title_words, TITLE_WEIGHT), (body_words, 1.0)):
        for word in topics_of.keys() & counts.keys():
            hits = weight * counts[word]
            for name in topics_of[word]:
                scores[name] = scores.get(name, 0.0) + hits
    return scores


@cache
def _topics_of(taxonomy: tuple[Topic, ...]) -> dict[str, tuple[str, ...]]:
    """keyword → the topics it signals (a keyword may serve more than one)."""
    topics: dict[str, list[str]] = {}
    for topic in taxonomy:
        for word in dict.fromkeys(topic.keywords):
            topics.setdefault(word, []).append(topic.name)
    return {word: tuple(names) for word, names in topics.items()}


def assign_topics(
    title_words: Counter[str],
    body_words: Counter[str],
    taxonomy: tuple[Topic, ...],
    min_score: float,
    max_topics: int,
) -> tuple[str, ...]:
    """The best topics, strongest first; empty when nothing reaches the minimum."""
    scores = score_topics(title_words, body_words, taxonomy)
    if not scores:
        return ()
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ranked[0][1]
    keep = [name for name, s in ranked if s >= min_score and s >= best * RUNNER_UP_SHARE]
    return tuple(keep[:max_topics])
