"""Security headers on every kind of response; request size limits."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def urls(article):
    return [
        "/",
        article.get_absolute_url(),
        "/feed/",
        "/feed/json/",
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
        "/admin/login/",
        "/search/?q=x",
    ]


def test_every_response_carries_the_security_headers(client):
    article = ArticleFactory()
    for url in urls(article):
        response = client.get(url)
        for header, value in EXPECTED.items():
            assert response.get(header) == value, (url, header)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy, url
        assert "camera=()" in response["Permissions-Policy"], url


def test_public_pages_allow_no_inline_script_or_style(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["style-src"] == "'self'"


def test_admin_policy_hashes_its_import_map_instead_of_allowing_inline_script(editor_client):
    response = editor_client.get("/admin/articles/article/add/")
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'sha256-" in script_src  # the rich-text editor's import map
    assert b'type="importmap"' in response.content


def test_sessions_and_csrf_cookies_are_http_only_and_same_site(client, settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    response = client.get("/admin/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie["samesite"] == "Lax"


def test_oversized_bodies_are_refused_unread():
    client = Client()
    response = client.generic(
        "POST", "/admin/login/", b"x", CONTENT_TYPE="text/plain", CONTENT_LENGTH=str(26 * 1024**2)
    )
    assert response.status_code == 413
    assert b"limit is 25 MB" in response.content
    response = client.generic("POST", "/admin/login/", b"x", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_large_form_posts_are_refused_with_400_not_500(client):
    data = {"q": "x" * (6 * 1024 * 1024)}
    response = client.post("/admin/login/", data)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/search/%00/", "/people/a%00b/", "/admin/articles/article/?q=x%00", "/?page=1%00"],
)
def test_nul_characters_in_addresses_are_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_search_drops_nul_characters_and_searches_the_rest(client):
    # Readers paste anything into the search box: the search page is the exception.
    response = client.get("/search/?q=har%00bor&section=%00")
    assert response.status_code == 200
    assert b"harbor" in response.content
