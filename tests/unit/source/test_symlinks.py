"""Symbolic links in the source: followed inside the site folder, refused
(at the link's own path) when they lead outside it or to nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.source.files import source_files

from minimal import minimal_site


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site, holding files someone might link to."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text("---\ntitle: Secret\n---\nsalary list\n")
    (folder / "q2.yml").write_text("name: Q2\nstarts: 2027-01-04\nends: 2027-06-25\npeople: []\n")
    (folder / "page.html").write_text("{{ site.title }}")
    (folder / "data.txt").write_text("private")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return minimal_site(tmp_path / "site")


@pytest.mark.parametrize("link, target", [
    ("content/secret.md", "secret.md"),
    ("cohorts/q2.yml", "q2.yml"),
    ("templates/404.html", "page.html"),
    ("static/data.txt", "data.txt"),
    ("static/docs", "."),
])
def test_a_link_to_a_file_outside_the_site_is_refused_at_the_link(site: Path, outside: Path, tmp_path: Path,
                                                                    link: str, target: str):
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / target, site / link)
    out = tmp_path / "out"
    for command in ("check", "build"):
        result = run(command, "-s", str(site), *(["-o", str(out)] if command == "build" else []))
        assert result.exit_code == 1, result.output
        assert (f"{link}:1:1: error: {link} is a symbolic link to '{outside / target}', outside the site folder; "
                "copy the file in instead") in result.output
        assert "Traceback" not in result.output
    assert not out.exists()


def test_a_relative_link_that_climbs_out_of_the_site_is_refused(site: Path, outside: Path):
    os.symlink("../../outside/secret.md", site / "content/secret.md")
    result = run("check", "-s", str(site))
    assert result.exit_code == 1
    assert ("content/secret.md:1:1: error: content/secret.md is a symbolic link to '../../outside/secret.md', "
            "outside the site folder") in result.output


def test_site_yml_itself_may_not_lead_outside(site: Path, outside: Path):
    real = outside / "site.yml"
    (site / "site.yml").rename(real)
    os.symlink(real, site / "site.yml")
    result = run("check", "-s", str(site))
    assert result.exit_code == 1
    assert "site.yml:1:1: error: site.yml is a symbolic link to" in result.output


def test_a_whole_source_folder_linked_from_outside_is_refused(site: Path, tmp_path: Path):
    shared = tmp_path / "shared-static"
    shared.mkdir()
    (shared / "logo.svg").write_text("<svg/>")
    os.symlink(shared, site / "static")
    result = run("check", "-s", str(site))
    assert result.exit_code == 1
    assert f"static:1:1: error: static is a symbolic link to '{shared}', outside the site folder" in result.output


def test_links_inside_the_site_are_followed(site: Path, tmp_path: Path):
    (site / "shared").mkdir()
    (site / "shared/logo.svg").write_text("<svg/>")
    (site / "shared/extra.md").write_text("---\ntitle: Extra\n---\nShared text.\n")
    (site / "static").mkdir()
    os.symlink("../shared/logo.svg", site / "static/logo.svg")
    os.symlink(site / "shared", site / "content/shared")
    out = tmp_path / "out"
    result = run("build", "-s", str(site), "-o", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert (out / "logo.svg").read_text() == "<svg/>"
    assert "Shared text." in (out / "shared/extra/index.html").read_text()


def test_a_link_loop_between_folders_ends(site: Path):
    (site / "content/a").mkdir()
    os.symlink("..", site / "content/a/up")  # content/a/up -> content: a loop
    os.symlink("../../content", site / "content/a/again")
    files, problems = source_files(site, "content")
    assert problems == []
    assert [f.rel for f in files] == ["content/other.md", "content/pairing.md"]


def test_a_link_to_itself_or_to_nothing_is_an_error_not_a_hang(site: Path):
    os.symlink("self.md", site / "content/self.md")
    os.symlink("missing.md", site / "content/gone.md")
    result = run("check", "-s", str(site))
    assert result.exit_code == 1
    assert ("content/gone.md:1:1: error: content/gone.md is a symbolic link to 'missing.md', which does not "
            "exist; fix or remove the link") in result.output
    assert "content/self.md:1:1: error: content/self.md is a symbolic link to 'self.md', which does not exist" \
        in result.output


def test_a_named_pipe_is_skipped_not_read(site: Path):
    import signal
    os.mkfifo(site / "cohorts/q9.yml")
    signal.alarm(20)  # reading a pipe would wait for ever: fail instead
    try:
        result = run("check", "-s", str(site))
    finally:
        signal.alarm(0)
    assert result.exit_code == 0
    assert "cohorts/q9.yml:1:1: warning: ignored: not a regular file (a pipe, socket or device?)" in result.output


def test_a_loop_is_cut_even_when_the_site_is_reached_through_a_link(site: Path, tmp_path: Path):
    (site / "content/a").mkdir()
    os.symlink("../../content", site / "content/a/again")
    os.symlink(site, tmp_path / "via")  # the site folder itself, reached through a link
    files, problems = source_files(tmp_path / "via", "content")
    assert problems == []
    assert [f.rel for f in files] == ["content/other.md", "content/pairing.md"]


@pytest.mark.parametrize("make, names", [
    (lambda site: (site / "static").mkdir() or os.symlink("../cohorts", site / "static/raw"), "cohorts/q1.yml"),
    (lambda site: (site / "static").mkdir() or os.symlink("../site.yml", site / "static/settings.txt"), "site.yml"),
])
def test_a_static_link_to_a_private_source_is_refused(site: Path, tmp_path: Path, make, names: str):
    make(site)
    result = run("build", "-s", str(site), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"static file leads to {names}, which is private" in result.output
    assert not (tmp_path / "out").exists()


def test_a_static_copy_of_a_cohort_file_is_refused_whatever_its_name(site: Path, tmp_path: Path):
    (site / "static/downloads").mkdir(parents=True)
    (site / "static/downloads/CNAME").write_bytes((site / "cohorts/q1.yml").read_bytes())
    for command in ("check", "build"):
        result = run(command, "-s", str(site), "-o", str(tmp_path / "out")) if command == "build" else run(
            command, "-s", str(site))
        assert result.exit_code == 1
        assert ("static/downloads/CNAME:1:1: error: static file is a copy of cohorts/q1.yml, which is private"
                in result.output)
    assert not (tmp_path / "out").exists()
