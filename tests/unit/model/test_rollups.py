"""Roll-ups: cohort totals, goals by status, the attention list, scores by stage, objectives."""

from __future__ import annotations

import datetime as dt

import pytest

from rmsite.model import figures, rollups
from rmsite.model.schema import Cohort, Pair, SiteConfig

D = dt.date
AS_OF = D(2027, 2, 20)


def cohort(**extra) -> Cohort:
    data = {"name": "C", "starts": D(2027, 1, 4), "ends": D(2027, 6, 25),
            "people": [{"id": p, "name": p.upper(), "level": level}
                       for p, level in (("a", 1), ("b", 5), ("c", 1), ("d", 5))]}
    data.update(extra)
    return Cohort.model_validate(data)


def goal(id: str, target: float, due: D, progress=(), objective: str | None = None, baseline: float = 0):
    return {"id": id, "title": id.title(), "measure": "m", "target": target, "baseline": baseline,
            "due": due, "objective": objective,
            "progress": [{"date": d, "value": v} for d, v in progress]}


SITE = SiteConfig.model_validate({
    "title": "T",
    "programme": {
        "objectives": [
            {"id": "adoption", "title": "Adoption", "measure": "m", "target": 10, "baseline": 2,
             "due": D(2027, 6, 30), "progress": [{"date": D(2027, 2, 1), "value": 4},
                                                 {"date": D(2027, 3, 1), "value": 9}]},
            {"id": "waiting", "title": "Waiting", "measure": "days", "target": 5, "baseline": 12,
             "due": D(2027, 6, 30)},
            {"id": "unserved", "title": "Unserved", "measure": "m", "target": 1, "due": D(2027, 6, 30),
             "progress": [{"date": D(2027, 2, 10), "value": 1}]},
        ],
        "expectations": [{"id": "rules", "text": "Rules", "due_week": 1},
                         {"id": "plan", "text": "Plan", "due_week": 4}],
    },
})

BUSY = {"mentor": "a", "mentee": "b", "done": {"rules": D(2027, 1, 8), "plan": D(2027, 1, 30)},
        "sessions": [{"date": D(2027, 1, 4)}, {"date": D(2027, 1, 18)}, {"date": D(2027, 2, 1)},
                     {"date": D(2027, 2, 15)}],
        "goals": [goal("report", 4, D(2027, 3, 31), [(D(2027, 2, 10), 3)], "adoption")],
        "check_ins": [{"stage": "before", "date": D(2027, 1, 4), "scores": {"confidence": 2, "trust": 3}},
                      {"stage": "during", "date": D(2027, 2, 1), "scores": {"confidence": 3}},
                      {"stage": "after", "date": D(2027, 2, 15), "scores": {"confidence": 4}}]}
IDLE = {"mentor": "c", "mentee": "d", "done": {"rules": D(2027, 1, 8)},
        "sessions": [{"date": D(2027, 1, 4)}],
        "goals": [goal("slow", 10, D(2027, 3, 1), [], "adoption"),
                  goal("late", 3, D(2027, 2, 1), [(D(2027, 1, 20), 1)]),
                  goal("fast", 2, D(2027, 6, 1), [(D(2027, 1, 20), 2)], "waiting")],
        "check_ins": [{"stage": "before", "date": D(2027, 1, 4), "scores": {"confidence": 3}},
                      {"stage": "after", "date": D(2027, 2, 15), "scores": {"confidence": 4}}]}


@pytest.fixture
def two_pairs():
    c = cohort(objectives=["adoption"], pairs=[BUSY, IDLE])
    pair_figures = {("q1", p.key): figures.pair_figures(SITE, c, p, AS_OF) for p in c.pairs}
    return c, pair_figures


def test_goals_by_status_counts_every_status_in_order():
    assert rollups.goals_by_status(["behind", "done", "behind"]) == (
        ("done", 1), ("on track", 0), ("at risk", 0), ("behind", 2), ("overdue", 0))


