"""`rmsite check` runs the leak guard over what a build publishes as it is (guides and
static files), so check never says ok when build will fail on a private value."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main

from minimal import minimal_site

EMAIL = "ana.lima@example.org"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = minimal_site(tmp_path / "site")
    cohort = root / "cohorts/q1.yml"
    cohort.write_text(cohort.read_text().replace("    team: Support\n", f"    team: Support\n    email: {EMAIL}\n", 1))
    return root


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


@pytest.mark.parametrize("plant", ["guide", "static"])
def test_check_finds_the_leak_that_build_finds_with_the_same_message(site: Path, tmp_path: Path, plant: str):
    if plant == "guide":
        guide = site / "content/pairing.md"
        guide.write_text(guide.read_text() + f"\nWrite to {EMAIL} for help.\n")
    else:
        (site / "static").mkdir()
        (site / "static/contacts.yml").write_text(f"coordinator: {EMAIL}\n")
    check = CliRunner().invoke(main, ["check", "-s", str(site)])
    build = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert check.exit_code == build.exit_code == 1
    assert errors(check) and errors(check) == errors(build)  # once each: not again for the search index
    assert "private field 'email' of person 'ana'" in errors(check)[0]
    assert EMAIL not in check.output
    assert not (tmp_path / "out").exists()


def test_check_is_ok_when_nothing_private_is_published(site: Path):
    result = CliRunner().invoke(main, ["check", "-s", str(site)])
    assert result.exit_code == 0 and result.output.startswith("ok:")


NOTE = "Boris interrupts a lot, please listen"
PHONE = "+44 7700 900123"


@pytest.fixture
def private_site(site: Path) -> Path:
    cohort = site / "cohorts/q1.yml"
    text = cohort.read_text().replace("    team: Finance\n", f"    team: Finance\n    phone: \"{PHONE}\"\n", 1)
    cohort.write_text(text.replace("      - date: 2027-01-18\n", f"      - date: 2027-01-18\n        notes: {NOTE}\n", 1))
    return site


@pytest.mark.parametrize("quoted, field", [
    ("Boris interrupts a lot,\nplease listen", "notes"),  # hard-wrapped
    ("Boris *interrupts* a lot, please **listen**", "notes"),  # emphasis inside it
    ("Boris&nbsp;interrupts a lot,&nbsp;please listen", "notes"),
    ("Write to ana.lima&#64;example.org", "email"),
    ("[write](mailto:ana.lima%40example.org)", "email"),
    ("<ana.lima@example.org>", "email"),  # an email autolink, which Markdown writes as entities
    ("Call +447700900123", "phone"),  # without its spaces
    ("Call +44 7700-900-123", "phone"),
])
def test_a_private_value_quoted_in_a_guide_is_found_after_ordinary_markdown(
        private_site: Path, tmp_path: Path, quoted: str, field: str):
    guide = private_site / "content/pairing.md"
    guide.write_text(guide.read_text() + f"\n{quoted}\n")
    for command in (["check"], ["build", "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(main, [*command, "-s", str(private_site)])
        assert result.exit_code == 1, result.output
        assert any(f"private field '{field}'" in line and "pairing/index.html" in line for line in errors(result))
    assert not (tmp_path / "out").exists()


def test_an_email_autolink_that_is_not_private_builds(site: Path, tmp_path: Path):
    guide = site / "content/pairing.md"
    guide.write_text(guide.read_text() + "\nWrite to <mentoring@example.org>.\n")
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_a_find_is_located_at_the_line_and_column_of_the_guide_that_has_it(site: Path, tmp_path: Path):
    guide = site / "content/pairing.md"
    lines = len(guide.read_text().splitlines())
    guide.write_text(guide.read_text() + "\nWrite to ana.lima&#64;example.org for help.\n")
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert errors(result) == [
        f"content/pairing.md:{lines + 2}:10: error: private field 'email' of person 'ana' (cohorts/q1.yml:10) "
        "appears in the output file pairing/index.html; remove it from content/pairing.md, or list 'email' "
        "under privacy.publish in site.yml to publish it"]


def test_a_value_written_into_a_template_is_one_error_at_the_template(site: Path, tmp_path: Path):
    from rmsite.output.render import THEME_TEMPLATES
    base = (THEME_TEMPLATES / "base.html").read_text()
    line = base[:base.index("</body>")].count("\n") + 1
    column = base.index("</body>") - base[:base.index("</body>")].rfind("\n")
    (site / "templates").mkdir()
    (site / "templates/base.html").write_text(base.replace("</body>", f"{EMAIL}</body>"))
    expected = [f"templates/base.html:{line}:{column}: error: private field 'email' of person 'ana' "
                "(cohorts/q1.yml:10) appears in templates/base.html, which pages are made from; remove it, "
                "or list 'email' under privacy.publish in site.yml to publish it"]
    check = CliRunner().invoke(main, ["check", "-s", str(site)])
    build = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert errors(check) == errors(build) == expected  # not once per page made from it
    assert check.exit_code == build.exit_code == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("note", ["Meetings", "Better", "on track"])
def test_a_private_value_that_is_one_of_the_themes_own_words_is_no_false_alarm(site: Path, tmp_path: Path,
                                                                               note: str):
    cohort = site / "cohorts/q1.yml"
    cohort.write_text(cohort.read_text().replace("      - date: 2027-01-18\n",
                                                 f"      - date: 2027-01-18\n        notes: {note}\n", 1))
    guide = site / "content/pairing.md"
    guide.write_text(guide.read_text() + f"\n## {note}\n")  # it tells nothing about anyone
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("quoted, found", [("He was grumpy.", True), ("Grumpy cat", True),
                                           ("grumpyish moods", False), ("ungrumpy", False)])
def test_a_short_value_is_looked_for_as_a_whole_word(site: Path, tmp_path: Path, quoted: str, found: bool):
    cohort = site / "cohorts/q1.yml"
    cohort.write_text(cohort.read_text().replace("      - date: 2027-01-18\n",
                                                 "      - date: 2027-01-18\n        notes: Grumpy\n", 1))
    guide = site / "content/pairing.md"
    guide.write_text(guide.read_text() + f"\n{quoted}\n")
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == (1 if found else 0), result.output
    assert ("private field 'notes'" in result.output) is found and "rumpy" not in result.output
