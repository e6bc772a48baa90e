"""Realistic fake content for load tests and benchmarks, made fast and removable.

Everything made here has a slug starting with ``generated-`` (people, shows,
characters, authors, stories), so it is plainly fake in every URL and
``delete_generated()`` removes exactly it. Rows go in with ``bulk_create``
(no per-row signals), so the matcher's talent token is renewed by hand.
The sentences are the project's own templates, filled with generated names.
"""

import datetime
import html
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import freshness
from articles.mentions.adapter import bump_talent_version
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    EntityLink,
    Section,
)
from articles.search import index as search_index
from common.text import slugify
from people.models import Character, Credit, Person
from shows.models import Show

PREFIX = "generated-"
BATCH = 2000

FIRST = (
    "Ava Bea Caleb Dana Eli Farah Gideon Hana Iker Jada Kofi Lena Mateo Nia Omar Priya Quinn "
    "Rosa Sami Tessa Uma Vik Wren Xavi Yara Zoë Renée Søren Héctor Niamh Aoife Joaquín Mei "
    "Ines Luca Noor Ravi Sade Tomás Ines Amara Bruno Chloé Dmitri Esme Femi Greta Hugo Isla"
).split()
LAST = (
    "Abernathy Brennan Castellanos Dolan Echeverría Fairweather Garrido Hale Ibsen Jovanovic "
    "Kowalski Lindqvist Marchetti Nakamura O'Dowd Okonkwo Pereira Quist Raghunathan Santos "
    "Takahashi Ueda Villanueva Whitlock Xu Yilmaz Zeller Arceneaux Ashby Calloway Marsh Voss "
    "Brandt Ortega Ferrand Keyes Lowry Mbeki Novak Oyelaran Petrov Quintero Rahman Sørensen"
).split()
TITLE_A = (
    "Harbor Midnight Silver Broken Golden Northern Quiet Burning Hidden Last Lantern Crimson "
    "Velvet Saint Distant Hollow Wild Iron Paper Glass Summer Winter Electric Borrowed"
).split()
TITLE_B = (
    "Lights Street Falls Ferry Inheritance Saffron Hearts Coast Orchard Kingdom Signal Harvest "
    "Station Tide Letters Crown Empire Garden Hours Avenue Bridge Circuit Frontier Verdict"
).split()
NETWORKS = "Tidewater Lumora Streamvale Larkspur Copperline Ashgrove Meridian Northlight".split()
TAGS = (
    "casting ratings streaming reboots recaps spoilers festivals premieres exits weddings "
    "anniversaries soaps awards-season reviews interviews renewals cancellations trailers "
    "box-office showrunners finales crossovers documentaries comedy drama thrillers"
).split()
SENTENCES = (
    "{person} says the new season of {show} surprised even the cast.",
    "Fans of {show} have waited two years for this moment, and {person} knows it.",
    "In the latest episode, {character} makes a choice that changes everything.",
    "{person} described the table read as the most nervous day of the year.",
    "The network confirmed that {show} will return next spring with ten episodes.",
    "Critics singled out {person} for a performance that is quiet and fierce.",
    "Behind the scenes, the writers rebuilt {character}'s story from the ground up.",
    "Ratings for {show} climbed for the third week running, the studio said.",
    "{person} joined the cast of {show} after a long run on the stage.",
    "The finale left {character} on a ferry dock with nowhere left to run.",
    "Producers say the budget for {show} doubled after the streaming deal.",
    "Asked about the rumours, {person} only smiled and changed the subject.",
    "A spokesperson for the network declined to comment on the schedule.",
    "The premiere drew a standing ovation that lasted almost seven minutes.",
    "Viewers will see {character} return in a two-part story later this month.",
    "Filming moved to a harbour town where the crew worked through the night.",
    "The showrunner promised answers, and a few new questions, before the break.",
    "{person} has been nominated twice before and says this time feels different.",
)
HEADLINES = (
    "{person} joins {show} for its biggest season yet",
    "‘{show}’ renewed as ratings climb for a third week",
    "{person} on playing {character}: “I didn’t want to be liked”",
    "{show} finale recap: {character} makes the call",
    "Review: ‘{show}’ is back, and better than ever",
    "{person} exits {show} after a decade as {character}",
    "Inside the writers’ room of ‘{show}’",
    "{show} recasts {character} ahead of anniversary week",
)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{n:,} {what}" for what, n in self.counts.items())


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _insert(model, objects, progress, label) -> list:
    made = []
    for start in range(0, len(objects), BATCH):
        made += model.objects.bulk_create(objects[start : start + BATCH], batch_size=BATCH)
        progress(f"{label}: {min(start + BATCH, len(objects)):,}/{len(objects):,}")
    return made


