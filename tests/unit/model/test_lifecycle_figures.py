"""Figures of paused and ended pairs, proposed pairs out of the public cohort, and the mean
scores that privacy.min_group withholds."""

from __future__ import annotations

import datetime as dt

from rmsite.model import figures, rollups
from rmsite.model.schema import Cohort, Pair, SiteConfig

D = dt.date
SITE = SiteConfig(title="T")
GOAL = {"id": "g", "title": "G", "measure": "m", "target": 10, "due": D(2027, 3, 1)}
ITEM = {"id": "plan", "text": "Plan", "due": D(2027, 2, 1)}


def cohort(*pairs: dict) -> Cohort:
    people = [{"id": f"p{i}", "name": f"P{i}", "level": i} for i in range(1, 9)]
    return Cohort.model_validate({"name": "C", "starts": D(2027, 1, 4), "ends": D(2027, 6, 25),
                                  "people": people, "pairs": list(pairs)})


def pair(**extra) -> dict:
    return {"mentor": "p1", "mentee": "p2", **extra}


def test_a_paused_pair_is_measured_at_its_status_date_and_is_never_overdue_after_it():
    c = cohort(pair(status="paused", status_date=D(2027, 1, 20), goals=[GOAL], expectations=[ITEM]))
    paused = figures.pair_figures(SITE, c, c.pairs[0], D(2027, 5, 1))
    active = figures.pair_figures(SITE, c, c.pairs[0].model_copy(update={"status": "active"}), D(2027, 5, 1))
    assert paused.meetings.planned == 2 and active.meetings.planned == 9  # fortnightly from 4 Jan
    assert paused.overdue == [] and active.overdue == ["plan"]  # due 1 Feb, after it paused
    [(_, g)] = paused.goals
    assert g.status != "overdue" and g.expected == (D(2027, 1, 20) - D(2027, 1, 4)).days / (D(2027, 3, 1) - D(2027, 1, 4)).days
    assert active.goals[0][1].status == "overdue"
    assert paused.next_meeting is None and active.next_meeting == D(2027, 5, 10)


def test_an_ended_pair_with_a_later_status_date_is_measured_at_as_of():
    p = Pair.model_validate(pair(status="ended", status_date=D(2027, 6, 1)))
    assert p.measured_at(D(2027, 3, 1)) == D(2027, 3, 1) and p.measured_at(D(2027, 7, 1)) == D(2027, 6, 1)


def test_a_paused_pair_is_not_quiet():
    c = cohort(pair(status="paused", status_date=D(2027, 1, 20)))
    assert rollups.quiet(c.pairs[0], c, D(2027, 4, 1)) is None
    assert rollups.quiet(c.pairs[0].model_copy(update={"status": "active"}), c, D(2027, 4, 1)) is not None


def test_the_public_cohort_has_no_proposed_pair():
    c = cohort(pair(), pair(mentor="p3", mentee="p4", status="proposed"), pair(mentor="p5", mentee="p6", status="ended",
                                                                               status_date=D(2027, 2, 1)))
    assert [p.key for p in c.public().pairs] == ["p1-p2", "p5-p6"]
    plain = cohort(pair())
    assert plain.public() is plain  # nothing to leave out: the same cohort, not a copy


def check_in(stage: str, score: int, by: str | None = None) -> dict:
    return {"stage": stage, "date": D(2027, 1, 5), "scores": {"confidence": score}, **({"by": by} if by else {})}


def test_a_mean_that_fewer_than_min_group_people_answered_is_withheld():
    pairs = [pair(mentor=f"p{2 * i + 1}", mentee=f"p{2 * i + 2}",
                  check_ins=[check_in("before", 2, "mentor"), check_in("before", 3, "mentee")]
                  + ([check_in("after", 4, "mentee")] if i == 0 else [])) for i in range(2)]
    [stages] = rollups.score_stages(cohort(*pairs).pairs)
    assert stages.respondents == (4, 0, 1) and stages.counts == (4, 0, 1)
    shown = stages.grouped(3)
    assert shown.before == 2.5 and shown.after is None and shown.withheld == (False, False, True)
    assert shown.change is None  # a change needs both its means
    assert stages.grouped(1).change == 4 - 2.5


