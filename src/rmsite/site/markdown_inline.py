"""Python-Markdown's inline stage, made cheaper without changing its output.

The inline stage tries every inline pattern (eighteen of them with rmsite's extensions) on
every piece of text, each with a regular-expression search and a method call, although most
patterns cannot match most text: a link needs a `[`, emphasis a `*` or `_`, an entity a `&`.
`QuickInline` skips a pattern when its text lacks every string the pattern's regular
expression needs to match, which is what the search would have found; the patterns, their
order and what they make are Python-Markdown's own. Patterns it does not know are always
tried. A third less time for converting a guide (benchmarks/README.md, "Where a cold build's
time goes").

It overrides the stage's loop over the patterns (`InlineProcessor.__handleInline`, private
in Python-Markdown); tests/unit/site/test_markdown_inline.py fails when a Markdown release
renames it, so the speed is not lost unnoticed, and the output is the same either way."""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)
from collections.abc import Callable
from typing import Any

from markdown import Markdown, util
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry

INLINE_PRIORITY = 20  # Python-Markdown's own priority for its inline stage


def _www(text: str) -> bool:
    return "://" in text or "www." in text.lower()  # pymdownx.magiclink's RE_LINK: (?i) …:// or www.


# What each known pattern's regular expression cannot match without: any one of these strings,
# or a test of the text. By the patterns' names in Python-Markdown's registry.
NEEDS: dict[str, tuple[str, ...] | Callable[[str], bool]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("\n",),
    "html": ("<",),
    "magic-link": _www,
    "magic-mail": ("@",),
    "entity": ("&",),
    "gfm-strikethrough": ("~",),
    "delimiter": ("*", "_"),
}

Test = Callable[[str], bool] | None  # None: always tried


def _test(needs: tuple[str, ...] | Callable[[str], bool] | None) -> Test:
    if needs is None or callable(needs):
        return needs
    if len(needs) == 1:
        (one,) = needs
        return lambda text: one in text
    return lambda text: any(part in text for part in needs)


def tests_for(patterns: Registry[Any]) -> list[Test]:
    """Each registered pattern's test, in the registry's order."""
    tests: list[Test] = [None] * len(patterns)
    for name, needs in NEEDS.items():
        if name in patterns:
            tests[patterns.get_index_for_name(name)] = _test(needs)
    return tests


class QuickInline(InlineProcessor):
    """The inline stage, skipping the patterns a text cannot match (module docstring)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.tests: list[Test] = []
        self.tested: tuple[object, ...] = ()  # the patterns the tests are for

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        patterns = tuple(self.inlinePatterns)  # registered after this stage was made, too
        if patterns != self.tested:
            self.tested, self.tests = patterns, tests_for(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803 (its names)
        """Python-Markdown's loop over the patterns, with the tests: a pattern whose test
        fails is passed over as one whose search found nothing."""
        if isinstance(data, util.AtomicString):
            return data
        patterns, tests = self.inlinePatterns, self.tests
        index, start, count = patternIndex, 0, len(patterns)
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        while index < count:
            test = tests[index]
            if test is not None and not test(data):
                index += 1
                start = 0
                continue
            data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data


def quicken(md: Markdown) -> None:
    """Put QuickInline in the place of md's inline stage."""
    md.treeprocessors.register(QuickInline(md), "inline", INLINE_PRIORITY)
