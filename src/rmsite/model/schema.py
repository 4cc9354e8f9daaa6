"""The input format as typed models: site.yml, cohort files, guide front matter.

One set of definitions serves validation (with located, friendly messages)
and, later, the JSON Schema offered to editors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
                "date_parsing", "invalid date '{value}': expected YYYY-MM-DD", {"value": value}) from None
    return value


Date = Annotated[dt.date, BeforeValidator(_coerce_date)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Cadence = Literal["weekly", "fortnightly", "monthly"]
MeetingTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Audience = Literal["mentors", "mentees", "coordinators"]
Stage = Literal["before", "during", "after"]
Side = Literal["mentor", "mentee"]
PrivateField = Literal["email", "phone", "notes", "feedback", "comment"]  # text the leak guard looks for
Publishable = Literal["email", "phone", "notes", "feedback", "comment", "scores"]  # what privacy.publish may name
PairStatus = Literal["proposed", "active", "paused", "ended"]


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
    achievable: str = ""  # what makes the target achievable (the A of SMART): time, people, a budget
    progress: list[ProgressEntry] = []  # measurements of the objective itself, oldest first


class ExpectationItem(Model):
    id: Id
    text: str
    due_week: int | None = Field(default=None, ge=0)


class PairExpectationItem(ExpectationItem):
    due: Date | None = None


class Privacy(Model):
    publish: list[Publishable] = []
    # the fewest distinct respondents behind a cohort's mean score that a public page shows
    min_group: int = Field(default=3, ge=1)


class Programme(Model):
    objectives: list[Objective] = []
    expectations: list[ExpectationItem] = []
    check_in_scores: list[str] | None = None  # when set, the only score names, in the order pages list them
    approvals: int = Field(default=2, ge=1)  # sign-offs a pair needs; fewer is a warning


class Accept(Model):
    """An acknowledged warning: not printed, does not fail --strict, counted."""

    warning: str  # its code, e.g. capacity
    subject: str  # what it is about, e.g. 2026-autumn/helen
    reason: str = Field(min_length=1)


FORM_PLACEHOLDERS = ("cohort", "pair", "mentor", "mentee", "mentor_name", "mentee_name", "stage")
FORM_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # in a form's address


class Forms(Model):
    """The programme's own forms, linked from each pair page with the pair filled in."""

    sessions: str | None = None  # "Log a meeting"
    check_ins: str | None = None  # "Fill in your check-in"


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
    forms: Forms = Forms()
    accept: list[Accept] = []


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
    by: Side | None = None  # who answered
    scores: dict[str, int] = {}
    comment: str | None = None


class Approval(Model):
    """A sign-off of a pairing: who, and when."""

    name: str
    date: Date | None = None


def approval_name(approval: str | Approval) -> str:
    return approval if isinstance(approval, str) else approval.name


def approval_date(approval: str | Approval) -> dt.date | None:
    return None if isinstance(approval, str) else approval.date


class Pair(Model):
    id: Id | None = None
    mentor: str
    mentee: str
    focus: list[str] = []
    cadence: Cadence | None = None
    session_minutes: int | None = Field(default=None, gt=0)
    meeting_time: MeetingTime | None = None  # HH:MM local time, for calendars
    first_meeting: Date | None = None
    approved_by: list[str | Approval] = []
    status: PairStatus = "active"
    status_date: Date | None = None  # when the status took effect: required for paused and ended
    status_reason: str | None = None  # private
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

    @property
    def public(self) -> bool:
        """On the public site: every pair but a proposed one."""
        return self.status != "proposed"

    def measured_at(self, as_of: dt.date) -> dt.date:
        """The date a pair's figures are measured at: as_of, or for a paused or ended pair the
        day its status took effect, when that is earlier."""
        if self.status in ("paused", "ended") and self.status_date is not None:
            return min(as_of, self.status_date)
        return as_of


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

    def public(self) -> Cohort:
        """The cohort as the public site shows it: without its proposed pairs."""
        if all(pair.public for pair in self.pairs):
            return self
        return self.model_copy(update={"pairs": [pair for pair in self.pairs if pair.public]})


SCHEMA_MODELS: dict[str, type[Model]] = {"site": SiteConfig, "cohort": Cohort, "guide": GuideMeta}
SCHEMA_TITLES = {"site": "rmsite site.yml", "cohort": "rmsite cohort file (cohorts/<id>.yml)",
                 "guide": "rmsite guide front matter"}


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of file, from the validator's own models."""
    schema = SCHEMA_MODELS[kind].model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://rmsite.invalid/schema/{kind}.schema.json",
            **schema, "title": SCHEMA_TITLES[kind]}
