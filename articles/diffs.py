"""Readable differences between two versions of a story, for editors.

Pure Python (difflib and the standard HTML parser), no Django: the history page,
the stale-save refusal and the tests all use it. Everything returned is HTML
with the text escaped; only our own ``<del>`` and ``<ins>`` tags are markup.
"""

import difflib
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Tags that start a new paragraph in the diff of a story body.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre"}
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


class _Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.links: list[str | None] = []

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        elif tag == "br":
            self.current.append(" ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
        elif tag == "a" and self.links:
            href = self.links.pop()
            # A changed link target is a change editors care about: show it.
            if href:
                self.current.append(f" ({href})")

    def handle_data(self, data):
        self.current.append(data)


def paragraphs(body_html: str) -> list[str]:
    """A story body as plain-text paragraphs (links written as ``text (url)``)."""
    parser = _Paragraphs()
    parser.feed(body_html or "")
    parser.close()
    parser.flush()
    return parser.paragraphs


def diff_words(old: str, new: str) -> str:
    """``old`` → ``new`` as escaped HTML, removed words in <del>, added in <ins>."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


@dataclass
class Row:
    """One paragraph of a body diff: ``kind`` is added, removed, changed or unchanged
    (then ``html`` is empty and ``count`` says how many paragraphs were the same)."""

    kind: str
    html: str = ""
    count: int = 0


def diff_paragraphs(old: list[str], new: list[str]) -> list[Row]:
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.append(Row("unchanged", count=i2 - i1))
        elif op == "delete":
            rows.extend(Row("removed", f"<del>{escape(p)}</del>") for p in old[i1:i2])
        elif op == "insert":
            rows.extend(Row("added", f"<ins>{escape(p)}</ins>") for p in new[j1:j2])
        else:
            # Pair the paragraphs up, word-diffing each pair; extras are added or removed.
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                before = old[i1 + k] if i1 + k < i2 else None
                after = new[j1 + k] if j1 + k < j2 else None
                if before is None:
                    rows.append(Row("added", f"<ins>{escape(after)}</ins>"))
                elif after is None:
                    rows.append(Row("removed", f"<del>{escape(before)}</del>"))
                else:
                    rows.append(Row("changed", diff_words(before, after)))
    return rows


@dataclass
class FieldDiff:
    label: str
    changed: bool
    html: str = ""
    rows: list[Row] = field(default_factory=list)


TEXT_FIELDS = (("headline", "Headline"), ("dek", "Standfirst"))


def diff_story(old: dict | None, new: dict) -> list[FieldDiff]:
    """Headline, standfirst and body of two versions (dicts of field values).

    ``old`` None means there is nothing before ``new``: every word is added.
    """
    old = old or {}
    diffs = [
        FieldDiff(
            label,
            old.get(name, "") != new.get(name, ""),
            diff_words(old.get(name, ""), new.get(name, "")),
        )
        for name, label in TEXT_FIELDS
    ]
    before, after = paragraphs(old.get("body", "")), paragraphs(new.get("body", ""))
    diffs.append(FieldDiff("Body", before != after, rows=diff_paragraphs(before, after)))
    return diffs
