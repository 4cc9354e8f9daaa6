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
    assert errors(check) and set(errors(check)) <= set(errors(build))  # build also finds it in the search index
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
