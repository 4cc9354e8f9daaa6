"""rmsite import end to end: form exports as each tool writes them, into the cohort file,
then `rmsite match` and `rmsite build`, with the pages and progress.json checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main

from exports import excel_semicolon_csv, excel_unicode_text, google_csv, microsoft_xlsx, utf8_bom_csv
from minimal import minimal_site

VOLUNTEERS = """kind: people
cohort: q1
columns:
  name: Full name
  email: Email address
  level: Grade
  offers: What could you teach a senior leader?
  wants: What would you like to learn?
  hours_per_month: Hours a month you can give
values:
  level: {Apprentice: 1, Associate: 2, Manager: 5, Director: 7}
"""
VOLUNTEER_HEADERS = ["Email address", "Full name", "Grade", "What could you teach a senior leader?",
                     "What would you like to learn?", "Hours a month you can give "]
VOLUNTEER_ROWS = [["14/03/2027 09:41:00", "cara@example.org", "Cara Díaz", "Associate", "Data tools; TikTok", "", "4"],
                  ["14/03/2027 10:02:13", "dev@example.org", "Dev Shah", "Director", "", "data tools;tiktok", "3"]]
MEETINGS = """kind: sessions
cohort: q1
columns:
  mentor: Mentor
  mentee: Mentee
  date: Date
  minutes: Minutes
  topics: What did you talk about?
  notes: Notes
dates: day-first
"""
CHECK_INS = """kind: check-ins
cohort: q1
columns:
  person: Email
  stage: Which check-in is this?
  date: Completion time
  scores.confidence: How confident are you?
  comment: Anything else?
values:
  stage: {Starting out: before, Halfway: during, At the end: after}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def programme(tmp_path: Path) -> Path:
    site = minimal_site(tmp_path / "site")
    (site / "imports").mkdir()
    for name, text in {"volunteers": VOLUNTEERS, "meetings": MEETINGS, "check-ins": CHECK_INS}.items():
        (site / "imports" / f"{name}.yml").write_text(text)
    return site


MEETING_HEADERS = ["Mentor", "Mentee", "Date", "Minutes", "What did you talk about?", "Notes"]


def problem_lines(result) -> list[str]:
    """The warning and error lines a command printed."""
    return [line for line in result.output.splitlines() if ": warning: " in line or ": error: " in line]


def imported(site: Path, mapping: str, export: Path, *options: str):
    return run("import", str(site / "imports" / mapping), str(export), "-s", str(site), *options)


