"""Rebuilds with a cache (as serve does) render only the pages whose inputs changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import IN_PLACE, Options


def rebuild(site: Path, out: Path, cache: Memos):
    result = build(Options(site, output=out), cache)
    assert result.written, [p.format() for p in result.problems]
    return result


def test_an_unchanged_rebuild_renders_nothing_and_output_is_identical(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    first = rebuild(example, out, cache)
    before = {p: (out / p).read_bytes() for p in first.files}
    second = rebuild(example, out, cache)
    assert second.pages == 0 and second.reused == first.pages
    assert {p: (out / p).read_bytes() for p in first.files} == before


def test_editing_a_guide_body_renders_only_that_guide(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nOne more paragraph.\n")
    result = rebuild(example, out, cache)
    assert result.files == ("feedback/index.html",)
    assert "One more paragraph." in (out / "feedback/index.html").read_text()


def test_retitling_a_guide_renders_the_pages_that_list_it(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    first = rebuild(example, out, cache)
    guide = example / "content/feedback.md"
    text = guide.read_text()
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    guide.write_text(text.replace(title_line, "title: Feedback both ways, renamed", 1))
    result = rebuild(example, out, cache)
    guide_pages = {p for p in first.files if not p.startswith("cohorts/") and p != "404.html"}
    assert guide_pages <= set(result.files)  # the home page and every guide's sidebar list it
    assert not any(p.startswith("cohorts/") for p in result.files)  # rendered again, but the same bytes
    assert result.pages + result.reused == first.pages
    assert "Feedback both ways, renamed" in (out / "pairing/index.html").read_text()


def test_editing_a_cohort_renders_that_cohort_and_the_lists_only(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    cohort = example / "cohorts/2026-autumn.yml"
    cohort.write_text(cohort.read_text().replace("name: ", "name: Renamed ", 1))
    result = rebuild(example, out, cache)
    assert all(p.startswith("cohorts/2026-autumn/") or p in ("index.html", "cohorts/index.html")
               for p in result.files), result.files
    assert not any(p.startswith("cohorts/2026-pilot/") for p in result.files)
    assert any(p.startswith("cohorts/2026-autumn/") for p in result.files)


def test_editing_a_template_renders_the_pages_that_use_it(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    (example / "templates").mkdir()
    (example / "templates/guide.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1 class="mine">{{ view.title }}</h1>{% endblock %}')
    result = rebuild(example, out, cache)
    assert result.files and all(not p.startswith("cohorts/") and p not in ("index.html", "404.html")
                                for p in result.files)
    assert 'class="mine"' in (out / "pairing/index.html").read_text()


def test_a_failed_rebuild_keeps_the_cache_consistent(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    guide = example / "content/feedback.md"
    good = guide.read_text()
    guide.write_text(good + "\n[broken](nowhere.md)\n")
    assert not build(Options(example, output=out), cache).written
    guide.write_text(good + "\nFixed now.\n")
    result = rebuild(example, out, cache)
    assert result.files == ("feedback/index.html",)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text, (file, old)
    file.write_text(text.replace(old, new, 1))


EDITS = {
    "site title": lambda site: edit(site / "site.yml", "title: ", "title: Renamed "),
    "programme expectation": lambda site: edit(site / "site.yml", "expectations:\n", "expectations:\n"
                                               "    - id: extra-item\n      text: An item added later\n"),
    "cohort name": lambda site: edit(site / "cohorts/2026-pilot.yml", "name: ", "name: Renamed "),
    "guide title": lambda site: edit(site / "content/feedback.md", "title: ", "title: Renamed "),
    "template": lambda site: (site / "templates").mkdir() or (site / "templates/nav.html").write_text(
        '{% extends "theme/nav.html" %}\n'),
    "new guide": lambda site: (site / "content/new-guide.md").write_text("---\ntitle: A new guide\n---\nHello.\n"),
}


@pytest.mark.parametrize("change", sorted(EDITS))
def test_a_cached_rebuild_after_an_edit_equals_a_fresh_build(example: Path, tmp_path: Path, change: str):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    EDITS[change](example)
    rebuild(example, out, cache)
    fresh = build(Options(example, output=tmp_path / "fresh"))
    assert fresh.written, [p.format() for p in fresh.problems]
    assert tree(out) == tree(tmp_path / "fresh")


def test_a_guide_whose_link_target_moved_is_rendered_again(example: Path, tmp_path: Path):
    (example / "content/linker.md").write_text("---\ntitle: Linker\n---\nSee [the target](target.md).\n")
    (example / "content/target.md").write_text("---\ntitle: Target\n---\nHere.\n")
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    assert 'href="../target/"' in (out / "linker/index.html").read_text()
    (example / "content/target.md").rename(example / "content/for-mentors/target.md")
    edit(example / "content/linker.md", "(target.md)", "(for-mentors/target.md)")
    rebuild(example, out, cache)
    assert 'href="../for-mentors/target/"' in (out / "linker/index.html").read_text()


def test_an_unchanged_cohort_file_is_not_parsed_again(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    edit(example / "cohorts/2026-pilot.yml", "name: ", "name: Renamed ")
    assert rebuild(example, out, cache).stats.parsed == ["cohorts/2026-pilot.yml"]
    edit(example / "site.yml", "title: ", "title: Renamed ")  # the cross-file rules depend on site.yml
    assert sorted(rebuild(example, out, cache).stats.parsed) == ["cohorts/2026-autumn.yml", "cohorts/2026-pilot.yml"]


def test_warnings_of_an_unchanged_cohort_are_still_reported(example: Path, tmp_path: Path):
    cohort = example / "cohorts/2026-pilot.yml"
    edit(cohort, "focus: [new joiner experience,", "focus: [a topic nobody offers, new joiner experience,")
    cache = Memos()
    first = build(Options(example, output=tmp_path / "out"), cache)
    second = build(Options(example, output=tmp_path / "out"), cache)
    assert any("a topic nobody offers" in p.message for p in first.problems)
    assert [p.format() for p in first.problems] == [p.format() for p in second.problems]


def test_in_place_rebuilds_touch_only_changed_files_and_remove_stale_ones(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    build(Options(example, output=out), cache, IN_PLACE)
    home_inode = (out / "pairing/index.html").stat().st_ino
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\nEdited in place.\n")
    assert build(Options(example, output=out), cache, IN_PLACE).files == ("feedback/index.html",)
    assert (out / "pairing/index.html").stat().st_ino == home_inode  # an unchanged page is left alone
    (example / "content/objectives.md").unlink()
    for file in (example / "content").rglob("*.md"):  # links to the removed guide would now be errors
        text = file.read_text()
        if "objectives.md" in text:
            file.write_text(text.replace("](objectives.md", "](pairing.md").replace("](../objectives.md", "](../pairing.md"))
    result = build(Options(example, output=out), cache, IN_PLACE)
    assert result.written, [p.format() for p in result.problems]
    assert "Edited in place." in (out / "feedback/index.html").read_text()
    assert not (out / "objectives").exists()
    assert build(Options(example, output=tmp_path / "fresh")).written
    assert tree(out) == tree(tmp_path / "fresh")


def test_a_failed_in_place_rebuild_changes_nothing(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    build(Options(example, output=out), cache, IN_PLACE)
    before = tree(out)
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text() + "\n[broken](nowhere.md)\n")
    result = build(Options(example, output=out), cache, IN_PLACE)
    assert not result.written
    assert tree(out) == before
    assert not list(tmp_path.glob(".out.rmsite-new-*"))


def test_a_template_added_beside_others_takes_effect_on_the_next_rebuild(example: Path, tmp_path: Path):
    (example / "templates").mkdir()
    (example / "templates/partial.html").write_text("unused\n")
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    (example / "templates/404.html").write_text('{% extends "theme/404.html" %}{% block main %}Gone fishing{% endblock %}\n')
    rebuild(example, out, cache)
    assert "Gone fishing" in (out / "404.html").read_text()
    (example / "templates/404.html").write_text('{% extends "theme/404.html" %}{% block main %}Back soon{% endblock %}\n')
    rebuild(example, out, cache)
    assert "Back soon" in (out / "404.html").read_text()


def test_a_page_rendered_again_with_the_same_bytes_keeps_its_file(example: Path, tmp_path: Path):
    cache, out = Memos(), tmp_path / "out"
    rebuild(example, out, cache)
    page = out / "pairing/index.html"
    inode, text = page.stat().st_ino, page.read_text()
    guide = example / "content/pairing.md"
    guide.write_text(guide.read_text() + "\n\n\n")  # the source changes, its HTML does not
    result = rebuild(example, out, cache)
    assert "pairing/index.html" not in result.files
    assert page.stat().st_ino == inode and page.read_text() == text
