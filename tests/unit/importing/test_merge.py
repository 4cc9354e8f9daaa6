"""Items held against the cohort file: an answer's session or check-in is found among the
pair's by its identity, as `same` compares a row's values with the file's."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rmsite.importing.answers import CohortIndex, entry_identity
from rmsite.importing.merge import same

DAY = dt.date(2027, 3, 1)
# what a file may hold under date, by and stage, valid or not; a row gives a date and two words
FILE_VALUES = st.one_of(st.none(), st.sampled_from([DAY, dt.date(2027, 3, 2), dt.datetime(2027, 3, 1, 9, 0), "2027-03-01",
                                                    " 2027-03-01", "mentor", " mentor ", "during", "Mentor", 3, True,
                                                    ["mentor"]]))
ROW = st.fixed_dictionaries({"date": st.sampled_from([DAY, dt.date(2027, 3, 2)]),
                             "by": st.sampled_from(["mentor", "mentee"]), "stage": st.sampled_from(["during", "after"])})


@given(st.fixed_dictionaries({"date": FILE_VALUES, "by": FILE_VALUES, "stage": FILE_VALUES}), ROW)
def test_a_check_in_has_the_identity_of_a_row_exactly_when_same_says_so(entry, row):
    alike = all(same(entry[key], row[key]) for key in ("by", "stage", "date"))
    assert (entry_identity("check-in", entry) == entry_identity("check-in", row)) is alike
    assert (entry_identity("session", entry) == entry_identity("session", row)) is same(entry["date"], row["date"])


def test_the_first_of_two_alike_entries_is_found():
    pair = {"mentor": "ana", "mentee": "bo", "check_ins": [
        {"stage": "during", "date": DAY, "by": "mentor"}, "not a mapping",
        {"stage": "during", "date": DAY, "by": "mentee"}, {"stage": " during", "date": DAY, "by": "mentee"}]}
    index = CohortIndex.of({"people": [], "pairs": [pair]}).entry_index(0, "check_ins")
    assert index[entry_identity("check-in", {"stage": "during", "date": DAY, "by": "mentee"})] == 2
    assert CohortIndex.of({"pairs": [{"sessions": None}]}).entry_index(0, "sessions") == {}
