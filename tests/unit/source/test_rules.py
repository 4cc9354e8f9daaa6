"""The format's rules, one by one: each problem located at the offending value."""

from __future__ import annotations

from minimal import COHORT_YML, SITE_YML, check, messages, minimal_site


def cohort_problems(tmp_path, old: str, new: str, **options) -> list[str]:
    assert old in COHORT_YML, old
    return messages(check(minimal_site(tmp_path, cohorts__q1_yml=COHORT_YML.replace(old, new, 1)),
                          **options))


def site_problems(tmp_path, old: str, new: str) -> list[str]:
    assert old in SITE_YML, old
    return messages(check(minimal_site(tmp_path, site_yml=SITE_YML.replace(old, new, 1))))


def test_unknown_key_suggests_the_right_one(tmp_path):
    assert cohort_problems(tmp_path, "    level: 1\n", "    level: 1\n    nmae: x\n") == [
        "cohorts/q1.yml:9:5: error: unknown key 'nmae' (did you mean 'name'?)"]


def test_wrong_type_points_at_the_value(tmp_path):
    assert cohort_problems(tmp_path, "level: 1", "level: one") == [
        "cohorts/q1.yml:8:12: error: 'level': expected a whole number, found the text 'one'"]


def test_missing_required_key_points_at_the_mapping(tmp_path):
    problems = cohort_problems(tmp_path, "    name: Ana Lima\n", "")
    assert problems == ["cohorts/q1.yml:6:5: error: missing required key 'name'"]


def test_bad_id_is_an_error(tmp_path):
    problems = cohort_problems(tmp_path, "  - id: ana\n", "  - id: Ana_L\n")
    assert problems[0].startswith("cohorts/q1.yml:6:9: error: invalid id 'Ana_L'")


def test_duplicate_person_id_names_the_first(tmp_path):
    problems = cohort_problems(tmp_path, "  - id: boris", "  - id: ana")
    assert "cohorts/q1.yml:12:9: error: duplicate person id 'ana' (first used on line 6)" in problems


def test_duplicate_yaml_key_is_an_error(tmp_path):
    assert cohort_problems(tmp_path, "ends: 2027-06-25\n", "ends: 2027-06-25\nends: 2027-06-26\n") == [
        "cohorts/q1.yml:4:1: error: duplicate key 'ends' (first given on line 3); keep one of the two"]


def test_unknown_mentor_suggests_a_person(tmp_path):
    assert cohort_problems(tmp_path, "mentor: ana", "mentor: anna") == [
        "cohorts/q1.yml:19:13: error: unknown person 'anna' as mentor (did you mean 'ana'?)"]


def test_mentor_and_mentee_must_differ(tmp_path):
    problems = cohort_problems(tmp_path, "mentee: boris", "mentee: ana")
    assert any("cannot be both mentor and mentee" in p and ":20:" in p for p in problems)


def test_senior_mentor_is_an_error(tmp_path):
    problems = cohort_problems(tmp_path, "level: 1", "level: 7")
    assert problems[0].startswith("cohorts/q1.yml:19:13: error: in reverse mentoring the mentor is the more junior")


def test_pair_with_equal_levels_warns(tmp_path):
    problems = cohort_problems(tmp_path, "level: 1", "level: 5")
    assert problems == ["cohorts/q1.yml:19:13: warning: mentor 'ana' and mentee 'boris' have the same "
                        "level (5); in reverse mentoring the mentor is the more junior [equal-levels: q1/ana-boris]"]


def test_strict_turns_warnings_into_errors(tmp_path):
    problems = cohort_problems(tmp_path, "level: 1", "level: 5", strict=True)
    assert problems[0].startswith("cohorts/q1.yml:19:13: error: mentor 'ana'")


def test_unknown_objective_in_cohort_and_goal(tmp_path):
    problems = cohort_problems(tmp_path, "objectives: [adoption]", "objectives: [adoptoin]")
    assert problems == ["cohorts/q1.yml:4:14: error: unknown objective 'adoptoin' (did you mean 'adoption'?)"]
    problems = cohort_problems(tmp_path, "        title: Build a first report\n",
                               "        title: Build a first report\n        objective: nope\n")
    assert problems == ["cohorts/q1.yml:28:20: error: unknown objective 'nope'"]


def test_done_key_must_name_an_expectation_of_the_pair(tmp_path):
    assert cohort_problems(tmp_path, "ground-rules: 2027-01-08", "ground-rule: 2027-01-08") == [
        "cohorts/q1.yml:24:7: error: 'ground-rule' is not an expectation of this pair "
        "(did you mean 'ground-rules'?)"]


