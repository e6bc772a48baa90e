import pytest
from django.db import IntegrityError, transaction

from tests.factories import ShowFactory

pytestmark = pytest.mark.django_db


def test_sort_title_drops_a_leading_article():
    assert ShowFactory(title="The Brady Bunch Movie").sort_title == "Brady Bunch Movie"
    assert ShowFactory(title="Theodore Rex").sort_title == "Theodore Rex"


def test_year_range_and_order_are_enforced_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowFactory(start_year=2014, end_year=2010)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowFactory(start_year=1200)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowFactory(start_year=2000, end_year=2300)


def test_slug_unique_in_the_database():
    ShowFactory(slug="shameless")
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowFactory(slug="shameless")
    assert ShowFactory(title="Shameless").slug == "shameless-2"


def test_years_for_display():
    assert ShowFactory(start_year=2014, end_year=None).years == "2014–"
    assert ShowFactory(start_year=2011, end_year=2013).years == "2011–2013"
    assert ShowFactory(kind="film", start_year=1994).years == "1994"
