"""YAML syntax errors in plain words: where the problem starts, and what to write instead,
with both of PyYAML's parsers (libyaml's and its own), which word their errors differently."""

from __future__ import annotations

import pytest
import yaml

from rmsite.source import yaml_errors, yaml_marks
from rmsite.source.yaml_lines import as_value, is_private_line, levels_above, quoted
from rmsite.source.yaml_marks import parse_yaml

# text, the message, and for a message that shows the fixed line, the value it gives
CASES = [
    ("name: x\ntitle: Fernhill: Reverse Mentoring\n",
     "f.yml:2:16: error: 'title': a colon followed by a space inside text starts a new key in YAML; put the whole "
     "value in quotes: title: \"Fernhill: Reverse Mentoring\"", "Fernhill: Reverse Mentoring"),
    ("- title: a: b\n",
     "f.yml:1:11: error: 'title': a colon followed by a space inside text starts a new key in YAML; put the whole "
     "value in quotes: - title: \"a: b\"", "a: b"),
    ("bio: Works in support\n  and likes: tea  # a comment\n",
     "f.yml:1:6: error: 'bio': the text here runs on to line 2, where a colon followed by a space starts a new key "
     "in YAML; put the whole value in quotes: bio: \"Works in support and likes: tea\"",
     "Works in support and likes: tea"),
    ("people:\n  - id: a\n    name: b\n     team: c\n",
     "f.yml:4:6: error: 'team' is indented more than 'name' on line 3, so YAML reads it as more of the value of "
     "'name'; indent it 4 spaces, as 'name'", None),
    ("offers: [a, b\nwants: [c]\n",
     "f.yml:1:9: error: 'offers': the '[' here is never closed; end the list with ']': offers: [a, b]", ["a", "b"]),
    ("focus: [[a, b]  # two\nx: 1\n",
     "f.yml:1:8: error: 'focus': the '[' here is never closed; end the list with ']': focus: [[a, b]]", [["a", "b"]]),
    ("done: {a: 2027-01-01\nwants: [c]\n",
     "f.yml:1:7: error: 'done': the '{' here is never closed; end the mapping with '}': done: {a: 2027-01-01}", None),
    ("focus: [a, b: c: d]\n",
     "f.yml:1:16: error: 'focus': this list in brackets cannot be read from here: separate its items with commas, "
     "and put an item in quotes if it holds a colon, a comma, a bracket or a quote", None),
    ("offers: [a, b]]\n",
     "f.yml:1:15: error: 'offers': a ']' here closes nothing; remove it: offers: [a, b]", ["a", "b"]),
    ('title: "Fernhill\nb: 1\n',
     "f.yml:1:8: error: 'title': the opening \" here is never closed; end the text with \" on this line: "
     "title: \"Fernhill\"", "Fernhill"),
    ('a: 1\ntitle: "Fernhill\nb: 1\nc: "x"\n',
     "f.yml:2:8: error: 'title': the opening \" here is not closed on its line, so YAML reads the lines below as "
     "text up to the next \" (line 4); end the text with \" on this line: title: \"Fernhill\"", "Fernhill"),
    ("title: 'Ana's team'\n",
     "f.yml:1:8: error: 'title': text follows the closing ' of the quoted value (inside single quotes, a ' is "
     "written ''); put the whole value in quotes: title: \"Ana's team\"", "Ana's team"),
    ('title: "Fernhill" mentoring\n',
     "f.yml:1:8: error: 'title': text follows the closing \" of the quoted value; put the whole value in quotes: "
     "title: '\"Fernhill\" mentoring'", '"Fernhill" mentoring'),
    ('path: "C:\\Users\\ana"\n',
     "f.yml:1:7: error: 'path': in double quotes a backslash starts an escape such as \\n; for a backslash itself, "
     "use single quotes: path: 'C:\\Users\\ana'", "C:\\Users\\ana"),
    ("a:\n    b: 1\n  c: 2\n",
     "f.yml:3:3: error: 'c' is indented 2 spaces, which lines it up with no key above; indent it as the key it "
     "belongs with: 4 spaces, as 'b' (line 2) or 0 spaces, as 'a' (line 1)", None),
    ("pairs:\n  - mentor: ana\n    mentee: boris\n  focus: [x]\n",
     "f.yml:4:3: error: 'focus' is indented as the '-' on line 2, where only a new list item can start; to make it "
     "part of that item, indent it 4 spaces, as 'mentee' (line 3); to start a new item, begin it with '- '", None),
    ("people:\n  - id: a\n    name: b\n   - id: c\n",
     "f.yml:4:4: error: this '-' is indented 3 spaces, but the '-' on line 2 is indented 2 spaces: line them up to "
     "make this an item of that list", None),
    ("people:\n  - id: a\n    - name: b\n",
     "f.yml:3:5: error: a '-' starts a list item, but 'id' on line 2, indented the same, is a key: to make 'name' a "
     "key beside it, remove the '-': name: b; to start a new list item, line the '-' up with the one on line 2 "
     "(2 spaces)", None),
    ("a: 1\n- b\n",
     "f.yml:2:1: error: a '-' starts a list item, but 'a' on line 1, indented the same, is a key: a list goes under "
     "its key, indented more than the key", None),
    ("offers: - a\n",
     "f.yml:1:9: error: 'offers': a list cannot start on the line of its key: write offers: [a], or each '- ' item "
     "on a line of its own below 'offers:'; for text that starts with '-', put it in quotes", None),
    ("people:\n\t- id: ana\n", "f.yml:2:1: error: a tab cannot be used to indent in YAML; indent this line with spaces",
     None),
    ("team: @support\n",
     "f.yml:1:7: error: 'team': text cannot start with '@' in YAML; put the whole value in quotes: team: \"@support\"",
     "@support"),
    ("title: `rmsite`\n",
     "f.yml:1:8: error: 'title': text cannot start with '`' in YAML; put the whole value in quotes: "
     "title: \"`rmsite`\"", "`rmsite`"),
    ("title: *Important* thing\n",
     "f.yml:1:8: error: 'title': YAML reads a value that starts with '*' as a reference to an anchor; put the whole "
     "value in quotes: title: \"*Important* thing\"", "*Important* thing"),
    ("title: > 5 years\n",
     "f.yml:1:8: error: 'title': YAML reads a value that starts with '>' as the start of a block of text on the "
     "lines below; put the whole value in quotes: title: \"> 5 years\"", "> 5 years"),
    ("a: 1\ntarget:10\nb: 2\n",
     "f.yml:2:1: error: 'target': a key needs a space after its colon; write target: 10", 10),
    ("people:\n  - id:a\n    level: 5\n",
     "f.yml:2:5: error: 'id': a key needs a space after its colon; write id: a", "a"),
    ("people:\n  - id: a\n    name Boris Petrov\n    level: 5\n",
     "f.yml:3:5: error: this line has no ':' after a key: write it as key: value (did you mean name: Boris Petrov?), "
     "or, if it is more of the text above, indent it more than that text's key", None),
    ("team: *support\n",
     "f.yml:1:7: error: 'team': '*support' refers to an anchor '&support' that is not defined; for text that starts "
     "with '*', put the whole value in quotes: team: \"*support\"", "*support"),
]

