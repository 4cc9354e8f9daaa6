"""The lines of a YAML text as a person reads them: indentation, keys, the levels of the
lines above, and text written back as a YAML value, so that a message can show the
user's own line fixed (and never a line that may hold a private value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml.resolver

from rmsite.source.redact import PRIVATE_KEYS

# `key: …` or `- key: …`: the dashes, and the key up to the first colon followed by a space
KEY_LINE = re.compile(r"(?P<dash>(?:-[ \t]+)*)(?P<key>[^\s#'\"\[\]{},:-][^#]*?|-[^\s#:][^#]*?)[ \t]*:(?:[ \t]|$)")
KEY_LIKE = re.compile(r"[A-Za-z0-9_][\w-]*")  # a key as the format writes them: one word
# a private key anywhere on a line, written in any case, quoted or not, with or without a space after its colon
PRIVATE_KEY = re.compile(r"(?<![\w-])[\"']?(?:" + "|".join(sorted(PRIVATE_KEYS)) + r")[\"']?[ \t]*:",
                         re.IGNORECASE)
STR_TAG = "tag:yaml.org,2002:str"
NOT_FIRST = set("-?:,[]{}#&*!|>'\"%@` ")  # characters plain text cannot start with (or, for '-', could)
_RESOLVER: Any = yaml.resolver.Resolver()  # what YAML reads a plain value as


@dataclass(frozen=True)
class Level:
    """A column something above a line starts at: a key, or the '-' of a list item."""

    column: int  # 0-based
    dash: bool
    name: str  # the key, or '-'
    line: int  # 0-based index


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_content(line: str) -> bool:
    body = line.strip()
    return bool(body) and not body.startswith("#")


def line_key(line: str) -> tuple[int, str] | None:
    """The column and name of the key a line gives (`key: …`, `- key: …`), if any."""
    match = KEY_LINE.match(line, indent(line))
    if match is None:
        return None
    return match.start("key"), match.group("key")


def is_dash(line: str) -> bool:
    body = line.strip()
    return body == "-" or body.startswith(("- ", "-\t"))


def levels_above(lines: list[str], index: int) -> list[Level]:
    """The columns a line could line up with: the keys and list dashes of the lines above that
    are still open there, nearest first."""
    found: list[Level] = []
    bound = 1 << 30
    for at in range(index - 1, -1, -1):
        line = lines[at]
        if not is_content(line):
            continue
        here: list[Level] = []
        key = line_key(line)
        if key is not None:
            here.append(Level(key[0], False, key[1], at))
        if is_dash(line):
            here.append(Level(indent(line), True, "-", at))
        if not here:
            continue  # text running on from the line above, a closing bracket: no level of its own
        found += [level for level in here if level.column < bound]
        bound = min(bound, *(level.column for level in here))
        if bound == 0:
            break
    return found


def is_private_line(lines: list[str], index: int) -> bool:
    """Whether a line may hold a private value: a private key on it, or on a line above that
    it belongs to (each less indented line, up to the top). Conservative: a private key counts
    wherever it is on a line (in braces too), in any case, with or without a space after it."""
    if not 0 <= index < len(lines):
        return True
    bound = indent(lines[index]) + 1
    for at in range(index, -1, -1):
        line = lines[at]
        if at != index and (not is_content(line) or indent(line) >= bound):
            continue
        if PRIVATE_KEY.search(line):
            return True
        bound = indent(line)
        if bound == 0:
            break
    return False


def strip_comment(text: str) -> str:
    """Plain text without a trailing ` # comment`."""
    match = re.search(r"[ \t]#", text)
    return (text[:match.start()] if match else text).rstrip()


def quoted(text: str) -> str:
    """Text in YAML quotes: double, unless it holds a double quote or a backslash."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def as_value(text: str, flow: bool = False) -> str:
    """Text written as a YAML value: as it is where YAML reads it back as the same text,
    otherwise in quotes; `flow` for an item inside brackets or braces (commas still split)."""
    plain = (text != "" and text == text.strip() and text[0] not in NOT_FIRST
             and ": " not in text and " #" not in text and not text.endswith(":")
             and not (flow and any(c in text for c in "[]{}"))
             and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == STR_TAG)
    return text if plain else quoted(text)


def spaces(count: int) -> str:
    return f"{count} space{'s' * (count != 1)}"
