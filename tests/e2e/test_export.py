"""rmsite export: the CSV matches progress.json, names each cohort and person, rounds its
figures, exports every cohort with --all and carries no private fields."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.export import fixed, percent

COHORTS = ("2026-autumn", "2026-pilot")
PRIVATE_KEYS = {"email", "phone", "notes", "feedback", "comment", "status_reason"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export_rows(example: Path, *args: str) -> list[dict[str, str]]:
    result = run("export", *args, "-s", str(example))
    assert result.exit_code == 0, result.output
    return rows_of(result.stdout)


def cohort_data(example: Path, cohort: str) -> dict[str, Any]:
    return yaml.safe_load((example / f"cohorts/{cohort}.yml").read_text(encoding="utf-8"))


def private_values(node: Any, private: bool = False) -> list[str]:
    """Every text under a private key of a cohort file (feedback's to_mentor and to_mentee too)."""
    if isinstance(node, dict):
        return [v for key, value in node.items() for v in private_values(value, private or key in PRIVATE_KEYS)]
    if isinstance(node, list):
        return [v for item in node for v in private_values(item, private)]
    return [str(node)] if private and node is not None else []


def publish_scores(example: Path) -> None:
    """progress.json has each pair's check-in changes only when scores are published."""
    site = example / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("publish: []", "publish: [scores]"), encoding="utf-8")


def test_csv_rows_match_progress_json(example: Path, tmp_path: Path):
    publish_scores(example)
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    for cohort in COHORTS:
        rows = export_rows(example, cohort, "--format", "csv")
        progress = json.loads((out / f"cohorts/{cohort}/progress.json").read_text())
        assert [r["pair"] for r in rows] == [p["id"] for p in progress["pairs"]]
        for row, pair in zip(rows, progress["pairs"]):
            assert (row["mentor"], row["mentee"], row["status"]) == (pair["mentor"], pair["mentee"], pair["status"])
            assert int(row["meetings_planned"]) == pair["meetings"]["planned"]
            assert int(row["meetings_held"]) == pair["meetings"]["held"]
            compliance = pair["meetings"]["compliance"]
            if compliance is None:
                assert row["compliance"] == row["compliance_percent"] == ""
            else:
                assert float(row["compliance"]) == compliance
                assert float(row["compliance_percent"]) == round(compliance * 100, 1)
            assert int(row["checklist_done"]) == pair["checklist"]["done"]
            assert int(row["checklist_total"]) == pair["checklist"]["total"]
            assert row["checklist_overdue"].split() == pair["checklist"]["overdue"]
            statuses = [g["status"] for g in pair["goals"]]
            for status in ("done", "on track", "at risk", "behind", "overdue"):
                assert int(row[f"goals_{status.replace(' ', '_')}"]) == statuses.count(status)
            for name, change in pair["check_in_change"].items():
                assert float(row[f"check_in_change_{name}"]) == round(change, 2)


def test_rows_name_the_cohort_and_the_people(example: Path):
    for cohort in COHORTS:
        data = cohort_data(example, cohort)
        names = {person["id"]: person["name"] for person in data["people"]}
        rows = export_rows(example, cohort)
        assert rows
        for row in rows:
            assert (row["cohort"], row["cohort_name"]) == (cohort, data["name"])
            assert row["mentor_name"] == names[row["mentor"]] and row["mentee_name"] == names[row["mentee"]]
    first = export_rows(example, "2026-autumn")[0]
    assert (first["mentor_name"], first["mentee_name"]) == ("Aisha Rahman", "Rebecca Thornton")


def test_figures_are_rounded_plain_numbers(example: Path):
    rows = export_rows(example, "--all", "--as-of", "2026-11-20")
    percents = [row["compliance_percent"] for row in rows if row["compliance_percent"]]
    changes = [value for row in rows for column, value in row.items()
               if column.startswith("check_in_change_") and value]
    assert percents and changes
    assert all(re.fullmatch(r"\d+\.\d", value) for value in percents), percents
    assert all(re.fullmatch(r"-?\d+\.\d\d", value) for value in changes), changes
    mei_ling = next(row for row in export_rows(example, "2026-autumn") if row["mentor"] == "mei-ling-chen")
    assert (mei_ling["meetings_held"], mei_ling["meetings_planned"]) == ("10", "11")
    assert mei_ling["compliance_percent"] == "90.9"
    assert mei_ling["compliance"] == repr(10 / 11)  # unchanged: the exact fraction of progress.json


