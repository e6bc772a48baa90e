from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite or PostgreSQL) and local media into one .tar.gz "
        "with a manifest of checksums and row counts. Safe while the site is running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="Folder to write the archive into (default: backups/ beside manage.py).",
        )

    def handle(self, *args, output, verbosity, **options):
        progress = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            archive, manifest = create_backup(Path(output), progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows ({manifest.engine}) and {manifest.media_files} media "
                f"files to {archive}."
            )
        )
