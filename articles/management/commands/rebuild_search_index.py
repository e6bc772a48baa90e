import time

from django.core.management.base import BaseCommand

from articles.search.index import rebuild, tidy


class Command(BaseCommand):
    help = (
        "Rebuild the story search index from scratch: every published story, with the "
        "names of the people, characters and shows it is linked to. Saving a story keeps "
        "its entry current on its own; run this after a bulk load that skipped signals "
        "(a raw SQL import, a restore from another system). One transaction: readers "
        "keep searching the old index until it commits."
    )

    def handle(self, *args, verbosity, **options):
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if verbosity >= 1 and (time.monotonic() - last[0] > 2 or done == total):
                last[0] = time.monotonic()
                self.stdout.write(f"indexed {done:,}/{total:,} stories")

        indexed, stories = rebuild(progress)
        tidy()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {indexed:,} published stories indexed, "
                f"{stories - indexed:,} unpublished ones (drafts, in review, withdrawn) skipped, "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
