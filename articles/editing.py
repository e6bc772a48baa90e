"""Who else has a story open: the soft lock.

Opening a story's edit form records who opened it and when (``EditSession``, a
small table, so every app server sees the same thing). Others who open it within
``NEWSROOM_EDITING_NOTICE_MINUTES`` are told. Nothing is locked — a lock can
strand a story when a browser closes — and optimistic locking keeps concurrent
saves safe.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from articles.models import EditSession


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NEWSROOM_EDITING_NOTICE_MINUTES)


def opened(article, user) -> list[EditSession]:
    """Record that ``user`` opened ``article``; return the others who opened it lately,
    most recent first."""
    now = timezone.now()
    EditSession.objects.filter(article=article, opened_at__lt=now - window()).delete()
    EditSession.objects.update_or_create(article=article, user=user, defaults={"opened_at": now})
    return list(
        EditSession.objects.filter(article=article)
        .exclude(user=user)
        .select_related("user")
        .order_by("-opened_at")
    )


def closed(article, user) -> None:
    """``user`` saved and left the story: stop telling others they have it open."""
    EditSession.objects.filter(article=article, user=user).delete()
