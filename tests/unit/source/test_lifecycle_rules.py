"""Pair statuses, dated sign-offs, warning codes and subjects, and `accept` in site.yml."""

from __future__ import annotations

from minimal import COHORT_YML, SITE_YML, check, messages, minimal_site

PAIR = "  - mentor: ana\n    mentee: boris\n"
SIGNED = "approved_by: [Coordinator, Head of People]"


def with_pair_lines(tmp_path, lines: str, site: str = SITE_YML, cohort: str = COHORT_YML, **options) -> list[str]:
    """The problems once `lines` (indented as pair keys) are added to the minimal cohort's pair."""
    assert PAIR in cohort
    text = cohort.replace(PAIR, PAIR + lines, 1)
    return messages(check(minimal_site(tmp_path, site_yml=site, cohorts__q1_yml=text), **options))


def test_a_paused_or_ended_pair_needs_a_status_date(tmp_path):
    assert with_pair_lines(tmp_path, "    status: paused\n") == [
        "cohorts/q1.yml:21:13: error: a paused pair needs 'status_date': the day it paused"]
    assert with_pair_lines(tmp_path, "    status: ended\n    status_date: 2027-02-01\n") == []


def test_an_unknown_status_names_the_four(tmp_path):
    [problem] = with_pair_lines(tmp_path, "    status: stopped\n")
    assert problem == ("cohorts/q1.yml:21:13: error: 'status': 'stopped' is not one of: proposed, active, paused, ended "
                       "(did you mean 'ended'?)")


def test_the_status_reason_is_private_and_never_in_a_message(tmp_path):
    [problem] = with_pair_lines(tmp_path, "    status_reason: [Boris is on leave]\n")
    assert problem.startswith("cohorts/q1.yml:21:20: error: 'status_reason':") and "leave" not in problem


def test_sign_offs_may_carry_dates_and_programme_approvals_sets_how_many(tmp_path):
    cohort = COHORT_YML.replace(SIGNED, "approved_by: [{name: Coordinator, date: 2027-01-02}, Head of People]")
    assert with_pair_lines(tmp_path, "", cohort=cohort) == []
    site = SITE_YML + "  approvals: 3\n"
    assert with_pair_lines(tmp_path, "", site=site, cohort=cohort) == [
        "cohorts/q1.yml:22:18: warning: pair 'ana-boris' is approved by 2 people; a pairing should be signed off "
        "by 3 (programme.approvals) [approvals: q1/ana-boris]"]


def test_a_proposed_pair_gets_only_the_sign_off_warnings(tmp_path):
    cohort = COHORT_YML.replace("level: 1", "level: 5", 1).replace(SIGNED, "approved_by: []")  # equal levels
    problems = with_pair_lines(tmp_path, "    status: proposed\n", cohort=cohort)
    assert problems == ["cohorts/q1.yml:19:5: warning: pair 'ana-boris' is approved by 0 people; a pairing should "
                        "be signed off by 2 (programme.approvals) [approvals: q1/ana-boris]"]
    # the same pair, active: the equal levels are warned about too
    assert any("[equal-levels: q1/ana-boris]" in p for p in with_pair_lines(tmp_path, "", cohort=cohort))


def test_an_ended_pair_gets_no_warning_at_all(tmp_path):
    cohort = COHORT_YML.replace("level: 1", "level: 5", 1).replace(SIGNED, "approved_by: []")
    assert with_pair_lines(tmp_path, "    status: ended\n    status_date: 2027-02-01\n", cohort=cohort) == []


def test_a_proposed_pair_with_enough_dated_sign_offs_is_ready_to_activate(tmp_path):
    cohort = COHORT_YML.replace(SIGNED, "approved_by: [{name: A, date: 2027-01-02}, {name: B, date: 2027-01-03}]")
    assert with_pair_lines(tmp_path, "    status: proposed\n", cohort=cohort) == [
        "cohorts/q1.yml:21:13: warning: proposed pair 'ana-boris' has 2 dated sign-offs: set 'status: active' "
        "to publish it [ready-to-activate: q1/ana-boris]"]
    # undated sign-offs are not enough to say when it was signed off
    assert with_pair_lines(tmp_path, "    status: proposed\n") == []


