"""Find the people, characters and shows that a story names.

The matcher is built once from the talent database (a list of `Entry`) and
then scans stories. It is pure Python with no Django imports; a thin adapter
in the app turns model rows into entries.

How a story is scanned:

1. Each field (headline, dek, body paragraphs) is folded (case, accents,
   quotes, dashes; see `text.py`) and split into tokens. The tokens are joined
   with single spaces and run through one Aho-Corasick automaton whose keys are
   the folded names, also space-delimited, so only whole-token runs can match.
2. A hit survives only if the text's capitalisation fits the stored name: every
   significant word must be capitalised (small words such as "of" and "the" may
   take either case), so "she felt lost" never matches *Lost*.
3. Overlapping hits are settled longest-first: "Law & Order: Special Victims
   Unit" swallows "Law & Order", "Chicago P.D." swallows "Chicago".
4. Capitalised runs that matched nothing are checked for a name with one word
   misspelt ("Tracy Spiradakos").
5. Story-level decisions follow: one-word titles need a signal (quotes, "the
   series X", "X star", a list of titles, a related name in the story); same-
   named entries are told apart by years, kind words, hints and related names;
   a surname alone links only after its full name and when no other mentioned
   entity shares it.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

import ahocorasick
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from common.text import SMALL_WORDS, fold, fold_lower, tokenize

from . import cues

__all__ = [
    "Ambiguity",
    "Entry",
    "FindResult",
    "Link",
    "Matcher",
    "Mention",
    "Misspelling",
]

KINDS = ("person", "character", "show")
FIELDS = ("headline", "dek", "body")


@dataclass(frozen=True, slots=True)
class Entry:
    """One person, character or show as the matcher needs it."""

    kind: str  # "person" | "character" | "show"
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    # Show start year or person birth year; a year written next to a shared
    # name ("the 2011 remake") picks the entry with that year.
    year: int | None = None
    # "series", "film", "soap", "miniseries", "special" (shows only).
    show_kind: str | None = None
    # Entries this one is connected to: a person's shows and characters, a
    # character's show and performers, a show's cast. Either side may list the
    # link. Used to settle shared names and to back up one-word titles.
    related: frozenset[tuple[str, int]] = frozenset()
    # Lower-case words that, next to a shared name, point to this entry
    # ("presenter", "broadcaster"); an adapter may take them from a bio.
    hints: frozenset[str] = frozenset()

    @property
    def ref(self) -> tuple[str, int]:
        return (self.kind, self.id)


@dataclass(slots=True)
class Link:
    kind: str
    id: int
    name: str
    matched: list[str]  # distinct surface forms, as written, in story order
    first: tuple[str, int, int, int]  # (field, paragraph_index, start, end)


@dataclass(slots=True)
class Misspelling:
    text: str  # as written
    suggest: str  # the stored name
    kind: str
    id: int
    # False when nothing else in the story backs the correction up; the name
    # is then reported for review but not linked (it may be another person).
    linked: bool = True
    at: tuple[str, int, int, int] = ("", 0, 0, 0)


@dataclass(slots=True)
class Ambiguity:
    text: str
    candidates: list[tuple[str, int, str]]  # (kind, id, name)
    at: tuple[str, int, int, int] = ("", 0, 0, 0)


@dataclass(slots=True)
class Mention:
    """One accepted occurrence; `how` is "name", "short" or "misspelling"."""

    field: str
    paragraph: int
    start: int
    end: int
    kind: str
    id: int
    text: str
    how: str


@dataclass(slots=True)
class FindResult:
    linked: list[Link] = field(default_factory=list)
    misspellings: list[Misspelling] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Keys: folded, space-delimited token strings with a case pattern.
#
# Pattern letters, one per token:
#   A  any case (small words, digits, punctuation)
#   C  must start with a capital in the text
#   K  acronym (all capitals, 3+ letters): like C; all-capital text makes a
#      one-word title distinctive ("SVU")
#   L  stored in lower case ("iCarly"): the text must match exactly or be
#      capitalised
# ---------------------------------------------------------------------------

_FULL = 0
_SHORT = 1


def _classify(token: str, original: str) -> str:
    if not token[0].isalpha() or token in SMALL_WORDS:
        return "A"
    if original[:1].isupper():
        return "K" if len(original) >= 3 and original.isupper() else "C"
    return "L"


def _merge_initials(
    tokens: list[str], pattern: list[str], originals: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """Drop dots and colons, joining dotted initials: "P.D." -> "PD"."""
    out_t: list[str] = []
    out_p: list[str] = []
    out_o: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if len(tok) == 1 and tok.isalpha() and i + 1 < n and tokens[i + 1] == ".":
            j = i
            letters = []
            while (
                j + 1 < n and len(tokens[j]) == 1 and tokens[j].isalpha() and tokens[j + 1] == "."
            ):
                letters.append(originals[j])
                j += 2
            if len(letters) > 1:
                joined = "".join(letters)
                out_t.append(joined.lower())
                out_p.append(_classify(joined.lower(), joined))
                out_o.append(joined)
                i = j
                continue
        if tok not in (".", ":"):
            out_t.append(tok)
            out_p.append(pattern[i])
            out_o.append(originals[i])
        i += 1
    return out_t, out_p, out_o


def key_variants(name: str) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """Folded token tuples for a stored name, with case patterns.

    Besides the name itself: "&" and "and" swapped both ways ("Law and Order"),
    and a form without dots and colons ("Chicago PD", "CSI Miami").
    """
    folded = fold_lower(name)
    tokens, starts, ends = tokenize(folded.text)
    if not tokens:
        return []
    if folded.offsets is None:
        originals = [fold(name[s:e]) for s, e in zip(starts, ends, strict=True)]
    else:
        originals = [
            fold(name[slice(*folded.original_span(s, e))])
            for s, e in zip(starts, ends, strict=True)
        ]
    pattern = [_classify(t, o) for t, o in zip(tokens, originals, strict=True)]
    if not ("&" in tokens or "and" in tokens or "." in tokens or ":" in tokens):
        return [(tuple(tokens), "".join(pattern), tuple(originals))]  # the usual case
    variants = [(tokens, pattern, originals)]
    if "&" in tokens or "and" in tokens:
        swap = {"&": "and", "and": "&"}
        variants.append(
            ([swap.get(t, t) for t in tokens], pattern, [swap.get(o, o) for o in originals])
        )
    if "." in tokens or ":" in tokens:
        variants += [_merge_initials(*v) for v in variants]
    out = []
    seen = set()
    for toks, pat, origs in variants:
        key = tuple(toks)
        if key and key not in seen:
            seen.add(key)
            out.append((key, "".join(pat), tuple(origs)))
    return out


def surname_of(name: str) -> str | None:
    """The family name of a multi-word personal name, or None.

    "Jesse Lee Soffer" -> "Soffer", "Robert Downey Jr." -> "Downey",
    "Vincent van Gogh" -> "van Gogh", "Captain America" -> None.
    """
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in cues.NAME_SUFFIXES:
        words.pop()
    if words and words[-1].endswith(","):
        words[-1] = words[-1][:-1]
    if words and words[0].lower().strip(".") in cues.HONORIFICS:
        words = words[1:]
    if len(words) < 2 or "(" in name:
        return None
    i = len(words) - 1
    while i - 1 >= 1 and words[i - 1].lower() in cues.SURNAME_PARTICLES:
        i -= 1
    return " ".join(words[i:])


def _word_tokens(name: str) -> list[str]:
    """Folded letter/digit tokens of a name (punctuation dropped)."""
    return [t for t in tokenize(fold_lower(name).text)[0] if t[0].isalnum()]


def _search_words(text: str) -> list[str]:
    """Words for site search: like `_word_tokens`, with "&" read as "and"."""
    return [
        "and" if t == "&" else t
        for t in tokenize(fold_lower(text).text)[0]
        if t[0].isalnum() or t == "&"
    ]


# ---------------------------------------------------------------------------
# Per-scan state
# ---------------------------------------------------------------------------

_FIELD_RANK = {"headline": 0, "dek": 1, "body": 2}
_YEAR_RE = re.compile(r"(18[89]\d|19\d\d|20\d\d|2100)$")
_TITLECASE_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019-]*")


def _is_title_case(text: str) -> bool:
    """True for headline-style text where capitals say nothing about names."""
    words = [w for w in _TITLECASE_WORD_RE.findall(text) if w.lower() not in SMALL_WORDS]
    if len(words) < 4:
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words)


class _Segment:
    """One field or paragraph: original text and its folded tokens."""

    __slots__ = ("field", "oends", "ostarts", "para", "rank", "text", "title_case", "tokens")

    def __init__(self, field_name: str, para: int, text: str) -> None:
        self.field = field_name
        self.para = para
        self.rank = (_FIELD_RANK[field_name], para)
        self.text = text
        folded = fold_lower(text)
        tokens, starts, ends = tokenize(folded.text)
        self.tokens = tokens
        if folded.offsets is None:
            self.ostarts, self.oends = starts, ends
        else:
            offsets = folded.offsets
            self.ostarts = [offsets[s] for s in starts]
            self.oends = [offsets[e - 1] + 1 for e in ends]
        # Capitals carry no information in a headline set in title case or
        # all capitals, so one-word titles there need some other signal.
        self.title_case = field_name != "body" and (_is_title_case(text) or text.isupper())

    # -- token helpers -----------------------------------------------------

    def is_word(self, t: int) -> bool:
        return 0 <= t < len(self.tokens) and self.tokens[t][0].isalnum()

    def attached(self, a: int, b: int) -> bool:
        """Token a is directly followed by token b (no space)."""
        return self.oends[a] == self.ostarts[b]

    def capitalised(self, t: int) -> bool:
        return self.text[self.ostarts[t]].isupper()

    def surface(self, t0: int, t1: int) -> str:
        return self.text[self.ostarts[t0] : self.oends[t1 - 1]]

    def sentence_initial(self, t0: int) -> bool:
        j = t0 - 1
        while j >= 0 and self.tokens[j] in cues.OPENERS:
            j -= 1
        return j < 0 or self.tokens[j] in cues.TERMINATORS

    def elided(self, t0: int) -> bool:
        """The token follows an apostrophe glued to a word: the "Brien" of O'Brien."""
        return (
            t0 >= 2
            and self.tokens[t0 - 1] == "'"
            and self.is_word(t0 - 2)
            and self.attached(t0 - 2, t0 - 1)
            and self.attached(t0 - 1, t0)
        )

    def quoted(self, t0: int, t1: int) -> bool:
        """The match is exactly what a pair of quotes encloses: 'Psych', "Psych"."""
        toks = self.tokens
        n = len(toks)
        if t0 == 0 or toks[t0 - 1] not in ("'", '"') or not self.attached(t0 - 1, t0):
            return False
        quote = toks[t0 - 1]
        if t0 >= 2 and self.is_word(t0 - 2) and self.attached(t0 - 2, t0 - 1):
            return False
        j = t1
        if j < n and toks[j] in (".", ",", "!", "?") and self.attached(j - 1, j):
            j += 1
        if j >= n or toks[j] != quote or not self.attached(j - 1, j):
            return False
        # An apostrophe followed by letters is a possessive, not a quote.
        return not (self.is_word(j + 1) and self.attached(j, j + 1))

    def word_after(self, t1: int) -> int | None:
        """Index of the word after a match, past a possessive ("Lost's finale")."""
        toks = self.tokens
        j = t1
        if j < len(toks) and toks[j] == "'" and self.attached(j - 1, j):
            j += 2 if (self.is_word(j + 1) and toks[j + 1] == "s") else 1
        return j if self.is_word(j) else None

    def pre_cue(self, t0: int) -> bool:
        toks = self.tokens
        j = t0 - 1
        if not self.is_word(j):
            return False
        tok = toks[j]
        if tok == "s" and j >= 2 and toks[j - 1] == "'" and self.is_word(j - 2):
            # "NBC's Friends", "2004's Shameless"
            owner = self.text[self.ostarts[j - 2] : self.oends[j - 2]]
            return owner.isdigit() or (len(owner) >= 2 and owner.isupper())
        if tok in cues.PRE_CUES:
            if tok in cues.VERBAL_CUES:
                return not (self.is_word(j - 1) and toks[j - 1] in cues.VERB_MARKERS)
            return True
        if tok == "as":  # "such as Psych"
            return self.is_word(j - 1) and toks[j - 1] == "such"
        if tok == "of":
            return self.is_word(j - 1) and toks[j - 1] in cues.OF_HEADS
        if tok == "in":
            return self.is_word(j - 1) and toks[j - 1] in cues.IN_HEADS
        return False

    def post_cue(self, t1: int) -> bool:
        j = self.word_after(t1)
        if j is not None:
            return self.tokens[j] in cues.POST_CUES
        return self.appositive_cue(t1)

    def appositive_cue(self, t1: int) -> bool:
        """A describing phrase after a comma: "Shameless, the 2011 remake"."""
        toks = self.tokens
        if t1 + 2 >= len(toks) or toks[t1] != "," or toks[t1 + 1] not in cues.DETERMINERS:
            return False
        for j in range(t1 + 2, min(t1 + 6, len(toks))):
            if not toks[j][0].isalnum():
                return False
            if toks[j] in cues.TITLE_NOUNS:
                return True
        return False

    def possessor(self, t0: int) -> str | None:
        """The folded word before "'s" right before a match ("Showtime's")."""
        toks = self.tokens
        j = t0 - 1
        if j >= 2 and toks[j] == "s" and toks[j - 1] == "'" and self.is_word(j - 2):
            return toks[j - 2]
        return None

    def caps_neighbour(self, t0: int, t1: int, allow_title: bool = False) -> bool:
        """A capitalised word touches the match: "Us Weekly", "Paradise Lost".

        A sentence's first word does not count, nor, with `allow_title`, a
        form of address ("Detective Halstead").
        """
        j = t0 - 1
        # The first word of a sentence is capitalised anyway ("Former Psych
        # partners"), so its capital says nothing.
        if (
            self.is_word(j)
            and self.capitalised(j)
            and not self.sentence_initial(j)
            and not (allow_title and self.tokens[j] in cues.HONORIFICS)
        ):
            return True
        j = t1
        return self.is_word(j) and self.capitalised(j) and self.tokens[j] not in cues.POST_CUES

    def window(self, t0: int, t1: int, before: int, after: int) -> list[tuple[int, str]]:
        """Words near a match within its sentence, as (distance, token)."""
        toks = self.tokens
        out = []
        j, seen = t0 - 1, 0
        while j >= 0 and seen < before and toks[j] not in cues.TERMINATORS:
            if toks[j][0].isalnum():
                seen += 1
                out.append((seen, toks[j]))
            j -= 1
        j, seen = t1, 0
        while j < len(toks) and seen < after and toks[j] not in cues.TERMINATORS:
            if toks[j][0].isalnum():
                seen += 1
                out.append((seen, toks[j]))
            j += 1
        return out


