"""The leak guard on the benchmark programme: private values planted in guides, static
files and a template, in the forms ordinary Markdown and HTML give them, fail the build
with one located error per plant, and nothing is published (issue "the leak guard sees
what a reader sees")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from rmsite.cli import main

from conftest import REPO


def first_line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_planted_values_give_one_located_error_each_and_publish_nothing(tmp_path: Path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site), "--cohorts", "2",
                    "--pairs", "8", "--guides", "30"], check=True, capture_output=True)
    cohort = yaml.safe_load((site / "cohorts/cohort-01.yml").read_text())
    people = cohort["people"]
    notes = [s["notes"] for p in cohort["pairs"] for s in p["sessions"] if s.get("notes")]
    words = notes[0].split()
    guides = sorted((site / "content").rglob("*.md"))[1:5]
    plants = {  # file: the text planted, appended
        guides[0]: "Write to " + people[0]["email"].replace("@", "&#64;") + " for help.",
        guides[1]: "A session said: " + " ".join(words[:3]) + "\n" + " ".join(words[3:]),
        guides[2]: "Call " + people[1]["phone"].replace(" ", "") + " at once.",
        guides[3]: "Quote: *" + words[0] + "* " + " ".join(words[1:]).replace(" ", "&nbsp;", 1),
        site / "static/contacts.yml": "coordinator: " + people[2]["email"],
        site / "static/CNAME": people[3]["email"],
        site / "static/about.html": "<p>" + "&nbsp;".join(notes[0].split()) + "</p>",
        site / "templates/404.html": '{% extends "theme/404.html" %}\n{% block main %}\n'
                                     f"<p>Ask {people[4]['email'].upper()}</p>\n{{% endblock %}}",
    }
    lines = {}
    for file, text in plants.items():
        file.parent.mkdir(parents=True, exist_ok=True)
        before = file.read_text() if file.exists() else ""
        file.write_text(before + ("\n" if before else "") + text + "\n")
        lines[file.relative_to(site).as_posix()] = len(before.splitlines()) + (2 if before else 1)
    lines["templates/404.html"] = 3
    out = tmp_path / "out"
    build = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(out)])
    check = CliRunner().invoke(main, ["check", "-s", str(site)])
    for result in (build, check):
        errors = [line for line in result.output.splitlines() if ": error: " in line]
        assert result.exit_code == 1
        located = sorted((m[1], int(m[2])) for m in (re.match(r"([^:]+):(\d+):\d+: error: private field", e)
                                                     for e in errors) if m)
        assert located == sorted(lines.items()), "\n".join(errors)  # one per plant, at its line
        assert len(errors) == len(plants)
        for value in (people[0]["email"], notes[0], people[1]["phone"]):
            assert value not in result.output
    assert "other places)" in build.output  # a benchmark note is held by several sessions: reported once
    assert not out.exists()
