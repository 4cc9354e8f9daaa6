"""Two audiences, end to end: a programme with a private value in every private field builds a
public site in which none of them appears (every output file searched) and a coordinator's
report in which every one does; proposed pairs are invisible publicly; the report refuses to be
written where it could be published."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from conftest import write_files

SITE = """
title: Two audiences
as_of: 2027-03-01
programme:
  approvals: 2
  check_in_scores: [confidence, trust]
accept:
  - warning: capacity
    subject: q1/cara
    reason: Cara's manager agreed the extra time for the spring
"""

# every private field holds a value found nowhere else; each names itself
PRIVATE = {
    "email": "ana.private@example.test", "phone": "07700 900111",
    "notes": "NOTES-secret-agenda-of-the-session", "to_mentor": "FEEDBACK-to-mentor-speak-slower",
    "to_mentee": "FEEDBACK-to-mentee-listen-first", "comment": "COMMENT-i-felt-unheard",
    "reason": "REASON-bob-on-medical-leave",
}

COHORT = f"""
name: Spring 2027
starts: 2027-01-04
ends: 2027-06-25
people:
  - {{id: ana, name: Ana Lima, level: 1, email: {PRIVATE['email']}, phone: "{PRIVATE['phone']}", offers: [data]}}
  - {{id: bob, name: Bob Stone, level: 5, wants: [data]}}
  - {{id: cara, name: Cara Diaz, level: 2, hours_per_month: 1, offers: [data]}}
  - {{id: dev, name: Dev Patel, level: 6, wants: [data]}}
  - {{id: eve, name: Eve Quinn, level: 1, offers: [data]}}
  - {{id: finn, name: Finn Okoro, level: 7, wants: [data]}}
  - {{id: gus, name: Gus Nilsen, level: 2, offers: [data], hours_per_month: 3}}
pairs:
  - mentor: ana
    mentee: bob
    focus: [data]
    approved_by: [{{name: Nadia, date: 2026-12-20}}, {{name: Priya, date: 2026-12-21}}]
    status: paused
    status_date: 2027-02-01
    status_reason: {PRIVATE['reason']}
    sessions:
      - date: 2027-01-04
        notes: {PRIVATE['notes']}
        feedback: {{to_mentor: {PRIVATE['to_mentor']}, to_mentee: {PRIVATE['to_mentee']}}}
    check_ins:
      - {{stage: before, date: 2027-01-04, by: mentor, scores: {{confidence: 2, trust: 3}}, comment: {PRIVATE['comment']}}}
      - {{stage: before, date: 2027-01-04, by: mentee, scores: {{confidence: 1}}}}
      - {{stage: after, date: 2027-01-30, by: mentee, scores: {{confidence: 5}}}}
  - mentor: cara
    mentee: dev
    focus: [data]
    approved_by: [Nadia, Priya]
    check_ins:
      - {{stage: before, date: 2027-01-04, by: mentor, scores: {{confidence: 4}}}}
  - mentor: eve
    mentee: finn
    focus: [data]
    approved_by: [Nadia, Priya]
    status: ended
    status_date: 2027-01-25
  - id: proposed-pair-gus-finn
    mentor: gus
    mentee: finn
    focus: [data]
    status: proposed
    approved_by: [{{name: Nadia, date: 2027-02-25}}]
