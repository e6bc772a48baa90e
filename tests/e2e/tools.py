"""Where the browser and HTML checks find their tools, and what to do without them.

On a machine without Chromium, Java or node_modules the checks are skipped
with a reason saying how to enable them; CI sets NEWSROOM_REQUIRE_BROWSER_CHECKS=1
so that a missing tool fails the run instead.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SKIP_PREFIX = "CHECK SKIPPED"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(check: str, missing: list[str], how: str) -> None:
    if not missing:
        return
    message = f"{SKIP_PREFIX}: {check} (missing {', '.join(missing)}; enable with: {how})"
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER_CHECKS") == "1":
        pytest.fail(message.replace(SKIP_PREFIX, "CHECK REQUIRED"), pytrace=False)
    pytest.skip(message)


def require_vnu() -> str:
    java = shutil.which("java")
    missing = [
        name for name, ok in (("java", java), ("node_modules/vnu-jar", VNU_JAR.exists())) if not ok
    ]
    require(
        "HTML validation (Nu Html Checker)",
        missing,
        "apt-get install -y default-jre-headless; npm ci",
    )
    return java


def require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright (pip)")
    if not AXE_JS.exists():
        missing.append("node_modules/axe-core")
    require(
        "accessibility (axe-core in Chromium) and screenshots",
        missing,
        "apt-get install -y chromium; npm ci; pip install -r requirements-dev.txt",
    )
