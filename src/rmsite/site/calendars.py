"""Calendars (RFC 5545): each pair's meeting series, logged sessions and
checklist due dates; a cohort calendar with every pair's series.

Only public fields appear: names, focus topics, session topics and the
checklist. UIDs are stable across builds; DTSTAMP is the as-of date, so
output stays reproducible."""

from __future__ import annotations

import datetime as dt

from rmsite.model import figures
from rmsite.model.schema import Cohort, Pair, SiteConfig, pair_name

PRODID = "-//rmsite//reverse mentoring//EN"
RRULES = {"weekly": "FREQ=WEEKLY", "fortnightly": "FREQ=WEEKLY;INTERVAL=2", "monthly": "FREQ=MONTHLY"}


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF and a space, never inside a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    out, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    out.append(data[start:].decode("utf-8"))
    return "\r\n ".join(out)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _start(day: dt.date, time: str | None, zone: str | None = None) -> list[str]:
    """DTSTART as a local time when a meeting time is known (in `zone` when site.yml names one,
    else floating), else a date."""
    if time:
        return [f"DTSTART{f';TZID={zone}' if zone else ''}:{_date(day)}T{time.replace(':', '')}00"]
    return [f"DTSTART;VALUE=DATE:{_date(day)}"]


def vtimezone(zone: str, first: dt.date, last: dt.date) -> list[str]:
    """The VTIMEZONE of an IANA zone over the dates a calendar's events span (RFC 5545: a TZID
    names one in the same file), from the zone's own rules, by icalendar."""
    import zoneinfo

    from icalendar import Timezone  # only a calendar with timed meetings in a named zone needs it

    text = Timezone.from_tzinfo(zoneinfo.ZoneInfo(zone), first_date=first, last_date=last).to_ical().decode()
    return [line for line in text.replace("\r\n ", "").split("\r\n") if line]


def _event(uid: str, stamp: dt.date, lines: list[str]) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{_date(stamp)}T000000Z", *lines, "END:VEVENT"]


def series_end(cohort: Cohort, pair: Pair) -> dt.date:
    """The last day of a pair's meeting series: the cohort's end, or the day a paused or ended
    pair stopped meeting when that is earlier."""
    return pair.measured_at(cohort.ends)


def _until(end: dt.date, time: str | None, zone: str | None) -> str:
    """The RRULE's UNTIL: the end day itself, or its last second; in UTC when DTSTART names a
    zone, as RFC 5545 requires."""
    if not time:
        return _date(end)
    if not zone:
        return f"{_date(end)}T235959"
    import zoneinfo

    last = dt.datetime.combine(end, dt.time(23, 59, 59), zoneinfo.ZoneInfo(zone)).astimezone(dt.UTC)
    return last.strftime("%Y%m%dT%H%M%SZ")


