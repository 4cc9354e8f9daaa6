"""Programme reports: one CSV row per pair with the computed figures (no private fields)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from rmsite.model import figures
from rmsite.model.figures import STATUSES
from rmsite.model.schema import Cohort, SiteConfig

BASE_COLUMNS = ["pair", "mentor", "mentee", "status", "cadence", "meetings_planned", "meetings_held", "compliance",
                "checklist_done", "checklist_total", "checklist_overdue"]


def cohort_csv(site: SiteConfig, cohort: Cohort, as_of: dt.date) -> str:
    """The cohort's pairs as CSV: status, meetings, checklist, goals by status, check-in changes.
    Of the pairs of the public site (`cohort` is CohortFile.public), as progress.json; for the
    coordinator, so each pair's check-in changes are in it whatever privacy.publish says."""
    rows = []
    score_names: set[str] = set()
    for pair in cohort.pairs:
        f = figures.pair_figures(site, cohort, pair, as_of)
        score_names.update(f.check_in_change)
        statuses = [g.status for _, g in f.goals]
        rows.append({
            "pair": pair.key, "mentor": pair.mentor, "mentee": pair.mentee, "status": pair.status,
            "cadence": figures.pair_cadence(pair, cohort),
            "meetings_planned": f.meetings.planned, "meetings_held": f.meetings.held,
            "compliance": "" if f.meetings.compliance is None else repr(f.meetings.compliance),
            "checklist_done": f.checklist_done, "checklist_total": len(f.checklist),
            "checklist_overdue": " ".join(f.overdue),
            **{f"goals_{s.replace(' ', '_')}": statuses.count(s) for s in STATUSES},
            **{f"check_in_change_{name}": repr(value) for name, value in f.check_in_change.items()},
        })
    columns = (BASE_COLUMNS + [f"goals_{s.replace(' ', '_')}" for s in STATUSES]
               + [f"check_in_change_{name}" for name in sorted(score_names)])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
