"""Load the talent database from the JSON format in docs/formats/entities.md.

``import_entities(data)`` applies people, then shows, then characters, then
credits, so every reference can point at a record made earlier in the same
file. Each entry runs in its own savepoint: with ``partial=False`` the caller
rolls the whole transaction back on the first report of an error; with
``partial=True`` the bad entries are skipped and everything else is kept.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.fields import clean_aliases
from common.models import imdb_person, imdb_title, tmdb_id, wikidata_id
from people.models import Character, Credit, Person
from shows.models import Show

KINDS = {choice.value for choice in Show.Kind}
ROLES = {choice.value for choice in Credit.Role}
SECTIONS = ("people", "shows", "characters", "credits")
PLURAL = {"person": "people", "show": "shows"}
ALLOWED_KEYS = {
    "people": {"name", "aliases", "birth_date", "bio", "imdb", "tmdb", "wikidata"},
    "shows": {
        "title",
        "kind",
        "aliases",
        "network",
        "start_year",
        "end_year",
        "synopsis",
        "imdb",
        "tmdb",
        "wikidata",
    },
    "characters": {"name", "show", "played_by", "aliases", "description"},
    "credits": {
        "person",
        "show",
        "character",
        "role",
        "year",
        "start_year",
        "end_year",
        "episodes",
        "billing_order",
    },
}


class EntryError(Exception):
    """One entry of the file is wrong; the message says how, for an editor."""


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)

    def count(self, section: str, outcome: str) -> None:
        self.counts[section][outcome] += 1

    def summary(self) -> str:
        parts = []
        for section in SECTIONS:
            c = self.counts[section]
            parts.append(
                f"{section}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged"
            )
        parts.append(f"{len(self.errors)} refused")
        return "; ".join(parts)


class NameIndex:
    """Names and aliases of every person (or show) in the database, for references.

    Loaded once per import so a file of thousands of entries does not query
    per reference; kept current as the import creates and renames records.
    """

    def __init__(self, records):
        self.by_name = defaultdict(set)
        self.by_alias = defaultdict(set)
        self.records = {}
        self.names = {}  # pk -> (name, aliases) as indexed, to un-index after a rename
        for record in records:
            self.add(record)

    def add(self, record) -> None:
        self.forget(record.pk)
        self.records[record.pk] = record
        self.names[record.pk] = (record.display_name, tuple(record.aliases))
        self.by_name[record.display_name].add(record.pk)
        for alias in record.aliases:
            self.by_alias[alias].add(record.pk)

    def forget(self, pk) -> None:
        if pk in self.names:
            name, aliases = self.names.pop(pk)
            self.by_name[name].discard(pk)
            for alias in aliases:
                self.by_alias[alias].discard(pk)

    def named(self, name: str) -> list:
        return [self.records[pk] for pk in self.by_name.get(name, ())]

    def resolve(self, ref: str, what: str):
        """Exact name first, then alias; anything but exactly one match is an error."""
        for table, how in ((self.by_name, "named"), (self.by_alias, "with the alias")):
            pks = table.get(ref, set())
            if len(pks) == 1:
                return self.records[next(iter(pks))]
            if len(pks) > 1:
                choices = ", ".join(sorted(str(self.records[pk]) for pk in pks))
                raise EntryError(
                    f"“{ref}” matches {len(pks)} {PLURAL[what]} {how} it ({choices}); "
                    "refer to one by an alias unique to it"
                )
        raise EntryError(f"no {what} called “{ref}” in this file or the database")


def _text(entry, key, *, required=False, max_length=None) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise EntryError(f"“{key}” is required")
        return None
    if not isinstance(value, str):
        raise EntryError(f"“{key}” must be text")
    value = " ".join(value.split()) if key in {"name", "title"} else value.strip()
    if required and not value:
        raise EntryError(f"“{key}” must not be empty")
    if max_length and len(value) > max_length:
        raise EntryError(f"“{key}” is longer than {max_length} characters")
    return value


def _year(entry, key) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1870 <= value <= 2100:
        raise EntryError(f"“{key}” must be a year between 1870 and 2100, not {value!r}")
    return value


def _positive(entry, key) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise EntryError(f"“{key}” must be a whole number of at least 1, not {value!r}")
    return value


def _aliases(entry) -> list[str] | None:
    value = entry.get("aliases")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryError("“aliases” must be a list of names")
    return clean_aliases(value)


def _external_ids(entry, imdb_validator) -> dict:
    ids = {}
    for key, validator in (("imdb", imdb_validator), ("tmdb", tmdb_id), ("wikidata", wikidata_id)):
        value = entry.get(key)
        if value is None:
            continue
        value = str(value).strip() if isinstance(value, (str, int)) else value
        if not isinstance(value, str):
            raise EntryError(f"“{key}” must be text")
        try:
            validator(value)
        except ValidationError as exc:
            raise EntryError(f"“{key}”: {exc.messages[0]}") from None
        ids[f"{key}_id"] = value
    return ids


def _check_keys(section, entry) -> None:
    if not isinstance(entry, dict):
        raise EntryError("each entry must be a JSON object")
    for key, value in entry.items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            raise EntryError(f"“{key}” contains a NUL character")
    unknown = sorted(set(entry) - ALLOWED_KEYS[section])
    if unknown:
        raise EntryError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"(allowed: {', '.join(sorted(ALLOWED_KEYS[section]))})"
        )


def _apply(record, values: dict, aliases: list[str] | None) -> str:
    """Set changed fields and save; 'created', 'updated' or 'unchanged'."""
    created = record.pk is None
    changed = created
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    if aliases is not None:
        # Merge: aliases an editor added by hand are kept.
        merged = clean_aliases([*record.aliases, *aliases], record.display_name)
        if merged != record.aliases:
            record.aliases = merged
            changed = True
    if not changed:
        return "unchanged"
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    return "created" if created else "updated"


class EntityImporter:
    def __init__(self, *, partial: bool, progress=None):
        self.partial = partial
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.people = NameIndex(Person.objects.all())
        self.shows = NameIndex(Show.objects.all())

    def run(self, data) -> Report:
        if not isinstance(data, dict):
            raise EntryError(
                "the file must hold a JSON object with people, shows, characters and credits"
            )
        unknown = sorted(set(data) - set(SECTIONS))
        if unknown:
            raise EntryError(
                f"unknown list{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"(the file holds {', '.join(SECTIONS)})"
            )
        for section in SECTIONS:
            entries = data.get(section, [])
            if not isinstance(entries, list):
                raise EntryError(f"“{section}” must be a list")
            handler = getattr(self, f"import_{section[:-1] if section != 'people' else 'person'}")
            for index, entry in enumerate(entries):
                label = self._label(section, index, entry)
                try:
                    _check_keys(section, entry)
                    with transaction.atomic():
                        outcome = handler(entry)
                except EntryError as exc:
                    self.report.errors.append(f"{label}: {exc}")
                    if not self.partial:
                        return self.report
                except (ValidationError, IntegrityError) as exc:
                    message = "; ".join(getattr(exc, "messages", [str(exc)]))
                    self.report.errors.append(f"{label}: {message}")
                    if not self.partial:
                        return self.report
                else:
                    self.report.count(section, outcome)
                    self.progress(f"{label}: {outcome}")
        return self.report

    @staticmethod
    def _label(section, index, entry) -> str:
        name = entry.get("name") or entry.get("title") if isinstance(entry, dict) else None
        if section == "credits" and isinstance(entry, dict):
            name = f"{entry.get('person')} in {entry.get('show')}"
        return f"{section}[{index}]" + (f" (“{name}”)" if isinstance(name, str) else "")

    # --- people and shows ---------------------------------------------------

    def _find(self, index: NameIndex, model, name, ids, tiebreak_field, tiebreak_value, what):
        for key, value in ids.items():
            found = model.objects.filter(**{key: value}).first()
            if found:
                return found
        candidates = index.named(name)
        if tiebreak_value is not None:
            exact = [c for c in candidates if getattr(c, tiebreak_field) == tiebreak_value]
            unknown = [c for c in candidates if getattr(c, tiebreak_field) is None]
            candidates = exact or unknown
        if len(candidates) > 1:
            raise EntryError(
                f"{len(candidates)} {PLURAL[what]} are called “{name}”; "
                f"give “{'birth_date' if what == 'person' else 'start_year'}” or an external id"
            )
        return candidates[0] if candidates else model()

    def import_person(self, entry) -> str:
        name = _text(entry, "name", required=True, max_length=200)
        birth = entry.get("birth_date")
        if birth is not None:
            try:
                birth = datetime.date.fromisoformat(birth) if isinstance(birth, str) else None
            except ValueError:
                birth = None
            if birth is None:
                raise EntryError(
                    f"“birth_date” must be a real date as YYYY-MM-DD, not {entry['birth_date']!r}"
                )
        ids = _external_ids(entry, imdb_person)
        person = self._find(self.people, Person, name, ids, "birth_date", birth, "person")
        values = {"name": name, **ids}
        if birth is not None:
            values["birth_date"] = birth
        if (bio := _text(entry, "bio")) is not None:
            values["bio"] = bio
        outcome = _apply(person, values, _aliases(entry))
        self.people.add(person)
        return outcome

    def import_show(self, entry) -> str:
        title = _text(entry, "title", required=True, max_length=200)
        kind = entry.get("kind")
        if kind is not None and kind not in KINDS:
            raise EntryError(f"“kind” must be one of {', '.join(sorted(KINDS))}, not {kind!r}")
        start, end = _year(entry, "start_year"), _year(entry, "end_year")
        if start and end and end < start:
            raise EntryError(f"“end_year” {end} is before “start_year” {start}")
        ids = _external_ids(entry, imdb_title)
        show = self._find(self.shows, Show, title, ids, "start_year", start, "show")
        values = {"title": title, **ids}
        for key, value in (("kind", kind), ("start_year", start)):
            if value is not None:
                values[key] = value
        if "end_year" in entry:
            values["end_year"] = end
        for key in ("network", "synopsis"):
            if (
                value := _text(entry, key, max_length=120 if key == "network" else None)
            ) is not None:
                values[key] = value
        outcome = _apply(show, values, _aliases(entry))
        self.shows.add(show)
        return outcome

    # --- characters and credits ---------------------------------------------

    def import_character(self, entry) -> str:
        name = _text(entry, "name", required=True, max_length=200)
        show_ref = _text(entry, "show", required=True)
        show = self.shows.resolve(show_ref, "show")
        played_by = entry.get("played_by", [])
        if not isinstance(played_by, list) or not all(isinstance(p, str) for p in played_by):
            raise EntryError("“played_by” must be a list of names")
        performers = [self.people.resolve(ref, "person") for ref in played_by]
        character = Character.objects.filter(name=name, show=show).first() or Character(
            name=name, show=show
        )
        values = {}
        if (description := _text(entry, "description")) is not None:
            values["description"] = description
        outcome = _apply(character, values, _aliases(entry))
        for person in performers:
            _, made = Credit.objects.get_or_create(
                person=person, show=show, character=character, role=Credit.Role.ACTOR
            )
            if made and outcome == "unchanged":
                outcome = "updated"
        return outcome

    def import_credit(self, entry) -> str:
        person = self.people.resolve(_text(entry, "person", required=True), "person")
        show = self.shows.resolve(_text(entry, "show", required=True), "show")
        role = entry.get("role", Credit.Role.ACTOR)
        if role not in ROLES:
            raise EntryError(f"“role” must be one of {', '.join(sorted(ROLES))}, not {role!r}")
        character = None
        if (char_name := _text(entry, "character")) is not None:
            character = show.characters.filter(name=char_name).first()
            if character is None:
                raise EntryError(f"{show.title} has no character called “{char_name}”")
        if "year" in entry and "start_year" in entry:
            raise EntryError("give “year” or “start_year”, not both")
        start = _year(entry, "year") if "year" in entry else _year(entry, "start_year")
        end = _year(entry, "end_year")
        if start and end and end < start:
            raise EntryError(f"“end_year” {end} is before the start year {start}")
        credit = Credit.objects.filter(
            person=person, show=show, character=character, role=role
        ).first() or Credit(person=person, show=show, character=character, role=role)
        values = {}
        for key, attr, value in (
            ("year", "start_year", start),
            ("start_year", "start_year", start),
            ("end_year", "end_year", end),
            ("episodes", "episode_count", _positive(entry, "episodes")),
            ("billing_order", "billing_order", _positive(entry, "billing_order")),
        ):
            if key in entry:
                values[attr] = value
        return _apply(credit, values, None)


def import_entities(data, *, partial: bool = False, dry_run: bool = False, progress=None) -> Report:
    """Apply a parsed entities file in one transaction; roll back unless it all worked
    (or ``partial``), and always roll back on ``dry_run``."""
    importer = EntityImporter(partial=partial, progress=progress)
    with transaction.atomic():
        try:
            report = importer.run(data)
        except EntryError as exc:
            importer.report.errors.append(str(exc))
            report = importer.report
        if dry_run or (report.errors and not partial):
            transaction.set_rollback(True)
    return report
