"""Assign 1 to 3 taxonomy topics per article, scored on jieba tokens.

Keyword hits in the headline count three times; a topic must reach the
configured minimum score, and a weak runner-up (under a third of the best)
is dropped. An article that matches nothing gets no topic rather than a
wrong one.
"""

from __future__ import annotations

from collections import Counter

from .config import Topic
from .textutil import search_words, to_simplified

TITLE_WEIGHT = 3.0


def score_topics(title: str, body: str, taxonomy: tuple[Topic, ...]) -> dict[str, float]:
    title_counts = Counter(search_words(to_simplified(title)))
    body_counts = Counter(search_words(to_simplified(body)))
    scores: dict[str, float] = {}
    for topic in taxonomy:
        score = 0.0
        for word in topic.keywords:
            score += TITLE_WEIGHT * title_counts.get(word, 0) + body_counts.get(word, 0)
        if score:
            scores[topic.name] = score
    return scores


def assign_topics(
    title: str, body: str, taxonomy: tuple[Topic, ...], min_score: float, max_topics: int
) -> tuple[str, ...]:
    scores = score_topics(title, body, taxonomy)
    if not scores:
        return ()
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best = ranked[0][1]
    keep = [name for name, s in ranked if s >= min_score and s >= best / 3]
    return tuple(keep[:max_topics])