def test_from_three_exports_to_a_built_site(tmp_path):
    site = programme(tmp_path)
    volunteers = google_csv(tmp_path / "volunteers.csv", VOLUNTEER_HEADERS, VOLUNTEER_ROWS)
    result = imported(site, "volunteers.yml", volunteers)
    assert result.exit_code == 0, result.output
    assert f"imported {volunteers} into cohorts/q1.yml: 2 added, 0 unchanged, 0 updated" in result.output
    cohort = (site / "cohorts/q1.yml").read_text()
    assert "  - id: cara-diaz\n    name: Cara Díaz\n    level: 2\n    offers: [Data tools, TikTok]\n" in cohort
    assert "  - id: dev-shah\n    name: Dev Shah\n    level: 7\n    wants: [data tools, tiktok]\n" in cohort

    matched = run("match", "q1", "-s", str(site), "--write")
    assert matched.exit_code == 0, matched.output
    assert "mentor: cara-diaz" in (site / "cohorts/q1.yml").read_text()
    cohort_file = site / "cohorts/q1.yml"  # signed off: the proposed pair is made active
    cohort_file.write_text(cohort_file.read_text().replace("status: proposed", "status: active"))
    site_file = site / "site.yml"  # each pair's check-in changes are in progress.json when scores are published
    site_file.write_text(site_file.read_text() + "privacy:\n  publish: [scores]\n")

    meetings = excel_semicolon_csv(tmp_path / "meetings.csv",
                                   ["Mentor", "Mentee", "Date", "Minutes", "What did you talk about?", "Notes"],
                                   [["Cara Díaz", "dev@example.org", "15/02/2027", "60", "Data tools", "Café chat, then a demo"]])
    result = imported(site, "meetings.yml", meetings)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 unchanged, 0 updated" in result.output

    at = dt.datetime(2027, 3, 1, 9, 0)
    check_ins = microsoft_xlsx(tmp_path / "check-ins.xlsx", ["Which check-in is this?", "How confident are you?",
                                                             "Anything else?"], [
        [1, at, at, "cara@example.org", "Cara Díaz", "Starting out", 2, "Nervous about this"],
        [2, at, at, "dev@example.org", "Dev Shah", "Starting out", 3, None],
        [3, at, dt.datetime(2027, 5, 30, 9, 5), "cara@example.org", "Cara Díaz", "At the end", 4, None],
    ])
    result = imported(site, "check-ins.yml", check_ins)
    assert result.exit_code == 0, result.output
    assert "3 added, 0 unchanged, 0 updated" in result.output
    for export, mapping in ((volunteers, "volunteers.yml"), (meetings, "meetings.yml"), (check_ins, "check-ins.yml")):
        before = (site / "cohorts/q1.yml").read_bytes()
        again = imported(site, mapping, export)  # the same file twice: nothing changes
        assert again.exit_code == 0 and " 0 added, " in again.output and " 0 updated" in again.output, again.output
        assert (site / "cohorts/q1.yml").read_bytes() == before

    out = tmp_path / "out"
    built = run("build", "-s", str(site), "-o", str(out))
    assert built.exit_code == 0, built.output
    progress = json.loads((out / "cohorts/q1/progress.json").read_text())
    pair = next(p for p in progress["pairs"] if p["mentor"] == "cara-diaz")
    assert pair["meetings"]["held"] == 1
    assert pair["check_in_change_by"] == {"mentor": {"confidence": 2.0}, "mentee": {}}
    page = (out / f"cohorts/q1/{pair['id']}/index.html").read_text()
    assert "Answered by" in page and "Data tools" in page
    for private in ("Nervous about this", "Café chat", "cara@example.org"):
        assert not any(private in f.read_text(errors="ignore") for f in out.rglob("*") if f.is_file())


def test_a_changed_answer_is_a_conflict_unless_update(tmp_path):
    site = programme(tmp_path)
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, VOLUNTEER_ROWS)
    assert imported(site, "volunteers.yml", export).exit_code == 0
    rows = [list(VOLUNTEER_ROWS[0]), list(VOLUNTEER_ROWS[1])]
    rows[0][3], rows[0][6] = "Manager", "6"
    changed = google_csv(tmp_path / "v2.csv", VOLUNTEER_HEADERS, rows)
    before = (site / "cohorts/q1.yml").read_bytes()
    result = imported(site, "volunteers.yml", changed)
    assert result.exit_code == 1
    assert (f"{changed}:2: error: column 'Grade': person 'cara-diaz' has level 2 in cohorts/q1.yml:20, but 5 here; "
            "run again with --update to replace it, or correct the form's answer") in result.output
    assert f"{changed}:2: error: column 'Hours a month you can give': person 'cara-diaz' has hours_per_month 4" in result.output
    assert "nothing was written" in result.output and (site / "cohorts/q1.yml").read_bytes() == before
    dry = imported(site, "volunteers.yml", changed, "--update", "--dry-run")
    assert dry.exit_code == 0 and "-    level: 2\n+    level: 5\n" in dry.output
    assert "0 added, 1 unchanged, 1 updated (a dry run: nothing was written)" in dry.output
    assert (site / "cohorts/q1.yml").read_bytes() == before
    assert imported(site, "volunteers.yml", changed, "--update").exit_code == 0
    text = (site / "cohorts/q1.yml").read_text()
    assert "    level: 5\n" in text and "    hours_per_month: 6\n" in text and "level: 2" not in text.split("cara")[1]


