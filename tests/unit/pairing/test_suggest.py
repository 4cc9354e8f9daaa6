"""Pairing suggestions: the rules, optimality against brute force, the
tie-break, and an explanation for everyone left unpaired."""

from __future__ import annotations

import random

import pytest

from rmsite.model.schema import Cohort
from rmsite.pairing.suggest import Unpaired, suggest_pairs, unpaired_people

from random_cohorts import PER_MONTH, cohort, person, random_cohort


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def pair_hours(c: Cohort, pair) -> float:
    return (pair.session_minutes or c.session_minutes) / 60 * PER_MONTH[pair.cadence or c.cadence]


def used_hours(c: Cohort, person_id: str) -> float:
    return sum(pair_hours(c, p) for p in c.pairs if person_id in (p.mentor, p.mentee))


def has_time(c: Cohort, p) -> bool:
    need = c.session_minutes / 60 * PER_MONTH[c.cadence]
    return p.hours_per_month is None or used_hours(c, p.id) + need <= p.hours_per_month + 1e-9


def allowed_scores(c: Cohort) -> dict[tuple[str, str], int]:
    """(mentor, mentee) → score for every allowed pair among unpaired people."""
    paired = {p.mentor for p in c.pairs} | {p.mentee for p in c.pairs}
    free = [p for p in c.people if p.id not in paired and has_time(c, p)]
    scores = {}
    for m in free:
        for s in free:
            shared = {norm(t) for t in m.offers} & {norm(t) for t in s.wants}
            if m.level < s.level and shared:
                differ = bool(norm(m.team) and norm(s.team) and norm(m.team) != norm(s.team))
                scores[(m.id, s.id)] = 10 * len(shared) + (3 if differ else 0)
    return scores


def brute_force(scores: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """Every matching, best by total score, then more pairs, then the smallest sorted id list."""
    edges = sorted(scores)
    best: list[tuple[str, str]] = []

    def visit(start: int, chosen: list[tuple[str, str]], used: set[str]) -> None:
        nonlocal best
        if better(chosen, best, scores):
            best = list(chosen)
        for index in range(start, len(edges)):
            m, s = edges[index]
            if m not in used and s not in used:
                visit(index + 1, chosen + [(m, s)], used | {m, s})

    visit(0, [], set())
    return sorted(best)


def better(a: list, b: list, scores: dict) -> bool:
    total_a, total_b = sum(scores[e] for e in a), sum(scores[e] for e in b)
    if total_a != total_b:
        return total_a > total_b
    if len(a) != len(b):
        return len(a) > len(b)
    return sorted(a) < sorted(b)


# --- rules on random cohorts -----------------------------------------------

@pytest.mark.parametrize("seed", range(150))
def test_suggestions_respect_every_rule_on_random_cohorts(seed: int):
    rng = random.Random(seed)
    c = random_cohort(rng, rng.randint(0, 14))
    result = suggest_pairs(c)
    people = {p.id: p for p in c.people}
    already = {p.mentor for p in c.pairs} | {p.mentee for p in c.pairs}
    need = c.session_minutes / 60 * PER_MONTH[c.cadence]
    seen: list[str] = []
    for pair in result.pairs:
        m, s = people[pair.mentor], people[pair.mentee]
        assert m.level < s.level
        shared = {norm(t) for t in m.offers} & {norm(t) for t in s.wants}
        assert shared and {norm(t) for t in pair.focus} == shared and len(pair.focus) == len(shared)
        assert pair.score == allowed_scores(c)[(m.id, s.id)]
        for p in (m, s):
            assert p.id not in already
            if p.hours_per_month is not None:
                assert used_hours(c, p.id) + need <= p.hours_per_month + 1e-9
        seen += [m.id, s.id]
    assert len(seen) == len(set(seen)), "someone is in two suggested pairs"
    left = [u.person for u in result.unpaired]
    assert sorted(seen + left) == sorted(p.id for p in unpaired_people(c))
    assert all(u.reason in ("no-hours", "no-candidate", "no-topic", "outmatched") and u.explanation
               for u in result.unpaired)


@pytest.mark.parametrize("seed", range(200))
def test_suggestion_is_the_brute_force_optimum_on_small_cohorts(seed: int):
    rng = random.Random(1000 + seed)
    c = random_cohort(rng, rng.randint(2, 9))
    scores = allowed_scores(c)
    result = suggest_pairs(c)
    assert [(p.mentor, p.mentee) for p in result.pairs] == brute_force(scores)
    assert result.total_score == sum(scores[e] for e in brute_force(scores))


def test_the_optimum_beats_the_greedy_choice():
    # greedy takes ana-cara (23) and leaves bo with nothing; two pairs score 26
    c = cohort([person("ana", 1, ["x", "y"], team="A"), person("bo", 1, ["x"], team="A"),
                person("cara", 5, wants=["x", "y"], team="B"), person("dev", 5, wants=["y"], team="B")])
    assert [(p.mentor, p.mentee, p.score) for p in suggest_pairs(c).pairs] == [
        ("ana", "dev", 13), ("bo", "cara", 13)]


# --- scores, topics, teams, ids --------------------------------------------

def test_topics_match_after_case_folding_and_collapsing_spaces():
    c = cohort([person("ana", 1, ["Data  Tools", "AI"], team="Support"),
                person("boris", 5, wants=["data tools", "ai", "golf"], team="support")])
    [pair] = suggest_pairs(c).pairs
    assert pair.focus == ("data tools", "ai")  # the mentee's words, spaces collapsed
    assert pair.score == 20  # the same team after case folding: no cross-team points
    assert "same team (Support)" in pair.reason


def test_crossing_teams_scores_three_more_and_the_reason_says_so():
    c = cohort([person("ana", 1, ["ai"], team="Support", hours=5),
                person("boris", 5, wants=["ai"], team="Finance")])
    [pair] = suggest_pairs(c).pairs
    assert pair.score == 13
    assert pair.reason == ("1 shared topic (ai); different teams (Support, Finance); "
                           "hours a month left after this pair: ana 2.8, boris not set")


def test_existing_pairs_are_kept_and_their_people_not_suggested():
    c = cohort([person("ana", 1, ["ai"]), person("boris", 5, wants=["ai"]),
                person("cem", 2, ["ai"]), person("dora", 6, wants=["ai"])],
               [{"mentor": "ana", "mentee": "boris"}])
    result = suggest_pairs(c)
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("cem", "dora")]
    assert result.unpaired == ()