def test_cohort_totals_sum_the_pairs(two_pairs):
    c, pair_figures = two_pairs
    totals = rollups.cohort_totals(list(pair_figures.values()))
    assert (totals.pairs, totals.planned, totals.held) == (2, 8, 5)
    assert totals.compliance == 5 / 8
    assert (totals.checklist_done, totals.checklist_total, totals.overdue_items) == (3, 4, 1)
    assert totals.checklist_completion == 3 / 4
    assert dict(totals.goals_by_status) == {"done": 1, "on track": 1, "at risk": 0, "behind": 1, "overdue": 1}
    assert totals.goals == 4


def test_totals_of_no_pairs_have_no_ratios():
    totals = rollups.cohort_totals([])
    assert totals.compliance is None and totals.checklist_completion is None and totals.goals == 0


def test_attention_lists_overdue_items_behind_and_overdue_goals_and_a_quiet_spell(two_pairs):
    c, pair_figures = two_pairs
    busy, idle = (rollups.attention(p, c, pair_figures[("q1", p.key)], AS_OF) for p in c.pairs)
    assert not busy.needed and busy.reasons == 0
    assert [item.id for item in idle.overdue_items] == ["plan"]
    assert [(g.id, f.status) for g, f in idle.goals] == [("slow", "behind"), ("late", "overdue")]
    assert idle.quiet == rollups.Quiet(D(2027, 1, 4), 47, True)
    assert idle.reasons == 4
    order = rollups.attention_first([("busy", busy), ("idle", idle)])
    assert [name for name, _ in order] == ["idle", "busy"]


def test_attention_order_keeps_file_order_among_equals():
    none = rollups.Attention((), (), None)
    one = rollups.Attention((), (), rollups.Quiet(D(2027, 1, 1), 50, True))
    items = [("a", none), ("b", one), ("c", none), ("d", one)]
    assert [name for name, _ in rollups.attention_first(items)] == ["b", "d", "a", "c"]


@pytest.mark.parametrize("cadence, last, as_of, quiet", [
    ("fortnightly", D(2027, 1, 4), D(2027, 2, 1), False),  # 28 days: exactly two periods
    ("fortnightly", D(2027, 1, 4), D(2027, 2, 2), True),  # 29 days: more than two
    ("weekly", D(2027, 1, 4), D(2027, 1, 18), False),
    ("weekly", D(2027, 1, 4), D(2027, 1, 19), True),
    ("monthly", D(2027, 1, 4), D(2027, 3, 7), False),  # 62 days: two 31-day periods
    ("monthly", D(2027, 1, 4), D(2027, 3, 8), True),
])
def test_quiet_means_no_meeting_in_more_than_two_cadence_periods(cadence, last, as_of, quiet):
    p = Pair.model_validate({"mentor": "a", "mentee": "b", "cadence": cadence,
                             "sessions": [{"date": last}]})
    assert (rollups.quiet(p, cohort(), as_of) is not None) == quiet


def test_quiet_counts_from_the_series_start_when_nothing_was_held():
    p = Pair.model_validate({"mentor": "a", "mentee": "b", "first_meeting": D(2027, 2, 1)})
    assert rollups.quiet(p, cohort(), D(2027, 3, 1)) is None  # 28 days
    assert rollups.quiet(p, cohort(), D(2027, 3, 2)) == rollups.Quiet(D(2027, 2, 1), 29, False)
    assert rollups.quiet(p, cohort(), D(2027, 1, 20)) is None  # the series has not begun


def test_a_session_before_the_first_meeting_does_not_start_the_clock_early():
    p = Pair.model_validate({"mentor": "a", "mentee": "b", "first_meeting": D(2027, 2, 1),
                             "sessions": [{"date": D(2027, 1, 31)}]})
    assert rollups.quiet(p, cohort(), D(2027, 3, 1)) is None
    assert rollups.quiet(p, cohort(), D(2027, 3, 2)).met is False


def test_quiet_is_judged_only_while_the_cohort_runs():
    p = Pair.model_validate({"mentor": "a", "mentee": "b", "sessions": [{"date": D(2027, 1, 4)}]})
    assert rollups.quiet(p, cohort(), D(2027, 6, 25)) is not None  # the last day still counts
    assert rollups.quiet(p, cohort(), D(2027, 6, 26)) is None  # ended
    assert rollups.quiet(p, cohort(), D(2027, 1, 3)) is None  # not started
    later = rollups.quiet(p, cohort(), D(2027, 2, 20))
    assert later.since == D(2027, 1, 4) and later.days == 47


