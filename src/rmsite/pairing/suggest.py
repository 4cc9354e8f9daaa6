"""Suggested pairs for the people of a cohort who are not yet in a pair.

A pair (mentor m, mentee s) is allowed when m.level < s.level, m offers a
topic s wants, and both have the hours for one more pair at the cohort's
cadence and session length. It scores 10 per shared topic, plus 3 when their
teams differ. The suggestion is the allowed pairs, each person at most once,
with the highest total score; among suggestions with the same total, the one
with more pairs, then the one whose sorted (mentor id, mentee id) list comes
first. Pure: a cohort in, a suggestion out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rmsite.model import figures
from rmsite.model.figures import unpaired_people
from rmsite.model.schema import Cohort, Person

TOPIC_POINTS = 10
CROSS_TEAM_POINTS = 3
MAX_ID_LENGTH = 64

NO_HOURS = "no-hours"
NO_CANDIDATE = "no-candidate"
NO_TOPIC = "no-topic"
OUTMATCHED = "outmatched"


@dataclass(frozen=True)
class SuggestedPair:
    """One suggested pair, with what it is worth and why."""

    mentor: str
    mentee: str
    focus: tuple[str, ...]  # the shared topics, in the mentee's words and order
    score: int
    mentor_team: str
    mentee_team: str
    hours: float  # hours a month the pair needs from each of the two
    mentor_hours_left: float | None  # after this pair; None when not capacity-checked
    mentee_hours_left: float | None
    id: str | None = None  # given only when '<mentor>-<mentee>' is already a pair id

    @property
    def key(self) -> str:
        return self.id or f"{self.mentor}-{self.mentee}"

    @property
    def cross_team(self) -> bool:
        return teams_differ(self.mentor_team, self.mentee_team)

    @property
    def reason(self) -> str:
        """Why this pair: shared topics, teams and hours left, in one line."""
        count = len(self.focus)
        topics = f"{count} shared topic{'s' * (count != 1)} ({', '.join(self.focus)})"
        if self.cross_team:
            teams = f"different teams ({self.mentor_team}, {self.mentee_team})"
        elif self.mentor_team and self.mentee_team:
            teams = f"same team ({self.mentor_team})"
        else:
            teams = "team not given"
        left = ", ".join(f"{who} {hours_text(hours)}" for who, hours in
                         ((self.mentor, self.mentor_hours_left), (self.mentee, self.mentee_hours_left)))
        return f"{topics}; {teams}; hours a month left after this pair: {left}"


@dataclass(frozen=True)
class Unpaired:
    """Someone who could not be paired, with a reason code and an explanation."""

    person: str
    reason: str  # no-hours, no-candidate, no-topic or outmatched
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    """The suggested pairs (sorted by mentor, then mentee id) and who is left unpaired."""

    cadence: str
    session_minutes: int
    hours_per_pair: float
    pairs: tuple[SuggestedPair, ...]
    unpaired: tuple[Unpaired, ...]

    @property
    def total_score(self) -> int:
        return sum(pair.score for pair in self.pairs)


def hours_text(hours: float | None) -> str:
    return "not set" if hours is None else f"{hours:.1f}"


def teams_differ(a: str, b: str) -> bool:
    """Two given teams that are not the same after case folding and collapsing spaces."""
    a, b = figures.normalise_topic(a), figures.normalise_topic(b)
    return bool(a and b and a != b)


def shared_topics(mentor: Person, mentee: Person) -> tuple[str, ...]:
    """Topics the mentor offers and the mentee wants, in the mentee's words and order."""
    offers = {figures.normalise_topic(topic) for topic in mentor.offers}
    seen: set[str] = set()
    shared = []
    for topic in mentee.wants:
        key = figures.normalise_topic(topic)
        if key in offers and key not in seen:
            seen.add(key)
            shared.append(" ".join(topic.split()))
    return tuple(shared)


def pair_score(topics: int, cross_team: bool) -> int:
    """10 for each shared topic, 3 more when the teams differ."""
    return TOPIC_POINTS * topics + (CROSS_TEAM_POINTS if cross_team else 0)


def hours_left(cohort: Cohort) -> dict[str, float | None]:
    """Per person, hours a month left after their pairs (None: not capacity-checked)."""
    needed = figures.hours_needed(cohort)
    return {person.id: None if person.hours_per_month is None
            else person.hours_per_month - needed.get(person.id, 0.0) for person in cohort.people}


def possible_pairs(people: Iterable[Person], left: dict[str, float | None],
                   hours: float) -> list[SuggestedPair]:
    """Every allowed pair among people (who all have the hours), sorted by (mentor, mentee)."""
    people = list(people)
    found = []
    for mentor in people:
        for mentee in people:
            if mentor.level >= mentee.level:
                continue
            topics = shared_topics(mentor, mentee)
            if not topics:
                continue
            found.append(SuggestedPair(
                mentor.id, mentee.id, topics, pair_score(len(topics), teams_differ(mentor.team, mentee.team)),
                mentor.team, mentee.team, hours, after(left[mentor.id], hours), after(left[mentee.id], hours)))
    return sorted(found, key=lambda pair: (pair.mentor, pair.mentee))


def after(left: float | None, hours: float) -> float | None:
    return None if left is None else max(0.0, left - hours)


