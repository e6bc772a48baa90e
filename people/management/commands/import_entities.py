import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.importing import import_entities


class Command(BaseCommand):
    help = (
        "Load or update the talent database (people, shows, characters, credits) from a "
        "JSON file in the format of docs/formats/entities.md. All or nothing by default; "
        "--partial keeps the good entries. Running the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the JSON file, or - for standard input.")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Apply the good entries even when some are refused (exit status is still 1).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, file, partial, dry_run, verbosity, **options):
        data = self.read(file)
        progress = None
        if verbosity >= 2:
            progress = lambda message: self.stdout.write(f"  {message}")  # noqa: E731
        report = import_entities(data, partial=partial, dry_run=dry_run, progress=progress)
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"{file}: {error}"))
        written = not dry_run and (partial or not report.errors)
        prefix = "Dry run, nothing written: " if dry_run else "" if written else "Nothing written: "
        self.stdout.write(f"{prefix}{report.summary()}.")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} entr{'y' if len(report.errors) == 1 else 'ies'} refused"
                + (
                    ""
                    if partial or dry_run
                    else "; the file was not applied (use --partial to apply the good entries)"
                )
                + "."
            )

    def read(self, file):
        try:
            raw = self.stdin_bytes() if file == "-" else Path(file).read_bytes()
        except IsADirectoryError:
            raise CommandError(f"{file}: is a directory; give the JSON file.") from None
        except OSError as exc:
            raise CommandError(f"{file}: cannot read ({exc.strerror}).") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CommandError(f"{file}:{line}: not UTF-8 text.") from None
        if not text.strip():
            raise CommandError(f"{file}: the file is empty.")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})."
            ) from None

    def stdin_bytes(self):
        import sys

        return sys.stdin.buffer.read()
