"""Import plain-text wire copy (the format in docs/formats/article-text.md).

``parse_story`` is pure: bytes in, a ``ParsedStory`` or a ``StoryError`` naming
the line out. ``save_story`` writes one story in its own transaction, matching
an earlier import of the same file by slug and date so re-imports update.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from articles.sanitize import clean_html, paragraphs_to_html
from common.models import SLUG_MAX_LENGTH
from common.text import slugify, unique_slug

DATE_LINE = re.compile(r"^\s*date(?:\s+(?P<date>\S+))?(?:\s+(?P<headline>.*))?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StoryError(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def where(self, name: str) -> str:
        return f"{name}:{self.line}" if self.line else name


@dataclass(frozen=True)
class ParsedStory:
    date: datetime.date
    headline: str
    paragraphs: list[str]

    @property
    def body_html(self) -> str:
        # Exactly what Article.save() stores, so re-imports compare equal.
        return clean_html(paragraphs_to_html(self.paragraphs))


def parse_story(raw: bytes) -> ParsedStory:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise StoryError(
            line, "not UTF-8 text (save the file as UTF-8 and import it again)"
        ) from None
    if not text.strip():
        raise StoryError(None, "the file is empty")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    first = next(i for i, line in enumerate(lines) if line.strip())
    number = first + 1
    match = DATE_LINE.match(lines[first])
    if not match:
        raise StoryError(
            number, "no date line: the story must start with “date YYYY-MM-DD Headline”"
        )
    raw_date = match["date"] or ""
    if not ISO_DATE.match(raw_date):
        raise StoryError(number, f"“{raw_date}” is not a date written as YYYY-MM-DD")
    try:
        date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        raise StoryError(number, f"{raw_date} is not a real date") from None
    headline = " ".join((match["headline"] or "").split())
    if not headline:
        raise StoryError(number, "the headline is empty: write it after the date on the same line")

    rest = lines[first + 1 :]
    if rest and rest[0].strip():
        raise StoryError(number + 1, "expected a blank line between the headline and the body")
    paragraphs, current = [], []
    for line in rest:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    if not paragraphs:
        raise StoryError(number + 1, "the body is empty: add paragraphs after a blank line")
    return ParsedStory(date=date, headline=headline, paragraphs=paragraphs)


def story_paths(path: Path) -> list[Path]:
    """A file as itself; a directory as every ``*.txt`` under it, in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.txt"))
    return [path]


def local_midnight(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def find_existing(slug: str, date: datetime.date) -> Article | None:
    """The article an earlier import of this story made: same base slug, same date."""
    pattern = rf"^{re.escape(slug)}(-[0-9]+)?$"
    candidates = Article.objects.filter(slug__regex=pattern).exclude(publish_at=None)
    same_day = [a for a in candidates if timezone.localdate(a.publish_at) == date]
    same_day.sort(key=lambda a: (a.slug != slug, len(a.slug), a.slug))
    return same_day[0] if same_day else None


@dataclass
class StoryOptions:
    status: str | None = None  # None: drafts for new stories, untouched on update
    section: object = None
    authors: tuple = ()


def save_story(parsed: ParsedStory, options: StoryOptions, *, dry_run: bool = False):
    """Create or update the article for ``parsed``. Returns (outcome, article)."""
    base = slugify(parsed.headline, SLUG_MAX_LENGTH) or "story"
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment("Imported from wire copy.")
        article = find_existing(base, parsed.date)
        created = article is None
        if created:
            article = Article(
                slug=unique_slug(
                    parsed.headline, lambda s: Article.objects.filter(slug=s).exists()
                ),
                publish_at=local_midnight(parsed.date),
                status=options.status or Article.Status.DRAFT,
            )
        changes = {"headline": parsed.headline, "body": parsed.body_html}
        if options.status and not created:
            changes["status"] = options.status
        if options.section is not None:
            changes["section"] = options.section
        changed = created or any(getattr(article, k) != v for k, v in changes.items())
        author_ids = [a.pk for a in options.authors]
        authors_changed = bool(author_ids) and (
            created or list(article.bylines.values_list("author_id", flat=True)) != author_ids
        )
        if not (changed or authors_changed):
            return "unchanged", article
        if dry_run:
            return ("created" if created else "updated"), article
        for key, value in changes.items():
            setattr(article, key, value)
        article.full_clean(exclude=["slug"] if not created else None)
        article.save()
        if authors_changed:
            article.bylines.all().delete()
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author_id=pk, position=i)
                for i, pk in enumerate(author_ids)
            )
    return ("created" if created else "updated"), article
