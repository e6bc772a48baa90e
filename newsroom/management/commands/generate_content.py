import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.search import index as search_index
from newsroom.fake_content import delete_generated, generate


class Command(BaseCommand):
    help = (
        "Make realistic FAKE content fast for load tests: stories, people, shows (with "
        "characters and credits), all with slugs starting 'generated-'. --delete removes "
        "exactly that content. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, help="Stories to make.")
        parser.add_argument("--people", type=int, default=0, help="People to make.")
        parser.add_argument("--shows", type=int, default=0, help="Shows to make.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--delete", action="store_true", help="Remove all generated content instead."
        )

    def handle(self, *args, articles, people, shows, seed, delete, verbosity, **options):
        if settings.PRODUCTION:
            raise CommandError("Generated content is for test machines, not production.")
        if min(articles, people, shows) < 0:
            raise CommandError("Counts must be zero or more.")
        if not delete and not (articles or people or shows):
            raise CommandError("Say how much to make: --articles N --people N --shows N.")
        if articles and not (people and shows):
            raise CommandError(
                "Stories need people and shows to be about: give --people and --shows."
            )
        progress = self.stdout.write if verbosity >= 1 else (lambda message: None)
        started = time.monotonic()
        if delete:
            report = delete_generated(progress=progress)
            verb = "Deleted"
        else:
            report = generate(
                articles=articles, people=people, shows=shows, seed=seed, progress=progress
            )
            search_index.tidy()
            verb = "Generated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {report.summary()} in {time.monotonic() - started:.1f} s.")
        )
