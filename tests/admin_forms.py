"""Drive Django admin forms the way a browser does: fetch the form, keep its CSRF
token and formset management fields, post back."""

import re
from html import unescape

INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def form_defaults(html: str) -> dict:
    """Hidden inputs of a page (CSRF token, formset management forms)."""
    data = {}
    for tag in INPUT.findall(html):
        attrs = dict(ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs and "__prefix__" not in attrs["name"]:
            data[attrs["name"]] = unescape(attrs.get("value", ""))
    return data


def post_admin_form(client, url: str, fields: dict, inlines: dict | None = None):
    """GET ``url``, then POST ``fields`` plus inline rows.

    ``inlines`` maps a formset prefix to a list of row dicts; TOTAL_FORMS is set
    from the number of rows (existing rows must carry their ``id``).
    """
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_defaults(page.content.decode())
    for prefix, rows in (inlines or {}).items():
        assert f"{prefix}-TOTAL_FORMS" in data, f"no inline {prefix} on {url}"
        data[f"{prefix}-TOTAL_FORMS"] = str(max(len(rows), int(data[f"{prefix}-INITIAL_FORMS"])))
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    data.update(fields)
    return client.post(url, data)
