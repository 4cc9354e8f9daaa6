"""`rmsite build` keeps a cache in .rmsite-cache/ so the next build converts and
renders only what changed; the cache can only save work, never change output."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.core.hashing import text_hash
from rmsite.pipeline.build import build_with_cache
from rmsite.pipeline.options import BuildResult, Options
from rmsite.pipeline.store import CACHE_DIR, CHECKSUM, FORMAT, cache_file


def run_build(site: Path, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", "--source", str(site), "--output", str(out), *extra])
    return result


def cached_build(site: Path, out: Path, jobs: int | None = None) -> BuildResult:
    """`rmsite build` as the command runs it (with the build cache), for its stats."""
    result = build_with_cache(Options(site, out, jobs=jobs))
    assert result.written, [p.format() for p in result.problems]
    return result


def saved_text(file: Path) -> str:
    """A cache file's text, after its checksum line (checked)."""
    first, _, text = file.read_text().partition("\n")
    assert first == CHECKSUM + text_hash(text)
    return text


def save_text(file: Path, text: str) -> None:
    """Write a cache file as the store would, with a valid checksum: to test the checks past it."""
    file.write_text(f"{CHECKSUM}{text_hash(text)}\n{text}")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_build_reuses_every_page_and_matches_an_uncached_build(example: Path, tmp_path: Path):
    first = run_build(example, tmp_path / "out")
    assert first.exit_code == 0, first.output
    assert "unchanged" not in first.output
    assert cache_file(example).is_file()
    second = run_build(example, tmp_path / "out")
    assert second.exit_code == 0, second.output
    pages = int(second.output.split("built ")[1].split(" ")[0])
    assert f"({pages} unchanged)" in second.output
    run_build(example, tmp_path / "fresh", "--no-cache")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def test_a_guide_edit_rerenders_only_that_page(example: Path, tmp_path: Path):
    run_build(example, tmp_path / "out")
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nA sentence written between builds.\n")
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = int(result.output.split("built ")[1].split(" ")[0])
    assert f"({pages - 1} unchanged)" in result.output
    assert "A sentence written between builds." in (tmp_path / "out/feedback/index.html").read_text()


def test_an_output_page_edited_by_hand_is_rendered_again(example: Path, tmp_path: Path):
    run_build(example, tmp_path / "out")
    page = tmp_path / "out/feedback/index.html"
    original = page.read_bytes()
    page.write_text("edited by hand")
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == original


def test_a_corrupt_or_foreign_cache_is_ignored(example: Path, tmp_path: Path):
    run_build(example, tmp_path / "out")
    file = cache_file(example)
    for text in ("{not json", json.dumps({"format": 999}), json.dumps({"format": FORMAT, "guides": 3})):
        for write in (file.write_text, lambda text: save_text(file, text)):  # no checksum; a valid one
            write(text)
            result = run_build(example, tmp_path / "out")
            assert result.exit_code == 0, result.output
            assert "unchanged" not in result.output
    assert json.loads(saved_text(file))["format"] == FORMAT


