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
    date: Date = Field(description="When the measurement was taken; dates must not go backwards.")
    value: float = Field(description="The value measured, a number.")
    note: str = Field(default="", description="An optional note, shown on the pair's page (for an objective, on "
                                              "the home page).")


class Objective(Model):
    id: Id = Field(description="How cohorts and goals refer to the objective.")
    title: str = Field(description="What will change (Specific).")
    measure: str = Field(description="What is counted to show it (Measurable).")
    target: float = Field(description="The value aimed for; a target below the baseline means lower is better.")
    baseline: float = Field(default=0, description="The value at the start; must differ from target (default: 0).")
    unit: str = Field(default="", description="Shown after numbers, such as directors or \"%\".")
    due: Date = Field(description="When the target should be reached (Time-bound).")
    rationale: str = Field(default="", description="Why it matters (Relevant).")
    owner: str = Field(default="", description="Who is accountable for it, shown as the objective's owner.")
    achievable: str = Field(default="", description=(
        "What makes the target achievable: the time, people or budget behind it (Achievable)."))
    progress: list[ProgressEntry] = Field(
        default=[], description="Measurements of the objective itself, oldest first, as for a goal.")


class ExpectationItem(Model):
    id: Id = Field(description="How a pair's done refers to the item.")
    text: str = Field(description="What has to be done.")
    due_week: int | None = Field(default=None, ge=0, description="The number of weeks after the cohort starts by "
                                                                 "which it should be done; without it, never overdue.")


class PairExpectationItem(ExpectationItem):
    due: Date | None = Field(default=None, description="A fixed due date, given instead of due_week (not as well).")


class Privacy(Model):
    publish: list[Publishable] = Field(
        default=[], description="Which private fields may appear on the site (default: none of them).")
    min_group: int = Field(default=3, ge=1, description="The fewest distinct people behind any mean score (or mean "
                                                        "change) a cohort page shows (default: 3).")


class Programme(Model):
    objectives: list[Objective] = Field(default=[], description="The programme's SMART objectives.")
    expectations: list[ExpectationItem] = Field(
        default=[], description="The checklist every pair in every cohort starts with.")
    check_in_scores: list[str] | None = Field(
        default=None, description="When set, the only score names a check-in may use, and the order pages list "
                                  "scores in.")
    approvals: int = Field(default=2, ge=1, description="How many sign-offs (approved_by) a pair needs; fewer is a "
                                                        "warning (default: 2).")


class Accept(Model):
    """An acknowledged warning: not printed, does not fail --strict, counted."""

    warning: str = Field(description="The warning's code, such as capacity.")
    subject: str = Field(description="What the warning is about, such as 2026-autumn/helen.")
    reason: str = Field(min_length=1, description="Why the coordinators accept the warning; required.")


FORM_PLACEHOLDERS = ("cohort", "pair", "mentor", "mentee", "mentor_name", "mentee_name", "stage")
FORM_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # in a form's address


class Forms(Model):
    """The programme's own forms, linked from each pair page with the pair filled in."""

    sessions: str | None = Field(default=None, description="The address of a form, with placeholders; each pair "
                                                           "page links to it as \"Log a meeting\".")
    check_ins: str | None = Field(default=None, description="The address of a form, with placeholders; each pair "
                                                            "page links to it as \"Fill in your check-in\".")


class SiteConfig(Model):
    title: str = Field(description="The site's name, in every page title and header.")
    description: str = Field(default="", description="A one-line description, shown under the home page heading "
                                                     "and in the footer, and given to search engines.")
    organisation: str = Field(default="", description="Shown in the footer.")
    base_url: str = Field(default="/", description="Where the site will be published: '/', a path like "
                                                   "'/mentoring/' or a full address (default: /).")
    language: str = Field(default="en", description="The language code given to browsers and screen readers, such "
                                                    "as en or en-GB (default: en).")
    output: str = Field(default="_site", description="The folder the site is written to, relative to the programme "
                                                     "folder (default: _site).")
    directory_urls: bool = Field(default=True, description="Links end in a folder name (pairing/); false links to "
                                                           "pairing/index.html, which also works from disk "
                                                           "(default: true).")
    show_unpaired: bool = Field(default=False, description="List the people who are in no pair on each cohort's "
                                                           "page, never their contact details (default: false).")
    search_engines: Literal["allow", "block"] | None = Field(
        default=None, description="Whether search engines may index the site (default: block when any cohort has "
                                  "pairs, else allow).")
    search: bool = Field(default=True, description="A search box on every page, a search page and the index they "
                                                   "read (default: true).")
    timezone: str | None = Field(default=None, description=(
        "The IANA time zone meetings are held in, e.g. Europe/London: calendars give timed meetings "
        "this zone; without it their times are floating (the reader's own)."))
    as_of: Date | None = Field(default=None, description="The date figures are worked out at; --as-of overrides it "
                                                         "(default: SOURCE_DATE_EPOCH's date, else today).")
    privacy: Privacy = Field(default=Privacy(), description="Which private fields may appear on the site, and the "
                                                            "fewest people behind a mean score it shows.")
    programme: Programme = Field(default=Programme(), description="The programme's objectives, standard checklist, "
                                                                  "check-in score names and sign-offs needed.")
    forms: Forms = Field(default=Forms(), description="The addresses of the programme's own forms (sessions, "
                                                      "check_ins), linked from each pair page with the pair filled in.")
    accept: list[Accept] = Field(default=[], description="Warnings the coordinators have looked at and accept, each "
                                                         "with its warning, subject and reason.")


