"""What the browser tests share besides their fixtures (tests/browser/conftest.py): axe-core,
the WCAG rules it is run with, and the Nu Html Checker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

AXE = REPO / "tests/.tools/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def every_serious_violation(browser, urls: list[str], axe: str, scheme: str, width: int) -> dict[str, list[str]]:
    """axe's serious and critical violations of each page that has any, in one tab."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.add_init_script(axe)  # in every page before its own scripts
    found = {}
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES)
            problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                        for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if problems:
                found[url] = problems
    finally:
        context.close()
    return found


VNU = REPO / "tests/.tools/node_modules/vnu-jar/build/dist/vnu.jar"


def validator() -> list[str]:
    """The command that runs the checker, or a skip (a failure under RMSITE_REQUIRE_VALIDATOR)."""
    jar = Path(os.environ.get("RMSITE_VNU_JAR", VNU))
    java = shutil.which("java")
    if jar.is_file() and java:
        return [java, "-jar", str(jar)]
    reason = f"needs Java and {jar} (make test installs it with npm)"
    if os.environ.get("RMSITE_REQUIRE_VALIDATOR"):
        pytest.fail(f"the HTML validator is required (RMSITE_REQUIRE_VALIDATOR is set): {reason}")
    pytest.skip(reason)


def errors(command: list[str], folders: list[Path]) -> list[str]:
    run = subprocess.run(command + ["--errors-only", "--skip-non-html", "--format", "json", *map(str, folders)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    return [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('message')}" for m in report["messages"]
            if m.get("type") == "error"]