def test_a_cache_edited_by_hand_as_valid_json_is_not_trusted(example: Path, tmp_path: Path):
    """An edit to a guide's HTML kept in the cache must never reach the site: the file's
    checksum no longer matches, so the whole cache is ignored."""
    run_build(example, tmp_path / "out")
    file = cache_file(example)
    first, _, text = file.read_text().partition("\n")
    data = json.loads(text)
    entry = data["guides"]["feedback.md"]
    entry["html"] = entry["html"].replace("<p>", "<p>PLANTED ", 1)
    file.write_text(first + "\n" + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    guide = example / "content/pairing.md"  # another guide's edit: the cache is read, feedback.md's entry used
    guide.write_text(guide.read_text() + "\nAn edit elsewhere.\n")
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "PLANTED" not in (tmp_path / "out/feedback/index.html").read_text()


@pytest.mark.parametrize("part", ["search", "guide_sources"])
def test_a_cache_with_a_part_edited_out_of_shape_is_ignored(example: Path, tmp_path: Path, part: str):
    run_build(example, tmp_path / "out")
    file = cache_file(example)
    data = json.loads(saved_text(file))
    first = next(iter(data[part]))
    if part == "search":
        del data[part][first]["last"]
    else:
        data[part][first][2] = json.dumps({"title": 5})
    save_text(file, json.dumps(data))  # with a valid checksum: the shape is checked too
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "unchanged" not in result.output


def test_no_cache_neither_reads_nor_writes_the_cache(example: Path, tmp_path: Path):
    result = run_build(example, tmp_path / "out", "--no-cache")
    assert result.exit_code == 0, result.output
    assert not (example / CACHE_DIR).exists()


def test_the_cache_folder_tells_git_and_backup_tools_to_skip_it(example: Path, tmp_path: Path):
    run_build(example, tmp_path / "out")
    assert (example / CACHE_DIR / ".gitignore").read_text() == "*\n"
    assert (example / CACHE_DIR / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_a_file_named_like_the_cache_folder_is_left_alone(example: Path, tmp_path: Path):
    (example / CACHE_DIR).write_text("mine")
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (example / CACHE_DIR).read_text() == "mine"


def test_a_new_private_value_is_caught_in_pages_taken_from_the_cache(example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    cohort = example / "cohorts/2026-pilot.yml"
    text = cohort.read_text()
    # a session note that repeats the programme's title, which every page shows
    title = next(line.split(":", 1)[1].strip().strip('"') for line in (example / "site.yml").read_text().splitlines()
                 if line.startswith("title:"))
    assert "    sessions:\n" in text
    cohort.write_text(text.replace("    sessions:\n", f"    sessions:\n      - date: 2026-03-02\n        notes: \"{title}\"\n", 1))
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 1
    assert "private field 'notes'" in result.output
    assert "index.html" in result.output


def test_unchanged_cohort_files_are_not_parsed_again_by_the_next_build(example: Path, tmp_path: Path):
    cohort = example / "cohorts/2026-pilot.yml"
    cohort.write_text(cohort.read_text().replace("focus: [new joiner experience,",
                                                 "focus: [a topic nobody offers, new joiner experience,", 1))
    first = run_build(example, tmp_path / "out")
    assert first.exit_code == 0 and "a topic nobody offers" in first.output
    assert cached_build(example, tmp_path / "out").stats.parsed == []
    second = run_build(example, tmp_path / "out")
    warnings = [line for line in first.output.splitlines() if ": warning: " in line]
    assert warnings and warnings == [line for line in second.output.splitlines() if ": warning: " in line]
    run_build(example, tmp_path / "fresh", "--no-cache")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    other = example / "cohorts/2026-autumn.yml"
    other.write_text(other.read_text().replace("name: ", "name: Renamed ", 1))
    assert cached_build(example, tmp_path / "out").stats.parsed == ["cohorts/2026-autumn.yml"]


def test_check_uses_the_cache_without_changing_it_and_reports_the_same(example: Path, tmp_path: Path):
    from rmsite.core.stats import BuildStats
    from rmsite.pipeline.check import load_site
    from rmsite.pipeline.store import load_cache

    cohort = example / "cohorts/2026-pilot.yml"
    cohort.write_text(cohort.read_text().replace("focus: [new joiner experience,",
                                                 "focus: [a topic nobody offers, new joiner experience,", 1))
    uncached = CliRunner().invoke(main, ["check", "--source", str(example)])
    assert run_build(example, tmp_path / "out").exit_code == 0
    saved = cache_file(example).read_bytes()
    cached = CliRunner().invoke(main, ["check", "--source", str(example)])
    assert cached.output == uncached.output and cached.exit_code == uncached.exit_code == 0
    assert "a topic nobody offers" in cached.output
    stats = BuildStats()
    load_site(Options(example), load_cache(cache_file(example)), stats)  # as `check` loads it
    assert stats.parsed == []
    assert cache_file(example).read_bytes() == saved


def test_templates_are_not_parsed_again_by_the_next_build_unless_edited(example: Path, tmp_path: Path, monkeypatch):
    import jinja2
    (example / "templates").mkdir(exist_ok=True)
    (example / "templates/404.html").write_text('{% extends "theme/404.html" %}')
    assert run_build(example, tmp_path / "out").exit_code == 0
    parsed: list[str] = []
    real = jinja2.Environment.parse
    monkeypatch.setattr(jinja2.Environment, "parse", lambda self, source, *a, **k: parsed.append(source)
                        or real(self, source, *a, **k))
    second = run_build(example, tmp_path / "out")
    assert second.exit_code == 0 and parsed == []
    (example / "templates/404.html").write_text(
        '{% extends "theme/404.html" %}{% block main %}<h1>Lost</h1>{% endblock %}')
    third = run_build(example, tmp_path / "out")
    assert third.exit_code == 0 and len(parsed) == 1
    assert "<h1>Lost</h1>" in (tmp_path / "out/404.html").read_text()


def test_front_matter_of_unchanged_guides_is_not_parsed_again_by_the_next_build(example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text().replace("title: ", "title: Really ", 1))
    assert cached_build(example, tmp_path / "out").stats.parsed == ["content/feedback.md"]
    assert "Really" in (tmp_path / "out/feedback/index.html").read_text()
    run_build(example, tmp_path / "fresh", "--no-cache")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def cohort_files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / CACHE_DIR).glob("build-*-cohort-*.json"))}


