import json as jsonlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.mentions.adapter import current_matcher
from articles.mentions.linking import link_article
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Detect the people, characters and shows named in stories and update their links "
        "(hand-added links and editors' rejections are kept). With --json, print one JSON "
        "object per story."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every story.")
        which.add_argument(
            "--article",
            nargs="+",
            metavar="ID",
            help="Stories by id or slug.",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object per story (JSON Lines)."
        )

    def handle(self, *args, verbosity, **options):
        as_json, article = options["json"], options["article"]
        if options["all"]:
            stories = Article.objects.order_by("pk")
        else:
            ids = [a for a in article if a.isdigit()]
            slugs = [a for a in article if not a.isdigit()]
            stories = Article.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs)).order_by("pk")
            found = {str(a.pk) for a in stories} | {a.slug for a in stories}
            missing = [a for a in article if a not in found]
            if missing:
                raise CommandError(f"No story with id or slug: {', '.join(missing)}.")
        total = stories.count()
        started = time.monotonic()
        matcher = current_matcher()
        built = time.monotonic() - started
        added = removed = flagged = 0
        stories = stories.prefetch_related(
            "mention_rejections",
            "mention_flags",
            "articleperson_set",
            "articlecharacter_set",
            "articleshow_set",
        )
        for done, story in enumerate(stories.iterator(chunk_size=500), start=1):
            report = link_article(story, matcher, report=as_json)
            added += report.added
            removed += report.removed
            flagged += len(report.misspellings) + len(report.ambiguous)
            if as_json:
                self.stdout.write(_json(report.as_json()))
            elif verbosity >= 2:
                self.stdout.write(
                    f"{story.slug}: +{report.added} −{report.removed}, "
                    f"{len(report.misspellings)} misspellings, {len(report.ambiguous)} ambiguous"
                )
            if not as_json and verbosity >= 1 and total >= 200 and done % 500 == 0:
                self.stdout.write(f"{done}/{total} stories…")
        summary = (
            f"Linked {total} stories in {time.monotonic() - started:.1f} s (matcher built in "
            f"{built:.1f} s): {added} links added, {removed} removed, {flagged} names flagged "
            "for an editor."
        )
        (self.stderr if as_json else self.stdout).write(summary)


def _json(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