def test_a_person_in_two_active_pairs_is_warned_about_once_per_further_pair(tmp_path):
    second = ("  - id: second\n    mentor: ana\n    mentee: carla\n    approved_by: [X, Y]\n")
    cohort = COHORT_YML.replace("pairs:\n", "  - id: carla\n    name: Carla\n    level: 6\npairs:\n" + second, 1)
    cohort = cohort.replace("hours_per_month: 4\n  - id: boris", "hours_per_month: 10\n  - id: boris")
    problems = messages(check(minimal_site(tmp_path, cohorts__q1_yml=cohort)))
    assert problems == [
        "cohorts/q1.yml:26:13: warning: 'ana' is in more than one active pair of this cohort ('second' and "
        "'ana-boris') [several-pairs: q1/ana]"]
    paused = cohort.replace("    mentee: carla\n", "    mentee: carla\n    status: paused\n    status_date: 2027-02-01\n")
    assert messages(check(minimal_site(tmp_path, cohorts__q1_yml=paused))) == []


def test_capacity_counts_active_and_paused_pairs_only(tmp_path):
    cohort = COHORT_YML.replace("hours_per_month: 4\n  - id: boris", "hours_per_month: 2\n  - id: boris")
    assert [p for p in with_pair_lines(tmp_path, "", cohort=cohort) if "[capacity: q1/ana]" in p]
    assert with_pair_lines(tmp_path, "    status: ended\n    status_date: 2027-02-01\n", cohort=cohort) == []


ACCEPT = """accept:
  - warning: capacity
    subject: q1/ana
    reason: Ana's manager agreed the extra time
"""


def test_an_accepted_warning_is_not_printed_and_does_not_fail_strict(tmp_path):
    cohort = COHORT_YML.replace("hours_per_month: 4\n  - id: boris", "hours_per_month: 2\n  - id: boris")
    root = minimal_site(tmp_path, site_yml=SITE_YML + ACCEPT, cohorts__q1_yml=cohort)
    loaded = check(root, strict=True)
    assert loaded.programme is not None
    [accepted] = loaded.problems
    assert accepted.severity == "warning" and accepted.code == "capacity"
    assert accepted.accepted == "Ana's manager agreed the extra time"
    from rmsite.core.problems import problem_lines
    assert problem_lines(loaded.problems) == []


def test_an_accept_entry_that_matches_nothing_is_itself_a_warning(tmp_path):
    root = minimal_site(tmp_path, site_yml=SITE_YML + ACCEPT.replace("q1/ana", "q1/anna"))
    assert messages(check(root)) == [
        "site.yml:18:5: warning: this accept entry matches no warning ('capacity' about 'q1/anna'): remove it, "
        "or correct its warning or subject [stale-accept: q1/anna]"]
    assert check(root, strict=True).programme is None


def test_an_accept_entry_needs_a_reason(tmp_path):
    root = minimal_site(tmp_path, site_yml=SITE_YML + ACCEPT.replace("    reason: Ana's manager agreed the extra time\n", ""))
    [problem] = messages(check(root))
    assert problem.startswith("site.yml:18:5: error: missing required key 'reason'")


def test_an_accept_entry_given_twice_is_a_stale_accept_at_the_second(tmp_path):
    cohort = COHORT_YML.replace("hours_per_month: 4\n  - id: boris", "hours_per_month: 2\n  - id: boris")
    twice = ACCEPT + ACCEPT.removeprefix("accept:\n")
    root = minimal_site(tmp_path, site_yml=SITE_YML + twice, cohorts__q1_yml=cohort)
    from rmsite.core.problems import problem_lines
    assert problem_lines(check(root).problems) == [
        "site.yml:21:5: warning: this accept entry repeats the one on line 18 ('capacity' about 'q1/ana'): "
        "remove one [stale-accept: q1/ana]"]
