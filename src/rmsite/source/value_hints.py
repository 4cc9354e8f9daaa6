"""What to write instead of a value of the wrong kind: a date that does not exist (with the
day and month swapped, when that is one)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

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
