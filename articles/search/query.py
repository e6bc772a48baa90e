"""What a reader typed, made safe for either search engine. Pure Python.

``parse`` turns a query box into a :class:`Query`: groups of terms that must all
match (a group with more than one term is ``a OR b``), terms to leave out
(``-word``, ``-"a phrase"``) and quoted phrases. Only runs of letters and digits
ever reach a search engine: FTS5 and tsquery syntax (``"``, ``*``, ``NEAR(``,
``:``, ``&``, ``|``, ``!``, brackets) are separators here, so no input can be a
syntax error. Both the index and the query are normalised the same way
(``normalise``): accents and case folded, "P.D." written "PD".

``highlight`` marks the query's words in a story's own text, escaped.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from django.utils.html import escape

from common.text import fold_lower, join_initials

MAX_LENGTH = 200
MAX_TERMS = 12

# Words too common to narrow a search; dropped outside quotes unless the query is
# made of nothing else ("the who"). PostgreSQL's english configuration drops the
# same kind of words itself; SQLite's FTS5 does not, so the query leaves them out.
STOP_WORDS = frozenset(
    """a an and are as at be but by for from has have he her his i in into is it its
    of on or our she so than that the their them they this to was we were what when
    where which who will with you your""".split()
)

_WORD = re.compile(r"[^\W_]+")
# A query token: an optional minus, then a quoted phrase (closed or not) or a word.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def normalise(text: str) -> str:
    """Folded, lower-case text with dotted initials joined ("P.D." -> "pd")."""
    return join_initials(fold_lower(text or "").text)


def words_of(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a longer one

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


@dataclass(slots=True)
class Query:
    raw: str = ""
    groups: list[tuple[Term, ...]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    trimmed: bool = False

    def __bool__(self) -> bool:
        return bool(self.groups)

    def __str__(self) -> str:
        return self.raw  # what the reader typed (the header's search box shows it)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def words(self) -> list[str]:
        """Every word the stories should contain, in order, without repeats."""
        return list(dict.fromkeys(w for term in self.terms for w in term.words))

    @property
    def text(self) -> str:
        """The query written back out plainly, as the search understood it."""
        parts = [" OR ".join(term.text for term in group) for group in self.groups]
        parts += [f"-{term.text}" for term in self.excluded]
        return " ".join(parts)

    # -- engines -----------------------------------------------------------------
    def fts5(self) -> str:
        """An FTS5 MATCH expression: every word a quoted string, so nothing in it is
        ever read as an operator."""

        def term(t: Term) -> str:
            return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")

        parts = []
        for group in self.groups:
            if len(group) == 1:
                parts.append(term(group[0]))
            else:
                parts.append("(" + " OR ".join(term(t) for t in group) + ")")
        expression = " AND ".join(parts)
        for t in self.excluded:
            expression += f" NOT {term(t)}"
        return expression

    def websearch(self) -> tuple[str, list[str]]:
        """For PostgreSQL: a ``websearch_to_tsquery`` string, and the words to match
        as prefixes (``to_tsquery('word:*')``), which websearch syntax cannot say."""
        parts, prefixes = [], []
        for group in self.groups:
            if len(group) == 1 and group[0].prefix:
                prefixes.append(group[0].words[0])
                continue
            parts.append(" or ".join(t.text for t in group))
        parts += [f"-{t.text}" for t in self.excluded]
        return " ".join(parts), prefixes

    def relaxed(self) -> Query:
        """Any of the words instead of all of them (a fallback when nothing has all)."""
        terms = tuple(Term((w,)) for w in self.words)
        return Query(self.raw, [terms] if terms else [], list(self.excluded), self.trimmed)

    def replaced(self, corrections: dict[str, str]) -> Query:
        """The same query with some words spelled differently ("Did you mean")."""

        def fix(t: Term) -> Term:
            words = []
            for w in t.words:
                words.extend(words_of(corrections.get(w, w)))
            return Term(tuple(words), t.prefix and words[-1:] == list(t.words[-1:]))

        groups = [tuple(fix(t) for t in group) for group in self.groups]
        return Query(self.raw, groups, list(self.excluded), self.trimmed)


def parse(raw: str, *, max_length: int = MAX_LENGTH, prefix: bool = True) -> Query:
    """Read a reader's query. Never raises, whatever ``raw`` holds."""
    raw = "".join(ch for ch in str(raw or "") if ch.isprintable() or ch.isspace())
    raw = " ".join(raw.split())
    query = Query(raw[:max_length], trimmed=len(raw) > max_length)
    pending_or = False
    terms = 0
    for match in _TOKEN.finditer(query.raw):
        minus, phrase, word = match.groups()
        if word == "OR":
            pending_or = bool(query.groups)
            continue
        if word is not None:
            minus = "-" if word.startswith("-") and len(word) > 1 else ""
            word = word[1:] if minus else word
        words = tuple(words_of(phrase if phrase is not None else word))
        if phrase is None and not minus:
            meaningful = tuple(w for w in words if w not in STOP_WORDS)
            if meaningful and len(words) == 1:
                words = meaningful
            elif not meaningful and len(words) == 1:
                # Kept only if the query turns out to have nothing else (below).
                words = tuple(f"\0{w}" for w in words)
        if not words:
            pending_or = False
            continue
        if terms >= MAX_TERMS:
            query.trimmed = True
            break
        terms += 1
        term = Term(words)
        if minus:
            if not any(w.startswith("\0") for w in words):
                query.excluded.append(term)
            pending_or = False
            continue
        if pending_or and query.groups:
            query.groups[-1] = (*query.groups[-1], term)
        else:
            query.groups.append((term,))
        pending_or = False

    # Stop words (marked "\0"): dropped when the query has other words, else kept.
    def strip_marks(t: Term) -> Term:
        return Term(tuple(w.lstrip("\0") for w in t.words), t.prefix)

    has_real = any(not w.startswith("\0") for t in query.terms for w in t.words)
    groups = []
    for group in query.groups:
        kept = tuple(
            strip_marks(t) for t in group if not (has_real and t.words[0].startswith("\0"))
        )
        if kept:
            groups.append(kept)
    query.groups = groups

    # Search as you type: the last plain word also matches longer words.
    if prefix and groups and len(groups[-1]) == 1:
        last = groups[-1][0]
        ends_in_word = bool(re.search(r"[^\W_]$", query.raw))
        if not last.phrase and len(last.words[0]) >= 3 and ends_in_word:
            groups[-1] = (Term(last.words, prefix=True),)
    return query


