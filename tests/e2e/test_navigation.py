"""Pruned navigation, end to end: a guide page carries only its neighbourhood of the
guides, so its size does not grow with the number of guides; each folder has pages
listing its guides; links written between built pages (`../other-guide/`) work."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options
from rmsite.site.nav import NAV_LIMIT, SECTION_PAGE_SIZE

from conftest import REPO


def generated(root: Path, guides: int) -> Path:
    site = root / f"site-{guides}"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site), "--cohorts", "1",
                    "--pairs", "1", "--guides", str(guides), "--shape", "one-folder"], check=True,
                   capture_output=True)
    return site


def built(site: Path, out: Path, **options: object) -> Path:
    result = build(Options(site, out, **options))  # type: ignore[arg-type]
    assert result.written, [p.format() for p in result.problems]
    return out


def sidebar(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<nav class="sidebar".*?</nav>', html, re.S)
    assert found, page
    return found.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_a_guide_page_does_not_grow_with_the_number_of_guides_in_its_folder(tmp_path: Path):
    small = built(generated(tmp_path, 60), tmp_path / "out-60")
    large = built(generated(tmp_path, 600), tmp_path / "out-600")
    page = "section-01/guide-0030/index.html"
    small_nav, large_nav = sidebar(small / page), sidebar(large / page)
    assert len(links(small_nav)) == len(links(large_nav)) == NAV_LIMIT + 2  # the folder, its block, "all"
    assert abs(len((large / page).read_bytes()) - len((small / page).read_bytes())) < 400
    assert 'href="../../section-01/guide-0030/" aria-current="page"' in large_nav
    assert "26–50 of 600" in large_nav
    assert 'href="../../section-01/">All 600 guides in Section 01</a>' in large_nav


def test_each_guide_is_reachable_from_its_folder_s_list_pages(tmp_path: Path):
    count = 2 * SECTION_PAGE_SIZE + 30
    out = built(generated(tmp_path, count), tmp_path / "out")
    listed, page, seen = [], "section-01/index.html", []
    while page:
        seen.append(page)
        html = (out / page).read_text(encoding="utf-8")
        found = re.search(r'<section class="section-list".*?</section>', html, re.S)
        assert found, page
        listed += re.findall(r'<li><a href="(?:\.\./\.\./)?(guide-\d+)/">', found.group(0))
        nxt = re.search(r'<a href="([^"]*)" rel="next">Next</a>', html)
        page = _normal(f"{Path(page).parent.as_posix()}/{nxt.group(1)}index.html") if nxt else ""
    assert seen == ["section-01/index.html", "section-01/page/2/index.html", "section-01/page/3/index.html"]
    assert listed == [f"guide-{n:04d}" for n in range(1, count + 1)]
    third = (out / "section-01/page/3/index.html").read_text(encoding="utf-8")
    assert "<title>Section 01 (page 3) · " in third and 'aria-current="page" aria-label="Page 3"' in third
    assert f'<ol class="link-list" start="{2 * SECTION_PAGE_SIZE + 1}">' in third
    # the sidebar of a guide on the third page links to that page for "all guides"
    guide_nav = sidebar(out / f"section-01/guide-{2 * SECTION_PAGE_SIZE + 10:04d}/index.html")
    assert 'href="../../section-01/page/3/">All' in guide_nav


def _normal(page: str) -> str:
    parts: list[str] = []
    for part in page.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) if page else ""


def test_links_written_between_built_pages_point_at_the_guides_and_their_headings_are_checked(tmp_path: Path):
    site = generated(tmp_path, 30)
    guide = site / "content/section-01/guide-0001.md"
    guide.write_text(guide.read_text(encoding="utf-8")
                     + "\nSee [two](../guide-0002/), [three](../guide-0003/index.html) and [home](../../).\n",
                     encoding="utf-8")
    out = built(site, tmp_path / "out")
    html = (out / "section-01/guide-0001/index.html").read_text(encoding="utf-8")
    assert 'href="../guide-0002/"' in html and 'href="../guide-0003/"' in html and 'href="../../"' in html
    config = site / "site.yml"
    config.write_text(config.read_text(encoding="utf-8") + "directory_urls: false\n", encoding="utf-8")
    plain = built(site, tmp_path / "plain")  # the same guides, linked as files
    html = (plain / "section-01/guide-0001/index.html").read_text(encoding="utf-8")
    assert 'href="../guide-0002/index.html"' in html
    guide.write_text(guide.read_text(encoding="utf-8") + "\n[gone](../guide-0002/#no-such-heading)\n",
                     encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("directory_urls: false\n", ""), encoding="utf-8")
    result = build(Options(site, tmp_path / "broken"))
    assert not result.written
    assert any("no-such-heading" in p.message and p.path == "content/section-01/guide-0001.md"
               for p in result.problems), [p.format() for p in result.problems]


def test_a_markdown_file_beside_its_folder_is_the_folder_s_first_list_page(tmp_path: Path):
    site = generated(tmp_path, 30)
    (site / "content/section-01.md").write_text("---\ntitle: About section one\n---\nAn introduction.\n",
                                                encoding="utf-8")
    out = built(site, tmp_path / "out")
    html = (out / "section-01/index.html").read_text(encoding="utf-8")
    assert "<h1>About section one</h1>" in html and "An introduction." in html
    assert "30 guides" in html and 'href="guide-0030/"' in html


def test_a_folder_named_like_a_page_of_rmsite_s_own_keeps_building(tmp_path: Path):
    site = generated(tmp_path, 3)
    (site / "content/search").mkdir()
    (site / "content/search/how-to.md").write_text("---\ntitle: How to search\n---\nText.\n", encoding="utf-8")
    out = built(site, tmp_path / "out")
    assert "Search" in (out / "search/index.html").read_text(encoding="utf-8")  # the search page, not a list
    assert (out / "search/how-to/index.html").is_file()
