"""The public page types the tests visit, found in the demo content."""


def page_types():
    """One URL for every public page type, from the demo content."""
    from articles.models import Article, Author, Section
    from people.models import Character, Person
    from shows.models import Show

    article = Article.objects.published().filter(corrections__isnull=False).first()
    when = article.publish_at
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": Section.objects.get(slug="tv").get_absolute_url(),
        "tag": "/tags/soaps/",
        "author": Author.objects.get(slug="dana-whitcombe").get_absolute_url(),
        "archive": f"/archive/{when:%Y}/{when:%m}/",
        "person": Person.objects.get(slug="ruth-abernathy").get_absolute_url(),
        "character": Character.objects.get(slug="caleb-marsh").get_absolute_url(),
        "show": Show.objects.get(slug="harbor-lights").get_absolute_url(),
        "people-index": "/people/",
        "shows-index": "/shows/",
        "search": "/search/?q=harbor",
        "not-found": "/no-such-page/",
    }
