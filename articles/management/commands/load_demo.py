import datetime
import json
import zlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.importing import StoryOptions, parse_story, save_story
from articles.models import Article, Author, Correction, Section
from images import demo as drawings
from images.models import Image
from people.importing import import_entities
from people.models import Character, Person
from shows.models import Show

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_USER = "editor"
DEMO_CONTRIBUTOR = "writer"
DEMO_PASSWORD = "read-all-about-it"

# The demo's pictures are drawn in code (images.demo): one per story, in its section's
# colours, and headshots and posters for the people and shows the stories name most.
SECTION_PALETTES = {
    "news": "cobalt",
    "tv": "crimson",
    "film": "amber",
    "reviews": "violet",
    "interviews": "rose",
}
COLOURS = {
    "crimson": "deep red and coral",
    "violet": "violet and lilac",
    "amber": "amber and gold",
    "teal": "teal and mint green",
    "cobalt": "dark and pale blue",
    "rose": "magenta and pink",
    "slate": "grey and pale blue",
}
HEADSHOTS = {
    "ruth-abernathy": "teal",
    "niamh-odowd": "rose",
    "renee-castellanos": "amber",
    "gideon-ashby": "slate",
}
POSTERS = {
    "harbor-lights": "cobalt",
    "salt-and-saffron": "amber",
    "meridian-falls": "violet",
    "saint-brigids": "teal",
}
PICTURE_CREDIT = "Illustration: Newsroom demo"


