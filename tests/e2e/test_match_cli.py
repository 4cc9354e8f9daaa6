"""rmsite match: loads and validates like check, prints a suggestion in
three formats, byte for byte the same each time, and writes on request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from rmsite.cli import main

from conftest import SITES


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SITES / "matching", tmp_path / "site"))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_table_lists_pairs_reasons_and_who_is_left(site: Path):
    result = run("match", "volunteers", "-s", str(site))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "cohort volunteers: 2 suggested pairs, total score 33; 2 people left unpaired\n"
        "meetings: fortnightly, 60 minutes, 2.2 hours a month for each person in a pair\n"
        "\n"
        "pair      mentor  mentee  score  focus\n"
        "ana-dora  ana     dora       23  data tools, Customer Voice\n"
        "ben-emil  ben     emil       10  AI\n"
        "\n"
        "why:\n"
        "  ana-dora: 2 shared topics (data tools, Customer Voice); different teams (Support, Finance); "
        "hours a month left after this pair: ana 1.8, dora not set\n"
        "  ben-emil: 1 shared topic (AI); same team (Sales); hours a month left after this pair: ben 0.8, emil 2.8\n"
        "\n"
        "not paired (a candidate is someone in no pair with the hours for one):\n"
        "  cleo  no-hours  has 1 hour a month left, but a pair meeting fortnightly for 60 minutes needs 2.2\n"
        "  faye  no-topic  no more junior candidate offers what they want (golf); lists nothing they offer\n")


def test_json_carries_scores_reasons_and_unpaired_people(site: Path):
    result = run("match", "volunteers", "-s", str(site), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total_score"] == 33 and data["cohort"] == "volunteers"
    assert [(p["id"], p["score"], p["cross_team"], p["focus"]) for p in data["pairs"]] == [
        ("ana-dora", 23, True, ["data tools", "Customer Voice"]), ("ben-emil", 10, False, ["AI"])]
    assert data["pairs"][0]["hours_left"] == {"mentor": pytest.approx(4 - 26 / 12), "mentee": None}
    assert [(u["person"], u["reason"]) for u in data["unpaired"]] == [("cleo", "no-hours"), ("faye", "no-topic")]


def test_yaml_is_ready_to_paste_under_pairs(site: Path):
    result = run("match", "volunteers", "-s", str(site), "--format", "yaml")
    assert result.exit_code == 0
    assert yaml.safe_load(result.output) == {"pairs": [
        {"mentor": "ana", "mentee": "dora", "focus": ["data tools", "Customer Voice"], "status": "proposed",
         "approved_by": []},
        {"mentor": "ben", "mentee": "emil", "focus": ["AI"], "status": "proposed", "approved_by": []}]}
    assert "# not paired: cleo (no-hours): has 1 hour a month left" in result.output


@pytest.mark.parametrize("format_", ["table", "json", "yaml"])
def test_the_same_input_gives_byte_identical_output(site: Path, format_: str):
    first = run("match", "volunteers", "-s", str(site), "--format", format_).stdout_bytes
    assert first and all(run("match", "volunteers", "-s", str(site), "--format", format_).stdout_bytes == first
                         for _ in range(3))


def test_an_unknown_cohort_is_a_usage_error_with_a_suggestion(site: Path):
    result = run("match", "volunter", "-s", str(site))
    assert result.exit_code == 2
    assert "no cohort 'volunter'" in result.output and "(did you mean 'volunteers'?)" in result.output


def test_a_site_with_errors_is_reported_located_and_nothing_is_suggested(site: Path):
    cohort = site / "cohorts" / "volunteers.yml"
    cohort.write_text(cohort.read_text().replace("level: 7", "level: seven"), encoding="utf-8")
    before = cohort.read_bytes()
    result = run("match", "volunteers", "-s", str(site), "--write")
    assert result.exit_code == 1
    assert "cohorts/volunteers.yml:36:16: error: 'level': expected a whole number, found the text 'seven'" \
        in result.output
    assert "suggested" not in result.output and cohort.read_bytes() == before


def test_write_appends_and_check_then_warns_only_about_sign_off(site: Path):
    cohort = site / "cohorts" / "volunteers.yml"
    before = cohort.read_text(encoding="utf-8")
    result = run("match", "volunteers", "-s", str(site), "--write", "--format", "yaml")
    assert result.exit_code == 0
    assert "added 2 proposed pairs to cohorts/volunteers.yml" in result.output
    after = cohort.read_text(encoding="utf-8")
    assert after.startswith(before.split("\n# Notes for")[0]) and after.endswith(
        "\n# Notes for the coordinators:\n#   - ask Faye whether golf was a joke\n")
    check = run("check", "-s", str(site))
    assert check.exit_code == 0
    assert [line for line in check.output.splitlines() if "warning:" in line] == [
        "cohorts/volunteers.yml:65:5: warning: pair 'ana-dora' is approved by 0 people; "
        "a pairing should be signed off by 2 (programme.approvals) [approvals: volunteers/ana-dora]",
        "cohorts/volunteers.yml:71:5: warning: pair 'ben-emil' is approved by 0 people; "
        "a pairing should be signed off by 2 (programme.approvals) [approvals: volunteers/ben-emil]"]
    assert run("check", "-s", str(site), "--strict").exit_code == 1


def test_write_with_nothing_to_add_leaves_the_file_alone(site: Path):
    assert run("match", "volunteers", "-s", str(site), "--write").exit_code == 0
    cohort = site / "cohorts" / "volunteers.yml"
    written, stamp = cohort.read_bytes(), cohort.stat().st_mtime_ns
    result = run("match", "volunteers", "-s", str(site), "--write")
    assert result.exit_code == 0
    assert "0 suggested pairs" in result.output and "no pairs to add; cohorts/volunteers.yml was left as it was" \
        in result.output
    assert cohort.read_bytes() == written and cohort.stat().st_mtime_ns == stamp


def test_a_file_that_cannot_be_edited_safely_is_left_alone(site: Path):
    cohort = site / "cohorts" / "volunteers.yml"
    flow = yaml.safe_dump(yaml.safe_load(cohort.read_text(encoding="utf-8")), default_flow_style=True, width=80)
    cohort.write_text(flow, encoding="utf-8")  # valid, but one flow mapping: no place for a block
    result = run("match", "volunteers", "-s", str(site), "--write")
    assert result.exit_code == 1
    assert ("cohorts/volunteers.yml: error: cannot append the pairs: the file's top level is not a block "
            "mapping of keys to values; nothing was written") in result.output
    assert cohort.read_text(encoding="utf-8") == flow
