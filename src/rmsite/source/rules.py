"""The format's rules across files: references, directions, dates, capacity.

Type and key errors are found by the schema; this module checks what needs
more than one value at once, and returns every problem found."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import get_args

from rmsite.core.problems import Loc, Problem, did_you_mean
from rmsite.model import figures
from rmsite.model.document import KeyPath, YamlDoc
from rmsite.model.programme import ConfigFile
from rmsite.model.schema import (
    FORM_PLACEHOLDER,
    FORM_PLACEHOLDERS,
    ID_PATTERN,
    Cohort,
    ExpectationItem,
    Pair,
    Person,
    PrivateField,
    ProgressEntry,
    approval_date,
)

# '/', a path ('/mentoring/'), or an http(s) URL; not '//host/' (a URL without its scheme,
# which browsers read as another site) and no 'user:password@' before the host
BASE_URL_PATTERN = re.compile(r"^(/|/(?!/)\S*/|https?://[^/\s@]+/(\S*/)?)$")


def base_url_problem(base_url: str) -> str:
    """Why a base_url is refused, in words."""
    if base_url.startswith("//"):
        return (f"base_url '{base_url}' starts with '//', which browsers read as another site; write "
                "a path like '/mentoring/' or a whole URL like 'https://example.org/mentoring/'")
    if "@" in base_url.split("/")[2 if "://" in base_url else 0]:
        return (f"base_url '{base_url.split('://')[0]}://…@…' holds a user name or password before the host; "
                "remove it: every page would publish it")
    return (f"base_url '{base_url}' must be '/', a path like '/mentoring/' "
            "or a URL like 'https://example.org/mentoring/' (starting and ending with '/')")


def duplicate_ids(doc: YamlDoc, prefix: KeyPath, ids: Sequence[str], what: str) -> list[Problem]:
    """Each repeated id, pointed at its second use, naming the first's line."""
    problems = []
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if value in first:
            line = doc.loc(prefix + (first[value], "id")).line
            problems.append(doc.loc(prefix + (index, "id")).error(
                f"duplicate {what} id '{value}' (first used on line {line})"))
        else:
            first[value] = index
    return problems


def check_guide_path(rel: str) -> list[Problem]:
    """A guide's path (under content/) must give a page inside the site: a name made
    only of dots, such as `....md`, would give `../index.html`."""
    if all(part.strip(".") for part in rel[:-len(".md")].split("/")):
        return []
    return [Loc(f"content/{rel}").error(
        f"the file name '{rel.rsplit('/', 1)[-1]}' gives no page address (a name made only of dots); "
        "rename the guide")]


def check_site(site: ConfigFile) -> list[Problem]:
    """Rules within site.yml."""
    config, doc = site.config, site.doc
    problems: list[Problem] = []
    if not BASE_URL_PATTERN.match(config.base_url):
        problems.append(doc.loc(("base_url",)).error(base_url_problem(config.base_url)))
    objectives = config.programme.objectives
    problems += duplicate_ids(doc, ("programme", "objectives"), [o.id for o in objectives], "objective")
    for index, objective in enumerate(objectives):
        here = ("programme", "objectives", index)
        if objective.target == objective.baseline:
            problems.append(doc.loc(here + ("target",)).error(
                f"objective '{objective.id}': target must differ from baseline ({objective.baseline:g})"))
        problems += progress_order(doc, here, objective.progress)
    problems += duplicate_ids(doc, ("programme", "expectations"),
                              [e.id for e in config.programme.expectations], "expectation")
    for name in ("sessions", "check_ins"):
        template = getattr(config.forms, name)
        if template is not None:
            problems += form_url_problems(doc.loc(("forms", name)), template)
    if config.timezone is not None:
        problems += timezone_problems(doc.loc(("timezone",)), config.timezone)
    names = config.programme.check_in_scores or []
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(doc.loc(("programme", "check_in_scores", index)).error(
                f"score '{name}' is named twice (first on line "
                f"{doc.loc(('programme', 'check_in_scores', names.index(name))).line})"))
    return problems


