"""Text helpers shared by every app and by the mention matcher: folding, tokens, slugs.

Pure Python (no Django), so the matcher, search and slugs all fold text by the
same rules. Copy arrives with curly or straight apostrophes, en or em dashes
for hyphens, accents typed or dropped, and any mix of case. Folding maps all of
those to one form so that a stored name and the text can be compared as plain
strings; ``fold_lower`` also keeps an offset map tying every folded character
to the character of the original text it came from (links are placed on the
original text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "SMALL_WORDS",
    "Folded",
    "fold",
    "fold_lower",
    "search_key",
    "slugify",
    "tokenize",
    "unique_slug",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one white-space separated string."""
    return frozenset(text.split())


# Words that title case may or may not capitalise ("As the World Turns" is
# also written "As The World Turns"), so their case never decides a match.
SMALL_WORDS = word_set(
    """a an the and & or nor but of in on at to for by with from as into onto upon
    vs v via per de del della di da du des la le les van von der den ter y"""
)

# Characters folded one-to-one to a plain ASCII stand-in.
_PUNCT = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007", " "),
    **dict.fromkeys("\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    # One character, not three: keeps the common ellipsis on the fast path.
    "\u2026": ".",
}
# Letters that Unicode does not decompose but that copy routinely drops.
_LETTERS = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ł": "l",
    "Ł": "l",
    "\u0131": "i",  # dotless i
    "þ": "th",
    "Þ": "th",
    "ð": "d",
    "Ð": "d",
}


def _fold_char(ch: str, *, lower: bool = True) -> str:
    if ch in _PUNCT:
        return _PUNCT[ch]
    if ch in _LETTERS:
        out = _LETTERS[ch]
        return out if lower or not ch.isupper() else out.capitalize()
    if unicodedata.category(ch) == "Cf":  # soft hyphen, zero-width joiners, BOM
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.lower() if lower else out


class _FoldTable(dict):
    """`str.translate` table filled on first sight of each code point.

    Characters whose folded form is not exactly one character long (ß, æ, a
    lone combining accent) are remembered in `irregular`; only text that
    contains one of them needs an explicit offset map.
    """

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower
        self.irregular: set[str] = set()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _fold_char(ch, lower=self.lower)
        if len(out) != 1:
            self.irregular.add(ch)
        self[code] = out
        return out


_TABLE = _FoldTable(lower=True)
_TABLE_KEEP_CASE = _FoldTable(lower=False)


@dataclass(slots=True)
class Folded:
    """Folded text plus the way back to offsets in the original."""

    original: str
    text: str
    # offsets[i] is the index in `original` of the character that produced
    # text[i]; None when folding was one-to-one (the common case).
    offsets: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the folded half-open span [start, end) to the original text."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def fold_lower(text: str) -> Folded:
    """Lower-case, strip accents, straighten quotes and dashes; keep the way back."""
    if text.isascii():
        return Folded(text, text.lower(), None)
    folded = text.translate(_TABLE)
    if _TABLE.irregular.isdisjoint(text):
        return Folded(text, folded, None)
    offsets: list[int] = []
    for index, ch in enumerate(text):
        offsets.extend([index] * len(_TABLE[ord(ch)]))
    return Folded(text, folded, offsets)


def fold(text: str) -> str:
    """Fold accents, quotes and dashes to ASCII but keep case.

    >>> fold("Zoë Saldaña — O’Brien")
    "Zoe Saldana - O'Brien"
    """
    return text if text.isascii() else text.translate(_TABLE_KEEP_CASE)


# A token is a run of letters/digits or one punctuation character. Spaces are
# dropped, so "Law  &  Order" and "Law & Order" tokenise alike.
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def tokenize(folded: str) -> tuple[list[str], list[int], list[int]]:
    """Split folded text into tokens with their start and end offsets."""
    tokens = _TOKEN_RE.findall(folded)
    # Locating each token with str.find is quicker than building match objects.
    starts = []
    pos = 0
    find = folded.find
    for tok in tokens:
        pos = find(tok, pos)
        starts.append(pos)
        pos += len(tok)
    ends = [s + len(t) for s, t in zip(starts, tokens, strict=True)]
    return tokens, starts, ends


# C0 control characters other than tab, newline and carriage return (and DEL):
# never meant in copy, invisible on screen, and not allowed in XML 1.0 at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without invisible control characters (feeds and sitemaps are XML)."""
    return _CONTROL.sub("", text) if text else text


def search_key(text: str) -> str:
    """Lower-cased, folded, whitespace-collapsed form used for look-ups."""
    return " ".join(fold(text).casefold().split())


# Two or more single letters each followed by a dot: "P.D.", "l.a.", "U.S.".
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}(?![^\W\d_])")


def join_initials(text: str) -> str:
    """Dotted initials written as one word, as search reads them: "Chicago P.D." ->
    "Chicago PD"."""
    return _DOTTED.sub(lambda match: match.group(0).replace(".", ""), text)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug, trimmed at a word boundary to ``max_length`` characters."""
    # Apostrophes join words ("Brigid's" -> brigids), everything else separates them.
    words = fold(text).lower().replace("'", "").replace("&", " and ")
    slug = _NON_SLUG.sub("-", words).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    # Keep whole words: cut at the last hyphen inside the limit when there is one.
    head, sep, _ = cut.rpartition("-")
    return (head if sep and head else slug[:max_length]).strip("-")


def unique_slug(text: str, taken, max_length: int = 80, fallback: str = "item") -> str:
    """A slug for ``text`` that ``taken(candidate)`` says is free: base, base-2, base-3…

    ``taken`` is a callable so callers decide what "taken" means (one model, one
    queryset excluding the instance being saved, a set in an importer's dry run).
    """
    base = slugify(text, max_length) or fallback
    if not taken(base):
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        stem = slugify(base, max_length - len(suffix)) or base[: max_length - len(suffix)]
        candidate = f"{stem}{suffix}"
        if not taken(candidate):
            return candidate
        n += 1
