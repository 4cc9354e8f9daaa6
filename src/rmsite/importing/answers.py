"""A form's rows as cohort-file items: people, sessions or check-ins, each with the row
it came from, checked against the mapping and the cohort (who is who, which pair), with
every problem of every row collected as `FILE:ROW: error: column 'Header': …`."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, get_args

from rmsite.core.problems import Problem, did_you_mean
from rmsite.importing.mapping import PRIVATE, SCORES, Mapping
from rmsite.model.schema import ID_PATTERN, Side, Stage
from rmsite.source.answer_dates import ambiguous, read_date, readings
from rmsite.source.tables import Row, Table, header_key, row_error

STAGES: tuple[str, ...] = get_args(Stage)
SIDES: tuple[str, ...] = get_args(Side)
ONE_LINE = frozenset({"name", "title", "team", "email", "phone", "id", "pair", "person", "mentor", "mentee"})
PERSON_KEYS = ("id", "name", "title", "level", "team", "offers", "wants", "hours_per_month", "email", "phone", "bio")


@dataclass
class Item:
    """One row's item: what it is (`person`, `session`, `check-in`), who it belongs to (the
    pair's index in the cohort, for sessions and check-ins), its identity, and its keys in the
    order of the format; `headers` names the column each key came from."""

    row: int
    what: str
    identity: tuple[Any, ...]
    data: dict[str, Any]
    headers: dict[str, str]
    pair: int | None = None
    label: str = ""  # how messages name it: person 'ana', the session of pair 'ana-boris' on 2027-03-14


@dataclass
class CohortIndex:
    """Who is who in the cohort file, from its data as parsed (valid or not)."""

    people: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    by_email: dict[str, int] = field(default_factory=dict)
    _entries: dict[tuple[int, str], dict[tuple[Any, ...], int]] = field(default_factory=dict, repr=False)

    @staticmethod
    def of(data: Any) -> CohortIndex:
        def mappings(key: str) -> list[dict[str, Any]]:
            items = data.get(key) if isinstance(data, dict) else None
            return [item if isinstance(item, dict) else {} for item in items] if isinstance(items, list) else []
        index = CohortIndex(mappings("people"), mappings("pairs"))
        for i, person in enumerate(index.people):
            if isinstance(person.get("email"), str):
                index.by_email.setdefault(person["email"].strip().casefold(), i)
        return index

    def pair_key(self, pair: dict[str, Any]) -> str:
        return str(pair.get("id") or f"{pair.get('mentor')}-{pair.get('mentee')}")

    @functools.cached_property
    def pair_keys(self) -> list[str]:
        """Each pair's key, in the file's order."""
        return [self.pair_key(p) for p in self.pairs]

    def entry_index(self, pair: int, key: str) -> dict[tuple[Any, ...], int]:
        """The sessions or check-ins (`key`) of a pair by their identity (`entry_identity`),
        made once: the first of any two with the same."""
        made = self._entries.get((pair, key))
        if made is None:
            entries = self.pairs[pair].get(key)
            made = self._entries[(pair, key)] = {}
            for number, entry in enumerate(entries if isinstance(entries, list) else []):
                if isinstance(entry, dict):
                    made.setdefault(entry_identity("session" if key == "sessions" else "check-in", entry), number)
        return made

    @functools.cached_property
    def roles(self) -> dict[Any, list[tuple[int, str]]]:
        """Each person's pairs (by index) and side in them, in the file's order: whom a
        respondent's answer is about, found once for every row."""
        found: dict[Any, list[tuple[int, str]]] = {}
        for i, pair in enumerate(self.pairs):
            for side in SIDES:
                if isinstance(pair.get(side), Hashable):  # a file that is not valid yet may hold a list here
                    found.setdefault(pair.get(side), []).append((i, side))
        return found

    def person_ids(self) -> list[str]:
        return [str(p["id"]) for p in self.people if "id" in p]


def entry_identity(what: str, data: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a session (its date) or a check-in (by, stage and date) the same as another,
    compared as merge.py's `same` compares a row's values with the file's: a date as its ISO text (a row's
    date is always a date), a word without the spaces at its ends, anything else never equal."""
    date = str(data.get("date"))
    if what == "session":
        return (date,)
    words = tuple(value.strip() if isinstance(value, str) else object() for value in (data.get("by"), data.get("stage")))
    return (*words, date)


def slug(name: str) -> str:
    """A person's id from their name: `Ana Lima` is `ana-lima`, `Zoë Ødegård` `zoe-odegard`."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("Ø", "O").replace("ß", "ss"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return made or "person"