def timezone_problems(where: Loc, name: str) -> list[Problem]:
    """site.yml's timezone must be an IANA zone name, as calendar programs know them."""
    try:
        zoneinfo.ZoneInfo(name)
        return []
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [where.error(f"unknown time zone '{name}': give an IANA name such as 'Europe/London' or "
                            "'America/New_York'" + did_you_mean(name, zoneinfo.available_timezones()))]


def form_url_problems(where: Loc, template: str) -> list[Problem]:
    """A form's URL template: an http(s) address whose placeholders are the format's; never a
    private field (an email in a link would reach every reader of the page)."""
    problems = []
    if not re.match(r"^https?://", template):
        problems.append(where.error("a form's address starts with https:// (or http://)"))
    for name in FORM_PLACEHOLDER.findall(template):
        if name in FORM_PLACEHOLDERS:
            continue
        private = any(word in name for word in (*get_args(PrivateField), "reason"))
        problems.append(where.error(
            f"'{{{name}}}' is a private field and never goes in a link" if private else
            f"unknown placeholder '{{{name}}}': use {', '.join('{' + n + '}' for n in FORM_PLACEHOLDERS)}"
            + did_you_mean(name, FORM_PLACEHOLDERS)))
    return problems


def check_cohort(site: ConfigFile, cohort_id: str, cohort: Cohort, doc: YamlDoc,
                 as_of: dt.date | None = None) -> list[Problem]:
    """Every rule of the format within one cohort file; with `as_of`, also the warnings about
    what is dated after it."""
    problems: list[Problem] = []
    if not re.match(ID_PATTERN, cohort_id):
        problems.append(doc.loc().error(
            f"the file name '{cohort_id}' is the cohort id: use lowercase letters, digits and hyphens"))
    if cohort.ends <= cohort.starts:
        problems.append(doc.loc(("ends",)).error(
            f"the cohort ends ({cohort.ends}) on or before it starts ({cohort.starts})"))
    objective_ids = [o.id for o in site.config.programme.objectives]
    for index, objective in enumerate(cohort.objectives):
        if objective not in objective_ids:
            problems.append(doc.loc(("objectives", index)).error(
                f"unknown objective '{objective}'" + did_you_mean(objective, objective_ids)))
    problems += duplicate_ids(doc, ("people",), [p.id for p in cohort.people], "person")
    problems += due_weeks_in_range(cohort, site.doc, ("programme", "expectations"), site.config.programme.expectations)
    problems += due_weeks_in_range(cohort, doc, ("expectations",), cohort.expectations)
    problems += due_after_end(cohort_id, cohort, site.doc, ("programme", "expectations"),
                              site.config.programme.expectations, cohort_id)
    problems += due_after_end(cohort_id, cohort, doc, ("expectations",), cohort.expectations, cohort_id)
    programme_ids = {e.id for e in site.config.programme.expectations}
    problems += duplicate_ids(doc, ("expectations",), [e.id for e in cohort.expectations], "expectation")
    for index, item in enumerate(cohort.expectations):
        if item.id in programme_ids:
            problems.append(doc.loc(("expectations", index, "id")).error(
                f"expectation id '{item.id}' is already a programme expectation in site.yml"))
    first_pair: dict[str, int] = {}
    for index, pair in enumerate(cohort.pairs):
        if pair.key in first_pair:
            where = ("pairs", index, "id") if pair.id else ("pairs", index)
            first = doc.loc(("pairs", first_pair[pair.key])).line
            problems.append(doc.loc(where).error(f"duplicate pair id '{pair.key}' (first used on line {first})"))
        else:
            first_pair[pair.key] = index
    people = {person.id: person for person in cohort.people}
    for index, pair in enumerate(cohort.pairs):
        problems += check_pair(site, cohort_id, cohort, people, doc, ("pairs", index), pair, as_of)
    problems += check_capacity(cohort_id, cohort, doc)
    problems += several_pairs(cohort_id, cohort, doc)
    if cohort.ends <= cohort.starts:  # the error says it; every date would be "outside the cohort"
        problems = [p for p in problems if p.code not in RELATIVE_TO_THE_DATES]
    return problems


