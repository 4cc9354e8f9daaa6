"""Roll-ups of the computed figures: a cohort's totals, goals by status, the
pairs that need attention, check-in scores by stage, and each objective with
its own progress and the goals that serve it. Pure functions of the model,
the pairs' figures and as_of."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Protocol, TypeVar

from rmsite.model import figures
from rmsite.model.figures import STATUSES, ChecklistItem, GoalFigures, PairFigures
from rmsite.model.schema import Cohort, Goal, Objective, Pair

# A pair is quiet when its last meeting is more than QUIET_PERIODS cadence periods
# before as_of. A monthly period counts as 31 days, so a series on the 31st, which
# skips shorter months, is never called quiet for keeping to its own rhythm.
QUIET_PERIODS = 2
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31}
NEEDS_ATTENTION = ("behind", "overdue")  # goal statuses that put a pair on the attention list

T = TypeVar("T")


def goals_by_status(statuses: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """How many goals have each status, for every status in the format's order."""
    counts = Counter(statuses)
    return tuple((status, counts[status]) for status in STATUSES)


# --- a cohort's totals --------------------------------------------------------

@dataclass(frozen=True)
class CohortTotals:
    pairs: int
    planned: int
    held: int
    checklist_done: int
    checklist_total: int
    overdue_items: int
    goals_by_status: tuple[tuple[str, int], ...]

    @property
    def goals(self) -> int:
        return sum(count for _, count in self.goals_by_status)

    @property
    def compliance(self) -> float | None:
        """Meetings held ÷ planned over every pair, or None when nothing is planned yet."""
        return self.held / self.planned if self.planned else None

    @property
    def checklist_completion(self) -> float | None:
        return self.checklist_done / self.checklist_total if self.checklist_total else None

    @property
    def compliance_percent(self) -> int | None:
        return None if self.compliance is None else figures.whole_percent(self.compliance)

    @property
    def checklist_percent(self) -> int | None:
        return None if self.checklist_completion is None else figures.whole_percent(self.checklist_completion)


def cohort_totals(pairs: Sequence[PairFigures]) -> CohortTotals:
    """Sums over a cohort's pairs: meetings, checklist items and goals by status."""
    return CohortTotals(
        pairs=len(pairs),
        planned=sum(f.meetings.planned for f in pairs),
        held=sum(f.meetings.held for f in pairs),
        checklist_done=sum(f.checklist_done for f in pairs),
        checklist_total=sum(len(f.checklist) for f in pairs),
        overdue_items=sum(len(f.overdue) for f in pairs),
        goals_by_status=goals_by_status(g.status for f in pairs for _, g in f.goals),
    )


# --- pairs needing attention --------------------------------------------------

@dataclass(frozen=True)
class Quiet:
    """No meeting in more than two cadence periods: since `since` (the last session,
    or the start of the series when none was held), `days` days before as_of."""

    since: dt.date
    days: int
    met: bool  # false when no session has been held since the series started


def quiet(pair: Pair, cohort: Cohort, as_of: dt.date) -> Quiet | None:
    """Whether a pair has gone more than two cadence periods without meeting, judged
    only while the cohort runs (starts ≤ as_of ≤ ends), its series has begun and it is
    active (a paused or ended pair is not meant to meet)."""
    first = figures.pair_first_meeting(pair, cohort)
    if pair.status != "active" or not cohort.starts <= as_of <= cohort.ends or as_of < first:
        return None
    held = [s.date for s in pair.sessions if s.date <= as_of]
    last = max(held + [first])
    days = (as_of - last).days
    limit = QUIET_PERIODS * CADENCE_DAYS[figures.pair_cadence(pair, cohort)]
    return Quiet(last, days, bool(held) and max(held) >= first) if days > limit else None


@dataclass(frozen=True)
class Attention:
    """Why a pair needs a coordinator's attention; empty when it does not."""

    overdue_items: tuple[ChecklistItem, ...]
    goals: tuple[tuple[Goal, GoalFigures], ...]  # behind or overdue
    quiet: Quiet | None

    @property
    def reasons(self) -> int:
        return len(self.overdue_items) + len(self.goals) + (1 if self.quiet else 0)

    @property
    def needed(self) -> bool:
        return self.reasons > 0


def attention(pair: Pair, cohort: Cohort, f: PairFigures, as_of: dt.date) -> Attention:
    """Overdue checklist items, goals behind or overdue, and a quiet spell, for one pair; none
    for a pair that has ended, which nobody can act on (its page still shows what was open)."""
    if pair.status == "ended":
        return Attention((), (), None)
    return Attention(tuple(item for item in f.checklist if item.overdue),
                     tuple((goal, g) for goal, g in f.goals if g.status in NEEDS_ATTENTION),
                     quiet(pair, cohort, as_of))


class HasReasons(Protocol):
    """Anything that counts the reasons a pair needs attention (Attention, or its view)."""

    @property
    def reasons(self) -> int: ...


A = TypeVar("A", bound=HasReasons)


def attention_first(items: Sequence[tuple[T, A]]) -> list[tuple[T, A]]:
    """Pairs needing attention first, those with more reasons before fewer; otherwise file order."""
    return sorted(items, key=lambda item: -item[1].reasons)