PRIVATE = [  # the same slips in private fields: the message never shows the line
    ("people:\n  - id: a\n    email: @ana\n",
     "f.yml:3:12: error: 'email': text cannot start with '@' in YAML; put the whole value in quotes"),
    ("sessions:\n  - date: 2027-01-04\n    notes: Boris asked: why\n",
     "f.yml:3:23: error: 'notes': a colon followed by a space inside text starts a new key in YAML; put the whole "
     "value in quotes"),
    ("feedback:\n  to_mentor: Thanks: a lot\n",
     "f.yml:2:20: error: 'to_mentor': a colon followed by a space inside text starts a new key in YAML; put the "
     "whole value in quotes"),
    ("notes: Works well\n  and: says ok: yes\n",
     "f.yml:2:3: error: the key on line 2 is indented more than 'notes' on line 1, so YAML reads it as more of the "
     "value of 'notes'; indent it 0 spaces, as 'notes'"),
    ("sessions:\n  - notes: |\n      Thanks: a lot\n     x: 1\n",
     "f.yml:4:6: error: the key on line 4 is indented 5 spaces, which lines it up with no key above; indent it as "
     "the key it belongs with: 6 spaces, as the key on line 3 or 4 spaces, as 'notes' (line 2)"),
    ('notes: "Ana said\nb: 1\n',
     "f.yml:1:8: error: 'notes': the opening \" here is never closed; end the text with \" on this line"),
    ("a:\n  comment: [x, Boris\n",
     "f.yml:2:12: error: 'comment': the '[' here is never closed; end the list with ']'"),
    ("email:ana@example.org\nb: 1\n",
     "f.yml:1:1: error: 'email': a key needs a space after its colon; write 'email: ' and the value"),
    ("notes: *Boris\n",
     "f.yml:1:8: error: 'notes': a value that starts with '*' refers to an anchor that is not defined; for text that "
     "starts with '*', put the whole value in quotes"),
    ("a: &x 1\nnotes: &x Boris\n",
     "f.yml:2:8: error: duplicate anchor (first given on line 1); give each anchor its own name"),
    ("email: 'ana's'\n",
     "f.yml:1:8: error: 'email': text follows the closing ' of the quoted value (inside single quotes, a ' is "
     "written ''); put the whole value in quotes"),
]


