from common.text import fold, search_key, slugify, unique_slug


def test_fold_keeps_case_and_drops_accents():
    assert fold("Zoë Saldaña") == "Zoe Saldana"
    assert fold("Renée Zellweger") == "Renee Zellweger"
    assert fold("Søren Ødegård straße Łódź") == "Soren Odegard strasse Lodz"


def test_fold_straightens_typographic_punctuation():
    assert fold("O’Brien — “quoted” – end…") == 'O\'Brien - "quoted" - end.'


def test_search_key_collapses_case_and_space():
    assert search_key("  Renée   ZELLWEGER ") == "renee zellweger"


def test_slugify_folds_unicode_to_ascii():
    assert slugify("Zoë Saldaña") == "zoe-saldana"
    assert slugify("Law & Order: Special Victims Unit") == "law-and-order-special-victims-unit"
    assert slugify("‘Chicago PD’ actor says…") == "chicago-pd-actor-says"
    assert slugify("Saint Brigid’s finale: “I didn't”") == "saint-brigids-finale-i-didnt"


def test_slugify_trims_at_a_word_boundary():
    headline = (
        "An extraordinarily long headline about a television reunion that keeps going on and on"
    )
    slug = slugify(headline)
    assert len(slug) <= 80
    assert slug == "an-extraordinarily-long-headline-about-a-television-reunion-that-keeps-going-on"
    assert headline.lower().replace(" ", "-").startswith(slug)


def test_slugify_cuts_a_single_overlong_word():
    assert slugify("x" * 100) == "x" * 80


def test_unique_slug_counts_up():
    taken = {"finale", "finale-2"}
    assert unique_slug("Finale", taken.__contains__) == "finale-3"
    assert unique_slug("Premiere", taken.__contains__) == "premiere"


def test_unique_slug_keeps_the_suffix_within_the_limit():
    long = "word " * 30
    base = slugify(long)
    slug = unique_slug(long, {base}.__contains__)
    assert slug.endswith("-2") and len(slug) <= 80


def test_unique_slug_falls_back_when_nothing_is_left():
    assert unique_slug("!!!", set().__contains__, fallback="story") == "story"
