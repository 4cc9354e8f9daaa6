"""Dates in form answers: each form's timestamp, Excel serials, and the day/month order."""

from __future__ import annotations

import datetime as dt

import pytest

from rmsite.source.answer_dates import ambiguous, read_date, readings

MARCH_14 = dt.date(2027, 3, 14)


@pytest.mark.parametrize("text", [
    "14/03/2027 09:41:00",  # Google Forms, day first
    "3/14/2027 9:41:00 AM",  # Microsoft Forms, month first
    "2027-03-14T09:41:00", "2027-03-14 09:41:00", "2027-03-14", "2027-03-14T09:41:00.123Z",
    "46460", "46460.40347",  # Excel's serial number of the day, and of a moment in it
])
def test_each_forms_timestamp_gives_its_date(text: str):
    assert set(readings(text).values()) == {MARCH_14} and not ambiguous(text)
    assert read_date(text, None) == MARCH_14


def test_a_date_both_orders_read_needs_the_mappings_order():
    assert ambiguous("03/04/2027")
    assert read_date("03/04/2027", "day-first") == dt.date(2027, 4, 3)
    assert read_date("03/04/2027", "month-first") == dt.date(2027, 3, 4)
    assert read_date("14/03/2027", "month-first") == (
        "not a date read month-first (read day-first, it is 2027-03-14): check the mapping's dates:")


@pytest.mark.parametrize("text", ["next Tuesday", "31/02/2027", "2027-13-01", "0", "14/03/27"])
def test_what_is_not_a_date_says_how_to_write_one(text: str):
    assert readings(text) == {}
    result = read_date(text, "day-first")
    assert isinstance(result, str) and result.startswith("not a date: write it as 2027-03-14")