def test_a_private_field_in_a_conflict_is_never_shown(tmp_path):
    site = programme(tmp_path)
    mapping = CHECK_INS.replace("kind: check-ins", "kind: check-ins")
    (site / "imports/check-ins.yml").write_text(mapping.replace("  person: Email\n", "  pair: Pair\n  by: Who\n"))
    headers = ["Pair", "Who", "Which check-in is this?", "Completion time", "How confident are you?", "Anything else?"]
    first = utf8_bom_csv(tmp_path / "c1.csv", headers, [["ana-boris", "mentee", "Halfway", "2027-02-02", "3", "Secret one"]])
    assert imported(site, "check-ins.yml", first).exit_code == 0
    second = utf8_bom_csv(tmp_path / "c2.csv", headers, [["ana-boris", "mentee", "Halfway", "2027-02-02", "3", "Secret two"]])
    result = imported(site, "check-ins.yml", second)
    assert result.exit_code == 1
    assert "column 'Anything else?': the during check-in of pair 'ana-boris' by the mentee on 2027-02-02 has another " \
           "comment in cohorts/q1.yml:" in result.output
    assert "Secret" not in result.output


def test_every_problem_of_every_row_at_once_and_nothing_written(tmp_path):
    site = programme(tmp_path)
    rows = [["14/03/2027 09:41:00", "cara@example.org", "Cara Díaz", "Senior Associate", "x", "", "four"],
            ["14/03/2027 09:42:00", "dev@example.org", "", "Director", "", "", "-1"]]
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, rows)
    before = (site / "cohorts/q1.yml").read_bytes()
    result = imported(site, "volunteers.yml", export)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [
        f"{export}:2: error: column 'Grade': 'Senior Associate' is not one of the answers the mapping knows for "
        "'level' ('apprentice', 'associate', 'manager', 'director'); add it under values: level: in "
        "imports/volunteers.yml",
        f"{export}:2: error: column 'Hours a month you can give': 'four' is not a number of 0 or more",
        f"{export}:3: error: column 'Full name': empty: a person needs a name",
        f"{export}:3: error: column 'Hours a month you can give': '-1' is not a number of 0 or more",
    ]
    assert (site / "cohorts/q1.yml").read_bytes() == before


def test_messages_a_coordinator_understands(tmp_path):
    site = programme(tmp_path)
    meetings = excel_unicode_text(tmp_path / "m.txt", ["Mentor", "Mentee", "Date", "Minutes", "What did we talk about?"], [
        ["Ana Lma", "boris", "01/03/2027", "60", "x"],
        ["ana.lima@example.orgg", "boris", "02/03/2027", "60", "x"],
    ])
    result = imported(site, "meetings.yml", meetings)
    assert result.exit_code == 1
    assert f"{meetings}:2: error: column 'Mentor': no person 'Ana Lma' in cohorts/q1.yml (did you mean 'Ana Lima'?)" \
        in result.output
    assert f"{meetings}:3: error: column 'Mentor': no one in cohorts/q1.yml has this email" in result.output
    assert "ana.lima@example.orgg" not in result.output
    assert ("imports/meetings.yml:8:11: error: column 'What did you talk about?' (for 'topics') is not in "
            f"{meetings}; its columns are, closest first: 'What did we talk about?',") in result.output


def test_dates_that_read_two_ways_need_the_mappings_dates(tmp_path):
    site = programme(tmp_path)
    (site / "imports/meetings.yml").write_text(MEETINGS.replace("dates: day-first\n", "").replace(
        "  topics: What did you talk about?\n  notes: Notes\n", ""))
    export = utf8_bom_csv(tmp_path / "m.csv", ["Mentor", "Mentee", "Date", "Minutes"],
                          [["ana", "boris", "3/4/2027 9:41:00 AM", "60"], ["ana", "boris", "3/14/2027 9:41:00 AM", "60"]])
    result = imported(site, "meetings.yml", export)
    assert result.exit_code == 1
    assert (f"{export}:2: error: column 'Date': '3/4/2027 9:41:00 AM' reads as 2027-04-03 day first and as "
            "2027-03-04 month first: add 'dates: day-first' or 'dates: month-first' to imports/meetings.yml") \
        in result.output
    (site / "imports/meetings.yml").write_text((site / "imports/meetings.yml").read_text() + "dates: month-first\n")
    result = imported(site, "meetings.yml", export)
    assert result.exit_code == 0, result.output
    text = (site / "cohorts/q1.yml").read_text()
    assert "      - date: 2027-03-04\n        minutes: 60\n      - date: 2027-03-14\n" in text


