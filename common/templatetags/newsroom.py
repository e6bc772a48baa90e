"""Template helpers for the public site: JSON-LD, section accents, page links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes json_script uses: nothing inside the data can close the
# <script> element or open a comment, whatever an editor typed.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

ACCENTS = 6


@register.filter
def ld_json(data):
    """``<script type="application/ld+json">`` for a dict (or list) of schema.org data."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def isotime(value):
    """A datetime for ``<time datetime>`` and ``article:*_time``: ISO 8601 in the
    newsroom's zone, to the second. (Django's ``date:"c"`` keeps microseconds, which
    HTML's datetime syntax refuses: at most three digits of a second.)"""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def accent(section):
    """The CSS accent class for a section: colours cycle by its menu position."""
    if not section:
        return "accent-0"
    position = section.get("position") if isinstance(section, dict) else section.position
    return f"accent-{position % ACCENTS + 1}"


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with ``page`` set to ``number`` (other parameters kept)."""
    query = context["request"].GET.copy()
    if int(number) == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.simple_tag(takes_context=True)
def search_params(context, **changes):
    """The current query string with ``changes`` made and the page number dropped
    (a different search starts on its first page)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()
