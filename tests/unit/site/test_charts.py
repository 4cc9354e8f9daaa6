"""Chart geometry: scales, ticks, points and paths, checked against hand-worked values."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rmsite.site import charts

D = dt.date
START, DUE = D(2027, 1, 1), D(2027, 5, 1)  # 120 days apart


def path_points(data: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", data)]


def test_scale_maps_the_domain_onto_the_range_either_way_round():
    up = charts.Scale(0, 10, 100, 300)
    assert (up(0), up(5), up(10)) == (100, 200, 300)
    down = charts.Scale(0, 10, 200, 0)  # SVG y grows downwards
    assert (down(0), down(2.5), down(10)) == (200, 150, 0)
    assert charts.Scale(3, 3, 0, 100)(3) == 50  # a flat domain sits in the middle


@pytest.mark.parametrize("lo, hi, ticks", [
    (0, 4, (0, 1, 2, 3, 4)),
    (22, 60, (20, 30, 40, 50, 60)),
    (5, 12, (4, 6, 8, 10, 12)),
    (0, 10, (0, 5, 10)),
    (0.1, 0.9, (0, 0.2, 0.4, 0.6, 0.8, 1.0)),
    (12, 5, (4, 6, 8, 10, 12)),  # reversed bounds are the same interval
    (7, 7, (6, 6.5, 7, 7.5, 8)),  # a single value gets an interval round it
])
def test_nice_ticks_are_round_and_cover_the_values(lo, hi, ticks):
    assert charts.nice_ticks(lo, hi) == pytest.approx(ticks)


def test_number_labels_have_no_float_noise():
    assert [charts.number_label(v) for v in (12.0, 2.5, 0.1 + 0.2, -0.0)] == ["12", "2.5", "0.3", "0"]


def test_date_ticks_are_month_starts_thinned_to_five():
    assert charts.date_ticks(D(2026, 9, 7), D(2027, 2, 26)) == (
        D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1))
    yearly = charts.date_ticks(D(2026, 1, 15), D(2027, 1, 15))  # 12 month starts, every third kept
    assert yearly == (D(2026, 2, 1), D(2026, 5, 1), D(2026, 8, 1), D(2026, 11, 1))
    assert charts.date_ticks(D(2027, 1, 3), D(2027, 1, 20)) == (D(2027, 1, 3), D(2027, 1, 20))


def test_progress_chart_places_entries_by_date_and_value():
    chart = charts.track_chart(START, DUE, 0, 4, [(D(2027, 1, 31), 1, "first"), (D(2027, 3, 2), 2, "")],
                               as_of=D(2027, 3, 2))
    plot = chart.plot
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[-1].label == "4"
    first, second = chart.points
    assert first.x == pytest.approx(plot.left + plot.width * 30 / 120)
    assert second.x == pytest.approx(plot.left + plot.width * 60 / 120)
    assert first.y == pytest.approx(plot.bottom - plot.height / 4)
    assert second.y == pytest.approx(plot.bottom - plot.height / 2)
    assert chart.plan == pytest.approx((plot.left, plot.bottom, plot.right, plot.top))
    assert chart.as_of_x == pytest.approx(second.x)
    assert first.note == "first" and all(p.counted for p in chart.points)


def test_the_recorded_line_starts_from_the_baseline_at_the_start():
    chart = charts.track_chart(START, DUE, 0, 4, [(D(2027, 1, 31), 1, "")], as_of=D(2027, 2, 1))
    assert path_points(chart.actual) == [
        pytest.approx((chart.plan[0], chart.plan[1]), abs=0.05),
        pytest.approx((chart.points[0].x, chart.points[0].y), abs=0.05)]
    assert chart.later == ""


def test_an_entry_on_the_start_date_needs_no_baseline_anchor():
    chart = charts.track_chart(START, DUE, 0, 4, [(START, 1, ""), (D(2027, 2, 1), 2, "")], as_of=DUE)
    assert len(path_points(chart.actual)) == 2


def test_a_falling_target_draws_a_falling_plan_line():
    chart = charts.track_chart(START, DUE, 12, 5, [(D(2027, 2, 1), 9, "")], as_of=D(2027, 2, 1))
    x1, y1, x2, y2 = chart.plan
    assert y2 > y1  # lower on the page: the target is the smaller number
    assert chart.target_y == pytest.approx(y2)
    assert [t.label for t in chart.y_ticks] == ["4", "6", "8", "10", "12"]
    assert y1 < chart.points[0].y < y2


def test_a_goal_with_no_progress_still_has_its_plan_and_as_of():
    chart = charts.track_chart(START, DUE, 0, 10, [], as_of=D(2027, 3, 2))
    assert chart.points == () and chart.actual == "" and chart.later == ""
    assert chart.plan == pytest.approx((chart.plot.left, chart.plot.bottom, chart.plot.right, chart.plot.top))
    assert chart.as_of_x == pytest.approx(chart.plot.left + chart.plot.width * 60 / 120)


def test_entries_past_the_due_date_widen_the_time_axis():
    late = D(2027, 6, 30)  # 180 days after the start
    chart = charts.track_chart(START, DUE, 0, 4, [(D(2027, 3, 1), 2, ""), (late, 4, "")], as_of=late)
    assert chart.points[-1].x == pytest.approx(chart.plot.right)
    assert chart.due_x == pytest.approx(chart.plot.left + chart.plot.width * 120 / 180)
    assert all(chart.plot.left <= p.x <= chart.plot.right for p in chart.points)


def test_an_as_of_after_the_due_date_is_on_the_chart():
    chart = charts.track_chart(START, DUE, 0, 4, [], as_of=D(2027, 6, 30))
    assert chart.as_of_x == pytest.approx(chart.plot.right) and chart.as_of_anchor == "end"
    assert chart.due_x < chart.as_of_x


def test_entries_after_as_of_are_drawn_apart_and_not_counted():
    entries = [(D(2027, 1, 31), 1, ""), (D(2027, 3, 2), 2, ""), (D(2027, 4, 1), 3, "")]
    chart = charts.track_chart(START, DUE, 0, 4, entries, as_of=D(2027, 2, 15))
    assert [p.counted for p in chart.points] == [True, False, False]
    later = path_points(chart.later)
    assert later[0] == pytest.approx((chart.points[0].x, chart.points[0].y), abs=0.05)
    assert len(later) == 3 and len(path_points(chart.actual)) == 2


def test_values_beyond_the_target_widen_the_value_axis():
    chart = charts.track_chart(START, DUE, 0, 4, [(D(2027, 2, 1), 7, "")], as_of=DUE)
    assert chart.y_ticks[-1].label == "8"
    assert chart.plot.top <= chart.points[0].y <= chart.plot.bottom


def test_long_value_labels_widen_the_left_margin():
    narrow = charts.track_chart(START, DUE, 0, 4, [], as_of=DUE)
    wide = charts.track_chart(START, DUE, 0, 40000, [], as_of=DUE)
    assert wide.plot.left > narrow.plot.left


def test_a_chart_on_a_single_day_does_not_divide_by_zero():
    chart = charts.track_chart(START, START, 0, 1, [], as_of=START)
    assert chart.plot.left <= chart.as_of_x <= chart.plot.right


def test_bars_share_one_scale_and_keep_small_values_visible():
    chart = charts.bar_chart([("a", "A", 4, "4"), ("b", "B", 1, "1"), ("c", "C", 0, "0"),
                              ("d", "D", None, "nothing yet"), ("e", "E", 0.01, "")], maximum=4)
    a, b, c, d, e = chart.rows
    assert a.bar_width == pytest.approx(chart.right - chart.left)
    assert b.bar_width == pytest.approx(a.bar_width / 4)
    assert c.bar_width == 0 and d.bar_width == 0 and e.bar_width == 2.0
    assert a.text_x == pytest.approx(chart.left + a.bar_width + 6)
    assert [r.bar_y for r in chart.rows] == sorted(r.bar_y for r in chart.rows)
    assert chart.height > chart.rows[-1].bar_y + chart.bar_height


def test_bars_over_the_maximum_stretch_the_scale_and_the_reference_stays_put():
    chart = charts.bar_chart([("p", "P", 1.5, "150%"), ("q", "Q", 0.75, "75%")], maximum=1,
                             ticks=[(0, "0%"), (1, "100%")], reference=(1, "100%"))
    width = chart.right - chart.left
    assert chart.rows[0].bar_width == pytest.approx(width)
    assert chart.reference.at == pytest.approx(chart.left + width / 1.5)
    assert chart.rows[1].bar_width == pytest.approx(width / 2)


def test_score_rows_mark_each_stage_and_draw_before_to_after():
    chart = charts.score_chart([("confidence", 2.0, 3.0, 4.0), ("relationship", 3.0, None, None)])
    confidence, relationship = chart.rows
    step = (chart.right - chart.left) / 4
    assert [m.stage for m in confidence.marks] == ["before", "during", "after"]
    assert confidence.arrow == pytest.approx((chart.left + step, chart.left + 3 * step))
    assert confidence.change == 2.0
    assert [m.stage for m in relationship.marks] == ["before"]
    assert relationship.arrow is None and relationship.change is None
    assert [t.label for t in chart.ticks] == ["1", "2", "3", "4", "5"]


def test_date_ticks_reach_the_last_day_of_the_calendar_without_walking_every_month():
    ticks = charts.date_ticks(D(2027, 1, 4), D(9999, 12, 31))
    assert len(ticks) == 5 and ticks[0] == D(2027, 2, 1) and ticks[-1] <= D(9999, 12, 31)


def test_a_track_chart_on_the_last_day_of_the_calendar_has_a_width():
    chart = charts.track_chart(D(9999, 12, 31), D(9999, 12, 31), 0, 10, [], D(9999, 12, 31))
    assert chart.width > 0
