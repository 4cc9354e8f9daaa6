"""A parsed YAML document: plain data with the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rmsite.core.problems import Loc

KeyPath = tuple[str | int, ...]


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
