"""Link the first mention of each linked person, character and show in a story body.

The stored body is never changed: links are added while rendering, at the
positions detection recorded (``body_span``); for links an editor added by
hand, at the first whole-word occurrence of the name or an alias.
"""

from django import template
from django.utils.safestring import mark_safe

from articles.mentions.bodytext import Span, add_links, find_first

register = template.Library()

LINK_SETS = (
    ("articleperson_set", "person"),
    ("articlecharacter_set", "character"),
    ("articleshow_set", "show"),
)


def entity_spans(article) -> list[Span]:
    spans, seen = [], set()
    for related, field in LINK_SETS:
        for link in getattr(article, related).all():
            entity = getattr(link, field)
            where = link.body_span or find_first(article.body, entity.all_names())
            if where and tuple(where) not in seen:
                seen.add(tuple(where))
                spans.append(Span(*where, href=entity.get_absolute_url(), title=str(entity)))
    return spans


@register.simple_tag
def linked_body(article):
    """The article's (already sanitised) body with its entities' first mentions linked."""
    return mark_safe(add_links(article.body, entity_spans(article)))
