"""What to write instead of a value of the wrong kind: a date that does not exist (with the
day and month swapped, when that is one), an allowed value named by its meaning
(`biweekly` → fortnightly), a number written with its unit (`50%`)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from rmsite.core.problems import did_you_mean
from rmsite.source.yaml_lines import as_value

ISO_LIKE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date_hint(text: str) -> str | None:
    """Why a YYYY-MM-DD value is not a date, and the date meant when the day and month look
    swapped: '2027-30-04 is not a date: there is no month 30; did you mean 2027-04-30?'."""
    match = ISO_LIKE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
        if 1 <= day <= 12 and 1 <= month <= calendar.monthrange(year, day)[1]:
            reason += f"; did you mean {dt.date(year, day, month).isoformat()}?"
    elif day < 1:
        reason = "there is no day 0"
    else:
        days = calendar.monthrange(year, month)[1]
        if day <= days:
            return None
        reason = f"{calendar.month_name[month]} {year} has {days} days"
    return f"{text.strip()} is not a date: {reason}"


# allowed values by meaning, not spelling: the words people use for them (compared as lowercase
# letters and digits only, so 'bi-weekly' and 'Bi Weekly' are 'biweekly'). 'biweekly' and
# 'twice a month' are fortnightly: of the three cadences, the one they come closest to.
# 'bimonthly' is left out: it means both every two months and twice a month.
MEANINGS: dict[str, frozenset[str]] = {choice: frozenset(re.sub(r"[^a-z0-9]", "", word) for word in words)
                                      for choice, words in {
    "weekly": ("every week", "once a week", "each week", "per week", "week"),
    "fortnightly": ("biweekly", "every two weeks", "every 2 weeks", "every other week", "every second week",
                    "alternate weeks", "fortnight", "two-weekly", "2-weekly", "twice a month", "twice monthly",
                    "semimonthly"),
    "monthly": ("every month", "once a month", "each month", "per month", "month", "four-weekly", "4-weekly",
                "every four weeks", "every 4 weeks"),
    "before": ("start", "beginning", "begin", "pre", "initial", "baseline", "first", "kickoff"),
    "during": ("mid", "middle", "midpoint", "midway", "halfway", "interim"),
    "after": ("end", "post", "final", "last", "closing", "exit"),
    "proposed": ("pending", "planned", "suggested", "draft", "new", "proposal"),
    "active": ("running", "ongoing", "open", "current", "live", "started", "in progress"),
    "paused": ("on hold", "hold", "suspended", "pause"),
    "ended": ("stopped", "finished", "done", "closed", "complete", "completed", "over", "cancelled", "canceled",
              "end", "stop"),
}.items()}
GLOSSES = {"weekly": "every week", "fortnightly": "every two weeks", "monthly": "once a month"}


def meant_choice(value: str, choices: list[str]) -> str:
    """A ' (did you mean …?)' suffix naming the allowed value meant: by meaning first (a cadence
    with what it means: `'fortnightly', every two weeks`), then by spelling."""
    word = re.sub(r"[^a-z0-9]", "", value.lower())
    meant = next((c for c in choices if word in MEANINGS.get(c, ())), None)
    if meant is None:
        return did_you_mean(value, choices)
    gloss = f", {GLOSSES[meant]}" if meant in GLOSSES else ""
    return f" (did you mean '{meant}'{gloss}?)"


NUMBER_AND_UNIT = re.compile(r"\s*([-+]?(?:\d+(?:\.\d+)?|\.\d+))\s*([^\d\s.,].*?)\s*")
DECIMAL_COMMA = re.compile(r"\s*([-+]?\d+),(\d+)\s*")
UNIT_FIELDS = ("target", "baseline", "value")  # of a goal or an objective, whose `unit` names the unit


def number_hint(text: str, loc: tuple[str | int, ...]) -> str | None:
    """What to write for a number given as text: the number alone, and its unit on the goal or
    objective (`50%` → 50 and unit: "%"); a decimal point for a comma."""
    comma = DECIMAL_COMMA.fullmatch(text)
    if comma is not None:
        whole, part = comma.groups()
        if len(part) == 3:
            return f"write the number without the comma, {whole}{part}"
        return f"write the number with a decimal point, {whole}.{part}"
    match = NUMBER_AND_UNIT.fullmatch(text)
    if match is None:
        return None
    number, unit = match.groups()
    owner = next((part for part in reversed(loc) if part in ("goals", "objectives")), None)
    if loc and loc[-1] in UNIT_FIELDS and owner is not None:
        return (f"write the number alone, {number}, and the unit on the {str(owner)[:-1]} as "
                f"unit: {as_value(unit)}")
    return f"write the number alone, {number}"
