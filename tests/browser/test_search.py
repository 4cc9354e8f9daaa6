"""Search in headless Chromium: type a query, see the right page first, follow it by
keyboard or from the search page; under the root and under a sub-path, and in the preview;
a misspelt word is found again with one typo."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options
from rmsite.serve import PreviewServer
from rmsite.site.search import tokens

from browsing import AXE, RULES
from conftest import REPO, copy_example, http_server

pytestmark = pytest.mark.browser

SUB_PATH = "/deep/sub/path/"


@pytest.fixture(scope="module", params=["/", SUB_PATH])
def served(request, tmp_path_factory):
    """The example built for a base URL and served so that the site is at that path."""
    root = tmp_path_factory.mktemp("search")
    out = root / "www" / request.param.strip("/")
    result = build(Options(copy_example(root / "site"), output=out, base_url=request.param))
    assert result.written, [p.format() for p in result.problems]
    with http_server(root / "www") as address:
        yield address.rstrip("/") + request.param, out


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def type_query(page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search this site")
    box.click()
    box.press_sequentially(text, delay=20)
    page.locator("#site-search-status").filter(has_text=f"for “{text}”").wait_for()


def follow(page, link) -> str:
    """Click a link and wait for the page it leads to; its address."""
    with page.expect_navigation():
        link.click()
    return page.url


def test_typing_shows_the_right_guide_first_and_keyboard_follows_it(served, page):
    base, _ = served
    page.goto(base + "feedback/")
    type_query(page, "ground rules")
    results = page.locator(".search-panel .search-result-title")
    assert results.first.inner_text() == "Expectations and ground rules"
    assert page.locator("#site-search-status").inner_text().startswith(f"{results.count()} results for")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith("Expectations and ground rules")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "expectations/"
    assert page.locator("h1").inner_text() == "Expectations and ground rules"


def test_a_partial_word_finds_a_pair_by_a_persons_name_and_the_link_works(served, page):
    base, _ = served
    page.goto(base)
    type_query(page, "kwam")
    first = page.locator(".search-panel .search-result-link").first
    assert first.locator(".search-result-title").inner_text() == "Kwame Asante and Graham Whitlock"
    assert follow(page, first) == base + "cohorts/2026-pilot/kwame-asante-graham-whitlock/"


def test_a_matching_heading_links_to_its_section(served, page):
    base, _ = served
    page.goto(base + "cohorts/")
    type_query(page, "meeting rhythm")
    section = page.locator(".search-panel .search-result-section").first
    assert section.inner_text() == "Meeting rhythm"
    assert follow(page, section) == base + "expectations/#meeting-rhythm"


def test_escape_closes_the_results_and_slash_focuses_the_box(served, page):
    base, _ = served
    page.goto(base + "pairing/")
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    type_query(page, "pilot")
    panel = page.locator(".site-header .search-panel")
    assert panel.is_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.id") == "site-search-q"


def test_no_results_is_said_plainly(served, page):
    base, _ = served
    page.goto(base)
    type_query(page, "xylophone")
    assert page.locator("#site-search-status").inner_text() == "No results for “xylophone”"
    assert page.locator(".search-panel .search-result").count() == 0


def test_submitting_opens_the_search_page_with_every_result(served, page):
    base, _ = served
    page.goto(base + "objectives/")
    box = page.get_by_role("searchbox", name="Search this site")
    box.fill("phishing")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == base + "search/?q=phishing"
    page.locator("#search-page-status").filter(has_text="for “phishing”").wait_for()
    assert page.get_by_role("searchbox", name="Search the guides, cohorts and pairs").input_value() == "phishing"
    first = page.locator(".search-result-link").first
    assert first.locator(".search-result-title").inner_text() == "Jordan Blake and Martin Drummond"
    assert page.locator("[data-search-fallback]").is_hidden()
    assert follow(page, first) == base + "cohorts/2026-autumn/jordan-blake-martin-drummond/"


def test_without_javascript_the_search_page_lists_every_guide(chromium, served):
    base, out = served
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "search/")
        guides = page.locator("[data-search-fallback] li a")
        assert guides.count() == len(list((REPO / "content").rglob("*.md"))) - 1  # all but the home page
        assert "Searching needs JavaScript" in page.content()
    finally:
        context.close()


def test_the_tokeniser_in_the_browser_matches_the_builds(served, page):
    base, _ = served
    page.goto(base)
    page.wait_for_function("window.rmsiteSearch !== undefined")
    samples = ["The Zoë-Café MEETINGS, and 2027's plans", "naïve façade — ÆON Œuvre", "straße İstanbul ǅemal",
               "policies classes focus basis glass", "ｆｕｌｌ－ｗｉｄｔｈ ①②", "٣ أرقام עברית 中文検索",
               "e\u0301cole co\u00f6perate", "snake_case kebab-case dot.case"]
    stop = ["and", "the"]
    from_browser = page.evaluate("([texts, stop]) => texts.map(t => rmsiteSearch.tokens(t, new Set(stop)))",
                                 [samples, stop])
    assert from_browser == [tokens(text, frozenset(stop)) for text in samples]


def test_results_stay_on_a_narrow_screen_and_pass_axe(chromium, served):
    if not AXE.is_file():
        pytest.skip(f"needs {AXE}")
    base, _ = served
    context = chromium.new_context(viewport={"width": 390, "height": 800}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base + "for-mentors/first-meeting/")
        type_query(page, "feedback")
        assert page.locator(".search-panel .search-result").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(".site-header .search-panel").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.add_script_tag(path=str(Path(AXE)))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES)
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()


def test_rarer_words_weigh_more_in_the_browser(served, page):
    base, _ = served
    page.goto(base)
    page.wait_for_function("window.rmsiteSearch !== undefined")
    order = page.evaluate("""() => {
      const docs = ["a/", "b/", "c/", "d/"].map(url => [url, url, "guide", "", "", []]);
      const terms = {common: [0, 12, 2, 10, 1, 10], rare: [1, 10]};
      const index = {docs, terms, keys: Object.keys(terms).sort(), stop: new Set()};
      return rmsiteSearch.search(index, "common rare").results.map(r => docs[r.doc][0]);
    }""")
    assert order[:2] == ["b/", "a/"]  # 'rare' (10) outweighs 'common' (12), which three pages have


def test_opened_from_disk_the_box_says_search_needs_a_web_server(served, page):
    _, out = served
    page.goto((out / "feedback/index.html").as_uri())
    box = page.get_by_role("searchbox", name="Search this site")
    box.fill("feedback")
    page.locator(".search-failed").wait_for()
    assert "directory_urls: false" in page.locator(".search-failed").inner_text()
    assert page.locator(".search-failed").count() == 1  # said once, where it is seen
    assert "directory_urls: false" in page.locator("#site-search-status").inner_text()  # for screen readers


def test_markup_in_a_title_is_shown_as_text_in_results(chromium, tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yml").write_text("title: T\n")
    title = '<img src=x onerror="window.pwned=1"> Zebra & co'
    (site / "content/zebra.md").write_text(f"---\ntitle: '{title}'\n---\nStripes.\n")
    out = tmp_path / "out"
    assert build(Options(site, out)).written
    with http_server(out) as address:
        page = chromium.new_page()
        try:
            page.goto(address + "search/?q=zebra")
            result = page.locator(".search-result-title").first
            result.wait_for()
            assert result.inner_text() == title
            assert page.locator(".search-results img").count() == 0
            assert page.evaluate("window.pwned") is None
        finally:
            page.close()


def titles(page) -> list[str]:
    return page.locator(".search-panel .search-result-title").all_inner_texts()


def search_in_page(page, query: str) -> list[str]:
    """The addresses of every result for a query, as search.js ranks them over the page's index."""
    return page.evaluate("""async query => {
      const form = document.querySelector("form[data-search]");
      const index = await rmsiteSearch.load(form.getAttribute("data-index"));
      return rmsiteSearch.search(index, query).results.map(r => index.docs[r.doc][0]);
    }""", query)


