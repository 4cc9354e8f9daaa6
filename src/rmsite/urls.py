"""Output paths and the relative links between them, so every link works
under any base_url and, for file URLs, when the site is opened from disk."""

from __future__ import annotations

import posixpath


def page_url(path: str, pretty: bool = True) -> str:
    """The URL of an output file relative to the site root: `a/b/index.html` is `a/b/`."""
    if not pretty:
        return path
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def relative_url(from_path: str, to_path: str, pretty: bool = True, fragment: str = "") -> str:
    """A relative link from the page at from_path to the file at to_path."""
    target = page_url(to_path, pretty)
    base = posixpath.dirname(from_path)
    rel = posixpath.relpath(target or ".", base or ".")
    if target == "" or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{fragment}" if fragment else "")


def absolute_url(base_url: str, to_path: str, pretty: bool = True) -> str:
    """A link from the site root: base_url plus the page URL."""
    return base_url + page_url(to_path, pretty)
