"""rmsite export: the CSV matches progress.json and carries no private fields."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from rmsite.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_csv_rows_match_progress_json(example: Path, tmp_path: Path):
    site = example / "site.yml"  # progress.json has each pair's check-in changes only when scores are published
    site.write_text(site.read_text(encoding="utf-8").replace("publish: []", "publish: [scores]"), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    for cohort in ("2026-pilot", "2026-autumn"):
        result = run("export", cohort, "-s", str(example), "--format", "csv")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        progress = json.loads((out / f"cohorts/{cohort}/progress.json").read_text())
        assert [r["pair"] for r in rows] == [p["id"] for p in progress["pairs"]]
        for row, pair in zip(rows, progress["pairs"]):
            assert row["status"] == pair["status"]
            assert int(row["meetings_planned"]) == pair["meetings"]["planned"]
            assert int(row["meetings_held"]) == pair["meetings"]["held"]
            compliance = pair["meetings"]["compliance"]
            assert (row["compliance"] == "") if compliance is None else float(row["compliance"]) == compliance
            assert int(row["checklist_done"]) == pair["checklist"]["done"]
            assert int(row["checklist_total"]) == pair["checklist"]["total"]
            assert row["checklist_overdue"].split() == pair["checklist"]["overdue"]
            statuses = [g["status"] for g in pair["goals"]]
            for status in ("done", "on track", "at risk", "behind", "overdue"):
                assert int(row[f"goals_{status.replace(' ', '_')}"]) == statuses.count(status)
            for name, change in pair["check_in_change"].items():
                assert float(row[f"check_in_change_{name}"]) == change


def test_pilot_csv_has_check_in_columns_and_no_private_fields(example: Path):
    result = run("export", "2026-pilot", "-s", str(example))
    header = result.stdout.splitlines()[0]
    assert "check_in_change_confidence" in header
    assert "@" not in result.output and "email" not in header and "notes" not in header


def test_unknown_cohort_is_a_usage_error_with_a_hint(example: Path):
    result = run("export", "2026-autum", "-s", str(example))
    assert result.exit_code == 2
    assert "did you mean '2026-autumn'?" in result.output
