"""The cohort file edited as text: new items at the end of their list, in the file's own
indentation, and replaced items rewritten where they are; every other byte (comments, key
order, quoting, blank lines) stays as it was. The result is parsed again and must hold
exactly the data intended, or nothing is written."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from rmsite.importing.merge import Append, Plan, Replace
from rmsite.model.document import KeyPath
from rmsite.pairing.append import (
    AppendError,
    Insertion,
    LineEnd,
    compose_root,
    dash_column,
    leaf_end,
    line_end,
    list_indent,
)

WIDTH = 2**31 - 1  # never fold a line
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML has it: ten times faster
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


EditError = AppendError  # the cohort file cannot be edited safely; nothing is written (as for rmsite match --write)


class _Dumper(DUMPER):  # type: ignore[misc,valid-type]
    """YAML as a person writes it: text of several lines as a `|` block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:  # a C dumper has the same method
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_block(data: dict[str, Any], dash: int, inner: int) -> list[str]:
    """An item as block-sequence lines: '-' at column `dash`, its keys at column `inner`, a key
    a line (a list of words or the scores on one line, as `[a, b]` and `{x: 1}`)."""
    dumped: list[str] = []
    for key, value in data.items():
        simple = _simple(value)
        if simple is not None:
            dumped.append(f"{key}: {simple}")
            continue
        dumped += yaml.dump({key: value}, Dumper=_Dumper, default_flow_style=None if isinstance(value, list | dict)
                            else False, sort_keys=False, allow_unicode=True, width=WIDTH).splitlines()
    first = " " * dash + "-" + " " * max(1, inner - dash - 1) + dumped[0]
    return [first] + [(" " * inner + line) if line.strip() else "" for line in dumped[1:]]


def dump_flow(value: Any) -> str:
    return str(yaml.dump(value, Dumper=_Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True,
                         width=WIDTH)).strip().removesuffix("...").strip()


PLAIN = re.compile(r"[A-Za-z][\w .'()/&+-]*[\w.)]|[A-Za-z]")  # text YAML reads back as the same text
NOT_TEXT = frozenset({"yes", "no", "y", "n", "on", "off", "true", "false", "null"})


def _simple(value: Any, in_flow: bool = False) -> str | None:
    """A value as YAML writes it, for the common cases (a number, a date, a word or a phrase,
    a list of them, the scores), without PyYAML's emitter, which is slow; None for the rest.
    The edit is read back and compared, so a mistake here writes nothing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | dt.date):
        return str(value)
    if isinstance(value, str):
        ok = PLAIN.fullmatch(value) and value.casefold() not in NOT_TEXT and not (in_flow and "," in value)
        return value if ok else None
    if isinstance(value, list) and not in_flow:
        items = [_simple(item, True) for item in value]
        return None if None in items else "[" + ", ".join(str(i) for i in items) + "]"
    if isinstance(value, dict) and not in_flow:
        pairs = [(k, _simple(v, True)) for k, v in value.items()]
        if all(isinstance(k, str) and re.fullmatch(r"[A-Za-z]\w*", k) and k.casefold() not in NOT_TEXT
               and v is not None for k, v in pairs):
            return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return None


def apply_plan(text: str, plan: Plan) -> str:
    """The text with the plan's items added and replaced, verified (PyYAML reads both texts)."""
    result = edit_text(text, plan)
    if result != text:
        verify(yaml.load(text, Loader=LOADER), _load(result), plan)
    return result


def edit_text(text: str, plan: Plan) -> str:
    """The text with the plan's items added and replaced, to be verified by `verify`."""
    if not plan.appends and not plan.replaces:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    root = compose_root(text, LOADER)
    changes = [_replace(text, root, r, newline) for r in plan.replaces]
    changes += [_append(text, root, a, newline) for a in plan.appends]
    result = text
    for change in sorted(changes, key=lambda c: (c.start, c.end), reverse=True):
        result = result[:change.start] + change.text + result[change.end:]
    return result


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        raise EditError(f"the edited file would not be valid YAML ({exc})") from exc


def _node(root: yaml.Node, path: KeyPath) -> yaml.Node | None:
    node: yaml.Node | None = root
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def _replace(text: str, root: yaml.Node, replace: Replace, newline: str) -> Insertion:
    node = _node(root, replace.path)
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"the item to replace at {'/'.join(map(str, replace.path))} is not a mapping")
    if node.flow_style:
        return Insertion(node.start_mark.index, node.end_mark.index, dump_flow(replace.data))
    inner = node.start_mark.column
    dash = dash_column(text, node)
    lines = dump_block(replace.data, dash, inner)
    at = line_end(text, leaf_end(node), newline)
    return Insertion(node.start_mark.index, _content_end(text, at.index), "".join(line + newline for line in [lines[0][inner:]] + lines[1:]))


