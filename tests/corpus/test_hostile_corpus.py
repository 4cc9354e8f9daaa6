"""The hostile corpus: tests/corpus/hostile/<case>/ holds what a careless or hostile user
puts in a programme (see hostile/README.md). Each case is the minimal site with a private
value in every private field (hostile/private-cohort.yml), the case's files written over
it, and:

- `expected.txt`: every problem line the command must print, in order (as for the
  invalid corpus; `re:` lines are regular expressions, `N × LINE` is N such lines, and
  any other line must be printed too); no error line means the command must succeed;
- `command` (optional): `build` (the default) or `check`;
- `links` (optional): symbolic links to make, one `PATH -> TARGET` a line;
- `moves` (optional): files to rename once written, one `PATH -> NEW PATH` a line (for
  names a repository should not hold, such as `javascript:alert(1).md`);
- `absent.txt` (optional): text that must appear in no file of a built site, one a line,
  with Python escapes (`\\r`).

Whatever the case, the run prints nothing unlocated and no traceback, and no private value
of the case's cohort files, as written, appears in what it prints or, after a build, in any
file of the site (an oracle of its own, not the leak guard); a built site holds no control
character (but tab and line breaks) and no lone CR; a failed build writes nothing."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from corpus.cases import CASE_FILES, OTHER_LINES, PROBLEM, SUMMARY, expected_lines, make_site, matches, tree
from rmsite.cli import main

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
PRIVATE = ("email", "phone", "notes", "comment", "to_mentor", "to_mentee")
THEME_WORDS = {"meetings", "better"}  # private values the theme itself says: not leaks (docs/privacy.md)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")


def private_values(site: Path) -> set[str]:
    """Every value of a private field in the site's cohort files, read with YAML alone."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in PRIVATE and isinstance(value, str | int):
                    found.add(str(value).strip())
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    for cohort in sorted((site / "cohorts").glob("*.yml")):
        try:
            walk(yaml.safe_load(cohort.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
            continue  # a case of broken YAML: its values are those of the text the case names
    return {value for value in found if len(value) >= 6}


def appears(value: str, text: str) -> bool:
    """Whether a private value is in a text as written, ignoring case; a short one (under
    eight characters) as a whole word only, as docs/privacy.md says."""
    if len(value) >= 8:
        return value.casefold() in text.casefold()
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


def pairs(case: Path, name: str) -> list[tuple[str, str]]:
    """The `A -> B` lines of a case's file `name`."""
    lines = (case / name).read_text(encoding="utf-8").splitlines() if (case / name).is_file() else []
    return [(a.strip(), b.strip()) for a, b in (line.split("->", 1) for line in lines
                                                if "->" in line and not line.startswith("#"))]


def finish_site(case: Path, site: Path) -> None:
    for path, target in pairs(case, "links"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).symlink_to(target)
    for path, new in pairs(case, "moves"):
        (site / path).rename(site / new)


def expanded(lines: list[str]) -> list[str]:
    """Expected lines, with `N × LINE` standing for N such lines."""
    out: list[str] = []
    for line in lines:
        count, times, rest = line.partition(" × ")
        out += [rest] * int(count) if times and count.isdigit() else [line]
    return out


def test_the_corpus_has_its_cases():
    assert len(CASES) >= 25
    assert [c for c in CASES if not (CORPUS / c / "expected.txt").is_file()] == []


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_case_holds(name: str, tmp_path: Path):
    case = CORPUS / name
    site = make_site(case, tmp_path, (*CASE_FILES, "links", "moves", "absent.txt"),
                     cohorts__q1_yml=(CORPUS / "private-cohort.yml").read_text(encoding="utf-8"))
    finish_site(case, site)
    command = (case / "command").read_text().strip() if (case / "command").is_file() else "build"
    out = tmp_path / "out"
    before = tree(tmp_path)
    result = CliRunner().invoke(main, [command, "-s", str(site)] + (["-o", str(out)] if command == "build" else []))
    printed = result.output.splitlines()
    assert "Traceback" not in result.output and result.exit_code != 3, result.output
    assert [line for line in printed if not PROBLEM.match(line) and not SUMMARY.match(line)
            and not line.startswith(OTHER_LINES) and not line.startswith("… and ")] == [], result.output
    problems = [line for line in printed if PROBLEM.match(line)]
    expected = [line for line in expanded(expected_lines(case)) if line.startswith("re:") or PROBLEM.match(line)]
    assert [line for line in expected_lines(case) if line not in expected and " × " not in line
            and line not in printed] == []  # a line besides the problems, such as "… and 50 more"
    assert len(problems) == len(expected) and all(map(matches, expected, problems)), (
        "printed:\n" + "\n".join(problems) + "\nexpected:\n" + "\n".join(expected))
    errors = any(" error: " in line for line in problems)
    assert result.exit_code == (1 if errors else 0), result.output
    values = private_values(site)
    assert [v for v in values if v.casefold() in result.output.casefold()] == []  # never in a message
    if command != "build":
        return
    if errors:
        assert tree(tmp_path) == before and not out.exists()  # nothing written, nothing deleted
        return
    absent = [codecs.decode(line, "unicode_escape") for line in
              ((case / "absent.txt").read_text(encoding="utf-8").splitlines() if (case / "absent.txt").is_file() else ())
              if line and not line.startswith("#")]
    for file in sorted(p for p in out.rglob("*") if p.is_file()):
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # an image
        rel = file.relative_to(out).as_posix()
        assert [v for v in values if v.casefold() not in THEME_WORDS and appears(v, text)] == [], rel
        assert CONTROL.search(text.replace("\r\n", "\n")) is None, rel
        assert [a for a in absent if a in text] == [], rel
