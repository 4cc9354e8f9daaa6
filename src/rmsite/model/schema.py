"""The input format as typed models: site.yml, cohort files, guide front matter.

One set of definitions serves validation (with located, friendly messages)
and, later, the JSON Schema offered to editors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from rmsite.source.files import YamlDoc
from rmsite.core.problems import Problem, did_you_mean

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRIVATE_FIELDS = ("email", "phone", "notes", "feedback", "comment")


def _coerce_date(value: Any) -> Any:
    """Accept YAML dates and quoted ISO dates; refuse date-times clearly."""
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-" and value.isascii():
        try:  # the common case, first: a restored cache holds every date like this
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # the message below
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        try:
            if not ISO_DATE.match(value.strip()):
                raise ValueError(value)
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date_parsing", "invalid date '{value}': expected YYYY-MM-DD", {"value": value})
    return value


Date = Annotated[dt.date, BeforeValidator(_coerce_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Cadence = Literal["weekly", "fortnightly", "monthly"]
MeetingTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Audience = Literal["mentors", "mentees", "coordinators"]
Stage = Literal["before", "during", "after"]
PrivateField = Literal["email", "phone", "notes", "feedback", "comment"]


class Model(BaseModel):
    """Strict, closed, immutable: a typo never passes silently."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class ProgressEntry(Model):
    date: Date
    value: float
    note: str = ""


class Objective(Model):
    id: Id
    title: str
    measure: str
    target: float
    baseline: float = 0
    unit: str = ""
    due: Date
    rationale: str = ""
    owner: str = ""
    progress: list[ProgressEntry] = []  # measurements of the objective itself, oldest first


class ExpectationItem(Model):
    id: Id
    text: str
    due_week: int | None = Field(default=None, ge=0)


class PairExpectationItem(ExpectationItem):
    due: Date | None = None


class Privacy(Model):
    publish: list[PrivateField] = []


class Programme(Model):
    objectives: list[Objective] = []
    expectations: list[ExpectationItem] = []


class SiteConfig(Model):
    title: str
    description: str = ""
    organisation: str = ""
    base_url: str = "/"
    language: str = "en"
    output: str = "_site"
    directory_urls: bool = True  # links end in '/'; false links to '…/index.html' (for opening from disk)
    show_unpaired: bool = False  # list the people in no pair on each cohort page (names, titles, teams, topics)
    search_engines: Literal["allow", "block"] | None = None  # default: block when the site has pair pages
    search: bool = True  # a search box on every page, a search page and search/index.json
    as_of: Date | None = None
    privacy: Privacy = Privacy()
    programme: Programme = Programme()


class GuideMeta(Model):
    title: str
    summary: str = ""
    order: int | None = None
    audience: list[Audience] = []
    tags: list[str] = []
    draft: bool = False


class Person(Model):
    id: Id
    name: str
    title: str = ""
    level: int
    team: str = ""
    offers: list[str] = []
    wants: list[str] = []
    hours_per_month: float | None = Field(default=None, ge=0)
    email: str | None = None
    phone: str | None = None
    bio: str = ""


class Goal(Model):
    id: Id
    title: str
    objective: str | None = None
    measure: str
    target: float
    baseline: float = 0
    unit: str = ""
    due: Date
    progress: list[ProgressEntry] = []


class Feedback(Model):
    to_mentor: str | None = None
    to_mentee: str | None = None


class Session(Model):
    date: Date
    minutes: int | None = Field(default=None, gt=0)
    topics: list[str] = []
    outputs: list[str] = []
    notes: str | None = None
    feedback: Feedback | None = None


class CheckIn(Model):
    stage: Stage
    date: Date
    scores: dict[str, int] = {}
    comment: str | None = None


class Pair(Model):
    id: Id | None = None
    mentor: str
    mentee: str
    focus: list[str] = []
    cadence: Cadence | None = None
    session_minutes: int | None = Field(default=None, gt=0)
    meeting_time: MeetingTime | None = None  # HH:MM local time, for calendars
    first_meeting: Date | None = None
    approved_by: list[str] = []
    ground_rules: list[str] = []
    expectations: list[PairExpectationItem] = []
    done: dict[str, Date] = {}
    goals: list[Goal] = []
    sessions: list[Session] = []
    check_ins: list[CheckIn] = []

    @property
    def key(self) -> str:
        """The pair's id: given, or `<mentor>-<mentee>`."""
        return self.id or f"{self.mentor}-{self.mentee}"


def pair_name(mentor: str, mentee: str) -> str:
    """How a pair is called on its page, in calendars and in search: its people's names."""
    return f"{mentor} and {mentee}"


class Retrospective(Model):
    """What a cohort learned, written up after it (or a pilot) ends; public."""

    held: Date | None = None
    summary: str = ""
    worked: list[str] = []
    did_not_work: list[str] = []
    next_time: list[str] = []


class Cohort(Model):
    name: str
    pilot: bool = False
    starts: Date
    ends: Date
    cadence: Cadence = "fortnightly"
    session_minutes: int = Field(default=60, gt=0)
    meeting_time: MeetingTime | None = None  # HH:MM local time, for calendars
    objectives: list[str] = []
    expectations: list[ExpectationItem] = []
    people: list[Person]
    pairs: list[Pair] = []
    retrospective: Retrospective | None = None


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
    return where.error(_message(kind, error, value, name))


def _message(kind: str, error: Any, value: Any, name: str | None) -> str:
    found = describe(value)
    prefix = f"'{name}': " if name else ""
    if kind == "string_type" and name == "meeting_time" and isinstance(value, int):
        return (f"{prefix}write the time in quotes, such as '14:30': without them YAML reads "
                f"hours:minutes as a number ({value})")
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
            return f"{prefix}invalid date '{value}': expected YYYY-MM-DD"
        if isinstance(value, dt.datetime):
            return f"{prefix}expected a date (YYYY-MM-DD), not a date and time"
        return f"{prefix}expected a date (YYYY-MM-DD), found {found}"
    if kind == "string_pattern_mismatch" and name == "meeting_time":
        return f"{prefix}'{value}' is not a time: write HH:MM on a 24-hour clock, such as 14:30"
    if kind == "string_pattern_mismatch":
        return (f"invalid id '{value}': use lowercase letters, digits and hyphens, "
                "starting with a letter or digit, at most 64 characters")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return (f"{prefix}'{value}' is not one of: {', '.join(choices)}"
                + did_you_mean(str(value), choices))
    if kind in ("greater_than_equal", "greater_than"):
        return f"{prefix}{error['msg'].lower()}, found {value}"
    return f"{prefix}{error['msg']}"


def describe(value: Any) -> str:
    """A short, user-facing description of a YAML value's kind."""
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


SCHEMA_MODELS: dict[str, type[Model]] = {"site": SiteConfig, "cohort": Cohort, "guide": GuideMeta}
SCHEMA_TITLES = {"site": "rmsite site.yml", "cohort": "rmsite cohort file (cohorts/<id>.yml)",
                 "guide": "rmsite guide front matter"}


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of file, from the validator's own models."""
    schema = SCHEMA_MODELS[kind].model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://rmsite.invalid/schema/{kind}.schema.json",
            **schema, "title": SCHEMA_TITLES[kind]}
