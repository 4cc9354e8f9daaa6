"""The link check of built pages: internal links and fragments must lead somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.core.problems import Loc
from rmsite.output.links import PageLinks, check_links, extract, srcset_addresses
from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

FILES = {"index.html", "guides/a/index.html", "guides/b/index.html", "assets/style.1234.css", "404.html"}


def page(path: str, *links: str, ids: tuple[str, ...] = ()) -> PageLinks:
    return PageLinks(path, links, frozenset(ids))


def messages(pages: list[PageLinks], base_path: str = "/") -> list[str]:
    return [p.format() for p in check_links(pages, FILES, base_path, lambda path, link: Loc(f"src/{path}")).problems]


def test_extract_finds_hrefs_srcs_and_ids_unescaped():
    links = extract("x.html", '<a href="../a/?q=1&amp;r=2">a</a> <img src="i.png" alt=""> <h2 id="part&amp;two">')
    assert links.links == ("../a/?q=1&r=2", "i.png")
    assert links.ids == frozenset({"part&two"})


def test_html_shown_in_a_code_block_is_not_a_link():
    text = ('<pre><code>&lt;a href="{{ url(\'x.html\') }}" id="shown"&gt;</code></pre>'
            '<a title="a &gt; b" href="real/">r</a>')
    links = extract("x.html", text)
    assert links.links == ("real/",)
    assert links.ids == frozenset()


@pytest.mark.parametrize("tag", [
    "<a href='single.html'>x</a>",
    "<a href=single.html>x</a>",
    '<A HREF="single.html">x</A>',
    '<a title="a > b" href="single.html">x</a>',
    '<a\n  class="x"\n  href="single.html"\n>x</a>',
    '<a href=" single.html ">x</a>',
], ids=["single quotes", "no quotes", "upper case", "after a '>' in a value", "over lines", "spaces around"])
def test_a_link_is_found_however_its_attribute_is_written(tag: str):
    assert extract("x.html", f"<p>{tag}</p>").links == ("single.html",)


@pytest.mark.parametrize("tag", ["<img src='i.png'>", "<IMG SRC=i.png>", "<script src=i.png></script>",
                                 "<source src='i.png'>", "<iframe src=i.png></iframe>"])
def test_a_src_is_found_on_any_element(tag: str):
    assert extract("x.html", tag).links == ("i.png",)


def test_a_link_in_a_comment_is_not_a_link():
    links = extract("x.html", '<!-- <a href="old.html" id="gone">old</a> --><p>now</p><!--x--><a href="new.html">n</a>')
    assert links.links == ("new.html",)
    assert links.ids == frozenset()


def test_markup_inside_a_script_or_a_text_area_is_not_a_link():
    text = ("<script>const a = '<a href=\"script.html\">';</script>"
            "<textarea><a href='area.html'></a></textarea><a href='real.html'>r</a>")
    assert extract("x.html", text).links == ("real.html",)


def test_every_image_of_a_srcset_is_a_link():
    links = extract("x.html", '<picture><source srcset="wide.png 800w, narrow.png 400w">'
                              "<img src=one.png srcset='one.png 1x,two.png 2x'></picture>")
    assert links.links == ("wide.png", "narrow.png", "one.png", "two.png")


@pytest.mark.parametrize(("srcset", "addresses"), [
    ("a.png", ["a.png"]),
    ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
    ("a.png 1x,b.png 2x", ["a.png", "b.png"]),
    (" a.png ,, b.png ", ["a.png", "b.png"]),
    ("a,b.png 1x, c.png", ["a,b.png", "c.png"]),  # a comma inside an address is part of it
    ("a.png, b.png", ["a.png", "b.png"]),  # a comma right after one ends it
    ("a.png (x, y) 2x, b.png", ["a.png", "b.png"]),  # a comma in brackets is no split
    ("", []),
])
def test_a_srcset_is_split_as_browsers_split_it(srcset: str, addresses: list[str]):
    assert srcset_addresses(srcset) == addresses


def test_ids_in_any_case_and_named_anchors_are_fragment_targets():
    links = extract("x.html", '<h2 ID="upper">U</h2><a name="legacy"></a><p name="no">p</p><div id=\'quoted\'></div>')
    assert links.ids == frozenset({"upper", "legacy", "quoted"})


def test_a_guide_that_shows_template_code_builds(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yml").write_text("title: T\n")
    (site / "content/templates.md").write_text(
        "---\ntitle: Templates\n---\n```html\n<link rel=\"stylesheet\" href=\"{{ url('own.css') }}\">\n```\n")
    result = build(Options(site, tmp_path / "out"))
    assert result.written, [p.format() for p in result.problems]


def test_links_to_pages_folders_and_existing_fragments_pass():
    pages = [page("guides/a/index.html", "../b/", "../b/index.html#top", "../../", "#own", "../../assets/style.1234.css",
                  ids=("own",)),
             page("guides/b/index.html", ids=("top",))]
    assert messages(pages) == []


def test_a_link_to_a_missing_page_is_an_error_at_the_pages_source():
    assert messages([page("guides/a/index.html", "../c/")]) == [
        "src/guides/a/index.html:1:1: error: the page guides/a/index.html links to '../c/', "
        "which is not a file of the site"]


def test_a_missing_fragment_is_an_error():
    pages = [page("guides/a/index.html", "../b/#nowhere"), page("guides/b/index.html", ids=("top",))]
    assert messages(pages) == [
        "src/guides/a/index.html:1:1: error: the page guides/a/index.html links to '../b/#nowhere', "
        "but guides/b/index.html has no element with id 'nowhere'"]


def test_one_relative_link_leads_to_a_file_of_its_own_from_each_folder():
    pages = [page("guides/a/index.html", "../b/", "index.html"), page("guides/b/index.html", "../b/", "index.html"),
             page("index.html", "../b/", "guides/b/")]
    assert messages(pages) == [
        "src/index.html:1:1: error: the page index.html links to '../b/', which leaves the site's base path /"]
    assert messages([page("404.html", "guides/")]) == [
        "src/404.html:1:1: error: the page 404.html links to 'guides/', which is not a file of the site"]


@pytest.mark.parametrize("link", ["..//b/", "../.././guides/b/", "../../guides//b/index.html", "../a/../b/"])
def test_a_relative_link_is_resolved_as_a_browser_joins_it(link: str):
    assert messages([page("guides/a/index.html", link)]) == []


def test_a_link_that_climbs_above_the_root_leaves_the_site():
    assert messages([page("guides/a/index.html", "../../../index.html", "../../guides/../../x")]) == [
        "src/guides/a/index.html:1:1: error: the page guides/a/index.html links to '../../../index.html', "
        "which leaves the site's base path /",
        "src/guides/a/index.html:1:1: error: the page guides/a/index.html links to '../../guides/../../x', "
        "which leaves the site's base path /"]


def test_links_from_the_root_must_stay_under_the_base_path():
    pages = [page("404.html", "/mentoring/guides/a/", "/mentoring/", "/elsewhere/")]
    assert messages(pages, "/mentoring/") == [
        "src/404.html:1:1: error: the page 404.html links to '/elsewhere/', which leaves the site's base path /mentoring/"]


def test_external_links_are_listed_not_checked():
    pages = [page("index.html", "https://example.org/x", "mailto:someone@example.org", "//cdn.example.org/y")]
    report = check_links(pages, FILES, "/", lambda path, link: Loc("x"))
    assert report.problems == []
    assert report.external == [("index.html", "https://example.org/x"), ("index.html", "//cdn.example.org/y")]


@pytest.mark.parametrize("base_url", ["/", "/deep/sub/path/", "https://mentoring.example.org/programme/"])
def test_every_link_of_the_example_site_works_under_each_base_url(example: Path, tmp_path: Path, base_url: str):
    result = build(Options(example, tmp_path / "out", base_url=base_url))
    assert result.written, [p.format() for p in result.problems]


def test_a_broken_link_in_a_template_fails_the_build_at_the_template(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/404.html").write_text(
        '{% extends "theme/404.html" %}{% block main %}<a href="{{ url(\'no-such-page/index.html\') }}">x</a>'
        '<a href="{{ url(\'index.html\', \'no-such-id\') }}">y</a>{% endblock %}\n')
    result = build(Options(example, tmp_path / "out"))
    assert not result.written
    found = [p.format() for p in result.problems if not p.accepted]  # (the example accepts two warnings)
    assert len(found) == 2
    assert "templates/404.html:1:1: error: the page 404.html links to '/no-such-page/', which is not a file of the site" in found
    assert "templates/404.html:1:1: error: the page 404.html links to '/#no-such-id', but index.html has no element with id 'no-such-id'" in found


def test_check_links_lists_external_addresses_and_writes_nothing(example: Path):
    from click.testing import CliRunner

    from rmsite.cli import main

    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nSee [the survey tool](https://survey.example.org/form).\n")
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    result = CliRunner().invoke(main, ["check", "--links", "--source", str(example)])
    assert result.exit_code == 0, result.output
    assert "external: feedback/index.html: https://survey.example.org/form" in result.output
    assert "ok: every link of 23 pages works; 1 external address listed, not visited" in result.output
    assert sorted(p.relative_to(example) for p in example.rglob("*")) == before


def test_check_links_fails_on_a_broken_template_link(example: Path):
    from click.testing import CliRunner

    from rmsite.cli import main

    (example / "templates").mkdir()
    (example / "templates/404.html").write_text(
        '{% extends "theme/404.html" %}{% block main %}<a href="{{ url(\'gone/index.html\') }}">x</a>{% endblock %}\n')
    result = CliRunner().invoke(main, ["check", "--links", "--source", str(example)])
    assert result.exit_code == 1
    assert "templates/404.html:1:1: error: the page 404.html links to '/gone/', which is not a file of the site" in result.output


@pytest.mark.parametrize("link", ["http://[x", "//[^1]", "https://[::1/page"])
def test_an_address_no_browser_can_follow_is_an_error_not_a_crash(link: str):
    pages = [PageLinks("a/index.html", (link,), frozenset())]
    assert messages(pages) == [f"src/a/index.html:1:1: error: the page a/index.html links to '{link}', "
                               "which is not a valid address"]