@dataclass(slots=True, frozen=True)
class _Context:
    """What the words around a hit say; computed once per hit."""

    strong: bool  # two or more significant words: capitals alone are enough
    bare: bool  # no word whose case can be checked ("24", "9-1-1")
    noun_cue: bool  # a title noun right before it ("the series 24")
    acronym: bool  # a single all-capitals word of 3+ letters ("SVU")
    quoted: bool
    pre_cue: bool
    post_cue: bool
    caps_neighbour: bool
    initial: bool  # first word of a sentence
    possessor: str | None
    window: list[tuple[int, str]]


@dataclass(slots=True, eq=False)
class _Hit:
    """A candidate occurrence of a stored name in one segment."""

    seg: _Segment
    t0: int
    t1: int
    full: tuple[int, ...]  # entries this is a full name of
    short: tuple[int, ...]  # entries this is a surname/short form of
    pattern: str
    fuzzy: bool = False
    suggest: str = ""
    accepted: int | None = None
    how: str = ""
    _context: _Context | None = None

    def context(self) -> _Context:
        if self._context is None:
            seg, t0, t1 = self.seg, self.t0, self.t1
            significant = sum(1 for c in self.pattern if c != "A")
            self._context = _Context(
                strong=significant >= 2,
                bare=significant == 0,
                noun_cue=seg.is_word(t0 - 1) and seg.tokens[t0 - 1] in cues.TITLE_NOUNS,
                acronym=significant == 1
                and "K" in self.pattern
                and seg.surface(t0, t1).replace(" ", "").isupper(),
                quoted=seg.quoted(t0, t1),
                pre_cue=seg.pre_cue(t0),
                post_cue=seg.post_cue(t1),
                caps_neighbour=seg.caps_neighbour(t0, t1),
                initial=seg.sentence_initial(t0),
                possessor=seg.possessor(t0),
                window=seg.window(t0, t1, 6, 4),
            )
        return self._context

    @property
    def pos(self) -> tuple[int, int, int]:
        return (*self.seg.rank, self.t0)

    @property
    def text(self) -> str:
        return self.seg.surface(self.t0, self.t1)

    @property
    def at(self) -> tuple[str, int, int, int]:
        return (
            self.seg.field,
            self.seg.para,
            self.seg.ostarts[self.t0],
            self.seg.oends[self.t1 - 1],
        )


