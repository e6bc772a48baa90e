"""Every page type is valid HTML under the Nu Html Checker (npm vnu-jar)."""

import json
import subprocess

import pytest
from django.test import Client

from tests.e2e.tools import VNU_JAR, require_vnu
from tests.pages import page_types

pytestmark = pytest.mark.django_db


def test_every_page_type_is_valid_html(demo, tmp_path):
    java = require_vnu()
    client = Client()
    files = []
    for name, url in page_types().items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    # One JVM for every page: the checker takes many files at once.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The checker reports on stderr; no report at all means it did not run.
    messages = json.loads(result.stderr)["messages"]
    problems = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == [], "\n".join(problems)
    assert result.returncode == 0
