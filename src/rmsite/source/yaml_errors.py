"""YAML syntax errors as located problems, in words that do not depend on the parser."""

from __future__ import annotations

from typing import Literal

import yaml

from rmsite.core.problems import Problem


def text_loc(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in text."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, offset: int) -> Problem:
    """A YAML syntax error as a located problem, in words that do not depend on the parser."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    where: tuple[str, int, int, Literal["error"]] = (rel, line + offset, column, "error")
    if isinstance(exc, LimitError):
        return Problem(*where, str(exc.problem))
    lines = text.split("\n")
    char = lines[line - 1][column - 1:column] if line <= len(lines) else ""
    if char == "\t" or "tab" in str(exc.problem):
        return Problem(*where, "invalid YAML: a tab cannot be used to indent; indent with spaces")
    if exc.context == "expected a single document in the stream":
        return Problem(*where, "invalid YAML: a second document starts here; a file holds one document "
                               "(remove the '---' line and what follows, or move it to a file of its own)")
    if "duplicate anchor" in str(exc.context) and exc.context_mark is not None:
        anchor = str(exc.context).split("'")[1] if "'" in str(exc.context) else ""
        return Problem(*where, f"duplicate anchor '&{anchor}' (first given on line "
                               f"{exc.context_mark.line + 1 + offset}); give each anchor its own name")
    problem = exc.problem or exc.context or "could not be parsed"
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return Problem(*where, f"invalid YAML: {problem}{context}")


class LimitError(yaml.MarkedYAMLError):
    """A document past one of the loader's bounds (nesting, size)."""