def series_event(cohort_id: str, cohort: Cohort, pair: Pair, names: dict[str, str], as_of: dt.date,
                 zone: str | None = None) -> list[str]:
    """The recurring meetings of a pair, from first_meeting until the cohort ends (or the pair
    paused or ended); none when it stopped before its first meeting."""
    first = figures.pair_first_meeting(pair, cohort)
    end = series_end(cohort, pair)
    if end < first:
        return []
    cadence = figures.pair_cadence(pair, cohort)
    minutes = figures.pair_session_minutes(pair, cohort)
    time = pair.meeting_time or cohort.meeting_time
    rule = RRULES[cadence] + (f";BYMONTHDAY={first.day}" if cadence == "monthly" else "")
    until = _until(end, time, zone)
    length = [f"DURATION:PT{minutes}M"] if time else ["DURATION:P1D"]
    summary = f"Reverse mentoring: {pair_name(names[pair.mentor], names[pair.mentee])}"
    description = f"{cadence.capitalize()} {minutes}-minute meeting."
    if pair.focus:
        description += " Focus: " + ", ".join(pair.focus) + "."
    return _event(f"{cohort_id}.{pair.key}.series@rmsite", as_of, [
        *_start(first, time, zone), *length, f"RRULE:{rule};UNTIL={until}",
        f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}"])


def session_uids(cohort_id: str, pair: Pair, planned: set[dt.date]) -> list[tuple[str, bool]]:
    """Each session's UID, and whether it replaces an occurrence of the series: a meeting held on a
    planned date is that occurrence (the series' UID, with its date as RECURRENCE-ID), not a second
    event beside it; any other is named by its date (and its place among that day's), so that
    logging an earlier meeting changes no other meeting's UID."""
    uids, seen = [], dict[dt.date, int]()
    for session in pair.sessions:
        seen[session.date] = seen.get(session.date, 0) + 1
        if session.date in planned and seen[session.date] == 1:
            uids.append((f"{cohort_id}.{pair.key}.series@rmsite", True))
        else:
            suffix = f"-{seen[session.date]}" if seen[session.date] > 1 else ""
            uids.append((f"{cohort_id}.{pair.key}.session-{_date(session.date)}{suffix}@rmsite", False))
    return uids


def pair_calendar(site: SiteConfig, cohort_id: str, cohort: Cohort, pair: Pair, as_of: dt.date) -> str:
    """meetings.ics for one pair: the series, each logged session (on a planned date, as that
    occurrence), checklist due dates."""
    names = {p.id: p.name for p in cohort.people}
    time = pair.meeting_time or cohort.meeting_time
    zone = site.timezone if time else None
    lines = series_event(cohort_id, cohort, pair, names, as_of, zone)
    minutes = figures.pair_session_minutes(pair, cohort)
    first = figures.pair_first_meeting(pair, cohort)
    planned = set(figures.meeting_dates(first, figures.pair_cadence(pair, cohort), series_end(cohort, pair))) \
        if lines else set()
    for session, (uid, occurrence) in zip(pair.sessions, session_uids(cohort_id, pair, planned)):
        length = session.minutes or minutes
        summary = "Meeting held" + (": " + ", ".join(session.topics) if session.topics else "")
        start = _start(session.date, time, zone)
        recurrence = [f"RECURRENCE-ID{start[0].removeprefix('DTSTART')}"] if occurrence else []
        lines += _event(uid, as_of, [
            *recurrence, *start, f"DURATION:PT{length}M" if time else "DURATION:P1D",
            f"SUMMARY:{escape(summary)}",
            *([f"DESCRIPTION:{escape('Produced: ' + '; '.join(session.outputs))}"] if session.outputs else [])])
    for item in figures.checklist(site, cohort, pair, as_of):
        if item.due is None:
            continue
        lines += _event(f"{cohort_id}.{pair.key}.due-{item.id}@rmsite", as_of, [
            f"DTSTART;VALUE=DATE:{_date(item.due)}", "DURATION:P1D", "TRANSP:TRANSPARENT",
            f"SUMMARY:{escape('Due: ' + item.text)}"])
    return calendar(pair_name(names[pair.mentor], names[pair.mentee]), lines,
                    zone_lines(zone, cohort, [pair]) if zone else [])


def cohort_calendar(cohort_id: str, cohort: Cohort, as_of: dt.date, timezone: str | None = None) -> str:
    """calendar.ics for a cohort: every pair's meeting series."""
    names = {p.id: p.name for p in cohort.people}
    lines: list[str] = []
    timed = []
    for pair in cohort.pairs:
        time = pair.meeting_time or cohort.meeting_time
        lines += series_event(cohort_id, cohort, pair, names, as_of, timezone if time else None)
        if time:
            timed.append(pair)
    return calendar(cohort.name, lines, zone_lines(timezone, cohort, timed) if timezone and timed else [])


def zone_lines(zone: str, cohort: Cohort, pairs: list[Pair]) -> list[str]:
    """The VTIMEZONE for the dates of the cohort and of its pairs' sessions."""
    days = [cohort.starts, cohort.ends] + [s.date for pair in pairs for s in pair.sessions]
    return vtimezone(zone, min(days), max(days))


def calendar(name: str, events: list[str], timezone: list[str] | None = None) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape(name)}", *(timezone or []), *events, "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
