import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from people.models import Character, Credit, Person
from shows.models import Show

pytestmark = pytest.mark.django_db

TALENT = {
    "people": [
        {
            "name": "Zoë Marchetti",
            "aliases": ["Zoe Marchetti"],
            "birth_date": "1990-03-14",
            "bio": "Actor.",
            "imdb": "nm1234567",
        },
        {"name": "Chris Evans", "birth_date": "1981-06-13", "aliases": ["Chris Evans (actor)"]},
        {"name": "Chris Evans", "birth_date": "1966-04-01", "aliases": ["Chris Evans (presenter)"]},
        {"name": "Conan O'Brien"},
    ],
    "shows": [
        {
            "title": "Saint Brigid's",
            "kind": "series",
            "aliases": ["St. Brigid's"],
            "network": "Larkspur TV",
            "start_year": 2019,
            "end_year": None,
        },
        {
            "title": "Shameless",
            "kind": "series",
            "start_year": 2004,
            "aliases": ["Shameless (2004)"],
        },
        {
            "title": "Shameless",
            "kind": "series",
            "start_year": 2011,
            "aliases": ["Shameless (2011)"],
        },
        {"title": "Salt and Saffron", "kind": "film", "start_year": 2026},
    ],
    "characters": [
        {
            "name": "Nina Calloway",
            "show": "St. Brigid's",
            "played_by": ["Zoe Marchetti"],
            "aliases": ["Calloway"],
        },
        {
            "name": "Frank Gallagher",
            "show": "Shameless (2011)",
            "played_by": ["Chris Evans (actor)"],
        },
    ],
    "credits": [
        {"person": "Zoë Marchetti", "show": "Salt and Saffron", "role": "actor", "year": 2026},
        {"person": "Chris Evans (presenter)", "show": "Shameless (2004)", "role": "host"},
        {
            "person": "Conan O'Brien",
            "show": "Saint Brigid's",
            "role": "guest",
            "year": 2024,
            "episodes": 1,
        },
    ],
}


def load(tmp_path, data, *args):
    path = tmp_path / "talent.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_entities", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def snapshot():
    return [
        list(model.objects.order_by("pk").values()) for model in (Person, Show, Character, Credit)
    ]


def test_import_creates_everything(tmp_path):
    out, err, exc = load(tmp_path, TALENT)
    assert exc is None, err
    assert "people: 4 created" in out and "credits: 3 created" in out
    assert Credit.objects.count() == 5  # three credits and two castings from played_by
    zoe = Person.objects.get(name="Zoë Marchetti")
    assert zoe.slug == "zoe-marchetti" and zoe.imdb_id == "nm1234567"
    nina = Character.objects.get(name="Nina Calloway")
    assert nina.show.title == "Saint Brigid's"
    assert list(nina.performers.all()) == [zoe]
    assert nina.aliases == ["Calloway"]
    frank = Character.objects.get(name="Frank Gallagher")
    assert frank.show.start_year == 2011
    assert frank.performers.get().birth_date.year == 1981
    host = Credit.objects.get(role="host")
    assert host.show.start_year == 2004 and host.person.birth_date.year == 1966
    assert Credit.objects.get(role="guest").episode_count == 1
    assert Person.objects.get(name="Conan O'Brien").name == "Conan O'Brien"


def test_second_import_changes_nothing(tmp_path):
    load(tmp_path, TALENT)
    before = snapshot()
    out, err, exc = load(tmp_path, TALENT)
    assert exc is None, err
    assert "4 unchanged" in out and " 0 created, 0 updated" in out
    assert snapshot() == before


