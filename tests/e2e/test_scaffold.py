"""rmsite init and rmsite new: starting points that build at once, never overwriting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rmsite.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_then_build_passes_strictly(tmp_path: Path):
    folder = tmp_path / "mentoring"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    for rel in ("site.yml", ".gitignore", "README.md", "content/index.md", "schemas/cohort.schema.json"):
        assert (folder / rel).is_file(), rel
    assert len(list((folder / "cohorts").glob("*.yml"))) == 1
    assert len([p for p in (folder / "content").glob("*.md") if p.name != "index.md"]) == 3
    assert "_site/" in (folder / ".gitignore").read_text()
    result = run("build", "--strict", "-s", str(folder))
    assert result.exit_code == 0, result.output
    assert any((folder / "_site/cohorts").glob("*/*/index.html"))  # the pair page


def test_init_refuses_a_non_empty_folder(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2 and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_cohort_and_guide_add_files_that_build(tmp_path: Path):
    folder = tmp_path / "p"
    run("init", str(folder))
    assert run("new", "cohort", "2027-spring", "-s", str(folder)).exit_code == 0
    assert run("new", "guide", "tips/first-week", "-s", str(folder)).exit_code == 0
    assert (folder / "cohorts/2027-spring.yml").is_file()
    assert (folder / "content/tips/first-week.md").is_file()
    result = run("build", "--strict", "-s", str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / "_site/tips/first-week/index.html").is_file()
    assert (folder / "_site/cohorts/2027-spring/index.html").is_file()
    import yaml
    cohort_text = (folder / "cohorts/2027-spring.yml").read_text()
    cohort = yaml.safe_load(cohort_text)
    assert cohort["people"] == [] and cohort["pairs"] == []  # nobody invented: examples are comments
    assert "# One entry per volunteer" in cohort_text and "rmsite match 2027-spring" in cohort_text
    assert "e.g. [leaders-confident]" in cohort_text  # the programme's own objective, as the example
    guide = (folder / "content/tips/first-week.md").read_text()
    assert 'title: "First week"' in guide and "## First week" not in guide  # the page shows the title once
    page = (folder / "_site/tips/first-week/index.html").read_text()
    assert page.count(">First week</h") == 1


def test_new_never_overwrites_and_checks_ids(tmp_path: Path):
    folder = tmp_path / "p"
    run("init", str(folder))
    run("new", "guide", "extra", "-s", str(folder))
    before = (folder / "content/extra.md").read_text()
    result = run("new", "guide", "extra.md", "-s", str(folder))
    assert result.exit_code == 2 and "already exists" in result.output
    assert (folder / "content/extra.md").read_text() == before
    assert run("new", "cohort", "Spring 2027", "-s", str(folder)).exit_code == 2
    assert run("new", "guide", "../outside", "-s", str(folder)).exit_code == 2
