"""The leak guard: private values (contacts, notes, feedback, comments) that
site.yml does not publish must not appear in any output file, in any of the
forms a template or serializer could give them."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import markupsafe

from .model import CohortFile
from .problems import Loc, Problem

MIN_LENGTH = 6
TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".ics", ".csv", ".txt", ".js", ".css", ".svg", ".md"}


@dataclass(frozen=True)
class PrivateValue:
    field: str  # email, phone, notes, feedback or comment
    value: str
    loc: Loc
    owner: str  # what it belongs to, for the message


def private_values(cohorts: tuple[CohortFile, ...], published: set[str]) -> list[PrivateValue]:
    """Every private value of 6+ characters whose field is not published."""
    found: list[PrivateValue] = []
    for entry in cohorts:
        found += _cohort_values(entry)
    return [v for v in found if v.field not in published and len(v.value.strip()) >= MIN_LENGTH]


def _cohort_values(entry: CohortFile) -> Iterator[PrivateValue]:
    doc, cohort = entry.doc, entry.cohort
    for i, person in enumerate(cohort.people):
        for name in ("email", "phone"):
            value = getattr(person, name)
            if value:
                yield PrivateValue(name, value, doc.loc(("people", i, name)), f"person '{person.id}'")
    for p, pair in enumerate(cohort.pairs):
        for s, session in enumerate(pair.sessions):
            where = f"a session of pair '{pair.key}' on {session.date}"
            if session.notes:
                yield PrivateValue("notes", session.notes, doc.loc(("pairs", p, "sessions", s, "notes")), where)
            for side in ("to_mentor", "to_mentee"):
                value = getattr(session.feedback, side, None) if session.feedback else None
                if value:
                    yield PrivateValue("feedback", value,
                                       doc.loc(("pairs", p, "sessions", s, "feedback", side)), where)
        for c, check_in in enumerate(pair.check_ins):
            if check_in.comment:
                yield PrivateValue("comment", check_in.comment, doc.loc(("pairs", p, "check_ins", c, "comment")),
                                   f"a check-in of pair '{pair.key}'")


def _forms(value: str) -> set[str]:
    """The value as it could appear in output: raw, HTML-escaped (as Python and as Jinja
    escape it), JSON-escaped; case-folded."""
    text = value.strip()
    forms = {text, html.escape(text), html.escape(text, quote=False), str(markupsafe.escape(text)),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    return {f.casefold() for f in forms if f}


def scan(root: Path, values: list[PrivateValue]) -> list[Problem]:
    """A problem for each private value found in a text file under root, at the value's source."""
    if not values:
        return []
    by_form: dict[str, list[PrivateValue]] = {}
    for value in values:
        for form in _forms(value.value):
            by_form.setdefault(form, []).append(value)
    pattern = re.compile("|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True)))
    problems: list[Problem] = []
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.suffix.lower() not in TEXT_SUFFIXES:
            continue
        text = file.read_bytes().decode("utf-8", "replace").casefold()
        rel = file.relative_to(root).as_posix()
        for form in sorted({m.group(0) for m in pattern.finditer(text)}):
            for value in by_form.get(form, []):
                problems.append(value.loc.error(
                    f"private field '{value.field}' of {value.owner} appears in the output file {rel}; "
                    f"remove it from the template, or list '{value.field}' under privacy.publish in site.yml "
                    "to publish it"))
    return problems
