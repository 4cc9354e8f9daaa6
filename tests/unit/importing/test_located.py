"""The cohort as an import would leave it, located for its rules: the new items' values at
the export's rows and columns, everything else where it is in the file before the edit."""

from __future__ import annotations

import datetime as dt

import pytest

from rmsite.core.problems import Problem
from rmsite.importing.edit import EditError, apply_plan
from rmsite.importing.located import ImportedDoc, RowLoc, imported_doc, located_parse_problems
from rmsite.importing.merge import Append, Plan, Replace
from rmsite.source.files import parse_yaml_mapping

TEXT = """name: Q1
people:
  - {id: ana, name: Ana}
  - {id: bo, name: Bo}
pairs:
  - mentor: ana
    mentee: bo
    check_ins:
      - {stage: before, date: 2027-01-04, scores: {confidence: 2, trust: 3}}
"""
CHECK_IN = {"stage": "after", "date": dt.date(2027, 3, 1), "by": "mentee", "scores": {"confidence": 4}}
HEADERS = {"stage": "Which check-in?", "date": "Completed", "scores.confidence": "How confident?"}


def located(plan: Plan, text: str = TEXT) -> ImportedDoc:
    before, _ = parse_yaml_mapping(text, "cohorts/q1.yml")
    after, _ = parse_yaml_mapping(apply_plan(text, plan), "cohorts/q1.yml")
    assert before is not None and after is not None
    return imported_doc(before, after, plan, "answers.csv")


def test_a_row_locs_problems_name_the_row_and_the_column():
    where = RowLoc("answers.csv", 7, 0, "Completed")
    assert where.error("too late").format() == "answers.csv:7: error: column 'Completed': too late"
    assert where.warning("outside", "outside-dates", "q1/ana-bo").format() == \
        "answers.csv:7: warning: column 'Completed': outside [outside-dates: q1/ana-bo]"
    assert RowLoc("answers.csv", 7, 0).error("no pair").format() == "answers.csv:7: error: no pair"


def test_a_new_items_values_are_at_its_row_and_their_columns():
    doc = located(Plan(appends=[Append(("pairs", 0, "check_ins"), (CHECK_IN,), (5,), (HEADERS,))]))
    item = ("pairs", 0, "check_ins", 1)
    assert doc.loc(item + ("date",)) == RowLoc("answers.csv", 5, 0, "Completed")
    assert doc.loc(item + ("scores", "confidence"), key=True) == RowLoc("answers.csv", 5, 0, "How confident?")
    assert doc.loc(item + ("by",)) == RowLoc("answers.csv", 5, 0, None)  # found from the respondent: no column
    assert doc.loc(item) == RowLoc("answers.csv", 5, 0, None)
    assert doc.data["pairs"][0]["check_ins"][1] == CHECK_IN  # the edited file's data


def test_the_files_values_keep_their_place_there_where_the_edit_moves_them():
    person = {"id": "cy", "name": "Cy", "level": 2}
    doc = located(Plan(appends=[Append(("people",), (person,), (2,), ({"name": "Full name"},))]))
    assert (doc.loc(("pairs", 0, "mentee")).line, doc.loc(("pairs", 0, "mentee")).column) == (7, 13)  # as in TEXT
    assert doc.loc(("pairs", 0, "check_ins", 0, "scores", "trust"), key=True).line == 9
    assert doc.loc(("people", 2, "name")) == RowLoc("answers.csv", 2, 0, "Full name")


def test_a_new_list_is_where_its_pair_is_in_the_file():
    text = TEXT.replace("    check_ins:\n      - {stage: before, date: 2027-01-04, scores: {confidence: 2, trust: 3}}\n", "")
    doc = located(Plan(appends=[Append(("pairs", 0, "check_ins"), (CHECK_IN,), (3,), (HEADERS,))]), text)
    assert doc.loc(("pairs", 0, "check_ins")).line == 6  # the pair's line: the list is not in the file yet
    assert doc.loc(("pairs", 0, "check_ins", 0, "stage")) == RowLoc("answers.csv", 3, 0, "Which check-in?")


def test_a_replaced_item_is_at_its_row_for_the_values_the_row_gives_only():
    given = {"stage": "before", "date": dt.date(2027, 1, 4), "scores": {"confidence": 5}}
    merged = {**given, "scores": {"confidence": 5, "trust": 3}}
    item = ("pairs", 0, "check_ins", 0)
    doc = located(Plan(replaces=[Replace(item, merged, 4, HEADERS, given)]))
    assert doc.loc(item + ("scores", "confidence"), key=True) == RowLoc("answers.csv", 4, 0, "How confident?")
    assert doc.loc(item + ("date",)) == RowLoc("answers.csv", 4, 0, "Completed")
    kept = doc.loc(item + ("scores", "trust"), key=True)  # the file's own score, which the row leaves as it is
    assert kept.path == "cohorts/q1.yml" and kept.line == 9


def test_a_problem_of_reading_the_edit_back_moves_to_its_cell():
    plan = Plan(appends=[Append(("pairs", 0, "check_ins"), ({**CHECK_IN, "comment": "fine \x1b[31m"},), (5,),
                                ({**HEADERS, "comment": "Anything else?"},))])
    before, _ = parse_yaml_mapping(TEXT, "cohorts/q1.yml")
    after, found = parse_yaml_mapping(apply_plan(TEXT, plan), "cohorts/q1.yml")  # written as "fine \e[31m"
    assert before is not None and after is not None and len(found) == 1
    doc = imported_doc(before, after, plan, "answers.csv")
    assert [p.format() for p in located_parse_problems(found, after, doc)] == [
        "answers.csv:5: error: column 'Anything else?': 'comment': a control character (ESC) in text, written as an "
        "escape in quotes; it would reach pages, calendars and JSON as it is: remove it"]
    with pytest.raises(EditError, match="would not read back as written"):
        located_parse_problems([Problem("cohorts/q1.yml", 1, 1, "error", "odd")], after, doc)
