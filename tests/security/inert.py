"""What "nothing executable" means for a page, a feed or a sitemap."""

import json
from html import unescape
from html.parser import HTMLParser
from xml.etree import ElementTree

FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "svg", "math", "style", "template", "noscript", "form", "input", "button", "textarea",
    "select", "video", "audio", "marquee", "details", "link", "meta",
}  # fmt: skip
# Tags our own templates use legitimately, checked more closely below.
OURS = {
    "script", "link", "meta", "form", "input", "button", "select", "svg", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


def _scheme_of(value: str) -> str:
    # Browsers drop whitespace and control characters inside the scheme.
    cleaned = "".join(ch for ch in unescape(value) if ch > " " and ch != "\x7f")
    return cleaned.lower()


class _Inspector(HTMLParser):
    def __init__(self, allow_own: bool):
        super().__init__(convert_charrefs=True)
        self.allow_own = allow_own
        self.problems: list[str] = []
        self.in_data_script = False
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): v or "" for k, v in attrs}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and _scheme_of(value).startswith(BAD_SCHEMES):
                self.problems.append(f"dangerous URL in <{tag} {name}={value!r}>")
            if name == "style" and "url(" in value.lower():
                self.problems.append(f"style with url() on <{tag}>")
        if tag in FORBIDDEN_TAGS:
            if not (self.allow_own and tag in OURS):
                self.problems.append(f"<{tag}> element")
            elif tag == "script":
                kind = attrs.get("type", "")
                if kind in ("application/ld+json", "application/json"):
                    self.in_data_script = True
                    self.script_text = []
                elif "src" not in attrs:
                    self.problems.append("inline executable <script>")
            elif tag == "meta" and "refresh" in attrs.get("http-equiv", "").lower():
                self.problems.append("<meta http-equiv=refresh>")

    def handle_data(self, data):
        if self.in_data_script:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.in_data_script:
            self.in_data_script = False
            text = "".join(self.script_text)
            try:
                json.loads(text)
            except ValueError:
                self.problems.append("JSON-LD that is not JSON (broken out of?)")
            if "</" in text or "<!--" in text:
                self.problems.append("JSON-LD carrying markup")


def html_problems(html: str, *, our_template: bool = True) -> list[str]:
    """Problems in a page our templates rendered (``our_template``: our own script
    tags, forms and meta are expected) or in a fragment of user HTML (none are)."""
    inspector = _Inspector(allow_own=our_template)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def feed_problems(body: bytes, content_type: str) -> list[str]:
    """Every HTML field a feed reader would render, checked as user HTML."""
    problems = []
    if "json" in content_type:
        data = json.loads(body)
        for item in data.get("items", []):
            # JSON Feed: content_html is HTML; summary and title are plain text.
            if "content_html" in item:
                problems += html_problems(item["content_html"], our_template=False)
        return problems
    root = ElementTree.fromstring(body)  # malformed XML raises: that is a failure too
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        # RSS description and content:encoded are HTML to every reader; Atom says
        # per element (type="text" is shown as text, so it cannot run).
        is_html = tag in {"description", "encoded"} or (
            tag in {"content", "summary", "title"} and element.get("type") in {"html", "xhtml"}
        )
        if is_html and element.text:
            problems += html_problems(element.text, our_template=False)
    return problems
