"""What a build is asked to do, and what it gives back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rmsite.core.problems import Problem
from rmsite.core.stats import BuildStats
from rmsite.model.programme import Programme
from rmsite.output.folders import Removal
from rmsite.site.markdown import ConvertedGuide
from rmsite.source.files import SourceFile


@dataclass(frozen=True)
class Options:
    """What the command line can set; None means 'use site.yml, then the default'."""

    source: Path = Path(".")
    output: Path | None = None
    base_url: str | None = None
    as_of: dt.date | None = None
    strict: bool = False
    drafts: bool = False
    jobs: int | None = None  # worker processes for converting and rendering; None: one per core


@dataclass(frozen=True)
class WriteMode:
    """How a build puts the new site in place of the old one (output/staging.py)."""

    in_place: bool = False  # change only what changed, in a folder only rmsite reads (the preview's)
    spare: Path | None = None  # keep the replaced site here, for the next build to start from
    remove_later: bool = False  # the replaced site is removed by a forked process: BuildResult.removal


REPLACE = WriteMode()
IN_PLACE = WriteMode(in_place=True)


@dataclass(frozen=True)
class Loaded:
    """A validated programme with its guides converted: what `check` produces."""

    programme: Programme | None
    guides: tuple[ConvertedGuide, ...]
    problems: list[Problem]
    static: tuple[SourceFile, ...] = ()  # the site's static/ files, checked like every source file
    templates: tuple[SourceFile, ...] = ()  # the site's templates/ files, checked by the leak guard
    conversion: tuple[Problem, ...] = ()  # of `problems`, those from converting guides (before --strict)
    others: tuple[Problem, ...] = ()  # the rest (before --strict)


@dataclass(frozen=True)
class BuildResult:
    """What a build or an update gives back."""

    problems: list[Problem]
    output: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    written: bool = False
    files: tuple[str, ...] = field(default_factory=tuple)
    base_url: str = "/"
    reused: int = 0  # pages taken unchanged from the previous output
    external: tuple[tuple[str, str], ...] = ()  # (page, address) of every link to another site
    updated: bool = False  # made by an update from the changed paths, not a full build (update.py)
    removal: Removal = Removal()  # the replaced site's removal, with WriteMode.remove_later
    stats: BuildStats = field(default_factory=BuildStats, compare=False)
