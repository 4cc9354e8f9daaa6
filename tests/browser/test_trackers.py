"""The built pages in headless Chromium: ticking checklist items in this browser
only, pages without JavaScript, narrow screens, and printing a pair page."""

from __future__ import annotations

import json
import re
import shutil

import pytest

pytestmark = pytest.mark.browser

JORDAN = "cohorts/2026-autumn/jordan-blake-martin-drummond/"
STORAGE_KEY = "rmsite-checklist:/:2026-autumn/jordan-blake-martin-drummond"  # site at /, then the pair
OLD_STORAGE_KEY = "rmsite-checklist:2026-autumn/jordan-blake-martin-drummond"  # before the site's path was in it


@pytest.fixture
def page(chromium, site_url):
    """Jordan and Martin's pair page, in a browser context of its own (nothing stored yet)."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(site_url[0] + JORDAN)
    yield page
    context.close()


def test_a_participant_can_tick_items_for_themselves_by_keyboard(page):
    boxes = page.locator("[data-checklist] input[type=checkbox]")
    assert boxes.count() == page.locator('[data-item]:not([data-state="done"])').count() == 5
    assert "not saved to the programme" in page.locator(".ticks-note").inner_text()
    box = page.get_by_role("checkbox", name=re.compile("mentee spends at least half a day"))
    item = page.locator('[data-item="reverse-shadow"]')
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert "is-ticked" in item.get_attribute("class")
    label = item.locator(".my-tick").inner_text()
    assert label.startswith("Ticked by you on ") and "only in this browser, not saved to the programme" in label
    assert item.locator(".state").inner_text().strip() == "⚠ Overdue"  # the programme's record stands
    stored = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
    assert list(stored) == ["reverse-shadow"] and re.match(r"^\d{4}-\d{2}-\d{2}$", stored["reverse-shadow"])
    page.reload()
    assert page.locator('[data-item="reverse-shadow"] input').is_checked()
    page.locator('[data-item="reverse-shadow"] input').focus()
    page.keyboard.press("Space")
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    assert "is-ticked" not in item.get_attribute("class")


def test_ticks_stay_in_the_browser_that_made_them(chromium, site_url):
    url, _ = site_url
    first = chromium.new_context()
    second = chromium.new_context()
    try:
        page = first.new_page()
        page.goto(url + JORDAN)
        page.locator('[data-item="midpoint-review"] input').check()
        other = second.new_page()
        other.goto(url + JORDAN)
        assert not other.locator('[data-item="midpoint-review"] input').is_checked()
    finally:
        first.close()
        second.close()


def test_a_done_item_gets_no_checkbox_and_broken_storage_is_ignored(page):
    assert page.locator('[data-item="ground-rules"] input').count() == 0
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', 'not json')")
    page.reload()
    assert page.locator("[data-checklist] input:checked").count() == 0
    assert page.locator("[data-checklist] input").count() == 5


def test_ticks_saved_under_the_older_key_are_taken_over(page):
    page.evaluate(f"localStorage.setItem('{OLD_STORAGE_KEY}', JSON.stringify({{'showcase': '2026-11-20'}}))")
    page.reload()
    assert page.locator('[data-item="showcase"] input').is_checked()
    assert page.evaluate(f"localStorage.getItem('{OLD_STORAGE_KEY}')") is None
    assert json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")) == {"showcase": "2026-11-20"}


def test_two_sites_on_one_host_keep_their_ticks_apart(page, site_url):
    url, out = site_url
    copy = out / "copy"  # the same programme published again under /copy/ on the same host
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("copy"))
    try:
        page.locator('[data-item="showcase"] input').check()
        page.goto(url + "copy/" + JORDAN)
        assert not page.locator('[data-item="showcase"] input').is_checked()
        assert page.evaluate("Object.keys(localStorage)") == [STORAGE_KEY]  # nothing ticked under /copy/
    finally:
        shutil.rmtree(copy)


def test_without_javascript_the_page_shows_the_programmes_record(chromium, site_url):
    url, _ = site_url
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url + JORDAN)
        assert page.locator("input[type=checkbox]").count() == 0
        assert page.locator(".ticks-note").count() == 0
        assert page.locator('[data-item="reverse-shadow"] .state').inner_text().strip() == "⚠ Overdue"
        assert page.locator("svg.chart-track").count() == 2
    finally:
        context.close()


@pytest.mark.parametrize("path", [JORDAN, "cohorts/2026-autumn/", "cohorts/2026-pilot/", ""])
def test_pages_fit_a_narrow_phone_without_sideways_scrolling(chromium, site_url, path):
    url, _ = site_url
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for box in page.locator("svg.chart").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().right)"):
            assert box <= 390
    finally:
        page.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_example_pair_page_prints_on_one_or_two_pages(chromium, site_url, paper):
    url, out = site_url
    page = chromium.new_page()
    try:
        for file in sorted(out.glob("cohorts/*/*/index.html")):
            path = file.parent.relative_to(out).as_posix() + "/"
            page.goto(url + path)
            assert 1 <= pdf_pages(page.pdf(format=paper)) <= 2, path
    finally:
        page.close()


def test_printing_drops_navigation_and_draws_charts_in_black(chromium, site_url):
    url, _ = site_url
    page = chromium.new_page()
    try:
        page.goto(url + JORDAN)
        page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', JSON.stringify({{'showcase': '2026-11-20'}}))")
        page.reload()
        page.emulate_media(media="print")
        for hidden in (".site-header nav", ".site-footer", ".breadcrumbs", ".ticks-note", ".my-tick",
                       ".calendar-link"):
            assert page.locator(hidden).first.is_hidden(), hidden
        colours = page.evaluate("""() => {
            const style = sel => getComputedStyle(document.querySelector(sel));
            return [style('.chart .actual').stroke, style('.chart .dot').fill,
                    style('.chart .plan').stroke, style('.status-behind').color];
        }""")
        for colour in colours:
            red, green, blue = map(int, re.findall(r"\d+", colour)[:3])
            assert red == green == blue, colour  # grey or black, no hue
    finally:
        page.close()
