"""Computed values, as the format defines them."""

from __future__ import annotations

import datetime as dt

import pytest

from rmsite.model import figures
from rmsite.model.schema import Cohort, Pair, SiteConfig

D = dt.date


def cohort(**extra) -> Cohort:
    data = {"name": "C", "starts": D(2027, 1, 4), "ends": D(2027, 6, 25),
            "people": [{"id": "a", "name": "A", "level": 1}, {"id": "b", "name": "B", "level": 5}]}
    data.update(extra)
    return Cohort.model_validate(data)


def pair(**extra) -> Pair:
    return Pair.model_validate({"mentor": "a", "mentee": "b", **extra})


def test_progress_of_a_rising_target():
    assert figures.goal_progress(2, 0, 4) == 0.5


def test_progress_of_a_falling_target():
    assert figures.goal_progress(9, 12, 5) == pytest.approx(3 / 7)


def test_progress_is_clamped():
    assert figures.goal_progress(8, 0, 4) == 1.0
    assert figures.goal_progress(14, 12, 5) == 0.0


def test_percent_is_rounded_down():
    assert figures.whole_percent(0.999) == 99
    assert figures.whole_percent(0.29) == 29
    assert figures.whole_percent(1.0) == 100


def test_expected_progress_and_its_edges():
    assert figures.expected_progress(D(2027, 1, 1), D(2027, 1, 11), D(2027, 1, 5)) == 0.4
    assert figures.expected_progress(D(2027, 1, 1), D(2027, 1, 11), D(2026, 12, 1)) == 0.0
    assert figures.expected_progress(D(2027, 1, 1), D(2027, 1, 11), D(2027, 3, 1)) == 1.0
    assert figures.expected_progress(D(2027, 1, 11), D(2027, 1, 1), D(2027, 1, 5)) == 1.0


@pytest.mark.parametrize("p, e, as_of, status", [
    (1.0, 0.5, D(2027, 1, 1), "done"),
    (1.0, 1.0, D(2027, 9, 1), "done"),
    (0.5, 1.0, D(2027, 9, 1), "overdue"),
    (0.4, 0.5, D(2027, 1, 1), "on track"),
    (0.26, 0.5, D(2027, 1, 1), "at risk"),
    (0.25, 0.5, D(2027, 1, 1), "at risk"),
    (0.24, 0.5, D(2027, 1, 1), "behind"),
])
def test_goal_status(p, e, as_of, status):
    assert figures.goal_status(p, e, D(2027, 6, 1), as_of) == status


def test_goal_without_progress_uses_the_baseline():
    goal = pair(goals=[{"id": "g", "title": "G", "measure": "m", "target": 5, "baseline": 12,
                        "due": D(2027, 5, 1)}]).goals[0]
    f = figures.goal_figures(goal, D(2027, 1, 4), D(2027, 1, 4))
    assert f.latest == 12 and f.progress == 0.0 and f.status == "on track"


def test_progress_entries_after_as_of_are_not_counted_yet():
    goal = pair(goals=[{"id": "g", "title": "G", "measure": "m", "target": 4, "due": D(2027, 5, 1),
                        "progress": [{"date": D(2027, 1, 10), "value": 1},
                                     {"date": D(2027, 3, 1), "value": 4}]}]).goals[0]
    assert figures.latest_value(goal, D(2027, 2, 1)) == 1
    assert figures.latest_value(goal, D(2027, 3, 1)) == 4


def test_weekly_and_fortnightly_series():
    assert len(figures.meeting_dates(D(2027, 1, 4), "weekly", D(2027, 1, 31))) == 4
    assert figures.meeting_dates(D(2027, 1, 4), "fortnightly", D(2027, 2, 1)) == [
        D(2027, 1, 4), D(2027, 1, 18), D(2027, 2, 1)]


def test_monthly_series_skips_months_without_the_day():
    dates = figures.meeting_dates(D(2027, 1, 31), "monthly", D(2027, 8, 31))
    assert dates == [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31), D(2027, 7, 31), D(2027, 8, 31)]


def test_monthly_series_on_the_29th_across_a_leap_year():
    dates = figures.meeting_dates(D(2027, 12, 29), "monthly", D(2028, 3, 1))
    assert dates == [D(2027, 12, 29), D(2028, 1, 29), D(2028, 2, 29)]
    dates = figures.meeting_dates(D(2026, 12, 29), "monthly", D(2027, 3, 31))
    assert dates == [D(2026, 12, 29), D(2027, 1, 29), D(2027, 3, 29)]


def test_planned_meetings_stop_at_the_cohort_end_and_compliance():
    c = cohort(ends=D(2027, 2, 1))
    p = pair(sessions=[{"date": D(2027, 1, 4)}, {"date": D(2027, 1, 20)}, {"date": D(2027, 3, 1)}])
    m = figures.meetings(p, c, D(2027, 3, 1))
    assert (m.planned, m.held, m.compliance) == (3, 3, 1.0)
    m = figures.meetings(p, c, D(2027, 1, 20))
    assert (m.planned, m.held) == (2, 2)


def test_compliance_is_none_before_the_first_meeting():
    m = figures.meetings(pair(first_meeting=D(2027, 2, 1)), cohort(), D(2027, 1, 10))
    assert (m.planned, m.held, m.compliance) == (0, 0, None)


def test_pair_cadence_overrides_the_cohort():
    m = figures.meetings(pair(cadence="weekly"), cohort(), D(2027, 1, 31))
    assert m.planned == 4