@pytest.fixture(params=["libyaml", "pyyaml"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each case with libyaml's parser, and with PyYAML's own (as without libyaml)."""
    if request.param == "pyyaml":
        monkeypatch.setattr(yaml_marks, "_Loader", yaml_marks._PyLoader)
        monkeypatch.setattr(yaml_marks, "HAVE_LIBYAML", False)
        monkeypatch.setattr(yaml_errors, "PARSER", yaml.SafeLoader)
    return str(request.param)


@pytest.mark.parametrize(("text", "message", "value"), CASES, ids=[c[0].split("\n")[0][:30] for c in CASES])
def test_a_syntax_error_says_what_happened_where_it_starts_and_what_to_write(parser: str, text: str, message: str,
                                                                            value: object):
    doc, problems = parse_yaml(text, "f.yml")
    assert doc is None
    assert [p.format() for p in problems] == [message]


@pytest.mark.parametrize(("text", "message", "value"), [c for c in CASES if c[2] is not None],
                         ids=[c[0].split("\n")[0][:30] for c in CASES if c[2] is not None])
def test_the_fixed_line_a_message_shows_is_yaml_for_the_value_meant(text: str, message: str, value: object):
    key = message.split("error: '", 1)[1].split("'", 1)[0]
    at, lead = max((message.rfind(f"{lead}{key}: "), lead) for lead in (": ", ": - ", "write "))
    fixed = message[at + len(lead) - 2 * (lead == ": - "):]  # the message's end: the line, fixed
    data = yaml.safe_load(fixed)
    assert (data[0] if isinstance(data, list) else data)[key] == value


@pytest.mark.parametrize(("text", "message"), PRIVATE, ids=[c[0].split("\n")[-2][:30] for c in PRIVATE])
def test_a_line_that_may_hold_a_private_value_is_never_shown(parser: str, text: str, message: str):
    _, problems = parse_yaml(text, "f.yml")
    assert [p.format() for p in problems] == [message]
    private = [line.split(":", 1)[1].strip() for line in text.split("\n")
               if any(key in line for key in ("email", "notes", "to_mentor", "comment"))]
    assert not any(value and value in message for value in private)
    assert not any(word in message for word in ("Thanks", "Boris", "ana@", "@ana", "Works", "ana's"))


def test_a_private_key_on_the_line_or_on_a_line_it_belongs_to_makes_it_private():
    lines = ["people:", "  - id: a", "    email: x", "feedback:", "  to_mentor: |", "    Thanks: a lot",
             "    and: more", "name: x", "done: {a: 1, notes: x}"]
    assert [is_private_line(lines, i) for i in range(len(lines))] == [
        False, False, True, True, True, True, True, False, True]
    assert is_private_line(lines, 99)  # a line not in the text: not shown


def test_the_levels_above_a_line_are_the_keys_and_dashes_still_open_there():
    lines = ["people:", "  - id: a", "    name: b", "", "    # a comment", "   team: c"]
    assert [(level.column, level.dash, level.name, level.line) for level in levels_above(lines, 5)] == [
        (4, False, "name", 2), (2, True, "-", 1), (0, False, "people", 0)]


def test_text_is_written_back_as_the_same_value():
    for text in ["plain", "Fernhill: Reverse", "yes", "2027-01-01", "@ana", "a #b", 'say "hi"', "C:\\x", "it's"]:
        assert yaml.safe_load(f"k: {as_value(text)}")["k"] == text
        assert yaml.safe_load(f"k: {quoted(text)}")["k"] == text
    assert as_value("customer chat", flow=True) == "customer chat"
    assert as_value("a [b]", flow=True) == '"a [b]"'


def test_an_error_the_explanations_do_not_cover_keeps_the_parsers_words():
    _, problems = parse_yaml("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "f.yml")
    assert [p.message.startswith("invalid YAML: ") for p in problems] == [True]
