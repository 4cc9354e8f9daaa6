"""End-to-end builds into tmp_path, asserting on the files written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rmsite.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_example_programme_builds_every_page_of_the_url_table(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("build", "--source", str(example), "--output", str(out))
    assert result.exit_code == 0, result.output
    for rel in ["index.html", "404.html", "sitemap.xml", "cohorts/index.html",
                "cohorts/2026-pilot/index.html", "cohorts/2026-autumn/index.html",
                "cohorts/2026-autumn/progress.json", "pairing/index.html",
                "for-mentors/first-meeting/index.html"]:
        assert (out / rel).is_file(), rel
    data = json.loads((out / "cohorts/2026-autumn/progress.json").read_text())
    assert data["cohort"] == "2026-autumn" and data["as_of"] == "2026-11-20"
    pair = data["pairs"][0]
    assert set(pair) == {"id", "mentor", "mentee", "meetings", "checklist", "goals", "check_in_change"}
    assert (out / f"cohorts/2026-autumn/{pair['id']}/index.html").is_file()


def test_example_programme_checks_clean_in_strict_mode(example: Path):
    result = run("check", "--source", str(example), "--strict")
    assert result.exit_code == 0, result.output
    assert "ok: 2 cohorts" in result.output
