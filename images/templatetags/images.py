"""Template API for pictures: ``{% load images %}``.

``{% picture image "card" sizes="(min-width: 60rem) 22rem, 100vw" loading="lazy" %}``
    ``<picture>`` with AVIF/WebP sources, srcset, sizes, width/height, alt and a JPEG/PNG
    ``<img>``. Crops: "original" (default), "card" 16:9, "square", "poster" 2:3.
    Optional: ``alt="…"`` (overrides the library's), ``class="…"``,
    ``fetchpriority="high"`` (with ``loading="eager"``, for the picture at the top).
``{% image_figure image "original" sizes="…" loading="eager" %}``
    The same inside ``<figure>`` with the caption (``caption="…"`` overrides it) and the
    credit, which is always shown.
``{% image_credit image %}``
    Just the credit line, for layouts that place it themselves.
``{% og_image_meta image %}``
    ``og:image`` (absolute URL of the 1200×630 JPEG), its type, width, height and alt.
``{% og_image_url image %}`` / ``{% og_image_url image as url %}``
    Just the absolute URL, e.g. for JSON-LD or ``twitter:image``.
``{{ article.body|expand_figures }}``
    Story HTML with library figures turned into credited, responsive ``<figure>``\\ s.
    ``{{ body|expand_figures:article.body_images }}`` uses images already fetched.
``loading=forloop.counter|loading_for:3``
    "eager" for the first three items of a list (on the first screen), "lazy" after.

Every tag renders nothing for ``None``, so templates need no ``{% if %}`` around them. None of
them opens a file: everything comes from the manifest stored on the Image row.
"""

from django import template

from images import markup, richtext

register = template.Library()

_PASSTHROUGH = {"class": "css_class", "fetchpriority": "fetchpriority"}


def _options(options: dict) -> dict:
    extra = {}
    for name, value in options.items():
        if name not in _PASSTHROUGH:
            allowed = ", ".join(["alt", "sizes", "loading", *_PASSTHROUGH])
            raise template.TemplateSyntaxError(
                f"Unknown picture option {name!r}; allowed: {allowed}."
            )
        extra[_PASSTHROUGH[name]] = value
    return extra


@register.simple_tag
def picture(image, crop="original", *, sizes=None, loading="lazy", alt=None, **options):
    return markup.picture(image, crop, sizes=sizes, loading=loading, alt=alt, **_options(options))


@register.simple_tag
def image_figure(
    image, crop="original", *, sizes=None, loading="lazy", alt=None, caption=None, **options
):
    return markup.figure(
        image, crop, sizes=sizes, loading=loading, alt=alt, caption=caption, **_options(options)
    )


@register.simple_tag
def image_credit(image):
    return markup.credit_line(image)


@register.simple_tag(takes_context=True)
def og_image_meta(context, image):
    return markup.og_meta(image, context.get("request"))


@register.simple_tag(takes_context=True)
def og_image_url(context, image):
    og = markup.og_image(image, context.get("request"))
    return og["url"] if og else ""


@register.filter
def loading_for(position, eager: int) -> str:
    """``loading`` for the ``position``-th picture (1-based) of a list whose first ``eager``
    are on the first screen."""
    try:
        return "eager" if int(position) <= int(eager) else "lazy"
    except (TypeError, ValueError):
        return "lazy"


@register.filter(is_safe=True)
def expand_figures(html, images=None):
    """``{{ body|expand_figures }}``, or ``{{ body|expand_figures:article.body_images }}``
    with the images already at hand (None: fetch them, one query)."""
    return richtext.expand(html, images)
