"""The link check of built pages: every internal link and image in every page,
including those written in templates, must lead to a file of the site, and a
`#fragment` to an element with that id. External links are listed, not fetched."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from rmsite.core.problems import Loc, Problem

# A start tag. Jinja and Python-Markdown write '>' in attribute values as '&gt;', so a tag
# ends at the first '>' (a pattern that allowed it in quoted values was twice as slow).
TAG = re.compile(r"<[a-zA-Z][^>]*>")
LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')


@dataclass(frozen=True)
class PageLinks:
    """What one built page links to, and the ids a link to it may name."""

    path: str
    links: tuple[str, ...]
    ids: frozenset[str]


def extract(path: str, text: str) -> PageLinks:
    """The href and src values and the ids of an HTML page's tags (as the theme writes
    attributes: double-quoted), unescaped; text that only looks like a tag, such as
    HTML shown in a code block, is not a link."""
    tags = " ".join(TAG.findall(text))
    links = tuple(dict.fromkeys(html.unescape(m) for m in LINK.findall(tags)))
    return PageLinks(path, links, frozenset(html.unescape(m) for m in ID.findall(tags)))


@dataclass(frozen=True)
class LinkReport:
    problems: list[Problem]
    external: list[tuple[str, str]]  # (page, address), each address once per page


def check_links(pages: list[PageLinks], files: set[str], base_path: str,
                owner: Callable[[str], Loc]) -> LinkReport:
    """Problems for internal links that lead nowhere, at the page's source (its guide or
    cohort file, else its template); `base_path` is the path part of base_url, which
    links from the root (as on the 404 page) start with."""
    ids = {page.path: page.ids for page in pages}
    problems: list[Problem] = []
    external: list[tuple[str, str]] = []
    for page in pages:
        folder = posixpath.dirname(page.path)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                if parts.scheme in ("http", "https") or link.startswith("//"):
                    external.append((page.path, link))
                continue
            target = _target(folder, page.path, unquote(parts.path), base_path)
            if target is None:
                problems.append(owner(page.path).error(
                    f"the page {page.path} links to '{link}', which leaves the site's base path {base_path}"))
                continue
            found = _existing(target, files)
            if found is None:
                problems.append(owner(page.path).error(
                    f"the page {page.path} links to '{link}', which is not a file of the site"))
            elif parts.fragment and found in ids and unquote(parts.fragment) not in ids[found]:
                problems.append(owner(page.path).error(
                    f"the page {page.path} links to '{link}', but {found} has no element with "
                    f"id '{unquote(parts.fragment)}'"))
    return LinkReport(problems, external)


def _target(folder: str, page: str, path: str, base_path: str) -> str | None:
    """The output path a link's path names, or None when it leaves the site."""
    if not path:
        return page
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        joined = path[len(base_path):]
    else:
        joined = posixpath.join(folder, path)
    trailing = joined.endswith("/") or joined in ("", ".")
    normal = posixpath.normpath(joined) if joined else "."
    if normal.startswith(".."):
        return None
    normal = "" if normal == "." else normal
    return f"{normal}/index.html".lstrip("/") if trailing else normal


def _existing(target: str, files: set[str]) -> str | None:
    """The file a target names: itself, or its index.html when it is a folder."""
    if target in files:
        return target
    index = f"{target}/index.html" if target else "index.html"
    return index if index in files else None