def _targets(packed: int | tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    items = (packed,) if isinstance(packed, int) else packed
    full = tuple(p >> 1 for p in items if not p & 1)
    short = tuple(p >> 1 for p in items if p & 1)
    return full, short


# ---------------------------------------------------------------------------
# The matcher
# ---------------------------------------------------------------------------


class Matcher:
    """Index of stored names; build once per talent-database version."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        # The build makes about a million small objects, none in reference
        # cycles; pausing the cyclic collector saves it re-scanning them
        # over and over (a third of the build time at 100,000 names).
        paused = gc.isenabled()
        gc.disable()
        try:
            self._build(list(entries))
        finally:
            if paused:
                gc.enable()

    def _build(self, entries: list[Entry]) -> None:
        self.entries: list[Entry] = entries
        self._index: dict[tuple[str, int], int] = {}
        for i, entry in enumerate(self.entries):
            if entry.kind not in KINDS:
                raise ValueError(f"unknown kind {entry.kind!r} for {entry.name!r}")
            self._index[entry.ref] = i

        key_ids: dict[str, int] = {}
        self._key_len: list[int] = []  # length of the space-delimited key string
        self._key_ntok: list[int] = []
        self._key_pattern: list[str] = []
        self._key_exact: dict[int, tuple[str, ...]] = {}  # originals, for "L" tokens
        # Targets per key: a packed int (entry << 1 | short) or a tuple of them.
        self._key_targets: list[int | tuple[int, ...]] = []
        patterns: dict[str, str] = {}  # interned pattern strings

        # Near-miss index: "<n>:<i>:<the other tokens>" -> [(entry, token i, name)]
        self._near: dict[str, list[tuple[int, str, str]]] = {}
        # Inverted index word -> entries, for suggest() and the known-word check.
        self._words: dict[str, list[int]] = {}

        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)

        def add(tokens: tuple[str, ...], pattern: str, originals, target: int) -> None:
            key = " " + " ".join(tokens) + " "
            kid = key_ids.get(key)
            if kid is None:
                kid = len(self._key_len)
                key_ids[key] = kid
                self._key_len.append(len(key))
                self._key_ntok.append(len(tokens))
                self._key_pattern.append(patterns.setdefault(pattern, pattern))
                self._key_targets.append(target)
                if "L" in pattern:
                    self._key_exact[kid] = originals
                automaton.add_word(key, kid)
                return
            old = self._key_pattern[kid]
            if old != pattern:
                # Two spellings fold alike: keep the most permissive case rule.
                merged = "".join(
                    "A" if "A" in (a, b) else "L" if "L" in (a, b) else "C" if "C" in (a, b) else a
                    for a, b in zip(old, pattern, strict=True)
                )
                self._key_pattern[kid] = patterns.setdefault(merged, merged)
                if "L" in pattern and kid not in self._key_exact:
                    self._key_exact[kid] = originals
            current = self._key_targets[kid]
            if isinstance(current, int):
                if current != target:
                    self._key_targets[kid] = (current, target)
            elif target not in current:
                self._key_targets[kid] = (*current, target)

        variant_cache: dict[str, list] = {}
        for idx, entry in enumerate(self.entries):
            is_named = entry.kind != "show"
            primary_words = len(entry.name.split())
            forms: list[tuple[str, int]] = [(entry.name, _FULL)]
            for alias in entry.aliases:
                one_word = len(alias.split()) == 1
                forms.append(
                    (alias, _SHORT if is_named and one_word and primary_words > 1 else _FULL)
                )
            if is_named:
                surname = surname_of(entry.name)
                if surname:
                    forms.append((surname, _SHORT))
            for text, form in forms:
                variants = variant_cache.get(text)
                if variants is None:
                    # A name of punctuation alone could never be told from copy.
                    variants = [v for v in key_variants(text) if any(t[0].isalnum() for t in v[0])]
                    if " " not in text:
                        variant_cache[text] = variants  # surnames repeat a lot
                for tokens, pattern, originals in variants:
                    add(tokens, pattern, originals, idx << 1 | form)
                # The first variant is the name itself.
                words = [t for t in variants[0][0] if t[0].isalnum()] if variants else []
                for w in words:
                    postings = self._words.setdefault(w, [])
                    if not postings or postings[-1] != idx:
                        postings.append(idx)
                if is_named and form == _FULL and 2 <= len(words) <= 4:
                    n = len(words)
                    for i, w in enumerate(words):
                        if len(w) >= 5:
                            others = " ".join(words[:i] + words[i + 1 :])
                            self._near.setdefault(f"{n}:{i}:{others}", []).append((idx, w, text))

        self._automaton = automaton
        if key_ids:
            automaton.make_automaton()
        self._vocabulary = sorted(self._words)
        self._name_keys_cache: dict[int, str] = {}
        self._surnames_cache: dict[int, list[str]] = {}

    # -- public API ----------------------------------------------------------

    def find(
        self,
        headline: str = "",
        dek: str = "",
        body: Sequence[str] | str = (),
        *,
        known: Iterable[tuple[str, int]] = (),
    ) -> FindResult:
        """Find what a story names.

        `known` lists (kind, id) refs treated as already named in full before
        the story starts (e.g. when scanning one paragraph on its own).
        """
        if isinstance(body, str):
            body = [body]
        segments = []
        if headline:
            segments.append(_Segment("headline", 0, headline))
        if dek:
            segments.append(_Segment("dek", 0, dek))
        segments += [_Segment("body", i, p) for i, p in enumerate(body) if p]
        prior = [self._index[r] for r in known if r in self._index]
        return self._analyse(segments, prior)

    def spans(
        self, text: str, known: Iterable[tuple[str, int]] = ()
    ) -> list[tuple[int, int, str, int]]:
        """(start, end, kind, id) of each accepted mention in one text."""
        result = self.find(body=[text], known=known)
        return [(m.start, m.end, m.kind, m.id) for m in result.mentions]

    def suggest(self, query: str, limit: int = 5) -> list[tuple[Entry, float]]:
        """Fuzzy name lookup for site search, best first, scores 0-100."""
        words = _search_words(query)
        if not words:
            return []
        norm_query = " ".join(words)
        # Entry -> evidence: 2 per query word found exactly, 1 per near word.
        candidates: dict[int, int] = {}
        vocab = self._vocabulary
        for w in words:
            found: set[str] = set()
            if w in self._words:
                found.add(w)
            if len(w) >= 3:
                # Prefixes: search-as-you-type ("spirid").
                i = bisect.bisect_left(vocab, w)
                while i < len(vocab) and vocab[i].startswith(w) and len(found) < 40:
                    found.add(vocab[i])
                    i += 1
            if len(w) >= 4:
                max_edits = 1 if len(w) <= 5 else 2
                for near, _dist, _ in process.extract_iter(
                    w, vocab, scorer=Levenshtein.distance, score_cutoff=max_edits
                ):
                    found.add(near)
            for near in found:
                postings = self._words[near]
                if len(postings) > 5000 and len(words) > 1:
                    continue  # a very common word adds nothing to a multi-word query
                weight = 2 if near == w else 1
                for idx in postings:
                    candidates[idx] = candidates.get(idx, 0) + weight
        if not candidates:
            return []
        # Keep the entries that share the most query words, then rank by
        # similarity of whole names.
        best = sorted(candidates.items(), key=lambda kv: -kv[1])[:300]
        scored = []
        for idx, _count in best:
            entry = self.entries[idx]
            score = 0.0
            for name in (entry.name, *entry.aliases):
                norm = " ".join(_search_words(name))
                s = 100.0 if norm == norm_query else fuzz.WRatio(norm_query, norm)
                score = max(score, s)
            scored.append((score, idx))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [(self.entries[idx], score) for score, idx in scored[:limit]]

    # -- scanning ------------------------------------------------------------

    def _scan(self, seg: _Segment) -> list[_Hit]:
        """Exact hits in one segment that fit the case rules, overlaps settled."""
        tokens = seg.tokens
        if not tokens or not self._key_len:
            return []
        joined = " " + " ".join(tokens) + " "
        # tstart[i]: offset of token i in `joined`.
        tstart = list(accumulate(map((1).__add__, map(len, tokens)), initial=1))
        text = seg.text
        ostarts = seg.ostarts
        key_len = self._key_len
        key_ntok = self._key_ntok
        key_pattern = self._key_pattern
        hits = []
        for end, kid in self._automaton.iter(joined):
            t0 = bisect.bisect_left(tstart, end - key_len[kid] + 2)
            t1 = t0 + key_ntok[kid]
            pattern = key_pattern[kid]
            ok = True
            for j, req in enumerate(pattern):
                if req == "A":
                    continue
                t = t0 + j
                if text[ostarts[t]].isupper():
                    continue
                if req == "L":
                    written = fold(text[ostarts[t] : seg.oends[t]])
                    if written == self._key_exact[kid][j]:
                        continue
                ok = False
                break
            if not ok or seg.elided(t0):
                continue
            full, short = _targets(self._key_targets[kid])
            hits.append(_Hit(seg, t0, t1, full, short, pattern))
        if len(hits) < 2:
            return hits
        # Longest match wins; among equals, the leftmost.
        hits.sort(key=lambda h: (h.t0 - h.t1, h.t0))
        taken = bytearray(len(tokens))
        kept = []
        for h in hits:
            if any(taken[h.t0 : h.t1]):
                continue
            taken[h.t0 : h.t1] = b"\x01" * (h.t1 - h.t0)
            kept.append(h)
        kept.sort(key=lambda h: h.t0)
        return kept

    def _near_misses(self, seg: _Segment, hits: list[_Hit]) -> tuple[list[_Hit], list[int]]:
        """Full names with one word misspelt, and lone capitalised unknown words.

        Windows of two to four capitalised words are tried; a window may
        swallow an exact multi-word match whole ("James Roday" inside
        "James Roday Rodriquez") but not cut one. One word may differ (one
        edit in a word of up to 7 letters, two in a longer one, same first
        letter); every other word must be exact,
        and the misspelt word must not itself be a word of any stored name,
        so a different real name ("Rachel Greene" for "Rachel Green" where
        the database knows Greene) is left alone.
        """
        tokens = seg.tokens
        exact_spans = [(h.t0, h.t1) for h in hits if h.t1 - h.t0 > 1]
        covered = bytearray(len(tokens))
        for h in hits:
            covered[h.t0 : h.t1] = b"\x01" * (h.t1 - h.t0)

        text = seg.text
        ostarts = seg.ostarts
        capitals = [
            t for t, tok in enumerate(tokens) if tok[0].isalnum() and text[ostarts[t]].isupper()
        ]
        # Group capitalised words into runs: neighbours, or joined by an
        # apostrophe or hyphen with no spaces ("O'Brien", "Zeta-Jones").
        runs: list[list[int]] = []
        lone: list[int] = []
        run: list[int] = []
        for t in capitals:
            if run and not (
                run[-1] == t - 1
                or (
                    run[-1] == t - 2
                    and tokens[t - 1] in ("'", "-")
                    and seg.attached(t - 2, t - 1)
                    and seg.attached(t - 1, t)
                )
            ):
                runs.append(run)
                run = []
            run.append(t)
        if run:
            runs.append(run)

        found: list[_Hit] = []
        words = self._words
        for run in runs:
            if len(run) == 1:
                # A lone capitalised word: maybe a misspelt surname. One inside
                # a longer run ("Halsted Street") is some other proper noun.
                t = run[0]
                if not covered[t] and len(tokens[t]) >= 5 and tokens[t] not in words:
                    lone.append(t)
                continue
            used = [False] * len(run)
            for n in (4, 3, 2):
                for a in range(len(run) - n + 1):
                    w0, w1 = run[a], run[a + n - 1] + 1
                    if any(used[a : a + n]) or any(
                        s < w1 and w0 < e and (s < w0 or e > w1 or (s, e) == (w0, w1))
                        for s, e in exact_spans
                    ):
                        continue
                    window = [tokens[t] for t in run[a : a + n]]
                    best = None
                    for i, written in enumerate(window):
                        if len(written) < 4 or written in words:
                            continue
                        others = " ".join(window[:i] + window[i + 1 :])
                        for idx, stored, name in self._near.get(f"{n}:{i}:{others}", ()):
                            dist = _near_distance(written, stored)
                            if dist and (best is None or dist < best[0]):
                                best = (dist, idx, name, False)
                            elif dist and best and dist == best[0] and best[1] != idx:
                                best = (dist, best[1], best[2], True)
                    if best and not best[3]:
                        found.append(
                            _Hit(seg, w0, w1, (best[1],), (), "CC", fuzzy=True, suggest=best[2])
                        )
                        for k in range(a, a + n):
                            used[k] = True
        return found, lone

    def _coordinated(self, seg: _Segment, hits: list[_Hit]) -> list[_Hit]:
        """First names sharing a surname: the "Sam" of "Sam and Dean Winchester"."""
        found = []
        taken = {t for h in hits for t in range(h.t0, h.t1)}
        tokens = seg.tokens
        for h in hits:
            t = h.t0
            if (
                h.t1 - t < 2
                or t < 2
                or tokens[t - 1] not in ("and", "&")
                or not seg.is_word(t - 2)
                or not seg.capitalised(t - 2)
                or (t - 2) in taken
                or not any(self.entries[i].kind != "show" for i in h.full)
            ):
                continue
            key = " " + " ".join([tokens[t - 2], *tokens[t + 1 : h.t1]]) + " "
            kid = self._automaton.get(key, -1)
            if kid < 0:
                continue
            full, _short = _targets(self._key_targets[kid])
            full = tuple(i for i in full if self.entries[i].kind != "show")
            if full:
                found.append(_Hit(seg, t - 2, t - 1, full, (), self._key_pattern[kid]))
        return found

    # -- story-level decisions ----------------------------------------------

    def _analyse(self, segments: list[_Segment], prior: list[int]) -> FindResult:
        entries = self.entries
        hits: list[_Hit] = []
        lone_words: list[tuple[_Segment, int]] = []
        for seg in segments:
            seg_hits = self._scan(seg)
            near, lone = self._near_misses(seg, seg_hits)
            if near:
                # A misspelt full name replaces single-word hits inside it.
                spans = [(h.t0, h.t1) for h in near]
                seg_hits = [h for h in seg_hits if not any(a < h.t1 and h.t0 < b for a, b in spans)]
                seg_hits = sorted(seg_hits + near, key=lambda h: h.t0)
                lone = [t for t in lone if not any(a <= t < b for a, b in spans)]
            hits += seg_hits + self._coordinated(seg, seg_hits)
            lone_words += [(seg, t) for t in lone]

        hits.sort(key=lambda h: h.pos)
        first: dict[int, tuple[int, int, int]] = dict.fromkeys(prior, (-1, 0, 0))
        shorts_seen = {e for h in hits for e in h.short}

        # Segments where each accepted entry was named, for local evidence.
        named_in: dict[int, set[int]] = {}

        def related(idx: int, seg: _Segment | None = None) -> int:
            """Related entries named in the story (counted twice in `seg`)."""
            entry = entries[idx]
            count = 0
            for other_idx in first:
                if other_idx == idx:
                    continue
                other = entries[other_idx]
                if other.ref in entry.related or entry.ref in other.related:
                    count += 1
                    if seg is not None and id(seg) in named_in.get(other_idx, ()):
                        count += 1
            return count

        def accept(h: _Hit, idx: int, how: str) -> None:
            h.accepted = idx
            h.how = how
            named_in.setdefault(idx, set()).add(id(h.seg))
            if idx not in first or h.pos < first[idx]:
                first[idx] = h.pos

        # Neighbours in a list of titles ("Being Human, and Psych").
        list_links: dict[int, list[_Hit]] = {}
        title_hits = [h for h in hits if any(entries[i].kind == "show" for i in h.full)]
        for a, b in pairwise(title_hits):
            if a.seg is b.seg and tuple(a.seg.tokens[a.t1 : b.t0]) in cues.LIST_SEPARATORS:
                list_links.setdefault(id(a), []).append(b)
                list_links.setdefault(id(b), []).append(a)
        # Three or more titles in a row make a list even if each one is weak.
        long_list: set[int] = set()
        done: set[int] = set()
        for h in title_hits:
            if id(h) in done or id(h) not in list_links:
                continue
            component, stack = [], [h]
            while stack:
                cur = stack.pop()
                if id(cur) in done:
                    continue
                done.add(id(cur))
                component.append(id(cur))
                stack += list_links.get(id(cur), ())
            if len(component) >= 3:
                long_list.update(component)

        def gate(h: _Hit, idx: int) -> bool:
            """Whether this hit may name this entry, before any tie-breaking."""
            entry = entries[idx]
            if h.fuzzy:
                # A corrected spelling needs something else in the story to
                # agree: a related name, the entry named again, its surname.
                return bool(related(idx)) or idx in first or idx in shorts_seen
            c = h.context()
            is_show = entry.kind == "show"
            title_case = h.seg.title_case
            if (c.strong or (is_show and c.acronym)) and not (is_show and title_case):
                return True
            if c.quoted:
                return True
            if c.bare:
                # Capitals cannot help with "24": only a title noun or a list.
                return c.noun_cue or id(h) in long_list
            if title_case:
                return c.pre_cue or c.post_cue or idx in first or bool(related(idx))
            if c.caps_neighbour:
                return False
            if entry.hints and c.possessor in entry.hints:
                return True  # "Showtime's Shameless", "FX's Fargo"
            if is_show and (
                id(h) in long_list
                or any(
                    n.accepted is not None and entries[n.accepted].kind == "show"
                    for n in list_links.get(id(h), ())
                )
            ):
                return True
            if c.initial:
                if is_show:
                    return c.post_cue  # "Lost star ...", not "Lost in thought"
                return idx in first or bool(related(idx))
            if not is_show:
                return True  # a capitalised one-word name mid-sentence
            return c.pre_cue or c.post_cue or idx in first or bool(related(idx))

        def score(h: _Hit, idx: int) -> tuple[int, int]:
            """Evidence for one of several same-named entries.

            Words next to the mention (a year, "film", a network) come first;
            the rest of the story (related names, another mention already
            settled) only breaks a tie, since a story may name both.
            """
            entry = entries[idx]
            seg = h.seg
            points = 0
            near = h.context().window
            years = sorted((d, int(w)) for d, w in near if _YEAR_RE.match(w))
            if years and entry.year == years[0][1]:
                points += 3
            close = {w for d, w in near if d <= 3}
            if entry.show_kind:
                if close & cues.FILM_WORDS and entry.show_kind == "film":
                    points += 1
                if close & cues.SERIES_WORDS and entry.show_kind in cues.SERIES_KINDS:
                    points += 1
            if entry.hints:
                points += min(2, len({w for d, w in near if d <= 4} & entry.hints))
            story = min(4, related(idx, seg)) + (2 if idx in first else 0)
            return points, story

        # Settle unshared names first (each acceptance may back up another
        # hit: a list neighbour, a related name), then shared ones. Every
        # round that changes something accepts a hit, so this ends.
        pending = [h for h in hits if h.full]
        while True:
            changed = False
            for h in pending:
                if h.accepted is None and len(h.full) == 1 and gate(h, h.full[0]):
                    accept(h, h.full[0], "misspelling" if h.fuzzy else "name")
                    changed = True
            if changed:
                continue
            for h in pending:
                if h.accepted is not None or len(h.full) < 2:
                    continue
                passing = [idx for idx in h.full if gate(h, idx)]
                if len(passing) == 1:
                    accept(h, passing[0], "name")
                    changed = True
                elif passing:
                    scores = sorted(((score(h, idx), idx) for idx in passing), reverse=True)
                    if scores[0][0] > (0, 0) and scores[0][0] > scores[1][0]:
                        accept(h, scores[0][1], "name")
                        changed = True
            if not changed:
                break

        ambiguous: list[Ambiguity] = []

        def report(h: _Hit, candidates: Iterable[int]) -> None:
            ambiguous.append(
                Ambiguity(
                    h.text,
                    [(entries[i].kind, entries[i].id, entries[i].name) for i in sorted(candidates)],
                    h.at,
                )
            )

        # Shared full names that nothing settled.
        for h in pending:
            if h.accepted is None and len(h.full) > 1:
                passing = [idx for idx in h.full if gate(h, idx)]
                if len(passing) > 1 and not any(idx in first for idx in passing):
                    report(h, passing)

        # Surnames and other short forms.
        named = [idx for idx in first if entries[idx].kind != "show"]
        for h in hits:
            if not h.short:
                continue
            eligible = [idx for idx in h.short if idx in first and first[idx] < h.pos]
            if not eligible or h.seg.caps_neighbour(h.t0, h.t1, allow_title=True):
                continue
            if h.accepted is not None and entries[h.accepted].kind == "show":
                seg = h.seg
                if seg.quoted(h.t0, h.t1) or seg.pre_cue(h.t0) or seg.post_cue(h.t1):
                    continue  # "the sitcom Seinfeld" is the show, not the man
            key = " " + " ".join(h.seg.tokens[h.t0 : h.t1]) + " "
            sharing = {idx for idx in named if idx not in eligible and key in self._name_keys(idx)}
            candidates = set(eligible) | sharing
            if len(candidates) == 1:
                accept(h, eligible[0], "short")
            else:
                h.accepted = None
                report(h, candidates)

        # A lone word one or two letters off the surname of someone already named.
        for seg, t in lone_words:
            written = seg.tokens[t]
            pos = (*seg.rank, t)
            matches = [
                idx
                for idx in named
                if first[idx] < pos and any(_near_distance(written, s) for s in self._surnames(idx))
            ]
            if len(matches) == 1:
                # Reported for review, not linked: the person is linked by
                # the full name already, and a near-surname is as likely to
                # be something else ("Halsted" is also a Chicago street).
                idx = matches[0]
                stored = next(s for s in self._surnames(idx) if _near_distance(written, s))
                h = _Hit(seg, t, t + 1, (idx,), (), "C", fuzzy=True)
                h.suggest = self._surname_display(idx, stored)
                hits.append(h)

        return self._result(hits, ambiguous)

    def _result(self, hits: list[_Hit], ambiguous: list[Ambiguity]) -> FindResult:
        entries = self.entries
        result = FindResult()
        links: dict[int, Link] = {}
        seen_misspellings = set()
        for h in sorted(hits, key=lambda h: h.pos):
            if h.fuzzy and (h.text, h.suggest) not in seen_misspellings:
                idx = h.accepted if h.accepted is not None else h.full[0]
                entry = entries[idx]
                seen_misspellings.add((h.text, h.suggest))
                result.misspellings.append(
                    Misspelling(
                        h.text, h.suggest, entry.kind, entry.id, h.accepted is not None, h.at
                    )
                )
            if h.accepted is None:
                continue
            entry = entries[h.accepted]
            surface = h.text
            link = links.get(h.accepted)
            if link is None:
                links[h.accepted] = Link(entry.kind, entry.id, entry.name, [surface], h.at)
            elif surface not in link.matched:
                link.matched.append(surface)
            field_name, para, start, end = h.at
            result.mentions.append(
                Mention(field_name, para, start, end, entry.kind, entry.id, surface, h.how)
            )
        result.linked = list(links.values())
        seen = set()
        for amb in ambiguous:
            key = (fold_lower(amb.text).text, tuple(amb.candidates))
            if key not in seen:
                seen.add(key)
                result.ambiguous.append(amb)
        return result

    # -- per-entry helpers (cached; only touched for entries in a story) ------

    def _name_keys(self, idx: int) -> str:
        """All folded names of an entry as one string of space-delimited keys."""
        cached = self._name_keys_cache.get(idx)
        if cached is None:
            entry = self.entries[idx]
            parts = []
            for name in (entry.name, *entry.aliases):
                for tokens, _, _ in key_variants(name):
                    parts.append(" " + " ".join(tokens) + " ")
            cached = "|".join(parts)
            self._name_keys_cache[idx] = cached
        return cached

    def _surnames(self, idx: int) -> list[str]:
        """Folded one-word short forms of a person or character."""
        cached = self._surnames_cache.get(idx)
        if cached is None:
            entry = self.entries[idx]
            forms = [a for a in entry.aliases if len(a.split()) == 1]
            surname = surname_of(entry.name)
            if surname:
                forms.append(surname)
            cached = []
            for form in forms:
                words = _word_tokens(form)
                if len(words) == 1 and words[0] not in cached:
                    cached.append(words[0])
            self._surnames_cache[idx] = cached
        return cached

    def _surname_display(self, idx: int, folded: str) -> str:
        entry = self.entries[idx]
        for form in (*entry.aliases, surname_of(entry.name) or ""):
            if _word_tokens(form) == [folded]:
                return form
        return folded


def _near_distance(written: str, stored: str) -> int:
    """Edits between a written and a stored name word if close enough, else 0.

    One edit (substitution, insertion, deletion or swap of neighbours) for a
    stored word of up to 7 letters, two for longer ones; the first letter
    must agree, since misspellings rarely touch it and different surnames
    often differ only there.
    """
    if written == stored or len(stored) < 5 or written[0] != stored[0]:
        return 0
    limit = 1 if len(stored) <= 7 else 2
    if abs(len(written) - len(stored)) > limit:
        return 0
    dist = OSA.distance(written, stored, score_cutoff=limit)
    return dist if dist <= limit else 0