"""


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", {"site.yml": SITE, "cohorts/q1.yml": COHORT,
                                           "content/index.md": "---\ntitle: Home\n---\nWelcome.\n"})


def every_output_text(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8", "replace")
            for p in folder.rglob("*") if p.is_file()}


def test_the_public_site_holds_no_private_value_and_no_proposed_pair(programme: Path):
    result = build(Options(programme, programme / "_site"))
    assert result.written, [p.format() for p in result.problems]
    texts = every_output_text(programme / "_site")
    for name, value in PRIVATE.items():
        assert not [rel for rel, text in texts.items() if value in text], name
    assert not [rel for rel, text in texts.items() if "proposed-pair-gus-finn" in text or "Gus Nilsen and" in text]
    assert not (programme / "_site/cohorts/q1/proposed-pair-gus-finn").exists()
    progress = json.loads(texts["cohorts/q1/progress.json"])
    assert [(p["id"], p["status"]) for p in progress["pairs"]] == [
        ("ana-bob", "paused"), ("cara-dev", "active"), ("eve-finn", "ended")]
    assert all("check_in_change" not in p and "check_in_change_by" not in p for p in progress["pairs"])
    paused = texts["cohorts/q1/ana-bob/index.html"]
    assert "Paused since 1 February 2027." in paused and "confidence 2" not in paused and "Scores" not in paused
    assert "Ended on 25 January 2027." in texts["cohorts/q1/eve-finn/index.html"]
    cohort_page = texts["cohorts/q1/index.html"]
    # before: 3 respondents (ana-bob's two sides, cara-dev's mentor); after: one, so withheld
    assert "fewer than 3 answers" in cohort_page and "2.3" in cohort_page
    assert "Nadia (" in paused and "20 Dec 2026" in paused  # dated sign-offs are public


def test_publishing_scores_shows_each_pairs_scores_and_changes(programme: Path):
    (programme / "site.yml").write_text(SITE + "privacy:\n  publish: [scores]\n  min_group: 1\n", encoding="utf-8")
    result = build(Options(programme, programme / "_site"))
    assert result.written
    page = (programme / "_site/cohorts/q1/ana-bob/index.html").read_text(encoding="utf-8")
    assert "confidence 2, trust 3" in page
    progress = json.loads((programme / "_site/cohorts/q1/progress.json").read_text(encoding="utf-8"))
    assert progress["pairs"][0]["check_in_change_by"]["mentee"] == {"confidence": 4.0}
    assert "fewer than" not in (programme / "_site/cohorts/q1/index.html").read_text(encoding="utf-8")


def test_the_report_holds_everything_the_public_site_leaves_out(programme: Path):
    result = CliRunner().invoke(main, ["report", "-s", str(programme)])
    assert result.exit_code == 0, result.output
    report = (programme / "_private/report.html").read_text(encoding="utf-8")
    for name, value in PRIVATE.items():
        assert value in report, name
    assert "Proposed pairs awaiting sign-off" in report and "proposed-pair-gus-finn" in report
    assert "Confidential" in report and 'name="robots" content="noindex' in report and "<script" not in report
    assert "Nadia (20 Dec 2026)" in report and "Gus Nilsen" in report  # dated sign-offs; the proposed pair's people
    assert "Accepted:</strong> Cara&#39;s manager agreed" in report  # the accepted capacity warning, with its reason
    assert "[approvals: q1/proposed-pair-gus-finn]" in report
    assert "mentee: confidence +4.0" in report  # each side's change
    assert "1 warning accepted" in result.output
    # the report's figures are the public page's: the proposed pair counts in neither
    build(Options(programme, programme / "_site"))
    public = (programme / "_site/cohorts/q1/index.html").read_text(encoding="utf-8")
    held, planned = re.search(r'tile-value">(\d+) <span class="of">of (\d+) planned', public).groups()
    assert f"meetings held {held} of {planned} planned" in report
    # the paused pair needs attention less than the active one that is quiet: attention first
    assert report.index("Cara Diaz and Dev Patel") < report.index("Eve Quinn and Finn Okoro")


@pytest.mark.parametrize("where", ["_site/report.html", "static/report.html", "content/r.html", "cohorts/r.html",
                                   "templates/report.html", "imports/report.html"])
def test_the_report_refuses_a_place_where_it_could_be_published(programme: Path, where: str):
    (programme / "static").mkdir()
    result = CliRunner().invoke(main, ["report", "-s", str(programme), "--output", str(programme / where)])
    assert result.exit_code == 1
    assert "the report may not be written inside" in result.output
    assert not (programme / where).exists() and not (programme / "_private").exists()


def test_the_report_of_one_cohort_and_an_unknown_cohort(programme: Path, tmp_path: Path):
    out = tmp_path / "elsewhere/q1.html"
    assert CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(out), "--cohort", "q1"]).exit_code == 0
    assert "Spring 2027" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(tmp_path / "x.html"), "--cohort", "q2"])
    assert bad.exit_code == 1 and "no cohort 'q2'" in bad.output and not (tmp_path / "x.html").exists()


def test_a_programme_with_an_error_gets_no_report(programme: Path):
    (programme / "cohorts/q1.yml").write_text(COHORT.replace("level: 5", "level: five"), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", "-s", str(programme)])
    assert result.exit_code == 1 and "error" in result.output and not (programme / "_private").exists()


def test_a_static_file_inside_the_report_folder_is_refused(programme: Path):
    assert CliRunner().invoke(main, ["report", "-s", str(programme)]).exit_code == 0
    (programme / "static").mkdir()
    (programme / "static/report").symlink_to(programme / "_private")
    result = build(Options(programme, programme / "_site"))
    assert not result.written
    assert any("_private/report.html, which is private" in p.message for p in result.problems)


def test_init_keeps_the_report_folder_out_of_git(tmp_path: Path):
    assert CliRunner().invoke(main, ["init", str(tmp_path / "new")]).exit_code == 0
    assert "_private/" in (tmp_path / "new/.gitignore").read_text(encoding="utf-8").split()


def test_serve_report_previews_the_report_on_a_second_path(programme: Path):
    from rmsite.serve import REPORT_PATH, PreviewServer
    server = PreviewServer(Options(programme), "127.0.0.1", 0, lambda line: None, report=True)
    server.start()
    try:
        with urllib.request.urlopen(server.report_url) as answer:
            page = answer.read().decode("utf-8")
        assert PRIVATE["reason"] in page and "/__rmsite/events" in page  # with the live reload
        assert server.report_url.endswith(REPORT_PATH)
    finally:
        server.stop()
    plain = PreviewServer(Options(programme), "127.0.0.1", 0, lambda line: None)
    plain.start()
    try:
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(plain.report_url)
        assert missing.value.code == 404
    finally:
        plain.stop()


def test_serve_report_is_refused_on_an_address_others_can_reach(programme: Path):
    result = CliRunner().invoke(main, ["serve", "-s", str(programme), "--report", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "only on 127.0.0.1" in result.output


def test_match_write_adds_proposed_pairs_that_stay_off_the_public_site(programme: Path):
    text = COHORT.split("pairs:\n")[0] + "  - {id: hal, name: Hal Berg, level: 9, wants: [data]}\npairs: []\n"
    (programme / "cohorts/q1.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["match", "q1", "-s", str(programme), "--write"])
    assert result.exit_code == 0, result.output
    assert "status: proposed" in (programme / "cohorts/q1.yml").read_text(encoding="utf-8")
    built = build(Options(programme, programme / "_site"))
    assert built.written
    progress = json.loads((programme / "_site/cohorts/q1/progress.json").read_text(encoding="utf-8"))
    assert progress["pairs"] == []
    assert not [p for p in (programme / "_site/cohorts/q1").iterdir() if p.is_dir()]


def test_the_report_refuses_static_even_through_a_link(programme: Path):
    (programme / "assets").mkdir()
    (programme / "static").symlink_to(programme / "assets")
    result = CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(programme / "assets/report.html")])
    assert result.exit_code == 1 and "inside static/" in result.output
    assert not (programme / "assets/report.html").exists()


def test_an_output_ending_in_a_slash_is_a_folder_for_the_report(programme: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(tmp_path / "reports") + "/"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports/report.html").is_file()


def test_a_report_of_one_cohort_leaves_out_the_warnings_about_another(programme: Path, tmp_path: Path):
    (programme / "cohorts/q2.yml").write_text(
        "name: Other\nstarts: 2027-01-04\nends: 2027-06-25\npeople:\n  - {id: zed, name: Zed, level: 1}\n",
        encoding="utf-8")
    (programme / "site.yml").write_text(SITE + "  - warning: capacity\n    subject: q2/zed\n    reason: old\n",
                                        encoding="utf-8")
    both = tmp_path / "both.html"
    assert CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(both)]).exit_code == 0
    assert "about &#39;q2/zed&#39;" in both.read_text(encoding="utf-8")  # the stale accept, about q2
    one = tmp_path / "one.html"
    assert CliRunner().invoke(main, ["report", "-s", str(programme), "-o", str(one), "--cohort", "q1"]).exit_code == 0
    assert "q2/zed" not in one.read_text(encoding="utf-8")