def test_two_rows_for_one_item_the_later_wins_with_a_warning(tmp_path):
    site = programme(tmp_path)
    rows = [VOLUNTEER_ROWS[0], [*VOLUNTEER_ROWS[0][:6], "5"]]
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, rows)
    result = imported(site, "volunteers.yml", export)
    assert result.exit_code == 0
    assert f"{export}:3: warning: rows 2 and 3 are both person 'cara-diaz': row 3, the later, is used" in result.output
    assert "hours_per_month: 5" in (site / "cohorts/q1.yml").read_text()


def test_the_cohort_file_is_edited_through_its_link_and_keeps_every_other_byte(tmp_path):
    site = programme(tmp_path)
    real = tmp_path / "kept" / "q1.yml"
    real.parent.mkdir()
    original = (site / "cohorts/q1.yml").read_text().replace("people:\n", "people:  # volunteers\n").replace(
        "\n", "\r\n")
    real.write_bytes(b"\xef\xbb\xbf" + original.encode())
    (site / "cohorts/q1.yml").unlink()
    (site / "cohorts/q1.yml").symlink_to(real)
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, VOLUNTEER_ROWS)
    assert imported(site, "volunteers.yml", export).exit_code == 0
    assert (site / "cohorts/q1.yml").is_symlink()
    after = real.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"people:  # volunteers\r\n" in after
    text = after.decode("utf-8-sig")
    start = text.index("  - id: cara-diaz")
    end = text.index("pairs:")
    assert text[:start] + text[end:] == original  # everything outside the new items, byte for byte
    assert "\r\n" in text[start:end] and "\n" not in text[start:end].replace("\r\n", "")


def test_init_writes_a_starting_mapping_and_never_overwrites(tmp_path):
    site = programme(tmp_path)
    export = microsoft_xlsx(tmp_path / "Check-in (1-3).xlsx", ["Which check-in is this?", "How confident are you?"], [
        [1, dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 1), "ana@example.org", "Ana Lima", "Starting out", 2]])
    result = run("import", "--init", "check-ins", str(export), "-s", str(site))
    assert result.exit_code == 0, result.output
    written = (site / "imports/check-in-1-3.yml").read_text()
    assert "  person: Email\n  stage: Which check-in is this?\n  date: Completion time\n" in written
    assert "  scores.how_confident_are_you: How confident are you?\n" in written
    assert "values:" in written and "Starting out: null" in written
    again = run("import", "--init", "check-ins", str(export), "-s", str(site))
    assert again.exit_code == 1 and "imports/check-in-1-3.yml:1:1: error: the file is there already" in again.output
    assert (site / "imports/check-in-1-3.yml").read_text() == written
    (site / "imports/check-in-1-3.yml").write_text(written.replace("COHORT-ID  # the cohort file it writes into", "q1"))
    result = run("import", str(site / "imports/check-in-1-3.yml"), str(export), "-s", str(site))
    assert result.exit_code == 1
    assert "the answer 'Starting out' has no value yet" in result.output


@pytest.mark.parametrize("kind", ["people", "sessions", "check-ins"])
def test_a_mapping_field_that_is_no_field_is_an_error_with_the_one_meant(tmp_path, kind):
    site = programme(tmp_path)
    (site / "imports/x.yml").write_text(f"kind: {kind}\ncohort: q1\ncolumns:\n  nmae: Name\n  date: D\n  stage: S\n")
    export = utf8_bom_csv(tmp_path / "x.csv", ["Name"], [["x"]])
    result = run("import", str(site / "imports/x.yml"), str(export), "-s", str(site))
    assert result.exit_code == 1
    assert "imports/x.yml:4:3: error: 'nmae' is not a field of a " + kind in result.output


