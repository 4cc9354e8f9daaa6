"""Output paths and the relative links between them, so every link works
under any base_url and, for file URLs, when the site is opened from disk."""

from __future__ import annotations

import re

# characters of a file name that would end or change a URL (a space, '#', '?', '%', quotes …):
# percent-encoded; other characters, letters with accents among them, stay as they are
UNSAFE = re.compile(r'[\x00-\x20"#%<>?\\^`{|}\x7f]')


def _encoded(path: str) -> str:
    return UNSAFE.sub(lambda found: f"%{ord(found[0]):02X}", path) if UNSAFE.search(path) else path


def _not_a_scheme(url: str) -> str:
    """A relative URL whose first segment holds ':' (a guide named `javascript:alert(1).md`)
    would be read as a URL of that scheme: './' keeps it a path."""
    head = url.split("/", 1)[0]
    return "./" + url if ":" in head else url


def page_url(path: str, pretty: bool = True) -> str:
    """The URL of an output file relative to the site root: `a/b/index.html` is `a/b/`; the
    characters of a file name that a URL cannot hold as they are are percent-encoded."""
    path = _encoded(path)
    if not pretty:
        return path
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def relative_url(from_path: str, to_path: str, pretty: bool = True, fragment: str = "") -> str:
    """A relative link from the page at from_path to the file at to_path."""
    # Output paths are normalised and relative to the site root, so a common-prefix
    # walk is enough (and much faster than posixpath.relpath, called for every nav link).
    base = from_path.split("/")[:-1]
    parts = page_url(to_path, pretty).split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    rel = "../" * (len(base) - common) + "/".join(parts[common:])
    return (_not_a_scheme(rel) or "./") + (f"#{fragment}" if fragment else "")


def up_and_down_url(from_path: str, to_path: str, pretty: bool = True) -> str:
    """A relative link that climbs to the site root and back down: the same for
    every page at the same depth, so a fragment of links can be shared."""
    return _not_a_scheme("../" * from_path.count("/") + page_url(to_path, pretty)) or "./"


def absolute_url(base_url: str, to_path: str, pretty: bool = True) -> str:
    """A link from the site root: base_url plus the page URL."""
    return base_url + page_url(to_path, pretty)


# where the pages and files of cohorts and pairs go
COHORT_INDEX = "cohorts/index.html"


def cohort_page(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/index.html"


def pair_page(cohort_id: str, pair_id: str) -> str:
    return f"cohorts/{cohort_id}/{pair_id}/index.html"


def pair_calendar_path(cohort_id: str, pair_id: str) -> str:
    return f"cohorts/{cohort_id}/{pair_id}/meetings.ics"


def cohort_calendar_path(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/calendar.ics"


def progress_path(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/progress.json"


# the preview's own host names (serve.py)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's Host header names this preview: a loopback name or the address it
    listens on. A page on another site that points its own host name at 127.0.0.1 (DNS
    rebinding) is refused, so it cannot read the preview's pages or its event stream. On a
    wildcard address (`--host 0.0.0.0`) any host is served, as asked."""
    if bound in WILDCARD_HOSTS:
        return True
    if not header:
        return False
    host = header.strip().lower()
    host = host[1:host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host in LOOPBACK_HOSTS or host == bound.lower()
