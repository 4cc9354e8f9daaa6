"""What pages exist and the small, purpose-made views each template gets.

Views hold only what a page shows: private fields (email, phone, session
notes, feedback, check-in comments) are copied only when site.yml publishes
them, so a template cannot print what it was never given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import figures
from .figures import ChecklistItem, PairFigures
from .markdown import ConvertedGuide, Heading
from .match import unpaired_people
from .model import CohortFile, Programme
from .nav import TOP, NavLink, Section, make_sections, reading_order, section_key
from .schema import Cohort, Objective, Pair, Person

COHORT_INDEX = "cohorts/index.html"


def cohort_page(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/index.html"


def pair_page(cohort_id: str, pair_id: str) -> str:
    return f"cohorts/{cohort_id}/{pair_id}/index.html"


def pair_calendar_path(cohort_id: str, pair_id: str) -> str:
    return f"cohorts/{cohort_id}/{pair_id}/meetings.ics"


def cohort_calendar_path(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/calendar.ics"


def progress_path(cohort_id: str) -> str:
    return f"cohorts/{cohort_id}/progress.json"


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and view."""

    path: str
    template: str
    view: Any
    title: str
    description: str = ""
    source: str = ""  # the source file the page comes from, for problems


@dataclass(frozen=True)
class ObjectiveView:
    id: str
    title: str
    measure: str
    target: float
    baseline: float
    unit: str
    due: dt.date
    rationale: str
    owner: str

    @property
    def falling(self) -> bool:
        return self.target < self.baseline


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    title: str
    team: str
    level: int
    bio: str
    offers: tuple[str, ...]
    wants: tuple[str, ...]
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class GoalView:
    id: str
    title: str
    measure: str
    target: float
    baseline: float
    unit: str
    due: dt.date
    objective: ObjectiveView | None
    latest: float
    percent: int
    expected_percent: int
    status: str
    progress: tuple[tuple[dt.date, float, str], ...]


@dataclass(frozen=True)
class SessionView:
    date: dt.date
    minutes: int
    topics: tuple[str, ...]
    outputs: tuple[str, ...]
    notes: str | None
    feedback_to_mentor: str | None
    feedback_to_mentee: str | None


@dataclass(frozen=True)
class CheckInView:
    stage: str
    date: dt.date
    scores: tuple[tuple[str, int], ...]
    comment: str | None


@dataclass(frozen=True)
class PairView:
    id: str
    path: str
    calendar_path: str
    cohort_name: str
    cohort_path: str
    mentor: PersonView
    mentee: PersonView
    focus: tuple[str, ...]
    cadence: str
    session_minutes: int
    first_meeting: dt.date
    next_meeting: dt.date | None
    approved_by: tuple[str, ...]
    ground_rules: tuple[str, ...]
    planned: int
    held: int
    compliance_percent: int | None
    checklist: tuple[ChecklistItem, ...]
    checklist_done: int
    goals: tuple[GoalView, ...]
    sessions: tuple[SessionView, ...]
    check_ins: tuple[CheckInView, ...]
    check_in_change: tuple[tuple[str, float], ...]

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.checklist if item.overdue)


@dataclass(frozen=True)
class CohortView:
    id: str
    path: str
    name: str
    pilot: bool
    starts: dt.date
    ends: dt.date
    cadence: str
    session_minutes: int
    objectives: tuple[ObjectiveView, ...]
    people_count: int
    pairs: tuple[PairView, ...]
    check_in_change: tuple[tuple[str, float], ...]
    progress_path: str
    calendar_path: str
    unpaired: tuple[PersonView, ...] = ()  # people in no pair, when site.yml has show_unpaired


@dataclass(frozen=True)
class GuideView:
    title: str
    summary: str
    html: str
    toc: tuple[Heading, ...]
    audience: tuple[str, ...]
    tags: tuple[str, ...]
    previous: NavLink | None
    next: NavLink | None
    section: Section | None  # the folder section the guide is in; none for top-level guides


