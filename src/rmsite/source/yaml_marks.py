"""YAML text to plain data with the line and column of every key and value.

Bounded against hostile input: characters YAML does not allow, nesting depth
and the number of values (aliases counted as what they expand to) are
reported as located problems, never raised. Parses text only; reading files
is load.py's job."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from rmsite.core.hashing import text_digest
from rmsite.core.problems import Loc, Problem
from rmsite.model.document import KeyPath, YamlDoc
from rmsite.source.redact import Redacted, is_private
from rmsite.source.value_hints import date_hint
from rmsite.source.yaml_errors import LimitError, syntax_problem, text_loc
from rmsite.source.yaml_lines import is_private_line, line_key

try:
    from yaml._yaml import CParser  # libyaml: the same events and marks, many times faster

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover
    HAVE_LIBYAML = False

MAX_YAML_NODES = 500_000  # values in one file, aliases counted as what they expand to
MAX_YAML_DEPTH = 50  # the format itself needs 7 levels
LIBYAML_DEPTH = "maximum nesting depth"  # libyaml 0.2.5's own bound (1,000 levels), scanned before our 50
# what YAML allows in a document (PyYAML's own rule): no control characters but tab and newlines
NOT_YAML_TEXT = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
MERGE_TAG = "tag:yaml.org,2002:merge"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BOOL_TAG = "tag:yaml.org,2002:bool"
COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass(frozen=True)
class MarkedDoc(YamlDoc):
    """A parsed document that also keeps the words YAML read as true or false other than
    true and false themselves (yes, no, on, off), by key path: a message can then say what
    was written."""

    bool_words: dict[KeyPath, str] = field(default_factory=dict)


def bool_word(value: bool, written: str) -> str:
    """What was written for a value YAML read as true or false, when not `true` or `false`."""
    return written if written.lower() != str(value).lower() else ""


def parse_yaml(text: str, rel: str, first_line: int = 1) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document into plain data with marks; first_line is the
    file line the text starts on (front matter starts after `---`).

    Hostile input is bounded: nesting depth, the number of values (aliases
    counted as what they expand to) and characters YAML does not allow are
    reported as located problems, never raised."""
    offset = first_line - 1
    bad_char = NOT_YAML_TEXT.search(text)
    if bad_char:
        line, column = text_loc(text, bad_char.start())
        return None, [Problem(rel, line + offset, column, "error",
                              f"the character U+{ord(bad_char.group()):04X} is not allowed in YAML; remove it")]
    fast = plain_document(text, first_line - 1)
    if fast is not None:
        data, value_marks, key_marks, bool_words = fast
        return MarkedDoc(rel, data, value_marks, key_marks, digest=text_digest(text, first_line),
                         bool_words=bool_words), []
    try:
        loader, node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, rel, offset)]
    except yaml.YAMLError as exc:  # not expected past the character check: still a located problem
        return None, [Loc(rel, first_line).error(f"invalid YAML: {str(exc).splitlines()[0]}")]
    try:
        if node is None:
            return MarkedDoc(rel, None, digest=text_digest(text, first_line)), []
        builder = _Builder(rel, loader, offset, text.split("\n"))
        try:
            data = builder.build(node, ())
        except _TooLarge as exc:
            return None, [Problem(rel, exc.line, exc.column, "error",
                                  f"YAML expands to more than {MAX_YAML_NODES:,} values (too many aliases?); "
                                  "write the values out or split the file")]
        return (MarkedDoc(rel, data, builder.value_marks, builder.key_marks, frozenset(builder.bad_values),
                          text_digest(text, first_line), builder.bool_words), builder.problems)
    finally:
        loader.dispose()


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    """The loader (to be disposed of) and the text's node tree, composed from libyaml's events;
    from PyYAML's own parser when libyaml's bound on nesting (LIBYAML_DEPTH) stops it before
    ours, so that ours is reported where it is crossed."""
    try:
        return _compose_with(_Loader, text)
    except yaml.MarkedYAMLError as exc:
        if _Loader is _PyLoader or LIBYAML_DEPTH not in str(exc.problem):
            raise
    return _compose_with(_PyLoader, text)