def test_without_an_email_a_person_is_known_by_id_and_name_and_a_taken_id_gets_a_number(tmp_path):
    site = programme(tmp_path)
    short = "kind: people\ncohort: q1\ncolumns: {name: Full name, level: Grade, phone: Phone}\n" \
            "values:\n  level: {Apprentice: 1, Manager: 5}\n"
    (site / "imports/volunteers.yml").write_text(short)
    headers = ["Full name", "Grade", "Phone"]
    (site / "cohorts/q1.yml").write_text((site / "cohorts/q1.yml").read_text().replace("  - id: ana\n", "  - id: ana-lima\n")
                                         .replace("mentor: ana\n", "mentor: ana-lima\n"))
    export = excel_semicolon_csv(tmp_path / "v.csv", headers, [["Ana Lima", "Apprentice", ""],
                                                               ["Ana  Lima", "Manager", "07700 900123"],
                                                               ["Ana Lima-Ng", "Manager", ""]])
    result = imported(site, "volunteers.yml", export)
    assert result.exit_code == 1  # rows 2 and 3 are Ana Lima of the file, who is level 1 there
    assert f"{export}:3: warning: rows 2 and 3 are both person 'ana-lima'" in result.output
    assert "person 'ana-lima' has level 1 in cohorts/q1.yml:8, but 5 here" in result.output
    assert "column 'Phone': person 'ana-lima' has no phone in cohorts/q1.yml:6 (a private field" in result.output
    assert "has name" not in result.output  # white space inside a name is no change
    assert "07700" not in result.output
    export = excel_semicolon_csv(tmp_path / "v.csv", headers, [["Ana Lima", "Apprentice", "07700 900123"],
                                                               ["Ana Lima", "Apprentice", None]])
    result = imported(site, "volunteers.yml", export)
    assert result.exit_code == 0, result.output
    assert "0 added, 1 unchanged, 0 updated" in result.output  # the later row, which gives no phone
    (site / "imports/volunteers.yml").write_text(short.replace(", phone: Phone", ""))
    export = google_csv(tmp_path / "w.csv", ["Full name", "Grade"], [["14/03/2027 09:41:00", "Ana Lima", "Manager"]])
    text = (site / "cohorts/q1.yml").read_text().replace("name: Ana Lima", "name: Ana Lima-Okafor")
    (site / "cohorts/q1.yml").write_text(text)  # another Ana Lima: her slug is taken
    assert imported(site, "volunteers.yml", export).exit_code == 0
    assert "  - id: ana-lima-2\n    name: Ana Lima\n    level: 5\n" in (site / "cohorts/q1.yml").read_text()
    again = imported(site, "volunteers.yml", export)
    assert "0 added, 1 unchanged" in again.output, again.output


def test_a_new_person_needs_a_level(tmp_path):
    site = programme(tmp_path)
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, [[*VOLUNTEER_ROWS[0][:3], "", *VOLUNTEER_ROWS[0][4:]]])
    result = imported(site, "volunteers.yml", export)
    assert result.exit_code == 1
    assert f"{export}:2: error: person 'cara-diaz' is not in cohorts/q1.yml yet, and a new person needs a level" \
        in result.output


