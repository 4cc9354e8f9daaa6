"""YAML syntax errors as located problems, in words that do not depend on the parser: what
happened, where the problem starts (an unclosed '[' at the '[', not on the line where the
parser gave up), and what to write instead, showing the user's own line fixed when it holds
no private value (yaml_lines.is_private_line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml

from rmsite.core.problems import Problem
from rmsite.source.redact import PRIVATE_KEYS
from rmsite.source.yaml_lines import (
    KEY_LIKE,
    Level,
    indent,
    is_content,
    is_dash,
    is_private_line,
    levels_above,
    line_key,
    quoted,
    spaces,
    strip_comment,
)

PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # for replaying the events before an error
NO_SPACE = re.compile(r"(?P<dash>(?:-[ \t]+)*)(?P<key>[A-Za-z0-9_][\w-]*):(?P<value>[^\s:].*)")  # `target:10`
SHOWN_LINE = 120  # a fixed line longer than this is described, not shown
Hint = tuple[int, int, str]  # 0-based line and column where the problem starts, and the message


def text_loc(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in text."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, offset: int) -> Problem:
    """A YAML syntax error as a located problem: in plain words, where the problem starts,
    with the fix."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    if isinstance(exc, LimitError):
        return Problem(rel, line + 1 + offset, column + 1, "error", str(exc.problem))
    error = _Error(exc, text, offset)
    for explain in EXPLAINERS:
        hint = explain(error)
        if hint is not None:
            return Problem(rel, hint[0] + 1 + offset, hint[1] + 1, "error", hint[2])
    problem = exc.problem or exc.context or "could not be parsed"
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return Problem(rel, line + 1 + offset, column + 1, "error", f"invalid YAML: {problem}{context}")


class LimitError(yaml.MarkedYAMLError):
    """A document past one of the loader's bounds (nesting, size)."""


@dataclass(frozen=True)
class _Scalar:
    """Where a value the parser read starts and ends (0-based), and its quote, if any."""

    line: int
    column: int
    end_line: int
    end_column: int
    style: str