class Command(BaseCommand):
    help = (
        "Load the demo site (sections, authors, talent database, stories from demo/, "
        "pictures drawn in code) and "
        "make the demo editor login. Safe to run again: nothing is duplicated. "
        "Refused in production."
    )

    def handle(self, *args, verbosity, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo content is for development machines, not production.")
        with transaction.atomic():
            sections = self.load_sections()
            authors = self.load_authors()
            report = import_entities(json.loads((DEMO_DIR / "entities.json").read_text()))
            if report.errors:
                raise CommandError("demo/entities.json: " + "; ".join(report.errors))
            counts = self.load_stories(sections, authors, verbosity)
            pictures = self.load_pictures()
            created_user = self.ensure_editor()
            self.ensure_contributor()
        self.stdout.write(
            f"Demo content: {len(sections)} sections, {len(authors)} authors, "
            f"{report.summary()}; stories {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged; "
            f"pictures {pictures} drawn."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo editor login{' (new)' if created_user else ''}: "
                f"user “{DEMO_USER}”, password “{DEMO_PASSWORD}” at /{settings.ADMIN_URL}"
            )
        )
        self.stdout.write(
            f"Demo contributor login: user “{DEMO_CONTRIBUTOR}”, same password "
            "(sees and edits only their own drafts)."
        )

    def load_sections(self):
        sections = {}
        for position, entry in enumerate(json.loads((DEMO_DIR / "sections.json").read_text())):
            section, _ = Section.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "description": entry.get("description", ""),
                    "position": position,
                },
            )
            sections[section.slug] = section
        return sections

    def load_authors(self):
        authors = {}
        for entry in json.loads((DEMO_DIR / "authors.json").read_text()):
            author, _ = Author.objects.update_or_create(
                slug=entry["slug"],
                defaults={k: entry.get(k, "") for k in ("name", "bio", "email", "job_title")},
            )
            authors[author.slug] = author
        return authors

    def load_stories(self, sections, authors, verbosity):
        assignments = json.loads((DEMO_DIR / "assignments.json").read_text())
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.stories = {}
        for relative, extra in sorted(assignments.items()):
            path = DEMO_DIR / "articles" / relative
            options = StoryOptions(
                status=Article.Status.PUBLISHED,
                section=sections[relative.split("/")[0]],
                authors=tuple(authors[slug] for slug in extra["authors"]),
            )
            outcome, article = save_story(parse_story(path.read_bytes()), options)
            self.stories[relative] = article
            changed = set(article.tags.names()) != set(extra["tags"])
            if changed:
                article.tags.set(extra["tags"])
            changed |= self.link_entities(article, extra)
            changed |= self.add_corrections(article, extra.get("corrections", []))
            if changed and outcome == "unchanged":
                outcome = "updated"
            counts[outcome] += 1
            if verbosity >= 2:
                self.stdout.write(f"  {relative}: {outcome}")
        return counts

    def link_entities(self, article, extra) -> bool:
        """Make sure the people, characters and shows the demo says a story is about are
        linked (by hand, by slug). Links mention detection made stay: this only adds."""
        changed = False
        for field, model in (("people", Person), ("characters", Character), ("shows", Show)):
            wanted = list(model.objects.filter(slug__in=extra.get(field, [])))
            missing = set(extra.get(field, [])) - {record.slug for record in wanted}
            if missing:
                raise CommandError(f"demo/assignments.json: unknown {field}: {sorted(missing)}")
            manager = getattr(article, field)
            linked = {record.pk for record in manager.all()}
            missing_links = [record for record in wanted if record.pk not in linked]
            if missing_links:
                manager.add(*missing_links)
                changed = True
        return changed

    def add_corrections(self, article, corrections) -> bool:
        changed = False
        for entry in corrections:
            _, created = Correction.objects.get_or_create(
                article=article,
                note=entry["note"],
                defaults={
                    "kind": entry["kind"],
                    "published_at": datetime.datetime.fromisoformat(entry["published_at"]),
                },
            )
            changed |= created
        return changed

    def load_pictures(self) -> int:
        """Give every story a featured picture, and a few people and shows a headshot or
        poster, through the same checked upload path as the admin. A picture is drawn only
        when it is missing (found again by its title), and only an empty slot is filled, so
        running this again adds nothing and never replaces an editor's choice."""
        drawn = 0

        def picture(key, make, **fields):
            nonlocal drawn
            title = f"Demo · {key}"
            image = Image.objects.filter(title=title).first()
            if image is None:
                image = Image.objects.create_from_upload(
                    make(), name=f"demo-{key.replace('/', '-')}.jpg", title=title, **fields
                )
                drawn += 1
            return image

        for relative, article in sorted(self.stories.items()):
            if article.featured_image_id is not None:
                continue
            palette = SECTION_PALETTES.get(relative.split("/")[0], "slate")
            seed = zlib.crc32(relative.encode())
            article.featured_image = picture(
                f"story {relative.removesuffix('.txt')}",
                lambda palette=palette, seed=seed: drawings.illustration(palette, seed),
                alt_text=f"Abstract illustration: blurred stage lights in {COLOURS[palette]}",
                caption="Drawn for the demo site, where a newsroom would run a photograph.",
                credit=PICTURE_CREDIT,
            )
            article.save(update_fields=["featured_image"])
        for person in Person.objects.filter(slug__in=HEADSHOTS, headshot__isnull=True):
            palette = HEADSHOTS[person.slug]
            person.headshot = picture(
                f"headshot {person.slug}",
                lambda palette=palette, slug=person.slug: drawings.portrait(
                    palette, zlib.crc32(slug.encode())
                ),
                alt_text=f"Placeholder portrait: a silhouette standing in for {person.name}",
                credit=PICTURE_CREDIT,
                focal_x=0.5,
                focal_y=0.35,
            )
            person.save(update_fields=["headshot"])
        for show in Show.objects.filter(slug__in=POSTERS, poster__isnull=True):
            palette = POSTERS[show.slug]
            show.poster = picture(
                f"poster {show.slug}",
                lambda palette=palette, show=show: drawings.poster(
                    palette, zlib.crc32(show.slug.encode()), show.title
                ),
                alt_text=f"Poster illustration with the title “{show.title}”",
                credit=PICTURE_CREDIT,
            )
            show.save(update_fields=["poster"])
        return drawn

    def ensure_editor(self) -> bool:
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USER,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Demo",
                "last_name": "Editor",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return created

    def ensure_contributor(self) -> None:
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_CONTRIBUTOR,
            defaults={"is_staff": True, "first_name": "Demo", "last_name": "Contributor"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name="Contributor"))
