"""A pairing suggestion as text: a table for people, JSON for tools, and
ready-to-paste `pairs:` entries for the cohort file."""

from __future__ import annotations

import json

from rmsite.pairing.append import comment, pairs_block
from rmsite.pairing.suggest import Suggestion


def headline(cohort_id: str, suggestion: Suggestion) -> str:
    """One line: how many pairs, their total score and how many people are left."""
    count, left = len(suggestion.pairs), len(suggestion.unpaired)
    return (f"cohort {cohort_id}: {count} suggested pair{'s' * (count != 1)}, total score "
            f"{suggestion.total_score}; {left} {'person' if left == 1 else 'people'} left unpaired")


def meetings_line(suggestion: Suggestion) -> str:
    return (f"meetings: {suggestion.cadence}, {suggestion.session_minutes} minutes, "
            f"{suggestion.hours_per_pair:.1f} hours a month for each person in a pair")


def as_table(cohort_id: str, suggestion: Suggestion) -> str:
    """Columns of pairs, the reason for each, then who is left and why."""
    lines = [headline(cohort_id, suggestion), meetings_line(suggestion)]
    if suggestion.pairs:
        rows = [("pair", "mentor", "mentee", "score", "focus")] + [
            (p.key, p.mentor, p.mentee, str(p.score), ", ".join(p.focus)) for p in suggestion.pairs]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines.append("")
        for row in rows:
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]),
                     row[3].rjust(widths[3]), row[4]]
            lines.append("  ".join(cells).rstrip())
        lines += ["", "why:"] + [f"  {p.key}: {p.reason}" for p in suggestion.pairs]
    if suggestion.unpaired:
        width = max(len(u.person) for u in suggestion.unpaired)
        reason_width = max(len(u.reason) for u in suggestion.unpaired)
        lines += ["", "not paired (a candidate is someone in no pair with the hours for one):"] + [
            f"  {u.person.ljust(width)}  {u.reason.ljust(reason_width)}  {u.explanation}"
            for u in suggestion.unpaired]
    return "\n".join(lines) + "\n"


def as_json(cohort_id: str, suggestion: Suggestion) -> str:
    """The suggestion as a JSON document, keys in a fixed order."""
    data = {
        "cohort": cohort_id,
        "cadence": suggestion.cadence,
        "session_minutes": suggestion.session_minutes,
        "hours_per_pair": suggestion.hours_per_pair,
        "total_score": suggestion.total_score,
        "pairs": [{
            "id": p.key, "mentor": p.mentor, "mentee": p.mentee, "focus": list(p.focus), "score": p.score,
            "teams": {"mentor": p.mentor_team, "mentee": p.mentee_team}, "cross_team": p.cross_team,
            "hours_left": {"mentor": p.mentor_hours_left, "mentee": p.mentee_hours_left},
            "reason": p.reason,
        } for p in suggestion.pairs],
        "unpaired": [{"person": u.person, "reason": u.reason, "explanation": u.explanation}
                     for u in suggestion.unpaired],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_yaml(cohort_id: str, suggestion: Suggestion) -> str:
    """`pairs:` entries to paste into the cohort file, with the reasons as comments."""
    lines = [comment(f"rmsite match {headline(cohort_id, suggestion)}")]
    lines += [comment(f"not paired: {u.person} ({u.reason}): {u.explanation}") for u in suggestion.unpaired]
    if suggestion.pairs:
        lines += ["pairs:"] + pairs_block(suggestion.pairs)
    return "\n".join(lines) + "\n"


FORMATS = {"table": as_table, "json": as_json, "yaml": as_yaml}
