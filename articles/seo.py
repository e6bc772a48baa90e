"""JSON-LD for stories (schema.org NewsArticle)."""

from common.seo import CONTEXT, iso, publisher
from common.site import absolute
from images import markup


def news_article(article, request=None) -> dict:
    """NewsArticle with every author, dates, publisher, mentions and corrections.

    Reads only what the article page prefetched.
    """
    url = absolute(article.get_absolute_url(), request)
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.publish_at),
        "dateModified": iso(max(filter(None, [article.publish_at, article.updated_at]))),
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute(byline.author.get_absolute_url(), request),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher(request),
        "isAccessibleForFree": True,
    }
    if article.seo_description or article.dek:
        data["description"] = article.seo_description or article.dek
    if article.section:
        data["articleSection"] = article.section.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    mentions = [
        {"@type": "Person", "name": p.name, "url": absolute(p.get_absolute_url(), request)}
        for p in article.linked_people
    ] + [
        {
            "@type": "Movie" if s.kind == s.Kind.FILM else "TVSeries",
            "name": s.title,
            "url": absolute(s.get_absolute_url(), request),
        }
        for s in article.linked_shows
    ]
    if mentions:
        data["mentions"] = mentions
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": f"{c.get_kind_display()}: {c.note}",
            "datePublished": iso(c.published_at),
        }
        for c in article.corrections.all()
    ]
    if corrections:
        data["correction"] = corrections
    # The featured image in the shapes search engines ask for (16:9, 1:1 and as taken),
    # each at its largest size; nothing when the story has no picture.
    images = [
        markup.schema_image(article.featured_image, crop, request)
        for crop in ("card", "square", "original")
    ]
    if images := [image for image in images if image]:
        data["image"] = images
    return data
