"""The loaded programme: validated models with the documents they came from."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from rmsite.core.hashing import text_digest
from rmsite.core.lazy import Lazy
from rmsite.core.problems import Loc
from rmsite.model.document import YamlDoc
from rmsite.model.schema import Cohort, GuideMeta, SiteConfig


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
class CohortSummary:
    """What planning the site's pages needs of a cohort: its name, its people's names and
    its pairs. A cohort taken from the build cache has it at hand, so a build that renders
    none of the cohort's pages never restores the whole cohort (cache.py)."""

    name: str
    people: tuple[tuple[str, str], ...]  # (id, name)
    pairs: tuple[tuple[str, str, str], ...]  # (key, mentor id, mentee id)

    @classmethod
    def of(cls, cohort: Cohort) -> CohortSummary:
        """A cohort's summary; its pairs are the public ones (proposed pairs have no page)."""
        return cls(cohort.name, tuple((p.id, p.name) for p in cohort.people),
                   tuple((p.key, p.mentor, p.mentee) for p in cohort.pairs if p.public))


@dataclass(frozen=True)
class CohortFile:
    """One cohort file, checked against every rule; the id is the file stem.

    Once checked, a cohort keeps only its file's path and hash (the line/column marks
    of a large cohort take more memory than its data); its private values keep their
    locations. `model` and `private_values` are known, or (restored from the build
    cache) made on first use; `summary` is always at hand."""

    id: str
    path: str  # cohorts/<id>.yml
    digest: str  # a hash of the file's text: what later stages key their memos on
    summary: CohortSummary
    model: Lazy[Cohort] = field(repr=False, compare=False)
    private_values: Lazy[tuple[PrivateValue, ...]] = field(repr=False, compare=False)

    @classmethod
    def checked(cls, cohort_id: str, path: str, digest: str, cohort: Cohort,
                private: tuple[PrivateValue, ...]) -> CohortFile:
        """A cohort just checked, with everything at hand."""
        return cls(cohort_id, path, digest, CohortSummary.of(cohort), Lazy.known(cohort), Lazy.known(private))

    @property
    def cohort(self) -> Cohort:
        """The whole cohort, proposed pairs too: for rules, `rmsite match` and the report."""
        return self.model.get()

    @functools.cached_property
    def public(self) -> Cohort:
        """The cohort as the public site shows it: without proposed pairs. Every stage that makes
        a public page or file reads this, never `cohort`."""
        return self.model.get().public()

    @property
    def private(self) -> tuple[PrivateValue, ...]:
        return self.private_values.get()

    def release(self) -> None:
        """Drop the model and private values if they can be read again (from the build's
        spool or its cache, `core.lazy.Reloadable`): a build holds one cohort at a time."""
        self.model.forget()
        self.private_values.forget()
        if not self.model.made:
            self.__dict__.pop("public", None)  # made from the model: made again with it


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
