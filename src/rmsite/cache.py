"""What a long-running preview keeps between builds, so a rebuild converts
and renders only what changed. Passed to `build` explicitly; never global."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .markdown import ConvertedGuide
from .model import GuideSource
from .problems import Problem


def digest(*parts: object) -> str:
    """A stable hash of the reprs of some values."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True)
class CachedGuide:
    key: str
    lookups: tuple[tuple[str, object], ...]  # each linked guide and what it resolved to
    guide: ConvertedGuide
    problems: tuple[Problem, ...]


@dataclass
class BuildCache:
    """Converted guides by source, and the render key of each file in the output."""

    guides: dict[str, CachedGuide] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    output: Path | None = None

    def guide(self, source: GuideSource, pretty: bool, resolve) -> CachedGuide | None:
        """The cached conversion, if the guide and every guide it links to are unchanged."""
        entry = self.guides.get(source.rel)
        if entry is None or entry.key != guide_key(source, pretty):
            return None
        if any(resolve(target) != result for target, result in entry.lookups):
            return None
        return entry

    def reusable(self, path: str, key: str) -> Path | None:
        """The previous output file for `path` when it was rendered from the same inputs."""
        if self.output is None or self.pages.get(path) != key:
            return None
        file = self.output / path
        return file if file.is_file() else None


def guide_key(source: GuideSource, pretty: bool) -> str:
    return digest(source.rel, source.body, source.body_first_line, pretty)
