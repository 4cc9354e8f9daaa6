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
    # a pair's check-in changes are left out unless privacy.publish has scores (test_report_e2e.py)
    assert set(pair) - {"status_date"} == {"id", "mentor", "mentee", "status", "meetings", "checklist", "goals"}
    assert (out / f"cohorts/2026-autumn/{pair['id']}/index.html").is_file()


def test_example_programme_checks_clean_in_strict_mode(example: Path):
    result = run("check", "--source", str(example), "--strict")
    assert result.exit_code == 0, result.output
    assert "ok: 2 cohorts" in result.output


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_failing_build_leaves_the_previous_output_byte_for_byte(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    before = tree_bytes(out)
    cohort = example / "cohorts/2026-autumn.yml"
    cohort.write_text(cohort.read_text().replace("level: ", "level: x", 1))
    result = run("build", "-s", str(example), "-o", str(out))
    assert result.exit_code == 1
    assert "cohorts/2026-autumn.yml:" in result.output and "error:" in result.output
    assert "Traceback" not in result.output
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging left behind


def test_template_error_fails_the_build_and_keeps_the_old_output(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    before = tree_bytes(out)
    (example / "templates").mkdir()
    (example / "templates/404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ view.missing }}</p>\n{% endblock %}\n')
    result = run("build", "-s", str(example), "-o", str(out))
    assert result.exit_code == 1
    assert "templates/404.html:3:1: error: template error" in result.output
    assert tree_bytes(out) == before


def test_site_template_overrides_the_theme_and_static_is_copied(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p class="custom">Lost? {{ site.title }}</p>{% endblock %}')
    (example / "static/img").mkdir(parents=True)
    (example / "static/img/logo.svg").write_text("<svg/>")
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    assert '<p class="custom">Lost? ' in (out / "404.html").read_text()
    assert (out / "img/logo.svg").read_text() == "<svg/>"


def test_builds_are_reproducible(example: Path, tmp_path: Path):
    assert run("build", "-s", str(example), "-o", str(tmp_path / "a")).exit_code == 0
    assert run("build", "-s", str(example), "-o", str(tmp_path / "b")).exit_code == 0
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_source_date_epoch_sets_the_default_as_of(example: Path, tmp_path: Path, monkeypatch):
    site = example / "site.yml"
    site.write_text("\n".join(line for line in site.read_text().splitlines() if not line.startswith("as_of:")) + "\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    assert run("build", "-s", str(example), "-o", str(tmp_path / "out")).exit_code == 0
    data = json.loads((tmp_path / "out/cohorts/2026-pilot/progress.json").read_text())
    assert data["as_of"] == "2026-09-21"
    assert run("build", "-s", str(example), "-o", str(tmp_path / "out"), "--as-of", "2026-10-01").exit_code == 0
    data = json.loads((tmp_path / "out/cohorts/2026-pilot/progress.json").read_text())
    assert data["as_of"] == "2026-10-01"


def internal_links(out: Path, base_path: str) -> list[str]:
    """Every href/src that does not resolve to a file when served under base_path."""
    import re
    from urllib.parse import urljoin, urlsplit
    broken = []
    for page in out.rglob("*.html"):
        rel = page.relative_to(out).as_posix()
        page_url = "http://host" + base_path + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            target = urljoin(page_url, href)
            parts = urlsplit(target)
            if parts.netloc != "host":
                continue
            path = parts.path
            if not path.startswith(base_path):
                broken.append(f"{rel}: {href}")
                continue
            file = out / path[len(base_path):]
            if path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{rel}: {href}")
    return broken


def test_every_internal_link_works_under_a_sub_path(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out), "--base-url", "/deep/mentoring/").exit_code == 0
    assert internal_links(out, "/deep/mentoring/") == []
    assert 'href="/deep/mentoring/cohorts/"' in (out / "404.html").read_text()


def test_sitemap_is_absolute_with_an_absolute_base_url(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out),
               "--base-url", "https://intranet.example/mentoring/").exit_code == 0
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://intranet.example/mentoring/cohorts/2026-pilot/</loc>" in sitemap
    assert "404" not in sitemap
    assert '<link rel="canonical" href="https://intranet.example/mentoring/pairing/">' in (
        out / "pairing/index.html").read_text()


def test_private_fields_stay_off_pages_unless_published(example: Path, tmp_path: Path):
    import yaml
    cohort = yaml.safe_load((example / "cohorts/2026-autumn.yml").read_text())
    emails = [p["email"] for p in cohort["people"] if p.get("email")]
    notes = [s["notes"] for pair in cohort["pairs"] for s in pair.get("sessions", []) if s.get("notes")]
    assert emails and notes
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    text = "\n".join(p.read_text() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml"))
    import html
    for value in emails + notes:
        assert value not in text and html.escape(value) not in text
    site = example / "site.yml"
    site.write_text(site.read_text().replace("publish: []", "publish: [email]"))
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    text = "\n".join(p.read_text() for p in out.rglob("*.html"))
    assert emails[0] in text
    assert all(html.escape(n) not in text for n in notes)


def test_values_are_escaped_in_pages(example: Path, tmp_path: Path):
    cohort = example / "cohorts/2026-pilot.yml"
    import re
    text = re.sub(r"(\n    name: )([^\n]+)", r"\1'<script>alert(1)</script> {{ 7*7 }}'", cohort.read_text(), count=1)
    cohort.write_text(text)
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0, "\n"
    pages = "\n".join(p.read_text() for p in (out / "cohorts/2026-pilot").rglob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in pages
    assert "<script>alert(1)" not in pages


def test_draft_guides_build_only_with_drafts(example: Path, tmp_path: Path):
    (example / "content/wip.md").write_text("---\ntitle: Work in progress\ndraft: true\n---\nSoon.\n")
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    assert not (out / "wip").exists()
    assert run("build", "-s", str(example), "-o", str(out), "--drafts").exit_code == 0
    assert (out / "wip/index.html").is_file()


def test_output_that_is_not_ours_is_refused_and_untouched(example: Path, tmp_path: Path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = run("build", "-s", str(example), "-o", str(out))
    assert result.exit_code == 1
    assert "is not empty and was not made by rmsite" in result.output
    assert tree_bytes(out) == {"thesis.docx": b"precious"}


def test_output_inside_the_source_folders_is_refused(example: Path):
    for bad in (example, example / "content" / "out", example.parent):
        result = run("build", "-s", str(example), "-o", str(bad))
        assert result.exit_code == 1, bad
        assert "error: the output folder" in result.output


def test_default_output_is_site_yml_output(example: Path):
    assert run("build", "-s", str(example)).exit_code == 0
    assert (example / "_site/index.html").is_file()
    assert (example / "_site/.rmsite").is_file()
    assert run("build", "-s", str(example)).exit_code == 0  # rebuilding over our own output


def test_usage_errors_exit_2(example: Path):
    assert run("build", "-s", str(example), "--as-of", "2027-02-30").exit_code == 2
    assert run("build", "-s", str(example), "--base-url", "mentoring").exit_code == 2
    assert run("build", "-s", str(example / "nope")).exit_code == 2
    assert run("bild").exit_code == 2


def test_check_writes_nothing(example: Path):
    result = run("check", "-s", str(example))
    assert result.exit_code == 0
    assert not (example / "_site").exists()


def test_a_guide_that_clashes_with_a_generated_page_is_an_error(example: Path, tmp_path: Path):
    (example / "content/cohorts.md").write_text("---\ntitle: Our cohorts\n---\nText.\n")
    result = run("build", "-s", str(example), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("content/cohorts.md:1:1: error: cohorts/index.html would be written twice "
            "(by content/cohorts.md and the cohorts page)") in result.output


def test_unterminated_front_matter_is_an_error(example: Path):
    (example / "content/broken.md").write_text("---\ntitle: Broken\n\n# Body\n")
    result = run("check", "-s", str(example))
    assert result.exit_code == 1
    assert "content/broken.md:1:1: error: front matter starts with '---' but never ends" in result.output


def test_directory_urls_off_gives_links_that_work_from_disk(example: Path, tmp_path: Path):
    import re
    site = example / "site.yml"
    site.write_text(site.read_text() + "directory_urls: false\n")
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out)).exit_code == 0
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue
        for href in re.findall(r'href="([^"#]+)', page.read_text()):
            if href.startswith(("http", "mailto:")):
                continue
            assert not href.endswith("/"), (page, href)
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_an_override_can_extend_the_built_in_template_of_the_same_name(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/base.html").write_text(
        '{% extends "theme/base.html" %}{% block head %}<meta name="x-custom" content="1">{% endblock %}')
    out = tmp_path / "out"
    result = run("build", "-s", str(example), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert '<meta name="x-custom" content="1">' in (out / "pairing/index.html").read_text()


def test_a_template_that_extends_itself_is_a_located_error(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/404.html").write_text('{% extends "404.html" %}')
    result = run("build", "-s", str(example), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "templates/404.html:1:1: error: template extends or includes itself" in result.output


def test_pages_say_which_date_the_figures_are_computed_at(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "-s", str(example), "-o", str(out), "--as-of", "2026-11-02").exit_code == 0
    assert '<time datetime="2026-11-02">2 Nov 2026</time>' in (out / "cohorts/2026-autumn/index.html").read_text()


def test_dates_must_be_written_in_full(example: Path):
    assert run("build", "-s", str(example), "--as-of", "20270220").exit_code == 2
