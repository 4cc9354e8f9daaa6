"""Items read from a form, held against the cohort file: which are new, which are there
already with the same values (unchanged), which are there with other values (a conflict,
or with --update a replacement), and two rows for one item (the later wins, with a warning)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rmsite.core.problems import Problem
from rmsite.importing.answers import CohortIndex, Item, entry_identity
from rmsite.model.document import KeyPath, YamlDoc
from rmsite.source.schema_errors import PRIVATE_KEYS
from rmsite.source.tables import header_key, row_error


@dataclass(frozen=True)
class Append:
    """New items at the end of the list at `path` (created when missing), with the row each
    came from and the header of each of its keys (for located problems)."""

    path: KeyPath
    items: tuple[dict[str, Any], ...]
    rows: tuple[int, ...]
    headers: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Replace:
    """The item at `path` replaced by `data`: the file's item with the values the row
    gives (`given`) in place of its own."""

    path: KeyPath
    data: dict[str, Any]
    row: int
    headers: dict[str, str] = field(default_factory=dict)
    given: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    appends: list[Append] = field(default_factory=list)
    replaces: list[Replace] = field(default_factory=list)
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)


LISTS = {"person": ("people",), "session": ("sessions",), "check-in": ("check_ins",)}


def plan_changes(items: list[Item], cohort: CohortIndex, doc: YamlDoc, path: str, update: bool) -> Plan:
    """What importing the items would change in the cohort file `doc` (its data as `cohort`)."""
    plan = Plan()
    latest: dict[tuple[Any, ...], Item] = {}
    for item in items:  # two rows for one item: the later wins
        earlier = latest.get(item.identity)
        if earlier is not None:
            plan.problems.append(Problem(path, item.row, 0, "warning", f"rows {earlier.row} and {item.row} are "
                                         f"both {item.label}: row {item.row}, the later, is used", "later-row",
                                         f"{path}:{item.row}"))
        latest[item.identity] = item
    kept = sorted(latest.values(), key=lambda item: item.row)
    new: dict[KeyPath, list[Item]] = {}
    taken = set(cohort.person_ids())
    for item in kept:
        at, existing = find_existing(item, cohort)
        if existing is None:
            if item.what == "person":
                missing = [key for key in ("name", "level") if key not in item.data]
                if missing:
                    plan.problems.append(row_error(path, item.row, f"{item.label} is not in {doc.path} yet, and a "
                                                   f"new person needs a {' and a '.join(missing)}: map a column to "
                                                   "it, or fill in the answer"))
                    continue
                item.data["id"] = free_id(str(item.data["id"]), taken)
                taken.add(item.data["id"])
                item.label = f"person '{item.data['id']}'"
            list_path: KeyPath = LISTS[item.what] if item.pair is None else ("pairs", item.pair) + LISTS[item.what]
            new.setdefault(list_path, []).append(item)
            plan.added += 1
            continue
        assert at is not None
        data = dict(item.data)
        if item.what == "person":
            data["id"] = existing.get("id", data["id"])
        differ = [key for key, value in data.items() if not same(existing.get(key), value)]
        if not differ:
            plan.unchanged += 1
        elif update:  # the row's values replace the file's; what the row does not give stays
            merged = {**existing, **{k: {**existing[k], **v} if isinstance(v, dict) and isinstance(existing.get(k), dict)
                                     else v for k, v in data.items()}}
            plan.replaces.append(Replace(at, merged, item.row, item.headers, data))
            plan.updated += 1
        else:
            for key in differ:
                old, value = existing.get(key), data[key]
                if isinstance(old, dict) and isinstance(value, dict):  # each score (or side's feedback) apart
                    for name in value:
                        if not same(old.get(name), value[name]):
                            plan.problems.append(conflict(path, item, f"{key}.{name}", old.get(name), value[name],
                                                          doc.loc(at + (key, name)).line, doc.path))
                else:
                    plan.problems.append(conflict(path, item, key, old, value, doc.loc(at + (key,)).line, doc.path))
    for where, added in new.items():
        plan.appends.append(Append(where, tuple(i.data for i in added), tuple(i.row for i in added),
                                   tuple(i.headers for i in added)))
    return plan


def find_existing(item: Item, cohort: CohortIndex) -> tuple[KeyPath | None, dict[str, Any] | None]:
    """The item's path and data in the cohort file, if it is there."""
    if item.what == "person":
        kind, *rest = item.identity
        if kind == "email":
            found = cohort.by_email.get(rest[0])
            if found is not None:
                return ("people", found), cohort.people[found]
            return None, None
        base, name = rest
        same_id = re.compile(re.escape(str(base)) + r"(-\d+)?")
        for index, person in enumerate(cohort.people):
            if same_id.fullmatch(str(person.get("id", ""))) and header_key(str(person.get("name", ""))) == name:
                return ("people", index), person
        return None, None
    assert item.pair is not None
    key = "sessions" if item.what == "session" else "check_ins"
    number = cohort.entry_index(item.pair, key).get(entry_identity(item.what, item.data))
    if number is None:
        return None, None
    return ("pairs", item.pair, key, number), cohort.pairs[item.pair][key][number]


def free_id(wanted: str, taken: set[str]) -> str:
    """The id, or the first of `-2`, `-3`… after it that no one has."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted[:60]}-{number}" in taken:
        number += 1
    return f"{wanted[:60]}-{number}"


def same(old: Any, new: Any) -> bool:
    """Whether a value in the cohort file is the value a row gives (2 is 2.0; a date is its
    ISO text; text compared as written, but for the spaces at its ends)."""
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return str(old) == str(new)
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    return bool(old == new)


def conflict(path: str, item: Item, key: str, old: Any, new: Any, line: int, rel: str) -> Problem:
    header = item.headers.get(key, item.headers.get(key.partition(".")[0]))
    fix = "run again with --update to replace it, or correct the form's answer"
    if key.partition(".")[0] in PRIVATE_KEYS:  # never a private value in a message
        had = "no" if old is None else "another"
        message = (f"{item.label} has {had} {key} in {rel}:{line} (a private field: its values are not "
                   f"shown); {fix}")
    else:
        message = f"{item.label} has {key} {shown(old)} in {rel}:{line}, but {shown(new)} here; {fix}"
    return row_error(path, item.row, message, header)


def shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return f"'{value}'" if isinstance(value, str) else str(value)
