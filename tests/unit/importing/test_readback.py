"""The edited file read back for its data alone: the same data as rmsite's own plain reading
whenever it reads a text at all, and nothing for a text that reading would not take."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rmsite.importing.readback import plain_data
from rmsite.source import yaml_marks
from rmsite.source.yaml_marks import plain_document

REPO = Path(__file__).resolve().parents[3]


def reads_as_rmsite_does(text: str) -> None:
    mine = plain_data(text)
    theirs = plain_document(text, 0) if not yaml_marks.NOT_YAML_TEXT.search(text) else None
    if theirs is None or not isinstance(theirs[0], dict):
        assert mine is None
    else:
        assert repr(mine) == repr(theirs[0])  # the same values of the same types (1, 1.0 and True are equal)


@pytest.mark.parametrize("text", [
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: 2027-01-04\nf: '2027-01-04'\ng: \"x\\ty\"\nh: yes\ni: 0x1F\nj: 1e3\n",
    "k: .inf\nl: -.5\nm: null\nn:\no: []\np: {}\nq: [1, 'two', {r: 3}]\n",
    "s: |\n  block\n  text\nt: >\n  folded\n  text\nu: plain\n  continued\n",
    "1: number key\ntrue: bool key\n2027-01-04: date key\n'<<': quoted merge key\n",
    "people:\n  - id: ana\n    level: 1\n    offers: [spreadsheets, 'customer calls']\n",
    "just a scalar", "- a\n- b\n", "", "# a comment only\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "--- 1\n--- 2\n", "a: [1\n",
    "a: 2027-02-30\n", "? [a]\n: b\n", "a: \"bell \\a\"\n", "a: \"tab \\t ok\"\n", "a: b\x07c\n",
    "a: 2027-01-04 10:30:00\n", "a: 12345678901234567890\n",
])
def test_a_text_reads_as_rmsites_own_plain_reading_or_not_at_all(text: str):
    reads_as_rmsite_does(text)


def test_every_yaml_file_of_the_example_and_the_tests_reads_as_rmsite_does():
    files = [REPO / "site.yml", *sorted((REPO / "cohorts").glob("*.yml")), *sorted((REPO / "tests").rglob("*.yml"))]
    for file in files:
        reads_as_rmsite_does(file.read_bytes().decode("utf-8", "replace"))


def test_past_the_bounds_it_reads_nothing(monkeypatch):
    import rmsite.importing.readback as readback
    monkeypatch.setattr(readback, "MAX_YAML_NODES", 10)
    assert plain_data("".join(f"k{i}: {i}\n" for i in range(6))) is None  # 12 values, keys counted
    monkeypatch.setattr(readback, "MAX_YAML_DEPTH", 3)
    assert plain_data("a: {b: {c: {d: 1}}}\n") is None
    assert plain_data("a: {b: 1}\n") == {"a": {"b": 1}}


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.text(max_size=12),
                    st.sampled_from(["yes", "No", "on", "~", "null", "2027-01-04", "1e3", "0x1F", "<<", "a: b", "#x"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), DATA, max_size=5), st.sampled_from([None, False, True]))
def test_any_mapping_as_pyyaml_writes_it_reads_as_rmsite_does(data, flow):
    reads_as_rmsite_does(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False))
