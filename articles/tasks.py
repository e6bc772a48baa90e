"""Background tasks (django.tasks). Settings: TASKS (README, "Background tasks")."""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("articles.websub")

RETRY_BASE = datetime.timedelta(minutes=1)


@task()
def ping_hub(article_id: int, attempt: int = 1) -> int:
    """Tell the WebSub hub that the feeds holding this story changed.

    Failures are logged and retried: later, with backoff, on a backend that can
    defer tasks (a real queue); straight away, up to the same number of
    attempts, on one that cannot (the immediate backend). Returns the number of
    topics announced.
    """
    from articles import websub
    from articles.models import Article

    hub = settings.NEWSROOM_WEBSUB_HUB
    if not hub:
        return 0
    article = (
        Article.objects.select_related("section")
        .prefetch_related("tags", "authors", "people", "characters", "shows")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        return 0
    topics = websub.topics_for(article)
    attempts = settings.NEWSROOM_WEBSUB_ATTEMPTS
    can_defer = ping_hub.get_backend().supports_defer
    while True:
        try:
            websub.publish(hub, topics)
        except Exception as exc:  # Any failure: network, HTTP status, bad URL.
            logger.warning(
                "WebSub ping to %s failed for story %s (attempt %s of %s): %s",
                hub,
                article_id,
                attempt,
                attempts,
                exc,
            )
            if attempt >= attempts:
                logger.error(
                    "WebSub: giving up on story %s after %s attempts.", article_id, attempt
                )
                raise
            attempt += 1
            if can_defer:
                delay = RETRY_BASE * 2 ** (attempt - 2)
                ping_hub.using(run_after=timezone.now() + delay).enqueue(article_id, attempt)
                return 0
            continue
        logger.info("WebSub: announced %s topics for story %s.", len(topics), article_id)
        return len(topics)
