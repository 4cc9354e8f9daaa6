"""A parsed document checked against a model of the format, each of pydantic's errors
turned into a located problem in plain words."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rmsite.core.problems import Problem, did_you_mean
from rmsite.model.document import YamlDoc
from rmsite.model.schema import Model
from rmsite.source.redact import PRIVATE_KEYS, Redacted, is_private
from rmsite.source.value_hints import date_hint, meant_choice, number_hint
from rmsite.source.yaml_lines import as_value

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
    words: dict[Any, str] = getattr(doc, "bool_words", {})  # yes, no, on, off (yaml_marks.MarkedDoc)
    return where.error(_message(kind, error, value, name, private, loc=loc, word=words.get(loc, ""),
                                annotation=_annotation(model, loc)))


def _message(kind: str, error: Any, value: Any, name: str | None, private: bool = False, *,
             loc: tuple[str | int, ...] = (), word: str = "", annotation: Any = None) -> str:
    """The message for one of pydantic's errors; a private field's value is shown redacted.
    `word` is what was written for a value YAML read as true or false (yes, no, on, off), and
    `annotation` the type the format has at loc."""
    found = describe(value, private)
    shown = Redacted(value) if private else value
    prefix = f"'{name}': " if name else ""
    if value is None and loc and isinstance(loc[-1], int) and kind != "missing":
        of = f"'{loc[-2]}': " if len(loc) > 1 and isinstance(loc[-2], str) else ""
        return f"{of}an empty list item (a '-' with nothing after it): remove the line, or write the item after the '-'"
    if isinstance(value, bool) and kind in ("string_type", "date_type", "literal_error"):
        return _bool_message(kind, error, value, name, private, loc, word)
    hint = _hint(kind, value, name, private, loc, annotation)
    if hint:
        return hint
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
        if isinstance(value, str) and date_hint(value) and not private:
            return f"{prefix}{date_hint(value)}"
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
        choices = _choices(error)
        return (f"{prefix}'{shown}' is not one of: {', '.join(choices)}"
                + (meant_choice(str(value), choices) if not private else ""))
    if kind in ("greater_than_equal", "greater_than"):
        return f"{prefix}{error['msg'].lower()}, found {shown}"
    return f"{prefix}{error['msg']}"


def _choices(error: Any) -> list[str]:
    expected = error.get("ctx", {}).get("expected", "")
    return [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]


def _bool_message(kind: str, error: Any, value: bool, name: str | None, private: bool,
                  loc: tuple[str | int, ...], word: str) -> str:
    """A value YAML read as true or false (yes, no, on, off) where a date, text or one of
    several words is expected: what YAML did, and what to write."""
    prefix = f"'{name}': " if name else ""
    read = str(value).lower()
    if private:
        return f"{prefix}YAML reads this value as true or false; put text in quotes"
    said = f"YAML reads {word} as {read}" if word else f"found {read}"
    if kind == "date_type":
        done = " it was done" if len(loc) > 1 and loc[-2] == "done" else ""
        return f"{prefix}{said}, not a date: write the date{done} as YYYY-MM-DD"
    if kind == "literal_error":
        return f"{prefix}{said}: write one of: {', '.join(_choices(error))}"
    text = word or read
    line = f"{name}: \"{text}\"" if name else f"\"{text}\""
    return f"{prefix}{said}; to mean the text, put it in quotes: {line}"


def _hint(kind: str, value: Any, name: str | None, private: bool, loc: tuple[str | int, ...],
          annotation: Any) -> str:
    """What to write for a value of the wrong shape: a number with its unit, a single topic
    where a list is expected, a list of ids where a mapping of ids to dates is."""
    if private:
        return ""
    if kind in ("float_type", "int_type") and isinstance(value, str):
        number = number_hint(value, loc)
        return f"'{name}': {number}" if number and name else number or ""
    if kind == "list_type" and name and isinstance(value, str) and value.strip() and _holds_text(annotation):
        return f"'{name}' is a list: write {name}: [{as_value(value.strip(), flow=True)}]"
    if kind == "dict_type" and name and _dates_by_id(annotation):
        ids = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        if ids and all(isinstance(i, str) and i.strip() for i in ids) and len(ids) <= 6:
            entries = ", ".join(f"{as_value(i.strip(), flow=True)}: YYYY-MM-DD" for i in ids)
            return f"'{name}' is a mapping of ids to dates: write {name}: {{{entries}}}, with the date each was done"
    return ""


def _annotation(model: type[Model], loc: tuple[str | int, ...]) -> Any:
    """The type the format has at loc (a field's annotation), or None."""
    current: Any = model
    annotation: Any = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            return None
        annotation = fields[part].annotation
        current = _inner_model(annotation)
    return annotation


def _unwrap(annotation: Any) -> list[Any]:
    """The types an annotation allows: Optional and unions opened, Annotated taken off."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _holds_text(annotation: Any) -> bool:
    """Whether the annotation is a list of text (list[str], a list of words, list[str | …])."""
    for kind in _unwrap(annotation):
        if typing.get_origin(kind) is list:
            items = _unwrap(typing.get_args(kind)[0])
            return any(item is str or typing.get_origin(item) is typing.Literal for item in items)
    return False


def _dates_by_id(annotation: Any) -> bool:
    """Whether the annotation is a mapping of ids to dates (a pair's `done`)."""
    for kind in _unwrap(annotation):
        if typing.get_origin(kind) is dict:
            return dt.date in _unwrap(typing.get_args(kind)[1])
    return False


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
