"""The index of the last build's output: each file's key and stamp, so that the next build
can take a file whose inputs did not change instead of making it again."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class OutputIndex:
    """Each output file's key (a hash of what it is made from) and stamp (size, mtime)."""

    output: Path | None = None  # the folder they are in
    keys: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, mtime_ns)
    guard: str = ""  # the fingerprint of the leak guard the files were checked with
    written: frozenset[str] | None = None  # every file the last build produced, if known

    def reusable(self, path: str, key: str) -> str | None:
        """The previous output file for `path` when it was made from the same inputs and has
        not been touched since (a string: this is asked of every page)."""
        if self.output is None or self.keys.get(path) != key:
            return None
        file = f"{self.output}/{path}"
        try:
            stat = os.stat(file)
        except OSError:
            return None
        stamp = self.stamps.get(path)
        if stamp is not None and stamp != (stat.st_size, stat.st_mtime_ns):
            return None
        return file

    def previous(self, path: str) -> Path | None:
        """The previous output's file for `path`, whatever its key, if there is one."""
        if self.output is None:
            return None
        file = Path(f"{self.output}/{path}")
        return file if file.is_file() else None

    def remember(self, output: Path, keys: dict[str, str], guard: str, written: frozenset[str],
                 linked: frozenset[str] = frozenset()) -> None:
        """After a build: the files now in `output`, with their keys and stamps. Files in
        `linked` were kept from this index's output as they were: their stamps stand."""
        same_output = self.output == output.resolve()
        old = self.stamps if same_output else {}
        self.output, self.keys, self.guard, self.written = output.resolve(), keys, guard, written
        self.stamps = {}
        for path in keys:
            if path in linked and path in old:
                self.stamps[path] = old[path]
                continue
            self.stamp(path)

    def stamp(self, path: str) -> None:
        """Note the stamp of `path` as it is now in the output."""
        try:
            stat = os.stat(f"{self.output}/{path}")
        except OSError:
            return
        self.stamps[path] = (stat.st_size, stat.st_mtime_ns)
