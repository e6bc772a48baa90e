import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from images.models import Image


class Command(BaseCommand):
    help = (
        "Delete files under images/ in media storage that no image names any more (left by a "
        "crash between a commit and a file operation). Files younger than --min-age are kept, "
        "so uploads in progress are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")
        parser.add_argument(
            "--min-age", type=int, default=60, help="Minutes a stray file must be old (60)."
        )

    def handle(self, *args, dry_run=False, min_age=60, **options):
        storage = default_storage
        # Listed before the names are read: a file written after this listing is not judged.
        found = list(_walk(storage, "images"))
        named = set()
        for image in Image.objects.only("file", "renditions").iterator():
            named |= image.stored_names()
        cutoff = timezone.now() - datetime.timedelta(minutes=min_age)
        stray = [
            name for name in found if name not in named and storage.get_modified_time(name) < cutoff
        ]
        for name in stray:
            if options["verbosity"] > 1 or dry_run:
                self.stdout.write(name)
            if not dry_run:
                storage.delete(name)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(stray)} stray files of {len(found)} under images/.")
        )


def _walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")
