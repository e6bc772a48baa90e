"""JSON-LD for shows (schema.org TVSeries or Movie)."""

from common.seo import CONTEXT
from common.site import absolute
from images import markup


def show(show, cast, request=None) -> dict:
    film = show.kind == show.Kind.FILM
    data = {
        "@context": CONTEXT,
        "@type": "Movie" if film else "TVSeries",
        "name": show.title,
        "url": absolute(show.get_absolute_url(), request),
    }
    if show.aliases:
        data["alternateName"] = show.aliases
    if show.synopsis:
        data["description"] = show.synopsis
    if show.start_year:
        data["datePublished" if film else "startDate"] = str(show.start_year)
    if show.end_year and not film:
        data["endDate"] = str(show.end_year)
    if show.network:
        data["productionCompany"] = {"@type": "Organization", "name": show.network}
    actors = {}
    for credit in cast:
        if credit.role in {"actor", "guest", "voice"}:
            actors.setdefault(
                credit.person_id,
                {
                    "@type": "Person",
                    "name": credit.person.name,
                    "url": absolute(credit.person.get_absolute_url(), request),
                },
            )
    if actors:
        data["actor"] = list(actors.values())
    links = []
    if show.imdb_id:
        links.append(f"https://www.imdb.com/title/{show.imdb_id}/")
    if show.wikidata_id:
        links.append(f"https://www.wikidata.org/wiki/{show.wikidata_id}")
    if show.tmdb_id:
        links.append(f"https://www.themoviedb.org/{'movie' if film else 'tv'}/{show.tmdb_id}")
    if links:
        data["sameAs"] = links
    if image := markup.schema_image(show.poster, "poster", request):
        data["image"] = image
    return data
