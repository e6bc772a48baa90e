"""The query language and the highlighter: pure Python, checked against a real
FTS5 table so every expression we build is one SQLite accepts."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search.query import MAX_LENGTH, highlight, normalise, parse, passage


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(h, b, "
        "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    db.executemany(
        "INSERT INTO t (rowid, h, b) VALUES (?, ?, ?)",
        [
            (1, normalise("Renée Okafor joins Quay Street"), normalise("A wedding in the finale.")),
            (2, normalise("Quay Street P.D. renewed"), normalise("The precinct drama returns.")),
            (3, normalise("Festival diary"), normalise("Nothing about the street at all.")),
        ],
    )
    return db


def matches(fts, text):
    query = parse(text)
    if not query:
        return set()
    rows = fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (query.fts5(),)).fetchall()
    return {row[0] for row in rows}


def test_words_are_folded_and_joined_by_and(fts):
    assert matches(fts, "RENEE okafor") == {1}
    assert matches(fts, "quay street") == {1, 2}


def test_quoted_phrase_exclusion_and_or(fts):
    assert matches(fts, '"quay street" -wedding') == {2}
    assert matches(fts, "wedding OR festival") == {1, 3}
    assert matches(fts, '"street renewed"') == set()
    assert matches(fts, '"street pd"') == {2}


def test_dotted_initials_match_either_way(fts):
    assert matches(fts, "quay street pd") == {2}
    assert matches(fts, "P.D.") == {2}


def test_stemming_and_prefix(fts):
    assert matches(fts, "weddings") == {1}
    assert matches(fts, "precin") == {2}  # the last word may be unfinished


def test_stop_words_are_dropped_unless_they_are_all_there_is():
    assert parse("the wedding of the year").words == ["wedding", "year"]
    assert parse("the who").words == ["the", "who"]
    assert parse('"the who"').words == ["the", "who"]


def test_or_groups_and_exclusions_are_read():
    query = parse('okafor OR "quay street" -draft -"red carpet"')
    assert [[t.text for t in g] for g in query.groups] == [["okafor", '"quay street"']]
    assert [t.text for t in query.excluded] == ["draft", '"red carpet"']
    assert query.text == 'okafor OR "quay street" -draft -"red carpet"'


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "!!!", '"', '""', "-", "-word", "OR", "OR OR", "*", ":", "&|!", "()"],
)
def test_queries_without_words_are_empty(raw):
    assert not parse(raw)


def test_long_queries_are_trimmed_and_say_so():
    query = parse("word " * 400)
    assert query.trimmed and len(query.raw) <= MAX_LENGTH
    assert len(query.terms) <= 12
    assert not parse("short words").trimmed


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_makes_a_valid_fts5_expression(fts, text):
    query = parse(text)
    if query:
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (query.fts5(),)).fetchall()
        websearch, prefixes = query.websearch()
        assert all(w.isalnum() for w in prefixes)
        assert "\x00" not in websearch


@pytest.mark.parametrize(
    "hostile",
    ["NEAR(a b", "a AND", '"unbalanced', "title:x", "x*", "^x", "a + b", "'; DROP TABLE t; --"],
)
def test_fts5_syntax_is_never_passed_through(fts, hostile):
    matches(fts, hostile)  # no sqlite3.OperationalError


def test_highlight_escapes_the_text_and_marks_the_words():
    query = parse("renee <b>")
    html = highlight("<i>Renée</i> & friends", query)
    assert html == "&lt;i&gt;<mark>Renée</mark>&lt;/i&gt; &amp; friends"
    assert "<script" not in highlight("<script>alert(1)</script> renee", query)


def test_highlight_forgives_stems_and_prefixes():
    assert highlight("Two weddings", parse("wedding")) == "Two <mark>weddings</mark>"
    assert highlight("Spiritual", parse("spirit")) == "<mark>Spiritual</mark>"
    assert highlight("Wednesday", parse("wedding")) == "Wednesday"


def test_passage_picks_the_window_with_most_query_words():
    paragraphs = [
        "An opening paragraph about the weather and nothing else at all.",
        "Later, Okafor spoke about the wedding episode and the finale at length.",
    ]
    html = passage(paragraphs, parse("okafor wedding"))
    assert "<mark>Okafor</mark>" in html and "<mark>wedding</mark>" in html
    assert "weather" not in html
    assert passage(["Plain <text>"], parse("absent")) == "Plain &lt;text&gt; …"
