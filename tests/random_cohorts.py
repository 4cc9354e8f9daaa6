"""Cohorts made up for the pairing tests: people with levels, topics, teams and hours,
and random cohorts from a seeded generator."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from rmsite.model.schema import Cohort

TOPICS = ["Data tools", "social media", "AI", "hybrid working", "budgeting"]
TEAMS = ["Support", "Finance", "support ", "Technology", ""]
PER_MONTH = {"weekly": 52 / 12, "fortnightly": 26 / 12, "monthly": 1.0}


def person(id: str, level: int, offers=(), wants=(), team: str = "", hours: float | None = None,
           **extra: Any) -> dict[str, Any]:
    data = {"id": id, "name": id.title(), "level": level, "team": team, "offers": list(offers),
            "wants": list(wants), **extra}
    if hours is not None:
        data["hours_per_month"] = hours
    return data


def cohort(people: list[dict], pairs: list[dict] = (), **settings: Any) -> Cohort:
    return Cohort(name="Test", starts=dt.date(2027, 1, 4), ends=dt.date(2027, 6, 25),
                  people=people, pairs=list(pairs), **settings)


def variant(topic: str, rng: random.Random) -> str:
    """The same topic as a person might type it: other case, extra spaces."""
    words = topic.split()
    text = "  ".join(words) if rng.random() < 0.3 else " ".join(words)
    return text.upper() if rng.random() < 0.2 else text.lower() if rng.random() < 0.3 else text


def random_cohort(rng: random.Random, size: int) -> Cohort:
    people = []
    for index in range(size):
        people.append(person(
            f"p{index:02d}-{rng.choice('abcxyz')}", rng.randint(1, 4),
            [variant(t, rng) for t in rng.sample(TOPICS, rng.randint(0, 3))],
            [variant(t, rng) for t in rng.sample(TOPICS, rng.randint(0, 3))],
            rng.choice(TEAMS), rng.choice([None, None, 0, 1, 2.2, 2.5, 4, 5, 9])))
    rng.shuffle(people)
    pairs = []
    if size >= 2 and rng.random() < 0.4:  # an existing pair, kept as it is
        a, b = sorted(rng.sample(people, 2), key=lambda p: p["level"])
        pairs.append({"mentor": a["id"], "mentee": b["id"], "cadence": rng.choice(list(PER_MONTH))})
    return cohort(people, pairs, cadence=rng.choice(list(PER_MONTH)),
                  session_minutes=rng.choice([30, 45, 60, 90]))


# --- an independent statement of the rules, for checking -------------------
