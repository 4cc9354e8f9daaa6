"""Search engines and sharing: robots.txt, the robots meta tag, Open Graph tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options


def built(site: Path, out: Path, base_url: str | None = None) -> Path:
    result = build(Options(site, out, base_url=base_url))
    assert result.written, [p.format() for p in result.problems]
    return out


def set_search_engines(site: Path, value: str) -> None:
    config = site / "site.yml"
    config.write_text(config.read_text() + f"\nsearch_engines: {value}\n")


def test_a_site_with_pair_pages_keeps_search_engines_out_by_default(example: Path, tmp_path: Path):
    out = built(example, tmp_path / "out")
    assert (out / "robots.txt").read_text().endswith("User-agent: *\nDisallow: /\n")
    for page in ("index.html", "pairing/index.html", "cohorts/2026-pilot/index.html"):
        assert '<meta name="robots" content="noindex, nofollow">' in (out / page).read_text()


def test_search_engines_allow_lets_them_in_and_points_at_the_sitemap(example: Path, tmp_path: Path):
    set_search_engines(example, "allow")
    out = built(example, tmp_path / "out", base_url="https://mentoring.example.org/programme/")
    assert (out / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nSitemap: https://mentoring.example.org/programme/sitemap.xml\n")
    assert 'name="robots"' not in (out / "index.html").read_text()


def test_a_site_without_pairs_is_indexable_unless_it_says_block(example: Path, tmp_path: Path):
    for cohort in (example / "cohorts").glob("*.yml"):
        cohort.unlink()
    out = built(example, tmp_path / "out")
    assert "Disallow" not in (out / "robots.txt").read_text()
    set_search_engines(example, "block")
    out = built(example, tmp_path / "blocked")
    assert "Disallow: /" in (out / "robots.txt").read_text()


def test_the_sites_own_robots_txt_wins(example: Path, tmp_path: Path):
    (example / "static").mkdir(exist_ok=True)
    (example / "static/robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    out = built(example, tmp_path / "out")
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /private/\n"


def test_pages_carry_open_graph_title_description_and_url(example: Path, tmp_path: Path):
    out = built(example, tmp_path / "out", base_url="https://mentoring.example.org/")
    guide = (out / "pairing/index.html").read_text()
    assert '<meta property="og:title" content="Pairing people carefully">' in guide
    assert '<meta property="og:type" content="article">' in guide
    assert '<meta property="og:url" content="https://mentoring.example.org/pairing/">' in guide
    assert '<meta property="og:description" content="' in guide


def test_a_bad_search_engines_value_is_a_located_error(example: Path, tmp_path: Path):
    set_search_engines(example, "maybe")
    result = build(Options(example, tmp_path / "out"))
    assert not result.written
    assert any(p.path == "site.yml" and "search_engines" in p.message for p in result.problems), \
        [p.format() for p in result.problems]


@pytest.mark.parametrize("base_url", ["/", "/deep/sub/path/", "https://mentoring.example.org/programme/"])
def test_every_sitemap_entry_is_a_page_under_the_base_url(example: Path, tmp_path: Path, base_url: str):
    out = built(example, tmp_path / "out", base_url=base_url)
    entries = re.findall(r"<loc>([^<]*)</loc>", (out / "sitemap.xml").read_text())
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(entries) == len(pages) - 2  # all but 404.html and the search page
    for entry in entries:
        assert entry.startswith(base_url)
        rel = entry[len(base_url):]
        assert (out / rel / "index.html").is_file(), entry
    assert not any("search/" in entry for entry in entries)


def test_the_search_page_asks_not_to_be_indexed_even_when_the_site_may_be(example: Path, tmp_path: Path):
    set_search_engines(example, "allow")
    out = built(example, tmp_path / "out")
    assert '<meta name="robots" content="noindex, follow">' in (out / "search/index.html").read_text()
    assert '<meta name="robots"' not in (out / "pairing/index.html").read_text()
