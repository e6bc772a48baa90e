import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.importing import StoryError, StoryOptions, parse_story, save_story, story_paths
from articles.models import Article, Author, Section


class Command(BaseCommand):
    help = (
        "Import plain-text stories (docs/formats/article-text.md): files, directories "
        "(every *.txt under them) or - for standard input. Re-importing a file updates "
        "the story it made before. Each bad file is reported with its line and skipped; "
        "the exit status is 1 if any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--status",
            choices=[s.value for s in Article.Status],
            help="Status to give the stories (new stories are drafts if not given; "
            "re-imported stories keep their status unless this is given).",
        )
        parser.add_argument("--section", help="Section slug or name for the stories.")
        parser.add_argument(
            "--author",
            action="append",
            default=[],
            help="Author slug or name for the byline; repeat for several authors, in order.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, paths, status, section, author, dry_run, verbosity, **options):
        story_options = StoryOptions(
            status=status,
            section=self.lookup(Section, section, "section") if section else None,
            authors=tuple(self.lookup(Author, a, "author") for a in author),
        )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        errors = []
        sources = list(self.expand(paths, errors))
        for index, (name, read) in enumerate(sources, start=1):
            try:
                parsed = parse_story(read())
                outcome, article = save_story(parsed, story_options, dry_run=dry_run)
            except StoryError as exc:
                errors.append(f"{exc.where(name)}: {exc.message}")
                self.stderr.write(self.style.ERROR(errors[-1]))
                continue
            except ValidationError as exc:
                errors.append(f"{name}: {'; '.join(exc.messages)}")
                self.stderr.write(self.style.ERROR(errors[-1]))
                continue
            except OSError as exc:
                errors.append(f"{name}: cannot read ({exc.strerror or exc})")
                self.stderr.write(self.style.ERROR(errors[-1]))
                continue
            counts[outcome] += 1
            if verbosity >= 2:
                self.stdout.write(
                    f"[{index}/{len(sources)}] {name}: {outcome} “{article.headline}”"
                )
            elif verbosity == 1 and len(sources) >= 100 and index % 100 == 0:
                self.stdout.write(f"{index}/{len(sources)} files…")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {len(errors)} refused."
        )
        if errors:
            raise CommandError(f"{len(errors)} input{'s' if len(errors) > 1 else ''} refused.")

    def expand(self, paths, errors):
        """(name, reader) for every story to import; bad paths go to ``errors``."""
        for raw in paths:
            if raw == "-":
                yield "<stdin>", sys.stdin.buffer.read
                continue
            path = Path(raw)
            if not path.exists():
                errors.append(f"{raw}: no such file or directory")
                self.stderr.write(self.style.ERROR(errors[-1]))
                continue
            found = story_paths(path)
            if path.is_dir() and not found:
                errors.append(f"{raw}: directory contains no .txt files")
                self.stderr.write(self.style.ERROR(errors[-1]))
            for story in found:
                yield str(story), self.reader(story)

    @staticmethod
    def reader(path: Path):
        def read():
            if path.is_dir():
                raise StoryError(None, "is a directory, not a story file")
            return path.read_bytes()

        return read

    @staticmethod
    def lookup(model, value, what):
        found = list(model.objects.filter(Q(slug=value) | Q(name__iexact=value))[:2])
        if len(found) != 1:
            known = ", ".join(model.objects.values_list("slug", flat=True)[:20]) or "none yet"
            raise CommandError(f"No single {what} “{value}” (known: {known}).")
        return found[0]
