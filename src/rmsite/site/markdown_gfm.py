"""Markdown as GitHub renders it, on top of Python-Markdown: the pymdown-extensions that do a part
of it, set to GitHub's behaviour."""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# pymdown-extensions, each set to behave as GitHub does
LIBRARY_EXTENSIONS: list[str] = [
    "pymdownx.betterem",  # `***both***`, and `*` and `_` inside words, as GitHub reads them
    "pymdownx.tilde",  # `~~struck~~`
    "pymdownx.magiclink",  # bare https:// and www. addresses, and email addresses, become links
    "pymdownx.saneheaders",  # `#tag` is not a heading: a heading needs the space
    "pymdownx.fancylists",  # `1)` lists
]
LIBRARY_CONFIGS: dict[str, dict[str, Any]] = {
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.fancylists": {"additional_ordered_styles": []},  # `1.` and `1)` only, as GitHub
}


class _PlainOrderedLists(Treeprocessor):
    """fancylists marks every ordered list `type="1"`, which is what a list is anyway."""

    def run(self, root: etree.Element) -> None:
        for ol in root.iter("ol"):
            if ol.get("type") == "1":
                del ol.attrib["type"]


class GithubMarkdown(Extension):
    """GitHub's rendering of the constructs guides use, as one extension."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.registerExtensions(LIBRARY_EXTENSIONS, LIBRARY_CONFIGS)
        md.treeprocessors.register(_PlainOrderedLists(md), "gfm-plain-ordered-lists", 5)