class GuideMeta(Model):
    title: str = Field(description="The page's heading and its name in navigation.")
    summary: str = Field(default="", description="Shown under the heading and in the lists of guides, and the "
                                                 "page's description for search engines.")
    order: int | None = Field(default=None, description="Position in navigation: lower numbers first, then guides "
                                                        "without one.")
    audience: list[Audience] = Field(default=[], description="Who the guide is for, shown as \"For mentors, "
                                                             "mentees.\"")
    tags: list[str] = Field(default=[], description="Shown as labels under the heading.")
    draft: bool = Field(default=False, description="A draft is left out of the site unless you build with --drafts "
                                                   "(default: false).")


class Person(Model):
    id: Id = Field(description="How pairs refer to the person.")
    name: str = Field(description="Their name on the site.")
    title: str = Field(default="", description="Job title.")
    level: int = Field(description="Seniority, on one scale across the organisation: a higher number is more senior.")
    team: str = Field(default="", description="Team or department.")
    offers: list[str] = Field(default=[], description="Topics they could teach.")
    wants: list[str] = Field(default=[], description="Topics they would like to learn.")
    hours_per_month: float | None = Field(default=None, ge=0, description="The hours a month they can give; leave it "
                                                                          "out to skip the time check for them.")
    email: str | None = Field(default=None, description="Private: their email address, published only when "
                                                        "privacy.publish lists email.")
    phone: str | None = Field(default=None, description="Private: their phone number, published only when "
                                                        "privacy.publish lists phone.")
    bio: str = Field(default="", description="A short introduction.")


class Goal(Model):
    id: Id = Field(description="The goal's id, unique within the pair.")
    title: str = Field(description="The goal in a few words.")
    objective: str | None = Field(default=None, description="The id of the programme objective it serves, linked "
                                                            "from the pair's page.")
    measure: str = Field(description="What is counted.")
    target: float = Field(description="The value aimed for; may be below the baseline.")
    baseline: float = Field(default=0, description="The value at the start; must differ from target (default: 0).")
    unit: str = Field(default="", description="Shown after numbers.")
    due: Date = Field(description="When the target should be reached.")
    progress: list[ProgressEntry] = Field(default=[], description="Measurements, oldest first.")


class Feedback(Model):
    to_mentor: str | None = Field(default=None, description="Private: what the mentee told the mentor.")
    to_mentee: str | None = Field(default=None, description="Private: what the mentor told the mentee.")


class Session(Model):
    date: Date = Field(description="When the meeting took place.")
    minutes: int | None = Field(default=None, gt=0, description="How long it actually lasted, shown on the pair's "
                                                                "page only (default: the pair's session length).")
    topics: list[str] = Field(default=[], description="What was discussed.")
    outputs: list[str] = Field(default=[], description="What the meeting produced.")
    notes: str | None = Field(default=None, description="Private: notes on the meeting, published only when "
                                                        "privacy.publish lists notes.")
    feedback: Feedback | None = Field(default=None, description="Private: what each told the other (to_mentor, "
                                                                "to_mentee).")


class CheckIn(Model):
    stage: Stage = Field(description="When in the relationship it was taken: before, during or after.")
    date: Date = Field(description="When it was taken.")
    by: Side | None = Field(default=None, description="Who answered, mentor or mentee; changes are worked out for "
                                                      "each side as well as for both together.")
    scores: dict[str, int] = Field(default={}, description="The scores: a name to a whole number from 1 to 5; use "
                                                           "the same names consistently.")
    comment: str | None = Field(default=None, description="Private: a comment, published only when privacy.publish "
                                                          "lists comment.")


