"""Computed values: goal progress and status, meeting series and compliance,
checklist state, check-in changes. Pure functions of the model and as_of."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from rmsite.model.schema import Cohort, ExpectationItem, Goal, Pair, Person, SiteConfig

MEETINGS_PER_MONTH = {"weekly": 52 / 12, "fortnightly": 26 / 12, "monthly": 1.0}
STATUSES = ("done", "on track", "at risk", "behind", "overdue")


def normalise_topic(topic: str) -> str:
    """Topics are the same after case folding and collapsing white space."""
    return " ".join(topic.casefold().split())


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def whole_percent(fraction: float) -> int:
    """A fraction shown as a whole percent, rounded down (0.999 is 99%, not 100%)."""
    return math.floor(fraction * 100 + 1e-9)


# --- meetings ---------------------------------------------------------------

def pair_cadence(pair: Pair, cohort: Cohort) -> str:
    return pair.cadence or cohort.cadence


def pair_session_minutes(pair: Pair, cohort: Cohort) -> int:
    return pair.session_minutes or cohort.session_minutes


def pair_first_meeting(pair: Pair, cohort: Cohort) -> dt.date:
    return pair.first_meeting or cohort.starts


def add_months(start: dt.date, months: int) -> dt.date | None:
    """The same day `months` later, or None when that month has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR or start.day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, start.day)


def meeting_series(first: dt.date, cadence: str) -> Iterator[dt.date]:
    """The meeting series from `first`, in order, as far as dates go.

    Weekly and fortnightly repeat every 7 or 14 days; monthly repeats on the
    same day of the month, skipping months without that day (as iCalendar does)."""
    if cadence == "monthly":
        for months in range((dt.MAXYEAR - first.year + 1) * 12):
            day = add_months(first, months)
            if day is not None:
                yield day
        return
    step = dt.timedelta(days=7 if cadence == "weekly" else 14)
    day = first
    while True:
        yield day
        if day > dt.date.max - step:
            return
        day += step


def meeting_dates(first: dt.date, cadence: str, until: dt.date) -> list[dt.date]:
    """The meeting series from `first` up to and including `until`."""
    return list(itertools.takewhile(lambda day: day <= until, meeting_series(first, cadence)))


def next_meeting(pair: Pair, cohort: Cohort, as_of: dt.date) -> dt.date | None:
    """The first planned meeting on or after as_of, within the cohort."""
    for day in meeting_series(pair_first_meeting(pair, cohort), pair_cadence(pair, cohort)):
        if day > cohort.ends:
            return None
        if day >= as_of:
            return day
    return None


@dataclass(frozen=True)
class Meetings:
    planned: int
    held: int
    compliance: float | None


def meetings(pair: Pair, cohort: Cohort, as_of: dt.date) -> Meetings:
    """Planned meetings to date, sessions held by as_of, and their ratio."""
    until = min(as_of, cohort.ends)
    planned = len(meeting_dates(pair_first_meeting(pair, cohort), pair_cadence(pair, cohort), until))
    held = sum(1 for session in pair.sessions if session.date <= as_of)
    return Meetings(planned, held, held / planned if planned else None)


def meeting_hours(session_minutes: int, cadence: str) -> float:
    """Hours a month that meetings of this length and cadence take."""
    return session_minutes / 60 * MEETINGS_PER_MONTH[cadence]


def hours_per_month(pair: Pair, cohort: Cohort) -> float:
    """Hours a month a pair's meetings take from each of its two people."""
    return meeting_hours(pair_session_minutes(pair, cohort), pair_cadence(pair, cohort))


def over_capacity(needed: float, hours_per_month: float | None) -> bool:
    """True when `needed` hours a month exceed what a person has (None: not checked)."""
    return hours_per_month is not None and needed > hours_per_month + 1e-9


TAKES_TIME = ("active", "paused")  # pairs whose meetings a person's hours are counted for


def hours_needed(cohort: Cohort) -> dict[str, float]:
    """Per person id, the hours a month all their active and paused pairs in the cohort need."""
    needed: dict[str, float] = {}
    for pair in cohort.pairs:
        if pair.status not in TAKES_TIME:
            continue
        hours = hours_per_month(pair, cohort)
        for person_id in {pair.mentor, pair.mentee}:
            needed[person_id] = needed.get(person_id, 0.0) + hours
    return needed


# --- checklist --------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    scope: str  # programme, cohort or pair
    due: dt.date | None
    done_on: dt.date | None
    overdue: bool

    @property
    def state(self) -> str:
        return "done" if self.done_on else ("overdue" if self.overdue else "open")


def expectation_items(site: SiteConfig, cohort: Cohort, pair: Pair) -> list[tuple[str, ExpectationItem]]:
    """The pair's whole checklist in order: programme, cohort, then pair items."""
    return ([("programme", item) for item in site.programme.expectations]
            + [("cohort", item) for item in cohort.expectations]
            + [("pair", item) for item in pair.expectations])


def item_due(item: ExpectationItem, cohort: Cohort) -> dt.date | None:
    """An item's `due`, else the cohort's start plus `due_week` weeks, else None."""
    due: dt.date | None = getattr(item, "due", None)  # a pair's own items may have a date
    if due is not None:
        return due
    if item.due_week is not None:
        return cohort.starts + dt.timedelta(days=7 * item.due_week)
    return None


def checklist(site: SiteConfig, cohort: Cohort, pair: Pair, as_of: dt.date) -> list[ChecklistItem]:
    """Each checklist item with its due date, done date and overdue flag."""
    items = []
    for scope, item in expectation_items(site, cohort, pair):
        due = item_due(item, cohort)
        done_on = pair.done.get(item.id)
        overdue = done_on is None and due is not None and due < as_of
        items.append(ChecklistItem(item.id, item.text, scope, due, done_on, overdue))
    return items