class Reader:
    """Reads one table under one mapping into items, collecting problems."""

    def __init__(self, table: Table, mapping: Mapping, cohort: CohortIndex, cohort_rel: str) -> None:
        self.table, self.mapping, self.cohort, self.rel = table, mapping, cohort, cohort_rel
        self.problems: list[Problem] = []
        self.indexes: dict[str, int] = {}
        for name, header in mapping.columns.items():
            index = table.column(header)
            if index is None:
                self.problems.append(missing_column(table, mapping, name, header))
            else:
                self.indexes[name] = index
        self.order = self._date_order()

    # --- cells ----------------------------------------------------------------------------

    def header(self, name: str) -> str:
        return self.table.headers[self.indexes[name]]

    def cell(self, row: Row, name: str) -> str | None:
        index = self.indexes.get(name)
        return row.cells[index] if index is not None else None

    def error(self, row: Row, name: str | None, message: str) -> None:
        if name is not None and name in self.mapping.columns and name not in self.indexes:
            return  # its column is missing: said once, at the mapping
        self.problems.append(row_error(self.table.path, row.number, message,
                                       self.header(name) if name is not None and name in self.indexes else None))

    def _date_order(self) -> str | None:
        """The mapping's `dates:`; an error when it is missing and a date cell reads two ways."""
        if self.mapping.dates is not None or "date" not in self.indexes:
            return self.mapping.dates
        both = [row for row in self.table.rows if (text := self.cell(row, "date")) and ambiguous(text)]
        if both:
            text = self.cell(both[0], "date") or ""
            found = readings(text)
            others = f" (and {len(both) - 1} more row{'s' * (len(both) > 2)})" if len(both) > 1 else ""
            self.error(both[0], "date", f"'{text}' reads as {found['day-first'].isoformat()} day first and as "
                       f"{found['month-first'].isoformat()} month first{others}: add 'dates: day-first' or "
                       f"'dates: month-first' to {self.mapping.path}")
            return "day-first"  # the rows are checked for everything else; nothing is written
        return None

    def answer(self, row: Row, name: str, values_of: str | None = None) -> Any:
        """The cell's value through the mapping's `values` for the field (None: not given, or
        an error already collected); without values for it, the text."""
        text = self.cell(row, name)
        if text is None:
            return None
        return self.mapped(row, name, text, values_of or name)

    def mapped(self, row: Row, name: str, text: str, values_of: str) -> Any:
        values = self.mapping.values.get(values_of)
        if values is None and values_of.startswith(SCORES):
            values = self.mapping.values.get("scores")
        if values is None:
            return text
        if header_key(text) in values:
            return values[header_key(text)]
        known = ", ".join(repr(k) for k in values)
        shown = "this answer" if name in PRIVATE else f"'{text}'"
        self.error(row, name, f"{shown} is not one of the answers the mapping knows for '{values_of}' "
                   f"({known}); add it under values: {values_of}: in {self.mapping.path}")
        return None

    def text(self, row: Row, name: str) -> str | None:
        value = self.answer(row, name)
        if value is None:
            return None
        return " ".join(str(value).split()) if name in ONE_LINE else str(value)

    def whole(self, row: Row, name: str, low: int, high: int | None = None, values_of: str | None = None) -> int | None:
        value = self.answer(row, name, values_of)
        if value is None:
            return None
        number = _number(value)
        if number is None or number != int(number):
            self.error(row, name, f"'{value}' is not a whole number" + (
                "; map each answer to a number under values:" if values_of or name in ("level", "stage") else ""))
            return None
        if number < low or (high is not None and number > high):
            span = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.error(row, name, f"{int(number)} is out of range: expected a whole number {span}")
            return None
        return int(number)

    def number(self, row: Row, name: str) -> float | int | None:
        value = self.answer(row, name)
        if value is None:
            return None
        number = _number(value)
        if number is None or number < 0:
            self.error(row, name, f"'{value}' is not a number of 0 or more")
            return None
        return int(number) if number == int(number) else number

    def needed(self, row: Row, name: str, what: str) -> None:
        """An error when the row leaves a cell empty that its item cannot do without."""
        if self.cell(row, name) is None:
            self.error(row, name, f"empty: {what}")

    def date(self, row: Row, name: str) -> dt.date | None:
        text = self.cell(row, name)
        if text is None:
            return None
        found = read_date(text, self.order)
        if isinstance(found, str):
            self.error(row, name, f"'{text}' is {found}")
            return None
        return found

    def listed(self, row: Row, name: str) -> list[Any] | None:
        text = self.cell(row, name)
        if text is None:
            return None
        separator = self.mapping.list_separator or (";" if ";" in text else ",")
        out: list[Any] = []
        for part in text.split(separator):
            if part.strip():
                value = self.mapped(row, name, part.strip(), name)
                if value is not None:
                    out.extend(value if isinstance(value, list) else [value])
        return list(dict.fromkeys(out))

    def choice(self, row: Row, name: str, choices: tuple[str, ...]) -> str | None:
        value = self.answer(row, name)
        if value is None:
            return None
        if header_key(str(value)) in choices:
            return header_key(str(value))
        self.error(row, name, f"'{value}' is not one of {', '.join(choices)}; map the form's answers to them "
                   f"under values: {name}: in {self.mapping.path}")
        return None

    # --- whom a row is about -------------------------------------------------------------

    def person(self, row: Row, name: str) -> int | None:
        """The cohort's person a cell names (an id, an email or the exact name), by index."""
        text = self.cell(row, name)
        if text is None:
            self.error(row, name, "empty: whom the answer is about is needed")
            return None
        people = self.cohort.people
        if "@" in text:
            found = self.cohort.by_email.get(text.strip().casefold())
            if found is not None:
                return found
            names = [str(p.get("email", "")).casefold().partition("@")[0] for p in people]  # the part before @
            close = difflib.get_close_matches(text.strip().casefold().partition("@")[0], names, n=1, cutoff=0.75)
            hint = ""
            if close:
                near = people[names.index(close[0])]
                hint = f" (did you mean {near.get('name', near.get('id'))} ('{near.get('id')}')?)"
            self.error(row, name, f"no one in {self.rel} has this email{hint}")
            return None
        by_id = [i for i, p in enumerate(people) if str(p.get("id")) == text.strip()]
        by_name = [i for i, p in enumerate(people) if header_key(str(p.get("name", ""))) == header_key(text)]
        if by_id:
            return by_id[0]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            ids = ", ".join(f"'{people[i].get('id')}'" for i in by_name)
            self.error(row, name, f"{len(by_name)} people of {self.rel} are called '{text}' ({ids}); "
                       "give the id or the email instead")
            return None
        names = [str(p.get("name", "")) for p in people] + self.cohort.person_ids()
        self.error(row, name, f"no person '{text}' in {self.rel}" + did_you_mean(text, names))
        return None

    def pair_of(self, row: Row, name: str) -> int | None:
        text = self.cell(row, name)
        if text is None:
            self.error(row, name, "empty: the pair is needed")
            return None
        keys = self.cohort.pair_keys
        if text.strip() in keys:
            return keys.index(text.strip())
        self.error(row, name, f"no pair '{text}' in {self.rel}" + did_you_mean(text, keys))
        return None

    def pair_by_people(self, row: Row) -> int | None:
        mentor, mentee = self.person(row, "mentor"), self.person(row, "mentee")
        if mentor is None or mentee is None:
            return None
        ids = self.cohort.people[mentor].get("id"), self.cohort.people[mentee].get("id")
        for index, pair in enumerate(self.cohort.pairs):
            if (pair.get("mentor"), pair.get("mentee")) == ids:
                return index
        self.error(row, "mentee", f"'{ids[0]}' and '{ids[1]}' are not a pair (mentor and mentee) in {self.rel}")
        return None

    # --- rows ------------------------------------------------------------------------------

    def items(self) -> list[Item]:
        make: Callable[[Row], Item | None] = {"people": self.person_item, "sessions": self.session_item,
                                               "check-ins": self.check_in_item}[self.mapping.kind]
        return [item for row in self.table.rows if (item := make(row)) is not None]

    def _headers(self, data: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
        return {key: self.header(name) for key, name in names.items() if key in data and name in self.indexes}

    def person_item(self, row: Row) -> Item | None:
        before = len(self.problems)
        data: dict[str, Any] = {}
        name = self.text(row, "name")
        if "name" in self.indexes:
            self.needed(row, "name", "a person needs a name")
        given_id = self.text(row, "id")
        if given_id is not None and not re.match(ID_PATTERN, given_id):
            self.error(row, "id", f"'{given_id}' is not an id: use lowercase letters, digits and hyphens")
        values = {"name": name, "title": self.text(row, "title"), "level": self.whole(row, "level", 0),
                  "team": self.text(row, "team"), "offers": self.listed(row, "offers"),
                  "wants": self.listed(row, "wants"), "hours_per_month": self.number(row, "hours_per_month"),
                  "email": self.text(row, "email"), "phone": self.text(row, "phone"), "bio": self.text(row, "bio")}
        if len(self.problems) > before:
            return None
        data["id"] = given_id or slug(name or "")
        data.update({key: value for key, value in values.items() if value is not None and value != []})
        email = data.get("email")
        identity = ("email", email.casefold()) if email else ("name", data["id"], header_key(name or ""))
        return Item(row.number, "person", identity, {k: data[k] for k in PERSON_KEYS if k in data},
                    self._headers(data, {k: k for k in PERSON_KEYS}), label=f"person '{data['id']}'")

    def session_item(self, row: Row) -> Item | None:
        before = len(self.problems)
        pair = self.pair_of(row, "pair") if "pair" in self.indexes else self.pair_by_people(row)
        date = self.date(row, "date")
        self.needed(row, "date", "a session needs its date")
        data: dict[str, Any] = {"date": date, "minutes": self.whole(row, "minutes", 1),
                                "topics": self.listed(row, "topics"), "outputs": self.listed(row, "outputs"),
                                "notes": self.text(row, "notes")}
        feedback = {"to_mentor": self.text(row, "feedback_to_mentor"), "to_mentee": self.text(row, "feedback_to_mentee")}
        if len(self.problems) > before or pair is None or date is None:
            return None
        data = {key: value for key, value in data.items() if value is not None and value != []}
        if any(v is not None for v in feedback.values()):
            data["feedback"] = {k: v for k, v in feedback.items() if v is not None}
        key = self.cohort.pair_key(self.cohort.pairs[pair])
        headers = self._headers(data, {"date": "date", "minutes": "minutes", "topics": "topics",
                                       "outputs": "outputs", "notes": "notes"})
        for side in ("to_mentor", "to_mentee"):
            if f"feedback_{side}" in self.indexes:
                headers[f"feedback.{side}"] = self.header(f"feedback_{side}")
        return Item(row.number, "session", (key, date), data, headers, pair,
                    f"the session of pair '{key}' on {date.isoformat()}")

    def check_in_item(self, row: Row) -> Item | None:
        before = len(self.problems)
        pair: int | None
        side: str | None
        if "person" in self.indexes:
            pair, side = self.respondent(row)
            given = self.choice(row, "by", SIDES) if "by" in self.indexes else None
            if given is not None and side is not None and given != side:
                self.error(row, "by", f"'{given}' does not match the person, who is the {side} of the pair")
        else:
            pair, side = self.pair_of(row, "pair"), self.choice(row, "by", SIDES)
            self.needed(row, "by", "who answered (mentor or mentee) is needed")
        stage = self.choice(row, "stage", STAGES)
        self.needed(row, "stage", "a check-in needs its stage (before, during or after)")
        date = self.date(row, "date")
        self.needed(row, "date", "a check-in needs its date")
        scores: dict[str, int] = {}
        for name in self.indexes:
            if name.startswith(SCORES):
                score = self.whole(row, name, 1, 5, name)
                if score is not None:
                    scores[name[len(SCORES):]] = score
        comment = self.text(row, "comment")
        if len(self.problems) > before or pair is None or side is None or stage is None or date is None:
            return None
        data: dict[str, Any] = {"stage": stage, "date": date, "by": side}
        if scores:
            data["scores"] = scores
        if comment is not None:
            data["comment"] = comment
        key = self.cohort.pair_key(self.cohort.pairs[pair])
        headers = self._headers(data, {"stage": "stage", "date": "date", "comment": "comment"})
        if "by" in self.indexes:
            headers["by"] = self.header("by")
        headers.update({name: self.header(name) for name in self.indexes if name.startswith(SCORES)})
        return Item(row.number, "check-in", (key, side, stage, date), data, headers, pair,
                    f"the {stage} check-in of pair '{key}' by the {side} on {date.isoformat()}")

    def respondent(self, row: Row) -> tuple[int | None, str | None]:
        """The pair and side of the person who answered: the one pair they are in."""
        person = self.person(row, "person")
        if person is None:
            return None, None
        person_id = self.cohort.people[person].get("id")
        found = list(self.cohort.roles.get(person_id, ())) if isinstance(person_id, Hashable) else []
        if "pair" in self.indexes:
            pair = self.pair_of(row, "pair")
            found = [(i, side) for i, side in found if i == pair]
        if len(found) == 1:
            return found[0]
        if not found:
            self.error(row, "person", f"'{person_id}' is in no pair of {self.rel}")
        else:
            keys = ", ".join(f"'{self.cohort.pair_key(self.cohort.pairs[i])}'" for i, _ in found)
            self.error(row, "person", f"'{person_id}' is in {len(found)} pairs ({keys}); map a 'pair' column "
                       "to say which")
        return None, None


def missing_column(table: Table, mapping: Mapping, name: str, header: str) -> Problem:
    """A mapped column the file lacks: at the mapping, with the file's headers, closest first."""
    close = difflib.get_close_matches(header_key(header), [header_key(h) for h in table.headers], n=len(table.headers),
                                      cutoff=0.0)
    by_fold = {header_key(h): h for h in table.headers}
    listed = ", ".join(repr(by_fold[c]) for c in close)
    return mapping.loc("columns", name).error(
        f"column '{header}' (for '{name}') is not in {table.path}; its columns are, closest first: {listed}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None

