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