RELATIVE_TO_THE_DATES = ("outside-dates", "due-after-end")  # warnings measured against the cohort's dates


WARNED = ("active", "paused")  # the statuses of the pairs every warning about a pair applies to


def several_pairs(cohort_id: str, cohort: Cohort, doc: YamlDoc) -> list[Problem]:
    """A warning at each further active pair of a person already in one, in either role."""
    problems = []
    first: dict[str, str] = {}
    for index, pair in enumerate(cohort.pairs):
        if pair.status != "active":
            continue
        for role in ("mentor", "mentee"):
            person = getattr(pair, role)
            if person in first and first[person] != pair.key:
                problems.append(doc.loc(("pairs", index, role)).warning(
                    f"'{person}' is in more than one active pair of this cohort ('{first[person]}' and "
                    f"'{pair.key}')", "several-pairs", f"{cohort_id}/{person}"))
            first.setdefault(person, pair.key)
    return problems


def check_pair(site: ConfigFile, cohort_id: str, cohort: Cohort, people: dict[str, Person], doc: YamlDoc,
               at: KeyPath, pair: Pair, as_of: dt.date | None = None) -> list[Problem]:
    """The rules for one pair (people: the cohort's, by id): people, direction, checklist, goals, dates,
    status. Its warnings apply to active and paused pairs; a proposed pair gets only `approvals` and
    `ready-to-activate`, an ended one none."""
    problems = [p for p in pair_rules(site, cohort_id, cohort, people, doc, at, pair, as_of)
                if p.severity == "error" or pair.status in WARNED]
    problems += check_status(site, cohort_id, doc, at, pair)
    return problems


def check_status(site: ConfigFile, cohort_id: str, doc: YamlDoc, at: KeyPath, pair: Pair) -> list[Problem]:
    """A paused or ended pair says since when; sign-offs are enough; a proposed pair signed off
    by enough people, with dates, is ready to be made active."""
    problems: list[Problem] = []
    subject = f"{cohort_id}/{pair.key}"
    if pair.status in ("paused", "ended") and pair.status_date is None:
        problems.append(doc.loc(at + ("status",)).error(
            f"a {pair.status} pair needs 'status_date': the day it {pair.status}"))
    if pair.status == "ended":
        return problems
    needed = site.config.programme.approvals
    count = len(pair.approved_by)
    if count < needed:
        problems.append(doc.loc(at + ("approved_by",) if pair.approved_by else at).warning(
            f"pair '{pair.key}' is approved by {count} {'person' if count == 1 else 'people'}; "
            f"a pairing should be signed off by {needed} (programme.approvals)", "approvals", subject))
    dated = sum(1 for a in pair.approved_by if approval_date(a) is not None)
    if pair.status == "proposed" and dated >= needed:
        problems.append(doc.loc(at + ("status",)).warning(
            f"proposed pair '{pair.key}' has {dated} dated sign-offs: set 'status: active' to publish it",
            "ready-to-activate", subject))
    return problems


