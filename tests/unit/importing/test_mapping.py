"""Import mappings: checked with every problem located, answers compared as written."""

from __future__ import annotations

from rmsite.importing.answers import slug
from rmsite.importing.mapping import load_mapping


def mapping(tmp_path, text: str):
    file = tmp_path / "m.yml"
    file.write_text(text)
    return load_mapping(file, "imports/m.yml")


def test_answers_are_compared_as_the_file_writes_them_not_as_yaml_reads_them(tmp_path):
    found, problems = mapping(tmp_path, "kind: check-ins\ncohort: q1\ncolumns: {pair: P, by: B, stage: S, date: D,"
                                        " scores.trust: T}\nvalues:\n  scores: {Yes: 5, No: 1, ' Not  sure ': 3}\n"
                                        "  by: {01: mentor, Mentee: mentee}\n")
    assert problems == []
    assert found.values == {"scores": {"yes": 5, "no": 1, "not sure": 3}, "by": {"01": "mentor", "mentee": "mentee"}}


def test_every_problem_of_a_mapping_at_once(tmp_path):
    found, problems = mapping(tmp_path, "kind: sessions\ncohort: q1\ncolumns:\n  mentor: M\n  dte: D\n"
                                        "values:\n  level: {A: 1}\n  mentor: {X: null}\n")
    assert found is None
    assert [p.format() for p in problems] == [
        "imports/m.yml:5:3: error: 'dte' is not a field of a sessions import; the fields are pair, mentor, mentee, "
        "date, minutes, topics, outputs, notes, feedback_to_mentor, feedback_to_mentee (did you mean 'date'?)",
        "imports/m.yml:4:3: error: a sessions import needs a column for 'date'",
        "imports/m.yml:4:3: error: a sessions import needs a column for 'pair', or columns for 'mentor' and 'mentee'",
        "imports/m.yml:7:3: error: values are given for 'level', which columns does not map",
        "imports/m.yml:8:15: error: the answer 'X' has no value yet: write what it stands for in the cohort file",
    ]


def test_a_mapping_with_an_unknown_key_or_kind_is_an_error_at_it(tmp_path):
    _, problems = mapping(tmp_path, "kind: volunteers\ncolumns: {}\nsheet: x\n")
    assert sorted(p.format().split(": error: ")[0] for p in problems) == ["imports/m.yml:1:7", "imports/m.yml:3:1"]


def test_a_slug_is_the_name_in_plain_letters():
    assert slug("Ana Lima") == "ana-lima" and slug("Zoë Ødegård") == "zoe-odegard" and slug("  ") == "person"
    assert slug("Ζωή") == "person"
