"""Reading source files: text with encoding checks, YAML with line/column marks,
Markdown front matter. Nothing else in rmsite reads the site's source files."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Loc, Problem

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_YAML_NODES = 500_000
MERGE_TAG = "tag:yaml.org,2002:merge"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# libyaml's parser when PyYAML was built with it (about ten times faster), else PyYAML's own
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlDoc:
    """Plain data parsed from YAML, with the mark of every value and key."""

    path: str
    data: Any
    value_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    bad_values: frozenset[KeyPath] = frozenset()  # already reported by the loader
    digest: str = ""  # a hash of the parsed text: what later stages key their caches on

    def loc(self, key_path: KeyPath = (), *, key: bool = False) -> Loc:
        """The location of the value (or, with key=True, the key) at key_path.

        Falls back to the nearest enclosing value that has a mark."""
        if key and key_path in self.key_marks:
            return Loc(self.path, *self.key_marks[key_path])
        probe = tuple(key_path)
        while True:
            if probe in self.value_marks:
                return Loc(self.path, *self.value_marks[probe])
            if probe in self.key_marks:
                return Loc(self.path, *self.key_marks[probe])
            if not probe:
                return Loc(self.path, 1, 1)
            probe = probe[:-1]


@dataclass(frozen=True)
class TextFile:
    """A decoded source file: text with newlines normalised to \\n."""

    path: str
    text: str

    @property
    def digest(self) -> str:
        return text_digest(self.text)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its front matter and body."""

    yaml_text: str | None
    yaml_first_line: int  # 1-based line of the first front-matter line
    body: str
    body_first_line: int  # 1-based line of the first body line


