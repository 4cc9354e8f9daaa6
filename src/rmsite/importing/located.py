"""The cohort as an import would leave it, located where the user can see each value: what
was in the cohort file before stays at its line and column there, and what the import
brings is at the export's row (and column) it came from. The cohort's rules run on it
unchanged, so a problem that the new items cause reads `FILE:ROW: error: column 'Header':
…`, and one the file had already keeps its place in the file (the edited text, which
nothing has written yet, is never named)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rmsite.core.problems import Loc, Problem
from rmsite.importing.edit import EditError
from rmsite.importing.merge import Plan
from rmsite.model.document import KeyPath, YamlDoc
from rmsite.source.tables import row_error


@dataclass(frozen=True)
class RowLoc(Loc):
    """A row of the export (`line`), and the header of the column a value came from (None:
    the row as a whole); problems made here read `FILE:ROW: error: column 'Header': …`."""

    header: str | None = None

    def error(self, message: str) -> Problem:
        return row_error(self.path, self.line, message, self.header)

    def warning(self, message: str, code: str = "", subject: str = "") -> Problem:
        return replace(self.error(message), severity="warning", code=code, subject=subject)


@dataclass(frozen=True)
class Origin:
    """The row an item came from, the header of each of its keys (`scores.confidence` for a
    score), and for an item it replaced (--update) the values the row gave: the others are
    the file's and stay located there."""

    row: int
    headers: dict[str, str]
    given: dict[str, Any] | None = None  # None: an added item, every value from the row

    def holds(self, rest: KeyPath) -> bool:
        """Whether the value at `rest` (below the item) came from the row."""
        if self.given is None or not rest:
            return True
        if rest[0] not in self.given:
            return False
        value = self.given[rest[0]]
        return not (isinstance(value, dict) and len(rest) > 1) or rest[1] in value

    def header(self, rest: KeyPath) -> str | None:
        if len(rest) > 1 and isinstance(rest[1], str) and f"{rest[0]}.{rest[1]}" in self.headers:
            return self.headers[f"{rest[0]}.{rest[1]}"]
        return self.headers.get(str(rest[0])) if rest else None


@dataclass(frozen=True)
class ImportedDoc(YamlDoc):
    """The edited cohort file's data (read back from its text), located as the module says."""

    before: YamlDoc | None = None
    export: str = ""  # the export's path as messages name it
    origins: dict[KeyPath, Origin] = field(default_factory=dict)  # by each new or replaced item's key path
    bool_words: dict[KeyPath, str] = field(default_factory=dict)  # as the reader's MarkedDoc keeps them

    def loc(self, key_path: KeyPath = (), *, key: bool = False) -> Loc:
        """The row (and column) of a value the import brings; else the value's place in the file
        before (a new list's, its item's: the place it would go)."""
        for length in range(1, len(key_path) + 1):
            origin = self.origins.get(key_path[:length])
            if origin is not None and origin.holds(key_path[length:]):
                return RowLoc(self.export, origin.row, 0, origin.header(key_path[length:]))
        assert self.before is not None
        return self.before.loc(key_path, key=key)


def imported_doc(before: YamlDoc, after: YamlDoc, plan: Plan, export: str) -> ImportedDoc:
    """The edited file's data (`after`, verified to be `before`'s with the plan's items), located
    at the rows of the items the plan adds and replaces and in `before` for everything else."""
    origins: dict[KeyPath, Origin] = {}
    for append in plan.appends:
        existing = _value(before.data, append.path)
        start = len(existing) if isinstance(existing, list) else 0
        for number, row in enumerate(append.rows):
            headers = append.headers[number] if number < len(append.headers) else {}
            origins[append.path + (start + number,)] = Origin(row, headers)
    for item in plan.replaces:
        origins[item.path] = Origin(item.row, item.headers, item.given)
    words = getattr(after, "bool_words", None)  # yes, no, on, off: from the full reading, else as the file had them
    return ImportedDoc(before.path, after.data, bad_values=after.bad_values, digest=after.digest, before=before,
                       export=export, origins=origins,
                       bool_words=words if words is not None else getattr(before, "bool_words", {}))


def located_parse_problems(problems: list[Problem], after: YamlDoc, located: ImportedDoc) -> list[Problem]:
    """Problems of reading the edited text back (a value it holds that no cohort file may, such
    as a control character), moved from the edited text to where `located` puts the value they
    are about; EditError for one about no value, which would be a fault of the edit."""
    by_mark = {after.value_marks[path]: path for path in after.bad_values if path in after.value_marks}
    moved = []
    for problem in problems:
        path = by_mark.get((problem.line, problem.column))
        if path is None:
            raise EditError(f"the edited file would not read back as written ({problem.message})")
        where = located.loc(path)
        made = where.error(problem.message) if problem.severity == "error" else where.warning(
            problem.message, problem.code, problem.subject)
        moved.append(made)
    return moved


def _value(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
