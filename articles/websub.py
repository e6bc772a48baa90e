"""WebSub (https://www.w3.org/TR/websub/): tell the hub which feeds changed.

Saving a published (or unpublished) story enqueues ``articles.tasks.ping_hub``
once the transaction commits, so the editor's save never waits on the hub and
a rolled-back save pings nothing. The task works out the topics — every feed
the story appears in, in all three formats — when it runs.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.site import absolute

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
FORMAT_SUFFIXES = ("", "_atom", "_json")


def topics_for(article) -> list[str]:
    """Absolute URLs of every feed ``article`` belongs in."""
    feeds = [("articles:site_feed", {})]
    if article.section_id:
        feeds.append(("articles:section_feed", {"slug": article.section.slug}))
    feeds += [("articles:tag_feed", {"slug": tag.slug}) for tag in article.tags.all()]
    feeds += [("articles:author_feed", {"slug": a.slug}) for a in article.authors.all()]
    feeds += [("articles:person_feed", {"slug": p.slug}) for p in article.people.all()]
    feeds += [("articles:character_feed", {"slug": c.slug}) for c in article.characters.all()]
    feeds += [("articles:show_feed", {"slug": s.slug}) for s in article.shows.all()]
    return [
        absolute(reverse(name + suffix, kwargs=kwargs))
        for name, kwargs in feeds
        for suffix in FORMAT_SUFFIXES
    ]


def publish(hub: str, topics: list[str]) -> None:
    """One publish ping naming every topic (``hub.mode=publish``, ``hub.url``
    repeated). Raises on a network error or a non-2xx answer."""
    body = urllib.parse.urlencode(
        [("hub.mode", "publish"), *(("hub.url", topic) for topic in topics)]
    ).encode()
    request = urllib.request.Request(
        hub,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(
                hub, response.status, "hub refused", response.headers, None
            )


def story_saved(sender, instance, raw=False, **kwargs) -> None:
    """post_save: ping the hub after commit when the feeds may have changed."""
    if raw or not settings.NEWSROOM_WEBSUB_HUB:
        return
    if instance.status not in {instance.Status.PUBLISHED, instance.Status.UNPUBLISHED}:
        return  # Drafts and stories in review are in no feed.
    schedule(instance.pk, instance.publish_at)


def correction_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or not settings.NEWSROOM_WEBSUB_HUB:
        return
    if instance.article.is_public():
        schedule(instance.article_id, None)


def schedule(article_id: int, publish_at) -> None:
    from articles.tasks import ping_hub

    def enqueue():
        task = ping_hub
        if publish_at and publish_at > timezone.now():
            # A scheduled story enters its feeds at publish_at: ping then.
            if not task.get_backend().supports_defer:
                logger.info(
                    "WebSub: story %s is scheduled and the task backend cannot defer; "
                    "the hub will see it at its next poll.",
                    article_id,
                )
                return
            task = task.using(run_after=publish_at)
        task.enqueue(article_id)

    transaction.on_commit(enqueue)
