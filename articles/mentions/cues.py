"""Word lists that tell a title or a name from an ordinary word.

All entries are folded (lower case, no accents), as the matcher compares them
with folded tokens.
"""

from __future__ import annotations

from common.text import word_set

# A word right before a one-word title that marks it as a title:
# "the series Lost", "the 2007 film Supernatural", "on Friends", "watched Psych".
PRE_CUES = word_set(
    """series show shows sitcom sitcoms drama dramedy comedy soap soaps film films movie
    movies musical miniseries docuseries telenovela anime cartoon special reboot remake revival
    spinoff sequel prequel adaptation franchise season seasons episode episodes finale
    premiere pilot on watch watched watching rewatch rewatched rewatching binge binged
    bingeing binging"""
)

# Words before a cue noun that make it a verb: "crews that film Chicago",
# "to show Friends" say nothing about a title.
VERB_MARKERS = word_set(
    """to that who which they we i you he she it will would can could should did does do
    must might may often also not never"""
)
# Cue nouns that double as verbs.
VERBAL_CUES = word_set("film films show shows star stars premiere remake reboot pilot")

# "<head> of X": "the cast of Friends", "viewers of Chicago PD".
OF_HEADS = word_set(
    """cast star stars fans fan creator creators episode episodes season seasons finale
    reboot remake revival set writers writer producers producer showrunner alum alumni
    alums version premiere spinoff viewers watchers ending pilot team character
    characters"""
)

# "<head> in X": "starred in Psych", "a role in Lost".
IN_HEADS = word_set(
    """starred starring stars star appeared appearing appearance appearances role roles
    cameo cameos stint stints debut part parts cast guest played plays playing
    featured"""
)

# A word right after a title: "Lost star", "Friends reunion", "Psych fans".
POST_CUES = word_set(
    """star stars starring actor actress actors alum alumna alumni alums cast castmate
    castmates costar co creator creators showrunner writer writers producer producers
    finale season seasons episode episodes premiere reboot revival remake reunion
    spinoff fans fandom character characters universe franchise sequel prequel script
    spoilers recap rewatch"""
)

ALL_CUES = PRE_CUES | POST_CUES

# "X, the 2011 remake": a determiner then, within a few words, one of these.
DETERMINERS = word_set("the a an its their his her")
TITLE_NOUNS = word_set(
    """series show sitcom drama dramedy comedy soap film movie musical miniseries
    docuseries telenovela anime cartoon special reboot remake revival spinoff sequel
    prequel adaptation franchise original thriller procedural"""
)

# Words near a same-named show that say which kind it is.
FILM_WORDS = word_set("film films movie movies feature")
SERIES_WORDS = word_set(
    "series show sitcom drama soap miniseries serial telenovela season seasons episode"
)
SERIES_KINDS = frozenset({"series", "soap", "miniseries"})

# Tokens that end a sentence (after folding, "…" is "."), so the next word's
# capital letter says nothing about it being a name.
TERMINATORS = frozenset(".!?:;")
# Tokens that may open a quotation or aside before a sentence's first word.
OPENERS = frozenset("'\"([")

# Separators between the items of a list of titles.
LIST_SEPARATORS = frozenset(
    {
        (",",),
        ("and",),
        (",", "and"),
        ("or",),
        (",", "or"),
        ("&",),
        (",", "&"),
        ("/",),
        (";",),
        (";", "and"),
    }
)

# A leading word that is a form of address, not a first name: "Captain
# America" has no surname "America", but "Dr. Gregory House" has "House".
HONORIFICS = word_set(
    """captain capt doctor dr mr mrs ms miss mx lord lady king queen prince princess sir
    dame agent detective det officer sergeant sgt lieutenant lt chief professor prof
    uncle aunt auntie saint st general gen colonel col major president judge father
    mother sister brother the"""
)
NAME_SUFFIXES = word_set("jr sr ii iii iv")
SURNAME_PARTICLES = word_set("van von de del della di da du la le der den ter st")
