"""Markdown as GitHub renders it, on top of Python-Markdown: the pymdown-extensions that do a part
of it, set to GitHub's behaviour, and small extensions of rmsite's own for what none of them does:

- list items are nested, and their later paragraphs and code indented, by the width of their
  marker (two spaces under `- `, three under `1. `), not by Python-Markdown's four;
- a list, a table or a fenced code block right after a line of text ends the paragraph;
- quotes with a blank line between them are two quotes;
- a backslash at the end of a line is a line break;
- `~~struck~~` and `~struck~`: GitHub takes one tilde or two (pymdownx.tilde only two).

docs/format.md lists what still differs from GitHub, and why.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's own name for it)
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor, BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor, SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

# pymdown-extensions, each set to behave as GitHub does
LIBRARY_EXTENSIONS: list[str] = [
    "pymdownx.betterem",  # `***both***`, and `*` and `_` inside words, as GitHub reads them
    "pymdownx.magiclink",  # bare https:// and www. addresses, and email addresses, become links
    "pymdownx.saneheaders",  # `#tag` is not a heading: a heading needs the space
    "pymdownx.fancylists",  # `1)` lists
]
LIBRARY_CONFIGS: dict[str, dict[str, Any]] = {
    "pymdownx.fancylists": {"additional_ordered_styles": []},  # `1.` and `1)` only, as GitHub
}

TAB = 4  # Python-Markdown's indentation for what belongs to a list item
LIST_MARKER = re.compile(r"(?P<indent> *)(?P<marker>[-+*]|\d{1,9}[.)])(?P<gap> *)(?P<rest>.*)")
THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?: *\1){2,} *")
FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?: |$)|>|<)")  # a heading, a quote or HTML: never a lazy line
INTERRUPTING_ITEM = re.compile(r" {0,3}(?:[-+*]|1[.)])[ ]+\S")  # a list that may end a paragraph
OPENER = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)]|```|~~~)")  # what may start a list item or a fence
TABLE_DELIMITER_ROW = re.compile(r" {0,3}\|?(?: *:?-+:? *\|)*(?: *:?-+:? *)\|? *")
CELL_BORDER = re.compile(r"(?<!\\)\|")
BREAK_HINT = re.compile(r"\n(?: {0,3}(?:[-+*]|1[.)]) |\s*\x02)|\|")  # what _split_at looks for, roughly
ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"  # what a backslash escapes on GitHub
STRUCK = r"(?<!~)(~~?)(?![~\s])(.+?)(?<![~\s])\1(?!~)"  # ~one~ or ~~two~~, the same either side
LINE_BREAK = r"(?:  |(?<!\\)\\)\n"  # Python-Markdown's two spaces, or a backslash


@dataclass
class _Item:
    source: int  # the column the item's content starts at in the guide
    output: int  # the column it starts at for Python-Markdown
    fresh: bool = True  # no blank line since its marker: Python-Markdown reads its lines as one block


@dataclass
class _Reindent:
    """Where the lines read so far leave the list items open around the next one."""

    items: list[_Item] = field(default_factory=list)
    fence: str = ""  # the open code fence, if any
    paragraph: bool = False  # the last line was a paragraph's
    block: int | None = 0  # the output indentation of the block's first line; None after a blank line

    def line(self, line: str) -> list[str]:
        """The line as Python-Markdown should read it, after a blank line where Python-Markdown
        needs one to see that an indented block has ended."""
        if not line.strip():
            if not self.fence:
                self.paragraph, self.block = False, None
                for item in self.items:
                    item.fresh = False
            return [""]
        indent = len(line) - len(line.lstrip(" "))
        if not self.items and not self.fence and not OPENER.match(line):  # most lines: outside lists
            self.paragraph = (self.paragraph or indent < TAB) and not BLOCK_START.match(line)
            return self._after_block(line)
        if self.fence:
            out = self._in_fence(line, indent)
        elif self._lazy(line, indent):
            return [line]  # a lazy continuation line of the item's paragraph: the same for both
        else:
            out = self._content(line, indent)
        return self._after_block(out)

    def _lazy(self, line: str, indent: int) -> bool:
        return (bool(self.items) and indent < self.items[-1].source and self.paragraph and _marker(line) is None
                and not BLOCK_START.match(line) and not FENCE.match(line))

    def _after_block(self, out: str) -> list[str]:
        indent = len(out) - len(out.lstrip(" "))
        if self.block is None:
            self.block = indent
        elif indent < self.block:  # an indented block (an item's later paragraph, code) has ended
            self.block = indent
            return ["", out]
        return [out]

    def _content(self, line: str, indent: int) -> str:
        closed = self._close(indent)
        base = self.items[-1] if self.items else _Item(0, 0)
        relative = indent - base.source
        marker = _marker(line)
        in_paragraph = self.paragraph and not closed  # the paragraph is this item's own, not a closed one's
        if marker is not None and relative < TAB and (not in_paragraph or INTERRUPTING_ITEM.match(line[base.source:])):
            return self._open(marker, base)
        text = line[base.source:]
        fence = FENCE.match(text) if relative < TAB else None
        self.fence = fence.group("fence") if fence else ""
        self.paragraph = not fence and (self.paragraph or relative < TAB) and not BLOCK_START.match(text)
        return " " * _continuation(base) + text

    def _in_fence(self, line: str, indent: int) -> str:
        base = self.items[-1] if self.items else _Item(0, 0)
        if indent < base.source:
            self.fence = ""
            return self._content(line, indent)  # the item has ended, and the fence with it
        text = line[base.source:]
        stripped = text.strip()
        if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
            self.fence = ""
        return " " * _continuation(base) + text

    def _close(self, indent: int) -> bool:
        """Close the items the line is not indented into; were there any?"""
        count = len(self.items)
        while self.items and indent < self.items[-1].source:
            self.items.pop()
        return len(self.items) < count

    def _open(self, marker: re.Match[str], base: _Item) -> str:
        gap = len(marker.group("gap"))
        rest = marker.group("rest")
        if not rest or gap > TAB:  # an empty item, or one that starts with indented code
            gap, rest = 1, marker.group("gap")[1:] + rest
        self.items.append(_Item(len(marker.group("indent")) + len(marker.group("marker")) + gap, base.output + TAB))
        self.paragraph = bool(rest.strip())
        return " " * base.output + marker.group("marker") + " " + rest


def _continuation(item: _Item) -> int:
    """Where an item's later lines go. In the block of its marker Python-Markdown gives every
    line to the item as it is, so they go where the marker is, where a quote or a fence still
    starts; after a blank line they must be indented by four."""
    return item.output - TAB if item.fresh and item.output else item.output


def _marker(line: str) -> re.Match[str] | None:
    match = LIST_MARKER.fullmatch(line)
    if match is None or (not match.group("gap") and match.group("rest")) or THEMATIC_BREAK.fullmatch(line):
        return None
    return match


def reindent(lines: list[str]) -> list[str]:
    """GitHub's list indentation, relative to each item's marker, written as Python-Markdown's:
    four spaces a level. Lines outside lists are left as they are."""
    state = _Reindent()
    return [out for line in lines for out in state.line(line)]


class _ListIndentation(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return reindent(lines)


class _QuoteProcessor(BlockQuoteProcessor):
    """Block quotes, with the lists in them indented as at the top level; quotes with a blank
    line between them are two quotes, not one."""

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks[0]
        match = self.RE.search(block)
        if match and match.start() > 0:  # lines before the quote: a paragraph of their own
            blocks[0:1] = [block[:match.start()], block[match.start():]]
            self.parser.parseBlocks(parent, [blocks.pop(0)])
        lines = [self.clean(line) for line in blocks.pop(0).split("\n")]
        quote = etree.SubElement(parent, "blockquote")  # a blank line ends a quote: the next is another
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, "\n".join(reindent(lines)))
        self.parser.state.reset()


class _ParagraphBreaks(BlockProcessor):
    """A paragraph ends where a list, a table or a fenced code block starts, as on GitHub, without
    a blank line (Python-Markdown would read their lines as more of the paragraph)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return _split_at(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        at = _split_at(block)
        assert at is not None
        lines = block.split("\n")
        blocks[0:0] = ["\n".join(lines[:at]), "\n".join(lines[at:])]
        return False  # the paragraph processor takes the first part


def _split_at(block: str) -> int | None:
    """The line where a paragraph's block should be split, if any."""
    if "\n" not in block or not (BREAK_HINT.search(block) or block.lstrip().startswith("\x02")):
        return None
    lines = block.split("\n")
    if len(lines) > 1 and HTML_PLACEHOLDER_RE.fullmatch(lines[0].strip()):
        return 1  # a fence (stashed by superfences), then text
    for number, line in enumerate(lines[1:], 1):
        if INTERRUPTING_ITEM.match(line) and not THEMATIC_BREAK.fullmatch(line):
            return number
        if HTML_PLACEHOLDER_RE.fullmatch(line.strip()):
            return number
        if number + 1 < len(lines) and _table_starts(line, lines[number + 1]):
            return number
    return None


def _table_starts(header: str, delimiter: str) -> bool:
    """A header row and the row of dashes under it, with as many cells."""
    if "|" not in delimiter or not TABLE_DELIMITER_ROW.fullmatch(delimiter):
        return False
    return _cells(header) == _cells(delimiter)


def _cells(row: str) -> int:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return len(CELL_BORDER.split(row))


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
        md.ESCAPED_CHARS.extend(c for c in ASCII_PUNCTUATION if c not in md.ESCAPED_CHARS)  # `\~`, `\<`, ...
        md.preprocessors.register(_ListIndentation(md), "gfm-list-indentation", 27)  # after tabs are spaces
        md.parser.blockprocessors.register(_QuoteProcessor(md.parser), "quote", 20)
        md.parser.blockprocessors.register(_ParagraphBreaks(md.parser), "gfm-paragraph-breaks", 11)
        # two spaces or, as on GitHub, a backslash at the end of a line: one pattern for both
        md.inlinePatterns.register(SubstituteTagInlineProcessor(LINE_BREAK, "br"), "linebreak", 100)
        md.inlinePatterns.register(SimpleTagInlineProcessor(STRUCK, "del"), "gfm-strikethrough", 65)
        md.treeprocessors.register(_PlainOrderedLists(md), "gfm-plain-ordered-lists", 5)
