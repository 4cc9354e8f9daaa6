"""Dates in form answers as the forms write them: Google's `14/03/2027 09:41:00`,
Microsoft's `3/14/2027 9:41:00 AM`, ISO `2027-03-14T09:41:00`, and Excel's serial
numbers (days since 1899-12-30). A timestamp's date is taken; its time is not needed.

Slashed dates read two ways: `readings` gives each order's date, so that `rmsite import`
can ask for the mapping's `dates:` (day-first, month-first or iso) exactly when a file
holds a date that two orders read differently (03/04/2027), and say so."""

from __future__ import annotations

import datetime as dt
import re

ORDERS = ("day-first", "month-first", "iso")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
SLASHED = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?")
SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, its 1900 leap-year bug included
LAST_SERIAL = (dt.date(9999, 12, 31) - EXCEL_EPOCH).days


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def readings(text: str) -> dict[str, dt.date]:
    """Each order's reading of a date cell: {} if no order reads it as a date."""
    text = text.strip()
    if (iso := ISO.fullmatch(text)) is not None:
        found = _date(int(iso[1]), int(iso[2]), int(iso[3]))
        return dict.fromkeys(ORDERS, found) if found is not None else {}
    if (slashed := SLASHED.fullmatch(text)) is not None:
        first, second, year = int(slashed[1]), int(slashed[2]), int(slashed[3])
        out = {"day-first": _date(year, second, first), "month-first": _date(year, first, second)}
        return {order: found for order, found in out.items() if found is not None}
    if SERIAL.fullmatch(text) is not None and 1 <= float(text) <= LAST_SERIAL:
        return dict.fromkeys(ORDERS, EXCEL_EPOCH + dt.timedelta(days=int(float(text))))
    return {}


def ambiguous(text: str) -> bool:
    """Whether two orders read the cell as two different dates (03/04/2027)."""
    return len(set(readings(text).values())) > 1


def read_date(text: str, order: str | None) -> dt.date | str:
    """The cell's date in the given order (None: the file holds no ambiguous date, so any
    order's reading will do), or what is wrong with it, for a message."""
    found = readings(text)
    if not found:
        return ("not a date: write it as 2027-03-14, 14/03/2027, 3/14/2027 or a timestamp "
                "such as 14/03/2027 09:41:00")
    if order is None:
        return next(iter(found.values()))
    if order not in found:
        other = next(iter(found))
        return f"not a date read {order} (read {other}, it is {found[other].isoformat()}): check the mapping's dates:"
    return found[order]