def _compose_with(make: type[Any], text: str) -> tuple[Any, yaml.Node | None]:
    loader = make(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


STR_TAG = "tag:yaml.org,2002:str"
# what a double-quoted escape can put in text that no page, calendar or JSON file should hold:
# control characters but tab and line feed (a lone carriage return among them), DEL and C1
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_NAMES = {"\x1b": "ESC", "\x07": "BEL", "\x7f": "DEL", "\r": "CR", "\x00": "NUL", "\x08": "BS"}
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))


def plain_document(text: str, offset: int, depth: int = 0) -> tuple[Any, dict[KeyPath, tuple[int, int]],
                                                                    dict[KeyPath, tuple[int, int]],
                                                                    dict[KeyPath, str]] | None:
    """The data, marks and words read as true or false (MarkedDoc) of a plain document in one pass over libyaml's events, without
    composing nodes: most files are plain, and this is several times faster. Plain means
    one document of mappings, lists and scalars of the standard types, with no anchors,
    aliases, tags or merge keys, no duplicate key, within the bounds, and nothing that is a
    problem. For anything else it returns None and the composer below parses the text,
    so problems are always reported one way. Tests check that both give the same result.
    `depth` is how deep in a larger document the text's value is."""
    if not HAVE_LIBYAML:  # pragma: no cover
        return None
    loader = _Loader(text)
    get, resolve = loader.get_event, loader.resolve
    value_marks: dict[KeyPath, tuple[int, int]] = {}
    key_marks: dict[KeyPath, tuple[int, int]] = {}
    bool_words: dict[KeyPath, str] = {}
    stack: list[list[Any]] = []  # open collections: [value, path, is mapping, key awaiting its value]
    count = 0
    root: Any = None
    try:
        if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
            return None
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                if stack:
                    continue
                break
            if kind is not yaml.ScalarEvent and kind is not yaml.MappingStartEvent \
                    and kind is not yaml.SequenceStartEvent:
                return None  # an alias, or a document with no value
            if event.anchor is not None or event.tag is not None or len(stack) + depth >= MAX_YAML_DEPTH:
                return None
            mark = event.start_mark
            where = (mark.line + 1 + offset, mark.column + 1)
            if stack:
                frame = stack[-1]
                parent = frame[0]
                if frame[2]:
                    key = frame[3]
                    if key is None:  # this value is a key
                        if kind is not yaml.ScalarEvent:
                            return None
                        key = event.value
                        if key in parent or (key == "<<" and event.implicit[0]):  # a repeated key, a merge key
                            return None
                        count += 1  # a key is a node too, as the composer counts them
                        if count > MAX_YAML_NODES:
                            return None
                        frame[3] = key
                        key_marks[(*frame[1], key)] = where
                        continue
                    frame[3] = None
                    path = (*frame[1], key)
                else:
                    path = (*frame[1], len(parent))
            else:
                parent, path = None, ()
            count += 1
            if count > MAX_YAML_NODES:
                return None
            value_marks.setdefault(path, where)
            if kind is yaml.ScalarEvent:
                tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                if tag == STR_TAG:
                    value = event.value
                    if event.style == '"' and CONTROL.search(value):  # an escape such as \\e: reported below
                        return None
                elif tag in PLAIN_TAGS:
                    value = loader.construct_object(yaml.ScalarNode(tag, event.value, mark, event.end_mark,
                                                                    event.style))
                    if tag == BOOL_TAG and bool_word(value, event.value):
                        bool_words[path] = event.value
                else:
                    return None
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            if parent is None:
                root = value
            elif type(parent) is dict:
                parent[path[-1]] = value
            else:
                parent.append(value)
            if kind is not yaml.ScalarEvent:
                stack.append([value, path, kind is yaml.MappingStartEvent, None])
            elif parent is None:
                break
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            return None
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        return None
    finally:
        loader.dispose()
    return root, value_marks, key_marks, bool_words