# --- check-in scores by stage -------------------------------------------------

@dataclass(frozen=True)
class ScoreStages:
    """One score name's mean at each stage, pooled over pairs, with how many scores and how
    many distinct respondents each; a mean withheld for too few respondents is None."""

    name: str
    before: float | None
    during: float | None
    after: float | None
    counts: tuple[int, int, int]
    respondents: tuple[int, int, int] = (0, 0, 0)
    withheld: tuple[bool, bool, bool] = (False, False, False)  # a mean left out: fewer than min_group answered

    @property
    def change(self) -> float | None:
        """After minus before, as the format's check-in change; None unless both exist."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def means(self) -> tuple[float | None, float | None, float | None]:
        return (self.before, self.during, self.after)

    def withholding(self, stages: Iterable[int]) -> ScoreStages:
        """The same, with the means of the stages given (0, 1, 2) left out."""
        out = set(stages)
        means = tuple(None if i in out else mean for i, mean in enumerate(self.means))
        withheld = tuple(w or (i in out and self.means[i] is not None) for i, w in enumerate(self.withheld))
        return ScoreStages(self.name, means[0], means[1], means[2], self.counts, self.respondents,
                           (withheld[0], withheld[1], withheld[2]))

    def grouped(self, min_group: int) -> ScoreStages:
        """The same, with each stage's mean that fewer than `min_group` distinct people
        answered left out (privacy.min_group): a mean of one answer is that person's score."""
        return self.withholding(stage for stage, n in enumerate(self.respondents) if n < min_group)


def respondents(sides: set[str | None]) -> int:
    """How many people of one pair answered: each side named by `by`; check-ins without `by`
    count as one person, and only when neither side is named (they may be either), so that a
    pair never counts as more than its two people."""
    named = len(sides - {None})
    return named or (1 if None in sides else 0)


def score_stages(pairs: Iterable[Pair], by: str | None = None) -> tuple[ScoreStages, ...]:
    """Every score name used, alphabetically, with its mean before, during and after; with
    `by`, of the check-ins that side answered only."""
    scores: dict[str, dict[str, list[int]]] = {}
    sides: dict[str, dict[str, dict[str, set[str | None]]]] = {}  # name -> stage -> pair -> who answered
    for pair in pairs:
        for check_in in pair.check_ins:
            if by is not None and check_in.by != by:
                continue
            for name, score in check_in.scores.items():
                scores.setdefault(name, {}).setdefault(check_in.stage, []).append(score)
                sides.setdefault(name, {}).setdefault(check_in.stage, {}).setdefault(pair.key, set()).add(check_in.by)
    rows = []
    for name in sorted(scores):
        stages = [scores[name].get(stage, []) for stage in ("before", "during", "after")]
        before, during, after = (fmean(values) if values else None for values in stages)
        counts = (len(stages[0]), len(stages[1]), len(stages[2]))
        answered = tuple(sum(respondents(who) for who in sides[name].get(stage, {}).values())
                         for stage in ("before", "during", "after"))
        rows.append(ScoreStages(name, before, during, after, counts, (answered[0], answered[1], answered[2])))
    return tuple(rows)


def complement_safe(overall: Sequence[ScoreStages], sides: Mapping[str, Sequence[ScoreStages]],
                    min_group: int) -> dict[str, tuple[ScoreStages, ...]]:
    """Each side's means, withholding those that with the overall mean shown beside them would
    give away a smaller group: the overall mean of N answers and one side's of m give the other
    N − m answers' mean, so a side's mean is shown only when N − m is 0 or at least `min_group`;
    and when both sides are shown, the answers without `by` (N − m − e) must be 0 or at least
    `min_group` too, else the smaller side is withheld."""
    total = {row.name: row for row in overall}
    safe = {side: {row.name: row for row in rows} for side, rows in sides.items()}
    for name, row in total.items():
        for stage in range(3):
            if row.means[stage] is None:  # the overall mean withheld: every side has fewer still
                for rows in safe.values():
                    if name in rows:
                        rows[name] = rows[name].withholding([stage])
                continue
            shown = [(side, rows[name]) for side, rows in safe.items()
                     if name in rows and rows[name].means[stage] is not None]
            for side, side_row in shown:
                rest = row.respondents[stage] - side_row.respondents[stage]
                if 0 < rest < min_group:
                    safe[side][name] = side_row.withholding([stage])
            shown = [(side, rows[name]) for side, rows in safe.items()
                     if name in rows and rows[name].means[stage] is not None]
            if len(shown) == 2:
                rest = row.respondents[stage] - sum(r.respondents[stage] for _, r in shown)
                if 0 < rest < min_group:
                    side, side_row = min(shown, key=lambda item: item[1].respondents[stage])
                    safe[side][name] = side_row.withholding([stage])
    return {side: tuple(rows[row.name] for row in sides[side]) for side, rows in safe.items()}


# --- objectives ---------------------------------------------------------------