def _content_end(text: str, index: int) -> int:
    """Where the line after `index`'s content starts, before any blank lines that follow it (a
    folded `>-` text ends past them): new items go right after the last one, and the blank line
    between the list and the next key stays there."""
    while True:
        previous = text.rfind("\n", 0, index - 1)
        if index < 2 or text[index - 1] != "\n" or text[previous + 1:index].strip():
            return index
        index = previous + 1


def _spaced(text: str, before: yaml.Node, last: yaml.Node) -> bool:
    """Whether the list's last two items have a blank line between them (the new ones will too)."""
    end = _content_end(text, line_end(text, leaf_end(before), "\n").index)
    dash_line = text.rfind("\n", 0, last.start_mark.index) + 1
    return any(not line.strip() for line in text[end:dash_line].splitlines())


def _append(text: str, root: yaml.MappingNode, append: Append, newline: str) -> Insertion:
    parent = _node(root, append.path[:-1])
    name = str(append.path[-1])
    if not isinstance(parent, yaml.MappingNode):
        raise EditError(f"{'/'.join(map(str, append.path[:-1])) or 'the file'} is not a mapping")
    pairs = [(k, v) for k, v in parent.value if isinstance(k, yaml.ScalarNode) and k.value == name]
    if parent.flow_style:  # {mentor: a, mentee: b}: the list goes in, as a flow list
        if pairs:
            key, existing = pairs[0]
            if isinstance(existing, yaml.SequenceNode) and existing.flow_style:
                items = ", ".join(dump_flow(item) for item in append.items)
                if existing.value:
                    at = existing.value[-1].end_mark.index
                    return Insertion(at, at, ", " + items)
                return Insertion(existing.start_mark.index, existing.end_mark.index, f"[{items}]")
            raise EditError(f"'{name}' in a one-line mapping is not a one-line list")
        close = parent.end_mark.index - 1
        return Insertion(close, close, f", {name}: [{', '.join(dump_flow(item) for item in append.items)}]")
    if not pairs:
        column = parent.value[0][0].start_mark.column
        dash, inner = list_indent(text, root, column)
        at = line_end(text, leaf_end(parent.value[-1][1]), newline)
        at = LineEnd(_content_end(text, at.index), at.prefix)
        lines = [" " * column + f"{name}:"] + [line for item in append.items for line in dump_block(item, dash, inner)]
        return Insertion(at.index, at.index, at.prefix + newline.join(lines) + newline)
    key, existing = pairs[0]
    if isinstance(existing, yaml.SequenceNode) and existing.value and not existing.flow_style:
        last = existing.value[-1]
        dash = dash_column(text, last)
        spaced = len(existing.value) > 1 and _spaced(text, existing.value[-2], last)
        lines = [line for item in append.items for line in [""] * spaced + dump_block(item, dash, last.start_mark.column)]
        at = line_end(text, leaf_end(last), newline)
        index = _content_end(text, at.index)
        return Insertion(index, index, at.prefix + newline.join(lines) + newline)
    if isinstance(existing, yaml.SequenceNode) and existing.flow_style and existing.value:
        at = existing.value[-1].end_mark.index
        return Insertion(at, at, "".join(", " + dump_flow(item) for item in append.items))
    empty = (isinstance(existing, yaml.SequenceNode) and not existing.value) or (
        isinstance(existing, yaml.ScalarNode) and existing.tag == "tag:yaml.org,2002:null")
    if not empty:
        raise EditError(f"'{name}' is not a list")
    dash, inner = list_indent(text, root, key.start_mark.column)
    start = end = key.end_mark.index + 1  # just after the colon
    if isinstance(existing, yaml.SequenceNode):  # [] goes
        start, end = existing.start_mark.index, existing.end_mark.index
        while text[start - 1] in " \t":
            start -= 1
    at = line_end(text, end, newline)
    rest = text[end:at.index]  # a comment on the key's line stays
    lines = [line for item in append.items for line in dump_block(item, dash, inner)]
    return Insertion(start, at.index, rest + at.prefix + newline.join(lines) + newline)


def verify(old: Any, new: Any, plan: Plan) -> None:
    """The edited file's data (`new`) must be the old data with exactly the plan's changes."""
    if new != with_changes(old, plan):
        raise EditError("the items could not be written without changing other values")


def with_changes(old: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The old data with the plan's items replaced and added, copying only the mappings and
    lists on the way to them (all else is shared with `old`, which is left as it is)."""
    root = dict(old)
    copied: dict[KeyPath, Any] = {(): root}

    def container(path: KeyPath) -> Any:
        if path not in copied:
            parent = container(path[:-1])
            value = parent[path[-1]]
            parent[path[-1]] = copied[path] = dict(value) if isinstance(value, dict) else list(value)
        return copied[path]

    for replace in plan.replaces:
        container(replace.path[:-1])[replace.path[-1]] = replace.data
    for append in plan.appends:
        parent = container(append.path[:-1])
        if isinstance(parent.get(append.path[-1]), list):
            items = container(append.path)
        else:
            items = parent[append.path[-1]] = copied[append.path] = []
        items.extend(append.items)
    return root
