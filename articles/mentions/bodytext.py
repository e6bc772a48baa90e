"""Story HTML as paragraphs of plain text, and links put back into that HTML.

Detection reads ``paragraphs(html)``; rendering calls ``add_links(html, spans)``
with (paragraph, start, end) offsets into those same paragraphs, so a mention
found at save time is linked exactly where it was found — no second scan and
no chance of linking an earlier, lower-case or unrelated occurrence. Pure
Python; the body is already sanitised (articles.sanitize), so tags are simple.
"""

import html
import re
from dataclasses import dataclass

# Elements that start a new paragraph of text for the matcher.
BLOCKS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote", "figure", "figcaption", "ul", "ol"})
_PARTS = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


@dataclass(slots=True)
class _Text:
    part: int  # index into the split parts
    paragraph: int
    start: int  # offset of this text in its paragraph's plain text
    text: str  # unescaped
    in_link: bool


def _walk(body: str) -> tuple[list[str], list[str], list[_Text]]:
    parts = _PARTS.split(body or "")
    paragraphs: list[str] = []
    current: list[str] = []
    length = 0
    texts: list[_Text] = []
    link_depth = 0

    def close_paragraph():
        nonlocal current, length
        if "".join(current).strip():
            paragraphs.append("".join(current))
        current, length = [], 0

    for index, part in enumerate(parts):
        if not part:
            continue
        if part.startswith("<"):
            name_match = _TAG_NAME.match(part)
            name = name_match[1].lower() if name_match else ""
            if name in BLOCKS:
                close_paragraph()
            elif name == "br":
                current.append(" ")
                length += 1
            elif name == "a":
                link_depth += -1 if part.startswith("</") else 1
            continue
        text = html.unescape(part)
        if not current and not text.strip():
            continue
        texts.append(_Text(index, len(paragraphs), length, text, link_depth > 0))
        current.append(text)
        length += len(text)
    close_paragraph()
    return parts, paragraphs, texts


def paragraphs(body: str) -> list[str]:
    """The plain text of each block of a story body, in order."""
    return _walk(body)[1]


@dataclass(frozen=True, slots=True)
class Span:
    paragraph: int
    start: int
    end: int
    href: str
    title: str = ""


def add_links(body: str, spans: list[Span]) -> str:
    """``body`` with each span wrapped in a link; spans that fall inside an existing
    link, cross a tag, or no longer fit the text are left alone."""
    if not spans:
        return body
    parts, _, texts = _walk(body)
    by_part: dict[int, list[tuple[int, int, Span]]] = {}
    for span in spans:
        for text in texts:
            if text.paragraph != span.paragraph:
                continue
            lo, hi = span.start - text.start, span.end - text.start
            if 0 <= lo < hi <= len(text.text):
                if not text.in_link:
                    by_part.setdefault(text.part, []).append((lo, hi, span))
                break
    for part, found in by_part.items():
        text = next(t.text for t in texts if t.part == part)
        out, pos = [], 0
        for lo, hi, span in sorted(found, key=lambda item: item[0]):
            if lo < pos:
                continue  # overlaps a link already placed
            title = f' title="{html.escape(span.title)}"' if span.title else ""
            out.append(html.escape(text[pos:lo], quote=False))
            out.append(
                f'<a class="entity-link" href="{html.escape(span.href)}"{title}>'
                f"{html.escape(text[lo:hi], quote=False)}</a>"
            )
            pos = hi
        out.append(html.escape(text[pos:], quote=False))
        parts[part] = "".join(out)
    return "".join(parts)


def find_first(body: str, forms: list[str]) -> tuple[int, int, int] | None:
    """(paragraph, start, end) of the first whole-word occurrence of any form,
    outside existing links; for links an editor added by hand."""
    forms = sorted({f for f in forms if f}, key=len, reverse=True)
    if not forms:
        return None
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
    for text in _walk(body)[2]:
        if text.in_link:
            continue
        match = pattern.search(text.text)
        if match:
            return text.paragraph, text.start + match.start(), text.start + match.end()
    return None
