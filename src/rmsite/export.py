"""Programme reports: one CSV row per pair with the computed figures (no private fields)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from rmsite.model import figures
from rmsite.model.figures import STATUSES
from rmsite.model.schema import Cohort, Pair, SiteConfig

BASE_COLUMNS = ["cohort", "cohort_name", "pair", "mentor", "mentor_name", "mentee", "mentee_name", "status",
                "cadence", "meetings_planned", "meetings_held", "compliance", "compliance_percent",
                "checklist_done", "checklist_total", "checklist_overdue"]
GOAL_COLUMNS = [f"goals_{s.replace(' ', '_')}" for s in STATUSES]
PERCENT_PLACES = 1  # compliance_percent: 90.9
CHANGE_PLACES = 2  # check_in_change_<score>: 1.33

Cell = str | int


def fixed(value: float, places: int) -> str:
    """A plain number with a fixed number of decimals, never `-0.00`."""
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def percent(fraction: float | None) -> str:
    """A fraction as a percentage to PERCENT_PLACES decimals, without a `%` sign; empty for none."""
    return "" if fraction is None else fixed(fraction * 100, PERCENT_PLACES)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is a formula to a spreadsheet


def as_text(value: str) -> str:
    """Free text (a name) as a spreadsheet shows it, never as a formula it would run: one that
    starts like a formula gets a `'` before it, which spreadsheets read as "this is text"."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def pair_row(site: SiteConfig, cohort_id: str, cohort: Cohort, pair: Pair, as_of: dt.date,
             names: dict[str, str]) -> dict[str, Cell]:
    """One pair's row: ids and names (`names`: the cohort's people's, by id), status, meetings,
    checklist, goals by status, check-in changes."""
    f = figures.pair_figures(site, cohort, pair, as_of)
    statuses = [g.status for _, g in f.goals]
    compliance = f.meetings.compliance
    return {
        "cohort": cohort_id, "cohort_name": as_text(cohort.name),
        "pair": pair.key, "mentor": pair.mentor, "mentor_name": as_text(names.get(pair.mentor, "")),
        "mentee": pair.mentee, "mentee_name": as_text(names.get(pair.mentee, "")), "status": pair.status,
        "cadence": figures.pair_cadence(pair, cohort),
        "meetings_planned": f.meetings.planned, "meetings_held": f.meetings.held,
        "compliance": "" if compliance is None else repr(compliance), "compliance_percent": percent(compliance),
        "checklist_done": f.checklist_done, "checklist_total": len(f.checklist),
        "checklist_overdue": " ".join(f.overdue),
        **{column: statuses.count(s) for column, s in zip(GOAL_COLUMNS, STATUSES)},
        **{f"check_in_change_{name}": fixed(value, CHANGE_PLACES) for name, value in f.check_in_change.items()},
    }


def cohorts_csv(site: SiteConfig, cohorts: Iterable[tuple[str, Cohort]], as_of: dt.date) -> str:
    """The pairs of the given cohorts (id, cohort) as one CSV, in that order: a check-in change
    column for every score name of any of them. Each cohort is the public one (CohortFile.public,
    the pairs of progress.json); for the coordinator, so each pair's check-in changes are in it
    whatever privacy.publish says."""
    rows = []
    for cohort_id, cohort in cohorts:
        names = {person.id: person.name for person in cohort.people}
        rows += [pair_row(site, cohort_id, cohort, pair, as_of, names) for pair in cohort.pairs]
    score_columns = sorted({column for row in rows for column in row if column.startswith("check_in_change_")})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, BASE_COLUMNS + GOAL_COLUMNS + score_columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def cohort_csv(site: SiteConfig, cohort_id: str, cohort: Cohort, as_of: dt.date) -> str:
    """One cohort's pairs as CSV (see cohorts_csv)."""
    return cohorts_csv(site, [(cohort_id, cohort)], as_of)