def test_progress_dates_must_ascend(tmp_path):
    problems = cohort_problems(tmp_path, "{date: 2027-02-10, value: 2}", "{date: 2027-01-10, value: 2}")
    assert problems == ["cohorts/q1.yml:33:20: error: progress dates must ascend: "
                        "2027-01-10 is earlier than the entry before it (2027-01-20)"]


def test_objective_progress_dates_must_ascend_like_a_goals(tmp_path):
    entries = ("      due: 2027-06-30\n      progress:\n"
               "        - {date: 2027-02-01, value: 3, note: First count}\n"
               "        - {date: 2027-01-15, value: 4}\n")
    assert site_problems(tmp_path, "      due: 2027-06-30\n", entries) == [
        "site.yml:12:18: error: progress dates must ascend: "
        "2027-01-15 is earlier than the entry before it (2027-02-01)"]


def test_objective_progress_in_order_is_accepted(tmp_path):
    entries = "      due: 2027-06-30\n      progress:\n        - {date: 2027-02-01, value: 3}\n"
    assert site_problems(tmp_path, "      due: 2027-06-30\n", entries) == []


def test_a_retrospective_is_checked_like_everything_else(tmp_path):
    retro = ("pairs:\n", "retrospective:\n  held: 2027-06-30\n  worked: [Short sessions]\n"
             "  didnt_work: [Long forms]\npairs:\n")
    assert cohort_problems(tmp_path, *retro) == [
        "cohorts/q1.yml:21:3: error: unknown key 'didnt_work' (did you mean 'did_not_work'?)"]


def test_a_retrospective_is_allowed_on_a_cohort_that_is_not_a_pilot(tmp_path):
    retro = ("pairs:\n", "retrospective:\n  summary: Fine.\n  worked: [Short sessions]\n"
             "  did_not_work: [Long forms]\n  next_time: [Shorter forms]\npairs:\n")
    assert cohort_problems(tmp_path, *retro) == []


def test_check_in_score_must_be_one_to_five(tmp_path):
    problems = cohort_problems(tmp_path, "scores: {confidence: 4}", "scores: {confidence: 6}")
    assert problems == ["cohorts/q1.yml:40:63: error: score 'confidence' is 6; scores run from 1 to 5"]


def test_goal_target_must_differ_from_baseline(tmp_path):
    problems = cohort_problems(tmp_path, "        target: 4\n", "        target: 0\n")
    assert problems == ["cohorts/q1.yml:29:17: error: goal 'first-report': target must differ from baseline (0)"]


def test_objective_target_must_differ_from_baseline(tmp_path):
    problems = site_problems(tmp_path, "      target: 10\n", "      target: 10\n      baseline: 10\n")
    assert problems == ["site.yml:8:15: error: objective 'adoption': target must differ from baseline (10)"]


def test_cohort_must_end_after_it_starts(tmp_path):
    problems = cohort_problems(tmp_path, "ends: 2027-06-25", "ends: 2026-12-25")
    assert "cohorts/q1.yml:3:7: error: the cohort ends (2026-12-25) on or before it starts (2027-01-04)" in problems


def test_focus_topic_not_offered_or_wanted_warns(tmp_path):
    problems = cohort_problems(tmp_path, "focus: [Data  Tools]", "focus: [Data  Tools, Customer voice]")
    assert problems == ["cohorts/q1.yml:21:26: warning: focus topic 'Customer voice' is not in "
                        "the mentee's wants ('boris') [focus-want: q1/ana-boris]"]


def test_hours_capacity_warns_at_the_person(tmp_path):
    problems = cohort_problems(tmp_path, "hours_per_month: 4\n  - id: boris", "hours_per_month: 2\n  - id: boris")
    assert problems == ["cohorts/q1.yml:11:22: warning: 'ana' has 2 hours a month but their pairs need 2.2 "
                        "[capacity: q1/ana]"]


def test_session_outside_cohort_dates_warns(tmp_path):
    problems = cohort_problems(tmp_path, "- date: 2027-01-04\n", "- date: 2026-12-20\n")
    assert problems == ["cohorts/q1.yml:35:15: warning: session on 2026-12-20 is outside the cohort "
                        "(2027-01-04 to 2027-06-25) [outside-dates: q1/ana-boris]"]


def test_goal_due_after_cohort_end_warns(tmp_path):
    problems = cohort_problems(tmp_path, "due: 2027-03-31", "due: 2027-07-31")
    assert problems == ["cohorts/q1.yml:30:14: warning: goal 'first-report' is due 2027-07-31, "
                        "after the cohort ends (2027-06-25) [due-after-end: q1/ana-boris/first-report]"]


