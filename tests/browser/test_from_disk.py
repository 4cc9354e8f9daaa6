"""A built site opened straight from disk (file://), as a coordinator might before publishing:
with `directory_urls: false` every link of every page leads to a file and search works; with the
default folder links, a page points its links at index.html once it sees it is on disk."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from conftest import copy_example

pytestmark = pytest.mark.browser


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def built(tmp_path: Path, pretty: bool) -> Path:
    site = copy_example(tmp_path / "site")
    if not pretty:
        (site / "site.yml").write_text((site / "site.yml").read_text(encoding="utf-8") + "directory_urls: false\n",
                                       encoding="utf-8")
    result = build(Options(site, tmp_path / "out"))
    assert result.written, [p.format() for p in result.problems]
    return tmp_path / "out"


def test_every_link_of_every_page_leads_to_a_file_with_directory_urls_false(tmp_path: Path):
    out = built(tmp_path, pretty=False)
    broken = []
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        if page.name == "404.html":
            continue  # shown by a server at any address: its links start at base_url
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "#")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(out)}: {href}")
    assert broken == []


def test_search_works_from_disk_with_directory_urls_false(chromium, tmp_path: Path):
    out = built(tmp_path, pretty=False)
    assert (out / "search/index.js").read_text(encoding="utf-8").startswith("window.rmsiteSearchIndex = {")
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((out / "feedback/index.html").as_uri())
        box = page.get_by_role("searchbox", name="Search this site")
        box.click()
        box.press_sequentially("ground rules", delay=20)
        page.locator("#site-search-status").filter(has_text="for “ground rules”").wait_for()
        first = page.locator(".search-panel .search-result a").first
        with page.expect_navigation():
            first.click()
        assert page.url.startswith("file://") and page.url.split("#")[0].endswith("/index.html")
        assert Path(unquote(urlsplit(page.url).path)).is_file()
    finally:
        page.close()
    assert errors == []


def test_with_folder_links_a_page_opened_from_disk_points_them_at_index_html(chromium, tmp_path: Path):
    out = built(tmp_path, pretty=True)
    page = chromium.new_page()
    try:
        page.goto((out / "index.html").as_uri())
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        local = [h for h in hrefs if h.startswith("file://")]
        assert len(local) > 10
        files = {Path(unquote(urlsplit(h).path)) for h in local}
        assert all(f.is_file() for f in files), [str(f) for f in files if not f.is_file()]
        with page.expect_navigation():
            page.get_by_role("link", name="Cohorts", exact=True).first.click()
        assert page.url.endswith("/cohorts/index.html")
        assert page.get_by_role("heading", level=1).inner_text() == "Cohorts"
    finally:
        page.close()
