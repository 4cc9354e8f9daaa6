"""`rmsite import --init KIND FILE`: a starting mapping for a form's export, each field
matched to its most likely column and each distinct answer of a field that needs `values`
listed, for the coordinator to complete. It never overwrites a file."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from rmsite.core.problems import Loc, Problem
from rmsite.importing.answers import SIDES, STAGES, slug
from rmsite.importing.mapping import FIELDS, REQUIRED
from rmsite.importing.run import read_table, shown_path
from rmsite.source.tables import Table, header_key

HINTS: dict[str, tuple[str, ...]] = {  # words a form's question for the field is likely to hold
    "id": ("id",), "name": ("full name", "name", "your name"), "email": ("email address", "email", "e-mail"),
    "phone": ("phone", "mobile", "telephone"), "title": ("job title", "title", "role"),
    "team": ("team", "department", "function"), "level": ("grade", "level", "band", "seniority"),
    "offers": ("teach", "offer", "share", "could you"), "wants": ("learn", "want", "like to", "hope"),
    "hours_per_month": ("hours", "time a month", "per month"), "bio": ("about you", "bio", "yourself"),
    "pair": ("pair",), "mentor": ("mentor",), "mentee": ("mentee",), "date": ("date", "completion time", "timestamp", "when", "start time"),
    "minutes": ("minutes", "how long", "duration"), "topics": ("topic", "discuss", "talk about"),
    "outputs": ("output", "produce", "actions", "came out"), "notes": ("notes",),
    "feedback_to_mentor": ("feedback for your mentor", "to your mentor", "to the mentor"),
    "feedback_to_mentee": ("feedback for your mentee", "to your mentee", "to the mentee"),
    "person": ("email address", "email", "name"), "by": ("mentor or mentee", "are you", "your role"),
    "stage": ("stage", "which check-in", "point"), "comment": ("comment", "anything else", "other"),
}
SINGLE = {"level", "stage", "by"}  # answers that must become one value each
FORM_COLUMNS = frozenset({"id", "start time", "completion time", "timestamp", "email", "email address", "name",
                          "last modified time"})  # what the forms add themselves: never a score
RATING = ("how ", "rate ", "on a scale", "score")


def score(field: str, header: str) -> float:
    """How likely `header` is the column of `field` (0: not at all)."""
    folded = header_key(header)
    best = 0.0
    if field == "id" and folded == "id":
        return 0.0  # Microsoft Forms' ID numbers the responses
    for rank, hint in enumerate(HINTS.get(field, (field.replace("_", " "),))):  # the first hints first
        if folded == hint:
            best = max(best, 3.0 - rank / 100)
        elif re.search(r"\b" + re.escape(hint) + r"\b", folded):
            best = max(best, 2.0 - rank / 100 - len(folded) / 10000)
    return best or max(0.0, difflib.SequenceMatcher(None, field.replace("_", " "), folded).ratio() - 0.75)


def guess_columns(kind: str, table: Table) -> dict[str, str]:
    """Each field's most likely column, a column given to one field only."""
    guesses = sorted(((score(f, h), i, f, h) for i, f in enumerate(FIELDS[kind]) for h in table.headers if h),
                     reverse=True)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for value, _, field, header in guesses:
        if value > 0 and field not in columns and header not in used:
            if kind == "check-ins" and field in ("pair", "by") and "person" in columns:
                continue
            columns[field] = header
            used.add(header)
    if kind == "check-ins":
        for header in table.headers:
            if header and header not in used and _scored(table, header):
                columns[f"scores.{slug(header).replace('-', '_')[:40]}"] = header
                used.add(header)
    return {field: columns[field] for field in [*FIELDS[kind], *sorted(columns)] if field in columns}


def _scored(table: Table, header: str) -> bool:
    """Whether a column's answers look like scores: a question that asks for a rating, or few
    distinct answers, most of them 1 to 5; never a column the form adds itself (its ID)."""
    if header_key(header) in FORM_COLUMNS:
        return False
    index = table.headers.index(header)
    answers = {cell for row in table.rows if (cell := row.cells[index]) is not None}
    numbers = [a for a in answers if a.isdigit() and 1 <= int(a) <= 5]
    rating = header_key(header).startswith(RATING)
    return bool(answers) and len(answers) <= 7 and (rating or len(numbers) >= len(answers) / 2)


def starting_mapping(kind: str, table: Table, cohort: str | None, rel: str = "imports/<name>.yml") -> str:
    columns = guess_columns(kind, table)
    values: dict[str, dict[str, object]] = {}
    for field, header in columns.items():
        index = table.headers.index(header)
        answers = list(dict.fromkeys(cell for row in table.rows if (cell := row.cells[index]) is not None))
        needs = (field in SINGLE and not (field == "level" and all(a.lstrip("-").isdigit() for a in answers))
                 and not (field == "stage" and all(header_key(a) in STAGES for a in answers))
                 and not (field == "by" and all(header_key(a) in SIDES for a in answers)))
        if field.startswith("scores.") and not all(a.isdigit() for a in answers):
            needs = True
        if needs and answers:
            values[field] = {answer: None for answer in answers[:50]}
    lines = [f"# A starting mapping for {table.path}, written by rmsite import --init {kind}.",
             "# Check each column below, fill in every value left empty under values:, then run",
             f"#   rmsite import {rel} {table.path} --dry-run",
             "# See docs/importing.md.",
             f"kind: {kind}", f"cohort: {cohort or 'COHORT-ID  # the cohort file it writes into'}",
             yaml.safe_dump({"columns": columns}, sort_keys=False, allow_unicode=True, width=10**9).rstrip()]
    missing = [f for f in FIELDS[kind] if f not in columns]
    if missing:
        lines.append("# no column found for: " + ", ".join(missing)
                     + (" (needed: " + ", ".join(f for f in REQUIRED[kind] if f in missing) + ")"
                        if any(f in missing for f in REQUIRED[kind]) else ""))
    if values:
        lines.append("values:  # each answer as the form gives it -> its value in the cohort file")
        lines.append("\n".join("  " + line for line in yaml.safe_dump(values, sort_keys=False, allow_unicode=True,
                                                                       width=10**9).rstrip().splitlines()))
    if "date" in columns:
        lines.append("dates: day-first  # or month-first (3/14/2027) or iso; needed when a date reads both ways")
    return "\n".join(lines) + "\n"


def write_starting_mapping(kind: str, file: Path, source: Path, sheet: str | None) -> tuple[list[Problem], str]:
    """Write imports/<stem>.yml for the export `file`; never over an existing file."""
    path = shown_path(file, source)
    table, problems = read_table(file, path, sheet)
    if table is None:
        return problems, ""
    target = source / "imports" / f"{slug(file.stem)}.yml"
    rel = f"imports/{target.name}"
    if target.exists() or target.is_symlink():
        return problems + [Loc(rel).error("the file is there already and is left as it is; move it away, "
                                          "or edit it")], ""
    cohorts = sorted(p.stem for p in (source / "cohorts").glob("*.yml"))
    text = starting_mapping(kind, table, cohorts[-1] if len(cohorts) == 1 else None, rel)
    target.parent.mkdir(exist_ok=True)
    with open(target, "x", encoding="utf-8") as out:  # "x": never over a file made meanwhile
        out.write(text)
    return problems, f"wrote {rel}: check its columns and fill in its values, then run rmsite import {rel} {path}"
