from django.core.management.base import BaseCommand, CommandError

from images.models import Image


class Command(BaseCommand):
    help = (
        "Make every rendition again from the stored masters, e.g. after the widths, crops or "
        "encoder settings in images.processing change. Each image is its own transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these images (default: all).")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, ids=(), dry_run=False, **options):
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
            missing = set(ids) - set(images.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No image with id {', '.join(map(str, sorted(missing)))}.")
        if dry_run:
            self.stdout.write(f"Would regenerate {images.count()} images.")
            return
        failed = 0
        done = 0
        for image in images.iterator():
            try:
                image.regenerate_renditions()
            except Exception as exc:  # one broken master must not stop the rest
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image}): {exc}")
                continue
            done += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"Image {image.pk}: {len(image.renditions)} renditions")
        self.stdout.write(self.style.SUCCESS(f"Regenerated {done} images."))
        if failed:
            raise CommandError(f"{failed} images could not be regenerated.")