def docs_with(out: Path, found) -> set[str]:
    """The addresses of the pages whose index terms include one that `found(term)` accepts."""
    index = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    urls = set()
    for term, postings in index["terms"].items():
        if found(term):
            doc = 0
            for gap in postings[::2]:
                doc += gap
                urls.add(index["docs"][doc][0])
    return urls


def test_a_misspelt_word_finds_the_meeting_guides(served, page):
    base, out = served
    page.goto(base)
    type_query(page, "meetng")
    shown = titles(page)
    assert {"Your first meeting as a mentor", "Expectations and ground rules"} <= set(shown)
    assert set(search_in_page(page, "meetng")) == docs_with(out, lambda term: term == "meeting")
    assert search_in_page(page, "meetng") == search_in_page(page, "meeting")  # the only word one typo away


def test_misspelt_words_still_link_to_the_heading_they_match(served, page):
    base, _ = served
    page.goto(base + "pairing/")
    type_query(page, "meetng rythm")  # a letter left out of each
    section = page.locator(".search-panel .search-result-section").first
    assert section.inner_text() == "Meeting rhythm"
    assert follow(page, section) == base + "expectations/#meeting-rhythm"


def test_a_word_that_is_found_gets_no_typo_matches(served, page):
    base, out = served
    page.goto(base)
    type_query(page, "smart")
    with_smart = docs_with(out, lambda term: term.startswith("smart"))
    assert docs_with(out, lambda term: term == "start") - with_smart  # one typo away, on other pages
    assert set(search_in_page(page, "smart")) == with_smart
    assert titles(page) == ["Setting SMART objectives", "Expectations and ground rules"]


