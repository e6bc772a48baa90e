from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and local media with a backup made by `manage.py backup`. "
        "Checks every checksum first; refuses archives from another database engine or "
        "from newer code. Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive, yes, verbosity, **options):
        progress = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            manifest = read_manifest(Path(archive))
            if not yes:
                answer = input(
                    f"Replace ALL current content with the backup from "
                    f"{manifest.data['created_at']}? Type 'restore' to go on: "
                )
                if answer.strip() != "restore":
                    raise CommandError("Restore cancelled; nothing was changed.")
            manifest = restore_backup(Path(archive), progress=progress)
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        rows = sum(manifest.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {manifest.media_files} media files from {archive}. "
                "Run `manage.py migrate` if this code is newer than the backup."
            )
        )