def test_sessions_after_as_of_do_not_count_as_meetings():
    p = Pair.model_validate({"mentor": "a", "mentee": "b",
                             "sessions": [{"date": D(2027, 1, 4)}, {"date": D(2027, 2, 19)}]})
    assert rollups.quiet(p, cohort(), D(2027, 2, 10)).since == D(2027, 1, 4)


def test_scores_by_stage_pool_pairs_and_agree_with_the_check_in_change(two_pairs):
    c, _ = two_pairs
    confidence, trust = rollups.score_stages(c.pairs)
    assert (confidence.name, confidence.before, confidence.during, confidence.after) == (
        "confidence", 2.5, 3.0, 4.0)
    assert confidence.counts == (2, 1, 2) and confidence.change == 1.5
    assert (trust.before, trust.during, trust.after, trust.change) == (3.0, None, None, None)
    assert {s.name: s.change for s in (confidence, trust) if s.change is not None} == \
        figures.check_in_change(c.pairs)


def test_objective_start_is_the_earliest_serving_cohort_else_its_first_entry():
    adoption, waiting, unserved = SITE.programme.objectives
    early = cohort(starts=D(2026, 9, 1), objectives=["adoption"])
    naming = cohort(pairs=[IDLE])  # does not list 'waiting', but a goal names it
    cohorts = [("early", early), ("naming", naming)]
    assert rollups.objective_start(adoption, cohorts) == D(2026, 9, 1)
    assert rollups.objective_start(waiting, cohorts) == D(2027, 1, 4)
    assert rollups.objective_start(unserved, cohorts) == D(2027, 2, 10)
    assert rollups.objective_start(waiting, []) is None


def test_objective_figures_are_worked_out_like_a_goals():
    adoption = SITE.programme.objectives[0]
    f = rollups.objective_figures(adoption, D(2027, 1, 4), AS_OF)
    assert f.latest == 4  # the March entry is after as_of
    assert f.progress == pytest.approx((4 - 2) / (10 - 2))
    assert f.expected == pytest.approx(figures.expected_progress(D(2027, 1, 4), D(2027, 6, 30), AS_OF))
    assert f.status == "on track"  # 25% done against 26.6% expected
    assert rollups.objective_figures(adoption, D(2027, 1, 4), D(2027, 1, 31)) is None  # nothing yet
    assert rollups.objective_figures(SITE.programme.objectives[1], D(2027, 1, 4), AS_OF) is None


def test_objective_rollup_lists_the_goals_that_name_it_without_summing(two_pairs):
    c, pair_figures = two_pairs
    adoption, waiting, unserved = rollups.objective_rollups(
        SITE.programme.objectives, [("q1", c)], pair_figures, AS_OF)
    assert [(g.pair_key, g.goal_id, g.figures.status) for g in adoption.goals] == [
        ("a-b", "report", "on track"), ("c-d", "slow", "behind")]
    assert adoption.goals[0].cohort_name == "C"
    assert dict(adoption.goals_by_status)["behind"] == 1
    assert adoption.cohorts == ("q1",) and adoption.start == D(2027, 1, 4)
    assert adoption.figures.latest == 4
    assert [g.goal_id for g in waiting.goals] == ["fast"] and waiting.figures is None
    assert waiting.cohorts == ("q1",)  # served through a goal, though the cohort does not list it
    assert unserved.goals == () and unserved.cohorts == ()
    assert unserved.start == D(2027, 2, 10) and unserved.figures.status == "done"


def test_objective_rollups_from_contributions_made_before_are_the_same(two_pairs):
    c, pair_figures = two_pairs
    made = {"q1": rollups.cohort_contributions("q1", c, pair_figures)}
    assert [g.goal_id for g in made["q1"]["adoption"]] == ["report", "slow"]
    assert rollups.objective_rollups(SITE.programme.objectives, [("q1", c)], pair_figures, AS_OF, made) == \
        rollups.objective_rollups(SITE.programme.objectives, [("q1", c)], pair_figures, AS_OF)
