"""Which people, characters and shows a query names, misspelt or not. Pure Python.

The candidates come from the database's own fuzzy index (the mention matcher's
word index on SQLite, pg_trgm on PostgreSQL); this module decides, the same way
on both, which candidates the reader meant and in what order.

A candidate is a match when every word of the query is accounted for by it —
a word of one of its names, written exactly, as the start of the word, or within
one or two typing slips — or by what it is ("actress" for a person, "series" for
a show); or when one of its names is written in full inside the query ("chicago
pd wedding" names *Chicago P.D.*). Misspelt words give a "Did you mean".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from articles.search.query import STOP_WORDS, words_of

KIND_WORDS = {
    "person": frozenset(
        "actor actors actress actresses star stars singer comedian host presenter director "
        "writer producer creator cast".split()
    ),
    "character": frozenset("character characters role".split()),
    "show": frozenset(
        "show shows series sitcom drama film films movie movies season seasons episode "
        "episodes soap miniseries special".split()
    ),
}

EXACT, PREFIX, NEAR = 1.0, 0.9, 0.75


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str
    id: int
    names: tuple[str, ...]  # name first, then aliases


@dataclass(slots=True)
class NameMatch:
    kind: str
    id: int
    score: float  # 0-100
    name: str  # the name or alias that matched best
    corrections: dict[str, str] = field(default_factory=dict)  # query word -> name word

    @property
    def misspelt(self) -> bool:
        return bool(self.corrections)


def allowed_slips(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) <= 6 else 2


def word_match(query_word: str, name_word: str) -> float:
    if query_word == name_word:
        return EXACT
    if len(query_word) >= 3 and name_word.startswith(query_word):
        return PREFIX
    slips = allowed_slips(name_word)
    if (
        slips
        and abs(len(query_word) - len(name_word)) <= slips
        and Levenshtein.distance(query_word, name_word, score_cutoff=slips) <= slips
    ):
        return NEAR
    return 0.0


def _score(words: list[str], kind: str, name: str) -> tuple[float, dict[str, str]] | None:
    name_words = words_of(name)
    significant = [w for w in name_words if w not in STOP_WORDS] or name_words
    if not significant:
        return None
    explained = 0.0
    corrections: dict[str, str] = {}
    covered: set[str] = set()
    kind_words = KIND_WORDS[kind]
    all_explained = True
    for word in words:
        best, best_word = 0.0, ""
        for name_word in name_words:
            quality = word_match(word, name_word)
            if quality > best:
                best, best_word = quality, name_word
        if best:
            covered.add(best_word)
            if best == NEAR:
                corrections[word] = best_word
        elif word in kind_words:
            best = 0.5
        else:
            all_explained = False
        explained += best
    cover = sum(1 for w in significant if w in covered) / len(significant)
    if not (all_explained or cover == 1.0):
        return None
    if not covered:
        return None
    exact = " ".join(name_words) == " ".join(words)
    score = 100.0 if exact else 40 * explained / len(words) + 50 * cover
    return score, corrections


def best_matches(
    query_words: list[str], candidates: list[Candidate], limit: int
) -> list[NameMatch]:
    """The candidates the query names, best first."""
    words = [w for w in query_words if w not in STOP_WORDS] or list(query_words)
    if not words:
        return []
    found = []
    for candidate in candidates:
        best = None
        for name in candidate.names:
            scored = _score(words, candidate.kind, name)
            if scored and (best is None or scored[0] > best.score):
                best = NameMatch(candidate.kind, candidate.id, scored[0], name, scored[1])
        if best:
            found.append(best)
    found.sort(key=lambda m: (-m.score, m.misspelt, m.name, m.id))
    return found[:limit]