# -- highlighting ------------------------------------------------------------------


def _word_pattern(word: str, prefix: bool) -> str:
    """A regular expression for the words of a text that answer one query word. Both
    engines stem ("weddings" finds "wedding"), so the highlight is as forgiving: the
    word itself, the word with up to three more letters, the word less up to three
    letters (never under four), and with ``prefix`` any word it begins."""
    escaped = re.escape(word)
    forms = [escaped + (r"\w*" if prefix else (r"\w{0,3}" if len(word) >= 4 else ""))]
    forms += [re.escape(word[:k]) for k in range(max(4, len(word) - 3), len(word))]
    return "|".join(forms)


@functools.lru_cache(maxsize=256)
def _pattern(wanted: tuple[tuple[str, bool], ...]) -> re.Pattern:
    alternatives = "|".join(_word_pattern(word, prefix) for word, prefix in wanted)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _spans(text: str, query: Query) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of each word that answers the query."""
    wanted = tuple(
        dict.fromkeys((w, t.prefix and w == t.words[-1]) for t in query.terms for w in t.words)
    )
    if not wanted or not text:
        return []
    folded = fold_lower(text)
    return [
        folded.original_span(m.start(), m.end()) for m in _pattern(wanted).finditer(folded.text)
    ]


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in spans:
        out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def highlight(text: str, query: Query) -> str:
    """``text`` escaped, with the query's words in ``<mark>``: safe HTML."""
    return _marked(text, _spans(text, query))


def passage(paragraphs: list[str], query: Query, words: int = 36) -> str:
    """The window of about ``words`` words with the most query words in it, escaped
    and marked; the opening words of the story when nothing matches."""
    wanted = len(query.words)
    best = (0, 0, 0, None)  # (distinct words found, hits, -paragraph, window)
    for index, paragraph in enumerate(paragraphs):
        spans = _spans(paragraph, query)
        if not spans:
            continue
        starts = [m.start() for m in _WORD.finditer(paragraph)]
        found = [fold_lower(paragraph[a:b]).text for a, b in spans]
        for first in spans:
            # Begin a few words before this hit, end ``words`` words later.
            i = max(0, bisect.bisect_left(starts, first[0]) - 6)
            begin = starts[i]
            end = starts[i + words] if i + words < len(starts) else len(paragraph)
            inside = [k for k, (a, b) in enumerate(spans) if a >= begin and b <= end]
            score = (len({found[k] for k in inside}), len(inside), -index)
            if score > best[:3]:
                best = (*score, (index, begin, end, [spans[k] for k in inside]))
        if best[0] >= wanted:
            break  # every query word in one window: no better one to find
    if best[3] is None:
        opening = " ".join(" ".join(paragraphs).split()[:words])
        return escape(opening) + (" …" if opening else "")
    index, begin, end, inside = best[3]
    paragraph = paragraphs[index]
    shifted = [(a - begin, b - begin) for a, b in inside]
    text = _marked(paragraph[begin:end], shifted)
    return ("… " if begin else "") + text + (" …" if end < len(paragraph) else "")