def test_checklist_due_dates_overdue_and_order():
    site = SiteConfig.model_validate({"title": "T", "programme": {"expectations": [
        {"id": "rules", "text": "R", "due_week": 1}, {"id": "plan", "text": "P", "due_week": 4}]}})
    c = cohort(expectations=[{"id": "retro", "text": "Retro", "due_week": 20}])
    p = pair(expectations=[{"id": "talk", "text": "T", "due": D(2027, 1, 10)}],
             done={"rules": D(2027, 1, 8)})
    items = figures.checklist(site, c, p, D(2027, 2, 20))
    assert [(i.id, i.scope, i.due, i.state) for i in items] == [
        ("rules", "programme", D(2027, 1, 11), "done"),
        ("plan", "programme", D(2027, 2, 1), "overdue"),
        ("retro", "cohort", D(2027, 5, 24), "open"),
        ("talk", "pair", D(2027, 1, 10), "overdue"),
    ]
    # due on as_of itself is not yet overdue
    assert figures.checklist(site, c, p, D(2027, 2, 1))[1].state == "open"


def test_check_in_change_per_pair_and_pooled():
    p1 = pair(check_ins=[{"stage": "before", "date": D(2027, 1, 4), "scores": {"confidence": 2, "trust": 3}},
                         {"stage": "during", "date": D(2027, 2, 4), "scores": {"confidence": 5}},
                         {"stage": "after", "date": D(2027, 6, 1), "scores": {"confidence": 4}}])
    p2 = pair(check_ins=[{"stage": "before", "date": D(2027, 1, 4), "scores": {"confidence": 3}},
                         {"stage": "after", "date": D(2027, 6, 1), "scores": {"confidence": 4}},
                         {"stage": "after", "date": D(2027, 6, 2), "scores": {"confidence": 5}}])
    assert figures.check_in_change([p1]) == {"confidence": 2.0}
    assert figures.check_in_change([p2]) == {"confidence": 1.5}
    assert figures.check_in_change([p1, p2]) == {"confidence": pytest.approx(13 / 3 - 5 / 2)}


def test_hours_a_month():
    assert figures.hours_per_month(pair(cadence="weekly", session_minutes=90), cohort()) == pytest.approx(6.5)
    assert figures.hours_per_month(pair(), cohort()) == pytest.approx(26 / 12)


def test_next_meeting_is_on_or_after_as_of_within_the_cohort():
    assert figures.next_meeting(pair(), cohort(), D(2027, 1, 5)) == D(2027, 1, 18)
    assert figures.next_meeting(pair(), cohort(), D(2027, 1, 18)) == D(2027, 1, 18)
    assert figures.next_meeting(pair(), cohort(), D(2027, 6, 25)) is None


def test_progress_json_has_exactly_the_format_keys():
    site = SiteConfig.model_validate({"title": "T"})
    c = cohort()
    p = pair(goals=[{"id": "g", "title": "G", "measure": "m", "target": 4, "due": D(2027, 3, 31),
                     "progress": [{"date": D(2027, 2, 1), "value": 2}]}],
             sessions=[{"date": D(2027, 1, 4)}])
    data = figures.progress_json("q1", D(2027, 2, 20), [(p, figures.pair_figures(site, c, p, D(2027, 2, 20)))])
    assert data == {"cohort": "q1", "as_of": "2027-02-20", "pairs": [{
        "id": "a-b", "mentor": "a", "mentee": "b", "status": "active",
        "meetings": {"planned": 4, "held": 1, "compliance": 0.25},
        "checklist": {"done": 0, "total": 0, "overdue": []},
        "goals": [{"id": "g", "progress": 0.5, "expected": 47 / 86, "status": "on track"}],
        "check_in_change": {}, "check_in_change_by": {"mentor": {}, "mentee": {}}}]}


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly", "monthly"])
def test_a_series_near_the_last_date_stops_there(cadence):
    last = D(9999, 12, 31)
    dates = figures.meeting_dates(D(9999, 10, 31), cadence, last)
    assert dates and dates[-1] <= last and dates == sorted(set(dates))
    c = cohort(starts=D(9999, 10, 1), ends=last)
    expected = last if last in dates else None  # monthly from the 31st meets on 31 December
    assert figures.next_meeting(pair(first_meeting=D(9999, 10, 31), cadence=cadence), c, last) == expected


def test_next_meeting_does_not_walk_the_whole_cohort():
    c = cohort(ends=D(9999, 12, 31))
    assert figures.next_meeting(pair(), c, D(2027, 1, 5)) == D(2027, 1, 18)


def test_check_in_change_for_each_side_uses_the_check_ins_it_answered():
    p = pair(check_ins=[{"stage": "before", "date": D(2027, 1, 4), "by": "mentee", "scores": {"confidence": 2}},
                        {"stage": "before", "date": D(2027, 1, 4), "by": "mentor", "scores": {"confidence": 4}},
                        {"stage": "before", "date": D(2027, 1, 5), "scores": {"trust": 3}},
                        {"stage": "after", "date": D(2027, 6, 1), "by": "mentee", "scores": {"confidence": 5}},
                        {"stage": "after", "date": D(2027, 6, 1), "scores": {"trust": 4}}])
    assert figures.check_in_change([p]) == {"confidence": 5 - 3.0, "trust": 1.0}  # both sides, and no side
    assert figures.check_in_change([p], "mentee") == {"confidence": 3.0}
    assert figures.check_in_change([p], "mentor") == {}  # no after of the mentor's
