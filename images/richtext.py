"""Pictures from the library inside story text.

The admin's rich-text editor (django-prose-editor's Figure extension, with our library as its
file picker) stores a figure as ordinary, allowlisted HTML::

    <figure><img src="/media/images/…/w960.….jpg" alt="…" data-file="123">
    <figcaption>Optional caption for this story</figcaption></figure>

``data-file`` is the library image's id; the sanitiser keeps it only when it is a number, and
``src`` only when it points at our own media. The stored ``src`` is what the editor shows
while writing; readers never get it. At render time :func:`expand` replaces each such figure
with the library's ``<picture>`` (every size and format), the caption (the story's own if it
has one, else the library's) and always the library's credit — so a new crop, a corrected
credit or a deleted rendition size reach every story without touching its HTML.
"""

import re
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from images import markup

_DATA_FILE = re.compile(r'\bdata-file="(\d{1,18})"')
BODY_SIZES = "(min-width: 45rem) 40rem, 100vw"


def image_ids(html: str) -> list[int]:
    """Ids of library images used in (sanitised) story HTML, in order, without repeats."""
    return list(dict.fromkeys(int(i) for i in _DATA_FILE.findall(html or "")))


def expand(html: str, images: dict[int, object] | None = None) -> SafeString:
    """Story HTML with library figures turned into responsive, credited ``<figure>``\\ s.

    ``html`` must already be sanitised (it is: ``Article.save()`` cleans every body). Pass
    ``images`` (id → Image) when the caller already has them; otherwise they are fetched in one
    query. A figure whose image no longer exists is left out.
    """
    if not html:
        return SafeString("")
    ids = image_ids(html)
    if not ids:
        return mark_safe(html)  # sanitised on save; nothing to expand
    if images is None:
        from images.models import Image

        images = Image.objects.in_bulk(ids)
    rewriter = _FigureRewriter(images)
    rewriter.feed(html)
    rewriter.close()
    return mark_safe(rewriter.output())


class _FigureRewriter(HTMLParser):
    """Copies HTML through, replacing library figures (and bare library images)."""

    def __init__(self, images):
        super().__init__(convert_charrefs=False)
        self.images = images
        self.out: list[str] = []
        self.figure: list[str] | None = None  # raw tokens of the open <figure>
        self.figure_image = None  # (image id, alt) found in it
        self.caption: list[str] | None = None  # raw inner HTML of its <figcaption>, while open
        self.caption_html: str | None = None  # …and once closed
        self.in_paragraph = 0

    def output(self) -> str:
        if self.figure is not None:  # unclosed figure: keep what there was
            self.out.extend(self.figure)
        return "".join(self.out)

    def _emit(self, text: str) -> None:
        if self.caption is not None:
            self.caption.append(text)
        elif self.figure is not None:
            self.figure.append(text)
        else:
            self.out.append(text)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        attributes = dict(attrs)
        if tag == "figure" and self.figure is None:
            self.figure, self.figure_image = [raw], None
            self.caption, self.caption_html = None, None
            return
        if tag == "figcaption" and self.figure is not None and self.caption is None:
            self.figure.append(raw)
            self.caption = []
            return
        if tag == "img" and (attributes.get("data-file") or "").isdigit():
            found = (int(attributes["data-file"]), attributes.get("alt"))
            if self.figure is not None and self.caption is None:
                self.figure_image = found
                self.figure.append(raw)
                return
            if self.figure is None:
                self.out.append(self._standalone(*found))
                return
        if tag == "p":
            self.in_paragraph += 1
        self._emit(raw)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "figcaption" and self.caption is not None:
            self.figure.extend([*self.caption, "</figcaption>"])
            self.caption_html = "".join(self.caption)
            self.caption = None
            return
        if tag == "figure" and self.figure is not None and self.caption is None:
            self.out.append(self._finish_figure())
            self.figure = None
            return
        if tag == "p":
            self.in_paragraph = max(0, self.in_paragraph - 1)
        self._emit(f"</{tag}>")

    def handle_data(self, data):
        self._emit(data)

    def handle_entityref(self, name):
        self._emit(f"&{name};")

    def handle_charref(self, name):
        self._emit(f"&#{name};")

    def _finish_figure(self) -> str:
        raw = "".join([*self.figure, "</figure>"])
        caption = self.caption_html
        if self.figure_image is None:
            return raw  # not a library figure: leave it as the sanitiser kept it
        image_id, alt = self.figure_image
        image = self.images.get(image_id)
        if image is None:
            return ""
        return markup.figure(
            image,
            sizes=BODY_SIZES,
            alt=alt or None,
            css_class="body-figure",
            caption_html=mark_safe(caption) if caption and caption.strip() else None,
        )

    def _standalone(self, image_id: int, alt: str | None) -> str:
        image = self.images.get(image_id)
        if image is None:
            return ""
        if self.in_paragraph:
            # Inside a paragraph only phrasing content is allowed: no <figure>.
            pic = markup.picture(image, sizes=BODY_SIZES, alt=alt or None)
            return f"{pic} {markup.credit_line(image)}"
        return markup.figure(image, sizes=BODY_SIZES, alt=alt or None, css_class="body-figure")