class _BoundedComposer(Composer):
    """PyYAML's composer with a depth and size bound, keeping where each alias is used."""

    depth = 0
    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[attr-defined]  # the Parser's, mixed in with this class
        if isinstance(event, yaml.AliasEvent):
            return _Alias(cast(yaml.Node, super().compose_node(parent, index)), event.start_mark, str(event.anchor))
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise LimitError(None, None, f"the file holds more than {MAX_YAML_NODES:,} values; "
                              "split it into smaller files", event.start_mark)
        if self.depth >= MAX_YAML_DEPTH:
            raise LimitError(None, None, f"values are nested more than {MAX_YAML_DEPTH} levels deep",
                              event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PyLoader(Reader, Scanner, Parser, _BoundedComposer, SafeConstructor, Resolver):
    """PyYAML's own parser: for PyYAML built without libyaml, and for text nested past
    libyaml's bound (LIBYAML_DEPTH), so that ours is reported where it is crossed."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_Loader: type[Any] = _PyLoader
if HAVE_LIBYAML:
    class _CLoader(_BoundedComposer, CParser, SafeConstructor, Resolver):  # libyaml's fast parser
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
    _Loader = _CLoader


@dataclass(frozen=True)
class _Alias:
    """A use of an anchored node (`*name`), where it is used."""

    target: yaml.Node
    start_mark: Any
    anchor: str


class _TooLarge(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _value_message(node: yaml.ScalarNode, path: KeyPath, reason: str) -> str:
    """The message for a value YAML could not make: a date that does not exist (said with its key,
    and the date meant when the day and month look swapped), a number too long; a private
    field's value is never shown."""
    key = next((f"'{part}': " for part in reversed(path) if isinstance(part, str)), "")
    private = is_private(path)
    shown = str(Redacted(node.value)) if private else f"'{_short(node.value)}'"
    if "digits" in reason:  # Python's bound on converting long numbers
        return f"{key}invalid number {shown}: it has {len(node.value):,} digits"
    if node.tag == TIMESTAMP_TAG:
        if private:
            return f"{key}YAML reads this value as a date, and it is not one; put text in quotes"
        hint = date_hint(node.value)
        return f"{key}{hint}" if hint else f"{key}invalid date {shown}: {reason}"
    if node.tag.startswith("tag:yaml.org,2002:") and "constructor" not in reason:
        return f"{key}invalid value {shown}: {reason}"
    return f"unsupported tag '{node.tag}' on the value {shown}; remove the tag"


class _Builder:
    """Turns a composed YAML node tree into dicts, lists and scalars."""

    def __init__(self, rel: str, loader: Any, offset: int, lines: list[str]) -> None:
        self.rel = rel
        self.loader = loader
        self.offset = offset
        self.lines = lines
        self.bool_words: dict[KeyPath, str] = {}
        self.value_marks: dict[KeyPath, tuple[int, int]] = {}
        self.key_marks: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.bad_values: set[KeyPath] = set()
        self.memo: dict[int, Any] = {}  # node id -> built value, so an alias is built once
        self.sizes: dict[int, int] = {}  # node id -> values it holds, aliases expanded
        self.building: set[int] = set()
        self.bad_nodes: set[int] = set()
        self.count = 0  # values so far, aliases counted as what they expand to

    def mark(self, node: yaml.Node | _Alias) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def build(self, node: yaml.Node | _Alias, path: KeyPath) -> Any:
        self.value_marks.setdefault(path, self.mark(node))
        if isinstance(node, _Alias):
            return self._alias(node, path)
        before = self.count
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise _TooLarge(*self.mark(node))
        self.building.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in COLLECTION_TAGS:
            line, column = self.mark(node)
            self.problems.append(Problem(self.rel, line, column, "error",
                                         f"unsupported tag '{node.tag}'; remove the tag"))
            self.bad_values.add(path)
            self.bad_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            value: Any = {}
            self.memo[id(node)] = value
            self._fill_mapping(value, node, path)
        elif isinstance(node, yaml.SequenceNode):
            value = []
            self.memo[id(node)] = value
            value.extend(self.build(item, path + (i,)) for i, item in enumerate(node.value))
        else:
            value = self._scalar(cast(yaml.ScalarNode, node), path)
            self.memo[id(node)] = value
        self.building.discard(id(node))
        self.sizes[id(node)] = self.count - before
        return value

    def _alias(self, alias: _Alias, path: KeyPath) -> Any:
        """The anchored value again: built once, counted each time it is used."""
        key = id(alias.target)
        if key in self.building:
            line, column = self.mark(alias)
            self.problems.append(Problem(self.rel, line, column, "error",
                                         f"the alias '*{alias.anchor}' is used inside the value it names"))
            self.bad_values.add(path)
            return None
        if key not in self.memo:  # an anchor defined in a merge key or in a key
            return self.build(alias.target, path)
        self.count += self.sizes[key]
        if self.count > MAX_YAML_NODES:
            raise _TooLarge(*self.mark(alias))
        if key in self.bad_nodes:
            self.bad_values.add(path)
        return self.memo[key]

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        if node.style == '"' and CONTROL.search(node.value):
            char = CONTROL.search(node.value)[0]  # type: ignore[index]  # searched just above
            line, column = self.mark(node)
            key = next((f"'{part}': " for part in reversed(path) if isinstance(part, str)), "")
            self.problems.append(Problem(self.rel, line, column, "error", (
                f"{key}a control character ({CONTROL_NAMES.get(char, f'U+{ord(char):04X}')}) in text, written as "
                "an escape in quotes; it would reach pages, calendars and JSON as it is: remove it")))
            self.bad_values.add(path)
            self.bad_nodes.add(id(node))
            return node.value
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            line, column = self.mark(node)
            reason = str(getattr(exc, "problem", None) or exc).splitlines()[0]
            self.problems.append(Problem(self.rel, line, column, "error", _value_message(node, path, reason)))
            self.bad_values.add(path)
            self.bad_nodes.add(id(node))
            return node.value
        if node.tag == BOOL_TAG and bool_word(value, node.value):
            self.bool_words[path] = node.value
        return value

    def _fill_mapping(self, target: dict[Any, Any], node: yaml.MappingNode, path: KeyPath) -> None:
        seen: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == MERGE_TAG:
                for source in self._merge_sources(value_node, path):
                    for k, v in source.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = self.mark(key_node)
                self.problems.append(Problem(self.rel, line, column, "error",
                                             "a key must be plain text, not a list, mapping or alias"))
                continue
            key = key_node.value
            line, column = self.mark(key_node)
            if key in seen:
                self.problems.append(Problem(self.rel, line, column, "error",
                                             self._duplicate(key, seen[key], line, path, node)))
                continue
            seen[key] = line
            self.key_marks[path + (key,)] = (line, column)
            target[key] = self.build(value_node, path + (key,))
        for k, v in merged.items():
            target.setdefault(k, v)

    def _duplicate(self, key: str, first: int, line: int, path: KeyPath, node: yaml.MappingNode) -> str:
        """A key given twice; when it is the first key of a list item, the '- ' a new item may lack."""
        message = f"duplicate key '{_short(key)}' (first given on line {first}); keep one of the two"
        first_key = node.value[0][0]
        if not path or not isinstance(path[-1], int) or getattr(first_key, "value", None) != key:
            return message
        index = line - 1 - self.offset
        text = self.lines[index] if 0 <= index < len(self.lines) else ""
        shown = line_key(text)
        fixed = (f": - {text.strip()}" if shown is not None and shown[1] == key and not text.lstrip().startswith("-")
                 and not is_private_line(self.lines, index) and len(text) <= 120 else "")
        return f"{message}, or, if a new item of the list starts here, begin it with '- '{fixed}"

    def _merge_sources(self, node: yaml.Node | _Alias, path: KeyPath) -> list[dict[Any, Any]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        sources = []
        for item in nodes:
            value = self.build(item, path)
            if isinstance(value, dict):
                sources.append(value)
            else:
                line, column = self.mark(item)
                self.problems.append(Problem(self.rel, line, column, "error",
                                             "a merge key '<<' must refer to a mapping"))
        return sources