def test_pair_pages_link_to_the_programmes_forms_with_the_pair_filled_in(tmp_path):
    from minimal import SITE_YML
    forms = ("forms:\n  sessions: https://docs.google.com/forms/d/e/X/viewform?entry.1={pair}&entry.2={mentor_name}\n"
             "  check_ins: https://forms.office.com/r/Y?cohort={cohort}&stage={stage}&who={mentee_name}\n")
    site = minimal_site(tmp_path / "site", site_yml=SITE_YML + forms)
    out = tmp_path / "out"
    result = run("build", "-s", str(site), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "cohorts/q1/ana-boris/index.html").read_text()
    assert ('<a class="form-link" href="https://docs.google.com/forms/d/e/X/viewform?entry.1=ana-boris&amp;'
            'entry.2=Ana%20Lima">Log a meeting</a>') in page
    # the pair's latest check-in is its after: the next is an after again
    assert ('href="https://forms.office.com/r/Y?cohort=q1&amp;stage=after&amp;who=Boris%20Petrov">Fill in your '
            'check-in</a>') in page


def test_the_example_programmes_exports_are_in_its_cohort_already(tmp_path):
    import shutil
    repo = Path(__file__).resolve().parents[2]
    site = tmp_path / "example"
    site.mkdir()
    for name in ("site.yml", "cohorts", "content", "imports"):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, site / name)
        else:
            shutil.copy(repo / name, site / name)
    before = (site / "cohorts/2026-autumn.yml").read_bytes()
    for kind, export in (("volunteers", "volunteers.csv"), ("meetings", "meetings.csv"), ("check-ins", "check-ins.csv")):
        result = imported(site, f"{kind}.yml", site / "imports/exports" / export)
        assert result.exit_code == 0, result.output
        assert " 0 added, " in result.output and " 0 unchanged" not in result.output and " 0 updated" in result.output
    assert (site / "cohorts/2026-autumn.yml").read_bytes() == before


def file_loc(site: Path, text: str, after: str = "") -> str:
    """`cohorts/q1.yml:LINE:COLUMN` of the first `text` (after `after`) in the cohort file as it is."""
    cohort = (site / "cohorts/q1.yml").read_text()
    index = cohort.index(text, cohort.index(after) if after else 0)
    line = cohort.count("\n", 0, index) + 1
    return f"cohorts/q1.yml:{line}:{index - cohort.rfind(chr(10), 0, index)}"


def test_problems_of_new_sessions_are_at_their_rows_and_columns(tmp_path):
    site = programme(tmp_path)
    export = excel_semicolon_csv(tmp_path / "m.csv", MEETING_HEADERS, [
        ["ana", "boris", "01/12/2026", "60", "Data tools", "Before the cohort began"],
        ["Ana Lima", "boris", "10/02/2027", "30", "", ""],
        ["ana", "Boris Petrov", "01/03/2027", "45", "", "After the as-of date"],
    ])
    result = imported(site, "meetings.yml", export)
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == [
        f"{export}:2: warning: column 'Date': session on 2026-12-01 is outside the cohort (2027-01-04 to "
        "2027-06-25) [outside-dates: q1/ana-boris]",
        f"{export}:4: warning: column 'Date': session on 2027-03-01 is after the as-of date (2027-02-20): it is "
        "not counted yet [after-as-of: q1/ana-boris]",
    ]
    assert "3 added, 0 unchanged, 0 updated" in result.output