def test_a_taken_default_id_gets_a_numbered_id():
    c = cohort([person("ana", 1, ["ai"]), person("boris", 5, wants=["ai"]),
                person("cem", 2, ["ai"]), person("dora", 6, wants=["ai"])],
               [{"id": "cem-dora", "mentor": "ana", "mentee": "boris"}])
    [pair] = suggest_pairs(c).pairs
    assert (pair.id, pair.key) == ("cem-dora-2", "cem-dora-2")


def test_hours_follow_the_cohort_cadence_and_session_length():
    # weekly 60 minutes needs 52/12 = 4.33 hours a month
    people = [person("ana", 1, ["ai"], hours=4.5), person("boris", 5, wants=["ai"], hours=4.3)]
    assert suggest_pairs(cohort(people, cadence="weekly")).pairs == ()
    assert len(suggest_pairs(cohort(people, cadence="weekly", session_minutes=45)).pairs) == 1
    exact = [person("ana", 1, ["ai"], hours=1), person("boris", 5, wants=["ai"], hours=1)]
    assert len(suggest_pairs(cohort(exact, cadence="monthly")).pairs) == 1  # exactly enough is enough


# --- tie-breaking ----------------------------------------------------------

def test_equal_candidates_are_broken_by_ids():
    mentors = [person("zoe", 1, ["ai"]), person("adam", 1, ["ai"])]
    mentee = [person("max", 5, wants=["ai"])]
    result = suggest_pairs(cohort(mentors + mentee))
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("adam", "max")]
    [left] = result.unpaired
    assert (left.person, left.reason) == ("zoe", "outmatched")


def test_equal_totals_prefer_the_first_sorted_id_list():
    # a1-b1 + a2-b2 and a1-b2 + a2-b1 both score 20
    c = cohort([person("a2", 1, ["ai"]), person("b2", 5, wants=["ai"]),
                person("a1", 1, ["ai"]), person("b1", 5, wants=["ai"])])
    assert [(p.mentor, p.mentee) for p in suggest_pairs(c).pairs] == [("a1", "b1"), ("a2", "b2")]


def test_equal_totals_prefer_more_pairs():
    # {ana-boris} scores 23 alone; {ana-cem, dana-boris} scores 10 + 13 = 23 with two pairs
    c = cohort([person("ana", 1, ["x", "y"], team="T"), person("boris", 5, wants=["x", "y"], team="U"),
                person("cem", 4, wants=["x"], team="T"), person("dana", 2, ["y"], team="T")])
    assert [(p.mentor, p.mentee) for p in suggest_pairs(c).pairs] == [("ana", "cem"), ("dana", "boris")]


