"""A–Z indexes: a letter finds names in either case, through the sort column's index."""

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_letter_lists_names_in_either_case_and_only_those(client):
    for name, sort_name in [
        ("Femi Mbeki", "Mbeki, Femi"),
        ("Caleb marsh", "marsh, Caleb"),
        ("Zoe Novak", "Novak, Zoe"),
        ("Søren Ørsted", "Ørsted, Søren"),
        ("Lena Lindqvist", "Lindqvist, Lena"),
    ]:
        PersonFactory(name=name, sort_name=sort_name)
    page = client.get("/people/?letter=m").content.decode()
    assert "Femi Mbeki" in page and "Caleb marsh" in page
    assert "Zoe Novak" not in page and "Lena Lindqvist" not in page
    other = client.get("/people/?letter=0").content.decode()
    assert "Søren Ørsted" in other and "Femi Mbeki" not in other
    assert client.get("/people/?letter=ab").status_code == 404
