import datetime
import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import StoryError, parse_story
from articles.models import Article
from tests.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

STORY = (
    " date 2026-11-04 ‘Harbor Lights’ star Niamh O’Dowd calls the ferry-dock wedding “a gift”\n"
    "\n"
    "The soap’s anniversary episode ended with a wedding — nobody saw it coming.\n"
    "It was filmed in one night.\n"
    "\n"
    "\n"
    "“We kept it secret for months,” she said…\n"
    "\n"
    "Short pull quote.\n"
)


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()
    finally:
        if stdin is not None:
            sys.stdin = old


def write(tmp_path, name, content):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_parse_keeps_typography_and_joins_lines():
    story = parse_story(STORY.encode())
    assert story.date == datetime.date(2026, 11, 4)
    assert (
        story.headline == "‘Harbor Lights’ star Niamh O’Dowd calls the ferry-dock wedding “a gift”"
    )
    assert story.paragraphs == [
        "The soap’s anniversary episode ended with a wedding — nobody saw it coming. "
        "It was filmed in one night.",
        "“We kept it secret for months,” she said…",
        "Short pull quote.",
    ]


def test_parse_handles_bom_and_crlf():
    story = parse_story(b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode())
    assert story.headline.startswith("‘Harbor Lights’")
    assert len(story.paragraphs) == 3


def test_import_creates_a_draft_with_escaped_paragraphs(tmp_path):
    path = write(tmp_path, "a.txt", STORY + "\nA <b>tag</b> & an ampersand.\n")
    out, _ = run(str(path))
    assert "1 created, 0 updated, 0 unchanged, 0 refused." in out
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.body.count("<p>") == 4
    assert "<p>A &lt;b&gt;tag&lt;/b&gt; &amp; an ampersand.</p>" in article.body
    assert article.headline.endswith("“a gift”")
    assert article.get_absolute_url().startswith("/2026/11/04/")


def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    run(str(path), "--status", "published")
    before = Article.objects.values().get()
    out, _ = run(str(path), "--status", "published")
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Article.objects.values().get() == before


def test_reimport_updates_the_same_article(tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    run(str(path), "--status", "published")
    write(tmp_path, "a.txt", STORY + "\nA late paragraph.\n")
    out, _ = run(str(path))
    assert "1 updated" in out
    article = Article.objects.get()
    assert "A late paragraph." in article.body
    assert article.status == Article.Status.PUBLISHED  # re-import keeps the editor's status


def test_same_headline_on_another_day_is_another_story(tmp_path):
    a = write(tmp_path, "a.txt", " date 2026-01-01 Ratings roundup\n\nBody one.\n")
    b = write(tmp_path, "b.txt", " date 2026-01-08 Ratings roundup\n\nBody two.\n")
    run(str(a), str(b))
    run(str(a), str(b))
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "ratings-roundup",
        "ratings-roundup-2",
    ]


def test_directory_imports_every_txt_under_it(tmp_path):
    write(tmp_path, "one.txt", " date 2026-01-01 One\n\nBody.\n")
    write(tmp_path, "sub/two.txt", " date 2026-01-02 Two\n\nBody.\n")
    write(tmp_path, "notes.md", "ignored")
    out, _ = run(str(tmp_path))
    assert "2 created" in out
    assert set(Article.objects.values_list("headline", flat=True)) == {"One", "Two"}


def test_stdin(tmp_path):
    out, _ = run("-", stdin=STORY.encode())
    assert "1 created" in out


def test_section_author_and_status_options(tmp_path):
    section = SectionFactory(name="TV", slug="tv")
    first, second = AuthorFactory(name="Dana Writer"), AuthorFactory(name="Tom Critic")
    path = write(tmp_path, "a.txt", STORY)
    run(
        str(path),
        "--section",
        "tv",
        "--author",
        second.slug,
        "--author",
        "dana writer",
        "--status",
        "published",
    )
    article = Article.objects.get()
    assert article.section == section
    assert [b.author for b in article.bylines.all()] == [second, first]
    assert article.is_public()


def test_unknown_section_is_refused_before_anything_is_written(tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    with pytest.raises(CommandError, match="No single section “nope”"):
        run(str(path), "--section", "nope")
    assert not Article.objects.exists()


def test_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, "a.txt", STORY)
    out, _ = run(str(path), "--dry-run")
    assert "Dry run, nothing written: 1 created" in out
    assert not Article.objects.exists()


BAD_INPUTS = [
    ("no-date.txt", "Headline without a date\n\nBody.\n", ":1: no date line"),
    (
        "impossible.txt",
        " date 2021-02-30 Leap day that never was\n\nBody.\n",
        ":1: 2021-02-30 is not a real date",
    ),
    (
        "malformed-date.txt",
        " date 30/12/2021 Wrong order\n\nBody.\n",
        "is not a date written as YYYY-MM-DD",
    ),
    ("no-headline.txt", " date 2021-12-30   \n\nBody.\n", ":1: the headline is empty"),
    ("no-body.txt", " date 2021-12-30 Headline only\n\n\n", ":2: the body is empty"),
    ("no-blank.txt", " date 2021-12-30 Headline\nBody right away.\n", ":2: expected a blank line"),
    (
        "latin1.txt",
        " date 2021-12-30 Caf\xe9 society\n\nBody.\n".encode("latin-1"),
        ":1: not UTF-8",
    ),
    (
        "late-latin1.txt",
        " date 2021-12-30 Fine\n\nBody.\n\nCaf\xe9\n".encode("latin-1"),
        ":5: not UTF-8",
    ),
    ("empty.txt", "", "the file is empty"),
    ("blank.txt", "\n  \n\n", "the file is empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_gets_a_one_line_error_and_the_rest_still_import(
    tmp_path, name, content, message
):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "zz-good.txt", STORY)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 input refused"):
        call_command("import_articles", str(bad), str(good), stdout=out, stderr=err)
    assert "1 created, 0 updated, 0 unchanged, 1 refused." in out.getvalue()
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(str(bad)) and message in lines[0], lines[0]
    assert Article.objects.count() == 1
    assert Article.objects.get().headline.startswith("‘Harbor Lights’")


def test_a_directory_named_like_a_story_is_refused(tmp_path):
    (tmp_path / "odd.txt").mkdir()
    write(tmp_path, "good.txt", STORY)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "odd.txt: is a directory, not a story file" in err.getvalue()
    assert Article.objects.count() == 1


def test_missing_path_and_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 inputs refused"):
        call_command(
            "import_articles",
            str(tmp_path / "nope.txt"),
            str(tmp_path / "empty"),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "no such file or directory" in err.getvalue()
    assert "contains no .txt files" in err.getvalue()


def test_story_error_names_file_and_line():
    with pytest.raises(StoryError) as excinfo:
        parse_story(b"\n\n date 2021-13-01 Bad month\n\nBody\n")
    assert excinfo.value.where("x.txt") == "x.txt:3"


SEED = Path("/work/shared/corpus/seed-article.txt")


@pytest.mark.skipif(not SEED.exists(), reason="the wire specimen lives outside the repository")
def test_wire_specimen_imports_with_curly_quotes_and_twenty_paragraphs():
    _out, _ = run(str(SEED))
    article = Article.objects.get()
    assert article.headline.startswith("‘") and "’" in article.headline
    assert article.body.count("<p>") == 20