class Approval(Model):
    """A sign-off of a pairing: who, and when."""

    name: str = Field(description="Who signed the pairing off.")
    date: Date | None = Field(default=None, description="When they signed it off.")


def approval_name(approval: str | Approval) -> str:
    return approval if isinstance(approval, str) else approval.name


def approval_date(approval: str | Approval) -> dt.date | None:
    return None if isinstance(approval, str) else approval.date


class Pair(Model):
    id: Id | None = Field(default=None, description="The pair's id, used in its address; give one if the same two "
                                                    "people are paired twice (default: <mentor>-<mentee>).")
    mentor: str = Field(description="The id of the more junior person, who teaches.")
    mentee: str = Field(description="The id of the more senior person, who learns.")
    focus: list[str] = Field(default=[], description="What the pair works on; each topic should be in the mentor's "
                                                     "offers and the mentee's wants.")
    cadence: Cadence | None = Field(default=None, description="How often this pair meets (default: the cohort's).")
    session_minutes: int | None = Field(default=None, gt=0, description="How long this pair's meetings last, in "
                                                                        "minutes (default: the cohort's).")
    meeting_time: MeetingTime | None = Field(
        default=None, description="This pair's usual start time, \"HH:MM\" in quotes, for the calendars (default: "
                                  "the cohort's).")
    first_meeting: Date | None = Field(default=None, description="The date the pair's meeting series starts from "
                                                                 "(default: the cohort's starts).")
    approved_by: list[str | Approval] = Field(
        default=[], description="Who signed the pairing off, and when: names, or {name, date}; "
                                "programme.approvals (2 unless set) are expected.")
    status: PairStatus = Field(default="active", description="Where the pair is in its life; a proposed pair is on "
                                                             "no public page and in no public figure (default: "
                                                             "active).")
    status_date: Date | None = Field(default=None, description="When the status took effect; required for paused "
                                                               "and ended.")
    status_reason: str | None = Field(default=None, description="Private: why, e.g. a leave of absence or a "
                                                                "rematch; only ever in the coordinator's report.")
    ground_rules: list[str] = Field(default=[], description="The rules the pair agreed.")
    expectations: list[PairExpectationItem] = Field(default=[], description="Checklist items for this pair only.")
    done: dict[str, Date] = Field(default={}, description="Which checklist items are done, and on what date: an "
                                                          "expectation id to a date.")
    goals: list[Goal] = Field(default=[], description="What the pair aims to change.")
    sessions: list[Session] = Field(default=[], description="The meetings held.")
    check_ins: list[CheckIn] = Field(default=[], description="Short surveys before, during and after.")

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

    held: Date | None = Field(default=None, description="When the retrospective took place.")
    summary: str = Field(default="", description="A short paragraph shown above the lists.")
    worked: list[str] = Field(default=[], description="What worked.")
    did_not_work: list[str] = Field(default=[], description="What did not work.")
    next_time: list[str] = Field(default=[], description="What will be done differently next time.")


class Cohort(Model):
    name: str = Field(description="The cohort's name on the site.")
    pilot: bool = Field(default=False, description="Marks a trial run; its pages carry a \"Pilot\" label and a "
                                                   "short explanation (default: false).")
    starts: Date = Field(description="The first day of the cohort.")
    ends: Date = Field(description="The last day; must be later than starts.")
    cadence: Cadence = Field(default="fortnightly", description="How often pairs meet, unless a pair says otherwise "
                                                                "(default: fortnightly).")
    session_minutes: int = Field(default=60, gt=0, description="How long a meeting lasts, in minutes, unless a pair "
                                                               "says otherwise (default: 60).")
    meeting_time: MeetingTime | None = Field(
        default=None, description="The usual local start time of meetings, \"HH:MM\" in quotes, used only by the "
                                  "calendars; without it, events are all-day.")
    objectives: list[str] = Field(default=[], description="The ids of the programme objectives this cohort works "
                                                          "towards, listed on its page.")
    expectations: list[ExpectationItem] = Field(default=[], description="Checklist items added for every pair in "
                                                                        "this cohort.")
    people: list[Person] = Field(description="Everyone taking part, mentors and mentees alike (the list may be "
                                             "empty).")
    pairs: list[Pair] = Field(default=[], description="Who mentors whom.")
    retrospective: Retrospective | None = Field(default=None, description="What the cohort learned, shown on its "
                                                                          "page.")

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