def generate(
    *,
    articles: int,
    people: int,
    shows: int,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> Report:
    """Make ``people`` people, ``shows`` shows (with characters and credits) and
    ``articles`` published stories linked to them. One transaction."""
    rng = random.Random(seed)
    report = Report()
    now = timezone.now()
    with transaction.atomic():
        start = Person.objects.filter(slug__startswith=PREFIX).count()

        people_objs = []
        for i in range(people):
            person = Person(name=_name(rng), slug=f"{PREFIX}person-{start + i}")
            person.bio = f"{person.name} is an actor. This record is generated test data."
            person.sort_name = f"{person.name.split()[-1]}, {person.name.split()[0]}"
            person.refresh_search_names()
            people_objs.append(person)
        people_objs = _insert(Person, people_objs, progress, "people")

        show_objs = []
        for i in range(shows):
            title = f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}"
            year = rng.randint(1980, 2026)
            show = Show(
                title=title,
                slug=f"{PREFIX}show-{start + i}",
                kind=rng.choice(["series", "series", "series", "film", "soap", "miniseries"]),
                network=rng.choice(NETWORKS),
                start_year=year,
                end_year=rng.choice([None, min(2026, year + rng.randint(0, 12))]),
                synopsis="Generated test data.",
                sort_title=title,
            )
            show.refresh_search_names()
            show_objs.append(show)
        show_objs = _insert(Show, show_objs, progress, "shows")

        characters, credits = [], []
        for i, show in enumerate(show_objs):
            for j in range(rng.randint(1, 3)):
                character = Character(
                    name=_name(rng), show=show, slug=f"{PREFIX}character-{start + i}-{j}"
                )
                character.refresh_search_names()
                characters.append(character)
        characters = _insert(Character, characters, progress, "characters")
        seen = set()
        for character in characters:
            person = rng.choice(people_objs) if people_objs else None
            if person and (person.pk, character.pk) not in seen:
                seen.add((person.pk, character.pk))
                credits.append(
                    Credit(
                        person=person,
                        show_id=character.show_id,
                        character=character,
                        start_year=rng.randint(1990, 2026),
                    )
                )
        _insert(Credit, credits, progress, "credits")
        bump_talent_version()

        sections = list(Section.objects.all()) or [
            Section.objects.create(name=name, position=i)
            for i, name in enumerate(["News", "TV", "Film", "Reviews", "Interviews"])
        ]
        authors = list(Author.objects.filter(slug__startswith=PREFIX)) or _insert(
            Author,
            [Author(name=_name(rng), slug=f"{PREFIX}author-{n}") for n in range(12)],
            progress,
            "authors",
        )
        # Reuse a tag the site already has under the same slug ("awards season").
        tags = [
            Tag.objects.filter(slug=name).first() or Tag.objects.create(name=name, slug=name)
            for name in TAGS
        ]
        by_show: dict[int, list[Character]] = {}
        for character in characters:
            by_show.setdefault(character.show_id, []).append(character)

        article_objs, picks = [], []
        oldest = now - datetime.timedelta(days=5 * 365)
        span = (now - oldest).total_seconds()
        taken = set(Article.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
        for i in range(articles):
            person = rng.choice(people_objs) if people_objs else None
            show = rng.choice(show_objs) if show_objs else None
            character = rng.choice(by_show.get(show.pk, [None])) if show else None
            names = {
                "person": person.name if person else "A rising star",
                "show": show.title if show else "the new drama",
                "character": character.name if character else "the lead",
            }
            headline = rng.choice(HEADLINES).format(**names)
            paragraphs = [
                " ".join(rng.choice(SENTENCES).format(**names) for _ in range(rng.randint(2, 5)))
                for _ in range(rng.randint(6, 14))
            ]
            slug = f"{PREFIX}{slugify(headline, 60)}-{i}"
            while slug in taken:
                slug += "x"
            taken.add(slug)
            published = oldest + datetime.timedelta(seconds=rng.random() * span)
            article_objs.append(
                Article(
                    headline=headline,
                    slug=slug,
                    dek=paragraphs[0][:300],
                    body="".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
                    section=rng.choice(sections),
                    status=Article.Status.PUBLISHED,
                    publish_at=published,
                    first_published_at=published,
                )
            )
            picks.append((person, character, show))
        article_objs = _insert(Article, article_objs, progress, "stories")

        bylines, person_links, character_links, show_links, tagged = [], [], [], [], []
        article_type = ContentType.objects.get_for_model(Article)
        detected = EntityLink.Source.DETECTED
        for article, (person, character, show) in zip(article_objs, picks, strict=True):
            bylines.append(ArticleAuthor(article=article, author=rng.choice(authors), position=0))
            if person:
                person_links.append(
                    ArticlePerson(
                        article=article, person=person, source=detected, matched=[person.name]
                    )
                )
            if character:
                character_links.append(
                    ArticleCharacter(
                        article=article,
                        character=character,
                        source=detected,
                        matched=[character.name],
                    )
                )
            if show:
                show_links.append(
                    ArticleShow(article=article, show=show, source=detected, matched=[show.title])
                )
            for tag in rng.sample(tags, rng.randint(1, 3)):
                tagged.append(TaggedItem(tag=tag, content_type=article_type, object_id=article.pk))
        _insert(ArticleAuthor, bylines, progress, "bylines")
        _insert(ArticlePerson, person_links, progress, "person links")
        _insert(ArticleCharacter, character_links, progress, "character links")
        _insert(ArticleShow, show_links, progress, "show links")
        _insert(TaggedItem, tagged, progress, "tags")
        # Bulk inserts send no signals: index the stories and retire cached pages by hand.
        search_index.reindex(
            [article.pk for article in article_objs],
            lambda done: progress(f"search index: {done:,}/{len(article_objs):,}"),
        )
        freshness.bump()

    report.counts = {
        "stories": len(article_objs),
        "people": len(people_objs),
        "shows": len(show_objs),
        "characters": len(characters),
        "credits": len(credits),
        "entity links": len(person_links) + len(character_links) + len(show_links),
    }
    return report


def delete_generated(progress: Callable[[str], None] = lambda message: None) -> Report:
    """Remove everything ``generate`` made (and nothing else), in batches."""
    report = Report()
    article_type = ContentType.objects.get_for_model(Article)
    # Muted: one content-version bump at the end, not one per deleted row.
    with transaction.atomic(), freshness.muted():
        for label, model in (
            ("stories", Article),
            ("characters", Character),
            ("shows", Show),
            ("people", Person),
            ("authors", Author),
        ):
            ids = list(model.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                if model is Article:
                    # Tags hang off a generic relation, which delete() does not follow.
                    TaggedItem.objects.filter(
                        content_type=article_type, object_id__in=chunk
                    ).delete()
                model.objects.filter(pk__in=chunk).delete()
                progress(f"{label}: deleted {min(start + BATCH, len(ids)):,}/{len(ids):,}")
            report.counts[label] = len(ids)
        bump_talent_version()
    freshness.bump()
    return report
