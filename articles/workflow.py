"""The editorial workflow: who may do what to a story, and the transitions that
publish, schedule, unpublish and delete it.

Every change of a story's publication goes through here — the admin form, the
bulk actions, deletes — so each one is permission-checked in one place and
recorded in the audit log (``AuditEntry``). Visibility itself stays with
``Article.objects.published()``: a story published with a future ``publish_at``
is scheduled, and appears on its own at that time.
"""

from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry

Status = Article.Status

# What a contributor may set, and the states in which their own story stays theirs.
CONTRIBUTOR_STATUSES = (Status.DRAFT, Status.REVIEW)


def can_publish(user) -> bool:
    """Publish, schedule, unpublish, and delete what readers have seen."""
    return user.has_perm("articles.publish_article")


def can_edit_any(user) -> bool:
    return user.has_perm("articles.edit_any_article")


def is_owner(user, article) -> bool:
    return user.pk is not None and article.owner_id == user.pk


def can_view(user, article) -> bool:
    return can_edit_any(user) or is_owner(user, article)


def can_change(user, article) -> bool:
    """Editors change any story; contributors only their own drafts (and ones in review)."""
    if can_edit_any(user):
        return True
    return is_owner(user, article) and article.status in CONTRIBUTOR_STATUSES


def can_delete(user, article) -> bool:
    if article.status == Status.PUBLISHED or article.first_published_at is not None:
        # Deleting what readers have seen is an unpublish: editors only.
        return can_publish(user) and can_change(user, article)
    return can_change(user, article)


def allowed_statuses(user) -> list[str]:
    return list(Status.values) if can_publish(user) else list(CONTRIBUTOR_STATUSES)


def state(article, now=None) -> str:
    """The state editors see: a published story with a future time is "scheduled"."""
    if article.status == Status.PUBLISHED and not article.is_public(now):
        return "scheduled"
    return article.status


@dataclass(frozen=True)
class Stored:
    """The part of a stored story that decides what a save may do."""

    owner_id: int | None
    status: str
    publish_at: object
    first_published_at: object

    @classmethod
    def load(cls, pk):
        row = (
            Article.objects.select_for_update()
            .filter(pk=pk)
            .values("owner_id", "status", "publish_at", "first_published_at")
            .first()
        )
        return cls(**row) if row else None


def publication_change(before, after) -> str | None:
    """The audit action a save amounts to, if it touches publication at all."""
    was_published = before is not None and before.status == Status.PUBLISHED
    if after.status == Status.PUBLISHED:
        if was_published and before.publish_at == after.publish_at:
            return None
        if after.publish_at is not None and after.publish_at > timezone.now():
            return AuditEntry.Action.SCHEDULED
        return AuditEntry.Action.PUBLISHED
    return AuditEntry.Action.UNPUBLISHED if was_published else None


def record(action, article, user, note="") -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        user=user if user and user.pk else None,
        username=user.get_username() if user and user.pk else "",
        article=article,
        article_pk=article.pk,
        headline=article.headline[:250],
        publish_at=article.publish_at,
        note=note[:250],
    )


@transaction.atomic
def save_story(article, user) -> str | None:
    """Save ``article`` as edited by ``user``: the admin form's save.

    Refuses (PermissionDenied) a user who may not change the stored story, or who
    would publish, schedule or unpublish without the right to. A new story
    becomes the user's own. Returns the audit action recorded, if any.
    Raises ``StaleEdit`` when the story changed since ``article`` was loaded.
    """
    before = Stored.load(article.pk) if article.pk else None
    if before is not None and not can_change(user, before):
        raise PermissionDenied("You may not change this story.")
    if before is None and article.owner_id is None:
        article.owner = user
    if not can_publish(user):
        if article.status not in CONTRIBUTOR_STATUSES:
            raise PermissionDenied("Only editors may publish, schedule or unpublish.")
        if before is not None and not can_edit_any(user):
            # Ownership is not theirs to give away.
            article.owner_id = before.owner_id
    action = publication_change(before, article)
    if action and not can_publish(user):
        raise PermissionDenied("Only editors may publish, schedule or unpublish.")
    article.save()
    if action:
        record(action, article, user)
    return action


def _set_status(article, user, status, comment) -> str | None:
    if not can_publish(user):
        raise PermissionDenied("Only editors may publish, schedule or unpublish.")
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        current = Article.objects.select_for_update().get(pk=article.pk)
        if not can_change(user, current) or current.status == status:
            return None
        before = Stored(
            current.owner_id, current.status, current.publish_at, current.first_published_at
        )
        current.status = status
        current.save()
        action = publication_change(before, current)
        if action:
            record(action, current, user)
        return action


def publish(article, user) -> str | None:
    """Publish now, or at the story's future ``publish_at`` (then it is scheduled)."""
    return _set_status(article, user, Status.PUBLISHED, "Published from the story list.")


def unpublish(article, user) -> str | None:
    return _set_status(article, user, Status.UNPUBLISHED, "Unpublished from the story list.")


@transaction.atomic
def delete_story(article, user) -> None:
    current = Article.objects.select_for_update().filter(pk=article.pk).first()
    if current is None:
        return
    if not can_delete(user, current):
        raise PermissionDenied(f"You may not delete “{current}”.")
    record(AuditEntry.Action.DELETED, current, user, note=f"Status was {current.status}.")
    current.delete()