def test_problems_of_new_check_ins_are_at_their_rows_and_the_files_own_stay_in_the_file(tmp_path):
    from minimal import COHORT_YML, SITE_YML
    cohort = COHORT_YML.replace("scores: {confidence: 4}}", "scores: {confidence: 4, relatoinship: 2}}")
    site = programme(tmp_path)
    (site / "site.yml").write_text(SITE_YML + "  check_in_scores: [confidence, relationship]\n")
    (site / "cohorts/q1.yml").write_text(cohort.lstrip("\n"))
    (site / "imports/check-ins.yml").write_text(CHECK_INS.replace("  person: Email\n", "  pair: Pair\n  by: Who\n")
                                                .replace("  comment: Anything else?\n",
                                                         "  scores.relatoinship: How is it going?\n"))
    headers = ["Pair", "Who", "Which check-in is this?", "Completion time", "How confident are you?",
               "How is it going?"]
    export = utf8_bom_csv(tmp_path / "c.csv", headers, [
        ["ana-boris", "mentee", "Halfway", "2027-02-02", "3", "4"],
        ["ana-boris", "mentee", "At the end", "2027-06-20", "4", ""],
        ["ana-boris", "mentor", "Halfway", "2026-12-20", "", ""],
    ])
    before = (site / "cohorts/q1.yml").read_bytes()
    result = imported(site, "check-ins.yml", export)
    assert result.exit_code == 1
    unknown = ("unknown score 'relatoinship': programme.check_in_scores in site.yml names 'confidence', "
               "'relationship' (did you mean 'relationship'?)")
    assert problem_lines(result) == [
        f"{export}:2: error: column 'How is it going?': {unknown}",
        f"{export}:3: warning: column 'Which check-in is this?': an 'after' check-in by the mentee with no 'before' "
        "check-in by the mentee: its change cannot be measured [no-before: q1/ana-boris]",
        f"{export}:4: warning: column 'Completion time': check-in on 2026-12-20 is outside the cohort (2027-01-04 "
        "to 2027-06-25) [outside-dates: q1/ana-boris]",
        f"{file_loc(site, 'relatoinship')}: error: {unknown}",  # in the file already: where it is there
    ]
    assert "nothing was written" in result.output and (site / "cohorts/q1.yml").read_bytes() == before


def test_a_new_warning_like_one_the_file_has_is_still_reported_at_its_row(tmp_path):
    site = programme(tmp_path)
    cohort = site / "cohorts/q1.yml"
    text = cohort.read_text()
    people = ("  - {id: cara, name: Cara Díaz, level: 1, offers: [data tools], hours_per_month: 4}\n"
              "  - {id: dev, name: Dev Shah, level: 5, wants: [data tools], hours_per_month: 4}\n")
    pair = ("  - mentor: cara\n    mentee: dev\n    focus: [data tools]\n    approved_by: [Coordinator, Head of People]\n"
            "    check_ins:\n      - {stage: after, date: 2027-02-15, by: mentee}\n")
    cohort.write_text(text.replace("pairs:\n", people + "pairs:\n") + pair)
    already = run("check", "-s", str(site))
    no_before = ("an 'after' check-in by the mentee with no 'before' check-in by the mentee: its change cannot be "
                 "measured")
    assert f"{file_loc(site, 'after, date: 2027-02-15, by', 'mentor: cara')}: warning: {no_before} [no-before: q1/cara-dev]" \
        in already.output
    (site / "imports/check-ins.yml").write_text(CHECK_INS.replace("  person: Email\n", "  pair: Pair\n  by: Who\n"))
    export = utf8_bom_csv(tmp_path / "c.csv", ["Pair", "Who", "Which check-in is this?", "Completion time",
                                               "How confident are you?", "Anything else?"],
                          [["ana-boris", "mentee", "At the end", "2027-02-18", "4", ""]])
    result = imported(site, "check-ins.yml", export)
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == [f"{export}:2: warning: column 'Which check-in is this?': {no_before} [no-before: q1/ana-boris]"]
    assert "1 added" in result.output


def test_a_control_character_in_an_answer_is_an_error_at_its_cell(tmp_path):
    site = programme(tmp_path)
    (site / "imports/check-ins.yml").write_text(CHECK_INS.replace("  person: Email\n", "  pair: Pair\n  by: Who\n"))
    export = utf8_bom_csv(tmp_path / "c.csv", ["Pair", "Who", "Which check-in is this?", "Completion time",
                                               "How confident are you?", "Anything else?"],
                          [["ana-boris", "mentee", "Halfway", "2027-02-02", "3", "Fine \x1b[31mreally"]])
    before = (site / "cohorts/q1.yml").read_bytes()
    result = imported(site, "check-ins.yml", export)
    assert result.exit_code == 1
    assert (f"{export}:2: error: column 'Anything else?': 'comment': a control character (ESC) in text, written "
            "as an escape in quotes") in result.output
    assert "really" not in result.output and (site / "cohorts/q1.yml").read_bytes() == before