def test_update_merges_aliases_and_changes_fields(tmp_path):
    load(tmp_path, TALENT)
    person = Person.objects.get(name="Conan O'Brien")
    person.aliases = ["Coco"]
    person.save()
    changed = {"people": [{"name": "Conan O'Brien", "bio": "Host.", "aliases": ["Conan"]}]}
    out, _, exc = load(tmp_path, changed)
    assert exc is None
    assert "people: 0 created, 1 updated" in out
    person.refresh_from_db()
    assert person.bio == "Host." and person.aliases == ["Coco", "Conan"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"characters": [{"name": "X", "show": "Shameless"}]},
            "characters[0] (“X”): “Shameless” matches 2 shows named it",
        ),
        (
            {"credits": [{"person": "Chris Evans", "show": "Salt and Saffron"}]},
            "“Chris Evans” matches 2 people named it",
        ),
        (
            {"credits": [{"person": "Nobody Here", "show": "Salt and Saffron"}]},
            "no person called “Nobody Here”",
        ),
        ({"characters": [{"name": "Y", "show": "Missing Show"}]}, "no show called “Missing Show”"),
        ({"shows": [{"title": "Bad Kind", "kind": "podcast"}]}, "“kind” must be one of"),
        (
            {"shows": [{"title": "Backwards", "start_year": 2010, "end_year": 2001}]},
            "“end_year” 2001 is before “start_year” 2010",
        ),
        ({"shows": [{"title": "Ancient", "start_year": 1200}]}, "must be a year between 1870"),
        ({"people": [{"name": "Bad Date", "birth_date": "1990-02-30"}]}, "must be a real date"),
        ({"people": [{"name": ""}]}, "“name” must not be empty"),
        ({"people": [{"bio": "no name"}]}, "“name” is required"),
        ({"people": [{"name": "Odd", "imdb": "tt123"}]}, "IMDb person id looks like"),
        ({"people": [{"name": "Typo", "birthdate": "1990-01-01"}]}, "unknown key birthdate"),
        (
            {
                "credits": [
                    {"person": "Zoë Marchetti", "show": "Salt and Saffron", "role": "caterer"}
                ]
            },
            "“role” must be one of",
        ),
        (
            {"credits": [{"person": "Zoë Marchetti", "show": "Salt and Saffron", "episodes": 0}]},
            "“episodes” must be a whole number of at least 1",
        ),
        ({"people": "not a list"}, "“people” must be a list"),
        ({"actors": []}, "unknown list actors"),
        ({"people": [{"name": "Chris Evans"}]}, "2 people are called “Chris Evans”"),
    ],
)
def test_bad_entries_are_named_and_nothing_is_written(tmp_path, data, message):
    load(tmp_path, TALENT)
    before = snapshot()
    data = {**data, "people": data.get("people", [])}
    data["people"] = (
        [*data["people"], {"name": "Fresh Face"}]
        if isinstance(data["people"], list)
        else data["people"]
    )
    out, err, exc = load(tmp_path, data)
    assert exc is not None
    assert message in err, err
    assert "Nothing written" in out
    assert snapshot() == before


def test_partial_applies_the_good_entries_and_still_fails(tmp_path):
    data = {
        "people": [{"name": "Good Person"}, {"name": "Bad Person", "birth_date": "yesterday"}],
        "shows": [{"title": "Good Show", "kind": "series"}],
        "characters": [{"name": "Orphan", "show": "No Such Show"}],
    }
    _out, err, exc = load(tmp_path, data, "--partial")
    assert exc is not None and "2 entries refused" in str(exc)
    assert "people[1] (“Bad Person”)" in err and "characters[0] (“Orphan”)" in err
    assert list(Person.objects.values_list("name", flat=True)) == ["Good Person"]
    assert Show.objects.filter(title="Good Show").exists()
    assert not Character.objects.exists()


def test_partial_rolls_back_a_half_done_entry(tmp_path):
    load(tmp_path, TALENT)
    # The character would be created, then its performer reference fails.
    data = {
        "characters": [{"name": "Half Done", "show": "Salt and Saffron", "played_by": ["Nobody"]}]
    }
    _, _, exc = load(tmp_path, data, "--partial")
    assert exc is not None
    assert not Character.objects.filter(name="Half Done").exists()


def test_dry_run_writes_nothing(tmp_path):
    out, _, exc = load(tmp_path, TALENT, "--dry-run")
    assert exc is None
    assert out.startswith("Dry run, nothing written: people: 4 created")
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ('{"people": [', "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    _out, err, exc = load(tmp_path, content)
    assert exc is not None
    assert message in str(exc) + err


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"people": [{"name": "Zo\xeb"}]}'.encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin.json:1: not UTF-8"):
        call_command("import_entities", str(path), stdout=io.StringIO(), stderr=io.StringIO())


SEED = Path("/work/shared/corpus/seed-entities.json")


@pytest.mark.skipif(not SEED.exists(), reason="the wire specimen lives outside the repository")
def test_wire_specimen_talent_file_imports_twice_cleanly():
    call_command("import_entities", str(SEED), stdout=io.StringIO())
    before = snapshot()
    call_command("import_entities", str(SEED), stdout=io.StringIO())
    assert snapshot() == before
    assert Show.objects.get(title__startswith="Law & Order").aliases[0] == "Law and Order: SVU"
