"""Loading: text decoding, YAML with marks, front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.source.files import load_yaml_file, parse_yaml, read_text, split_front_matter


def test_yaml_values_carry_their_line_and_column():
    doc, problems = parse_yaml("title: X\npeople:\n  - id: ana\n    level: 2\n", "c.yml")
    assert problems == []
    assert doc.loc(("people", 0, "level")).line == 4
    assert doc.loc(("people", 0, "level")).column == 12
    assert doc.loc(("people", 0, "id"), key=True).column == 5


def test_missing_key_path_falls_back_to_the_enclosing_value():
    doc, _ = parse_yaml("people:\n  - id: ana\n", "c.yml")
    assert doc.loc(("people", 0, "name")).line == 2


def test_duplicate_key_is_an_error_naming_the_first_line():
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "s.yml")
    assert [p.format() for p in problems] == [
        "s.yml:3:1: error: duplicate key 'a' (first given on line 1); keep one of the two"]


def test_bad_date_is_reported_at_the_value():
    _, problems = parse_yaml("due: 2027-02-30\n", "s.yml")
    assert len(problems) == 1
    assert problems[0].line == 1 and problems[0].column == 6
    assert problems[0].message == "'due': 2027-02-30 is not a date: February 2027 has 28 days"


def test_syntax_error_is_located_with_front_matter_offset():
    doc, problems = parse_yaml("title: [unclosed\n", "g.md", first_line=2)
    assert doc is None
    assert [p.format() for p in problems] == [
        "g.md:2:8: error: 'title': the '[' here is never closed; end the list with ']': title: [unclosed]"]


def test_billion_laughs_is_stopped_at_the_alias_that_crosses_the_bound():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        refs = ", ".join([f"*a{i-1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    doc, problems = parse_yaml("\n".join(lines) + "\n", "bomb.yml")
    assert doc is None
    assert [p.format() for p in problems] == [
        "bomb.yml:6:25: error: YAML expands to more than 500,000 values (too many aliases?); "
        "write the values out or split the file"]


def test_aliases_within_the_bound_are_expanded_and_located_where_used():
    doc, problems = parse_yaml("base: &b {level: 2}\none: *b\ntwo:\n  <<: *b\n  name: x\n", "s.yml")
    assert problems == []
    assert doc.data == {"base": {"level": 2}, "one": {"level": 2}, "two": {"level": 2, "name": "x"}}
    assert doc.loc(("one",)).line == 2 and doc.loc(("one",)).column == 6


def test_an_alias_inside_the_value_it_names_is_an_error():
    _, problems = parse_yaml("a: &x [1, *x]\n", "s.yml")
    assert [p.format() for p in problems] == [
        "s.yml:1:11: error: the alias '*x' is used inside the value it names"]


def test_deep_nesting_is_a_located_error_not_a_recursion_error():
    doc, problems = parse_yaml("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "s.yml", first_line=3)
    assert doc is None
    assert [p.format() for p in problems] == ["s.yml:3:53: error: values are nested more than 50 levels deep"]


def test_control_characters_are_located():
    _, problems = parse_yaml("title: ok\nname: a\x1bb\n", "s.yml")
    assert [p.format() for p in problems] == [
        "s.yml:2:8: error: the character U+001B is not allowed in YAML; remove it"]


def test_a_tab_used_to_indent_is_a_located_error():
    _, problems = parse_yaml("people:\n\t- id: ana\n", "s.yml")
    assert [p.format() for p in problems] == [
        "s.yml:2:1: error: a tab cannot be used to indent in YAML; indent this line with spaces"]


def test_invalid_utf8_is_located(tmp_path: Path):
    f = tmp_path / "s.yml"
    f.write_bytes(b"title: ok\nname: caf\xe9\n")
    text, problems = read_text(f, "s.yml")
    assert text is None
    assert problems[0].format().startswith("s.yml:2:10: error: invalid UTF-8")


def test_bom_and_crlf_are_normalised(tmp_path: Path):
    f = tmp_path / "s.yml"
    f.write_bytes(b"\xef\xbb\xbftitle: ok\r\nx: 1\r\n")
    text, problems = read_text(f, "s.yml")
    assert problems == [] and text.text == "title: ok\nx: 1\n"


def test_binary_file_is_refused(tmp_path: Path):
    f = tmp_path / "s.yml"
    f.write_bytes(b"ab\x00cd")
    _, problems = read_text(f, "s.yml")
    assert "binary" in problems[0].message


def test_empty_and_non_mapping_files_are_errors(tmp_path: Path):
    (tmp_path / "e.yml").write_text("")
    (tmp_path / "l.yml").write_text("- a\n- b\n")
    assert "empty" in load_yaml_file(tmp_path / "e.yml", "e.yml")[1][0].message
    assert "found a list" in load_yaml_file(tmp_path / "l.yml", "l.yml")[1][0].message
    assert "not found" in load_yaml_file(tmp_path / "x.yml", "x.yml")[1][0].message


def test_front_matter_keeps_line_numbers():
    fm, problems = split_front_matter("---\ntitle: A\n---\n# Body\n")
    assert problems == []
    assert fm.yaml_text == "title: A" and fm.yaml_first_line == 2
    assert fm.body == "# Body\n" and fm.body_first_line == 4


def test_control_character_is_located_at_its_line_and_column():
    doc, problems = parse_yaml("a: 1\nbb: x\x07y\n", "cohorts/x.yml")
    assert doc is None
    assert [p.format() for p in problems] == [
        "cohorts/x.yml:2:6: error: the character U+0007 is not allowed in YAML; remove it"]


def test_a_file_of_more_values_than_the_bound_stops_where_it_is_crossed(monkeypatch):
    import rmsite.source.yaml_marks
    monkeypatch.setattr(rmsite.source.yaml_marks, "MAX_YAML_NODES", 1000)  # the mechanism, without 500,000 values
    doc, problems = parse_yaml("a: [" + "1, " * 1000 + "1]\n", "big.yml")
    assert doc is None
    # the mapping, the key 'a' and the list are three values: the bound falls inside the list
    assert [p.format() for p in problems] == [
        f"big.yml:1:{5 + 3 * 997}: error: the file holds more than 1,000 values; split it into smaller files"]


@pytest.mark.parametrize("text", [
    "".join(f"k{i}: {i}\n" for i in range(600)),  # 601 values and 600 keys
    "people:\n" + "".join(f"  - id: p{i}\n" for i in range(400)),  # a long list of mappings
])
def test_keys_count_towards_the_bound(text: str, monkeypatch):
    from rmsite.source import yaml_marks as yamlmarks
    monkeypatch.setattr(yamlmarks, "MAX_YAML_NODES", 1000)
    whole = parse_yaml(text, "big.yml")
    assert whole[0] is None and "more than 1,000 values" in whole[1][0].message


PLAIN_SAMPLES = [
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: 2027-01-04\nf: '2027-01-04'\ng: \"x\\ty\"\nh: yes\ni: 0x1F\nj: 1e3\n",
    "k: .inf\nl: -.5\nm: null\nn:\no: []\np: {}\nq: [1, 'two', {r: 3}]\n",
    "s: |\n  block\n  text\nt: >\n  folded\n  text\nu: plain\n  continued\n",
    "1: number key\ntrue: bool key\n2027-01-04: date key\n'<<': quoted merge key\n",
    "- a\n- - nested\n  - list\n- {x: [y, {z: w}]}\n",
    "just a scalar",
    "# only a comment\nkey: value # and one after\n",
    "people:\n  - id: ana\n    level: 1\n    offers: [spreadsheets, 'customer calls']\n",
]


@pytest.mark.parametrize("text", PLAIN_SAMPLES)
def test_plain_documents_read_in_one_pass_match_the_composer(text: str, monkeypatch: pytest.MonkeyPatch):
    from rmsite.source import yaml_marks as yamlmarks
    fast = parse_yaml(text, "f.yml")
    assert yamlmarks.plain_document(text, 0) is not None  # these are plain
    monkeypatch.setattr(yamlmarks, "plain_document", lambda text, offset, depth=0: None)
    assert parse_yaml(text, "f.yml") == fast


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "a: 1\na: 2\n",
                                  "--- 1\n--- 2\n", "", "a: [1\n", "a: 2027-02-30\n", "? [a]\n: b\n"])
def test_documents_that_are_not_plain_go_to_the_composer(text: str):
    from rmsite.source import yaml_marks as yamlmarks
    assert yamlmarks.plain_document(text, 0) is None


def test_every_yaml_file_of_the_example_and_the_tests_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch):
    from rmsite.source import yaml_marks as yamlmarks
    root = Path(__file__).resolve().parents[3]  # the repository: the example and every test file
    files = [root / "site.yml", *sorted((root / "cohorts").glob("*.yml")), *sorted((root / "tests").rglob("*.yml"))]
    texts = [f.read_bytes().decode("utf-8", "replace") for f in files]
    fast = [parse_yaml(text, "f.yml") for text in texts]
    plain = sum(yamlmarks.plain_document(text, 0) is not None for text in texts)
    monkeypatch.setattr(yamlmarks, "plain_document", lambda text, offset, depth=0: None)
    assert [parse_yaml(text, "f.yml") for text in texts] == fast
    assert plain >= len(files) // 2, (plain, len(files))
