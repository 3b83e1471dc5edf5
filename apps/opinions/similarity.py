"""Similar opinions and a suggested handling unit (承办单位), from the text alone (DOMAIN §3).

When a clerk registers an opinion the page shows the most similar open items of the same town, so that the
same matter raised by two voters can be merged, and suggests the unit that took similar items before. The
caller fetches the candidate rows; this module is pure Python (jieba for words, no models, no database).

Method: Okapi BM25 (k1=1.5, b=0.75) over jieba words, through an inverted index. It was measured against
TF-IDF (sublinear tf, cosine) on generated opinions of the demo county (apps.demo.opinion_texts: six seeds
of 2,000 opinions over ten towns, leave-one-out routing with k=10). Within a town, which is how the
platform routes (a town's history holds its own town units), BM25 routes better in every seed: 0.827
against 0.818, where 0.85 is the ceiling the generator leaves (15% of items go to a unit other than the
usual one). County-wide, a mode that mixes other towns' units in, TF-IDF is ahead by less (0.668 against
0.661), and it ranks a restated matter first a little more often (96% against 94%). The choice was made on
routing in the town, so BM25; both find every restated matter above the thresholds below.

Scores: BM25 divided by the query's score against itself, so a copy scores 1 and scores read as "how much
of the query is matched"; clipped at 1. Show them as a percentage (round(score * 100)). On the demo texts
a restated matter (the same road raised again in other words) scores 0.68-1.0, an opinion of the same
topic about another matter has a median of 0.16, an unrelated one stays below 0.3 (95% below 0.1). A
restatement in freely chosen words (the tests' handwritten pairs) scores 0.3-0.6. Hence `similar()`
defaults to 0.2, which drops unrelated items and keeps candidates worth a look; a "probably the same
matter" badge fits at 0.5.

Cost: jieba loads its dictionary once per process (0.6-0.8 s; it caches it as jieba.cache in the system
temp directory). An index over 2,000 opinions of ~75 characters builds in about 0.5 s, nearly all of it
jieba; segmentation is cached per text, so rebuilding it over the same texts takes 30-50 ms. A query
takes under 1 ms; routing_hit_rate over 2,000 items about 1 s.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from functools import lru_cache
from typing import Generic, TypeVar

import jieba

jieba.setLogLevel(logging.WARNING)  # its INFO lines ("Building prefix dict ...") are noise in logs

K = TypeVar("K", bound=Hashable)

# Words found in nearly every opinion, whatever its matter: how it was collected (走访, 接待日), who asks
# (群众, 村民) and how (希望, 恳请). IDF weighs them down anyway; dropping them keeps short texts focused.
STOP_WORDS = frozenset(
    """
    的 地 得 了 着 过 和 与 及 以及 或 并 而 且 但 是 在 有 也 都 就 还 又 再 已 已经 曾 将 把 被 为 以 从
    到 至 给 让 向 对 于 由 这 那 该 其 之 此 此事 某 很 较 太 更 最 不 没 没有 无 未 一 一些 一个 这个 这些
    那些 我 我们 你 他 他们 她 它 大家 自己 能 能够 可以 会 要 需要 要求 希望 盼望 请 请求 恳请 建议
    关于 反映 提出 了解 了解到 据 多次 及时 尽快 早日 予以 重视 意见 问题 情况 有关 相关 部门 进行 解决
    群众 村民 居民 选民 老百姓 群众反映 村民反映 居民反映 选民反映 方便群众 代表 走访 网格 联络站
    接待日 时 中 后 前 上 下 村 户 人 年 号 十分 非常 比较 特别 尤为 只能 不少 主要 受到 目前 现在
    近来 近期 一直 仍 仍然
    """.split()
)
_NUMBER = re.compile(r"[\d.,%％]+")
MIN_VOTE = 0.05  # a past item less similar than this does not vote for its unit


def tokens(text: str) -> list[str]:
    """The words of `text` that can tell one matter from another."""
    return list(_tokens(text))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    # Cached: the same candidate texts are segmented again on every registration, and jieba is the cost.
    # 8192 texts of a few hundred characters hold about 10 MB per process.
    return tuple(w for w in (w.strip().lower() for w in jieba.lcut(text)) if _is_word(w))


def _is_word(word: str) -> bool:
    if not word or word in STOP_WORDS or _NUMBER.fullmatch(word):
        return False
    return any(unicodedata.category(ch)[0] in "LN" for ch in word)  # not punctuation or symbols only


class Index(Generic[K]):
    """Okapi BM25 over the words of texts, searchable by text. Keys must be hashable.

    A score is the BM25 score divided by the query's score against itself, so a text scores 1 against
    its copy (clipped at 1: a longer text repeating the query's rarest words can score above it)."""

    k1 = 1.5
    b = 0.75

    def __init__(self, items: Iterable[tuple[K, str]]):
        self.keys: list[K] = []
        self.terms: list[Counter[str]] = []  # per text, its words counted; what query_terms takes
        for key, text in items:
            self.keys.append(key)
            self.terms.append(Counter(_tokens(text)))
        self._positions: dict[K, list[int]] = defaultdict(list)
        for position, key in enumerate(self.keys):
            self._positions[key].append(position)
        self._df = Counter(term for counts in self.terms for term in counts)
        self._avg_length = sum(counts.total() for counts in self.terms) / len(self.keys) if self.keys else 1.0
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, counts in enumerate(self.terms):
            length = counts.total()
            for term, count in counts.items():
                self._postings[term].append((position, self._saturate(count, length)))

    def __len__(self) -> int:
        return len(self.keys)

    def _saturate(self, count: int, length: int) -> float:
        return count * (self.k1 + 1) / (count + self.k1 * (1 - self.b + self.b * length / self._avg_length))

    def _idf(self, term: str) -> float:
        # The non-negative variant (as in Lucene): a word in most texts still counts a little.
        n, df = len(self.keys), self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def query(
        self, text: str, k: int = 5, min_score: float = 0.0, exclude: Collection[K] | None = None
    ) -> list[tuple[K, float]]:
        """The k keys most similar to `text`, best first, with scores in 0..1 above `min_score`; keys
        in `exclude` (e.g. the item itself) are left out."""
        return self.query_terms(Counter(_tokens(text)), k, min_score, exclude)

    def query_terms(
        self, counts: Counter[str], k: int = 5, min_score: float = 0.0, exclude: Collection[K] | None = None
    ) -> list[tuple[K, float]]:
        """`query` for words already counted (an entry of `terms`), so leave-one-out needs no jieba."""
        idf = {term: self._idf(term) for term in counts}
        best_possible = sum(idf[t] * self._saturate(c, counts.total()) for t, c in counts.items())
        if not best_possible:
            return []
        scores: dict[int, float] = defaultdict(float)
        for term, weight in idf.items():
            for position, saturated in self._postings.get(term, ()):
                scores[position] += weight * saturated
        for key in exclude or ():
            for position in self._positions.get(key, ()):
                scores.pop(position, None)
        best = heapq.nlargest(k, scores.items(), key=lambda item: (item[1], -item[0]))
        # Rounding hides float noise (a copy scores 0.9999999) so thresholds and percentages behave.
        normalised = [(self.keys[p], round(min(s / best_possible, 1.0), 6)) for p, s in best]
        return [(key, score) for key, score in normalised if score > min_score]


def similar(
    text: str, candidates: Iterable[tuple[K, str]], k: int = 5, min_score: float = 0.2
) -> list[tuple[K, float]]:
    """The candidates (key, text) most like `text`, best first; for one-off use, e.g. the open items of a
    town when a new opinion is registered."""
    return Index(candidates).query(text, k=k, min_score=min_score)


def suggest_unit(
    text: str, history: Iterable[tuple[str, K]], k: int = 10, min_score: float = MIN_VOTE
) -> list[tuple[K, float]]:
    """Up to three units for `text`, best first, from the past (text, unit) pairs: the k most similar past
    items vote with their similarity. The float is the unit's share of the vote (0..1)."""
    history = list(history)
    index = Index((position, item_text) for position, (item_text, _unit) in enumerate(history))
    return _vote(index, Counter(_tokens(text)), [unit for _text, unit in history], k, min_score)


def _vote(
    index: Index[int], counts: Counter[str], units: Sequence[K], k: int, min_score: float, exclude=None
) -> list[tuple[K, float]]:
    votes: dict[K, float] = defaultdict(float)  # insertion order: the nearest neighbour's unit wins a tie
    for position, score in index.query_terms(counts, k=k, min_score=min_score, exclude=exclude):
        votes[units[position]] += score
    total = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda item: -item[1])[:3]
    return [(unit, round(score / total, 6)) for unit, score in ranked]