def test_each_checked_cohort_has_a_file_of_its_own_written_only_when_the_cohort_changed(
        example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    before = cohort_files(example)
    assert len(before) == 2
    pilot = example / "cohorts/2026-pilot.yml"
    pilot.write_text(pilot.read_text().replace("name: ", "name: Renamed ", 1))
    assert run_build(example, tmp_path / "out").exit_code == 0
    after = cohort_files(example)
    assert len(after) == 2 and len(set(before) & set(after)) == 1  # the other cohort's file stayed
    kept = next(iter(set(before) & set(after)))
    assert before[kept] == after[kept]
    (example / CACHE_DIR / kept).write_text("{not json")  # a damaged file: that cohort is read again
    assert cached_build(example, tmp_path / "out").stats.parsed == ["cohorts/2026-autumn.yml"]
    assert cohort_files(example)[kept] == before[kept]  # and written again
    run_build(example, tmp_path / "fresh", "--no-cache")
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def test_the_next_build_starts_from_the_site_it_replaced_and_still_equals_a_fresh_build(example: Path, tmp_path: Path):
    from rmsite.pipeline.store import SPARE_SITE
    out, spare = tmp_path / "out", example / CACHE_DIR / SPARE_SITE
    (example / "static").mkdir(exist_ok=True)
    (example / "static/notes").write_text("a file where a folder will be")
    (example / "content/extra.md").write_text("---\ntitle: Extra\n---\nFor a while.\n")
    guide = example / "content/pairing.md"
    for number in range(3):
        assert run_build(example, out).exit_code == 0
        guide.write_text(guide.read_text() + f"\nEdit {number}.\n")
    assert (spare / ".rmsite").is_file()  # kept by the last build
    # a page unchanged by the last builds is the spare's file too; it changes now: it must be replaced, not
    # written over, or the site being served would change under its readers
    os.link(out / "feedback/index.html", tmp_path / "held")
    held = (tmp_path / "held").read_bytes()
    feedback = example / "content/feedback.md"
    feedback.write_text(feedback.read_text() + "\nA change to a page the spare shares.\n")
    (example / "static/notes").unlink()
    (example / "static/notes").mkdir()
    (example / "static/notes/inside.txt").write_text("now a folder")
    (example / "content/extra.md").unlink()  # a page that goes: the spare's copy of it must go too
    result = run_build(example, out)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "held").read_bytes() == held  # the old page was replaced, never written over
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(out) == tree(tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("damage", ["symlink", "no marker"])
def test_a_spare_site_that_is_not_one_is_removed_and_the_build_starts_afresh(example: Path, tmp_path: Path,
                                                                           damage: str):
    from rmsite.pipeline.store import SPARE_SITE
    out, spare = tmp_path / "out", example / CACHE_DIR / SPARE_SITE
    assert run_build(example, out).exit_code == 0
    assert run_build(example, out).exit_code == 0
    shutil.rmtree(spare)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not rmsite's")
    if damage == "symlink":
        spare.symlink_to(elsewhere, target_is_directory=True)
    else:
        spare.mkdir()
        (spare / "index.html").write_text("stale")
    assert run_build(example, out).exit_code == 0
    assert (elsewhere / "keep.txt").read_text() == "not rmsite's"
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(out) == tree(tmp_path / "fresh")


def test_two_cohort_files_with_the_same_text_are_two_cohorts_in_the_cache(example: Path, tmp_path: Path):
    shutil.copy(example / "cohorts/2026-pilot.yml", example / "cohorts/2026-pilot-copy.yml")
    for _ in range(3):
        result = run_build(example, tmp_path / "out")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "out/cohorts/2026-pilot-copy/index.html").is_file()
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("edit_cohort", [True, False])
def test_a_static_file_in_the_way_of_pages_fails_as_it_does_without_a_spare_site(example: Path, tmp_path: Path,
                                                                                edit_cohort: bool):
    out = tmp_path / "out"
    assert run_build(example, out).exit_code == 0
    assert run_build(example, out).exit_code == 0  # now there is a spare site to start from
    before = tree(out)
    (example / "static").mkdir(exist_ok=True)
    (example / "static/cohorts").write_text("a file where the cohort pages' folder goes")
    if edit_cohort:  # its pages are written, not reused
        cohort = example / "cohorts/2026-pilot.yml"
        cohort.write_text(cohort.read_text().replace("name: Spring 2026 pilot", "name: Spring pilot"))
    fresh = run_build(example, tmp_path / "fresh", "--no-cache")
    result = run_build(example, out)
    assert fresh.exit_code == result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.count("error:") == fresh.output.count("error:") == 1
    assert tree(out) == before
    (example / "static/cohorts").unlink()
    assert run_build(example, out).exit_code == 0
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(out) == tree(tmp_path / "fresh")


