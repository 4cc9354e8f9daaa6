"""Calendars: parsed back with the icalendar library; series agree with the planned meetings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from dateutil.rrule import rrulestr

from rmsite.cli import main
from rmsite.model import figures
from rmsite.model.schema import Cohort, SiteConfig
from rmsite.site import calendars as ics

D = dt.date


def cohort(**pair_extra) -> Cohort:
    return Cohort.model_validate({
        "name": "Spring", "starts": D(2027, 1, 4), "ends": D(2027, 12, 20),
        "people": [{"id": "ana", "name": "Ana, the mentor", "level": 1},
                   {"id": "bo", "name": "Bo", "level": 5}],
        "expectations": [{"id": "plan", "text": "Write a plan; share it", "due_week": 2}],
        "pairs": [{"mentor": "ana", "mentee": "bo", "focus": ["data tools"], **pair_extra}]})


def parse(text: str) -> icalendar.Calendar:
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    return icalendar.Calendar.from_ical(text)


def series_dates(event, until: dt.date) -> list[dt.date]:
    start = event.decoded("DTSTART")
    start = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    rule = event["RRULE"].to_ical().decode()
    return [d.date() for d in rrulestr(rule, dtstart=start) if d.date() <= until]


@pytest.mark.parametrize("cadence, first", [
    ("weekly", D(2027, 1, 4)), ("fortnightly", D(2027, 1, 4)),
    ("monthly", D(2027, 1, 29)), ("monthly", D(2027, 1, 30)), ("monthly", D(2027, 1, 31)),
])
def test_series_rule_gives_exactly_the_planned_meetings(cadence, first):
    c = cohort(cadence=cadence, first_meeting=first)
    pair = c.pairs[0]
    cal = parse(ics.pair_calendar(SiteConfig(title="T"), "spring", c, pair, D(2027, 2, 1)))
    series = [e for e in cal.walk("VEVENT") if "RRULE" in e][0]
    assert series.decoded("DTSTART") == first
    assert series_dates(series, c.ends) == figures.meeting_dates(first, cadence, c.ends)


def test_a_paused_or_ended_pairs_series_stops_at_its_status_date():
    c = cohort(status="paused", status_date=D(2027, 2, 20))
    cal = parse(ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 3, 1)))
    [series] = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert series_dates(series, c.ends) == figures.meeting_dates(D(2027, 1, 4), "fortnightly", D(2027, 2, 20))
    stopped = cohort(status="ended", status_date=D(2027, 1, 1))  # before its first meeting: no series at all
    cal = parse(ics.cohort_calendar("spring", stopped, D(2027, 3, 1)))
    assert [e for e in cal.walk("VEVENT") if "RRULE" in e] == []


def test_a_meeting_time_gives_timed_events_of_the_session_length():
    c = Cohort.model_validate({**cohort().model_dump(), "meeting_time": "14:30", "session_minutes": 45})
    cal = parse(ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 2, 1)))
    series = [e for e in cal.walk("VEVENT") if "RRULE" in e][0]
    assert series.decoded("DTSTART") == dt.datetime(2027, 1, 4, 14, 30)
    assert series.decoded("DURATION") == dt.timedelta(minutes=45)


def test_sessions_and_due_dates_are_events_with_stable_uids():
    c = cohort(sessions=[{"date": D(2027, 1, 4), "topics": ["ground rules"], "notes": "PRIVATE NOTE"}])
    text = ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 2, 1))
    assert text == ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 2, 1))
    events = {(str(e["UID"]), "RECURRENCE-ID" in e): e for e in parse(text).walk("VEVENT")}
    # the meeting held on the series' first date is that occurrence, not a second event beside it
    assert set(events) == {("spring.ana-bo.series@rmsite", False), ("spring.ana-bo.series@rmsite", True),
                           ("spring.ana-bo.due-plan@rmsite", False)}
    held = events[("spring.ana-bo.series@rmsite", True)]
    assert held.decoded("RECURRENCE-ID") == D(2027, 1, 4) and "ground rules" in str(held["SUMMARY"])
    events = {str(e["UID"]): e for e in parse(text).walk("VEVENT") if "RECURRENCE-ID" not in e}
    assert str(events["spring.ana-bo.due-plan@rmsite"]["SUMMARY"]) == "Due: Write a plan; share it"
    assert events["spring.ana-bo.due-plan@rmsite"].decoded("DTSTART") == D(2027, 1, 18)
    assert "Ana, the mentor" in str(events["spring.ana-bo.series@rmsite"]["SUMMARY"])
    assert "PRIVATE NOTE" not in text


def test_a_meeting_off_the_series_is_named_by_its_date_and_keeps_its_uid_when_an_earlier_one_is_logged():
    later = {"date": D(2027, 2, 3), "topics": ["dashboards"]}  # a Wednesday: not a planned date
    one = cohort(sessions=[later])
    two = cohort(sessions=[{"date": D(2027, 1, 20)}, later, {"date": D(2027, 2, 3)}])

    def uids(c):
        cal = parse(ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 3, 1)))
        return [(str(e["UID"]), e.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in e else None)
                for e in cal.walk("VEVENT") if "due-" not in str(e["UID"])]
    assert ("spring.ana-bo.session-20270203@rmsite", None) in uids(one)
    assert uids(two) == [("spring.ana-bo.series@rmsite", None), ("spring.ana-bo.session-20270120@rmsite", None),
                         ("spring.ana-bo.session-20270203@rmsite", None),
                         ("spring.ana-bo.session-20270203-2@rmsite", None)]
    on_a_planned_day = cohort(sessions=[{"date": D(2027, 2, 15)}, {"date": D(2027, 2, 15)}])
    assert uids(on_a_planned_day)[1:] == [("spring.ana-bo.series@rmsite", D(2027, 2, 15)),
                                          ("spring.ana-bo.session-20270215-2@rmsite", None)]


def test_build_writes_pair_and_cohort_calendars_linked_from_pages(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "-s", str(example), "-o", str(out)]).exit_code == 0
    pair_pages = list((out / "cohorts/2026-autumn").glob("*/index.html"))
    assert pair_pages
    for page in pair_pages:
        assert 'href="meetings.ics"' in page.read_text()
        cal = parse((page.parent / "meetings.ics").read_bytes().decode("utf-8"))
        assert len([e for e in cal.walk("VEVENT") if "RRULE" in e]) == 1
    cohort_cal = parse((out / "cohorts/2026-autumn/calendar.ics").read_bytes().decode("utf-8"))
    assert len(list(cohort_cal.walk("VEVENT"))) == len(pair_pages)
    assert 'href="calendar.ics"' in (out / "cohorts/2026-autumn/index.html").read_text()


def test_a_bad_meeting_time_is_a_located_error(tmp_path: Path):
    from minimal import COHORT_YML, check, messages, minimal_site
    text = COHORT_YML.replace("ends: 2027-06-25\n", "ends: 2027-06-25\nmeeting_time: 9am\n")
    assert messages(check(minimal_site(tmp_path, cohorts__q1_yml=text))) == [
        "cohorts/q1.yml:4:15: error: 'meeting_time': '9am' is not a time: write HH:MM on a 24-hour clock, "
        "such as 14:30"]


def test_with_a_timezone_timed_meetings_name_it_and_the_calendar_carries_its_vtimezone():
    c = Cohort.model_validate({**cohort(sessions=[{"date": D(2027, 1, 4)}]).model_dump(), "meeting_time": "09:30"})
    site = SiteConfig(title="T", timezone="Europe/London")
    text = ics.pair_calendar(site, "spring", c, c.pairs[0], D(2027, 2, 1))
    cal = parse(text)
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    series = [e for e in cal.walk("VEVENT") if "RRULE" in e][0]
    start = series.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(0) and start.hour == 9
    assert "DTSTART;TZID=Europe/London:20270104T093000" in text
    until = series["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)  # UTC, as RFC 5545 requires
    assert until == dt.datetime(2027, 12, 20, 23, 59, 59, tzinfo=dt.UTC)  # 20 December: GMT, so the same
    # a summer date is an hour ahead of UTC: the zone's rules are in the file
    summer = [e for e in cal.walk("VEVENT") if "RRULE" in e][0].decoded("DTSTART").tzinfo
    assert summer.utcoffset(dt.datetime(2027, 7, 1, 9, 30)) == dt.timedelta(hours=1)
    # without a meeting time, no zone at all; without a timezone, floating times as before
    assert "VTIMEZONE" not in ics.pair_calendar(site, "spring", cohort(), cohort().pairs[0], D(2027, 2, 1))
    floating = ics.pair_calendar(SiteConfig(title="T"), "spring", c, c.pairs[0], D(2027, 2, 1))
    assert "TZID" not in floating and "DTSTART:20270104T093000" in floating


def test_an_unknown_timezone_is_a_located_error_with_a_suggestion(tmp_path: Path):
    from minimal import SITE_YML, check, messages, minimal_site
    root = minimal_site(tmp_path, site_yml=SITE_YML + "timezone: Europe/Londn\n")
    assert messages(check(root)) == [
        "site.yml:17:11: error: unknown time zone 'Europe/Londn': give an IANA name such as 'Europe/London' "
        "or 'America/New_York' (did you mean 'Europe/London'?)"]
