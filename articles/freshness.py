"""When public pages change: the version every cached page and feed is stored under.

A public page is cached whole under a key that includes the *content version*
(``newsroom.pagecache``). The version has two parts:

- a random token in the database (``ContentVersion``), renewed in the same
  transaction as any change that can show on a public page: a story, its
  bylines, entity links, tags or corrections; a section, an author; a person,
  character, show or credit; a tag. A new token retires every cached page at
  once — coarse, but exact, and a newsroom saves far less often than readers
  read;
- the newest ``publish_at`` among public stories. A scheduled story coming due
  changes it with nothing written anywhere, so the story appears at its time.

Both are read in one small indexed query, at most once per
``NEWSROOM_CACHE_CHECK_SECONDS`` per process (the process keeps the answer that
long; a change made by the process itself forgets it at once). Every worker on
every app server reads the same database, so all of them move to the new
version within that interval, whatever the cache backend: the local-memory
cache of one worker cannot serve a page another worker has retired.
"""

import contextlib
import contextvars
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    ContentVersion,
    Correction,
    Section,
)

# (checked at, (token, changed_at, boundary)); replaced whole, never mutated, so a
# threaded worker reads either the old pair or the new one.
_memo: tuple[float, tuple] | None = None
# Set by muted(): bulk jobs bump once at the end instead of once per row.
_muted = contextvars.ContextVar("freshness_muted", default=False)


def forget() -> None:
    """Make this process read the version again on its next request."""
    global _memo
    _memo = None


def current() -> tuple:
    """``(token, changed_at, boundary)`` for this moment, from the database at most
    once per ``NEWSROOM_CACHE_CHECK_SECONDS``."""
    global _memo
    now = time.time()
    memo = _memo
    if memo is not None and 0 <= now - memo[0] < settings.NEWSROOM_CACHE_CHECK_SECONDS:
        return memo[1]
    newest = Article.objects.published().order_by("-publish_at").values("publish_at")[:1]
    row = (
        ContentVersion.objects.filter(pk=1)
        .annotate(boundary=Subquery(newest))
        .values_list("token", "changed_at", "boundary")
        .first()
    )
    if row is None:
        # No version row yet (a flushed database): the boundary still counts.
        row = ("", None, newest.values_list("publish_at", flat=True).first())
    _memo = (now, row)
    return row


def key_part(version: tuple) -> str:
    token, _changed_at, boundary = version
    return f"{token}.{boundary.timestamp() if boundary else 0}"


def last_modified(version: tuple):
    """The latest moment any public page can have changed."""
    moments = [moment for moment in version[1:] if moment]
    return max(moments, default=None)


@contextlib.contextmanager
def muted():
    """Signals inside do not bump; the caller bumps once when done (bulk jobs)."""
    reset = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(reset)


def bump() -> None:
    """Record that public content changed. Runs in the caller's transaction, so the
    new token becomes visible with the change itself, never before it."""
    if _muted.get():
        return
    token = uuid.uuid4().hex
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        ContentVersion.objects.update_or_create(pk=1, defaults={"token": token, "changed_at": now})
    forget()
    # Another request of this process may read the old token before the commit.
    transaction.on_commit(forget)


def story_may_be_public(article) -> bool:
    """False only for a story that has never been published: nothing about it can be
    on a public page, so its drafts need not retire the cache."""
    if article is None:
        return True
    return article.status == Article.Status.PUBLISHED or article.first_published_at is not None


def _article_of(instance):
    if isinstance(instance, Article):
        return instance
    field = type(instance)._meta.get_field("article")
    # Only when the story is already loaded (admin inlines, our own code): never a query.
    return instance.article if field.is_cached(instance) else None


def story_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return  # Fixtures and restores call bump() themselves.
    if story_may_be_public(_article_of(instance)):
        bump()


def content_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        bump()


def story_links_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and story_may_be_public(
        instance if isinstance(instance, Article) else None
    ):
        bump()


def after_migrate(sender, using="default", **kwargs) -> None:
    """Every deploy runs ``migrate``: pages rendered by the old code (templates,
    settings) must not be served by the new, from a cache that outlived it."""
    with transaction.atomic(using=using):
        bump()


def connect() -> None:
    from taggit.models import Tag, TaggedItem

    from articles.models import ArticleBodyImage
    from images.models import Image
    from people.models import Character, Credit, Person
    from shows.models import Show

    story_parts = (ArticleAuthor, ArticlePerson, ArticleCharacter, ArticleShow, ArticleBodyImage)
    for model in (Article, *story_parts, Correction):
        uid = f"freshness-{model._meta.label_lower}"
        post_save.connect(story_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(story_changed, sender=model, dispatch_uid=f"{uid}-delete")
    # An image's caption, credit, alt text or focal point shows wherever it is used.
    for model in (Section, Author, Person, Character, Show, Credit, Tag, TaggedItem, Image):
        uid = f"freshness-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
    # Links added through related managers (``story.people.add(…)``) are bulk
    # inserts that send m2m_changed, not post_save.
    throughs = (ArticleAuthor, ArticlePerson, ArticleCharacter, ArticleShow, Credit, TaggedItem)
    for through in (*throughs, Article.related.through):
        m2m_changed.connect(
            story_links_changed, sender=through, dispatch_uid=f"freshness-m2m-{through.__name__}"
        )
