"""The one error type: a located problem, collected and reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a source file, at a 1-based line and column; column 0 for a problem
    of a whole row of a spreadsheet (`FILE:ROW: error: …`)."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str = ""  # a warning's stable code, e.g. 'capacity' (listed in docs/format.md)
    subject: str = ""  # what it is about, e.g. '2026-autumn/helen': with the code, what `accept` matches
    accepted: str = ""  # the reason of the `accept` entry in site.yml that acknowledges this warning

    def format(self) -> str:
        """Render as `path:line:column: severity: message [code: subject]`, on one line, with
        invisible and control characters (zero-width, right-to-left, newlines) written as escapes;
        `path:row: severity: message` for a row of a spreadsheet."""
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        tag = f" [{self.code}: {self.subject}]" if self.code else ""
        return visible(f"{where}: {self.severity}: {self.message}{tag}")

    def as_error(self) -> Problem:
        """The same problem, raised to an error (for --strict)."""
        return replace(self, severity="error")


@dataclass(frozen=True)
class Loc:
    """Where a value sits in a source file (1-based)."""

    path: str
    line: int = 1
    column: int = 1

    def error(self, message: str) -> Problem:
        return Problem(self.path, self.line, self.column, "error", message)

    def warning(self, message: str, code: str = "", subject: str = "") -> Problem:
        return Problem(self.path, self.line, self.column, "warning", message, code, subject)


def visible(text: str) -> str:
    """Text with every non-printable character written as \\n, \\t or \\uXXXX, so a
    message shows what is really in a file and cannot reorder or hide itself."""
    if text.isprintable():
        return text
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "".join(c if c.isprintable() else named.get(c, f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF
                                                       else f"\\U{ord(c):08x}") for c in text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match exists, else ''."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def shown(problems: Iterable[Problem]) -> list[Problem]:
    """The problems printed: all but the warnings site.yml accepts."""
    return [p for p in problems if not p.accepted]


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order, each reported once."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.severity, p.message))


SHOWN_PROBLEMS = 200  # a file of bad values can have thousands: past this, a count


def problem_lines(problems: Sequence[Problem], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """The problems as printed lines: the first `limit`, then a count of the rest (accepted
    warnings are not printed)."""
    problems = shown(problems)
    lines = [problem.format() for problem in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        lines.append(f"… and {rest:,} more problem{'s' * (rest != 1)} not shown: fix these first")
    return lines