def pair_rules(site: ConfigFile, cohort_id: str, cohort: Cohort, people: dict[str, Person], doc: YamlDoc,
               at: KeyPath, pair: Pair, as_of: dt.date | None) -> list[Problem]:
    problems: list[Problem] = []
    subject = f"{cohort_id}/{pair.key}"
    for role in ("mentor", "mentee"):
        person_id = getattr(pair, role)
        if person_id not in people:
            problems.append(doc.loc(at + (role,)).error(
                f"unknown person '{person_id}' as {role}" + did_you_mean(person_id, people)))
    mentor, mentee = people.get(pair.mentor), people.get(pair.mentee)
    if pair.mentor == pair.mentee:
        problems.append(doc.loc(at + ("mentee",)).error(
            f"'{pair.mentor}' cannot be both mentor and mentee of a pair"))
    elif mentor and mentee:
        if mentor.level > mentee.level:
            problems.append(doc.loc(at + ("mentor",)).error(
                f"in reverse mentoring the mentor is the more junior: '{mentor.id}' (level {mentor.level}) "
                f"is senior to '{mentee.id}' (level {mentee.level}); swap mentor and mentee?"))
        elif mentor.level == mentee.level:
            problems.append(doc.loc(at + ("mentor",)).warning(
                f"mentor '{mentor.id}' and mentee '{mentee.id}' have the same level ({mentor.level}); "
                "in reverse mentoring the mentor is the more junior", "equal-levels", subject))
    if mentor and mentee:
        offers = {figures.normalise_topic(t) for t in mentor.offers}
        wants = {figures.normalise_topic(t) for t in mentee.wants}
        for index, topic in enumerate(pair.focus):
            if figures.normalise_topic(topic) not in offers:
                problems.append(doc.loc(at + ("focus", index)).warning(
                    f"focus topic '{topic}' is not in the mentor's offers ('{mentor.id}')", "focus-offer", subject))
            if figures.normalise_topic(topic) not in wants:
                problems.append(doc.loc(at + ("focus", index)).warning(
                    f"focus topic '{topic}' is not in the mentee's wants ('{mentee.id}')", "focus-want", subject))
    problems += check_checklist(site, cohort_id, cohort, doc, at, pair)
    problems += check_goals(site, cohort, doc, at, pair, subject, as_of)
    problems += check_activity(site, cohort, doc, at, pair, subject, as_of)
    return problems


def check_checklist(site: ConfigFile, cohort_id: str, cohort: Cohort, doc: YamlDoc, at: KeyPath,
                    pair: Pair) -> list[Problem]:
    problems: list[Problem] = []
    inherited = [e.id for e in site.config.programme.expectations] + [e.id for e in cohort.expectations]
    for index, item in enumerate(pair.expectations):
        where = doc.loc(at + ("expectations", index, "id"))
        if item.id in inherited or item.id in [e.id for e in pair.expectations[:index]]:
            problems.append(where.error(f"duplicate expectation id '{item.id}' in this pair's checklist"))
        if item.due is not None and item.due_week is not None:
            problems.append(doc.loc(at + ("expectations", index, "due")).error(
                f"expectation '{item.id}' has both 'due' and 'due_week'; give one"))
    problems += due_weeks_in_range(cohort, doc, at + ("expectations",), pair.expectations)
    problems += due_after_end(cohort_id, cohort, doc, at + ("expectations",), pair.expectations,
                              f"{cohort_id}/{pair.key}")
    known = inherited + [e.id for e in pair.expectations]
    for key in pair.done:
        if key not in known:
            problems.append(doc.loc(at + ("done", key), key=True).error(
                f"'{key}' is not an expectation of this pair" + did_you_mean(key, known)))
    return problems


def due_after_end(cohort_id: str, cohort: Cohort, doc: YamlDoc, prefix: KeyPath,
                  items: Sequence[ExpectationItem], subject: str) -> list[Problem]:
    """A warning for each checklist item that falls due after the cohort ends (it can never be done
    in time); located at its `due` or `due_week` (in site.yml for the programme's own items)."""
    problems = []
    for index, item in enumerate(items):
        try:
            due = figures.item_due(item, cohort)
        except OverflowError:
            continue  # an error of its own (due_weeks_in_range)
        if due is not None and due > cohort.ends:
            key = "due" if getattr(item, "due", None) is not None else "due_week"
            where = f" in cohort '{cohort_id}'" if doc.path == "site.yml" else ""
            problems.append(doc.loc(prefix + (index, key)).warning(
                f"checklist item '{item.id}' is due {due}{where}, after the cohort ends ({cohort.ends})",
                "due-after-end", f"{subject}/{item.id}"))
    return problems


