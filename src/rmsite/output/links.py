"""The link check of built pages: every internal link and image in every page,
including those written in templates, must lead to a file of the site, and a
`#fragment` to an element with that id. External links are listed, not fetched."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from rmsite.core.problems import Loc, Problem

# The elements a link check reads: those with an address a reader's browser follows or
# fetches (href, src, srcset), and those a #fragment can name (an id, or an <a name>, which
# browsers scroll to as well). Attribute names are matched in any case, as HTML does.
LINKED = "[href],[src],[srcset],[id],a[name]"
# Leading and trailing spaces and control characters, which browsers strip from an address.
SPACES = "".join(map(chr, range(0x21)))
# One image candidate of a srcset ("image.png 2x, other.png 400w"): its address ends at a space.
CANDIDATE = re.compile(r"[\t\n\f\r ,]*([^\t\n\f\r ]+)")


@dataclass(frozen=True)
class PageLinks:
    """What one built page links to, and the ids a link to it may name."""

    path: str
    links: tuple[str, ...]
    ids: frozenset[str]


def extract(path: str, text: str) -> PageLinks:
    """The addresses an HTML page links to (every href, src and srcset, however the
    attribute is written) and the ids a link to it may name, read by an HTML parser: a
    comment, a script, or HTML shown in a code block holds no link."""
    links: list[str] = []
    ids: set[str] = set()
    for node in LexborHTMLParser(text).css(LINKED):
        for name, value in node.attributes.items():
            if name == "href" or name == "src":
                links.append((value or "").strip(SPACES))
            elif name == "srcset":
                links += srcset_addresses(value or "")
            elif name == "id" or (name == "name" and node.tag == "a"):
                if value:
                    ids.add(value)
    return PageLinks(path, tuple(dict.fromkeys(links)), frozenset(ids))


def srcset_addresses(value: str) -> list[str]:
    """The image addresses of a srcset attribute, as browsers split it: candidates apart at
    commas, each an address and then its descriptors (a comma in brackets is no split)."""
    found: list[str] = []
    at, end = 0, len(value)
    while (match := CANDIDATE.match(value, at)) is not None:
        address, at = match.group(1), match.end()
        if address.endswith(","):  # no descriptors: the comma ends the candidate
            address = address.rstrip(",")
        else:
            in_brackets = False
            while at < end and (in_brackets or value[at] != ","):
                in_brackets = (value[at] == "(") or (in_brackets and value[at] != ")")
                at += 1
        if address:
            found.append(address)
    return found


@dataclass(frozen=True)
class LinkReport:
    problems: list[Problem]
    external: list[tuple[str, str]]  # (page, address), each address once per page


def check_links(pages: list[PageLinks], files: set[str], base_path: str,
                owner: Callable[[str, str], Loc]) -> LinkReport:
    """Problems for internal links that lead nowhere, at the page's source (its guide or
    cohort file, else its template), which `owner` gives for a page and one of its links;
    `base_path` is the path part of base_url, which links from the root (as on the 404 page)
    start with."""
    ids = {page.path: page.ids for page in pages}
    problems: list[Problem] = []
    external: list[tuple[str, str]] = []
    addresses: dict[str, Address] = {}  # each address split once: pages share most of theirs
    # (a folder, a path from it) -> the file it names, "" for none, None when it leaves the site:
    # the pages of one folder, and links up to the same folder, share the work
    named: dict[tuple[str, str], str | None] = {}
    for page in pages:
        folders = _folders(page.path)
        for link in page.links:
            address = addresses.get(link)
            if address is None:
                address = addresses[link] = split_address(link, base_path)
            where, up, path, fragment = address
            found: str | None = None
            if where == "site":
                if up < len(folders):
                    start = (folders[up] if up >= 0 else "", path)
                    found = named.get(start)
                    if found is None:
                        found = named[start] = _file(*start, files)
            elif where == "page":
                found = _existing(page.path, files) or ""
            elif where == "invalid":
                problems.append(owner(page.path, link).error(
                    f"the page {page.path} links to '{link}', which is not a valid address"))
                continue
            elif where != "outside":
                if where == "web":
                    external.append((page.path, link))
                continue
            if found is None:
                problems.append(owner(page.path, link).error(
                    f"the page {page.path} links to '{link}', which leaves the site's base path {base_path}"))
            elif not found:
                problems.append(owner(page.path, link).error(
                    f"the page {page.path} links to '{link}', which is not a file of the site"))
            elif fragment and found in ids and fragment not in ids[found]:
                problems.append(owner(page.path, link).error(
                    f"the page {page.path} links to '{link}', but {found} has no element with "
                    f"id '{fragment}'"))
    return LinkReport(problems, external)


# Where an address leads: "site" (a file of this site, named by a path from a folder `up`
# folders above the page's, or from the root when `up` is -1), "page" (the page itself),
# "outside" (a path from the root outside the base path), "web" (another site: listed) or
# "other" (mailto:, tel: and the like: not checked), "invalid" (not an address at all, as
# `http://[x`, which no browser can follow); then that path and the fragment, unquoted.
Address = tuple[str, int, str, str]


def split_address(link: str, base_path: str) -> Address:
    """Where an address of a page leads, and from which folder (see Address)."""
    try:
        parts = urlsplit(link)
    except ValueError:  # a bracketed host that is no IP address: 'http://[x'
        return "invalid", 0, "", ""
    if parts.scheme or link.startswith("//"):
        return ("web" if parts.scheme in ("http", "https") or link.startswith("//") else "other"), 0, "", ""
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return "page", 0, "", fragment
    if path.startswith("/"):
        return ("site", -1, path[len(base_path):], fragment) if path.startswith(base_path) else \
            ("outside", 0, "", fragment)
    up = 0
    while path.startswith("../", 3 * up):  # climbed here, once per address, not per page
        up += 1
    return "site", up, path[3 * up:].lstrip("/") if up else path, fragment  # '..//x' is '../x', as when joined


def _folders(page: str) -> list[str]:
    """The folder of an output path, then each folder above it, up to the site's root ("")."""
    folders = [posixpath.dirname(page)]
    while folders[-1]:
        folders.append(posixpath.dirname(folders[-1]))
    return folders


def _file(folder: str, path: str, files: set[str]) -> str | None:
    """The file of the site a path from a folder names; "" when there is none, None when the
    path leaves the site."""
    joined = f"{folder}/{path}" if folder else path  # posixpath.join, without its checks
    trailing = joined.endswith("/") or joined in ("", ".")
    normal = posixpath.normpath(joined) if joined else "."
    if normal.startswith(".."):
        return None
    normal = "" if normal == "." else normal
    return _existing(f"{normal}/index.html".lstrip("/") if trailing else normal, files) or ""


def _existing(target: str, files: set[str]) -> str | None:
    """The file a target names: itself, or its index.html when it is a folder."""
    if target in files:
        return target
    index = f"{target}/index.html" if target else "index.html"
    return index if index in files else None