@dataclass(frozen=True)
class HomeView:
    body: str
    objectives: tuple[ObjectiveView, ...]
    cohorts: tuple[CohortView, ...]
    guides: tuple[NavLink, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class SiteView:
    """What every page shows: titles, navigation, footer."""

    title: str
    description: str
    organisation: str
    language: str
    guides: tuple[NavLink, ...]  # every guide, in reading order
    sections: tuple[Section, ...]  # the same guides, grouped by top-level folder


def objective_view(objective: Objective) -> ObjectiveView:
    return ObjectiveView(objective.id, objective.title, objective.measure, objective.target,
                         objective.baseline, objective.unit, objective.due, objective.rationale,
                         objective.owner)


def person_view(person: Person, publish: frozenset[str]) -> PersonView:
    return PersonView(person.id, person.name, person.title, person.team, person.level, person.bio,
                      tuple(person.offers), tuple(person.wants),
                      person.email if "email" in publish else None,
                      person.phone if "phone" in publish else None)


def pair_view(cohort_id: str, cohort: Cohort, pair: Pair, f: PairFigures,
              objectives: dict[str, ObjectiveView], publish: frozenset[str]) -> PairView:
    people = {p.id: p for p in cohort.people}
    compliance = f.meetings.compliance
    goals = tuple(GoalView(
        goal.id, goal.title, goal.measure, goal.target, goal.baseline, goal.unit, goal.due,
        objectives.get(goal.objective) if goal.objective else None, g.latest, g.percent,
        g.expected_percent, g.status, tuple((e.date, e.value, e.note) for e in goal.progress),
    ) for goal, g in f.goals)
    minutes = figures.pair_session_minutes(pair, cohort)
    sessions = tuple(SessionView(
        s.date, s.minutes or minutes, tuple(s.topics), tuple(s.outputs),
        s.notes if "notes" in publish else None,
        s.feedback.to_mentor if s.feedback and "feedback" in publish else None,
        s.feedback.to_mentee if s.feedback and "feedback" in publish else None,
    ) for s in pair.sessions)
    check_ins = tuple(CheckInView(c.stage, c.date, tuple(c.scores.items()),
                                  c.comment if "comment" in publish else None) for c in pair.check_ins)
    return PairView(
        id=pair.key, path=pair_page(cohort_id, pair.key),
        calendar_path=pair_calendar_path(cohort_id, pair.key), cohort_name=cohort.name,
        cohort_path=cohort_page(cohort_id),
        mentor=person_view(people[pair.mentor], publish), mentee=person_view(people[pair.mentee], publish),
        focus=tuple(pair.focus), cadence=figures.pair_cadence(pair, cohort), session_minutes=minutes,
        first_meeting=figures.pair_first_meeting(pair, cohort), next_meeting=f.next_meeting,
        approved_by=tuple(pair.approved_by), ground_rules=tuple(pair.ground_rules),
        planned=f.meetings.planned, held=f.meetings.held,
        compliance_percent=None if compliance is None else figures.whole_percent(compliance),
        checklist=f.checklist, checklist_done=f.checklist_done, goals=goals, sessions=sessions,
        check_ins=check_ins, check_in_change=tuple(f.check_in_change.items()),
    )


def cohort_view(entry: CohortFile, pairs: tuple[PairView, ...],
                objectives: dict[str, ObjectiveView], show_unpaired: bool = False) -> CohortView:
    cohort = entry.cohort
    # never a private field here, whatever site.yml publishes
    unpaired = tuple(person_view(p, frozenset()) for p in unpaired_people(cohort)) if show_unpaired else ()
    return CohortView(
        id=entry.id, path=cohort_page(entry.id), name=cohort.name, pilot=cohort.pilot,
        starts=cohort.starts, ends=cohort.ends, cadence=cohort.cadence,
        session_minutes=cohort.session_minutes,
        objectives=tuple(objectives[o] for o in cohort.objectives if o in objectives),
        people_count=len(cohort.people), pairs=pairs,
        check_in_change=tuple(figures.check_in_change(cohort.pairs).items()),
        progress_path=progress_path(entry.id), calendar_path=cohort_calendar_path(entry.id),
        unpaired=unpaired,
    )


def plan_pages(programme: Programme, guides: list[ConvertedGuide],
               pair_figures: dict[tuple[str, str], PairFigures]) -> tuple[SiteView, list[Page]]:
    """Every HTML page of the site, in a stable order, with its view."""
    config = programme.site.config
    publish = frozenset(config.privacy.publish)
    objectives = {o.id: objective_view(o) for o in config.programme.objectives}
    home_guide = next((g for g in guides if g.source.rel == "index.md"), None)
    by_page = {g.source.page_path: g for g in guides if g is not home_guide}
    sections = make_sections([g.source for g in by_page.values()])
    nav = reading_order(sections)
    section_of = {s.key: s for s in sections}
    cohort_views = []
    for entry in programme.cohorts:
        pair_views = tuple(pair_view(entry.id, entry.cohort, pair, pair_figures[(entry.id, pair.key)],
                                     objectives, publish) for pair in entry.cohort.pairs)
        cohort_views.append(cohort_view(entry, pair_views, objectives, config.show_unpaired))
    site = SiteView(config.title, config.description, config.organisation, config.language, nav, sections)
    home = HomeView(home_guide.html if home_guide else "", tuple(objectives.values()),
                    tuple(cohort_views), nav, sections)
    home_description = (home_guide.source.meta.summary if home_guide else "") or config.description
    pages = [Page("index.html", "home.html", home, config.title, home_description)]
    for index, link in enumerate(nav):
        guide = by_page[link.path]
        meta = guide.source.meta
        key = section_key(guide.source.rel)
        view = GuideView(meta.title, meta.summary, guide.html, guide.toc, tuple(meta.audience),
                         tuple(meta.tags), nav[index - 1] if index else None,
                         nav[index + 1] if index + 1 < len(nav) else None,
                         section_of[key] if key != TOP else None)
        pages.append(Page(guide.source.page_path, "guide.html", view, meta.title, meta.summary,
                          guide.source.source_path))
    pages.append(Page(COHORT_INDEX, "cohorts.html", tuple(cohort_views), "Cohorts"))
    for cohort in cohort_views:
        pages.append(Page(cohort.path, "cohort.html", cohort, cohort.name, source=f"cohorts/{cohort.id}.yml"))
        for pair in cohort.pairs:
            pages.append(Page(pair.path, "pair.html", pair,
                              f"{pair.mentor.name} and {pair.mentee.name}"))
    pages.append(Page("404.html", "404.html", None, "Page not found"))
    return site, pages