# --- goals ------------------------------------------------------------------

@dataclass(frozen=True)
class GoalFigures:
    latest: float
    progress: float
    expected: float
    status: str

    @property
    def percent(self) -> int:
        return whole_percent(self.progress)

    @property
    def expected_percent(self) -> int:
        return whole_percent(self.expected)


def latest_value(goal: Goal, as_of: dt.date) -> float:
    """The value of the last progress entry on or before as_of, else the baseline."""
    values = [entry.value for entry in goal.progress if entry.date <= as_of]
    return values[-1] if values else goal.baseline


def goal_progress(latest: float, baseline: float, target: float) -> float:
    """(latest − baseline) / (target − baseline), clamped to 0..1; falling targets work."""
    if target == baseline:
        return 1.0 if latest == target else 0.0
    return clamp((latest - baseline) / (target - baseline))


def expected_progress(start: dt.date, due: dt.date, as_of: dt.date) -> float:
    """Share of the time from start to due that has passed by as_of (1 when due ≤ start)."""
    if due <= start:
        return 1.0
    return clamp((as_of - start).days / (due - start).days)


def goal_status(progress: float, expected: float, due: dt.date, as_of: dt.date) -> str:
    """done, overdue, on track, at risk or behind, as the format defines them."""
    if progress >= 1:
        return "done"
    if as_of > due:
        return "overdue"
    if progress >= expected - 0.10:
        return "on track"
    if progress >= expected - 0.25:
        return "at risk"
    return "behind"


def goal_figures(goal: Goal, start: dt.date, as_of: dt.date) -> GoalFigures:
    latest = latest_value(goal, as_of)
    p = goal_progress(latest, goal.baseline, goal.target)
    e = expected_progress(start, goal.due, as_of)
    return GoalFigures(latest, p, e, goal_status(p, e, goal.due, as_of))


# --- check-ins --------------------------------------------------------------

def check_in_change(pairs: Iterable[Pair], by: str | None = None) -> dict[str, float]:
    """Per score name: mean of `after` scores minus mean of `before` scores,
    for names that have both, pooled over the given pairs; with `by`, of the
    check-ins that side answered only."""
    before: dict[str, list[int]] = {}
    after: dict[str, list[int]] = {}
    for pair in pairs:
        for check_in in pair.check_ins:
            if by is not None and check_in.by != by:
                continue
            bucket = before if check_in.stage == "before" else after if check_in.stage == "after" else None
            if bucket is None:
                continue
            for name, score in check_in.scores.items():
                bucket.setdefault(name, []).append(score)
    return {name: fmean(after[name]) - fmean(before[name]) for name in sorted(before) if name in after}


# --- the whole pair and cohort ----------------------------------------------

@dataclass(frozen=True)
class PairFigures:
    meetings: Meetings
    checklist: tuple[ChecklistItem, ...]
    goals: tuple[tuple[Goal, GoalFigures], ...]
    check_in_change: dict[str, float]
    next_meeting: dt.date | None
    check_in_change_by: dict[str, dict[str, float]]  # "mentor" and "mentee": each side's own change

    @property
    def checklist_done(self) -> int:
        return sum(1 for item in self.checklist if item.done_on)

    @property
    def overdue(self) -> list[str]:
        return [item.id for item in self.checklist if item.overdue]


def pair_figures(site: SiteConfig, cohort: Cohort, pair: Pair, as_of: dt.date) -> PairFigures:
    """A pair's figures, measured at as_of, or for a paused or ended pair at its status_date
    when that is earlier: such a pair is never behind or overdue for the time after it."""
    start = pair_first_meeting(pair, cohort)
    at = pair.measured_at(as_of)
    return PairFigures(
        meetings=meetings(pair, cohort, at),
        checklist=tuple(checklist(site, cohort, pair, at)),
        goals=tuple((goal, goal_figures(goal, start, at)) for goal in pair.goals),
        check_in_change=check_in_change([pair]),
        next_meeting=next_meeting(pair, cohort, as_of) if pair.status == "active" else None,
        check_in_change_by={side: check_in_change([pair], side) for side in ("mentor", "mentee")},
    )


def progress_json(cohort_id: str, as_of: dt.date, pairs: Iterable[tuple[Pair, PairFigures]],
                  scores: bool = True) -> dict[str, Any]:
    """The cohort's figures with the keys of the format's progress.json, and each pair's status
    (and the date it took effect). Without `scores` (privacy.publish has no `scores`), a pair's
    check-in changes are left out: its scores and its changes are one thing."""
    return {
        "cohort": cohort_id,
        "as_of": as_of.isoformat(),
        "pairs": [{
            "id": pair.key,
            "mentor": pair.mentor,
            "mentee": pair.mentee,
            "status": pair.status,
            **({"status_date": pair.status_date.isoformat()} if pair.status_date else {}),
            "meetings": {"planned": f.meetings.planned, "held": f.meetings.held,
                         "compliance": f.meetings.compliance},
            "checklist": {"done": f.checklist_done, "total": len(f.checklist), "overdue": f.overdue},
            "goals": [{"id": goal.id, "progress": g.progress, "expected": g.expected, "status": g.status}
                      for goal, g in f.goals],
            **({"check_in_change": f.check_in_change, "check_in_change_by": f.check_in_change_by} if scores else {}),
        } for pair, f in pairs],
    }


def unpaired_people(cohort: Cohort) -> list[Person]:
    """The cohort's people who are in no pair, in the order of the file."""
    paired = {pair.mentor for pair in cohort.pairs} | {pair.mentee for pair in cohort.pairs}
    return [person for person in cohort.people if person.id not in paired]
