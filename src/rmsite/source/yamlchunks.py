"""Reading a large YAML file again after a small edit, as the preview server does
with cohort files: each item of the file's top-level lists (its people, its pairs)
is parsed on its own and remembered by its text, so an edit to one pair parses
that pair again, not the whole file.

This holds only for a plain layout: top-level keys at the start of a line, each
list item starting with `-` at one indentation and everything in it indented
deeper, and plain documents (see yamlmarks.plain_document). For anything else,
and whenever a piece does not read as one item, the whole text goes to
yamlmarks.parse_yaml; tests check that both give the same result."""

from __future__ import annotations

import functools
import re
from typing import Any

from rmsite.core.hashing import text_digest
from rmsite.core.problems import Problem
from rmsite.model.document import KeyPath, YamlDoc
from rmsite.source.yaml_marks import MAX_YAML_NODES, NOT_YAML_TEXT, parse_yaml, plain_document

ListMemo = dict[Any, Any]  # an item's text -> what plain_document made of it; where it is -> its marks
Items = list[tuple[int, str]]  # (index of the item's first line, its text)
Lists = list[tuple[str, int, Items]]  # (a top-level key, its line, the items of its list)


def parse_yaml_lists(text: str, rel: str, memo: ListMemo) -> tuple[YamlDoc | None, list[Problem]]:
    """parse_yaml's result, with the items of top-level lists taken from `memo` when their
    text is unchanged; `memo` then holds this text's items."""
    split = split_lists(text) if not NOT_YAML_TEXT.search(text) else None
    whole = plain_document(split[0], 0) if split is not None else None
    if split is None or whole is None or not isinstance(whole[0], dict):
        return parse_yaml(text, rel)
    data, value_marks, key_marks = whole
    fresh: ListMemo = {}
    for key, key_line, items in split[1]:
        if data.get(key, "") is not None or key_marks[(key,)][0] != key_line:
            return parse_yaml(text, rel)  # the key is not where the layout says: inside a quoted value, say
        first_line, first_text = items[0]
        value_marks[(key,)] = (first_line + 1, len(first_text) - len(first_text.lstrip(" ")) + 1)
        values = []
        for number, (line, item) in enumerate(items):
            parsed = fresh.get(item) or memo.get(item) or plain_document(item, 0, depth=1)
            if parsed is None or not isinstance(parsed[0], list) or len(parsed[0]) != 1:
                return parse_yaml(text, rel)
            fresh[item] = parsed
            values.append(parsed[0][0])
            where = (key, number, line, item)  # an item's marks are placed again only when it moved
            placed = fresh[where] = memo.get(where) or (_placed(parsed[1], where), _placed(parsed[2], where))
            value_marks.update(placed[0])
            key_marks.update(placed[1])
        data[key] = values
    if len(value_marks) + len(key_marks) > MAX_YAML_NODES:  # in a plain document, a mark per value and key
        return parse_yaml(text, rel)
    memo.clear()
    memo.update(fresh)
    return YamlDoc(rel, data, value_marks, key_marks, digest=text_digest(text)), []


def _placed(marks: dict[KeyPath, tuple[int, int]], where: tuple[str, int, int, str]
            ) -> dict[KeyPath, tuple[int, int]]:
    """An item's marks as the whole file has them: under the list's key and its number
    there, and lines counted from the item's first line."""
    key, number, line, _ = where
    return {(key, number, *path[1:]): (row + line, column) for path, (row, column) in marks.items() if path}


def split_lists(text: str) -> tuple[str, Lists] | None:
    """The text with the items of its top-level lists turned into blank lines (so every
    other line keeps its number), and those items by key; None when the layout is not plain."""
    padded = "\n" + text  # every line, the first too, starts after a line break
    if ODD_LINE.search(padded) or OTHER_BREAK.search(text):
        return None
    lists: Lists = []
    pieces: list[str] = []
    done = 0  # padded up to here is in pieces
    for key in TOP_KEY.finditer(padded):
        if key.start() + 1 < done:
            continue  # inside a list already taken
        first = FIRST_ITEM.match(padded, key.end() + 1)
        if first is None:
            continue  # a mapping or a scalar: read with the rest
        indent, begin = len(first[1]), first.start(1)
        found = (LIST_END_AT_MARGIN if indent == 0 else LINE_AT_MARGIN).search(padded, begin - 1)
        end = found.start() + 1 if found else len(padded)
        if _shallower(indent).search(padded, begin - 1, end):
            return None  # a line that this list's items cannot hold
        region = padded[begin:end]
        starts = [0] + [m.start() + 1 - begin for m in _item_start(indent).finditer(padded, begin, end)]
        line = padded.count("\n", 0, begin) - 1
        items: Items = []
        for here, after in zip(starts, starts[1:] + [len(region)]):
            items.append((line, region[here:after]))
            line += region.count("\n", here, after)
        lists.append((key[1], padded.count("\n", 0, key.start() + 1), items))
        pieces += [padded[done:begin], "\n" * region.count("\n")]
        done = end
    if not lists:
        return None
    return ("".join(pieces) + padded[done:])[1:], lists


# Patterns for whole lines start with the line break before them: much faster than ^ with re.M.
ODD_LINE = re.compile(r"\n(?:---|\.\.\.|%| *\t)")  # a document marker, a directive, a tab in indentation
TOP_KEY = re.compile(r"\n([A-Za-z_][\w-]*):[ ]*(?:#[^\n]*)?(?=\n)")  # a key whose value starts on a later line
FIRST_ITEM = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*( *)-(?: |\n)")  # comments and blank lines, then the first item
LINE_AT_MARGIN = re.compile(r"\n[^ \n#]")  # ends a list indented from the margin
LIST_END_AT_MARGIN = re.compile(r"\n(?!-(?: |\n|$))[^ \n#]")  # ends a list at the margin
OTHER_BREAK = re.compile("[\r\x85\u2028\u2029]")  # line breaks to libyaml: lines here are counted by \n


@functools.lru_cache(maxsize=16)
def _item_start(indent: int) -> re.Pattern[str]:
    return re.compile(rf"\n {{{indent}}}-(?: |\n|$)")


@functools.lru_cache(maxsize=16)
def _shallower(indent: int) -> re.Pattern[str]:
    """A line, not blank or a comment, less indented than the items, or as indented and not an item."""
    return re.compile(rf"\n(?: {{0,{indent - 1}}}[^ \n#]| {{{indent}}}(?!-(?: |\n|$))[^ \n#])" if indent
                      else r"\n(?!-(?: |\n|$))[^ \n#]")
