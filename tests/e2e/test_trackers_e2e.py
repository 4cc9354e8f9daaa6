"""Goal trackers, checklists, cohort dashboards and objective trackers in built pages."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.pipeline.build import build as build_site
from rmsite.pipeline.options import Options

from conftest import copy_example

AUTUMN = "cohorts/2026-autumn"
JORDAN = f"{AUTUMN}/jordan-blake-martin-drummond/index.html"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build(site: Path, out: Path, *extra: str) -> Path:
    result = run("build", "-s", str(site), "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example programme, built once for the tests that only read pages."""
    root = tmp_path_factory.mktemp("trackers")
    return build(copy_example(root / "site"), root / "out")


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text()


def svgs(text: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", text, flags=re.S)


def section(text: str, heading_id: str) -> str:
    start = text.index(f'id="{heading_id}"')
    return text[start:text.index("</section>", start)]


def test_every_chart_is_well_formed_svg_with_a_title_and_description(built: Path):
    charts = 0
    for file in built.rglob("*.html"):
        for svg in svgs(file.read_text()):
            root = ET.fromstring(svg.replace("&nbsp;", "&#160;"))
            if "chart" not in root.get("class", ""):
                continue  # legend keys are decorative and hidden
            charts += 1
            assert root.get("role") == "img"
            title_id, desc_id = root.get("aria-labelledby").split()
            ns = "{http://www.w3.org/2000/svg}"
            found = {e.get("id"): (e.text or "") for e in root.iter() if e.tag in ("title", f"{ns}title",
                                                                                    "desc", f"{ns}desc")}
            assert found.get(title_id) and found.get(desc_id), file
    assert charts >= 7 * 2 + 2 * 3  # a chart per goal, three per cohort


def test_chart_ids_are_unique_on_each_page(built: Path):
    for file in built.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', file.read_text())
        assert len(ids) == len(set(ids)), file


def test_a_goal_tracker_shows_percent_expected_status_and_a_chart(built: Path):
    text = page(built, JORDAN)
    goal = text[text.index('id="goal-password-manager"'):text.index('id="goal-phishing-reports"')]
    assert "<strong>11%</strong> of the way" in goal and "44% expected by now" in goal
    assert 'class="status status-behind"><span aria-hidden="true">▼</span> behind' in goal
    assert 'style="width: 11%"' in goal and 'style="left: 44%"' in goal
    assert '<title id="chart-password-manager-title">Progress of Finance leadership team' in goal
    desc = re.search(r'<desc id="chart-password-manager-desc">(.*?)</desc>', goal, re.S).group(1)
    assert "steady line runs from 0 people on 7 Sep 2026 to 9 people by 19 Feb 2027" in desc
    assert "1 person on 8 Oct 2026" in desc and "As of 20 Nov 2026" in desc


def test_progress_notes_are_in_the_hover_titles_and_the_table(built: Path):
    text = page(built, f"{AUTUMN}/aisha-rahman-rebecca-thornton/index.html")
    note = "Wrote the last two without showing Aisha a draft first."
    assert f"<title>17 Nov 2026: 5 posts · {note}</title>" in text
    table = text[text.index("<caption>Progress entries for Write and publish"):]
    assert f"<td>{note}</td>" in table[:table.index("</table>")]


def test_the_checklist_is_grouped_and_flags_overdue_items(built: Path):
    text = section(page(built, JORDAN), "checklist")
    headings = re.findall(r'<h3 class="checklist-group">([^<]+)</h3>', text)
    assert headings == ["For every pair in the programme", "For every pair in Autumn 2026", "For this pair only"]
    assert 'data-checklist="2026-autumn/jordan-blake-martin-drummond"' in text
    assert re.search(r'<li class="item-overdue" data-item="reverse-shadow" data-state="overdue">\s*'
                     r'<span class="state"><span aria-hidden="true">⚠</span> Overdue</span>', text)
    assert 'was due <time datetime="2026-11-02">2 Nov 2026</time>' in text
    assert 'done <time datetime="2026-09-09">9 Sep 2026</time>' in text
    assert "1 overdue" in text


def test_pair_pages_load_the_checklist_script_and_it_is_published(built: Path):
    text = page(built, JORDAN)
    src = re.search(r'<script src="([^"]+checklist\.[0-9a-f]+\.js)" defer></script>', text).group(1)
    assert (built / AUTUMN / "jordan-blake-martin-drummond" / src).resolve().is_file()
    assert "checklist." not in page(built, "index.html")  # only pair pages need it


def test_cohort_totals_agree_with_progress_json(built: Path):
    data = json.loads(page(built, f"{AUTUMN}/progress.json"))
    held = sum(p["meetings"]["held"] for p in data["pairs"])
    planned = sum(p["meetings"]["planned"] for p in data["pairs"])
    done = sum(p["checklist"]["done"] for p in data["pairs"])
    total = sum(p["checklist"]["total"] for p in data["pairs"])
    glance = section(page(built, f"{AUTUMN}/index.html"), "at-a-glance")
    assert f'{held} <span class="of">of {planned} planned</span>' in glance
    assert f'{done} <span class="of">of {total}</span>' in glance
    assert f"{100 * held // planned}% of the cadence" in glance
    statuses = [g["status"] for p in data["pairs"] for g in p["goals"]]
    assert f'<strong class="tile-value">{len(statuses)}</strong>' in glance
    chart = section(page(built, f"{AUTUMN}/index.html"), "goal-statuses")
    for status in ("done", "on track", "at risk", "behind", "overdue"):
        count = statuses.count(status)
        assert f"{status}: {count}" in chart
        assert f"{count} goal{'' if count == 1 else 's'}</text>" in chart


def test_pairs_needing_attention_come_first_with_their_reasons(built: Path):
    text = page(built, f"{AUTUMN}/index.html")
    attention = section(text, "attention")
    assert attention.count('<a href="') == 1
    assert '<a href="jordan-blake-martin-drummond/">Jordan Blake and Martin Drummond</a>' in attention
    assert "overdue item</span>: The mentee spends at least half a day" in attention
    assert "behind</span> goal: Finance leadership team using the password manager" in attention
    rows = re.findall(r'<th scope="row"><a href="([^"]+)"', section(text, "pairs"))
    assert rows[0] == "jordan-blake-martin-drummond/" and len(rows) == 6  # the proposed pair is not listed


def test_a_pair_without_a_meeting_in_two_cadence_periods_needs_attention(example: Path, tmp_path: Path):
    out = build(example, tmp_path / "out", "--as-of", "2026-11-10")
    attention = section(page(out, f"{AUTUMN}/index.html"), "attention")
    jordan = attention[attention.index("Jordan Blake"):]
    assert re.search(r"no meeting for 34 days \(last on <time datetime=\"2026-10-07\">7 Oct 2026</time>; "
                     r"meets fortnightly\)", jordan)
    assert "Aisha Rahman" not in attention


def test_an_ended_cohort_lists_what_was_left_open(built: Path):
    attention = section(page(built, "cohorts/2026-pilot/index.html"), "attention")
    assert "This cohort has ended" in attention
    assert "overdue</span> goal: Fix the worst claims-system workarounds" in attention
    assert "no meeting" not in attention


def test_check_in_scores_by_stage_show_before_during_after_and_change(built: Path):
    text = section(page(built, "cohorts/2026-pilot/index.html"), "check-ins")
    row = re.search(r'<th scope="row">confidence</th>(.*?)</tr>', text, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[0].startswith("1.7 ") and cells[1].startswith("3.3 ") and cells[2].startswith("4.0 ")
    assert "<strong>+2.3</strong>" in cells[3]
    assert "confidence: before 1.7, during 3.3, after 4.0, change +2.3" in text
    assert 'marker-end="url(#chart-scores-arrow)"' in text


def test_the_pilot_shows_its_retrospective(built: Path):
    text = page(built, "cohorts/2026-pilot/index.html")
    retro = section(text, "retrospective")
    assert "Pilot retrospective" in retro and 'datetime="2026-08-27"' in retro
    for heading in ("What worked", "What didn&#39;t work", "What we&#39;ll do next time"):
        assert heading in retro
    assert "Let pairs choose to meet weekly, fortnightly or monthly." in retro
    assert 'id="retrospective"' not in page(built, f"{AUTUMN}/index.html")


def test_a_retrospective_on_a_full_cohort_is_shown_without_the_pilot_label(example: Path, tmp_path: Path):
    cohort = example / "cohorts/2026-autumn.yml"
    cohort.write_text(cohort.read_text().replace(
        "\npeople:\n", "\nretrospective:\n  worked: [Weekly pairs]\n  did_not_work: ['<b>Forms</b> & more']\n\npeople:\n", 1))
    out = build(example, tmp_path / "out")
    retro = section(page(out, f"{AUTUMN}/index.html"), "retrospective")
    assert ">Retrospective</h2>" in retro and "Pilot" not in retro
    assert "&lt;b&gt;Forms&lt;/b&gt; &amp; more" in retro
    assert "What we&#39;ll do next time" not in retro  # an empty list is left out


def test_objectives_show_their_own_value_and_the_goals_serving_them(built: Path):
    text = page(built, "index.html")
    access = text[text.index('id="objective-tool-access-days"'):text.index('id="objective-ideas-adopted"')]
    assert "<strong>7 working days</strong> now, from 12 working days towards 5 working days" in access
    assert "<strong>71%</strong> of the way" in access and "status-on-track" in access
    assert ('<a href="cohorts/2026-pilot/kwame-asante-graham-whitlock/#goal-access-days">'
            "Cut the time new claims handlers wait for system access</a>") in access
    assert "Served by" in access and "lower is better" in access
    confidence = text[text.index('id="objective-digital-confidence"'):text.index('id="objective-tool-access-days"')]
    assert "<strong>57%</strong> now" in confidence and "status-at-risk" in confidence
    assert confidence.count('<li><span class="status') == 6  # six goals name it, none summed


def test_goal_links_from_objectives_land_on_a_goal(built: Path):
    text = page(built, "index.html")
    for href, goal_id in re.findall(r'<a href="(cohorts/[^"#]+)#(goal-[a-z0-9-]+)"', text):
        assert f'id="{goal_id}"' in page(built, href + "index.html"), href


def test_an_objective_without_measurements_says_so(example: Path, tmp_path: Path):
    site = example / "site.yml"
    site.write_text(re.sub(r"      progress:\n(        .*\n)+", "", site.read_text()))
    out = build(example, tmp_path / "out")
    text = page(out, "index.html")
    assert text.count("No measurement of this objective recorded yet.") == 3
    assert "chart-objective-" not in text


def test_measurements_after_as_of_are_drawn_but_not_counted(example: Path, tmp_path: Path):
    out = build(example, tmp_path / "out", "--as-of", "2026-09-01")
    text = page(out, "index.html")
    confidence = text[text.index('id="objective-digital-confidence"'):text.index('id="objective-tool-access-days"')]
    assert "<strong>67%</strong> now" in confidence
    assert '<g class="point not-counted">' in confidence
    assert "(after the as-of date, not counted yet)" in confidence


def test_a_site_can_override_the_chart_macros(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/charts.html").write_text(
        '{% import "theme/charts.html" as theme %}'
        '{% macro track(chart, id, title, description, unit="") %}<p class="my-chart">{{ title }}</p>{% endmacro %}'
        '{% macro track_legend() %}{% endmacro %}'
        '{% macro bars(chart, id, title, description, icons={}) %}{{ theme.bars(chart, id, title, description, icons) }}{% endmacro %}'
        '{% macro scores(chart, id, title, description) %}{% endmacro %}'
        '{% macro scores_legend() %}{% endmacro %}')
    out = build(example, tmp_path / "out")
    assert '<p class="my-chart">Progress of Finance leadership team' in page(out, JORDAN)
    assert 'class="chart chart-bars"' in page(out, f"{AUTUMN}/index.html")


def test_notes_are_escaped_inside_charts(example: Path, tmp_path: Path):
    cohort = example / "cohorts/2026-autumn.yml"
    cohort.write_text(cohort.read_text().replace(
        "note: Martin set up his own vault during the session.",
        "note: \"<script>alert('x')</script> & </title>\"", 1))
    out = build(example, tmp_path / "out")
    text = page(out, JORDAN)
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;/title&gt;</title>" in text
    for svg in svgs(text):
        ET.fromstring(svg)


def test_private_fields_stay_out_of_the_dashboards(built: Path, example: Path):
    import yaml
    comments = [c["comment"] for file in sorted((example / "cohorts").glob("*.yml"))
                for pair in yaml.safe_load(file.read_text())["pairs"] for c in pair.get("check_ins", [])
                if c.get("comment")]
    assert comments
    text = page(built, f"{AUTUMN}/index.html") + page(built, "cohorts/2026-pilot/index.html") + page(built, "index.html")
    assert all(html.escape(c) not in text and c not in text for c in comments)


def test_a_large_programmes_home_lists_the_goals_most_behind_and_counts_by_cohort(tmp_path: Path):
    import subprocess
    import sys

    from conftest import REPO
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site), "--cohorts", "3",
                    "--pairs", "20", "--guides", "2"], check=True, capture_output=True)
    out = tmp_path / "out"
    assert build_site(Options(site, out)).written
    home = (out / "index.html").read_text()
    sections = home.split("<h4>Goals serving this objective</h4>")[1:]
    assert sections
    for section in sections:
        listed = re.findall(r'<li><span class="status status-([a-z-]+)"', section.split("by cohort:")[0])
        assert 0 < len(listed) <= 12
        assert set(listed) <= {"overdue", "behind", "at-risk"}
        assert re.search(r"The \d+ goals most behind, of \d+:", section)
        assert len(re.findall(r'href="cohorts/cohort-0\d/"', section.split("by cohort:")[1])) >= 1
    assert len(home) < 60_000


def test_goals_to_show_keeps_every_goal_when_there_are_few_and_the_worst_otherwise():
    from rmsite.site.trackers import ContributionView
    from rmsite.site.views import goals_to_show

    def goal(number: int, status: str, percent: int) -> ContributionView:
        return ContributionView(f"g{number}", "t", status, percent, 0, 1, "", "p", "x/", "c")
    few = tuple(goal(i, "on track", 50) for i in range(3))
    assert goals_to_show(few) == few
    many = (goal(0, "done", 100), goal(1, "at risk", 10), goal(2, "behind", 40), goal(3, "overdue", 90),
            goal(4, "behind", 5), goal(5, "on track", 60))
    assert [g.goal_id for g in goals_to_show(many, limit=3)] == ["g3", "g4", "g2"]