def test_rounding_rules():
    assert percent(2 / 3) == "66.7" and percent(1.0) == "100.0" and percent(1.25) == "125.0"
    assert percent(0.0) == "0.0" and percent(None) == ""
    assert fixed(1 / 3, 2) == "0.33" and fixed(-2 / 3, 2) == "-0.67" and fixed(2.0, 2) == "2.00"
    assert fixed(-0.001, 2) == "0.00"


def test_all_exports_every_cohorts_public_pairs(example: Path):
    rows = export_rows(example, "--all")
    assert [row["cohort"] for row in rows] == sorted(row["cohort"] for row in rows)
    for cohort in COHORTS:
        public = [pair for pair in cohort_data(example, cohort)["pairs"] if pair.get("status") != "proposed"]
        ours = [row for row in rows if row["cohort"] == cohort]
        assert [(r["mentor"], r["mentee"]) for r in ours] == [(p["mentor"], p["mentee"]) for p in public]
        for row, alone in zip(ours, export_rows(example, cohort)):
            assert {k: v for k, v in row.items() if k in alone and v} == {k: v for k, v in alone.items() if v}
    assert "sam-okafor" not in {row["mentor"] for row in rows}  # the autumn cohort's proposed pair


def test_no_private_value_is_exported_even_when_published(example: Path):
    site = example / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "publish: []", "publish: [email, phone, notes, feedback, comment, scores]"), encoding="utf-8")
    result = run("export", "--all", "-s", str(example))
    assert result.exit_code == 0, result.output
    values = [v for cohort in COHORTS for v in private_values(cohort_data(example, cohort))]
    assert len(values) > 40 and any("@" in v for v in values) and any(v.startswith("07700") for v in values)
    text = result.stdout.casefold()
    assert [v for v in values if v.casefold() in text] == []
    header = result.stdout.splitlines()[0].split(",")
    assert not [c for c in header if any(key in c for key in PRIVATE_KEYS | {"reason", "to_ment"})]
    assert "@" not in result.stdout


def test_pilot_csv_has_check_in_columns(example: Path):
    header = run("export", "2026-pilot", "-s", str(example)).stdout.splitlines()[0]
    assert "check_in_change_confidence" in header


def test_a_cohort_and_all_or_neither_is_a_usage_error(example: Path):
    both = run("export", "2026-pilot", "--all", "-s", str(example))
    assert both.exit_code == 2 and "give a cohort or --all, not both" in both.output
    neither = run("export", "-s", str(example))
    assert neither.exit_code == 2 and "give a cohort, or --all for every cohort" in neither.output


def test_unknown_cohort_is_a_usage_error_with_a_hint(example: Path):
    result = run("export", "2026-autum", "-s", str(example))
    assert result.exit_code == 2
    assert "did you mean '2026-autumn'?" in result.output


def test_content_problems_exit_1(example: Path):
    cohort = example / "cohorts/2026-pilot.yml"
    cohort.write_text(cohort.read_text(encoding="utf-8").replace("cadence: fortnightly", "cadence: fortnighty", 1),
                      encoding="utf-8")
    result = run("export", "--all", "-s", str(example))
    assert result.exit_code == 1 and result.stdout == ""
    assert "fortnighty" in result.stderr


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(example: Path):
    cohort = example / "cohorts/2026-autumn.yml"
    text = cohort.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    first = export_rows(example, "2026-autumn")[0]
    mentor = next(p for p in data["people"] if p["id"] == first["mentor"])
    text = text.replace(f"name: {mentor['name']}", 'name: "=HYPERLINK(\\"http://x.example\\",\\"Aisha\\")"', 1)
    text = text.replace(f"name: {data['name']}", "name: '@Autumn 2026'", 1)
    cohort.write_text(text, encoding="utf-8")
    row = export_rows(example, "2026-autumn")[0]
    assert row["mentor_name"] == "'=HYPERLINK(\"http://x.example\",\"Aisha\")"
    assert row["cohort_name"] == "'@Autumn 2026"
    assert row["mentee_name"] == first["mentee_name"]  # an ordinary name as it is
    assert all(not value.startswith(("=", "+", "@")) for r in export_rows(example, "2026-autumn") for value in r.values())
