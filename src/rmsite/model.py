"""The loaded programme: validated models with the documents they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .load import YamlDoc, text_digest
from .problems import Loc
from .schema import Cohort, GuideMeta, SiteConfig


@dataclass(frozen=True)
class ConfigFile:
    """site.yml, validated."""

    config: SiteConfig
    doc: YamlDoc


@dataclass(frozen=True)
class PrivateValue:
    """A value of a private field, with where it is, for the leak guard."""

    field: str  # email, phone, notes, feedback or comment
    value: str
    loc: Loc
    owner: str  # what it belongs to, for the message


@dataclass(frozen=True)
class CohortFile:
    """One cohort file, validated; the id is the file stem.

    Once every rule is checked, `doc` keeps only the file's path and hash (the
    line/column marks of a large cohort take more memory than its data), and
    the private values, with their locations, are kept in `private`."""

    id: str
    cohort: Cohort
    doc: YamlDoc
    private: tuple[PrivateValue, ...] = ()


@dataclass(frozen=True)
class GuideSource:
    """A guide's front matter and Markdown body, with where the body starts."""

    rel: str  # path relative to content/, posix, e.g. "for-mentors/first-meeting.md"
    meta: GuideMeta
    body: str
    body_first_line: int

    @property
    def source_path(self) -> str:
        return f"content/{self.rel}"

    @property
    def digest(self) -> str:
        """A hash of everything the guide's page is made from."""
        return text_digest(f"{self.rel}\x00{self.meta!r}\x00{self.body}", self.body_first_line)

    @property
    def page_path(self) -> str:
        """The output page: `<path>/index.html`; content/index.md is the home page."""
        stem = self.rel[:-3]
        if stem == "index":
            return "index.html"
        return f"{stem}/index.html"


@dataclass(frozen=True)
class Programme:
    """Everything the build reads, validated, plus the date figures are computed at."""

    site: ConfigFile
    cohorts: tuple[CohortFile, ...]
    guides: tuple[GuideSource, ...]
    as_of: dt.date
    base_url: str