def test_check_ins_without_by_count_as_one_respondent_for_their_pair():
    c = cohort(pair(check_ins=[check_in("before", 2), check_in("before", 4)]),
               pair(mentor="p3", mentee="p4", check_ins=[check_in("before", 3, "mentor")]))
    [stages] = rollups.score_stages(c.pairs)
    assert stages.respondents[0] == 2 and stages.grouped(3).before is None
    [mentors] = rollups.score_stages(c.pairs, "mentor")
    assert mentors.counts == (1, 0, 0) and mentors.before == 3


def test_progress_json_carries_the_status_and_leaves_a_pairs_changes_out_unless_scores_are_published():
    c = cohort(pair(status="paused", status_date=D(2027, 1, 20),
                    check_ins=[check_in("before", 2), check_in("after", 4)]))
    f = figures.pair_figures(SITE, c, c.pairs[0], D(2027, 3, 1))
    [private] = figures.progress_json("c", D(2027, 3, 1), [(c.pairs[0], f)], scores=False)["pairs"]
    assert private["status"] == "paused" and private["status_date"] == "2027-01-20"
    assert "check_in_change" not in private and "check_in_change_by" not in private
    [public] = figures.progress_json("c", D(2027, 3, 1), [(c.pairs[0], f)], scores=True)["pairs"]
    assert public["check_in_change"] == {"confidence": 2}


def test_an_ended_pair_needs_no_attention_and_a_paused_one_keeps_what_was_overdue_before_it_paused():
    item = {"id": "plan", "text": "Plan", "due": D(2027, 1, 10)}
    for status, needed in (("ended", False), ("paused", True)):
        c = cohort(pair(status=status, status_date=D(2027, 1, 20), expectations=[item]))
        f = figures.pair_figures(SITE, c, c.pairs[0], D(2027, 3, 1))
        assert f.overdue == ["plan"]
        assert rollups.attention(c.pairs[0], c, f, D(2027, 3, 1)).needed is needed, status


def test_a_sides_mean_that_would_give_away_the_other_sides_by_subtraction_is_withheld():
    # three mentors and one mentee answered: the overall mean (4) and the mentors' (3) would
    # together give the one mentee's score, so the mentors' mean is withheld too
    pairs = [pair(mentor=f"p{2 * i + 1}", mentee=f"p{2 * i + 2}", check_ins=[check_in("before", 2 + i, "mentor")])
             for i in range(3)] + [pair(mentor="p7", mentee="p8", check_ins=[check_in("before", 5, "mentee")])]
    c = cohort(*pairs)
    overall = tuple(s.grouped(3) for s in rollups.score_stages(c.pairs))
    sides = {side: tuple(s.grouped(3) for s in rollups.score_stages(c.pairs, side)) for side in ("mentor", "mentee")}
    assert overall[0].before == 3.5 and sides["mentor"][0].before == 3.0  # each alone has enough answers
    safe = rollups.complement_safe(overall, sides, 3)
    assert safe["mentor"][0].before is None and safe["mentor"][0].withheld[0]
    assert safe["mentee"][0].before is None
    # with three of each, every mean is safe to show
    more = pairs + [pair(mentor=f"p{i}", mentee=f"p{i + 1}", check_ins=[check_in("before", 4, "mentee")])
                    for i in (1, 3)]
    c = cohort(*more)
    overall = tuple(s.grouped(3) for s in rollups.score_stages(c.pairs))
    sides = {side: tuple(s.grouped(3) for s in rollups.score_stages(c.pairs, side)) for side in ("mentor", "mentee")}
    safe = rollups.complement_safe(overall, sides, 3)
    assert safe["mentor"][0].before == 3.0 and safe["mentee"][0].before == 13 / 3


def test_a_pair_never_counts_as_more_than_its_two_people():
    c = cohort(pair(check_ins=[check_in("before", 2, "mentor"), check_in("before", 3, "mentee"), check_in("before", 4)]))
    [stages] = rollups.score_stages(c.pairs)
    assert stages.respondents[0] == 2 and stages.grouped(3).before is None
