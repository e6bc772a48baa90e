"""The thin Django side of the matcher: entries from the talent database, and one
matcher per process rebuilt whenever the database says the talent changed.

The pure matcher knows nothing of models; this module turns people, shows,
characters and credits into :class:`~articles.mentions.matcher.Entry` values.
A token row (``TalentVersion``) is renewed by signals on every talent change;
each process checks it (one tiny query) before using its cached matcher, so
every worker on every server picks up new names without a restart.
"""

import threading
import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles.mentions.matcher import Entry, Matcher
from articles.mentions.talent import hints_from
from articles.models import TalentVersion
from people.models import Character, Credit, Person
from shows.models import Show

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "matcher": None}


def talent_version() -> str:
    return TalentVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""


def bump_talent_version(**kwargs) -> None:
    """Record that the talent database changed (signal receiver and direct call)."""
    token = uuid.uuid4().hex
    if not TalentVersion.objects.filter(pk=1).update(version=token):
        TalentVersion.objects.update_or_create(pk=1, defaults={"version": token})


def connect_signals() -> None:
    for model in (Person, Character, Show, Credit):
        uid = f"mentions-{model._meta.label_lower}"
        post_save.connect(bump_talent_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_talent_version, sender=model, dispatch_uid=f"{uid}-delete")


def build_entries() -> list[Entry]:
    related: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)

    def relate(a, b):
        related[a].add(b)
        related[b].add(a)

    for person_id, show_id, character_id in Credit.objects.values_list(
        "person_id", "show_id", "character_id"
    ).iterator(chunk_size=5000):
        relate(("person", person_id), ("show", show_id))
        if character_id:
            relate(("person", person_id), ("character", character_id))
    for character_id, show_id in Character.objects.values_list("id", "show_id").iterator(
        chunk_size=5000
    ):
        relate(("character", character_id), ("show", show_id))

    entries = []
    for pk, name, aliases, birth, bio in Person.objects.values_list(
        "id", "name", "aliases", "birth_date", "bio"
    ).iterator(chunk_size=5000):
        ref = ("person", pk)
        entries.append(
            Entry(
                "person",
                pk,
                name,
                tuple(aliases),
                year=birth.year if birth else None,
                related=frozenset(related.pop(ref, ())),
                hints=hints_from(bio),
            )
        )
    for pk, title, aliases, year, kind, network, synopsis in Show.objects.values_list(
        "id", "title", "aliases", "start_year", "kind", "network", "synopsis"
    ).iterator(chunk_size=5000):
        ref = ("show", pk)
        entries.append(
            Entry(
                "show",
                pk,
                title,
                tuple(aliases),
                year=year,
                show_kind=kind,
                related=frozenset(related.pop(ref, ())),
                hints=hints_from(synopsis, network),
            )
        )
    for pk, name, aliases in Character.objects.values_list("id", "name", "aliases").iterator(
        chunk_size=5000
    ):
        ref = ("character", pk)
        entries.append(
            Entry("character", pk, name, tuple(aliases), related=frozenset(related.pop(ref, ())))
        )
    return entries


def current_matcher() -> Matcher:
    """This process's matcher for the current talent database, rebuilt on change."""
    version = talent_version()
    if _cache["version"] == version and _cache["matcher"] is not None:
        return _cache["matcher"]
    with _lock:
        if _cache["version"] != version or _cache["matcher"] is None:
            # Read the entries in one transaction so they agree with each other.
            with transaction.atomic():
                entries = build_entries()
            _cache["matcher"] = Matcher(entries)
            _cache["version"] = version
    return _cache["matcher"]
