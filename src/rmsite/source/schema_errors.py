"""A parsed document checked against a model of the format, each of pydantic's errors
turned into a located problem in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rmsite.core.problems import Problem, did_you_mean
from rmsite.model.document import YamlDoc
from rmsite.model.schema import Model
from rmsite.source.redact import PRIVATE_KEYS, Redacted, is_private

__all__ = ["PRIVATE_KEYS", "Redacted", "describe", "validate_doc"]

M = TypeVar("M", bound=Model)


def validate_doc(model: type[M], doc: YamlDoc) -> tuple[M | None, list[Problem]]:
    """Validate a parsed YAML document against a model, locating every problem."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(model, doc, error) for error in exc.errors()
                      if tuple(error["loc"]) not in doc.bad_values]


def _problem(model: type[Model], doc: YamlDoc, error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        field = loc[-1]
        return doc.loc(loc[:-1]).error(f"missing required key '{field}'")
    if kind == "extra_forbidden":
        known = _field_names(model, loc[:-1])
        return doc.loc(loc, key=True).error(
            f"unknown key '{loc[-1]}'" + did_you_mean(str(loc[-1]), known))
    where = doc.loc(loc)
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
    private = is_private(loc)  # the value may be private: never in a message
    return where.error(_message(kind, error, value, name, private))


def _message(kind: str, error: Any, value: Any, name: str | None, private: bool = False) -> str:
    """The message for one of pydantic's errors; a private field's value is shown redacted."""
    found = describe(value, private)
    shown = Redacted(value) if private else value
    prefix = f"'{name}': " if name else ""
    if kind == "string_type" and name == "meeting_time" and isinstance(value, int):
        return (f"{prefix}write the time in quotes, such as '14:30': without them YAML reads "
                f"hours:minutes as a number ({shown})")
    if kind == "string_type":
        hint = "; put it in quotes" if isinstance(value, (int, float, bool, dt.date)) else ""
        return f"{prefix}expected text, found {found}{hint}"
    if kind in ("int_type", "int_from_float"):
        return f"{prefix}expected a whole number, found {found}"
    if kind == "float_type":
        return f"{prefix}expected a number, found {found}"
    if kind == "finite_number":
        return f"{prefix}expected a finite number, found {found}"
    if kind == "bool_type":
        return f"{prefix}expected true or false, found {found}"
    if kind == "list_type":
        return f"{prefix}expected a list, found {found}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{prefix}expected a mapping of keys to values, found {found}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        if isinstance(value, str):
            return f"{prefix}invalid date '{shown}': expected YYYY-MM-DD"
        if isinstance(value, dt.datetime):
            return f"{prefix}expected a date (YYYY-MM-DD), not a date and time"
        return f"{prefix}expected a date (YYYY-MM-DD), found {found}"
    if kind == "string_pattern_mismatch" and name == "meeting_time":
        return f"{prefix}'{shown}' is not a time: write HH:MM on a 24-hour clock, such as 14:30"
    if kind == "string_pattern_mismatch":
        return (f"invalid id '{shown}': use lowercase letters, digits and hyphens, "
                "starting with a letter or digit, at most 64 characters")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return (f"{prefix}'{shown}' is not one of: {', '.join(choices)}"
                + (did_you_mean(str(value), choices) if not private else ""))
    if kind in ("greater_than_equal", "greater_than"):
        return f"{prefix}{error['msg'].lower()}, found {shown}"
    return f"{prefix}{error['msg']}"


def describe(value: Any, private: bool = False) -> str:
    """A short, user-facing description of a YAML value's kind; of a private field's value,
    its kind and a redacted form."""
    if private and isinstance(value, str | int | float) and not isinstance(value, bool):
        return f"{'the text' if isinstance(value, str) else 'a number'} {Redacted(value)}"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) <= 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_names(model: type[Model], loc: tuple[str | int, ...]) -> list[str]:
    """The known keys of the (nested) model at loc, for did-you-mean hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
