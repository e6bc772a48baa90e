"""Check <picture> markup against the HTML standard's rules for responsive images.

The rules checked (WHATWG HTML, "the picture element", "srcset attributes"): a picture holds
zero or more <source> then exactly one <img>; each source has a type and a non-empty srcset;
a srcset is comma-separated "URL <n>w" candidates with positive integer widths, no URL or
width twice, and width descriptors require a sizes attribute; the img has alt, src, and
positive integer width/height. ``vnu`` (the Nu Html Checker) checks whole pages too when it
is installed (tests/images/test_pages.py).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CANDIDATE = re.compile(r"^(\S+) ([1-9][0-9]*)w$")


@dataclass
class Picture:
    sources: list[dict] = field(default_factory=list)
    img: dict | None = None
    other: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pictures: list[Picture] = []
        self.current: Picture | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            assert self.current is None, "nested <picture>"
            self.current = Picture()
            self.pictures.append(self.current)
        elif self.current is not None:
            if tag == "source":
                assert self.current.img is None, "<source> after <img>"
                self.current.sources.append(attrs)
            elif tag == "img":
                assert self.current.img is None, "two <img> in one <picture>"
                self.current.img = attrs
            else:
                self.current.other.append(tag)

    def handle_endtag(self, tag):
        if tag == "picture":
            self.current = None


def parse_srcset(value: str) -> list[tuple[str, int]]:
    candidates = []
    for part in value.split(", "):
        match = CANDIDATE.match(part.strip())
        assert match, f"bad srcset candidate {part!r}"
        candidates.append((match[1], int(match[2])))
    urls = [u for u, _ in candidates]
    widths = [w for _, w in candidates]
    assert len(set(urls)) == len(urls), "a URL twice in srcset"
    assert len(set(widths)) == len(widths), "a width twice in srcset"
    return candidates


def pictures(html: str) -> list[Picture]:
    """Every <picture> in ``html``, each checked; AssertionError names the broken rule."""
    collector = _Collector()
    collector.feed(html)
    for pic in collector.pictures:
        assert pic.img is not None, "<picture> without <img>"
        assert not pic.other, f"unexpected elements in <picture>: {pic.other}"
        for source in pic.sources:
            assert source.get("type", "").startswith("image/"), source
            parse_srcset(source["srcset"])
            assert source.get("sizes"), "width descriptors need sizes"
        img = pic.img
        assert "alt" in img, "<img> without alt"
        assert img.get("src")
        for dim in ("width", "height"):
            assert img.get(dim, "").isdigit() and int(img[dim]) > 0, f"{dim}={img.get(dim)!r}"
        if "srcset" in img:
            parse_srcset(img["srcset"])
            assert img.get("sizes")
        assert img.get("loading") in (None, "lazy", "eager")
    return collector.pictures
