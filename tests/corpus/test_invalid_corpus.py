"""The corpus of bad input: tests/corpus/invalid/<case>/ holds the files that replace
or join the minimal site (tests/minimal.py), an `expected.txt` with every line
rmsite must print for it, and, for cases only a build can find, a `command`
file saying `build`.

expected.txt: one problem line per line, exactly as printed; a line starting
with `re:` is a regular expression the printed line must match in full;
lines starting with `#` are comments. The run must print exactly these
problem lines in this order, nothing unlocated, no traceback, exit 1 when
one of them is an error (0 when all are warnings), and leave every file it
was given as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.cases import OTHER_LINES, PROBLEM, SUMMARY, expected_lines, make_site, matches, tree
from rmsite.cli import main

CORPUS = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_every_case_has_an_expected_file():
    assert len(CASES) >= 60
    assert [c for c in CASES if not (CORPUS / c / "expected.txt").is_file()] == []


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_located_messages_and_nothing_else(name: str, tmp_path: Path):
    case = CORPUS / name
    site = make_site(case, tmp_path)
    command = (case / "command").read_text().strip() if (case / "command").is_file() else "check"
    before = tree(tmp_path)
    result = CliRunner().invoke(main, [command, "-s", str(site)])
    printed = result.output.splitlines()
    assert "Traceback" not in result.output and result.exit_code != 3, result.output
    unlocated = [line for line in printed
                 if not PROBLEM.match(line) and not SUMMARY.match(line) and not line.startswith(OTHER_LINES)]
    assert unlocated == [], result.output
    problems = [line for line in printed if PROBLEM.match(line)]
    expected = expected_lines(case)
    assert len(problems) == len(expected) and all(map(matches, expected, problems)), (
        "printed:\n" + "\n".join(problems) + "\nexpected:\n" + "\n".join(expected))
    errors = any(" error: " in line for line in problems)
    assert result.exit_code == (1 if errors else 0), result.output
    if command == "build" and errors:
        assert tree(tmp_path) == before  # nothing written, nothing deleted