def test_templates_compiled_by_one_build_are_loaded_by_the_next_and_compiled_again_when_edited(
        example: Path, tmp_path: Path, monkeypatch):
    import jinja2

    from rmsite.pipeline.store import compiled_folder
    (example / "templates").mkdir(exist_ok=True)
    (example / "templates/guide.html").write_text('{% extends "theme/guide.html" %}')
    guide = example / "content/feedback.md"
    compiled: list[str] = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, *a, **k:
                        compiled.append(name) or real(self, source, name, *a, **k))

    def build_after_a_guide_edit(words: str) -> None:
        compiled.clear()
        guide.write_text(guide.read_text() + f"\n{words}\n")
        result = run_build(example, tmp_path / "out")
        assert result.exit_code == 0, result.output
    build_after_a_guide_edit("First.")  # no cache folder yet: nothing kept
    build_after_a_guide_edit("Second.")  # compiles and keeps them
    folder = compiled_folder(cache_file(example))
    assert compiled and len(list(folder.iterdir())) >= len(set(compiled))
    build_after_a_guide_edit("Third.")
    assert compiled == []
    (example / "templates/guide.html").write_text(
        '{% extends "theme/guide.html" %}{% block main %}<p>Edited template</p>{{ super() }}{% endblock %}')
    build_after_a_guide_edit("Fourth.")
    assert compiled == ["guide.html"]
    assert "<p>Edited template</p>" in (tmp_path / "out/feedback/index.html").read_text()
    for file in folder.iterdir():  # damaged files are compiled again, never an error
        file.write_bytes(b"not a compiled template")
    build_after_a_guide_edit("Fifth.")
    assert "guide.html" in compiled
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def test_a_cohort_from_the_cache_is_restored_only_when_one_of_its_pages_is_rendered(
        example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nA guide edit.\n")
    # its pages, calendars and search block are taken from the last build
    assert cached_build(example, tmp_path / "out", jobs=1).stats.cohorts_restored == 0
    (example / "templates").mkdir(exist_ok=True)  # every page is rendered again
    (example / "templates/pair.html").write_text(
        '{% extends "theme/pair.html" %}{% block main %}<p>A new pair template</p>{{ super() }}{% endblock %}')
    assert cached_build(example, tmp_path / "out", jobs=1).stats.cohorts_restored == 2
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    assert sum(b"A new pair template" in data for data in tree(tmp_path / "out").values()) == 9  # every public pair
    # and in worker processes, each restoring the cohorts whose pages it renders
    (example / "templates/pair.html").write_text(
        '{% extends "theme/pair.html" %}{% block main %}<p>Another pair template</p>{{ super() }}{% endblock %}')
    assert run_build(example, tmp_path / "out", "--jobs", "2").exit_code == 0
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")


def test_a_saved_cohort_edited_by_hand_is_read_from_its_file_again(example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    for name in cohort_files(example):
        file = example / CACHE_DIR / name
        text = file.read_text()  # a checksum, a line of JSON, then the model's
        file.write_text(text.replace('"name":"', '"name":"Edited ', 1))
    (example / "templates").mkdir(exist_ok=True)
    (example / "templates/cohort.html").write_text('{% extends "theme/cohort.html" %}')
    parsed = cached_build(example, tmp_path / "out").stats.parsed
    assert sorted(parsed) == ["cohorts/2026-autumn.yml", "cohorts/2026-pilot.yml"]
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    assert "Edited " not in (tmp_path / "out/cohorts/index.html").read_text()


def a_private_note(example: Path) -> tuple[str, int]:
    """A session note of the example (a private value), and its line in the cohort file."""
    lines = (example / "cohorts/2026-pilot.yml").read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("notes: Moved from 30 March"))
    return lines[number - 1].split("notes:", 1)[1].strip(), number


def test_a_warm_build_checks_new_pages_with_the_kept_guard_without_listing_private_values(
        example: Path, tmp_path: Path):
    from rmsite.pipeline.store import guard_file
    assert run_build(example, tmp_path / "out").exit_code == 0
    assert json.loads(saved_text(guard_file(cache_file(example))))["forms"]
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nA harmless sentence.\n")
    # the guard was made from its kept forms
    assert cached_build(example, tmp_path / "out").stats.private_values_restored == 0
    note, line = a_private_note(example)
    guide.write_text(guide.read_text() + f"\nQuoting a session: {note}\n")
    result = build_with_cache(Options(example, tmp_path / "out"))
    assert not result.written
    assert any(p.path == "content/feedback.md" and f"(cohorts/2026-pilot.yml:{line})" in p.message
               and "private field 'notes'" in p.message for p in result.problems)
    assert result.stats.private_values_restored > 0, "the values are listed to say where the found one is"


@pytest.mark.parametrize("damage", ["a form removed", "not json"])
def test_kept_guard_forms_that_are_not_as_saved_are_made_again(example: Path, tmp_path: Path, damage: str):
    from rmsite.pipeline.store import guard_file
    assert run_build(example, tmp_path / "out").exit_code == 0
    file = guard_file(cache_file(example))
    note, line = a_private_note(example)
    if damage == "not json":
        file.write_text("{not json")
    else:
        data = json.loads(saved_text(file))
        data["forms"] = [form for form in data["forms"] if form != note.casefold()]
        assert len(data["forms"]) < len(json.loads(saved_text(file))["forms"])
        save_text(file, json.dumps(data))  # a valid checksum: the forms' own fingerprint is checked too
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + f"\nQuoting a session: {note}\n")
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 1
    assert "content/feedback.md:71:20: error: private field 'notes'" in result.output and f"(cohorts/2026-pilot.yml:{line})" in result.output