def test_a_problem_the_file_has_stays_at_its_line_there_however_many_lines_go_in_before_it(tmp_path):
    from minimal import COHORT_YML, SITE_YML
    site = programme(tmp_path)
    (site / "site.yml").write_text(SITE_YML + "  check_in_scores: [confidence]\n")
    (site / "cohorts/q1.yml").write_text(COHORT_YML.lstrip("\n").replace("scores: {confidence: 4}}",
                                                                          "scores: {confidense: 4}}"))
    where = file_loc(site, "confidense")
    export = utf8_bom_csv(tmp_path / "m.csv", ["Mentor", "Mentee", "Date", "Minutes"],
                          [["ana", "boris", f"{day:02}/02/2027", "60"] for day in range(2, 9)])
    (site / "imports/meetings.yml").write_text(MEETINGS.replace("  topics: What did you talk about?\n  notes: Notes\n", ""))
    result = imported(site, "meetings.yml", export)  # seven sessions go in above the check-ins
    assert result.exit_code == 1
    assert problem_lines(result) == [f"{where}: error: unknown score 'confidense': programme.check_in_scores in site.yml names "
                     "'confidence' (did you mean 'confidence'?)"]


def test_an_import_starts_without_the_builds_modules(tmp_path):
    import subprocess
    import sys
    site = programme(tmp_path)
    export = google_csv(tmp_path / "v.csv", VOLUNTEER_HEADERS, VOLUNTEER_ROWS)
    code = ("import sys\nfrom click.testing import CliRunner\nfrom rmsite.cli import main\n"
            "result = CliRunner().invoke(main, sys.argv[1:])\nassert result.exit_code == 0, result.output\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markdown', 'pymdownx', 'pygments')"
            " or m.startswith(('rmsite.pipeline', 'rmsite.output', 'rmsite.site'))))\n")
    src = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run([sys.executable, "-c", code, "import", str(site / "imports/volunteers.yml"), str(export),
                           "-s", str(site), "--dry-run"], capture_output=True, text=True, env={"PYTHONPATH": src})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"  # they cost every import about a fifth of a second to start


def test_a_problem_an_update_brings_is_at_the_row_and_column_of_the_new_value(tmp_path):
    site = programme(tmp_path)
    (site / "imports/volunteers.yml").write_text("kind: people\ncohort: q1\ncolumns: {id: Id, name: Name, level: Level, "
                                                 "hours_per_month: Hours a month}\n")
    export = utf8_bom_csv(tmp_path / "v.csv", ["Id", "Name", "Level", "Hours a month"], [["ana", "Ana Lima", "1", "0.5"]])
    result = imported(site, "volunteers.yml", export, "--update")
    assert result.exit_code == 0, result.output
    assert f"{export}:2: warning: column 'Hours a month': 'ana' has 0.5 hours a month but their pairs need 2.2 " \
           "[capacity: q1/ana]" in result.output
    assert "0 added, 0 unchanged, 1 updated" in result.output


def test_a_warning_site_yml_accepts_is_counted_not_shown_as_by_rmsite_check(tmp_path):
    site = programme(tmp_path)
    (site / "site.yml").write_text((site / "site.yml").read_text() + (
        "accept:\n  - warning: outside-dates\n    subject: q1/ana-boris\n"
        "    reason: The pair met before the cohort began, to agree ground rules.\n"))
    export = excel_semicolon_csv(tmp_path / "m.csv", MEETING_HEADERS, [
        ["ana", "boris", "01/12/2026", "60", "Data tools", "Before the cohort began"],
        ["ana", "Boris Petrov", "01/03/2027", "45", "", "After the as-of date"],
    ])
    result = imported(site, "meetings.yml", export)
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == [
        f"{export}:3: warning: column 'Date': session on 2027-03-01 is after the as-of date (2027-02-20): it is "
        "not counted yet [after-as-of: q1/ana-boris]",
    ]
    assert "1 warning accepted" in result.output
    check = run("check", "-s", str(site))
    assert check.exit_code == 0 and "1 warning accepted" in check.output and "outside-dates" not in check.output
