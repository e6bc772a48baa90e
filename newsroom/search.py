"""Site search: the people, characters and shows a query names, then the stories
that match it, best first; and a feed for any query.

The engines live in ``articles.search`` (the index, the query language, the
ranked story search and the name matching). This module picks the name
candidates from the database at hand, reads the filters, and renders.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from articles.feeds import StoryFeed
from articles.mentions.adapter import current_matcher
from articles.mentions.bodytext import paragraphs
from articles.models import Article, Section
from articles.navigation import nav_sections
from articles.search import stories as story_search
from articles.search.names import KIND_WORDS, Candidate, NameMatch, best_matches, word_match
from articles.search.query import (
    MAX_LENGTH,
    STOP_WORDS,
    Query,
    highlight,
    parse,
    passage,
    words_of,
)
from common.cache import public_page
from common.site import absolute
from common.text import strip_controls
from common.views import PageMixin, feed_links
from people.models import Character, Person
from shows.models import Show

PER_PAGE = 20
ENTITY_CARDS = 6
ENTITY_PAGE = 24  # when the reader asked for people, characters or shows only
TYPES = {
    "": "Everything",
    "stories": "Stories",
    "people": "People",
    "characters": "Characters",
    "shows": "Shows",
}
KIND_OF_TYPE = {"people": "person", "characters": "character", "shows": "show"}
MODELS = {"person": Person, "character": Character, "show": Show}
# How many near-miss candidates each table may offer PostgreSQL's side.
TRIGRAM_CANDIDATES = 100
# pg_trgm similarity for a near-miss name word; names.word_match then decides.
TRIGRAM_THRESHOLD = 0.3


# -- names ---------------------------------------------------------------------------


def _trigram_candidates(words: list[str]) -> list[Candidate]:
    """PostgreSQL: people, characters and shows with a name word that answers a query
    word. Two index look-ups: the name words near or starting with each query word
    (pg_trgm on the small ``search_nameword`` table), then the entities whose folded
    names hold one of those words (one query over the three tables)."""
    words = [w for w in words if w not in STOP_WORDS and len(w) >= 3][:6]
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        near = " OR ".join(["word %% %s OR word LIKE %s"] * len(words))
        cursor.execute(
            f"SELECT word FROM search_nameword WHERE {near} LIMIT 500",
            [value for w in words for value in (w, f"{w}%")],
        )
        vocabulary = [row[0] for row in cursor.fetchall()]
    # For each query word, the name words that answer it (exactly, as a prefix, or
    # within a slip or two).
    answers = []
    for w in words:
        found = sorted(name for name in vocabulary if len(name) >= 3 and word_match(w, name))
        if found:
            answers.append(found[:40])
    if not answers:
        return []

    # The entities whose names hold any of them (LIKE, which the trigram indexes on
    # search_names serve; whole words are checked when scoring), those answering the
    # most query words first: "amara castellanos" before every other Castellanos.
    def like(found):
        return "(" + " OR ".join(["search_names LIKE %s"] * len(found)) + ")"

    where = " OR ".join(like(found) for found in answers)
    answered = " + ".join(f"{like(found)}::int" for found in answers)
    patterns = [f"%{word}%" for found in answers for word in found]
    parts, params = [], []
    for kind, table, name in (
        ("person", "people_person", "name"),
        ("character", "people_character", "name"),
        ("show", "shows_show", "title"),
    ):
        parts.append(
            f"(SELECT '{kind}', id, {name}, aliases FROM {table} WHERE {where} "
            f"ORDER BY {answered} DESC, id LIMIT {TRIGRAM_CANDIDATES})"
        )
        params += [*patterns, *patterns]
    candidates = []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for kind, pk, display, aliases in cursor.fetchall():
            if isinstance(aliases, str):  # a driver that leaves JSON as text
                aliases = json.loads(aliases)
            candidates.append(Candidate(kind, pk, (display, *(aliases or ()))))
    return candidates


def _matcher_candidates(words: list[str]) -> list[Candidate]:
    """The mention matcher's fuzzy name lookup (exact, prefix and near words)."""
    found = current_matcher().suggest(" ".join(words), limit=50)
    return [Candidate(entry.kind, entry.id, (entry.name, *entry.aliases)) for entry, _ in found]


