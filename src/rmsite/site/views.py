"""What pages exist and the small, purpose-made views each template gets.

Views hold only what a page shows: private fields (email, phone, session
notes, feedback, check-in comments) are copied only when site.yml publishes
them, so a template cannot print what it was never given."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar, get_args
from urllib.parse import quote

from rmsite.core.urls import cohort_calendar_path, cohort_page, pair_calendar_path, pair_page, progress_path
from rmsite.model import figures, rollups
from rmsite.model.figures import ChecklistItem, GoalFigures, PairFigures, unpaired_people
from rmsite.model.programme import CohortFile
from rmsite.model.rollups import CohortTotals, ObjectiveRollup, ScoreStages
from rmsite.model.schema import (
    FORM_PLACEHOLDER,
    Cohort,
    Forms,
    Goal,
    Objective,
    Pair,
    Person,
    Side,
    Stage,
    approval_date,
    approval_name,
    pair_name,
)
from rmsite.site import charts
from rmsite.site.charts import BarChart, ScoreChart, TrackChart
from rmsite.site.markdown import Heading
from rmsite.site.nav import NavLink, Section
from rmsite.site.trackers import (
    AttentionView,
    ChecklistGroup,
    ContributionView,
    EntryView,
    RetrospectiveView,
    attention_view,
    checklist_groups,
    compliance_chart,
    entry_views,
    retrospective_view,
    status_chart,
    steady_value,
)

T = TypeVar("T")


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
    achievable: str  # what makes it achievable (the A of SMART), when the objective says

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
    hours_per_month: float | None = None  # the time they can give (not private; shown in the report)


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
    start: dt.date  # the pair's first meeting, where the steady line starts
    expected_value: float  # where steady progress from baseline to target would be by as_of
    entries: tuple[EntryView, ...]
    chart: TrackChart


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
    by: str | None = None  # mentor or mentee: who answered


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
    checklist_groups: tuple[ChecklistGroup, ...]
    checklist_key: str  # names this pair's checklist in a browser's own storage
    compliance: float | None
    attention: AttentionView
    log_meeting_url: str | None = None  # the programme's meeting-log form, with the pair filled in
    check_in_url: str | None = None  # its check-in form
    status: str = "active"  # proposed, active, paused or ended
    status_date: dt.date | None = None
    scores: bool = True  # its check-in scores and changes are shown (privacy.publish has scores)
    approvals: tuple[tuple[str, dt.date | None], ...] = ()  # each sign-off: who, and when
    status_reason: str | None = None  # private: only in the coordinator's report
    check_in_change_by: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()  # each side's, with scores

    @property
    def approved_by(self) -> tuple[str, ...]:
        """Who signed the pairing off (their names; `approvals` has the dates too)."""
        return tuple(name for name, _ in self.approvals)

    @property
    def status_text(self) -> str:
        """'paused since 3 March 2027', 'ended on …', or '' for an active pair."""
        when = f"{self.status_date.day} {self.status_date:%B %Y}" if self.status_date else ""
        if self.status == "paused":
            return f"paused since {when}" if when else "paused"
        if self.status == "ended":
            return f"ended on {when}" if when else "ended"
        return "proposed, awaiting sign-off" if self.status == "proposed" else ""

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.checklist if item.overdue)

    @property
    def name(self) -> str:
        return pair_name(self.mentor.name, self.mentee.name)


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
    pairs: Sequence[PairView]  # a tuple; for the pages made from every cohort, a plan.PairList
    check_in_change: tuple[tuple[str, float], ...]
    progress_path: str
    calendar_path: str
    totals: CohortTotals
    ranked: Sequence[PairView]  # pairs needing attention first, most reasons first (as `pairs`)
    status_chart: BarChart
    compliance_chart: BarChart
    scores: tuple[ScoreStages, ...]  # means that fewer than min_group answered are withheld
    score_chart: ScoreChart
    retrospective: RetrospectiveView | None
    running: bool  # as_of falls between starts and ends
    unpaired: tuple[PersonView, ...] = ()  # people in no pair, when site.yml has show_unpaired
    scores_by: tuple[tuple[str, tuple[ScoreStages, ...]], ...] = ()  # ("mentor", …), ("mentee", …): by who answered
    min_group: int = 3  # privacy.min_group: the fewest respondents behind a mean shown

    @property
    def attention(self) -> tuple[PairView, ...]:
        return tuple(p for p in self.ranked if p.attention.needed)


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
    listing: SectionPageView | None = None  # content/<folder>.md: its page also lists the folder's guides


@dataclass(frozen=True)
class SectionPageView:
    """One page of the list of a folder section's guides (`<folder>/index.html`, then
    `<folder>/page/<n>/index.html`): SECTION_PAGE_SIZE guides a page."""

    section: Section
    number: int  # from 1
    guides: tuple[NavLink, ...]  # this page's
    first: int  # the first guide's place in the section, from 1
    pages: tuple[str, ...]  # every page of the list, in order

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def summary(self) -> str:
        return self.section.summary

    @property
    def last(self) -> int:
        return self.first + len(self.guides) - 1

    @property
    def previous(self) -> str | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


@dataclass(frozen=True)
class ObjectiveTrackerView(ObjectiveView):
    """An objective on the home page: its own measurements and the goals serving it."""

    start: dt.date | None  # where its steady line starts: see rollups.objective_start
    latest: float | None  # None until a progress entry is dated on or before as_of
    percent: int | None
    expected_percent: int | None
    expected_value: float | None
    status: str | None
    entries: tuple[EntryView, ...]
    chart: TrackChart | None  # None without a start or entries
    goals: tuple[ContributionView, ...]
    goals_by_status: tuple[tuple[str, int], ...]
    cohorts: tuple[NavLink, ...]  # the cohorts serving it
    shown_goals: tuple[ContributionView, ...] = ()  # every goal, or when there are many, those most behind
    goals_by_cohort: tuple[CohortGoalCount, ...] = ()  # how many goals each serving cohort has, and behind


@dataclass(frozen=True)
class CohortGoalCount:
    cohort: NavLink
    goals: int
    needing_attention: int  # behind or overdue


@dataclass(frozen=True)
class HomeView:
    body: str
    objectives: tuple[ObjectiveTrackerView, ...]
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
    indexable: bool = True  # false: pages ask search engines not to index them
    search: bool = True  # the site has a search box and page (search/index.html)


def objective_view(objective: Objective) -> ObjectiveView:
    return ObjectiveView(objective.id, objective.title, objective.measure, objective.target,
                         objective.baseline, objective.unit, objective.due, objective.rationale,
                         objective.owner, objective.achievable)


def person_view(person: Person, publish: frozenset[str]) -> PersonView:
    return PersonView(person.id, person.name, person.title, person.team, person.level, person.bio,
                      tuple(person.offers), tuple(person.wants),
                      person.email if "email" in publish else None,
                      person.phone if "phone" in publish else None, person.hours_per_month)


def goal_view(goal: Goal, g: GoalFigures, start: dt.date, objective: ObjectiveView | None,
              as_of: dt.date) -> GoalView:
    entries = tuple((e.date, e.value, e.note) for e in goal.progress)
    return GoalView(
        goal.id, goal.title, goal.measure, goal.target, goal.baseline, goal.unit, goal.due,
        objective, g.latest, g.percent, g.expected_percent, g.status, entries, start,
        steady_value(goal.baseline, goal.target, g.expected),
        entry_views(entries, goal.baseline, goal.target, as_of),
        charts.track_chart(start, goal.due, goal.baseline, goal.target, entries, as_of))


def in_order(scores: Iterable[tuple[str, T]], order: Sequence[str] | None) -> list[tuple[str, T]]:
    """Scores by name in the order of programme.check_in_scores, when it is set; else as given."""
    items = list(scores)
    if order is None:
        return items
    rank = {name: i for i, name in enumerate(order)}
    return sorted(items, key=lambda item: rank.get(item[0], len(rank)))


def form_url(template: str | None, cohort_id: str, pair: Pair, people: dict[str, Person]) -> str | None:
    """A form's address with the pair's ids and names filled in, URL-encoded; never a private field."""
    if template is None:
        return None
    order = get_args(Stage)
    answered = max((order.index(c.stage) for c in pair.check_ins), default=-1)  # the stage after the latest
    values = {"cohort": cohort_id, "pair": pair.key, "mentor": pair.mentor, "mentee": pair.mentee,
              "mentor_name": people[pair.mentor].name, "mentee_name": people[pair.mentee].name,
              "stage": order[min(answered + 1, len(order) - 1)]}
    return FORM_PLACEHOLDER.sub(lambda m: quote(values.get(m[1], m[0]), safe=""), template)


def pair_view(cohort_id: str, cohort: Cohort, pair: Pair, f: PairFigures,
              objectives: dict[str, ObjectiveView], publish: frozenset[str], as_of: dt.date,
              score_order: Sequence[str] | None = None, forms: Forms | None = None) -> PairView:
    """A pair as its page shows it; `publish` names the private fields it may show (the
    report passes every one, and `reason` for the status's)."""
    people = {p.id: p for p in cohort.people}
    compliance = f.meetings.compliance
    start = figures.pair_first_meeting(pair, cohort)
    goals = tuple(goal_view(goal, g, start, objectives.get(goal.objective) if goal.objective else None,
                            as_of) for goal, g in f.goals)
    minutes = figures.pair_session_minutes(pair, cohort)
    sessions = tuple(SessionView(
        s.date, s.minutes or minutes, tuple(s.topics), tuple(s.outputs),
        s.notes if "notes" in publish else None,
        s.feedback.to_mentor if s.feedback and "feedback" in publish else None,
        s.feedback.to_mentee if s.feedback and "feedback" in publish else None,
    ) for s in pair.sessions)
    scores = "scores" in publish
    check_ins = tuple(CheckInView(c.stage, c.date, tuple(in_order(c.scores.items(), score_order)) if scores else (),
                                  c.comment if "comment" in publish else None, c.by) for c in pair.check_ins)
    active = pair.status == "active"
    return PairView(
        id=pair.key, path=pair_page(cohort_id, pair.key),
        calendar_path=pair_calendar_path(cohort_id, pair.key), cohort_name=cohort.name,
        cohort_path=cohort_page(cohort_id),
        mentor=person_view(people[pair.mentor], publish), mentee=person_view(people[pair.mentee], publish),
        focus=tuple(pair.focus), cadence=figures.pair_cadence(pair, cohort), session_minutes=minutes,
        first_meeting=figures.pair_first_meeting(pair, cohort), next_meeting=f.next_meeting,
        ground_rules=tuple(pair.ground_rules),
        planned=f.meetings.planned, held=f.meetings.held,
        compliance_percent=None if compliance is None else figures.whole_percent(compliance),
        checklist=f.checklist, checklist_done=f.checklist_done, goals=goals, sessions=sessions,
        check_ins=check_ins,
        check_in_change=tuple(in_order(f.check_in_change.items(), score_order)) if scores else (),
        checklist_groups=checklist_groups(f.checklist), checklist_key=f"{cohort_id}/{pair.key}",
        compliance=compliance,
        attention=attention_view(rollups.attention(pair, cohort, f, as_of)),
        log_meeting_url=form_url(forms.sessions if forms and active else None, cohort_id, pair, people),
        check_in_url=form_url(forms.check_ins if forms and active else None, cohort_id, pair, people),
        status=pair.status, status_date=pair.status_date, scores=scores,
        approvals=tuple((approval_name(a), approval_date(a)) for a in pair.approved_by),
        status_reason=pair.status_reason if "reason" in publish else None,
        check_in_change_by=tuple((side, tuple(in_order(change.items(), score_order)))
                                 for side, change in f.check_in_change_by.items() if change) if scores else (),
    )


def grouped_scores(pairs: Sequence[Pair], min_group: int, score_order: Sequence[str] | None,
                   by: str | None = None) -> tuple[ScoreStages, ...]:
    """The cohort's mean scores by stage, in the programme's order, each mean that fewer than
    `min_group` people answered withheld."""
    stages = ((s.name, s.grouped(min_group)) for s in rollups.score_stages(pairs, by))
    return tuple(s for _, s in in_order(stages, score_order))


def cohort_view(entry: CohortFile, pairs: tuple[PairView, ...], objectives: dict[str, ObjectiveView],
                pair_figures: Sequence[PairFigures], as_of: dt.date, show_unpaired: bool = False,
                score_order: Sequence[str] | None = None, min_group: int = 3,
                cohort: Cohort | None = None) -> CohortView:
    """A cohort as its page shows it: of its public pairs, or of `cohort` (the report's: every pair,
    though its figures, like the page's, count no proposed pair)."""
    cohort = cohort or entry.public
    counted = [(p, f) for p, f in zip(pairs, pair_figures) if p.status != "proposed"]
    totals = rollups.cohort_totals([f for _, f in counted])
    public = cohort.public().pairs
    scores = grouped_scores(public, min_group, score_order)
    by_side = rollups.complement_safe(
        scores, {side: grouped_scores(public, min_group, score_order, side) for side in get_args(Side)}, min_group)
    scores_by = tuple(by_side.items())
    # never a private field here, whatever site.yml publishes
    unpaired = tuple(person_view(p, frozenset()) for p in unpaired_people(cohort)) if show_unpaired else ()
    return CohortView(
        id=entry.id, path=cohort_page(entry.id), name=cohort.name, pilot=cohort.pilot,
        starts=cohort.starts, ends=cohort.ends, cadence=cohort.cadence,
        session_minutes=cohort.session_minutes,
        objectives=tuple(objectives[o] for o in cohort.objectives if o in objectives),
        people_count=len(cohort.people), pairs=pairs,
        check_in_change=tuple((s.name, s.change) for s in scores if s.change is not None),
        progress_path=progress_path(entry.id), calendar_path=cohort_calendar_path(entry.id),
        totals=totals, ranked=tuple(p for p, _ in rollups.attention_first([(p, p.attention) for p in pairs])),
        status_chart=status_chart(totals), compliance_chart=compliance_chart(
            [(p.name, f.meetings) for p, f in counted]), scores=scores,
        score_chart=charts.score_chart([(s.name, s.before, s.during, s.after) for s in scores]),
        retrospective=retrospective_view(cohort.retrospective),
        running=cohort.starts <= as_of <= cohort.ends,
        unpaired=unpaired, min_group=min_group,  # a side's table only when it has a mean to show
        scores_by=tuple((side, rows) for side, rows in scores_by if any(m is not None for r in rows for m in r.means)),
    )


def contribution_view(c: rollups.ContributingGoal, pairs: dict[tuple[str, str], PairView]) -> ContributionView:
    pair = pairs[(c.cohort_id, c.pair_key)]
    return ContributionView(c.goal_id, c.title, c.figures.status, c.figures.percent, c.figures.latest,
                            c.target, c.unit, pair.name, pair.path, c.cohort_name)


def objective_tracker(o: ObjectiveRollup, base: ObjectiveView, pairs: dict[tuple[str, str], PairView],
                      cohort_links: dict[str, NavLink], as_of: dt.date,
                      views: tuple[ContributionView, ...] | None = None) -> ObjectiveTrackerView:
    """An objective as the home page tracks it; `views` may hold its goals' views, made before."""
    objective, f = o.objective, o.figures
    entries = tuple((e.date, e.value, e.note) for e in objective.progress)
    chart = (charts.track_chart(o.start, objective.due, objective.baseline, objective.target, entries, as_of)
             if o.start is not None and entries else None)
    goals = views if views is not None else tuple(contribution_view(c, pairs) for c in o.goals)
    per_cohort = Counter(c.cohort_id for c in o.goals)
    behind = Counter(c.cohort_id for c in o.goals if c.figures.status in rollups.NEEDS_ATTENTION)
    return ObjectiveTrackerView(
        **vars(base), start=o.start, latest=f.latest if f else None, percent=f.percent if f else None,
        expected_percent=f.expected_percent if f else None,
        expected_value=steady_value(objective.baseline, objective.target, f.expected) if f else None,
        status=f.status if f else None,
        entries=entry_views(entries, objective.baseline, objective.target, as_of), chart=chart,
        goals=goals, goals_by_status=o.goals_by_status,
        cohorts=tuple(cohort_links[c] for c in o.cohorts), shown_goals=goals_to_show(goals),
        goals_by_cohort=tuple(CohortGoalCount(cohort_links[c], per_cohort[c], behind[c]) for c in o.cohorts))


HOME_GOALS = 12  # goals listed under an objective on the home page, at most
SHOWN_FIRST = ("overdue", "behind", "at risk")


def goals_to_show(goals: tuple[ContributionView, ...], limit: int = HOME_GOALS) -> tuple[ContributionView, ...]:
    """Every goal when there are few; otherwise those most behind (overdue, then behind, then at
    risk; within each, the least progress first), so that the home page stays short however
    large the programme."""
    if len(goals) <= limit:
        return goals
    worst = [g for g in goals if g.status in SHOWN_FIRST]
    return tuple(sorted(worst, key=lambda g: (SHOWN_FIRST.index(g.status), g.percent))[:limit])
