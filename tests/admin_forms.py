"""Drive Django admin forms the way a browser does: fetch the form, send back every
field it holds (CSRF token, formset management forms, existing inline rows),
with the test's changes on top."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collects what a browser would submit from every form on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option_value: str | None = None
        self._option_selected = False

    def _add(self, name, value):
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._add(name, a.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "select" and name:
            self._select, self._select_multiple, self._options = name, "multiple" in a, []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._select is not None and self._option_value is not None:
            self._options.append((self._option_value, self._option_selected))
            self._option_value = None
        elif tag == "option" and self._select is not None:
            self._options.append(("".join(self._text).strip(), self._option_selected))
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def form_data(html: str) -> dict:
    parser = _FormFields()
    parser.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}


def form_defaults(html: str) -> dict:
    """Kept for older tests: everything a browser would send."""
    return form_data(html)


def post_admin_form(client, url: str, fields: dict, inlines: dict | None = None):
    """GET ``url``, then POST what the browser would, with ``fields`` and inline rows.

    ``inlines`` maps a formset prefix to a list of row dicts, row 0 first; rows
    beyond the ones already on the page are added (TOTAL_FORMS grows).
    """
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page.content.decode())
    for prefix, rows in (inlines or {}).items():
        assert f"{prefix}-TOTAL_FORMS" in data, f"no inline {prefix} on {url}"
        total = max(len(rows), int(data[f"{prefix}-INITIAL_FORMS"]))
        data[f"{prefix}-TOTAL_FORMS"] = str(total)
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    data.update(fields)
    return client.post(url, data)
