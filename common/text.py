"""Text helpers shared by every app: ASCII folding and slugs.

``fold`` is pure Python (no Django) so the mention matcher and the search
normaliser can use exactly the same rules as slugs do.
"""

import re
import unicodedata

# Letters that NFKD does not decompose into ASCII plus combining marks.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
        # Typographic punctuation copy editors and wire services use.
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "…": "...",
    }
)


def fold(text: str) -> str:
    """Fold accents, ligatures and typographic punctuation to ASCII, keeping case.

    >>> fold("Zoë Saldaña — O’Brien")
    "Zoe Saldana - O'Brien"
    """
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Lower-cased, folded, whitespace-collapsed form used for look-ups."""
    return " ".join(fold(text).casefold().split())


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
