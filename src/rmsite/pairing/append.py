"""Suggested pairs as cohort-file YAML, and appending them to a cohort file.

The file is edited as text: the new entries are inserted after the last
pair (or as a new `pairs:` key after the last key), so every byte before
and after the inserted block stays as it was: comments, order, quoting,
flow lists and indentation. The result is parsed again and compared with
the original before it replaces the file, atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rmsite.core.hashing import atomic_write
from rmsite.pairing.suggest import SuggestedPair

WIDTH = 2**31 - 1  # never fold a line
BOM = "\ufeff"


class AppendError(Exception):
    """The cohort file cannot be edited safely; nothing was written."""


def pair_entry(pair: SuggestedPair) -> dict[str, Any]:
    """The pair as a cohort file's `pairs:` entry: proposed (on no public page) until it is
    signed off and made active."""
    entry: dict[str, Any] = {"id": pair.id} if pair.id else {}
    return {**entry, "mentor": pair.mentor, "mentee": pair.mentee, "focus": list(pair.focus),
            "status": "proposed", "approved_by": []}


def comment(text: str) -> str:
    """A one-line YAML comment."""
    return "# " + " ".join(text.split())


def pair_comment(pair: SuggestedPair) -> str:
    return comment(f"suggested by rmsite match, score {pair.score}: {pair.reason}")


def block_entry(pair: SuggestedPair, dash: int, inner: int) -> list[str]:
    """The pair as block-sequence lines: '-' at column `dash`, keys at column `inner`."""
    dumped = yaml.safe_dump([pair_entry(pair)], default_flow_style=None, sort_keys=False,
                            allow_unicode=True, width=WIDTH).splitlines()
    lines = [" " * dash + pair_comment(pair), " " * dash + "-" + " " * (inner - dash - 1) + dumped[0][2:]]
    return lines + [" " * inner + line[2:] for line in dumped[1:]]


def flow_entry(pair: SuggestedPair) -> str:
    """The pair as a one-line flow mapping, for a `pairs:` list written in [...]."""
    return yaml.safe_dump(pair_entry(pair), default_flow_style=True, sort_keys=False,
                          allow_unicode=True, width=WIDTH).strip()


def pairs_block(pairs: tuple[SuggestedPair, ...], dash: int = 2, inner: int = 4) -> list[str]:
    """Every pair as block-sequence lines."""
    return [line for pair in pairs for line in block_entry(pair, dash, inner)]


@dataclass(frozen=True)
class Insertion:
    """Replace text[start:end] (usually empty) with `text`."""

    start: int
    end: int
    text: str


def compose_root(text: str, loader: type = yaml.SafeLoader) -> yaml.MappingNode:
    """A cohort file's node tree (where each value starts and ends), whose top level must be a
    block mapping for an edit to be safe."""
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise AppendError(f"the file is not valid YAML ({exc})") from exc
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise AppendError("the file's top level is not a block mapping of keys to values")
    return root


def append_pairs(text: str, pairs: tuple[SuggestedPair, ...]) -> str:
    """The cohort file's text with the pairs appended to its `pairs:` list."""
    if not pairs:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    root = compose_root(text)
    values = {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
    existing = values.get("pairs")
    if existing is None:
        insertion = new_key(text, root, pairs, newline)
    elif not isinstance(existing, yaml.SequenceNode):
        raise AppendError("'pairs' is not a list")
    elif existing.flow_style and existing.value:
        at = existing.value[-1].end_mark.index
        insertion = Insertion(at, at, "".join(f", {flow_entry(pair)}" for pair in pairs))
    elif existing.flow_style:
        insertion = empty_flow(text, root, existing, pairs, newline)
    else:
        last = existing.value[-1]
        dash = dash_column(text, last)
        at = line_end(text, leaf_end(last), newline)
        insertion = Insertion(at.index, at.index, at.prefix + newline.join(
            pairs_block(pairs, dash, last.start_mark.column)) + newline)
    result = text[:insertion.start] + insertion.text + text[insertion.end:]
    verify(text, result, pairs)
    return result


def new_key(text: str, root: yaml.MappingNode, pairs: tuple[SuggestedPair, ...], newline: str) -> Insertion:
    """A `pairs:` key after the file's last key, indented like `people:`."""
    column = root.value[0][0].start_mark.column
    dash, inner = list_indent(text, root, column)
    at = line_end(text, leaf_end(root.value[-1][1]), newline)
    lines = [" " * column + "pairs:"] + pairs_block(pairs, dash, inner)
    return Insertion(at.index, at.index, at.prefix + newline.join(lines) + newline)


def empty_flow(text: str, root: yaml.MappingNode, existing: yaml.SequenceNode,
               pairs: tuple[SuggestedPair, ...], newline: str) -> Insertion:
    """`pairs: []` becomes `pairs:` followed by the list (any comment on the line stays)."""
    start = existing.start_mark.index
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    key = next(k for k, v in root.value if v is existing)
    dash, inner = list_indent(text, root, key.start_mark.column)
    at = line_end(text, existing.end_mark.index, newline)
    rest_of_line = text[existing.end_mark.index:at.index]
    return Insertion(start, at.index, rest_of_line + at.prefix + newline.join(pairs_block(pairs, dash, inner))
                     + newline)


def list_indent(text: str, root: yaml.MappingNode, key_column: int) -> tuple[int, int]:
    """The '-' and key columns for a new list under a key at `key_column`: as the file's
    `people:` list sits under its key, else two and four columns further in."""
    for key, people in root.value:
        if key.value == "people" and isinstance(people, yaml.SequenceNode) and not people.flow_style and people.value:
            shift = key_column - key.start_mark.column
            return dash_column(text, people.value[0]) + shift, people.value[0].start_mark.column + shift
    return key_column + 2, key_column + 4


def dash_column(text: str, item: yaml.Node) -> int:
    """The column of the '-' that introduces a block sequence item."""
    index = text.rfind("-", 0, item.start_mark.index)
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return index - line_start


def leaf_end(node: yaml.Node) -> int:
    """Where the last scalar or flow collection inside a node ends."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node.end_mark.index


@dataclass(frozen=True)
class LineEnd:
    index: int
    prefix: str  # a line break to add first when the file does not end with one


def line_end(text: str, index: int, newline: str) -> LineEnd:
    """The start of the line after `index` (past any comment on its line)."""
    if index > 0 and text[index - 1] == "\n":
        return LineEnd(index, "")
    found = text.find("\n", index)
    if found == -1:
        return LineEnd(len(text), newline)
    return LineEnd(found + 1, "")


def verify(before: str, after: str, pairs: tuple[SuggestedPair, ...]) -> None:
    """The edited text must hold the same data plus exactly the new pairs."""
    try:
        old, new = yaml.safe_load(before), yaml.safe_load(after)
    except yaml.YAMLError as exc:
        raise AppendError(f"the edited file would not be valid YAML ({exc})") from exc
    expected = {**old, "pairs": list(old.get("pairs") or []) + [pair_entry(pair) for pair in pairs]}
    if new != expected or list(new) != list(expected):
        raise AppendError("the pairs could not be appended without changing other values")


def write_pairs(file: Path, pairs: tuple[SuggestedPair, ...]) -> bool:
    """Append the pairs to a cohort file in place, atomically (a symbolic link's target, if the
    file is a link); False when there is nothing to add."""
    if not pairs:
        return False
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AppendError("the file is not UTF-8 text") from exc
    bom = BOM if text.startswith(BOM) else ""
    result = bom + append_pairs(text[len(bom):], pairs)
    # through a symbolic link to the file it names: the link (and where it leads) stays as it is
    atomic_write(file.resolve(), result.encode("utf-8"), durable=True, keep_mode=True)
    return True
