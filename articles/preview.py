"""Signed preview links: anyone holding one sees a story exactly as readers will,
before it is published, without logging in.

The token is the story's id signed with the site's secret and a timestamp
(``django.core.signing.TimestampSigner``): it cannot be forged or altered, it
expires after ``NEWSROOM_PREVIEW_MAX_AGE_HOURS``, and it dies with the story.
"""

import datetime

from django.conf import settings
from django.core import signing

SALT = "articles.preview"


class PreviewUnavailable(Exception):
    """Why a link shows no story; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def max_age() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.NEWSROOM_PREVIEW_MAX_AGE_HOURS)


def make_token(article) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(article.pk))


def read_token(token: str) -> int:
    """The story id in ``token``, or PreviewUnavailable saying why not."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=max_age())
    except signing.SignatureExpired:
        raise PreviewUnavailable(
            410,
            "This preview link has expired",
            f"Preview links work for {settings.NEWSROOM_PREVIEW_MAX_AGE_HOURS} hours. "
            "Ask the editor who sent it for a new one.",
        ) from None
    except signing.BadSignature:
        raise PreviewUnavailable(
            404,
            "This preview link is not valid",
            "The link may have been cut short or changed. Ask the editor who sent it to "
            "send it again.",
        ) from None
    try:
        return int(value)
    except ValueError:
        raise PreviewUnavailable(404, "This preview link is not valid", "") from None


def expires_at(token: str) -> datetime.datetime:
    signer = signing.TimestampSigner(salt=SALT)
    _, timestamp, _signature = token.rsplit(signer.sep, 2)
    return (
        datetime.datetime.fromtimestamp(signing.b62_decode(timestamp), tz=datetime.UTC) + max_age()
    )
