"""Guide navigation: sections from the top-level folders of `content/`, the
reading order (previous/next) and breadcrumbs. Pure: guides in, structure out."""

from __future__ import annotations

from dataclasses import dataclass

from rmsite.model.programme import GuideSource

TOP = ""  # the key of the guides directly in content/


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
    path: str  # where the section's heading links to: its index.md, else its first guide
    guides: tuple[NavLink, ...]


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


def make_sections(guides: list[GuideSource]) -> tuple[Section, ...]:
    """The navigation: top-level guides first, then one section per folder.

    Sections are ordered by the `order` of their index.md, else by the
    smallest `order` among their guides (sections with none last), then title."""
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
        sections.append((sort, Section(key, title, links[0].path, links)))
    return tuple(section for _, section in sorted(sections, key=lambda s: s[0]))


def reading_order(sections: tuple[Section, ...]) -> tuple[NavLink, ...]:
    """Every guide in navigation order: what previous/next follow."""
    return tuple(link for section in sections for link in section.guides)
