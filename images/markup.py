"""What readers, crawlers and feed readers get: ``<picture>`` markup, the Open Graph image and
feed enclosures, all built from the rendition manifest stored on the ``Image`` row.

Nothing here opens, decodes or even lists a file: a page of twenty cards costs twenty
manifest look-ups and some string formatting. The template tags in
``images.templatetags.images`` are thin wrappers around these functions.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.feedgenerator import Enclosure
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.site import absolute

# "original" keeps the picture's own shape; the others are the fixed-ratio crops made around
# the focal point (images.processing.CROPS).
CROPS = ("original", "card", "square", "poster", "og")

# What a rendition is for when the template does not say; pages pass their own ``sizes``.
DEFAULT_SIZES = {
    "original": "(min-width: 45rem) 40rem, 100vw",
    "card": "(min-width: 60rem) 22rem, (min-width: 40rem) 45vw, 100vw",
    "square": "10rem",
    "poster": "(min-width: 40rem) 16rem, 45vw",
    "og": "1200px",
}

_FORMATS = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
_SOURCE_ORDER = ("avif", "webp")  # then the fallback (jpg, or png for transparent pictures)
_LOADING = ("lazy", "eager")
_FETCHPRIORITY = ("high", "low", "auto")


@dataclass(frozen=True)
class Rendition:
    key: str  # "card-w640.avif"
    name: str  # storage name
    size: int  # bytes
    width: int
    height: int

    @property
    def extension(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def mime(self) -> str:
        return _FORMATS[self.extension]

    @property
    def crop(self) -> str:
        stem = self.key.partition(".")[0]
        if stem.startswith("w") and stem[1:].isdigit():
            return "original"
        return stem.partition("-w")[0]


def renditions(image, crop: str = "original") -> list[Rendition]:
    """The image's renditions for one crop, narrowest first."""
    if crop not in CROPS:
        raise ImproperlyConfigured(f"Unknown image crop {crop!r}; use one of {', '.join(CROPS)}.")
    found = [Rendition(key, *entry) for key, entry in (image.renditions or {}).items()]
    return sorted((r for r in found if r.crop == crop), key=lambda r: (r.width, r.key))


def url(image, rendition: Rendition, request=None) -> str:
    """The rendition's address; absolute (``NEWSROOM_SITE_URL`` or the request's host, as
    every other absolute link on the site) when ``request`` is given."""
    address = image.file.storage.url(rendition.name)
    return absolute(address, request) if request is not None else address


def _srcset(image, group: list[Rendition]) -> str:
    return ", ".join(f"{url(image, r)} {r.width}w" for r in group)


def picture(
    image,
    crop: str = "original",
    *,
    sizes: str | None = None,
    loading: str = "lazy",
    alt: str | None = None,
    css_class: str = "",
    fetchpriority: str = "",
    style: str = "",
) -> SafeString:
    """``<picture>`` with AVIF and WebP sources and a JPEG (or PNG) ``<img>``.

    The ``<img>`` carries ``width``/``height`` of the crop, so the browser reserves the space
    before any byte arrives; with ``height: auto`` in CSS it scales without layout shift.
    ``loading="lazy"`` is the default: pass ``loading="eager"`` (and ``fetchpriority="high"``)
    for the one picture at the top of a page. An image without renditions renders nothing.
    """
    if image is None:
        return SafeString("")
    if loading not in _LOADING:
        raise ImproperlyConfigured(f"loading must be one of {_LOADING}, not {loading!r}.")
    if fetchpriority and fetchpriority not in _FETCHPRIORITY:
        raise ImproperlyConfigured(f"fetchpriority must be one of {_FETCHPRIORITY}.")
    group = renditions(image, crop)
    if not group:
        return SafeString("")
    by_format: dict[str, list[Rendition]] = {}
    for r in group:
        by_format.setdefault(r.extension, []).append(r)
    fallback_ext = next(ext for ext in by_format if ext not in _SOURCE_ORDER)
    fallback = by_format[fallback_ext]
    largest = fallback[-1]
    # The src for browsers without srcset: a mid-sized file, never the largest.
    src = next((r for r in fallback if r.width >= 640), largest)
    sizes = sizes or DEFAULT_SIZES[crop]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (_FORMATS[ext], _srcset(image, by_format[ext]), sizes)
            for ext in _SOURCE_ORDER
            if ext in by_format
        ),
    )
    optional = format_html_join(
        "",
        ' {}="{}"',
        (
            (name, value)
            for name, value in (
                ("class", css_class),
                ("fetchpriority", fetchpriority),
                ("style", style),
            )
            if value
        ),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async"{}></picture>',
        sources,
        url(image, src),
        _srcset(image, fallback),
        sizes,
        largest.width,
        largest.height,
        image.alt_text if alt is None else alt,
        loading,
        optional,
    )