def test_fewer_than_two_approvers_warns(tmp_path):
    problems = cohort_problems(tmp_path, "approved_by: [Coordinator, Head of People]", "approved_by: [Coordinator]")
    assert problems == ["cohorts/q1.yml:22:18: warning: pair 'ana-boris' is approved by 1 person; "
                        "a pairing should be signed off by 2 (programme.approvals) [approvals: q1/ana-boris]"]


def test_bad_calendar_date_is_reported_not_raised(tmp_path):
    problems = cohort_problems(tmp_path, "ends: 2027-06-25", "ends: 2027-02-30")
    assert problems == ["cohorts/q1.yml:3:7: error: 'ends': 2027-02-30 is not a date: February 2027 has 28 days"]


def test_every_problem_is_reported_at_once(tmp_path):
    text = (COHORT_YML.replace("level: 1", "level: x").replace("mentor: ana", "mentor: anna")
            .replace("ends: 2027-06-25", "ends: 2027-06-25\nextra: 1"))
    problems = messages(check(minimal_site(tmp_path, cohorts__q1_yml=text,
                                           content__pairing_md="---\ntitle: 3\n---\n")))
    assert len(problems) >= 3
    assert any(p.startswith("content/pairing.md:2:8: error: 'title': expected text") for p in problems)
    assert any("unknown key 'extra'" in p for p in problems)
    assert any("'level': expected a whole number" in p for p in problems)


def test_bad_base_url_is_an_error(tmp_path):
    problems = site_problems(tmp_path, "title: Test programme\n", "title: Test programme\nbase_url: mentoring\n")
    assert problems[0].startswith("site.yml:2:11: error: base_url 'mentoring' must be '/'")


def test_missing_site_yml_is_an_error(tmp_path):
    root = minimal_site(tmp_path)
    (root / "site.yml").unlink()
    assert messages(check(root)) == ["site.yml:1:1: error: file not found"]


def test_guide_without_front_matter_is_an_error(tmp_path):
    problems = messages(check(minimal_site(tmp_path, content__other_md="# Only a body\n")))
    assert "content/other.md:1:1: error: a guide starts with front matter between '---' lines, " \
           "with at least a title" in problems


def test_a_private_fields_value_is_never_in_a_schema_message():
    from rmsite.source.schema_errors import Redacted, _message
    message = _message("dict_type", {}, "Boris interrupts a lot, please listen", "feedback", private=True)
    assert "interrupts" not in message and "'B…n' (37 characters)" in message
    assert "0770" not in _message("string_type", {}, 7700900123, "phone", private=True)
    assert "put it in quotes" in _message("string_type", {}, 7700900123, "phone", private=True)
    assert str(Redacted("abc")) == "(3 characters)"  # too short to show even its ends


def test_a_score_name_outside_check_in_scores_is_an_error_with_the_name_meant(tmp_path):
    site = SITE_YML.replace("programme:\n", "programme:\n  check_in_scores: [confidence, relationship]\n")
    cohort = COHORT_YML.replace("scores: {confidence: 4}", "scores: {confidence: 4, relatonship: 3}")
    found = messages(check(minimal_site(tmp_path, site_yml=site, cohorts__q1_yml=cohort)))
    assert found == ["cohorts/q1.yml:40:66: error: unknown score 'relatonship': programme.check_in_scores in "
                     "site.yml names 'confidence', 'relationship' (did you mean 'relationship'?)"]


def test_a_score_name_given_twice_in_check_in_scores_is_an_error(tmp_path):
    assert site_problems(tmp_path, "programme:\n", "programme:\n  check_in_scores: [trust, confidence, trust]\n") == [
        "site.yml:4:40: error: score 'trust' is named twice (first on line 4)"]


def test_by_is_mentor_or_mentee(tmp_path):
    problems = cohort_problems(tmp_path, "{stage: after, date: 2027-02-15,", "{stage: after, by: boss, date: 2027-02-15,")
    assert problems == ["cohorts/q1.yml:40:28: error: 'by': 'boss' is not one of: mentor, mentee"]


def test_a_form_address_takes_the_formats_placeholders_and_never_a_private_field(tmp_path):
    forms = ("forms:\n  sessions: https://forms.example/log?p={pair}&who={mentor_name}&e={mentor_email}\n"
             "  check_ins: forms.example/c?s={stge}\n")
    assert site_problems(tmp_path, "programme:\n", forms + "programme:\n") == [
        "site.yml:4:13: error: '{mentor_email}' is a private field and never goes in a link",
        "site.yml:5:14: error: a form's address starts with https:// (or http://)",
        "site.yml:5:14: error: unknown placeholder '{stge}': use {cohort}, {pair}, {mentor}, {mentee}, "
        "{mentor_name}, {mentee_name}, {stage} (did you mean 'stage'?)",
    ]
