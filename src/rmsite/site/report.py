"""The coordinator's report: what the public site leaves out, cohort by cohort. It is made
from the build's own figures and views (plan.Views with the report's audience: every pair,
every private field, every mean), so nothing is computed twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rmsite.core.problems import Problem
from rmsite.model.figures import unpaired_people
from rmsite.model.programme import Programme
from rmsite.site.plan import REPORT_PUBLISHES, PairFigureBook, Views
from rmsite.site.views import CohortView, PairView, PersonView, person_view


@dataclass(frozen=True)
class WarningView:
    """One warning of `rmsite check`, with the reason site.yml accepts it for, if it does."""

    where: str  # path:line:column
    message: str
    code: str
    subject: str
    accepted: str  # the accept entry's reason, or ""

    @classmethod
    def of(cls, problem: Problem) -> WarningView:
        where = f"{problem.path}:{problem.line}" + (f":{problem.column}" if problem.column else "")
        return cls(where, problem.message, problem.code, problem.subject, problem.accepted)


@dataclass(frozen=True)
class ReportCohort:
    cohort: CohortView  # of every pair, means of any number of answers
    pairs: tuple[PairView, ...]  # active, paused and ended: those needing attention first
    proposed: tuple[PairView, ...]  # awaiting sign-off
    unpaired: tuple[PersonView, ...]  # in no pair at all, with contacts and hours
    warnings: tuple[WarningView, ...]

    @property
    def attention(self) -> int:
        return sum(1 for p in self.pairs if p.attention.needed)


@dataclass(frozen=True)
class ReportView:
    title: str
    organisation: str
    as_of: dt.date
    cohorts: tuple[ReportCohort, ...]
    warnings: tuple[WarningView, ...]  # of the programme's other files (site.yml, guides, …)
    published: tuple[str, ...]  # what site.yml publishes, for the note on what the public site shows
    min_group: int

    @property
    def accepted(self) -> int:
        every = self.warnings + tuple(w for c in self.cohorts for w in c.warnings)
        return sum(1 for w in every if w.accepted)


def about(problem: Problem, chosen: set[str], every: set[str]) -> bool:
    """Whether a warning of the programme's other files belongs in a report of the `chosen` cohorts:
    one about a cohort (its subject starts with a cohort's id) only in that cohort's report."""
    cohort = problem.subject.split("/", 1)[0]
    return cohort not in every or cohort in chosen


def report_view(programme: Programme, problems: Sequence[Problem], cohorts: Sequence[str] = ()) -> ReportView:
    """The report of the programme, of the cohorts named (all when none are), with its warnings."""
    views = Views(programme, PairFigureBook(programme, None, report=True))
    warnings = [p for p in problems if p.severity == "warning"]
    made = []
    shown_paths = {entry.path for entry in programme.cohorts}
    for entry in programme.cohorts:
        if cohorts and entry.id not in cohorts:
            continue
        cohort_view = views.cohort(entry)
        made.append(ReportCohort(
            cohort_view,
            tuple(p for p in cohort_view.ranked if p.status != "proposed"),
            tuple(p for p in cohort_view.ranked if p.status == "proposed"),
            tuple(person_view(p, REPORT_PUBLISHES) for p in unpaired_people(entry.cohort)),
            tuple(WarningView.of(p) for p in warnings if p.path == entry.path)))
    config = programme.site.config
    chosen, every = {c.cohort.id for c in made}, {entry.id for entry in programme.cohorts}
    others = [p for p in warnings if p.path not in shown_paths and about(p, chosen, every)]
    return ReportView(config.title, config.organisation, programme.as_of, tuple(made),
                      tuple(WarningView.of(p) for p in others),
                      tuple(config.privacy.publish), config.privacy.min_group)