class _Error:
    """A syntax error with the text it is in: where the parser noticed it (0-based), and
    where the construct it was reading started."""

    def __init__(self, exc: yaml.MarkedYAMLError, text: str, offset: int) -> None:
        self.exc, self.text, self.offset = exc, text, offset
        self.lines = text.split("\n")
        self.problem = str(exc.problem or "")
        self.context = str(exc.context or "")
        mark = exc.problem_mark or exc.context_mark
        self.line, self.column = (mark.line, mark.column) if mark else (0, 0)
        start = exc.context_mark or mark
        self.start_line, self.start_column = (start.line, start.column) if start else (0, 0)

    def text_of(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def char(self, line: int, column: int) -> str:
        return self.text_of(line)[column:column + 1]

    def number(self, line: int) -> int:
        """A 0-based line as the file's line number, as messages give it."""
        return line + 1 + self.offset

    def key(self, line: int) -> str:
        """`'key': ` for the key the line gives, to begin a message with (see `called`)."""
        found = line_key(self.text_of(line))
        return f"{self.called(line, found[1])}: " if found and self.may_name(line, found[1]) else ""

    def may_name(self, line: int, name: str) -> bool:
        """Whether a message may name a key of the line: not when it may be a word of a private
        value (`Thanks:` inside a block of `notes`), unless it is itself a private field's key."""
        return name in PRIVATE_KEYS or not is_private_line(self.lines, line)

    def called(self, line: int, name: str) -> str:
        """A key of the line as a message names it: `'name'`, or `the key on line N`."""
        return f"'{name}'" if self.may_name(line, name) else f"the key on line {self.number(line)}"

    def shown(self, fixed: str, *lines: int) -> str:
        """`: <fixed line>` to end a message with, or nothing when one of the lines it comes
        from may hold a private value (or it is too long to read in a message)."""
        if any(is_private_line(self.lines, line) for line in lines) or len(fixed) > SHOWN_LINE:
            return ""
        return f": {fixed}"

    def body(self, line: int, end: int | None = None) -> str:
        """The line from its indentation on (to `end`)."""
        text = self.text_of(line)
        return text[indent(text):end]

    @cached_property
    def last_scalar(self) -> _Scalar | None:
        """The last value the parser read before the error: where a value that runs on, or a
        quoted value that closes early, starts."""
        last: Any = None
        try:
            for event in yaml.parse(self.text, Loader=PARSER):
                if isinstance(event, yaml.ScalarEvent):
                    last = event
        except yaml.YAMLError:
            pass
        if last is None:
            return None
        start, end = last.start_mark, last.end_mark
        return _Scalar(start.line, start.column, end.line, end.column, last.style or "")


def _tab(e: _Error) -> Hint | None:
    if e.char(e.line, e.column) != "\t" and "tab" not in e.problem:
        return None
    if e.text_of(e.line)[:e.column].strip(" \t") == "":
        return e.line, e.column, "a tab cannot be used to indent in YAML; indent this line with spaces"
    return e.line, e.column, "a tab cannot be used here in YAML; use a space"


def _second_document(e: _Error) -> Hint | None:
    if e.context != "expected a single document in the stream":
        return None
    return e.line, e.column, ("a second document starts here; a file holds one document "
                              "(remove the '---' line and what follows, or move it to a file of its own)")


def _duplicate_anchor(e: _Error) -> Hint | None:
    if "duplicate anchor" not in e.context or e.exc.context_mark is None:
        return None
    anchor = e.context.split("'")[1] if "'" in e.context else ""
    first = e.exc.context_mark.line
    named = f" '&{anchor}'" if not any(is_private_line(e.lines, at) for at in (first, e.line)) else ""
    return e.line, e.column, (f"duplicate anchor{named} (first given on line {e.number(first)}); give each "
                              "anchor its own name")


def _undefined_alias(e: _Error) -> Hint | None:
    if not e.problem.startswith("found undefined alias"):
        return None
    anchor = e.problem.split("'")[1] if "'" in e.problem else ""
    value = strip_comment(e.text_of(e.line)[e.column:])
    what = (f"'*{anchor}' refers to an anchor '&{anchor}'" if not is_private_line(e.lines, e.line)
            else "a value that starts with '*' refers to an anchor")
    return e.line, e.column, (
        f"{e.key(e.line)}{what} that is not defined; for text that starts with '*', put the whole value in quotes"
        + e.shown(e.body(e.line, e.column) + quoted(value), e.line))


def _colon_in_text(e: _Error) -> Hint | None:
    """`title: Fernhill: Reverse Mentoring`, or a key indented more than the line above it,
    which YAML reads as more of that line's value."""
    if "mapping values are not allowed" not in e.problem:
        return None
    words = "a colon followed by a space inside text starts a new key in YAML; put the whole value in quotes"
    scalar = e.last_scalar
    if scalar is None or scalar.end_line != e.line:
        return e.line, e.column, f"{e.key(e.line)}{words}"
    start_line, start = scalar.line, scalar.column
    line = e.text_of(e.line)
    if start_line == e.line:
        if line[:start].strip(" -") == "":
            return None  # the text before the colon is the line's first: not a value
        fixed = e.body(e.line, start) + quoted(strip_comment(line[start:]))
        return e.line, e.column, f"{e.key(e.line)}{words}" + e.shown(fixed, e.line)
    before = line[indent(line):e.column].strip()
    above = line_key(e.text_of(start_line))
    no_space = _no_space(e, start_line, start) if above is None else None
    if no_space is not None:  # `- id:a` read as text, then a key below it
        return no_space
    if KEY_LIKE.fullmatch(before):  # a key indented too far: more of the value above
        this = e.called(e.line, before)
        if above is None:
            return e.line, indent(line), (
                f"{this} is indented more than the line above it, so YAML reads it as more of the "
                f"text there; line it up with the key it belongs with")
        that = e.called(start_line, above[1])
        return e.line, indent(line), (
            f"{this} is indented more than {that} on line {e.number(start_line)}, so YAML reads it as more "
            f"of the value of {that}; indent it {spaces(above[0])}, as {that}")
    last = e.line
    while last + 1 < len(e.lines) and is_content(e.lines[last + 1]) \
            and indent(e.lines[last + 1]) > indent(e.text_of(start_line)):
        last += 1  # the value runs on past the colon
    parts = [e.text_of(start_line)[start:]] + e.lines[start_line + 1:last + 1]
    joined = " ".join(strip_comment(part).strip() for part in parts)
    fixed = e.body(start_line, start) + quoted(joined)
    return start_line, start, (
        f"{e.key(start_line)}the text here runs on to line {e.number(e.line)}, where a colon followed by "
        f"a space starts a new key in YAML; put the whole value in quotes"
        + e.shown(fixed, *range(start_line, last + 1)))


def _no_space(e: _Error, line: int, column: int) -> Hint | None:
    """`target:10`: a key without a space after its colon, which YAML reads as text."""
    match = NO_SPACE.fullmatch(strip_comment(e.text_of(line)[column:]))
    if match is None:
        return None
    fixed = f"{match['dash']}{match['key']}: {match['value']}"
    return line, column, (f"{e.called(line, match['key'])}: a key needs a space after its colon; write "
                          + (e.shown(fixed, line)[2:] or f"'{match['key']}: ' and the value"))


def _missing_colon(e: _Error) -> Hint | None:
    """A line in a mapping without `key: ` (`target:10`, `name Boris Petrov`), reported on that
    line, not on the next, where the parser notices."""
    if e.context != "while scanning a simple key":
        return None
    line, column = e.start_line, e.start_column
    found = _no_space(e, line, column)
    if found is not None:
        return found
    body = strip_comment(e.text_of(line)[column:])
    if body[:1] in ("[", "{", "!", "&", "*", "'", '"') or ": " in body:
        return None  # a key that is not plain text: in the parser's words
    words = body.split(" ", 1)
    guess = f"{words[0]}: {words[1]}" if len(words) == 2 and KEY_LIKE.fullmatch(words[0]) else ""
    shown = e.shown(guess, line) if guess else ""
    return line, column, ("this line has no ':' after a key: write it as key: value"
                          + (f" (did you mean {shown[2:]}?)" if shown else "")
                          + ", or, if it is more of the text above, indent it more than that text's key")


def _list_on_the_key_line(e: _Error) -> Hint | None:
    """`offers: - Data tools`."""
    if "sequence entries are not allowed" not in e.problem:
        return None
    key = line_key(e.text_of(e.line))
    value = strip_comment(e.text_of(e.line)[e.column + 1:]).strip()
    if key is None or not value or any(c in value for c in "[]{}"):
        return e.line, e.column, (f"{e.key(e.line)}a list cannot start on the line of its key: write each "
                                  "'- ' item on a line of its own below it; for text that starts with '-', "
                                  "put it in quotes")
    fixed = f"{key[1]}: [{value}]"
    shown = e.shown(fixed, e.line)
    return e.line, e.column, (
        f"{e.called(e.line, key[1])}: a list cannot start on the line of its key: write "
        + (f"{fixed}, or" if shown else "the list in brackets, or")
        + f" each '- ' item on a line of its own below '{key[1]}:'; for text that starts with '-', "
          "put it in quotes")


def _reserved_first_character(e: _Error) -> Hint | None:
    """`email: @ana`, ``title: `rmsite` ``: characters YAML keeps for itself."""
    char = e.char(e.line, e.column)
    if "cannot start any token" not in e.problem or char not in "@`%":
        return None
    line = e.text_of(e.line)
    fixed = e.body(e.line, e.column) + quoted(strip_comment(line[e.column:]))
    return e.line, e.column, (f"{e.key(e.line)}text cannot start with '{char}' in YAML; put the whole "
                              f"value in quotes" + e.shown(fixed, e.line))


def _indicator_first(e: _Error) -> Hint | None:
    """`title: *Important* thing`, `title: > 5 years`: a value that starts with an alias,
    anchor or block indicator."""
    line, column = e.start_line, e.start_column
    char = e.char(line, column)
    if e.context in ("while scanning an alias", "while scanning an anchor") and char in "*&":
        what = "a reference to an anchor" if char == "*" else "an anchor's name"
    elif e.context == "while scanning a block scalar" and char in "|>":
        what = "the start of a block of text on the lines below"
    else:
        return None
    fixed = e.body(line, column) + quoted(strip_comment(e.text_of(line)[column:]))
    return line, column, (f"{e.key(line)}YAML reads a value that starts with '{char}' as {what}; "
                          f"put the whole value in quotes" + e.shown(fixed, line))


def _quotes(e: _Error) -> Hint | None:
    """A quote never closed; a backslash in double quotes."""
    if "quoted scalar" not in e.context:
        return None
    line, column = e.start_line, e.start_column
    quote = e.char(line, column)
    text = e.text_of(line)
    if quote not in "\"'":
        return None
    if "end of stream" in e.problem or "document" in e.problem:
        starts_value = text[:column].rstrip().endswith((":", "-")) or text[:column].strip() == ""
        fixed = e.body(line).rstrip() + quote
        return line, column, (f"{e.key(line)}the opening {quote} here is never closed; end the text with "
                              f"{quote} on this line" + (e.shown(fixed, line) if starts_value else ""))
    if "escape" in e.problem or "hex" in e.problem:
        end = text.rfind('"')
        inner = text[column + 1:end] if end > column else ""
        shown = e.shown(e.body(line, column) + f"'{inner}'", line) if inner and "'" not in inner else ""
        return line, column, (f"{e.key(line)}in double quotes a backslash starts an escape such as \\n; "
                              "for a backslash itself, use single quotes" + shown)
    return None


CLOSERS = {"[": "]", "{": "}"}


def open_brackets(text: str, start: int, end: int) -> list[str] | None:
    """The brackets and braces still open in text[start:end], innermost last, reading quotes
    as YAML does inside them; [] as soon as the first one closes; None at a closer that does
    not match."""
    stack: list[str] = []
    quote = ""
    previous = "["
    index = start
    while index < end:
        char = text[index]
        if quote:
            if char == quote and quote == "'" and text[index + 1:index + 2] == "'":
                index += 1
            elif char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                index += 1
        elif char in "\"'" and previous in "[{,:":
            quote = char
        elif char in CLOSERS:
            stack.append(char)
        elif char in "]}":
            if not stack or CLOSERS[stack[-1]] != char:
                return None
            stack.pop()
            if not stack:
                return []
        elif char == "#" and text[index - 1:index] in (" ", "\t"):
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        if not char.isspace():
            previous = char
        index += 1
    return stack


def _brackets(e: _Error) -> Hint | None:
    """An unclosed '[' or '{', reported at it; or a list in brackets that cannot be read."""
    if not e.context.startswith("while parsing a flow"):
        return None
    line, column = e.start_line, e.start_column
    opener = e.char(line, column)
    if opener not in CLOSERS:
        return None
    kind = "list" if opener == "[" else "mapping"
    start = sum(len(text) + 1 for text in e.lines[:line]) + column
    if open_brackets(e.text, start, len(e.text)) != []:  # never closed, or closed by the wrong one
        text = strip_comment(e.text_of(line))
        on_line = open_brackets(text, column, len(text))
        fixed = "" if not on_line or text.endswith(",") else \
            e.shown(e.body(line, len(text)) + "".join(CLOSERS[c] for c in reversed(on_line)), line)
        return line, column, (f"{e.key(line)}the '{opener}' here is never closed; end the {kind} with "
                              f"'{CLOSERS[opener]}'" + fixed)
    if kind == "list":
        words = ("this list in brackets cannot be read from here: separate its items with commas, and put "
                 "an item in quotes if it holds a colon, a comma, a bracket or a quote")
    else:
        words = ("this mapping in braces cannot be read from here: write its entries as key: value, "
                 "separated by commas, and put a value in quotes if it holds a colon, a comma, a bracket "
                 "or a quote")
    return e.line, e.column, f"{e.key(line)}{words}"


def _block(e: _Error) -> Hint | None:
    """Where a key or a list item was expected: a quote closed early or not on its line, a
    closing bracket too many, a line indented to no level above it, a stray '-'."""
    if not e.context.startswith("while parsing a block"):
        return None
    return _after_quote(e) or _closes_nothing(e) or _indentation(e)


def _after_quote(e: _Error) -> Hint | None:
    scalar = e.last_scalar
    if scalar is None or scalar.style not in ('"', "'"):
        return None
    quote = scalar.style
    start_line, start, end_line = scalar.line, scalar.column, scalar.end_line
    if start_line < end_line <= e.line:
        fixed = e.body(start_line).rstrip() + quote
        return start_line, start, (
            f"{e.key(start_line)}the opening {quote} here is not closed on its line, so YAML reads the lines "
            f"below as text up to the next {quote} (line {e.number(end_line)}); end the text with {quote} on "
            f"this line" + e.shown(fixed, start_line))
    line = e.text_of(e.line)
    if end_line != e.line or line[scalar.end_column:e.column].strip():
        return None
    raw = strip_comment(line[start:])
    inner = raw[1:-1] if len(raw) >= 2 and raw[-1] == quote else raw
    doubled = " (inside single quotes, a ' is written '')" if quote == "'" else ""
    return e.line, start, (f"{e.key(e.line)}text follows the closing {quote} of the quoted value{doubled}; "
                           f"put the whole value in quotes" + e.shown(e.body(e.line, start) + quoted(inner), e.line))


def _closes_nothing(e: _Error) -> Hint | None:
    char = e.char(e.line, e.column)
    if char not in ("]", "}"):
        return None
    line = e.text_of(e.line)
    fixed = (e.body(e.line, e.column) + line[e.column + 1:]).rstrip()
    return e.line, e.column, f"{e.key(e.line)}a '{char}' here closes nothing; remove it" + e.shown(fixed, e.line)


def _indentation(e: _Error) -> Hint | None:
    line = e.text_of(e.line)
    column = indent(line)
    if e.column != column:
        return None
    levels = levels_above(e.lines, e.line)
    keys = [level for level in levels if not level.dash]
    dashes = [level for level in levels if level.dash]
    if is_dash(line):
        return _stray_dash(e, column, keys, dashes)
    key = line_key(line)
    if key is None:
        return None
    name = key[1]
    at_dash = next((level for level in dashes if level.column == column), None)
    if at_dash is not None:
        inner = next((level for level in keys if level.column > column), None)
        into = (f"; to make it part of that item, indent it {spaces(inner.column)}, as "
                f"{e.called(inner.line, inner.name)}"
                + (f" (line {e.number(inner.line)})" if e.may_name(inner.line, inner.name) else "")) if inner else ""
        return e.line, column, (f"{e.called(e.line, name)} is indented as the '-' on line {e.number(at_dash.line)}, "
                                f"where only a new list item can start{into}; to start a new item, begin it with '- '")
    if any(level.column == column for level in levels):
        return None
    options = [level for level in (next((k for k in keys if k.column > column), None),
                                   next((k for k in keys if k.column < column), None)) if level]
    if not options:
        return None
    return e.line, column, (
        f"{e.called(e.line, name)} is indented {spaces(column)}, which lines it up with no key above; indent it as "
        "the key it belongs with: " + " or ".join(f"{spaces(k.column)}, as {e.called(k.line, k.name)}"
                                                  + (f" (line {e.number(k.line)})" if e.may_name(k.line, k.name) else "")
                                       for k in options))


def _stray_dash(e: _Error, column: int, keys: list[Level], dashes: list[Level]) -> Hint | None:
    rest = e.text_of(e.line)[column + 1:].strip()
    same = next((level for level in keys if level.column == column), None)
    dash = dashes[0] if dashes else None
    new_item = (f"to start a new list item, line the '-' up with the one on line {e.number(dash.line)} "
                f"({spaces(dash.column)})") if dash else ""
    if same is not None:
        key = line_key(rest)
        fix = (f"to make {e.called(e.line, key[1])} a key beside it, remove the '-'" + e.shown(rest, e.line)
               if key else "a list goes under its key, indented more than the key")
        return e.line, column, (
            f"a '-' starts a list item, but {e.called(same.line, same.name)} on line {e.number(same.line)}, indented the same, is "
            f"a key: {fix}" + (f"; {new_item}" if new_item else ""))
    if dash is None or dash.column == column:
        return None
    return e.line, column, (f"this '-' is indented {spaces(column)}, but the '-' on line {e.number(dash.line)} "
                            f"is indented {spaces(dash.column)}: line them up to make this an item of that list")


EXPLAINERS: tuple[Callable[[_Error], Hint | None], ...] = (
    _tab, _second_document, _duplicate_anchor, _undefined_alias, _colon_in_text, _missing_colon, _list_on_the_key_line,
    _reserved_first_character, _indicator_first, _quotes, _brackets, _block)
