"""Deciding which names a query means: the same on SQLite and PostgreSQL."""

from articles.search.names import Candidate, best_matches, word_match

PEOPLE = [
    Candidate("person", 1, ("Tamsin Okafor-Reyes", "Tam Okafor")),
    Candidate("person", 2, ("Tamsin Grey",)),
    Candidate("show", 3, ("Quay Street P.D.",)),
    Candidate("show", 4, ("Quay Street Fire",)),
    Candidate("character", 5, ("Detective Ines Halloran",)),
]


def names(words, candidates=PEOPLE):
    return [(m.kind, m.id) for m in best_matches(words, candidates, 5)]


def test_word_match_levels():
    assert word_match("okafor", "okafor") == 1.0
    assert word_match("okaf", "okafor") == 0.9
    assert word_match("okafr", "okafor") == 0.75
    assert word_match("okxyzr", "okafor") == 0.0
    assert word_match("tam", "tom") == 0.0  # short words need to be right


def test_a_misspelt_surname_finds_the_person_and_offers_the_spelling():
    [match] = best_matches(["halloren"], PEOPLE, 5)
    assert (match.kind, match.id) == ("character", 5)
    assert match.corrections == {"halloren": "halloran"}


def test_every_query_word_must_be_accounted_for():
    assert names(["tamsin"]) == [("person", 1), ("person", 2)] or names(["tamsin"]) == [
        ("person", 2),
        ("person", 1),
    ]
    assert names(["tamsin", "grey"]) == [("person", 2)]
    assert names(["tamsin", "actress"])[:1] in ([("person", 1)], [("person", 2)])


def test_a_full_name_inside_a_longer_query_is_found():
    assert names(["quay", "street", "pd", "wedding"]) == [("show", 3)]


def test_an_exact_name_ranks_first():
    found = best_matches(["quay", "street", "fire"], PEOPLE, 5)
    assert (found[0].kind, found[0].id, found[0].score) == ("show", 4, 100.0)


def test_aliases_count():
    [match] = best_matches(["tam", "okafor"], PEOPLE, 5)
    assert match.id == 1 and match.name == "Tam Okafor"


def test_nothing_for_unrelated_words():
    assert names(["weather", "report"]) == []
    assert names([]) == []
