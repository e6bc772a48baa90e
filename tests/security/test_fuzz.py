"""Property-based fuzzing of every public URL pattern and query parameter: odd
slugs, impossible dates, huge page numbers, 10 KB query strings, bytes that are
not UTF-8, path traversal. The answer is a page, a redirect, 400 or 404 — never
a server error."""

import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, CharacterFactory, PersonFactory

pytestmark = pytest.mark.django_db

OK = {200, 301, 302, 304, 400, 404}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "..", "../../etc/passwd", "%2e%2e%2f", "%00", "%ff%fe", "%c0%af", "a/b", "\u202e",
            "'; DROP TABLE articles_article; --", "<script>", "NEAR(", "*", "\\", "~", "%",
            "x" * 2000, "０１", "\x7f", "%%", "%E2%80", "nul%00byte",
        ]
    ),
)  # fmt: skip
number = st.one_of(
    st.integers(min_value=-10, max_value=10**30).map(str),
    st.sampled_from(["abc", "", "0", "-1", "1e9", "99999999999999999999", "½", "１"]),
)


def as_segment(text: str) -> str:
    # Pre-encoded input goes in raw (the point is to send odd escapes); the rest quoted.
    return text if "%" in text else quote(text, safe="")


@pytest.fixture
def site(db):
    article = ArticleFactory(slug="real-story")
    PersonFactory(slug="real-person")
    CharacterFactory(slug="real-character")
    return article


def check(client, url):
    response = client.get(url)
    assert response.status_code in OK, (url, response.status_code)


@FUZZ
@given(
    year=st.integers(min_value=0, max_value=9999),
    month=st.integers(min_value=0, max_value=99),
    day=st.integers(min_value=0, max_value=99),
    slug=nasty_text,
)
def test_article_addresses(client, site, year, month, day, slug):
    check(client, f"/{year:04}/{month:02}/{day:02}/{as_segment(slug) or 'x'}/")
    check(client, f"/archive/{year:04}/{month:02}/")


@FUZZ
@given(
    prefix=st.sampled_from(
        ["section", "tags", "authors", "people", "characters", "shows", "preview"]
    ),
    slug=nasty_text,
    feed=st.sampled_from(["", "feed/", "feed/atom/", "feed/json/"]),
)
def test_listing_and_entity_addresses(client, site, prefix, slug, feed):
    check(client, f"/{prefix}/{as_segment(slug) or 'x'}/{feed}")


@FUZZ
@given(
    path=st.sampled_from(
        ["/", "/search/", "/people/", "/shows/", "/feed/", "/section/x/", "/people/real-person/",
         "/characters/real-character/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt"]
    ),
    page=number,
    q=nasty_text,
    extra=st.dictionaries(
        st.text(alphabet=string.ascii_letters + "[]_", min_size=1, max_size=8),
        nasty_text,
        max_size=3,
    ),
)  # fmt: skip
def test_query_parameters(client, site, path, page, q, extra):
    params = "&".join(
        [f"page={as_segment(page)}", f"q={as_segment(q)}"]
        + [f"{quote(k)}={as_segment(v)}" for k, v in extra.items()]
    )
    check(client, f"{path}?{params}")


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=" + "x" * 10_240,
        "/search/?q=" + "%ff" * 3000,
        "/?page=" + "9" * 5000,
        "/people/%ff%fe/",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/static/../settings.py",
        "/media/../../newsroom/settings.py",
        "/2021/02/30/real-story/",
        "/archive/2021/13/",
        "/section/x/?page=-1",
        "/search/?q=%00",
        "/search/?q=" + quote('"unbalanced NEAR( * : & | !'),
    ],
)
def test_known_nasties(client, site, url):
    check(client, url)
