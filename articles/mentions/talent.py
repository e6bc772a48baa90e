"""Build matcher entries from the talent-database JSON (shared/formats/entities.md).

The Django app feeds the matcher from its models; this loader serves the same
purpose for the JSON import format, so tests, the evaluation set and the
benchmarks can work from files. It follows the format's reference rules: a
`show`, `person` or `played_by` value names a record by its exact name/title
first, then by alias, and must name exactly one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from common.text import word_set

from .matcher import Entry

__all__ = ["Talent", "UnresolvedReference", "hints_from", "load_talent"]

# Bio words too common to tell two same-named people apart.
_BIO_STOPWORDS = word_set(
    """also and best born from known that their this with who whose which where when
    been into over most more than former current"""
)


class UnresolvedReference(ValueError):
    """A reference that names no record, or more than one."""


@dataclass
class Talent:
    entries: list[Entry]
    # (kind, name or alias) -> (kind, id) for every unique name and alias.
    refs: dict[tuple[str, str], tuple[str, int]]

    def ref(self, kind: str, name: str) -> tuple[str, int]:
        try:
            return self.refs[(kind, name)]
        except KeyError:
            raise UnresolvedReference(f"{kind} {name!r}: no such record, or shared") from None


def hints_from(text: str | None, network: str | None = None) -> frozenset[str]:
    """Words of a bio or synopsis, plus every word of a network name ("FX")."""
    words = {w for w in re.findall(r"[a-z]+", (text or "").lower()) if len(w) >= 4}
    words |= set(re.findall(r"[a-z]+", (network or "").lower()))
    return frozenset(words - _BIO_STOPWORDS)


def load_talent(data: dict) -> Talent:
    """Entries (ids numbered from 1 per kind, in file order) and a resolver."""
    records: dict[str, list[dict]] = {
        "person": list(data.get("people", ())),
        "show": list(data.get("shows", ())),
        "character": list(data.get("characters", ())),
    }
    title_key = {"person": "name", "show": "title", "character": "name"}

    # Exact names first, then aliases; a name shared by two records is only
    # reachable through an alias unique to one of them.
    refs: dict[tuple[str, str], tuple[str, int]] = {}
    for kind, items in records.items():
        by_name: dict[str, list[int]] = defaultdict(list)
        by_alias: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(items, start=1):
            by_name[rec[title_key[kind]]].append(i)
            for alias in rec.get("aliases", ()):
                by_alias[alias].append(i)
        for alias, ids in by_alias.items():
            if len(ids) == 1 and alias not in by_name:
                refs[(kind, alias)] = (kind, ids[0])
        for name, ids in by_name.items():
            if len(ids) == 1:
                refs[(kind, name)] = (kind, ids[0])

    def resolve(kind: str, name: str, where: str) -> tuple[str, int]:
        try:
            return refs[(kind, name)]
        except KeyError:
            raise UnresolvedReference(f"{where}: {kind} {name!r} names no single record") from None

    related: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)

    def relate(a: tuple[str, int], b: tuple[str, int]) -> None:
        related[a].add(b)
        related[b].add(a)

    for i, char in enumerate(records["character"], start=1):
        me = ("character", i)
        show = None
        if char.get("show"):
            show = resolve("show", char["show"], f"character {char['name']!r}")
            relate(me, show)
        for performer in char.get("played_by", ()):
            person = resolve("person", performer, f"character {char['name']!r}")
            relate(me, person)
            if show:
                relate(person, show)  # the casting is a credit on the show
    for credit in data.get("credits", ()):
        where = f"credit {credit.get('person')!r} on {credit.get('show')!r}"
        relate(resolve("person", credit["person"], where), resolve("show", credit["show"], where))

    entries = []
    for i, rec in enumerate(records["person"], start=1):
        birth = rec.get("birth_date") or ""
        entries.append(
            Entry(
                "person",
                i,
                rec["name"],
                tuple(rec.get("aliases", ())),
                year=int(birth[:4]) if birth[:4].isdigit() else None,
                related=frozenset(related[("person", i)]),
                hints=hints_from(rec.get("bio")),
            )
        )
    for i, rec in enumerate(records["show"], start=1):
        entries.append(
            Entry(
                "show",
                i,
                rec["title"],
                tuple(rec.get("aliases", ())),
                year=rec.get("start_year"),
                show_kind=rec.get("kind", "series"),
                related=frozenset(related[("show", i)]),
                hints=hints_from(rec.get("synopsis"), rec.get("network")),
            )
        )
    for i, rec in enumerate(records["character"], start=1):
        entries.append(
            Entry(
                "character",
                i,
                rec["name"],
                tuple(rec.get("aliases", ())),
                related=frozenset(related[("character", i)]),
            )
        )
    return Talent(entries, refs)