def test_a_renamed_cohort_file_moves_its_pages_and_every_link_to_them(example: Path, tmp_path: Path):
    assert run_build(example, tmp_path / "out").exit_code == 0
    (example / "cohorts/2026-pilot.yml").rename(example / "cohorts/2026-zpilot.yml")  # the same order, text
    result = run_build(example, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert run_build(example, tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "fresh")
    assert b"2026-zpilot" in tree(tmp_path / "out")["search/index.json"]


@pytest.mark.parametrize("guide", ["search/index.json.md", "sitemap.xml.md"])
def test_a_guide_in_the_way_of_a_generated_file_fails_the_same_with_workers_and_a_spare_site(
        example: Path, tmp_path: Path, guide: str):
    out = tmp_path / "out"
    for _ in range(2):  # the second build leaves a spare site for the third to start from
        assert run_build(example, out, "--jobs", "2").exit_code == 0
    before = tree(out)
    (example / "content" / guide).parent.mkdir(parents=True, exist_ok=True)
    (example / "content" / guide).write_text("---\ntitle: In the way\n---\nA guide.\n")
    result = run_build(example, out, "--jobs", "2")
    fresh = run_build(example, tmp_path / "fresh", "--no-cache", "--jobs", "2")
    assert result.exit_code == fresh.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [line for line in fresh.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"content/{guide}:1:1: error: ")
    assert tree(out) == before


def test_guides_found_clean_by_the_leak_guard_are_not_searched_again_until_they_or_the_values_change(
        tmp_path: Path, monkeypatch):
    from rmsite.output.privacy import LeakGuard

    from minimal import minimal_site
    site = minimal_site(tmp_path / "site")
    cohort = site / "cohorts/q1.yml"
    cohort.write_text(cohort.read_text().replace("      - date: 2027-01-04\n",
                                                 "      - date: 2027-01-04\n        notes: Figures were late\n", 1))
    searched: list[str] = []
    real = LeakGuard.found

    def noting(self, text, normalised=False):
        if normalised:
            searched.append(text)
        return real(self, text, normalised)
    monkeypatch.setattr(LeakGuard, "found", noting)
    cached_build(site, tmp_path / "out", jobs=1)
    assert len(searched) == 2  # both guides
    searched.clear()
    guide = site / "content/other.md"
    guide.write_text(guide.read_text() + "\nBe on time.\n")
    cached_build(site, tmp_path / "out", jobs=1)
    assert len(searched) == 1 and "Be on time." in searched[0]  # only the edited guide
    # a new private value that the other guide's text has: every guide is searched again, and it is found
    cohort.write_text(cohort.read_text().replace("notes: Figures were late", "notes: Choosing pairs"))
    searched.clear()
    result = build_with_cache(Options(site, tmp_path / "out", jobs=1))
    assert len(searched) >= 2 and not result.written
    assert any("private field 'notes'" in p.message and p.path == "content/pairing.md" for p in result.problems)