def best_pairs(candidates: list[SuggestedPair], people: int) -> list[SuggestedPair]:
    """The best set of pairs, each person at most once: a maximum-weight matching.

    Integer weights make the order exact. From the most to the least weighty: the
    total score; the number of pairs; then, mentor by mentor in id order, having a
    mentee, and a mentee whose id comes earlier. Between two sets with as many
    pairs, that prefers the one whose sorted (mentor, mentee) id list comes first."""
    import networkx as nx  # here, so that building a site does not pay for importing it

    mentors = sorted({pair.mentor for pair in candidates})
    mentees = sorted({pair.mentee for pair in candidates})
    base = len(mentees) + 1  # each mentor's place holds 0 (no mentee) up to len(mentees)
    place = {mentor: base ** (len(mentors) - 1 - index) for index, mentor in enumerate(mentors)}
    order = {mentee: len(mentees) - index for index, mentee in enumerate(mentees)}
    per_pair = base ** len(mentors)  # more than all places together
    per_point = per_pair * (people // 2 + 1)  # more than all pairs and places together
    graph: nx.Graph[str] = nx.Graph()
    for pair in candidates:
        graph.add_edge(pair.mentor, pair.mentee, pair=pair,
                       weight=pair.score * per_point + per_pair + place[pair.mentor] * order[pair.mentee])
    matching = nx.max_weight_matching(graph, maxcardinality=False, weight="weight")
    return sorted((graph.edges[u, v]["pair"] for u, v in matching), key=lambda pair: (pair.mentor, pair.mentee))


def with_free_ids(pairs: list[SuggestedPair], taken: set[str]) -> list[SuggestedPair]:
    """Give an explicit id to a pair whose default id '<mentor>-<mentee>' is already used."""
    result = []
    taken = set(taken)
    for pair in pairs:
        if pair.key in taken:
            number = 2
            while True:
                suffix = f"-{number}"
                candidate = pair.key[:MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
                if candidate not in taken:
                    break
                number += 1
            pair = replace(pair, id=candidate)
        taken.add(pair.key)
        result.append(pair)
    return result


def suggest_pairs(cohort: Cohort) -> Suggestion:
    """Suggested pairs among the cohort's unpaired people, and why the rest stay unpaired."""
    hours = figures.meeting_hours(cohort.session_minutes, cohort.cadence)
    left = hours_left(cohort)
    free = unpaired_people(cohort)
    available = [p for p in free if not figures.over_capacity(hours, left[p.id])]
    candidates = possible_pairs(available, left, hours)
    chosen = with_free_ids(best_pairs(candidates, len(available)), {pair.key for pair in cohort.pairs})
    paired = {p.mentor for p in chosen} | {p.mentee for p in chosen}
    unpaired = []
    for person in free:
        if person.id in paired:
            continue
        if person not in available:
            has = round(left[person.id] or 0.0, 2)
            unpaired.append(Unpaired(person.id, NO_HOURS, (
                f"has {has:g} hour{'s' * (has != 1)} a month left, but a pair meeting "
                f"{cohort.cadence} for {cohort.session_minutes} minutes needs {hours:.1f}")))
        else:
            unpaired.append(explain(person, free, available, candidates, chosen))
    return Suggestion(cohort.cadence, cohort.session_minutes, hours, tuple(chosen), tuple(unpaired))


def explain(person: Person, free: list[Person], available: list[Person], candidates: list[SuggestedPair],
            chosen: list[SuggestedPair]) -> Unpaired:
    """Why someone with the hours is left unpaired. Candidates are the people in no
    pair (`free`) who have the hours for one (`available`)."""
    others = [p for p in available if p.id != person.id]
    juniors = [p for p in others if p.level < person.level]
    seniors = [p for p in others if p.level > person.level]
    if not juniors and not seniors:
        if len(free) == 1:
            why = "everyone else in the cohort is already in a pair"
        elif not others:
            why = "no other unpaired person has the hours for a pair"
        else:
            why = (f"every other candidate is also at level {person.level}, "
                   "and a mentor must be more junior than their mentee")
        return Unpaired(person.id, NO_CANDIDATE, why)
    partners = [p for p in candidates if person.id in (p.mentor, p.mentee)]
    if not partners:
        short = [p for p in free if p not in available]  # in no pair, but without the hours
        mentors = [p for p in short if p.level < person.level and shared_topics(p, person)]
        mentees = [p for p in short if p.level > person.level and shared_topics(person, p)]
        return Unpaired(person.id, NO_TOPIC, "; ".join((
            no_topic(person.wants, juniors, mentors, "want", "more junior", "offers what they want", "mentor them"),
            no_topic(person.offers, seniors, mentees, "offer", "more senior", "wants what they offer",
                     "learn from them"))))
    taken_by = {p.mentor: p.mentee for p in chosen} | {p.mentee: p.mentor for p in chosen}
    names = [p.mentee if p.mentor == person.id else p.mentor for p in partners]
    listed = " or ".join(f"'{name}' (suggested with '{taken_by[name]}')" for name in names)
    return Unpaired(person.id, OUTMATCHED, f"could pair with {listed}, but those pairs give the best total score")


def no_topic(topics: list[str], people: list[Person], short: list[Person], verb: str, direction: str,
             match: str, role: str) -> str:
    """One side of a 'no shared topic' reason: as a mentee (wants) or as a mentor (offers);
    `short` are the people who would match but lack the hours."""
    if not topics:
        return f"lists nothing they {verb}"
    why = f"no {direction} candidate to {role}" if not people else \
        f"no {direction} candidate {match} ({', '.join(topics)})"
    if short:
        names = " and ".join(f"'{p.id}'" for p in short)
        why += f", only {names}, who lack{'s' * (len(short) == 1)} the hours"
    return why