def og_image(image, request=None) -> dict | None:
    """The 1200×630 JPEG for Open Graph / X cards, with what the meta tags need."""
    if image is None:
        return None
    found = renditions(image, "og")
    if not found:
        return None
    r = found[0]
    return {
        "url": url(image, r, request),
        "width": r.width,
        "height": r.height,
        "type": r.mime,
        "alt": image.alt_text,
    }


def schema_image(image, crop: str = "original", request=None) -> dict | None:
    """A schema.org ``ImageObject`` for JSON-LD: the crop's largest JPEG/PNG (what every
    crawler reads), its size, caption and credit. None when there is no such rendition."""
    if image is None:
        return None
    group = [r for r in renditions(image, crop) if r.extension not in _SOURCE_ORDER]
    if not group:
        return None
    r = group[-1]
    data = {
        "@type": "ImageObject",
        "url": url(image, r, request),
        "width": r.width,
        "height": r.height,
    }
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data


def og_meta(image, request=None) -> SafeString:
    og = og_image(image, request)
    if og is None:
        return SafeString("")
    return format_html(
        '<meta property="og:image" content="{}">\n'
        '<meta property="og:image:type" content="{}">\n'
        '<meta property="og:image:width" content="{}">\n'
        '<meta property="og:image:height" content="{}">\n'
        '<meta property="og:image:alt" content="{}">',
        og["url"],
        og["type"],
        og["width"],
        og["height"],
        og["alt"],
    )


def feed_rendition(image) -> Rendition | None:
    """What a feed attaches: the fallback-format file closest to 960 px wide (≤ 1280)."""
    if image is None:
        return None
    group = [r for r in renditions(image, "original") if r.extension not in _SOURCE_ORDER]
    if not group:
        return None
    fitting = [r for r in group if r.width <= 1280]
    return min(fitting or group, key=lambda r: abs(r.width - 960))


def enclosure(image, request=None) -> Enclosure | None:
    """An RSS ``<enclosure>`` / Atom ``rel="enclosure"`` / JSON Feed attachment.

    ``request`` makes the URL absolute (feeds need that unless MEDIA_URL already is).
    """
    r = feed_rendition(image)
    if r is None:
        return None
    return Enclosure(url(image, r, request), str(r.size), r.mime)


def media_content(image, request=None) -> dict | None:
    """Attributes for a Media RSS ``<media:content>``, plus credit and description."""
    r = feed_rendition(image)
    if r is None:
        return None
    return {
        "url": url(image, r, request),
        "type": r.mime,
        "medium": "image",
        "width": str(r.width),
        "height": str(r.height),
        "fileSize": str(r.size),
        "credit": image.credit,
        "description": image.caption or image.alt_text,
    }


def credit_line(image) -> SafeString:
    if image is None or not image.credit:
        return SafeString("")
    return format_html(
        '<small class="credit"><span class="visually-hidden">Credit: </span>{}</small>',
        image.credit,
    )


def figure(
    image,
    crop: str = "original",
    *,
    caption: str | None = None,
    sizes: str | None = None,
    loading: str = "lazy",
    alt: str | None = None,
    css_class: str = "",
    fetchpriority: str = "",
    caption_html: SafeString | None = None,
) -> SafeString:
    """``<figure>`` with the picture, its caption and always its credit."""
    if image is None:
        return SafeString("")
    pic = picture(image, crop, sizes=sizes, loading=loading, alt=alt, fetchpriority=fetchpriority)
    if not pic:
        return SafeString("")
    if caption_html is None:
        text = image.caption if caption is None else caption
        caption_html = format_html('<span class="caption">{}</span> ', text) if text else ""
    else:
        caption_html = format_html('<span class="caption">{}</span> ', caption_html)
    classes = " ".join(filter(None, ["image-figure", css_class]))
    return format_html(
        '<figure class="{}">{}<figcaption>{}{}</figcaption></figure>',
        classes,
        pic,
        caption_html,
        credit_line(image),
    )


def admin_thumbnail(image, size: int = 64) -> SafeString:
    """A small square for admin lists and pickers (WebP/AVIF where the browser takes them)."""
    if image is None:
        return format_html(
            '<span class="image-thumb image-thumb-empty" aria-hidden="true" style="display: '
            'inline-block; width: {}px; height: {}px; border: 1px dashed #bbb"></span>',
            size,
            size,
        )
    # Sized inline too: changelists of other apps do not load the library's stylesheet.
    return picture(
        image,
        "square",
        sizes=f"{size}px",
        css_class="image-thumb",
        alt="",
        style=f"width: {size}px; height: {size}px; object-fit: cover",
    )
