"""Values of the wrong kind, with what to write instead: dates that do not exist, allowed
values by meaning, numbers with their unit, yes and no, a topic for a list, ids for a
mapping of dates."""

from __future__ import annotations

import pytest

from rmsite.model.schema import Cohort
from rmsite.source import yaml_marks
from rmsite.source.schema_errors import validate_doc
from rmsite.source.value_hints import date_hint, meant_choice, number_hint
from rmsite.source.yaml_marks import MarkedDoc, parse_yaml

CADENCES = ["weekly", "fortnightly", "monthly"]


@pytest.mark.parametrize(("text", "hint"), [
    ("2027-30-04", "2027-30-04 is not a date: there is no month 30; did you mean 2027-04-30?"),
    ("2027-13-01", "2027-13-01 is not a date: there is no month 13; did you mean 2027-01-13?"),
    ("2027-13-31", "2027-13-31 is not a date: there is no month 13"),  # 31 is no month either
    ("2027-00-10", "2027-00-10 is not a date: there is no month 0"),
    ("2027-02-30", "2027-02-30 is not a date: February 2027 has 28 days"),
    ("2028-02-30", "2028-02-30 is not a date: February 2028 has 29 days"),
    ("2027-04-00", "2027-04-00 is not a date: there is no day 0"),
    ("2027-04-30", None), ("4 January 2027", None),
])
def test_a_date_that_does_not_exist_says_why_and_the_swapped_date(text: str, hint: str | None):
    assert date_hint(text) == hint


@pytest.mark.parametrize(("word", "suffix"), [
    ("biweekly", " (did you mean 'fortnightly', every two weeks?)"),
    ("Bi-Weekly", " (did you mean 'fortnightly', every two weeks?)"),
    ("every two weeks", " (did you mean 'fortnightly', every two weeks?)"),
    ("twice a month", " (did you mean 'fortnightly', every two weeks?)"),
    ("once a week", " (did you mean 'weekly', every week?)"),
    ("4-weekly", " (did you mean 'monthly', once a month?)"),
    ("fortnighty", " (did you mean 'fortnightly'?)"),  # a slip of spelling: by spelling
    ("daily", ""),
])
def test_a_cadence_is_suggested_by_meaning_before_spelling(word: str, suffix: str):
    assert meant_choice(word, CADENCES) == suffix


def test_a_word_means_the_choice_the_field_has():
    assert meant_choice("end", ["before", "during", "after"]) == " (did you mean 'after'?)"
    assert meant_choice("end", ["proposed", "active", "paused", "ended"]) == " (did you mean 'ended'?)"
    assert meant_choice("on hold", ["proposed", "active", "paused", "ended"]) == " (did you mean 'paused'?)"


@pytest.mark.parametrize(("text", "loc", "hint"), [
    ("50%", ("pairs", 0, "goals", 0, "progress", 1, "value"),
     'write the number alone, 50, and the unit on the goal as unit: "%"'),
    ("10 leaders", ("programme", "objectives", 0, "target"),
     "write the number alone, 10, and the unit on the objective as unit: leaders"),
    ("4h", ("people", 0, "hours_per_month"), "write the number alone, 4"),
    ("2,5", ("people", 0, "hours_per_month"), "write the number with a decimal point, 2.5"),
    ("1,000", ("pairs", 0, "goals", 0, "target"), "write the number without the comma, 1000"),
    ("ten", ("pairs", 0, "goals", 0, "target"), None),
])
def test_a_number_with_its_unit_is_the_number_alone_and_the_unit_on_the_goal(text, loc, hint):
    assert number_hint(text, loc) == hint


COHORT = """name: Spring
starts: 2027-01-04
ends: 2027-06-25
people:
  - {id: ana, name: Ana, level: 1}
  - {id: boris, name: Boris, level: 5}
pairs:
  - mentor: ana
    mentee: boris
"""


def cohort_messages(extra: str) -> list[str]:
    doc, problems = parse_yaml(COHORT + extra, "c.yml")
    assert doc is not None and problems == []
    return [p.format() for p in validate_doc(Cohort, doc)[1]]


@pytest.mark.parametrize(("extra", "message"), [
    ("    done: {learning-plan: yes}\n",
     "c.yml:10:27: error: 'learning-plan': YAML reads yes as true, not a date: write the date it was done as "
     "YYYY-MM-DD"),
    ("    first_meeting: off\n", "c.yml:10:20: error: 'first_meeting': YAML reads off as false, not a date: write "
                                 "the date as YYYY-MM-DD"),
    ("    first_meeting: true\n", "c.yml:10:20: error: 'first_meeting': found true, not a date: write the date as "
                                  "YYYY-MM-DD"),
    ("    cadence: On\n", "c.yml:10:14: error: 'cadence': YAML reads On as true: write one of: weekly, fortnightly, "
                          "monthly"),
    ("    focus: [yes, customer chat]\n",
     "c.yml:10:13: error: YAML reads yes as true; to mean the text, put it in quotes: \"yes\""),
    ("    focus: customer chat\n", "c.yml:10:12: error: 'focus' is a list: write focus: [customer chat]"),
    ("    focus: 'customer: chat'\n", "c.yml:10:12: error: 'focus' is a list: write focus: [\"customer: chat\"]"),
    ("    approved_by: Head of People\n",
     "c.yml:10:18: error: 'approved_by' is a list: write approved_by: [Head of People]"),
    ("    done: [learning-plan, ground-rules]\n",
     "c.yml:10:11: error: 'done' is a mapping of ids to dates: write done: {learning-plan: YYYY-MM-DD, "
     "ground-rules: YYYY-MM-DD}, with the date each was done"),
    ("    goals:\n      - {id: g, title: G, measure: m, due: 2027-03-01, target: 50%}\n",
     "c.yml:11:64: error: 'target': write the number alone, 50, and the unit on the goal as unit: \"%\""),
    ("    sessions:\n      -\n",
     "c.yml:11:8: error: 'sessions': an empty list item (a '-' with nothing after it): remove the line, or write "
     "the item after the '-'"),
])
def test_a_value_of_the_wrong_kind_says_what_to_write(extra: str, message: str):
    assert cohort_messages(extra) == [message]


def test_a_private_fields_value_is_never_shown_even_as_yaml_read_it():
    found = cohort_messages("    status_reason: yes\n    sessions:\n      - {date: 2027-01-04, notes: no}\n")
    assert found == ["c.yml:10:20: error: 'status_reason': YAML reads this value as true or false; put text in quotes",
                     "c.yml:12:35: error: 'notes': YAML reads this value as true or false; put text in quotes"]
    _, problems = parse_yaml("email: 2027-30-04\nphone: 2027-02-30\n", "p.yml")
    assert [p.message for p in problems] == [
        "'email': YAML reads this value as a date, and it is not one; put text in quotes",
        "'phone': YAML reads this value as a date, and it is not one; put text in quotes"]


def test_both_readers_keep_the_words_read_as_true_or_false(monkeypatch: pytest.MonkeyPatch):
    text = "a: yes\nb: [On, off, true]\nc: {d: NO}\n"
    fast, _ = parse_yaml(text, "f.yml")
    assert isinstance(fast, MarkedDoc)
    assert fast.bool_words == {("a",): "yes", ("b", 0): "On", ("b", 1): "off", ("c", "d"): "NO"}
    monkeypatch.setattr(yaml_marks, "plain_document", lambda text, offset, depth=0: None)
    assert parse_yaml(text, "f.yml") == (fast, [])
