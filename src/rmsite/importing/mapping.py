"""An import mapping (`imports/<name>.yml`): which cohort a form's answers go into, which
column holds each field, and what each answer means, read and checked with every problem
located in the mapping file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from rmsite.core.problems import Loc, Problem, did_you_mean
from rmsite.model.document import YamlDoc
from rmsite.model.schema import Id, Model
from rmsite.source.answer_dates import ORDERS
from rmsite.source.files import parse_yaml_mapping, read_text
from rmsite.source.schema_errors import validate_doc
from rmsite.source.tables import header_key

Kind = Literal["people", "sessions", "check-ins"]
DateOrder = Literal["day-first", "month-first", "iso"]
assert set(DateOrder.__args__) == set(ORDERS)  # type: ignore[attr-defined]

FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("id", "name", "email", "phone", "title", "team", "level", "offers", "wants", "hours_per_month",
               "bio"),
    "sessions": ("pair", "mentor", "mentee", "date", "minutes", "topics", "outputs", "notes",
                 "feedback_to_mentor", "feedback_to_mentee"),
    "check-ins": ("person", "pair", "by", "stage", "date", "comment"),  # and scores.<name>
}
REQUIRED: dict[str, tuple[str, ...]] = {"people": ("name",), "sessions": ("date",), "check-ins": ("stage", "date")}
PRIVATE = frozenset({"email", "phone", "notes", "feedback_to_mentor", "feedback_to_mentee", "comment"})
SCORES = "scores."


class MappingModel(Model):
    kind: Kind
    cohort: Id | None = None
    columns: dict[str, str]
    values: dict[str, dict[Any, Any]] = {}
    list_separator: str | None = Field(default=None, min_length=1)
    dates: DateOrder | None = None


@dataclass(frozen=True)
class Mapping:
    """A checked mapping: fields to column headers, and per field its answers (compared like
    headers) to values."""

    path: str
    kind: str
    cohort: str | None
    columns: dict[str, str]
    values: dict[str, dict[str, Any]]
    list_separator: str | None
    dates: str | None
    doc: YamlDoc

    def loc(self, *path: str | int) -> Loc:
        return self.doc.loc(tuple(path))


def load_mapping(file: Path, rel: str) -> tuple[Mapping | None, list[Problem]]:
    """The mapping file, checked: its keys, the fields each kind has, and that `values` name
    mapped fields; None with the problems when it cannot be used."""
    text, problems = read_text(file, rel)
    if text is None:
        return None, problems
    doc, problems = parse_yaml_mapping(text.text, rel)
    if doc is None:
        return None, problems
    model, found = validate_doc(MappingModel, doc)
    if model is None:
        return None, problems + found
    known = FIELDS[model.kind]
    for name in model.columns:
        if name in known or (model.kind == "check-ins" and name.startswith(SCORES) and len(name) > len(SCORES)):
            continue
        hint = " (one column per score: scores.<name>)" if model.kind == "check-ins" else ""
        problems.append(doc.loc(("columns", name), key=True).error(
            f"'{name}' is not a field of a {model.kind} import; the fields are "
            f"{', '.join(known)}{hint}" + did_you_mean(name, known)))
    for name in REQUIRED[model.kind]:
        if name not in model.columns:
            problems.append(doc.loc(("columns",)).error(f"a {model.kind} import needs a column for '{name}'"))
    problems += _respondent_problems(model, doc)
    raw_keys = _raw_value_keys(text.text)
    values: dict[str, dict[str, Any]] = {}
    for name, answers in model.values.items():
        scored = name == "scores" and any(column.startswith(SCORES) for column in model.columns)
        if name not in model.columns and not scored:
            problems.append(doc.loc(("values", name), key=True).error(
                f"values are given for '{name}', which columns does not map" + did_you_mean(name, model.columns)))
            continue
        values[name] = {}
        for answer, value in answers.items():
            written = raw_keys.get((name, str(answer)), str(answer))
            if value is None or isinstance(value, dict):
                problems.append(doc.loc(("values", name, answer)).error(
                    f"the answer '{written}' has no value yet: write what it stands for in the cohort file"
                    + (" (before, during or after)" if name == "stage" else " (mentor or mentee)" if name == "by"
                       else " (a whole number)" if name == "level" or name.startswith(SCORES) else "")))
                continue
            values[name][header_key(written)] = value
    if problems:
        return None, problems
    return Mapping(rel, model.kind, model.cohort, dict(model.columns), values, model.list_separator,
                   model.dates, doc), problems


def _respondent_problems(model: MappingModel, doc: YamlDoc) -> list[Problem]:
    """Whom a row is about: a pair, or a mentor and a mentee (sessions); a person, or a pair and
    a side (check-ins)."""
    columns, where = model.columns, doc.loc(("columns",))
    if model.kind == "sessions" and "pair" not in columns and not {"mentor", "mentee"} <= columns.keys():
        return [where.error("a sessions import needs a column for 'pair', or columns for 'mentor' and 'mentee'")]
    if model.kind == "check-ins" and "person" not in columns and not {"pair", "by"} <= columns.keys():
        return [where.error("a check-ins import needs a column for 'person' (who answered), "
                            "or columns for 'pair' and 'by'")]
    return []


def _raw_value_keys(text: str) -> dict[tuple[str, str], str]:
    """The answers under `values` as the file writes them: YAML reads `Yes` and `No` as true
    and false, and `01` as 1, but an answer is compared as text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[tuple[str, str], str] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, node in root.value:
        if key.value != "values" or not isinstance(node, yaml.MappingNode):
            continue
        for field_key, answers in node.value:
            if not isinstance(answers, yaml.MappingNode):
                continue
            for answer, _ in answers.value:
                if isinstance(answer, yaml.ScalarNode):
                    constructed = yaml.safe_load(answer.value) if answer.style is None else answer.value
                    out[(str(field_key.value), str(constructed))] = answer.value
    return out