def read_text(file: Path, rel: str) -> tuple[TextFile | None, list[Problem]]:
    """Read a UTF-8 text file (BOM and CRLF allowed) or explain why not."""
    where = Loc(rel)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            size_mb = file.stat().st_size / (1024 * 1024)
            return None, [where.error(f"file is too large ({size_mb:.1f} MB; the limit is "
                                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")]
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [where.error("file not found")]
    except IsADirectoryError:
        return None, [where.error("expected a file, found a folder")]
    except OSError as exc:
        return None, [where.error(f"cannot read file: {exc.strerror or exc}")]
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        return None, [_byte_loc(raw, offset, rel).error(
            "this looks like a binary file, not text (it contains a NUL byte)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        return None, [_byte_loc(raw, exc.start, rel).error(
            f"invalid UTF-8 (byte 0x{bad:02x}); save the file with UTF-8 encoding")]
    return TextFile(rel, text.replace("\r\n", "\n").replace("\r", "\n")), []


def _byte_loc(raw: bytes, offset: int, rel: str) -> Loc:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return Loc(rel, raw.count(b"\n", 0, offset) + 1, offset - line_start + 1)


def parse_yaml(text: str, rel: str, first_line: int = 1) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document into plain data with marks; first_line is the
    file line the text starts on (front matter starts after `---`)."""
    offset = first_line - 1
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)
            problem = exc.problem or exc.context or "could not be parsed"
            context = f" ({exc.context})" if exc.context and exc.problem else ""
            return None, [Problem(rel, line, column, "error", f"invalid YAML: {problem}{context}")]
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position)
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            return None, [Problem(rel, first_line + line, column, "error",
                                  f"invalid YAML: character U+{exc.character:04X} is not allowed here; "
                                  "control characters must be removed")]
        except yaml.YAMLError as exc:
            return None, [Loc(rel, first_line).error(f"invalid YAML: {exc}")]
        except RecursionError:
            return None, [Loc(rel, first_line).error("invalid YAML: nesting is too deep")]
        if node is None:
            return YamlDoc(rel, None, digest=text_digest(text, first_line)), []
        builder = _Builder(rel, loader, offset)
        try:
            data = builder.build(node, ())
        except _TooLarge:
            return None, [Loc(rel, first_line).error(
                f"YAML expands to more than {MAX_YAML_NODES} values (too many aliases?)")]
        except RecursionError:
            return None, [Loc(rel, first_line).error("invalid YAML: nesting is too deep")]
        return (YamlDoc(rel, data, builder.value_marks, builder.key_marks, frozenset(builder.bad_values),
                        text_digest(text, first_line)),
                builder.problems)
    finally:
        loader.dispose()


def text_digest(text: str, first_line: int = 1) -> str:
    """A hash of a source text (and where it starts), for caches keyed by content."""
    return hashlib.sha256(f"{first_line}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


class _TooLarge(Exception):
    pass


class _Builder:
    """Turns a composed YAML node tree into dicts, lists and scalars."""

    def __init__(self, rel: str, loader: yaml.SafeLoader, offset: int) -> None:
        self.rel = rel
        self.loader = loader
        self.offset = offset
        self.value_marks: dict[KeyPath, tuple[int, int]] = {}
        self.key_marks: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.bad_values: set[KeyPath] = set()
        self.memo: dict[int, Any] = {}
        self.count = 0

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise _TooLarge
        self.value_marks.setdefault(path, self.mark(node))
        if id(node) in self.memo:  # an alias: reuse, never expand twice
            return self.memo[id(node)]
        if isinstance(node, yaml.MappingNode):
            value: Any = {}
            self.memo[id(node)] = value
            self._fill_mapping(value, node, path)
        elif isinstance(node, yaml.SequenceNode):
            value = []
            self.memo[id(node)] = value
            value.extend(self.build(item, path + (i,)) for i, item in enumerate(node.value))
        else:
            value = self._scalar(node, path)
            self.memo[id(node)] = value
        return value

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        try:
            value = self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            line, column = self.mark(node)
            reason = getattr(exc, "problem", None) or str(exc)
            if node.tag == TIMESTAMP_TAG:
                message = f"invalid date '{node.value}': {reason}"
            else:
                message = f"invalid value '{node.value}': {reason}"
            self.problems.append(Problem(self.rel, line, column, "error", message))
            self.bad_values.add(path)
            return node.value
        if isinstance(value, datetime.datetime):
            return value  # the schema reports a date-time where a date is expected
        return value

    def _fill_mapping(self, target: dict, node: yaml.MappingNode, path: KeyPath) -> None:
        seen: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                for source in self._merge_sources(value_node, path):
                    for k, v in source.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = self.mark(key_node)
                self.problems.append(Problem(self.rel, line, column, "error",
                                             "a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            line, column = self.mark(key_node)
            if key in seen:
                self.problems.append(Problem(self.rel, line, column, "error",
                                             f"duplicate key '{key}' (first given on line {seen[key]})"))
                continue
            seen[key] = line
            self.key_marks[path + (key,)] = (line, column)
            target[key] = self.build(value_node, path + (key,))
        for k, v in merged.items():
            target.setdefault(k, v)

    def _merge_sources(self, node: yaml.Node, path: KeyPath) -> list[dict]:
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


def split_front_matter(text: str) -> tuple[FrontMatter, list[Problem]]:
    """Split `---` front matter from a Markdown body, keeping line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, 1, text, 1), []
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter("\n".join(lines[1:index]), 2,
                               "\n".join(lines[index + 1:]), index + 2), []
    return FrontMatter(None, 1, text, 1), [Problem("", 1, 1, "error",
                                                   "front matter starts with '---' but never ends; "
                                                   "close it with another '---' line")]


def load_yaml_file(file: Path, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Read and parse a YAML file whose top level must be a mapping."""
    text_file, problems = read_text(file, rel)
    if text_file is None:
        return None, problems
    return parse_yaml_mapping(text_file.text, rel)


def parse_yaml_mapping(text: str, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse the text of a YAML file whose top level must be a mapping."""
    doc, problems = parse_yaml(text, rel)
    if doc is None:
        return None, problems
    if doc.data is None:
        return None, problems + [Loc(rel).error("file is empty; expected a mapping of keys to values")]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__.replace("list", "a list").replace("str", "text")
        return None, problems + [doc.loc().error(f"expected a mapping of keys to values, found {kind}")]
    return doc, problems