def routing_hit_rate(items: Sequence[tuple[str, K]], k: int = 10) -> tuple[float, int]:
    """Leave-one-out accuracy of `suggest_unit` on past (text, unit) pairs: each item is routed from all
    the others; a hit is a first suggestion equal to its unit. Returns (rate, number of items)."""
    if not items:
        return 0.0, 0
    index = Index((position, text) for position, (text, _unit) in enumerate(items))
    units = [unit for _text, unit in items]
    hits = 0
    for position, counts in enumerate(index.terms):
        # The item stays in the document frequencies, a negligible leak for hundreds of items.
        ranked = _vote(index, counts, units, k, MIN_VOTE, exclude=(position,))
        hits += bool(ranked) and ranked[0][0] == units[position]
    return hits / len(items), len(items)


# --- the topic key (issue 18 part 2): what the supervision roll-up groups opinions by ----------------------
# The category plus one normalised word of the title that names the matter (a noun: 供水, 漫水桥, 住房), with
# the place left out (the village's own name, 三组, ...小区), so that the same matter raised in different
# villages groups together. On the demo texts 2,000 opinions fall into about 130 keys.
_PLACE = re.compile(r"[一二三四五六七八九十\d]+组|[\u4e00-\u9fff]{1,4}?(?:村|社区|小区|片区|镇|街道)")
_PLACE_FLAGS = frozenset({"nr", "ns", "nt", "nz"})
TOPIC_KEY_MAX = 40


def topic_key(topic: str, title: str, places: Iterable[str] = ()) -> str:
    """`<category>:<word>` for an opinion: the category and the first noun of the title that is not a
    place or a stop word (else its first word), lower-cased; `<category>:` when the title has none."""
    import jieba.posseg as pseg

    text = unicodedata.normalize("NFKC", title or "")
    for place in sorted((p for p in places if p), key=len, reverse=True):
        text = text.replace(place, " ")
    text = _PLACE.sub(" ", text)
    words = [
        (w.strip().lower(), flag)
        for w, flag in pseg.lcut(text)
        if len(w.strip()) >= 2 and _is_word(w.strip().lower())
    ]
    word = next((w for w, flag in words if flag.startswith("n") and flag not in _PLACE_FLAGS), "")
    if not word and words:
        word = words[0][0]
    return f"{topic}:{word}"[:TOPIC_KEY_MAX]