def _alternatives(query: Query) -> list[list[str]]:
    """The word lists a name could answer: one per choice of an ``OR`` (at most 6)."""
    fixed = [w for group in query.groups if len(group) == 1 for w in group[0].words]
    choices = [group for group in query.groups if len(group) > 1]
    if not choices:
        return [query.words]
    return [[*term.words, *fixed] for group in choices for term in group][:6]


def find_names(query: Query, kinds=("person", "character", "show"), limit=ENTITY_CARDS):
    """The entities the query names, best first, as (NameMatch, model instance)."""
    kind_words = KIND_WORDS["person"] | KIND_WORDS["show"] | KIND_WORDS["character"]
    alternatives = _alternatives(query)
    words = [w for words in alternatives for w in words if w not in kind_words]
    words = list(dict.fromkeys(words or query.words))
    if not words:
        return []
    if connection.vendor == "postgresql":
        candidates = _trigram_candidates(words)
    else:
        candidates = _matcher_candidates(words)
    candidates = [c for c in candidates if c.kind in kinds]
    left_out = {w for term in query.excluded for w in term.words}
    best: dict[tuple[str, int], NameMatch] = {}
    for alternative in alternatives:
        for match in best_matches(alternative, candidates, limit):
            if left_out & set(words_of(match.name)):
                continue
            key = (match.kind, match.id)
            if key not in best or match.score > best[key].score:
                best[key] = match
    matches = sorted(best.values(), key=lambda m: (-m.score, m.misspelt, m.name, m.id))[:limit]
    objects = {}
    for kind in {m.kind for m in matches}:
        qs = MODELS[kind].objects.filter(pk__in=[m.id for m in matches if m.kind == kind])
        if kind == "person":
            qs = qs.select_related("headshot")
        elif kind == "character":
            qs = qs.select_related("show")
        else:
            qs = qs.select_related("poster")
        objects.update({(kind, obj.pk): obj for obj in qs})
    return [(m, objects[(m.kind, m.id)]) for m in matches if (m.kind, m.id) in objects]


# -- the page -------------------------------------------------------------------------


@dataclass(slots=True)
class Filters:
    section: Section | None = None
    type: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None

    def apply(self, stories):
        if self.section:
            stories = stories.filter(section=self.section)
        if self.start:
            stories = stories.filter(publish_at__date__gte=self.start)
        if self.end:
            stories = stories.filter(publish_at__date__lte=self.end)
        return stories

    @property
    def active(self) -> bool:
        return bool(self.section or self.type or self.start or self.end)


def read_filters(params) -> tuple[Filters, list[str]]:
    """The filters in the address, and a message for each one that made no sense
    (it is then ignored, not refused: the reader still gets results)."""
    filters, problems = Filters(), []
    params = {
        name: strip_controls(params.get(name, "")) for name in ("section", "type", "from", "to")
    }
    slug = params.get("section", "")
    if slug:
        filters.section = Section.objects.filter(slug=slug[:100]).first()
        if filters.section is None:
            problems.append("There is no such section; showing every section.")
    kind = params.get("type", "")
    if kind in TYPES:
        filters.type = kind
    else:
        problems.append("Unknown result type; showing everything.")
    for name, label in (("from", "start"), ("to", "end")):
        value = params.get(name, "").strip()
        if not value:
            continue
        try:
            day = parse_date(value[:20])
        except ValueError:
            day = None
        if day is None or not 1900 <= day.year <= 2200:
            problems.append(f"“{value[:20]}” is not a date like 2026-11-26; ignored.")
        else:
            setattr(filters, label, day)
    if filters.start and filters.end and filters.start > filters.end:
        problems.append("The start date was after the end date; they were swapped.")
        filters.start, filters.end = filters.end, filters.start
    return filters, problems


