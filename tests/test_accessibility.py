"""Every page of the example site passes axe-core's WCAG 2.1 A and AA rules with no
serious or critical violations, in headless Chromium, in light and dark mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import REPO
from test_browser_trackers import chromium, site_url  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.browser

AXE = REPO / "tests/.tools/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = f"needs {AXE} (make test installs it with npm)"
        if os.environ.get("RMSITE_REQUIRE_VALIDATOR"):
            pytest.fail(f"axe-core is required (RMSITE_REQUIRE_VALIDATOR is set): {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def serious_violations(browser, url: str, axe: str, scheme: str, width: int) -> list[str]:
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page.goto(url)
        page.add_script_tag(content=axe)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES)
    finally:
        page.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_on_any_page(chromium, site_url, axe_source, scheme):  # noqa: F811
    base, out = site_url
    pages = sorted(p.relative_to(out).as_posix() for p in Path(out).rglob("*.html"))
    assert len(pages) > 10
    found = {}
    for rel in pages:
        address = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        problems = serious_violations(chromium, address, axe_source, scheme, 1280 if scheme == "light" else 390)
        if problems:
            found[rel] = problems
    assert found == {}


def test_axe_would_catch_a_serious_violation(chromium, site_url, axe_source, tmp_path):  # noqa: F811
    base, out = site_url
    (Path(out) / "bad-for-axe.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><img src="x.png"><a href="#"></a></html>\n')
    try:
        assert serious_violations(chromium, base + "bad-for-axe.html", axe_source, "light", 1280) != []
    finally:
        (Path(out) / "bad-for-axe.html").unlink()