def due_weeks_in_range(cohort: Cohort, doc: YamlDoc, prefix: KeyPath,
                       items: Sequence[ExpectationItem]) -> list[Problem]:
    """An error for each item whose `due_week` gives no calendar date (past 9999-12-31)."""
    problems = []
    for index, item in enumerate(items):
        try:
            figures.item_due(item, cohort)
        except OverflowError:
            problems.append(doc.loc(prefix + (index, "due_week")).error(
                f"expectation '{item.id}' is due {item.due_week} weeks after the cohort starts, "
                "past the last date there is (9999-12-31)"))
    return problems


def check_goals(site: ConfigFile, cohort: Cohort, doc: YamlDoc, at: KeyPath, pair: Pair,
                subject: str, as_of: dt.date | None) -> list[Problem]:
    problems = duplicate_ids(doc, at + ("goals",), [g.id for g in pair.goals], "goal")
    objective_ids = [o.id for o in site.config.programme.objectives]
    for index, goal in enumerate(pair.goals):
        here = at + ("goals", index)
        if goal.objective is not None and goal.objective not in objective_ids:
            problems.append(doc.loc(here + ("objective",)).error(
                f"unknown objective '{goal.objective}'" + did_you_mean(goal.objective, objective_ids)))
        if goal.target == goal.baseline:
            problems.append(doc.loc(here + ("target",)).error(
                f"goal '{goal.id}': target must differ from baseline ({goal.baseline:g})"))
        if goal.due > cohort.ends:
            problems.append(doc.loc(here + ("due",)).warning(
                f"goal '{goal.id}' is due {goal.due}, after the cohort ends ({cohort.ends})",
                "due-after-end", f"{subject}/{goal.id}"))
        problems += progress_order(doc, here, goal.progress)
        for step, entry in enumerate(goal.progress):
            if not cohort.starts <= entry.date <= cohort.ends:
                problems.append(doc.loc(here + ("progress", step, "date")).warning(
                    f"progress entry on {entry.date} is outside the cohort ({cohort.starts} to {cohort.ends})",
                    "outside-dates", f"{subject}/{goal.id}"))
            if as_of is not None and entry.date > as_of:  # not counted yet: a typo of the year, most likely
                problems.append(doc.loc(here + ("progress", step, "date")).warning(
                    f"progress entry on {entry.date} is after the as-of date ({as_of}): it is not counted yet",
                    "after-as-of", f"{subject}/{goal.id}"))
    return problems


def progress_order(doc: YamlDoc, here: KeyPath, progress: Sequence[ProgressEntry]) -> list[Problem]:
    """An error at each progress entry dated before the one above it (a goal's or an objective's)."""
    return [doc.loc(here + ("progress", step, "date")).error(
                f"progress dates must ascend: {entry.date} is earlier than the entry before it "
                f"({progress[step - 1].date})")
            for step, entry in enumerate(progress) if step and entry.date < progress[step - 1].date]