class SearchView(PageMixin, TemplateView):
    """/search/?q= — names first, then ranked stories with the passage that matched."""

    template_name = "search.html"
    page_title = "Search"
    canonical_params = ("q",)

    def get_context_data(self, **kwargs):
        params = self.request.GET
        query = parse(params.get("q", ""))
        filters, messages = read_filters(params)
        if query.trimmed:
            messages.insert(
                0,
                f"Your search was long, so only its first {MAX_LENGTH} characters "
                "(and at most 12 words or phrases) were used.",
            )
        context = {
            "query": query,
            "q": query.raw,
            "filters": filters,
            "messages_": messages,
            "types": TYPES,
            "sections": nav_sections(),
            "names": [],
            "stories": [],
            "page_obj": None,
            "total": 0,
        }
        if params.get("q") and not query:
            context["messages_"].append(
                "Type a word or a name to search for (not only words to leave out)."
                if query.excluded or "-" in query.raw
                else "That search has no words in it. Try a name, a show or a topic."
            )
        if query:
            self.search(query, filters, context)
        return super().get_context_data(**context, **kwargs)

    def search(self, query: Query, filters: Filters, context: dict) -> None:
        number = self.request.GET.get("page", "1")
        entity_kind = KIND_OF_TYPE.get(filters.type)
        if entity_kind:
            context["names"] = find_names(query, kinds=(entity_kind,), limit=ENTITY_PAGE)
            return
        names = find_names(query) if filters.type == "" else []
        if not filters.type and str(number) == "1":
            context["names"] = names
        # "Did you mean": a misspelt name, corrected from the best match.
        corrections = names[0][0].corrections if names else {}
        corrected = query.replaced(corrections) if corrections else None
        stories = filters.apply(Article.objects.all()) if filters.active else None
        shown, found = query, story_search.matches(query, stories)
        if not found and corrected:
            shown, found = corrected, story_search.matches(corrected, stories)
            context["showing_corrected"] = True
        elif corrected:
            context["did_you_mean"] = corrected
        if not found and len(query.words) > 1:
            relaxed = (corrected or query).relaxed()
            shown, found = relaxed, story_search.matches(relaxed, stories)
            context["relaxed"] = bool(found)
        total = len(found)
        more = total > story_search.MAX_RESULTS
        context["more_than"] = story_search.MAX_RESULTS if more else 0
        paginator = Paginator(range(min(total, story_search.MAX_RESULTS)), PER_PAGE)
        try:
            page = paginator.page(number) if total else None
        except InvalidPage:
            raise Http404("No such page of results.") from None
        if page is not None:
            offset = (page.number - 1) * PER_PAGE
            ids = story_search.ranked(found)[offset : offset + PER_PAGE]
            # ``ids`` went through published() in the search itself; looked up by key
            # (with it again, SQLite walks every published story to find twenty).
            by_id = {
                story.pk: story for story in Article.objects.filter(pk__in=ids).with_card_data()
            }
            page.object_list = [by_id[pk] for pk in ids if pk in by_id]
            for story in page.object_list:
                story.marked_headline = mark_safe(highlight(story.headline, shown))
                story.passage = mark_safe(passage([story.dek, *paragraphs(story.body)], shown))
            context["stories"] = page.object_list
        context.update(page_obj=page, total=total, shown=shown, corrected=corrected)

    def get_feeds(self):
        query = parse(self.request.GET.get("q", ""))
        if not query:
            return []
        suffix = "?" + urlencode({"q": query.raw})
        return [
            {**link, "url": link["url"] + suffix}
            for link in feed_links("search_feed", f"Search: {query.raw}")
        ]


# -- the feed -------------------------------------------------------------------------


class SearchFeed(StoryFeed):
    """The newest stories matching ``?q=``: subscribe to a search."""

    def get_object(self, request):
        query = parse(request.GET.get("q", ""))
        if not query:
            raise Http404("A search feed needs a query: /search/feed/?q=…")
        return query

    def get_stories(self, query):
        sql, params = story_search.matching_sql(query)
        return Article.objects.filter(pk__in=RawSQL(sql, params))

    def page_url(self, query):
        return reverse("search") + "?" + urlencode({"q": query.raw})

    def feed_url(self, query):
        # The feed is the query: its self link keeps it.
        return absolute(f"{self.request.path}?{urlencode({'q': query.raw})}", self.request)

    def title(self, query):
        return f"{settings.NEWSROOM_NAME}: search for “{query.raw}”"

    def description(self, query):
        return f"The newest stories matching “{query.raw}”."


urlpatterns = [
    path("search/", public_page(SearchView.as_view()), name="search"),
    *SearchFeed.urls("search/", "search_feed"),
]
