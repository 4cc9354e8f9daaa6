"""Re-reading a YAML file item by item (yamlchunks.py) must give exactly what reading
it whole gives: the same data, marks and problems, whatever the memo holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from rmsite.source.yaml_marks import parse_yaml
from rmsite.source.yamlchunks import parse_yaml_lists, split_lists

from mutations import BUDGET, FILES, mutations

REPO = Path(__file__).resolve().parents[3]

LAYOUTS = {
    "indented": "name: A\npeople:\n  - id: a\n    level: 1\n  - id: b\n    level: 5\npairs:\n  - mentor: a\n    mentee: b\n",
    "indentless": "people:\n- id: a\n  offers: [x, y]\n- id: b\nends: 2027-01-01\n",
    "comments and blank lines": "# top\npeople:\n  # first\n  - id: a\n\n# between, at the margin\n  - id: b # after\n\n"
                                "name: x\n",
    "block scalars in items": "people:\n  - id: a\n    bio: |\n      line one\n\n      line three\n  - id: b\n    bio: >\n"
                              "      folded\n      text\n",
    "a flow list over lines": "pairs:\n  - focus: [one,\n      two]\n    id: p\n",
    "lists of scalars and lists": "tags:\n  - one\n  - 2\n  - - nested\n    - list\n  -\n  - 2027-01-04\n",
    "a list at the end, no newline": "a: 1\npairs:\n  - id: x",
    "an empty flow list": "pairs: []\npeople:\n  - id: a\n",
    "a key repeated inside an item": "people:\n  - id: a\n    id: b\n",
    "a key repeated at the top": "people:\n  - id: a\npeople:\n  - id: b\n",
    "a tab in an item": "people:\n  - id: a\n\t  level: 1\n",
    "an alias across items": "people:\n  - &a {id: a}\n  - *a\n",
    "a shallower line inside": "people:\n    - id: a\n  level: 2\n",
    "a second document": "people:\n  - id: a\n---\nx: 1\n",
    "not a mapping": "- a\n- b\n",
    "a quoted value holding a list's key": 'a: "x\npairs:\n- b\nc"\npairs:\n',
    "a quoted value holding a list": 'a: "x\npairs:\n- b\nc"\npairs:\n- id: q\n',
    "a single-quoted value holding a list": "a: 'x\npeople:\n- b\nc'\npeople:\n  - id: q\n  - id: r\n",
    "a flow value holding a list": "a: [x,\npairs:\n- b\n]\npairs:\n- id: q\n",
    "a line separator": 'a: "x\u2028y"\npeople:\n  - id: a\n  - id: b\n',
    "a paragraph separator in an item": 'people:\n  - id: "a\u2029b"\n  - id: b\n    level: x\n',
    "a next-line character": 'a: "x\u0085y"\npeople:\n  - id: a\n  - id: b\n',
}


def same_both_ways(text: str, memo: dict[str, Any] | None = None) -> None:
    assert parse_yaml_lists(text, "f.yml", {} if memo is None else memo) == parse_yaml(text, "f.yml")


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_each_layout_reads_as_it_does_whole(text: str):
    same_both_ways(text)


def test_the_plain_layouts_are_read_item_by_item():
    for name in ("indented", "indentless", "comments and blank lines", "block scalars in items",
                 "a flow list over lines", "lists of scalars and lists", "a list at the end, no newline"):
        assert split_lists(LAYOUTS[name]) is not None, name


def test_every_yaml_file_of_the_example_and_the_tests_reads_as_it_does_whole():
    files = [REPO / "site.yml", *sorted((REPO / "cohorts").glob("*.yml")), *sorted((REPO / "tests").rglob("*.yml"))]
    for file in files:
        same_both_ways(file.read_bytes().decode("utf-8", "replace"))


def test_an_edit_reparses_only_the_item_it_touched_and_reads_as_whole(monkeypatch: pytest.MonkeyPatch):
    from rmsite.source import yamlchunks
    text = (REPO / "cohorts/2026-autumn.yml").read_text(encoding="utf-8")
    memo: dict[str, Any] = {}
    same_both_ways(text, memo)
    assert len(memo) > 10
    parsed: list[str] = []
    real = yamlchunks.plain_document
    monkeypatch.setattr(yamlchunks, "plain_document",
                        lambda text, offset, depth=0: parsed.append(text) or real(text, offset, depth))
    edited = text.replace("name: Aisha Rahman", "name: Aisha Rahman-Jones\n    team: Claims (night shift)", 1)
    same_both_ways(edited, memo)
    assert len(parsed) == 2 and "Aisha Rahman-Jones" in parsed[1]  # the rest of the file, and one item


@settings(BUDGET, max_examples=200)
@given(mutations())
def test_a_mutated_file_reads_as_it_does_whole_with_the_memo_of_the_original(change: tuple[str, str]):
    rel, text = change
    if rel.endswith(".yml"):
        memo: dict[str, Any] = {}
        parse_yaml_lists(FILES[rel].lstrip("\n"), "f.yml", memo)  # the text mutations() started from
        same_both_ways(text, memo)
