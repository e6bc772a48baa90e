"""JSON-LD for people and characters."""

from common.seo import CONTEXT
from common.site import absolute
from images import markup


def same_as(record) -> list[str]:
    """Authority pages for a person or show, from its external ids."""
    kind = "name" if hasattr(record, "birth_date") else "title"
    links = []
    if record.imdb_id:
        links.append(f"https://www.imdb.com/{kind}/{record.imdb_id}/")
    if record.wikidata_id:
        links.append(f"https://www.wikidata.org/wiki/{record.wikidata_id}")
    if record.tmdb_id:
        tmdb_kind = "person" if kind == "name" else ("movie" if record.kind == "film" else "tv")
        links.append(f"https://www.themoviedb.org/{tmdb_kind}/{record.tmdb_id}")
    return links


def person(person, request=None) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "mainEntity": {
            "@type": "Person",
            "name": person.name,
            "url": absolute(person.get_absolute_url(), request),
        },
    }
    entity = data["mainEntity"]
    if person.aliases:
        entity["alternateName"] = person.aliases
    if person.birth_date:
        entity["birthDate"] = person.birth_date.isoformat()
    if person.bio:
        entity["description"] = person.bio
    if links := same_as(person):
        entity["sameAs"] = links
    if image := markup.schema_image(person.headshot, "square", request):
        entity["image"] = image
    return data


def character(character, request=None) -> dict:
    show = character.show
    return {
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": character.name,
        "url": absolute(character.get_absolute_url(), request),
        "about": {
            "@type": "Movie" if show.kind == show.Kind.FILM else "TVSeries",
            "name": show.title,
            "url": absolute(show.get_absolute_url(), request),
        },
    }