@pytest.mark.parametrize("seed", range(20))
def test_the_order_of_people_in_the_file_does_not_change_the_suggestion(seed: int):
    rng = random.Random(5000 + seed)
    c = random_cohort(rng, 12)
    people = [p.model_dump(exclude_none=True) for p in c.people]
    rng.shuffle(people)
    shuffled = cohort(people, [p.model_dump(exclude_none=True) for p in c.pairs],
                      cadence=c.cadence, session_minutes=c.session_minutes)
    assert suggest_pairs(shuffled).pairs == suggest_pairs(c).pairs
    assert by_person(suggest_pairs(shuffled).unpaired) == by_person(suggest_pairs(c).unpaired)


def by_person(unpaired: tuple[Unpaired, ...]) -> list[Unpaired]:
    return sorted(unpaired, key=lambda u: u.person)


# --- explanations ----------------------------------------------------------

def reasons(c: Cohort) -> dict[str, tuple[str, str]]:
    return {u.person: (u.reason, u.explanation) for u in suggest_pairs(c).unpaired}


def test_someone_without_the_hours_is_explained():
    c = cohort([person("ana", 1, ["ai"], hours=1), person("boris", 5, wants=["ai"])])
    assert reasons(c)["ana"] == ("no-hours", "has 1 hour a month left, but a pair meeting fortnightly "
                                             "for 60 minutes needs 2.2")
    assert reasons(c)["boris"] == ("no-candidate", "no other unpaired person has the hours for a pair")


def test_someone_whose_wants_nobody_offers_is_explained():
    c = cohort([person("ana", 1, ["ai"]), person("boris", 5, wants=["golf", "chess"])])
    assert reasons(c) == {
        "ana": ("no-topic", "lists nothing they want; no more senior candidate wants what they offer (ai)"),
        "boris": ("no-topic", "no more junior candidate offers what they want (golf, chess); lists nothing they offer"),
    }


def test_someone_with_no_more_junior_or_senior_candidate_is_explained():
    c = cohort([person("ana", 3, ["ai"]), person("boris", 3, wants=["ai"])])
    assert reasons(c)["ana"] == ("no-candidate", "every other candidate is also at level 3, and a mentor "
                                                 "must be more junior than their mentee")
    alone = cohort([person("ana", 1, ["ai"]), person("boris", 5, wants=["ai"]), person("cem", 2, ["ai"])],
                   [{"mentor": "ana", "mentee": "boris"}])
    assert reasons(alone) == {"cem": ("no-candidate", "everyone else in the cohort is already in a pair")}


def test_someone_only_more_senior_than_everyone_is_explained_on_both_sides():
    c = cohort([person("ana", 1, ["ai"], wants=["golf"]), person("boris", 5, ["golf"], wants=["chess"])])
    assert reasons(c)["ana"] == ("no-topic", "no more junior candidate to mentor them; "
                                             "no more senior candidate wants what they offer (ai)")
    assert reasons(c)["boris"] == ("no-topic", "no more junior candidate offers what they want (chess); "
                                               "no more senior candidate to learn from them")


def test_someone_whose_partners_went_elsewhere_is_explained():
    c = cohort([person("ana", 1, ["ai", "x"], team="A"), person("boris", 5, wants=["ai", "x"], team="B"),
                person("cem", 4, wants=["ai"], team="B")])
    assert reasons(c) == {"cem": ("outmatched", "could pair with 'ana' (suggested with 'boris'), "
                                                "but those pairs give the best total score")}


def test_an_empty_cohort_suggests_nothing():
    result = suggest_pairs(cohort([]))
    assert (result.pairs, result.unpaired, result.total_score) == ((), (), 0)


def test_a_match_held_back_only_by_hours_is_named():
    c = cohort([person("ana", 1, ["ai"], hours=1), person("bo", 2, ["ai"], hours=0), person("cem", 2, ["golf"]),
                person("dora", 5, wants=["ai"], offers=["chess"]), person("eli", 6, wants=["chess"], hours=2)])
    assert reasons(c)["dora"] == ("no-topic", "no more junior candidate offers what they want (ai), only 'ana' and "
                                              "'bo', who lack the hours; no more senior candidate to learn from them, "
                                              "only 'eli', who lacks the hours")
