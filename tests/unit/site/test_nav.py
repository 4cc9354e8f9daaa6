"""The guides' navigation: sections, the pruned sidebar and the lists of a section's guides."""

from __future__ import annotations

from rmsite.model.programme import GuideSource
from rmsite.model.schema import GuideMeta
from rmsite.site.nav import (
    NAV_LIMIT,
    SECTION_PAGE_SIZE,
    block_of,
    make_sections,
    section_page,
    sidebar,
)
from rmsite.site.plan import section_pages


def guide(rel: str, order: int | None = None, summary: str = "") -> GuideSource:
    return GuideSource(rel, GuideMeta(title=rel.removesuffix(".md"), order=order, summary=summary), "Text.\n", 1)


def folder(key: str, count: int) -> list[GuideSource]:
    return [guide(f"{key}/g-{n:04d}.md", order=n) for n in range(count)]


def test_a_folder_section_links_to_its_own_list_page_and_top_level_guides_to_the_first():
    sections = make_sections([guide("about.md", 1), *folder("mentors", 3)])
    top, mentors = sections
    assert top.key == "" and top.path == "about/index.html"
    assert mentors.path == "mentors/index.html" == section_page("mentors", 1)
    assert section_page("mentors", 3) == "mentors/page/3/index.html"


def test_an_index_md_gives_the_section_its_title_and_summary():
    index = GuideSource("mentors/index.md", GuideMeta(title="For mentors", summary="Read these first."), "", 1)
    (mentors,) = make_sections([index, *folder("mentors", 2)])
    assert (mentors.title, mentors.summary, mentors.path) == ("For mentors", "Read these first.", "mentors/index.html")
    assert mentors.guides[0].path == "mentors/index/index.html"  # index.md keeps its own page, listed first


def test_a_folder_whose_list_page_is_taken_links_to_its_first_guide_and_lists_everything_elsewhere():
    (search,) = make_sections(folder("search", 40), frozenset({"search/index.html"}))
    assert search.path == "search/g-0000/index.html" and not search.listed
    assert search.preview == search.guides  # the home and search pages list all of it
    assert section_pages((search,)) == {}
    shown = sidebar((search,), "search", 1).sections[0]
    assert shown.more is None and [g.path for g in shown.guides][0] == f"search/g-{NAV_LIMIT:04d}/index.html"


def test_the_sidebar_shows_the_open_section_s_block_and_the_other_sections_closed():
    sections = make_sections([*folder("big", 1000), *folder("small", 3), guide("about.md", 1)])
    big = next(s for s in sections if s.key == "big")
    position = big.positions["big/g-0530/index.html"]
    nav = sidebar(sections, "big", block_of(position))
    assert nav.top is not None and [g.title for g in nav.top.guides] == ["about"] and nav.top.more is None
    opened, closed = nav.sections
    assert opened.open and len(opened.guides) == NAV_LIMIT
    assert opened.first <= position + 1 <= opened.last
    assert "big/g-0530/index.html" in {g.path for g in opened.guides}
    assert opened.more == section_page("big", position // SECTION_PAGE_SIZE + 1)  # the list page with the block
    assert not closed.open and closed.guides == () and closed.count == 3


def test_the_sidebar_does_not_grow_with_the_number_of_guides():
    def shown(count: int) -> int:
        sections = make_sections([*folder("big", count), *folder("other", 5)])
        nav = sidebar(sections, "big", block_of(count // 2))
        return sum(len(s.guides) for s in nav.sections)
    assert shown(100) == shown(10_000) == NAV_LIMIT
    assert shown(NAV_LIMIT - 1) == NAV_LIMIT - 1  # a small section is shown whole, with no "all guides" link
    small = sidebar(make_sections(folder("small", 4)), "small", 0).sections[0]
    assert small.more is None and small.first == 1 and small.last == 4


def test_a_long_list_of_top_level_guides_is_cut_to_a_block_with_a_link_to_the_home_page():
    sections = make_sections([guide(f"g-{n:03d}.md", n) for n in range(60)] + folder("mentors", 2))
    nav = sidebar(sections, "mentors", 0)
    assert nav.top is not None and len(nav.top.guides) == NAV_LIMIT and nav.top.more == "index.html"
    top = sections[0]
    inside = sidebar(sections, "", block_of(top.positions["g-050/index.html"]))
    assert inside.top is not None and "g-050/index.html" in {g.path for g in inside.top.guides}


def test_a_section_s_guides_are_listed_on_pages_of_a_bounded_size():
    (big,) = make_sections(folder("big", 2 * SECTION_PAGE_SIZE + 5))
    pages = section_pages((big,))
    assert list(pages) == ["big/index.html", "big/page/2/index.html", "big/page/3/index.html"]
    first, second, third = pages.values()
    assert [len(p.guides) for p in pages.values()] == [SECTION_PAGE_SIZE, SECTION_PAGE_SIZE, 5]
    assert (second.first, second.last, second.previous, second.next) == (
        SECTION_PAGE_SIZE + 1, 2 * SECTION_PAGE_SIZE, "big/index.html", "big/page/3/index.html")
    assert first.previous is None and third.next is None
    listed = [g.path for p in pages.values() for g in p.guides]
    assert listed == [g.path for g in big.guides]  # every guide once, in navigation order
