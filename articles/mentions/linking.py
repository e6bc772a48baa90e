"""Run detection on a story and keep its links in step with the result.

Rules the editor can rely on:

- links an editor added by hand (``source=manual``) are never removed;
- a detected entity the editor rejected is never linked again for that story;
- detected links whose name left the text are removed on the next run;
- misspellings and ambiguous names are stored as flags for the admin to show.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction

from articles import freshness
from articles.mentions.adapter import current_matcher
from articles.mentions.bodytext import paragraphs
from articles.mentions.matcher import FindResult, Matcher
from articles.models import (
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    EntityLink,
    MentionFlag,
)
from articles.search import index as search_index
from people.models import Character, Person
from shows.models import Show

THROUGH = {
    "person": (ArticlePerson, "person", Person),
    "character": (ArticleCharacter, "character", Character),
    "show": (ArticleShow, "show", Show),
}
PLURAL = {"person": "people", "character": "characters", "show": "shows"}
logger = logging.getLogger(__name__)


@dataclass
class LinkReport:
    slug: str
    linked: dict[str, list[str]] = field(default_factory=dict)
    misspellings: list[dict] = field(default_factory=list)
    ambiguous: list[dict] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    def as_json(self) -> dict:
        return {
            "article": self.slug,
            **{PLURAL[kind]: names for kind, names in self.linked.items()},
            "misspellings": self.misspellings,
            "ambiguous": self.ambiguous,
        }


def detect(article, matcher: Matcher | None = None) -> FindResult:
    matcher = matcher or current_matcher()
    return matcher.find(headline=article.headline, dek=article.dek, body=paragraphs(article.body))


def _first_body_spans(result: FindResult) -> dict[tuple[str, int], list[int]]:
    spans = {}
    for mention in result.mentions:
        if mention.field == "body":
            spans.setdefault(
                (mention.kind, mention.id), [mention.paragraph, mention.start, mention.end]
            )
    return spans


def link_article(article, matcher: Matcher | None = None, *, report: bool = True) -> LinkReport:
    """Detect mentions in ``article`` and update its links and flags. One transaction.

    Reads links, rejections and flags through the article's related managers,
    so a caller that prefetched them (``link_mentions --all``) pays no query.
    """
    result = detect(article, matcher)
    rejected = {(r.kind, r.entity_id) for r in article.mention_rejections.all()}
    misspelled = {(m.kind, m.id): m.text for m in result.misspellings if m.linked}
    spans = _first_body_spans(result)
    detected = {
        (link.kind, link.id): link for link in result.linked if (link.kind, link.id) not in rejected
    }
    outcome = LinkReport(slug=article.slug)
    rewritten = False

    with transaction.atomic():
        for kind, (through, fk, entity_model) in THROUGH.items():
            wanted = {pk: link for (k, pk), link in detected.items() if k == kind}
            rows = {
                getattr(row, f"{fk}_id"): row
                for row in getattr(article, f"{through._meta.model_name}_set").all()
            }
            stale = [
                row.pk
                for pk, row in rows.items()
                if row.source == EntityLink.Source.DETECTED and pk not in wanted
            ]
            if stale:
                through.objects.filter(pk__in=stale).delete()
                outcome.removed += len(stale)
            new = []
            for pk, link in wanted.items():
                values = {
                    "matched": link.matched,
                    "misspelled": misspelled.get((kind, pk), ""),
                    "body_span": spans.get((kind, pk)),
                }
                row = rows.get(pk)
                if row is None:
                    new.append(
                        through(
                            article=article,
                            source=EntityLink.Source.DETECTED,
                            **{f"{fk}_id": pk},
                            **values,
                        )
                    )
                elif any(getattr(row, k) != v for k, v in values.items()):
                    through.objects.filter(pk=row.pk).update(**values)
                    rewritten = True
            if new:
                # The matcher may be a moment older than the database: skip deleted entities.
                alive = set(
                    entity_model.objects.filter(
                        pk__in=[getattr(n, f"{fk}_id") for n in new]
                    ).values_list("pk", flat=True)
                )
                new = [n for n in new if getattr(n, f"{fk}_id") in alive]
                through.objects.bulk_create(new)
                outcome.added += len(new)

        flags = [
            MentionFlag(
                article=article,
                kind=MentionFlag.Kind.MISSPELLING,
                text=m.text,
                suggestion=m.suggest,
                linked=m.linked and (m.kind, m.id) not in rejected,
                candidates=[{"kind": m.kind, "id": m.id, "name": m.suggest}],
            )
            for m in result.misspellings
        ] + [
            MentionFlag(
                article=article,
                kind=MentionFlag.Kind.AMBIGUOUS,
                text=a.text,
                candidates=[{"kind": k, "id": pk, "name": name} for k, pk, name in a.candidates],
            )
            for a in result.ambiguous
        ]
        if outcome.added:
            # Bulk inserts send no signals: the names in the story's search entry changed.
            search_index.reindex([article.pk])
        if (outcome.added or outcome.removed or rewritten) and freshness.story_may_be_public(
            article
        ):
            # Bulk writes send no signals: the links on public pages changed.
            freshness.bump()
        if article.mention_flags.all():
            article.mention_flags.all().delete()
        if flags:
            MentionFlag.objects.bulk_create(flags)

    outcome.misspellings = [{"text": m.text, "suggest": m.suggest} for m in result.misspellings]
    outcome.ambiguous = [
        {"text": a.text, "candidates": [name for _, _, name in a.candidates]}
        for a in result.ambiguous
    ]
    if report:
        for kind, (through, fk, _) in THROUGH.items():
            name = f"{fk}__{'title' if kind == 'show' else 'name'}"
            outcome.linked[kind] = list(
                through.objects.filter(article=article).order_by(name).values_list(name, flat=True)
            )
    return outcome


def link_after_save(sender, instance, raw=False, **kwargs):
    """post_save receiver: detect once the whole save (with its inlines) is committed.

    Detection never costs the editor their save: a failure is logged, and the
    story is linked on the next save or by ``manage.py link_mentions``.
    """
    if raw:
        return

    def run():
        from articles.models import Article

        try:
            article = Article.objects.get(pk=instance.pk)
        except Article.DoesNotExist:
            return
        try:
            link_article(article)
        except Exception:
            logger.exception("Mention detection failed for article %s", instance.pk)

    transaction.on_commit(run)
