"""What a build did, counted as it goes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildStats:
    """The work a build did rather than took from a memo, for tests and the curious to
    observe instead of watching its insides. Counted in the main process: work done in a
    forked worker is counted by what the parent hands it (guides, pages)."""

    parsed: list[str] = field(default_factory=list)  # cohort files and guides parsed, by path
    guides_converted: int = 0  # Markdown conversions made
    pages_rendered: int = 0  # pages rendered from their templates
    templates_compiled: int = 0  # templates Jinja compiled from their source
    cohorts_restored: int = 0  # checked cohorts whose model was read back from the build cache
    private_values_restored: int = 0  # cohorts whose private values were read back (to say where a leak is)

    @property
    def files_parsed(self) -> int:
        return len(self.parsed)
