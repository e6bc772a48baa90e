import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Credit, Person
from tests.factories import CharacterFactory, CreditFactory, PersonFactory, ShowFactory

pytestmark = pytest.mark.django_db


def test_person_slug_folds_accents_and_deduplicates():
    assert PersonFactory(name="Zoë Saldaña").slug == "zoe-saldana"
    assert PersonFactory(name="Zoe Saldana").slug == "zoe-saldana-2"


def test_aliases_are_cleaned_and_searchable():
    person = PersonFactory(
        name="Renée Zellweger", aliases=[" Renee  Zellweger", "", "RZ", "rz", "renée zellweger"]
    )
    assert person.aliases == ["Renee Zellweger", "RZ"]
    assert person.search_names.splitlines() == ["renee zellweger", "rz"]


def test_sort_name_puts_the_family_name_first():
    assert PersonFactory(name="Jesse Lee Soffer").sort_name == "Soffer, Jesse Lee"
    assert PersonFactory(name="Cher").sort_name == "Cher"


@pytest.mark.parametrize("field", ["imdb_id", "tmdb_id", "wikidata_id"])
def test_external_ids_are_unique_when_set(field):
    value = {"imdb_id": "nm0000123", "tmdb_id": "4242", "wikidata_id": "Q42"}[field]
    PersonFactory(**{field: ""})
    PersonFactory(**{field: ""})  # blanks never clash
    PersonFactory(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(**{field: value})


def test_external_id_format_is_validated():
    person = Person(name="Someone", imdb_id="tt1234567")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "nm0000123" in str(excinfo.value)


def test_credit_years_are_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(start_year=2010, end_year=2005)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(start_year=1500)
    CreditFactory(start_year=2010, end_year=2010)


def test_episode_count_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(episode_count=0)
    assert CreditFactory(episode_count=12).episode_count == 12


def test_one_credit_per_person_role_and_character():
    show = ShowFactory()
    person = PersonFactory()
    character = CharacterFactory(show=show)
    CreditFactory(person=person, show=show, character=character)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(person=person, show=show, character=character)
    CreditFactory(person=person, show=show, role=Credit.Role.PRODUCER)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(person=person, show=show, role=Credit.Role.PRODUCER)


def test_recast_character_has_two_performers():
    character = CharacterFactory(name="Caleb Marsh")
    first, second = PersonFactory(), PersonFactory()
    CreditFactory(
        person=first, show=character.show, character=character, start_year=2011, end_year=2026
    )
    CreditFactory(person=second, show=character.show, character=character, start_year=2026)
    assert set(character.performers.all()) == {first, second}


def test_credit_character_must_belong_to_the_show():
    credit = CreditFactory.build(
        person=PersonFactory(), show=ShowFactory(), character=CharacterFactory()
    )
    with pytest.raises(ValidationError) as excinfo:
        credit.full_clean()
    assert "is a character of" in str(excinfo.value)


def test_two_people_may_share_a_name():
    PersonFactory(name="Chris Evans", birth_date=datetime.date(1981, 6, 13))
    PersonFactory(name="Chris Evans", birth_date=datetime.date(1966, 4, 1))
    assert Person.objects.filter(name="Chris Evans").count() == 2
