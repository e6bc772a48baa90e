"""Unit tests for the mention matcher (plain pytest, no Django).

Each test pins one rule of the product issue. Story texts are written for
these tests; the wire story is read from shared/corpus at run time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.mentions.matcher import Entry, Matcher, surname_of
from articles.mentions.talent import UnresolvedReference, load_talent
from common.text import fold_lower as fold

P, C, S = "person", "character", "show"


def rel(*refs: tuple[str, int]) -> frozenset[tuple[str, int]]:
    return frozenset(refs)


# A small talent database; ids are per kind.
ENTRIES = [
    Entry(P, 1, "Jesse Lee Soffer", ("Jesse Soffer",), year=1984, related=rel((S, 1), (C, 2))),
    Entry(P, 2, "Tracy Spiridakos", year=1988, related=rel((S, 1), (S, 12), (C, 1))),
    Entry(P, 3, "Renée Zellweger", year=1969),
    Entry(P, 4, "Conan O'Brien", year=1963),
    Entry(P, 5, "Chris Evans", ("Chris Evans (actor)",), year=1981, related=rel((C, 7))),
    Entry(
        P,
        6,
        "Chris Evans",
        ("Chris Evans (presenter)",),
        year=1966,
        related=rel((S, 20)),
        hints=frozenset({"radio", "presenter", "broadcaster"}),
    ),
    Entry(P, 7, "Catherine Zeta-Jones", year=1969),
    Entry(P, 8, "Kate Upton", year=1992),
    Entry(P, 9, "Nick Gehlfuss", year=1985, related=rel((C, 8), (S, 21))),
    Entry(P, 10, "William H. Macy", year=1950, related=rel((S, 9), (C, 9))),
    Entry(P, 11, "Amy Halsted", year=1970),  # a real name one letter off a character's
    Entry(P, 12, "Zendaya", year=1996, related=rel((C, 10))),
    Entry(P, 13, "Sophia Bush", year=1982),
    Entry(S, 1, "Chicago P.D.", ("Chicago PD",), year=2014, show_kind="series"),
    Entry(S, 2, "Chicago", year=2002, show_kind="film"),
    Entry(S, 3, "Law & Order", year=1990, show_kind="series"),
    Entry(
        S,
        4,
        "Law & Order: Special Victims Unit",
        ("Law and Order: SVU", "SVU"),
        year=1999,
        show_kind="series",
    ),
    Entry(S, 5, "Lost", year=2004, show_kind="series"),
    Entry(S, 6, "Friends", year=1994, show_kind="series"),
    Entry(S, 7, "Psych", year=2006, show_kind="series"),
    Entry(S, 8, "Shameless", ("Shameless (2004)",), year=2004, show_kind="series"),
    Entry(S, 9, "Shameless", ("Shameless (2011)",), year=2011, show_kind="series"),
    Entry(S, 10, "As the World Turns", year=1956, show_kind="soap"),
    Entry(S, 11, "Two of a Kind", year=1998, show_kind="series"),
    Entry(S, 12, "Being Human", year=2011, show_kind="series"),
    Entry(S, 13, "Fargo", ("Fargo (1996)",), year=1996, show_kind="film"),
    Entry(S, 14, "Fargo", ("Fargo (2014)",), year=2014, show_kind="series"),
    Entry(S, 15, "Heroes", year=2006, show_kind="series"),
    Entry(S, 16, "Supernatural", year=2005, show_kind="series"),
    Entry(S, 17, "Euphoria", year=2019, show_kind="series", related=rel((P, 12))),
    Entry(S, 18, "Conan", year=2010, show_kind="series", related=rel((P, 4))),
    Entry(S, 19, "Bridget Jones's Diary", year=2001, show_kind="film"),
    Entry(S, 20, "TFI Friday", year=1996, show_kind="series"),
    Entry(S, 21, "Chicago Med", year=2015, show_kind="series"),
    Entry(C, 1, "Hailey Upton", ("Upton",), related=rel((S, 1), (P, 2))),
    Entry(C, 2, "Jay Halstead", ("Halstead",), related=rel((S, 1), (P, 1))),
    Entry(
        C,
        3,
        "Hank Voight",
        ("Voight",),
        related=rel(
            (S, 1),
        ),
    ),
    Entry(
        C,
        4,
        "Rachel Green",
        related=rel(
            (S, 6),
        ),
    ),
    Entry(C, 5, "Bridget Jones", related=rel((S, 19), (P, 3))),
    Entry(C, 6, "Gregory House", ("House",)),
    Entry(
        C,
        7,
        "Steve Rogers",
        ("Captain America",),
        related=rel(
            (P, 5),
        ),
    ),
    Entry(C, 8, "Will Halstead", related=rel((S, 21), (P, 9))),
    Entry(C, 9, "Frank Gallagher", ("Frank Gallagher (US)",), related=rel((S, 9), (P, 10))),
    Entry(C, 10, "Rue Bennett", ("Rue",), related=rel((S, 17), (P, 12))),
    Entry(
        C,
        11,
        "Sam Winchester",
        related=rel(
            (S, 16),
        ),
    ),
    Entry(
        C,
        12,
        "Dean Winchester",
        related=rel(
            (S, 16),
        ),
    ),
]


@pytest.fixture(scope="module")
def m() -> Matcher:
    return Matcher(ENTRIES)


def linked(result) -> set[tuple[str, int]]:
    return {(link.kind, link.id) for link in result.linked}


def body(m: Matcher, *paragraphs: str, headline: str = "", dek: str = ""):
    return m.find(headline=headline, dek=dek, body=list(paragraphs))


# -- capitalisation and ordinary words --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "After the move she felt lost for months.",
        "The play is about being human in a hard city.",
        "Friends of the cast say rehearsals went well.",
        "She had a few friends of the cast over for dinner.",
        "He had to psych himself up before the audition.",
        "It was a shameless plug for her podcast.",
        "The creature had supernatural strength.",
        "Lost in thought, she missed her stop.",
        "Supernatural forces were blamed for the power cut.",
    ],
)
def test_ordinary_words_and_sentence_initial_capitals_do_not_link(m, text):
    assert body(m, text).linked == []


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Fans still quote ‘Psych’ to each other.", (S, 7)),
        ("Fans still quote 'Psych' to each other.", (S, 7)),
        ("Fans still quote “Psych,” she said.", (S, 7)),
        ("She starred in the series Being Human for four years.", (S, 12)),
        ("She starred in Being Human for four years.", (S, 12)),
        ("Aniston spent ten years on Friends before going to film.", (S, 6)),
        ("The cast of Friends met again last spring.", (S, 6)),
        ("Lost star Matthew Fox has a new job.", (S, 5)),
        ("Friends reunion tickets sold out in an hour.", (S, 6)),
        ("He rewatched Lost over the summer.", (S, 5)),
        ("The 2007 film Supernatural is not the series.", (S, 16)),
        ("NBC's Heroes was a hit in its first year.", (S, 15)),
    ],
)
def test_clearly_meant_titles_link(m, text, ref):
    assert ref in linked(body(m, text))


def test_title_without_letters_needs_a_title_noun():
    m = Matcher([Entry(S, 1, "24", year=2001), Entry(S, 2, "!!!")])
    assert m.find(body=["She was on 24 flights last year."]).linked == []
    assert m.find(body=["She was on the series 24 for a season."]).linked[0].id == 1
    assert m.find(body=["Nobody said ‘!!!’ aloud."]).linked == []


def test_lower_case_cue_does_not_rescue_lower_case_title(m):
    assert body(m, "He spent the evening on friends and family.").linked == []


def test_one_word_title_needs_a_signal_mid_sentence(m):
    # Capitalised mid-sentence but nothing says it is the show.
    assert (S, 5) not in linked(body(m, "The mayor said Lost property is kept for a month."))
    assert (S, 5) not in linked(body(m, "She told Lost Weekly about it."))


def test_titles_in_a_capitalised_list_link_together(m):
    result = body(m, "Viewers could follow Lost, Heroes, Supernatural and Psych in one week.")
    assert {(S, 5), (S, 15), (S, 16), (S, 7)} <= linked(result)
    result = body(m, "Her credits include Being Human, and Psych after that.")
    assert {(S, 12), (S, 7)} <= linked(result)


def test_title_case_headline_needs_more_than_capitals(m):
    result = m.find(
        headline="Old Friends, Lost Causes And The Shows We Keep",
        body=["Conan O'Brien talked about comfort viewing."],
    )
    assert linked(result) == {(P, 4)}


def test_weak_title_backed_by_related_name_in_story(m):
    result = body(m, "Zendaya said Euphoria changed her life.", "She plays Rue Bennett.")
    assert {(P, 12), (S, 17), (C, 10)} <= linked(result)


# -- spelling variants --------------------------------------------------------


def test_title_case_small_words(m):
    result = body(m, "He was on As The World Turns and later Two Of A Kind.")
    assert {(S, 10), (S, 11)} <= linked(result)


def test_accents_apostrophes_dashes_and_ampersands(m):
    result = body(
        m,
        "Renee Zellweger met Conan O’Brien and Catherine Zeta–Jones at the party.",
        "She then watched Law and Order and Bridget Jones’s Diary.",
    )
    assert {(P, 3), (P, 4), (P, 7), (S, 3), (S, 19)} <= linked(result)
    link = next(x for x in result.linked if (x.kind, x.id) == (P, 3))
    assert link.name == "Renée Zellweger"
    assert link.matched == ["Renee Zellweger"]


def test_elided_word_is_not_a_name(m):
    # "Brien" and "Conan" alone must not come out of "O'Brien" or the person.
    result = body(m, "Conan O'Brien spoke first.")
    assert linked(result) == {(P, 4)}


# -- surnames ------------------------------------------------------------------


def test_surname_links_only_after_full_name(m):
    result = body(
        m,
        "Halstead was not in the first scene.",
        "Later Jay Halstead walked in, and Halstead’s partner followed.",
    )
    link = next(x for x in result.linked if (x.kind, x.id) == (C, 2))
    assert link.first[:2] == ("body", 1)
    assert link.matched == ["Jay Halstead", "Halstead"]
    spans = [(mn.paragraph, mn.text) for mn in result.mentions if (mn.kind, mn.id) == (C, 2)]
    assert (0, "Halstead") not in spans
    assert (1, "Halstead") in spans


def test_headline_and_dek_count_as_earlier(m):
    result = m.find(
        headline="Jesse Lee Soffer talks romance",
        dek="Hank Voight is not happy",
        body=["Soffer said Voight would object."],
    )
    assert {(P, 1), (C, 3)} <= linked(result)
    matched = {x.id: x.matched for x in result.linked if x.kind in (P, C)}
    assert "Soffer" in matched[1]
    assert "Voight" in matched[3]


def test_derived_surname_without_alias(m):
    result = body(m, "Kate Upton signed on. Upton starts filming soon.")
    assert linked(result) == {(P, 8)}  # not the character Hailey Upton


def test_surname_shared_in_story_is_ambiguous(m):
    result = body(
        m,
        "Jay Halstead and Will Halstead share a scene.",
        "Halstead is the one who leaves.",
    )
    assert {(C, 2), (C, 8)} <= linked(result)
    assert [x.matched for x in result.linked if (x.kind, x.id) == (C, 2)] == [["Jay Halstead"]]
    amb = [a for a in result.ambiguous if a.text == "Halstead"]
    assert amb
    assert {(k, i) for k, i, _ in amb[0].candidates} == {(C, 2), (C, 8)}


def test_surname_inside_other_proper_noun_does_not_link(m):
    result = body(m, "Gregory House was there. The White House was not.", "House left.")
    mentions = [(mn.paragraph, mn.text) for mn in result.mentions]
    assert (1, "House") in mentions
    assert (0, "House") not in mentions


def test_honorific_before_surname(m):
    result = body(m, "Jay Halstead arrived.", "Detective Halstead then left.")
    assert (1, "Halstead") in [(mn.paragraph, mn.text) for mn in result.mentions]


def test_first_name_of_coordinated_pair(m):
    result = body(m, "The show followed Sam and Dean Winchester across America.")
    assert {(C, 11), (C, 12)} <= linked(result)


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Jesse Lee Soffer", "Soffer"),
        ("Robert Downey Jr.", "Downey"),
        ("Vincent van Gogh", "van Gogh"),
        ("Captain America", None),
        ("Dr. Gregory House", "House"),
        ("Zendaya", None),
    ],
)
def test_surname_of(name, surname):
    assert surname_of(name) == surname


# -- misspellings ---------------------------------------------------------------


def test_misspelt_name_links_and_is_reported(m):
    result = m.find(
        headline="Chicago PD: Jesse Lee Soffer on his scenes with Tracy Spiradakos",
        body=["He said Spiridakos is a great partner."],
    )
    assert (P, 2) in linked(result)
    [miss] = result.misspellings
    assert (miss.text, miss.suggest) == ("Tracy Spiradakos", "Tracy Spiridakos")
    assert (miss.kind, miss.id, miss.linked) == (P, 2, True)
    link = next(x for x in result.linked if (x.kind, x.id) == (P, 2))
    assert link.matched == ["Tracy Spiradakos", "Spiridakos"]


def test_misspelling_needs_backing_to_link(m):
    # Nothing else in the story points to her: reported for review, not linked.
    result = body(m, "Tracy Spiradakos opened a bakery.")
    assert result.linked == []
    assert [(x.text, x.linked) for x in result.misspellings] == [("Tracy Spiradakos", False)]


@pytest.mark.parametrize(
    "text",
    [
        "Tracy Spirit opened a bakery near the Chicago PD set.",  # too many edits
        "Tracy Piridakos was on Chicago PD.",  # first letter differs
        "Sophia Bash joined Chicago PD.",  # stored word too short to guess at
        "Jay Halsted joined the squad on Chicago PD.",  # Halsted is a stored name word
        "Jay Halsted Street is in Chicago.",  # near word inside a longer run
    ],
)
def test_misspelling_is_precise(m, text):
    result = body(m, text)
    assert result.misspellings == []
    assert (C, 2) not in linked(result)


def test_misspelling_of_a_character(m):
    result = body(m, "Jay Halstaed and Hank Voight argued on Chicago PD.")
    assert [(x.text, x.suggest, x.linked) for x in result.misspellings] == [
        ("Jay Halstaed", "Jay Halstead", True)
    ]


def test_misspelt_surname_alone_is_reported_not_linked(m):
    result = body(m, "Tracy Spiridakos was there.", "Later, Spiradakos left.")
    assert [(x.text, x.suggest, x.linked) for x in result.misspellings] == [
        ("Spiradakos", "Spiridakos", False)
    ]
    assert [x.matched for x in result.linked] == [["Tracy Spiridakos"]]


# -- same names ---------------------------------------------------------------


def test_same_name_without_evidence_is_ambiguous(m):
    result = body(m, "Chris Evans was at the auction.", "Evans bid twice.")
    assert result.linked == []
    [amb] = result.ambiguous
    assert amb.text == "Chris Evans"
    assert {(k, i) for k, i, _ in amb.candidates} == {(P, 5), (P, 6)}


def test_same_name_settled_by_related_mention(m):
    result = body(m, "Chris Evans played Steve Rogers again.", "Evans loved it.")
    assert linked(result) == {(P, 5), (C, 7)}
    assert result.ambiguous == []
    result = body(m, "Chris Evans is bringing back TFI Friday.")
    assert linked(result) == {(P, 6), (S, 20)}


def test_same_name_settled_by_hints(m):
    result = body(m, "The radio presenter Chris Evans spoke on Tuesday.")
    assert linked(result) == {(P, 6)}


def test_same_title_settled_by_year(m):
    result = body(m, "Showtime's Shameless, the 2011 remake, ends this week.")
    assert linked(result) == {(S, 9)}
    result = body(m, "It all began with 2004's Shameless on Channel 4.")
    assert linked(result) == {(S, 8)}
    network = Entry(S, 9, "Shameless", year=2011, hints=frozenset({"showtime"}))
    other = Entry(S, 8, "Shameless", year=2004, hints=frozenset({"channel"}))
    result = Matcher([other, network]).find(body=["Showtime's Shameless ends this week."])
    assert linked(result) == {(S, 9)}


def test_same_title_unresolved(m):
    result = body(m, "One critic finally watched Shameless over the holidays.")
    assert result.linked == []
    assert [a.text for a in result.ambiguous] == ["Shameless"]


def test_same_title_settled_by_cast(m):
    result = body(m, "William H. Macy said Shameless was the role of his life.")
    assert linked(result) == {(P, 10), (S, 9)}


def test_disambiguating_alias_in_text(m):
    assert linked(body(m, "We rewatched Shameless (2011) last week.")) == {(S, 9)}


def test_film_and_series_with_one_title(m):
    result = body(
        m,
        "The 1996 film Fargo was a hit.",
        "The FX series Fargo, which began in 2014, borrowed its title.",
    )
    assert linked(result) == {(S, 13), (S, 14)}
    result = body(m, "Another critic binged every season of Fargo.")
    assert linked(result) == {(S, 14)}


def test_place_name_same_as_title_does_not_link(m):
    result = body(m, "Very little was filmed in Fargo, North Dakota.")
    assert result.linked == []
    result = body(m, "Both dramas are shot on location in Chicago.")
    assert result.linked == []


# -- aliases and overlaps -------------------------------------------------------


def test_show_aliases(m):
    result = body(m, "Viewers of Chicago PD loved it, and Law and Order: SVU too.")
    assert linked(result) == {(S, 1), (S, 4)}
    assert linked(body(m, "SVU fans want a crossover.")) == {(S, 4)}


def test_longest_match_wins(m):
    result = body(m, "She joined Law & Order: Special Victims Unit in 1999.")
    assert linked(result) == {(S, 4)}
    result = body(m, "He joined Chicago P.D. last year.")
    assert linked(result) == {(S, 1)}
    result = body(m, "Bridget Jones’s Diary opened in 2001.")
    assert linked(result) == {(S, 19)}


def test_shorter_title_mentioned_separately_still_links(m):
    result = body(m, "Chicago P.D. star Jesse Lee Soffer met the cast of the musical Chicago.")
    assert {(S, 1), (S, 2)} <= linked(result)


def test_person_name_contains_a_title(m):
    assert linked(body(m, "Conan O'Brien told the room.")) == {(P, 4)}
    # The show named on its own, backed by its host in the same story.
    assert linked(body(m, "Conan O'Brien ended Conan in 2021.")) == {(P, 4), (S, 18)}


# -- result shape, spans, suggest ----------------------------------------------------


def test_first_position_and_matched_forms(m):
    result = m.find(
        headline="‘Chicago PD’ renewed",
        body=["NBC renewed Chicago P.D. on Monday.", "Chicago PD returns in autumn."],
    )
    [link] = result.linked
    assert link.first == ("headline", 0, 1, 11)
    assert link.matched == ["Chicago PD", "Chicago P.D."]


def test_spans_map_to_original_offsets(m):
    text = "Straße: Renée Zellweger and Conan O\u2019Brien met Re\u0301nee Zellweger."
    spans = m.spans(text)
    assert [(text[s:e], k, i) for s, e, k, i in spans] == [
        ("Renée Zellweger", P, 3),
        ("Conan O\u2019Brien", P, 4),
        ("Re\u0301nee Zellweger", P, 3),
    ]


def test_spans_with_known_entities(m):
    text = "Halstead and Upton went back to work."
    assert m.spans(text) == []
    spans = m.spans(text, known=[(C, 2), (C, 1)])
    assert [(text[s:e], k, i) for s, e, k, i in spans] == [("Halstead", C, 2), ("Upton", C, 1)]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("spiradakos", "Tracy Spiridakos"),
        ("halsted", "Jay Halstead"),
        ("chicago pd", "Chicago P.D."),
        ("renee zellweger", "Renée Zellweger"),
        ("law and order svu", "Law & Order: Special Victims Unit"),
        ("zelweger", "Renée Zellweger"),
        ("spirid", "Tracy Spiridakos"),
    ],
)
def test_suggest(m, query, name):
    results = m.suggest(query)
    assert results
    assert results[0][0].name == name
    assert 0 < results[0][1] <= 100


def test_suggest_limit_and_nothing(m):
    assert len(m.suggest("chicago", limit=2)) == 2
    assert m.suggest("") == []
    assert m.suggest("qqqqqqqq") == []


def test_empty_inputs(m):
    assert m.find().linked == []
    assert Matcher([]).find(body=["Lost"]).linked == []
    assert Matcher([]).suggest("lost") == []


def test_body_as_string_and_unknown_kind(m):
    assert linked(m.find(body="Kate Upton smiled.")) == {(P, 8)}
    with pytest.raises(ValueError, match="unknown kind"):
        Matcher([Entry("studio", 1, "Pixar")])


def test_rebuild_is_independent(m):
    smaller = Matcher(ENTRIES[:2])
    assert linked(smaller.find(body=["Tracy Spiridakos met Renée Zellweger."])) == {(P, 2)}


# -- text folding ------------------------------------------------------------------


def test_fold_offsets():
    folded = fold("Straße “Zoë” – O’Brien")
    assert folded.text == 'strasse "zoe" - o\'brien'
    start = folded.text.index("zoe")
    assert folded.original_span(start, start + 3) == (8, 11)
    start = folded.text.index("o'brien")
    assert folded.original[slice(*folded.original_span(start, start + 7))] == "O’Brien"
    assert fold("plain ascii").offsets is None


# -- talent loader -------------------------------------------------------------------


def test_load_talent_resolves_shared_names_by_alias():
    data = {
        "people": [
            {"name": "Chris Evans", "aliases": ["Chris Evans (actor)"], "birth_date": "1981-06-13"},
            {"name": "Chris Evans", "aliases": ["Chris Evans (presenter)"]},
        ],
        "shows": [{"title": "TFI Friday", "network": "Channel 4"}],
        "credits": [{"person": "Chris Evans (presenter)", "show": "TFI Friday"}],
    }
    talent = load_talent(data)
    assert talent.ref(P, "Chris Evans (presenter)") == (P, 2)
    with pytest.raises(UnresolvedReference):
        talent.ref(P, "Chris Evans")
    presenter = next(e for e in talent.entries if e.ref == (P, 2))
    assert presenter.related == {(S, 1)}
    show = next(e for e in talent.entries if e.kind == S)
    assert {"channel", "4"} <= show.hints or "channel" in show.hints
    data["credits"] = [{"person": "Chris Evans", "show": "TFI Friday"}]
    with pytest.raises(UnresolvedReference):
        load_talent(data)


# -- the wire story -----------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
CORPUS_CANDIDATES = [
    CORPUS,
    Path("/work/shared/corpus"),
    Path(__file__).resolve().parents[2] / "shared" / "corpus",
]


def _corpus() -> Path | None:
    for path in CORPUS_CANDIDATES:
        if (path / "seed-article.txt").exists() and (path / "seed-entities.json").exists():
            return path
    return None


@pytest.mark.skipif(_corpus() is None, reason="shared/corpus not present")
def test_wire_story_exact_detection():
    corpus = _corpus()
    talent = load_talent(json.loads((corpus / "seed-entities.json").read_text(encoding="utf-8")))
    text = (corpus / "seed-article.txt").read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    first, _, rest = text.partition("\n")
    date_word, _date, headline = first.split(None, 2)
    assert date_word == "date"
    paragraphs = [" ".join(p.split()) for p in rest.split("\n\n") if p.strip()]

    result = Matcher(talent.entries).find(headline=headline, body=paragraphs)

    names = {kind: set() for kind in (P, C, S)}
    for link in result.linked:
        names[link.kind].add(link.name)
    assert names[P] == {"Jesse Lee Soffer", "Tracy Spiridakos"}
    assert names[C] == {"Hailey Upton", "Jay Halstead", "Erin Lindsay", "Hank Voight"}
    all_shows = {
        s["title"] for s in json.loads((corpus / "seed-entities.json").read_text())["shows"]
    }
    assert len(all_shows) == 12
    assert names[S] == all_shows
    assert any(
        "Spiradakos" in miss.text and "Spiridakos" in miss.suggest for miss in result.misspellings
    )
    assert result.ambiguous == []
