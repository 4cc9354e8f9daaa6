"""Guide navigation: sections from the top-level folders of `content/`, the
reading order (previous/next), breadcrumbs, the pruned sidebar and the pages
that list a section's guides. Pure: guides in, structure out.

The sidebar of a page shows only what a reader can see from there (as MkDocs
Material's `navigation.prune` does): the top-level sections, and of the
current section the block of at most NAV_LIMIT guides the page is in, with a
link to the section's page for the rest. So a page's size does not grow with
the number of guides, and a block's sidebar is rendered once and shared."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rmsite.model.programme import GuideSource

TOP = ""  # the key of the guides directly in content/
NAV_LIMIT = 25  # guides of one section in a sidebar, and on the home and search pages, at most
SECTION_PAGE_SIZE = 100  # guides on each page of a section's list
HOME_GUIDES = "index.html"  # where the guides directly in content/ are all listed


@dataclass(frozen=True)
class NavLink:
    title: str
    path: str
    summary: str = ""


@dataclass(frozen=True)
class Section:
    """A top-level folder of content/ (or, with key "", the guides beside them)."""

    key: str
    title: str
    path: str  # where the section's heading links to: its page (SECTION_PAGE) or, for "", the first guide
    guides: tuple[NavLink, ...]
    summary: str = ""  # its index.md's summary

    @property
    def count(self) -> int:
        return len(self.guides)

    @property
    def preview(self) -> tuple[NavLink, ...]:
        """The guides a list of every section shows (home, search): the first NAV_LIMIT of
        a section with list pages (they list the rest), else all."""
        return self.guides[:NAV_LIMIT] if self.listed else self.guides

    @property
    def pages(self) -> int:
        """How many pages the section's list takes."""
        return max(1, -(-len(self.guides) // SECTION_PAGE_SIZE))

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Each guide's page path: its place in the section."""
        return {link.path: index for index, link in enumerate(self.guides)}

    def page_of(self, position: int) -> str:
        """The page of the section's list that shows the guide at `position`."""
        if self.key == TOP:
            return HOME_GUIDES
        if not self.listed:
            return self.path
        return section_page(self.key, position // SECTION_PAGE_SIZE + 1)

    @property
    def listed(self) -> bool:
        """Whether the section has pages listing its guides (a folder's, unless its place was taken)."""
        return self.key != TOP and self.path == section_page(self.key, 1)


def section_page(key: str, number: int) -> str:
    """Page `number` (from 1) of the list of a folder section's guides."""
    return f"{key}/index.html" if number == 1 else f"{key}/page/{number}/index.html"


@dataclass(frozen=True)
class SidebarSection:
    """A section as one page's sidebar shows it: closed (a link and a count), or open
    with the block of guides the page is in."""

    key: str
    title: str
    path: str
    count: int
    open: bool
    guides: tuple[NavLink, ...]  # the block shown: empty when closed
    first: int  # the block's first guide, counted from 1
    more: str | None  # when the block is not the whole section: the section's page that lists the block

    @property
    def last(self) -> int:
        return self.first + len(self.guides) - 1


@dataclass(frozen=True)
class Sidebar:
    """The guides sidebar of a page: the guides directly in content/ (`top`, a block of
    them), then the top-level sections."""

    top: SidebarSection | None
    sections: tuple[SidebarSection, ...]


def block_of(position: int | None) -> int:
    """The sidebar block a guide at `position` in its section is in (0 when not in it)."""
    return 0 if position is None else position // NAV_LIMIT


def sidebar(sections: tuple[Section, ...], open_key: str | None, block: int) -> Sidebar:
    """The sidebar of a page of section `open_key` (None: of no section) whose guide is in `block`."""
    top, shown = None, []
    for section in sections:
        is_open = section.key == open_key
        start = block * NAV_LIMIT if is_open else 0
        guides = section.guides[start:start + NAV_LIMIT] if is_open or section.key == TOP else ()
        whole = len(guides) == section.count or not (section.listed or section.key == TOP)
        item = SidebarSection(section.key, section.title, section.path, section.count, is_open, guides,
                              start + 1, None if whole else section.page_of(start))
        if section.key == TOP:
            top = item
        else:
            shown.append(item)
    return Sidebar(top, tuple(shown))


def section_key(rel: str) -> str:
    """The top-level folder a guide is in, or "" for a guide directly in content/."""
    return rel.split("/", 1)[0] if "/" in rel else TOP


def humanise(folder: str) -> str:
    """A folder name as a title: 'for-mentors' reads 'For mentors'."""
    words = folder.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or folder
    return text[:1].upper() + text[1:]


def guide_sort_key(guide: GuideSource) -> tuple[object, ...]:
    """Within a section: its index.md first, then `order` (guides without one last), then title."""
    meta = guide.meta
    is_index = guide.rel.endswith("/index.md")
    return (not is_index, meta.order is None, meta.order or 0, meta.title.casefold(), guide.rel)


def make_sections(guides: list[GuideSource], taken: frozenset[str] = frozenset()) -> tuple[Section, ...]:
    """The navigation: top-level guides first, then one section per folder.

    Sections are ordered by the `order` of their index.md, else by the
    smallest `order` among their guides (sections with none last), then title.
    A folder whose list page would be one of the `taken` pages (content/search/
    beside the search page, content/cohorts/) has no list: its heading links to
    its first guide."""
    by_key: dict[str, list[GuideSource]] = {}
    for guide in guides:
        by_key.setdefault(section_key(guide.rel), []).append(guide)
    sections = []
    for key, members in by_key.items():
        members.sort(key=guide_sort_key)
        index = members[0] if members[0].rel == f"{key}/index.md" else None
        title = index.meta.title if index is not None else humanise(key)
        orders = [g.meta.order for g in members if g.meta.order is not None]
        order = index.meta.order if index is not None and index.meta.order is not None else (
            min(orders) if orders else None)
        links = tuple(NavLink(g.meta.title, g.page_path, g.meta.summary) for g in members)
        sort = (key != TOP, order is None, order or 0, title.casefold(), key)
        path = links[0].path if key == TOP or section_page(key, 1) in taken else section_page(key, 1)
        summary = index.meta.summary if index is not None else ""
        sections.append((sort, Section(key, title, path, links, summary)))
    return tuple(section for _, section in sorted(sections, key=lambda s: s[0]))


def reading_order(sections: tuple[Section, ...]) -> tuple[NavLink, ...]:
    """Every guide in navigation order: what previous/next follow."""
    return tuple(link for section in sections for link in section.guides)