@dataclass(frozen=True)
class ContributingGoal:
    """A pair's goal that names an objective, with where it is and how it is doing."""

    cohort_id: str
    cohort_name: str
    pair_key: str  # the pair's key and what is shown of the goal, not the models: a build keeps
    goal_id: str  # these for every cohort while it holds one cohort's model at a time
    title: str
    target: float
    unit: str
    figures: GoalFigures


@dataclass(frozen=True)
class ObjectiveRollup:
    objective: Objective
    start: dt.date | None  # where its expected progress is measured from
    figures: GoalFigures | None  # None until a progress entry is dated on or before as_of
    goals: tuple[ContributingGoal, ...]
    cohorts: tuple[str, ...]  # ids of the cohorts serving it

    @property
    def goals_by_status(self) -> tuple[tuple[str, int], ...]:
        return goals_by_status(c.figures.status for c in self.goals)


def serves(cohort: Cohort, objective_id: str) -> bool:
    """A cohort serves an objective it lists, or one that any of its pairs' goals names."""
    return objective_id in cohort.objectives or any(
        goal.objective == objective_id for pair in cohort.pairs for goal in pair.goals)


Contributions = Mapping[str, tuple[ContributingGoal, ...]]  # objective id -> the goals naming it


def cohort_contributions(cohort_id: str, cohort: Cohort,
                         pair_figures: Mapping[tuple[str, str], PairFigures]) -> Contributions:
    """A cohort's goals that name an objective, by objective, in file order."""
    found: dict[str, list[ContributingGoal]] = {}
    for pair in cohort.pairs:
        for goal, g in pair_figures[(cohort_id, pair.key)].goals:
            if goal.objective:
                found.setdefault(goal.objective, []).append(ContributingGoal(
                    cohort_id, cohort.name, pair.key, goal.id, goal.title, goal.target, goal.unit, g))
    return {objective: tuple(goals) for objective, goals in found.items()}


@dataclass(frozen=True)
class CohortObjectives:
    """What the objectives' roll-ups need of one cohort, small enough for a build to keep for
    every cohort while it holds one cohort's model at a time: when it starts, the objectives it
    serves (those it lists and those its goals name) and its goals naming them."""

    cohort_id: str
    starts: dt.date
    serves: frozenset[str]
    contributions: Contributions


def cohort_objectives(cohort_id: str, cohort: Cohort, contributions: Contributions) -> CohortObjectives:
    """A cohort's part in the objectives' roll-ups; `contributions` are its cohort_contributions."""
    return CohortObjectives(cohort_id, cohort.starts,
                            frozenset(cohort.objectives) | frozenset(contributions), contributions)


def objective_start(objective: Objective, cohorts: Sequence[tuple[str, Cohort]]) -> dt.date | None:
    """The earliest start of the cohorts serving the objective; failing that, the date
    of its first progress entry; failing that, None."""
    return _start(objective, [cohort.starts for _, cohort in cohorts if serves(cohort, objective.id)])


def _start(objective: Objective, serving_starts: Sequence[dt.date]) -> dt.date | None:
    if serving_starts:
        return min(serving_starts)
    return objective.progress[0].date if objective.progress else None


def objective_figures(objective: Objective, start: dt.date | None, as_of: dt.date) -> GoalFigures | None:
    """The objective's own value, progress, expected progress and status, computed as a
    goal's are, from its latest progress entry on or before as_of; None without one."""
    values = [entry.value for entry in objective.progress if entry.date <= as_of]
    if not values or start is None:
        return None
    progress = figures.goal_progress(values[-1], objective.baseline, objective.target)
    expected = figures.expected_progress(start, objective.due, as_of)
    return GoalFigures(values[-1], progress, expected,
                       figures.goal_status(progress, expected, objective.due, as_of))


def objective_rollups(objectives: Sequence[Objective], cohorts: Sequence[tuple[str, Cohort]],
                      pair_figures: Mapping[tuple[str, str], PairFigures],
                      as_of: dt.date, contributions: Mapping[str, Contributions] | None = None
                      ) -> tuple[ObjectiveRollup, ...]:
    """Each objective with its own figures and every goal naming it, in file order.
    The goals' progress is listed, never summed: goals measure different things.
    `contributions` (by cohort id) may hold cohort_contributions made before."""
    made = contributions or {}
    return rollups_of_cohorts(objectives, [cohort_objectives(
        cohort_id, cohort, made[cohort_id] if cohort_id in made else cohort_contributions(cohort_id, cohort, pair_figures))
        for cohort_id, cohort in cohorts], as_of)


def rollups_of_cohorts(objectives: Sequence[Objective], cohorts: Sequence[CohortObjectives],
                       as_of: dt.date) -> tuple[ObjectiveRollup, ...]:
    """objective_rollups from each cohort's part in them (cohort_objectives), in file order."""
    rollups = []
    for objective in objectives:
        serving = [c for c in cohorts if objective.id in c.serves]
        start = _start(objective, [c.starts for c in serving])
        goals = tuple(g for c in cohorts for g in c.contributions.get(objective.id, ()))
        rollups.append(ObjectiveRollup(
            objective, start, objective_figures(objective, start, as_of), goals,
            tuple(c.cohort_id for c in serving)))
    return tuple(rollups)
