"""A story's revisions (django-reversion): history with diffs, restoring an old
version, and keeping a refused stale save so no one's words are lost.

Every admin save, bulk action and import runs inside ``reversion.create_revision``,
so each one stores a revision: the story with its bylines, links to people,
characters and shows, corrections and tags, plus who saved it and a summary.
"""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles import diffs, workflow
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    Section,
)
from images.models import Image
from people.models import Character, Person
from shows.models import Show

# Comments of revisions that hold a refused save start with this.
REFUSED = "Not saved"

# What a restore brings back: the words, the featured picture and what the story links
# to. Pictures in the text come back with the body (a deleted one is left out). Not its
# address (slug), workflow state (status, times, owner) or corrections, which
# stay as they are now: restoring wording never unpublishes or moves a story.
RESTORED_FIELDS = (
    "headline",
    "dek",
    "body",
    "section_id",
    "featured_image_id",
    "seo_title",
    "seo_description",
)
NULLABLE = {"section_id", "featured_image_id"}
LINKS = (
    # (through model, related name on Article, target field, target model)
    (ArticleAuthor, "bylines", "author", Author),
    (ArticlePerson, "articleperson_set", "person", Person),
    (ArticleCharacter, "articlecharacter_set", "character", Character),
    (ArticleShow, "articleshow_set", "show", Show),
)


def versions_of(article):
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("pk")
    )


def is_refused(version) -> bool:
    return version.revision.comment.startswith(REFUSED)


def text_of(source) -> dict:
    """Headline, standfirst and body of a stored version or of a story."""
    if isinstance(source, Version):
        data = source.field_dict
        return {name: data.get(name) or "" for name in ("headline", "dek", "body")}
    return {"headline": source.headline, "dek": source.dek, "body": source.body}


@dataclass
class Entry:
    version: Version
    refused: bool
    number: int | None  # the story's version number it produced (None when refused)
    diff: list
    first: bool  # the first revision kept: nothing to compare it with

    @property
    def revision(self):
        return self.version.revision

    @property
    def changed(self):
        return [d for d in self.diff if d.changed]


def history(article) -> list[Entry]:
    """Every revision of ``article``, newest first, each with what it changed.

    A saved revision is compared with the saved one before it; a refused one
    with the saved version it was refused against.
    """
    entries, last_saved = [], None
    for version in versions_of(article):
        refused = is_refused(version)
        text = text_of(version)
        entries.append(
            Entry(
                version=version,
                refused=refused,
                number=None if refused else version.field_dict.get("version"),
                diff=diffs.diff_story(last_saved, text),
                first=last_saved is None,
            )
        )
        if not refused:
            last_saved = text
    entries.reverse()
    return entries


def latest_saved(article):
    for version in versions_of(article).reverse():
        if not is_refused(version):
            return version
    return None


def keep_refused_edit(article, user, built_from: int, stored: int):
    """Store the text of a refused stale save as a revision of its own.

    ``article`` carries the refused form's values and is not saved; its
    relations are the stored ones. The revision shows in the history as
    "Not saved" and can be restored like any other.
    """
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            f"{REFUSED}: this edit was built from version {built_from} but version "
            f"{stored} had been saved meanwhile. Kept here so nothing is lost."
        )
        reversion.set_date_created(timezone.now())
        reversion.add_to_revision(article)


def _linked(version, model) -> list[dict]:
    content_type = ContentType.objects.get_for_model(model)
    return [
        v.field_dict
        for v in version.revision.version_set.filter(content_type=content_type).order_by("pk")
    ]


def restore(article, version, user) -> tuple[Article, list[str]]:
    """Bring back ``version``'s words and links as a new revision.

    Refuses (PermissionDenied) a user who may not change the story as it is now,
    so a contributor cannot restore anything into a published story. Returns the
    saved story and what could not come back (things deleted since).
    """
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise PermissionDenied("That version belongs to another story.")
    data = version.field_dict
    skipped = []
    with transaction.atomic(), reversion.create_revision():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not workflow.can_change(user, current):
            raise PermissionDenied("You may not change this story.")
        saved = version.revision.date_created
        who = version.revision.user or "someone"
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version saved by {who} on "
            f"{timezone.localtime(saved):%b %d, %Y %H:%M %Z}."
        )
        for name in RESTORED_FIELDS:
            setattr(current, name, data.get(name, None if name in NULLABLE else ""))
        if current.section_id and not Section.objects.filter(pk=current.section_id).exists():
            skipped.append("section (deleted since)")
            current.section_id = article.section_id
        if (
            current.featured_image_id
            and not Image.objects.filter(pk=current.featured_image_id).exists()
        ):
            skipped.append("featured image (deleted since)")
            current.featured_image_id = article.featured_image_id
        current.save()

        for through, accessor, target, target_model in LINKS:
            rows = _linked(version, through)
            ids = {r[f"{target}_id"] for r in rows}
            existing = set(target_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if ids - existing:
                skipped.append(f"{len(ids - existing)} {through._meta.verbose_name_plural}")
            getattr(current, accessor).all().delete()
            for row in rows:
                if row[f"{target}_id"] not in existing:
                    continue
                values = {
                    f.attname: row[f.attname]
                    for f in through._meta.concrete_fields
                    if f.attname in row and f.attname not in {"id", "article_id"}
                }
                # One at a time, so each new row lands in the new revision.
                through.objects.create(article=current, **values)

        tag_rows = [
            r for r in _linked(version, TaggedItem) if str(r["object_id"]) == str(current.pk)
        ]
        tags = list(Tag.objects.filter(pk__in={r["tag_id"] for r in tag_rows}))
        current.tags.set(tags)
        related = data.get("related") or []
        current.related.set(Article.objects.filter(pk__in=related))
        reversion.add_to_revision(current)
    return current, skipped
