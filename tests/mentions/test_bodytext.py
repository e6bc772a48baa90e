from articles.mentions.bodytext import Span, add_links, find_first, paragraphs

BODY = (
    "<h2>The finale</h2><p>Zoë Marchetti &amp; friends.<br>Marchetti waved.</p>"
    '<ul><li>One</li><li>Two <a href="https://x.example">Marchetti link</a></li></ul>'
    "<blockquote><p>Quoted <em>Marchetti</em> line</p></blockquote>"
)


def test_paragraphs_split_on_blocks_and_unescape():
    assert paragraphs(BODY) == [
        "The finale",
        "Zoë Marchetti & friends. Marchetti waved.",
        "One",
        "Two Marchetti link",
        "Quoted Marchetti line",
    ]


def test_add_links_at_the_recorded_offsets_and_escapes():
    para = paragraphs(BODY)[1]
    start = para.index("Marchetti", 5)  # the second one, after the <br>
    out = add_links(BODY, [Span(1, start, start + 9, "/people/zoe/", 'Zoë "Z" Marchetti')])
    assert (
        '<br><a class="entity-link" href="/people/zoe/" title="Zoë &quot;Z&quot; Marchetti">'
        "Marchetti</a> waved." in out
    )
    assert "Zoë Marchetti &amp; friends." in out  # untouched text keeps its escaping


def test_links_are_not_nested_or_split_across_tags():
    paras = paragraphs(BODY)
    inside = paras[3].index("Marchetti")
    across = paras[4].index("Quoted M")
    out = add_links(
        BODY,
        [
            Span(3, inside, inside + 9, "/a/"),
            Span(4, across, across + len("Quoted Marchetti"), "/b/"),
        ],
    )
    assert out == BODY


def test_stale_spans_are_ignored():
    assert (
        add_links("<p>Short</p>", [Span(0, 3, 40, "/x/"), Span(7, 0, 2, "/y/")]) == "<p>Short</p>"
    )


def test_find_first_whole_words_outside_links():
    assert find_first(BODY, ["Marchetti"]) == (1, 4, 13)
    assert find_first("<p>Marchettis</p>", ["Marchetti"]) is None
    assert find_first(
        '<p><a href="/">Harbor Lights</a> and Harbor Lights</p>', ["Harbor Lights"]
    ) == (
        0,
        18,
        31,
    )