def check_activity(site: ConfigFile, cohort: Cohort, doc: YamlDoc, at: KeyPath, pair: Pair,
                   subject: str, as_of: dt.date | None) -> list[Problem]:
    """Sessions and check-ins: their dates within the cohort (and sessions' on or before as_of:
    a later one is not counted yet, a typo of the year most likely), scores from 1 to 5 with the
    programme's names, and an `after` check-in with a `before` from the same side (else its
    change cannot be measured)."""
    problems: list[Problem] = []
    names = site.config.programme.check_in_scores
    for index, session in enumerate(pair.sessions):
        if not cohort.starts <= session.date <= cohort.ends:
            problems.append(doc.loc(at + ("sessions", index, "date")).warning(
                f"session on {session.date} is outside the cohort ({cohort.starts} to {cohort.ends})",
                "outside-dates", subject))
        if as_of is not None and session.date > as_of:
            problems.append(doc.loc(at + ("sessions", index, "date")).warning(
                f"session on {session.date} is after the as-of date ({as_of}): it is not counted yet",
                "after-as-of", subject))
    before = {c.by for c in pair.check_ins if c.stage == "before"}
    for index, check_in in enumerate(pair.check_ins):
        if not cohort.starts <= check_in.date <= cohort.ends:
            problems.append(doc.loc(at + ("check_ins", index, "date")).warning(
                f"check-in on {check_in.date} is outside the cohort ({cohort.starts} to {cohort.ends})",
                "outside-dates", subject))
        if check_in.stage == "after" and check_in.by not in before:
            side = f" by the {check_in.by}" if check_in.by else ""
            problems.append(doc.loc(at + ("check_ins", index, "stage")).warning(
                f"an 'after' check-in{side} with no 'before' check-in{side}: its change cannot be measured",
                "no-before", subject))
            before.add(check_in.by)  # once per side
        for name, score in check_in.scores.items():
            if not 1 <= score <= 5:
                problems.append(doc.loc(at + ("check_ins", index, "scores", name)).error(
                    f"score '{name}' is {score}; scores run from 1 to 5"))
            if names is not None and name not in names:
                problems.append(doc.loc(at + ("check_ins", index, "scores", name), key=True).error(
                    f"unknown score '{name}': programme.check_in_scores in site.yml names "
                    f"{', '.join(repr(n) for n in names) or 'none'}" + did_you_mean(name, names)))
    return problems


def check_capacity(cohort_id: str, cohort: Cohort, doc: YamlDoc) -> list[Problem]:
    """A warning for each person whose active and paused pairs need more hours a month than they have."""
    needed = figures.hours_needed(cohort)
    problems = []
    for index, person in enumerate(cohort.people):
        if figures.over_capacity(needed.get(person.id, 0.0), person.hours_per_month):
            problems.append(doc.loc(("people", index, "hours_per_month")).warning(
                f"'{person.id}' has {person.hours_per_month:g} hours a month but their pairs need "
                f"{needed[person.id]:.1f}", "capacity", f"{cohort_id}/{person.id}"))
    return problems


def apply_strict(problems: Iterable[Problem], strict: bool) -> list[Problem]:
    """With --strict, every warning becomes an error, but those site.yml accepts."""
    return [p.as_error() if strict and p.severity == "warning" and not p.accepted else p for p in problems]


def mark_accepted(problems: Iterable[Problem], site: ConfigFile | None) -> list[Problem]:
    """Each warning that an `accept` entry of site.yml names by its code and subject, marked with
    the entry's reason; no more (what apply_accepts does for the whole programme, for a command
    that checks only part of it, as `rmsite import` does one cohort)."""
    accepts = site.config.accept if site is not None else []
    reasons = {(a.warning, a.subject): a.reason for a in accepts}
    return [replace(p, accepted=reasons[(p.code, p.subject)])
            if p.severity == "warning" and p.code and (p.code, p.subject) in reasons else p for p in problems]


def apply_accepts(problems: Iterable[Problem], site: ConfigFile | None) -> list[Problem]:
    """Each warning that an `accept` entry of site.yml names by its code and subject, marked with
    the entry's reason (not printed, not failing --strict, counted); and a `stale-accept` warning
    at each entry that matches no warning."""
    problems = list(problems)
    accepts = site.config.accept if site is not None else []
    if not accepts:
        return problems
    marked = mark_accepted(problems, site)
    used = {(p.code, p.subject) for p in marked if p.accepted}
    assert site is not None
    first: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(accepts):
        key = (entry.warning, entry.subject)
        if key in first:
            marked.append(site.doc.loc(("accept", index)).warning(
                f"this accept entry repeats the one on line {site.doc.loc(('accept', first[key])).line} "
                f"('{entry.warning}' about '{entry.subject}'): remove one", "stale-accept", entry.subject))
        elif key not in used:
            marked.append(site.doc.loc(("accept", index)).warning(
                f"this accept entry matches no warning ('{entry.warning}' about '{entry.subject}'): "
                "remove it, or correct its warning or subject", "stale-accept", entry.subject))
        first.setdefault(key, index)
    return marked