def test_a_word_begun_is_still_found_by_the_words_it_begins(served, page):
    base, out = served
    page.goto(base)
    type_query(page, "feedb")
    assert titles(page)[0] == "Two-way feedback"
    assert set(search_in_page(page, "feedb")) == docs_with(out, lambda term: term.startswith("feedb"))
    assert search_in_page(page, "feedb") == search_in_page(page, "feedback")


def test_exact_words_rank_first_and_typos_only_stand_in_for_words_found_nowhere(served, page):
    base, _ = served
    page.goto(base)
    page.wait_for_function("window.rmsiteSearch !== undefined")
    found = page.evaluate("""() => {
      const docs = ["a/", "b/", "c/", "d/"].map(url => [url, url, "guide", "", "", []]);
      const terms = {round: [0, 50], ground: [1, 10], grounding: [2, 15], 2026: [1, 10], rules: [1, 10, 2, 10]};
      const index = {docs, terms, keys: Object.keys(terms).sort(), stop: new Set()};
      const urls = query => rmsiteSearch.search(index, query).results.map(r => docs[r.doc][0]);
      return {ground: urls("ground"), groun: urls("groun"), grund: urls("grund"), gorund: urls("gorund"),
              grounds: urls("ground rulse"), short: urls("rond"), year: urls("2027"), two: urls("xround grund"),
              typos: rmsiteSearch.search(index, "grund rules").typos};
    }""")
    assert found["ground"] == ["b/", "c/"]  # the exact word first, then the word it begins; never 'round'
    assert found["groun"] == ["c/", "b/"]  # the words it begins, by score (grounding's is higher)
    assert found["grund"] == ["b/"]  # a letter left out: 'ground' only, not the words 'ground' begins
    assert found["gorund"] == ["b/"]  # two letters swapped
    assert found["grounds"] == ["b/"]  # 'rulse' finds 'rules' (the word found is kept): b has both
    assert found["short"] == ["a/"]  # 'rond' is one typo from 'round' (and four letters long)
    assert found["year"] == []  # a number is never taken for another
    assert found["two"] == ["b/"]  # each word corrected on its own
    assert found["typos"] == ["ground"]


def test_the_preview_serves_the_same_search_with_typos_after_an_edit(chromium, tmp_path):
    site = copy_example(tmp_path / "site")
    server = PreviewServer(Options(site), "127.0.0.1", 0, lambda line: None)
    server.start()
    page = chromium.new_page()
    try:
        page.goto(server.url)
        type_query(page, "meetng")
        assert "Your first meeting as a mentor" in titles(page)
        guide = site / "content/feedback.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nBring a xylophone to the retrospective.\n",
                         encoding="utf-8")
        deadline = time.monotonic() + 20
        while b"xylophone" not in urllib.request.urlopen(server.url + "search/index.json").read():
            assert time.monotonic() < deadline, "the preview's search index was not updated"
            time.sleep(0.1)
        page.goto(server.url)
        type_query(page, "xylophne")
        assert titles(page) == ["Two-way feedback"]
    finally:
        page.close()
        server.stop()
