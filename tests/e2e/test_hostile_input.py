"""Hostile and unusual input that must build safely, or fail at a location:
what the corpus in tests/corpus/invalid/ cannot hold (files generated at test time)
and what must be accepted and rendered exactly (escaped where it is text)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from rmsite.cli import main

from minimal import COHORT_YML, OTHER_MD, minimal_site


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def site_with(root: Path, old: str, new: str, file: str = "cohorts/q1.yml") -> Path:
    site = minimal_site(root)
    path = site / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return site


def pages(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))


# --- limits -------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["cohorts/q1.yml", "content/other.md", "site.yml"])
def test_a_50_mb_file_is_refused_at_its_path_without_being_read(tmp_path: Path, rel: str):
    site = minimal_site(tmp_path / "site")
    with open(site / rel, "ab") as handle:
        handle.write(b"# padding\n" * 5_000_000)  # 50 MB of valid comments
    started = time.perf_counter()
    result = run("check", "-s", str(site))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{rel}:1:1: error: file is too large (47.7 MB; the limit is 10 MB)" in result.output
    assert time.perf_counter() - started < 10


def test_ten_thousand_people_in_one_cohort_build(tmp_path: Path):
    lines = ["name: Everyone", "starts: 2027-01-04", "ends: 2027-06-25", "people:"]
    for i in range(10_000):
        lines += [f"  - id: p{i:05d}", f"    name: Person {i}", f"    level: {1 if i % 2 == 0 else 5}",
                  f"    email: person{i:05d}@example.org"]
    lines.append("pairs:")
    for i in range(0, 400, 2):
        lines += [f"  - mentor: p{i:05d}", f"    mentee: p{i + 1:05d}", "    approved_by: [Ana, Ben]",
                  "    sessions:", "      - date: 2027-01-18", "        notes: private notes of the pair"]
    site = minimal_site(tmp_path / "site", cohorts__everyone_yml="\n".join(lines) + "\n")
    out = tmp_path / "out"
    started = time.perf_counter()
    result = run("build", "-s", str(site), "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 60
    data = json.loads((out / "cohorts/everyone/progress.json").read_text())
    assert len(data["pairs"]) == 200
    assert data["pairs"][0]["meetings"] == {"planned": 4, "held": 1, "compliance": 0.25}
    assert "10000" in (out / "cohorts/everyone/index.html").read_text()  # the people count
    assert "person00000@example.org" not in pages(out)


# --- accepted and rendered exactly ----------------------------------------------

def test_jinja_syntax_in_names_is_shown_literally_not_run(tmp_path: Path):
    site = minimal_site(tmp_path / "site",
                        cohorts__q1_yml=COHORT_YML.replace("Ana Lima", "Ana {{ 7*7 }} {% raw %}Lima")
                        .replace("name: Spring 2027", "name: Spring {{ site.title }}"),
                        content__other_md=OTHER_MD.replace("title: Other", "title: Other {{ 6*7 }}")
                        .replace("Be kind.", "Be kind {{ 8*8 }} {% if true %}x{% endif %}."))
    out = tmp_path / "out"
    result = run("build", "-s", str(site), "-o", str(out))
    assert result.exit_code == 0, result.output
    pair = (out / "cohorts/q1/ana-boris/index.html").read_text()
    assert "Ana {{ 7*7 }} {% raw %}Lima" in pair and "Ana 49" not in pair
    assert "Spring {{ site.title }}" in (out / "cohorts/q1/index.html").read_text()
    guide = (out / "other/index.html").read_text()
    assert "Other {{ 6*7 }}" in guide and "42" not in guide
    assert "Be kind {{ 8*8 }} {% if true %}x{% endif %}." in guide


# every text field a page can show, each with its own marker ({v}, {v2}, {v3});
# a third item marks a field that no built-in page shows (still never unescaped)
FIELDS = {
    "site.yml": [("title: Test programme", 'title: {v}'),
                 ("as_of:", "description: {v}\norganisation: {v2}\nas_of:"),
                 ("      due: 2027-06-30\n", "      due: 2027-06-30\n      unit: {v}\n      rationale: {v2}\n"
                                             "      owner: {v3}\n"),
                 ("title: Leaders use the new tools", "title: {v}"),
                 ("measure: leaders using the tools weekly", "measure: {v}"),
                 ("text: Agree ground rules", "text: {v}")],
    "cohorts/q1.yml": [("name: Spring 2027", "name: {v}"),
                       ("people:\n", "expectations:\n  - {{id: showcase, text: {v}, due_week: 20}}\npeople:\n"),
                       ("    name: Ana Lima\n", "    name: {v}\n    title: {v2}\n    bio: {v3}\n"),
                       ("team: Support", "team: {v}"),
                       ("offers: [Data tools, Customer voice]", "offers: [Data tools, {v}]", "not shown"),
                       ("wants: [data tools]", "wants: [data tools, {v}]", "not shown"),
                       ("approved_by: [Coordinator, Head of People]", "approved_by: [Coordinator, {v}]\n"
                                                                      "    ground_rules: [{v2}]"),
                       ("    done:\n", "    expectations:\n      - {{id: demo, text: {v}, due_week: 8}}\n    done:\n"),
                       ("title: Build a first report", "title: {v}"),
                       ("measure: reports built", "measure: {v}\n        unit: {v2}"),
                       ("{date: 2027-02-10, value: 2}", "{{date: 2027-02-10, value: 2, note: {v}}}"),
                       ("      - date: 2027-02-01\n", "      - date: 2027-02-01\n        topics: [{v}]\n"
                                                      "        outputs: [{v2}]\n"),
                       ("scores: {confidence: 2}", "scores: {{confidence: 2, {v}: 3}}"),
                       ("scores: {confidence: 4}", "scores: {{confidence: 4, {v}: 4}}")],
    "content/other.md": [("title: Other", "title: {v}\nsummary: {v2}\ntags: [{v3}]")],
}


def test_html_and_script_in_every_text_field_are_escaped(tmp_path: Path):
    site = minimal_site(tmp_path / "site")
    shown_markers = []
    for rel, edits in FIELDS.items():
        path = site / rel
        text = path.read_text(encoding="utf-8")
        for index, (old, new, *hidden) in enumerate(edits):
            values = {}
            for key in ("v", "v2", "v3"):
                marker = f"{rel}-{index}-{key}"
                if "{" + key + "}" in new and not hidden:
                    shown_markers.append(marker)
                # double quotes for YAML, both quote kinds and a tag for HTML
                values[key] = json.dumps(f"\"'><script>alert('{marker}')</script>")
            assert old in text, old
            text = text.replace(old, new.format(**values), 1)
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", "-s", str(site), "-o", str(out))
    assert result.exit_code == 0, result.output
    for file in sorted(out.rglob("*")):
        if file.suffix in (".html", ".xml"):
            text = file.read_text(encoding="utf-8")
            assert "<script>alert(" not in text, file
            assert "\"'><" not in text, file
    shown = pages(out)
    missing = [m for m in shown_markers if str(escape(f"\"'><script>alert('{m}')</script>")) not in shown]
    assert len(shown_markers) == 29 and missing == []  # every field is on a page, escaped


def test_raw_html_in_a_guide_body_is_kept_as_trusted_author_content(tmp_path: Path):
    body = '<div class="callout">Read <em>this</em> first.</div>\n\n<script>console.log("author")</script>\n'
    site = minimal_site(tmp_path / "site", content__other_md=OTHER_MD + "\n" + body)
    out = tmp_path / "out"
    assert run("build", "-s", str(site), "-o", str(out)).exit_code == 0
    guide = (out / "other/index.html").read_text()
    assert '<div class="callout">Read <em>this</em> first.</div>' in guide
    assert '<script>console.log("author")</script>' in guide


def test_zero_width_and_right_to_left_characters_in_names_are_kept(tmp_path: Path):
    name = "Ana\u200bLima \u202bمريم\u202c \u202eevil"
    site = site_with(tmp_path / "site", "Ana Lima", name)
    out = tmp_path / "out"
    result = run("build", "-s", str(site), "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert name in (out / "cohorts/q1/ana-boris/index.html").read_text(encoding="utf-8")


def test_byte_order_marks_and_crlf_build_the_same_site(tmp_path: Path):
    plain = minimal_site(tmp_path / "plain")
    windows = minimal_site(tmp_path / "windows")
    for file in windows.rglob("*"):
        if file.is_file():
            file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    assert run("build", "-s", str(plain), "-o", str(tmp_path / "a")).exit_code == 0
    result = run("build", "-s", str(windows), "-o", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    tree = lambda root: {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}  # noqa: E731 (a one-line helper)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_tabs_inside_values_are_text_not_indentation(tmp_path: Path):
    site = site_with(tmp_path / "site", "team: Support", 'team: "Support\tand\tsales"')
    out = tmp_path / "out"
    assert run("build", "-s", str(site), "-o", str(out)).exit_code == 0
    assert "Support\tand\tsales" in (out / "cohorts/q1/ana-boris/index.html").read_text()



def test_thousands_of_problems_print_the_first_200_and_a_count_of_the_rest(tmp_path: Path):
    site = minimal_site(tmp_path / "site")
    people = "".join(f"  - id: p{i}\n    name: P {i}\n    level: high\n    hours_per_month: lots\n" for i in range(600))
    (site / "cohorts/big.yml").write_text(f"name: Big\nstarts: 2027-01-04\nends: 2027-06-25\npeople:\n{people}")
    result = CliRunner().invoke(main, ["check", "-s", str(site)])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert sum(": error: " in line for line in lines) == 200
    assert "… and 1,000 more problems not shown: fix these first" in lines
    assert lines[-1] == "1200 errors, 0 warnings"


def test_dates_at_the_end_of_the_calendar_build_a_working_site(tmp_path: Path):
    """9999-12-31 as a cohort's end, a goal's due date and the as-of date: pages, not exit 3."""
    site = minimal_site(tmp_path / "site")
    cohort = site / "cohorts/q1.yml"
    cohort.write_text(cohort.read_text().replace("ends: 2027-06-25", "ends: 9999-12-31")
                      .replace("        due: 2027-03-31", "        due: 9999-12-31"))
    config = site / "site.yml"
    config.write_text("\n".join("as_of: 9999-12-31" if line.startswith("as_of:") else line
                                for line in config.read_text().splitlines()) + "\n")
    result = CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/cohorts/q1/index.html").is_file()
