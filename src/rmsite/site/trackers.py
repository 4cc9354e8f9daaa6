"""Views of progress for the pair, cohort and home pages: progress entries,
checklist groups, why a pair needs attention, the cohort's charts and its
retrospective. Plain data for templates; private fields never enter here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rmsite.model import figures, rollups
from rmsite.model.figures import ChecklistItem, Meetings
from rmsite.model.rollups import CohortTotals, Quiet
from rmsite.model.schema import Retrospective
from rmsite.site import charts
from rmsite.site.charts import BarChart

SCOPES = ("programme", "cohort", "pair")


@dataclass(frozen=True)
class EntryView:
    """A progress entry; `counted` is false when it is dated after as_of."""

    date: dt.date
    value: float
    note: str
    counted: bool
    percent: int  # how far this value is from the baseline towards the target


@dataclass(frozen=True)
class ChecklistGroup:
    scope: str  # programme, cohort or pair
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class AttentionView:
    """Why a pair needs attention: overdue items, goals behind or overdue, a quiet spell."""

    overdue_items: tuple[str, ...]  # the items' text
    goals: tuple[tuple[str, str], ...]  # (title, status)
    quiet: Quiet | None
    reasons: int  # how many of the above: each item, each goal and a quiet spell count one
    needed: bool


@dataclass(frozen=True)
class RetrospectiveView:
    held: dt.date | None
    summary: str
    worked: tuple[str, ...]
    did_not_work: tuple[str, ...]
    next_time: tuple[str, ...]


@dataclass(frozen=True)
class ContributionView:
    """A goal serving an objective, as listed under the objective on the home page."""

    goal_id: str
    title: str
    status: str
    percent: int
    latest: float
    target: float
    unit: str
    pair_name: str
    pair_path: str
    cohort_name: str


def entry_views(entries: Sequence[tuple[dt.date, float, str]], baseline: float, target: float,
                as_of: dt.date) -> tuple[EntryView, ...]:
    """Each progress entry with whether it counts at as_of and its whole percent."""
    return tuple(EntryView(day, value, note, day <= as_of,
                           figures.whole_percent(figures.goal_progress(value, baseline, target)))
                 for day, value, note in entries)


def steady_value(baseline: float, target: float, expected: float) -> float:
    """The value steady progress from baseline to target would have reached."""
    return baseline + expected * (target - baseline)


def checklist_groups(items: Sequence[ChecklistItem]) -> tuple[ChecklistGroup, ...]:
    """The checklist split by where its items come from, empty groups left out."""
    return tuple(ChecklistGroup(scope, tuple(i for i in items if i.scope == scope))
                 for scope in SCOPES if any(i.scope == scope for i in items))


def attention_view(a: rollups.Attention) -> AttentionView:
    return AttentionView(tuple(item.text for item in a.overdue_items),
                         tuple((goal.title, g.status) for goal, g in a.goals), a.quiet, a.reasons, a.needed)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def status_chart(totals: CohortTotals) -> BarChart:
    """One bar per goal status, every status shown, zero included."""
    counts = totals.goals_by_status
    return charts.bar_chart([(status.replace(" ", "-"), status, count, plural(count, "goal"))
                             for status, count in counts],
                            maximum=max([1] + [count for _, count in counts]))


def compliance_chart(pairs: Sequence[tuple[str, Meetings]]) -> BarChart:
    """Each pair's meetings held as a share of those planned, against 100%."""
    rows = [("compliance", name, m.compliance,
             f"{m.held} of {m.planned} ({figures.whole_percent(m.compliance)}%)"
             if m.compliance is not None else "none planned yet") for name, m in pairs]
    return charts.bar_chart(rows, maximum=1, ticks=[(0, "0%"), (0.5, "50%"), (1, "100%")],
                            reference=(1, "100%"))


def retrospective_view(retro: Retrospective | None) -> RetrospectiveView | None:
    if retro is None:
        return None
    return RetrospectiveView(retro.held, retro.summary, tuple(retro.worked), tuple(retro.did_not_work),
                             tuple(retro.next_time))
