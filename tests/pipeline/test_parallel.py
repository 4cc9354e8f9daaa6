"""Builds spread over forked worker processes: the same site and problems as in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.core.parallel import can_fork
from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

needs_fork = pytest.mark.skipif(not can_fork(), reason="forking workers needs Linux and a single thread")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_fork
def test_building_with_two_workers_writes_the_same_site_as_with_one(example: Path, tmp_path: Path):
    one = build(Options(example, tmp_path / "one", jobs=1))
    two = build(Options(example, tmp_path / "two", jobs=2))
    assert one.written and two.written and one.pages == two.pages
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


@needs_fork
def test_guide_problems_found_by_workers_are_reported_once_each_in_order(example: Path, tmp_path: Path):
    (example / "content" / "broken.md").write_text(
        "---\ntitle: Broken\n---\n[a](missing.md) and [b](nowhere.md)\n", encoding="utf-8")
    one = build(Options(example, tmp_path / "one", jobs=1))
    two = build(Options(example, tmp_path / "two", jobs=2))
    assert not one.written and not two.written
    assert [p.format() for p in one.problems] == [p.format() for p in two.problems]
    assert sum("missing.md" in p.message for p in two.problems) == 1


@needs_fork
def test_template_problems_found_by_workers_are_reported_like_serial_ones(example: Path, tmp_path: Path):
    (example / "templates").mkdir(exist_ok=True)
    (example / "templates" / "pair.html").write_text("{{ view.no_such_field }}\n", encoding="utf-8")
    one = build(Options(example, tmp_path / "one", jobs=1))
    two = build(Options(example, tmp_path / "two", jobs=2))
    assert not one.written and not two.written and not (tmp_path / "two").exists()
    assert [p.format() for p in one.problems] == [p.format() for p in two.problems]
    assert any("no_such_field" in p.message for p in two.problems)


def test_the_cycle_collector_is_paused_during_a_build_and_restored_after(example: Path, tmp_path: Path):
    import gc

    collections: list[str] = []

    def noted(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(phase)
    thresholds = gc.get_threshold()
    gc.set_threshold(1)  # without the pause, a build would set off a collection for each new container
    gc.callbacks.append(noted)
    try:
        assert gc.isenabled()
        assert build(Options(example, tmp_path / "out")).written
        during = len(collections)
        assert [[] for _ in range(100)]  # new containers: with the collector back, they set one off
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*thresholds)
    # a few as the build starts and ends, against the tens of thousands it would set off unpaused
    assert during < 50 and len(collections) > during and gc.isenabled()


def test_a_cohorts_pages_go_to_one_worker_together():
    from rmsite.output.pages import by_cohort
    from rmsite.site.plan import Page
    paths = ["index.html", "guide/index.html", "cohorts/index.html", "cohorts/a/index.html",
             "cohorts/a/x-y/index.html", "cohorts/b/index.html", "cohorts/a/z-w/index.html", "404.html"]
    groups = by_cohort([Page(path, "t.html", lambda: None, path) for path in paths])
    assert [[page.path for page in group] for group in groups] == [
        ["index.html"], ["guide/index.html"], ["cohorts/index.html"],
        ["cohorts/a/index.html", "cohorts/a/x-y/index.html", "cohorts/a/z-w/index.html"],
        ["cohorts/b/index.html"], ["404.html"]]


def test_guides_pages_go_to_workers_in_runs_of_one_folder_as_long_as_a_sidebar_block():
    """The pages of one block of a section's sidebar go to one worker, which renders the
    block once; a folder of more guides is cut into several runs, so workers still share it."""
    from rmsite.output.pages import by_cohort
    from rmsite.site.nav import NAV_LIMIT
    from rmsite.site.plan import Page

    def guide(folder: str, n: int) -> Page:
        return Page(f"{folder}/g{n}/index.html", "guide.html", lambda: None, f"G {n}", source=f"content/{folder}/g{n}.md")
    pages = [guide("big", n) for n in range(NAV_LIMIT + 3)] + [guide("small", 1), guide("small", 2)]
    pages.insert(5, Page("index.html", "home.html", lambda: None, "Home"))
    groups = [[page.path for page in group] for group in by_cohort(pages)]
    assert groups == [[f"big/g{n}/index.html" for n in range(NAV_LIMIT)], ["index.html"],
                      [f"big/g{n}/index.html" for n in range(NAV_LIMIT, NAV_LIMIT + 3)],
                      ["small/g1/index.html", "small/g2/index.html"]]


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_write_that_fails_in_a_worker_is_a_problem_reported_once(example: Path, tmp_path: Path, monkeypatch,
                                                                   jobs: int):
    from rmsite.core.problems import Loc
    from rmsite.output.folders import OutputError
    from rmsite.output.staging import StagedOutput
    real = StagedOutput.write_bytes

    def full_disk(self, rel, data):
        if rel.count("/") == 3:  # pair pages: cohorts/<id>/<pair>/index.html, in every worker
            raise OutputError(Loc("site.yml").error("cannot write the output folder: No space left on device"))
        return real(self, rel, data)
    monkeypatch.setattr(StagedOutput, "write_bytes", full_disk)
    result = build(Options(example, tmp_path / "out", jobs=jobs))
    assert not result.written and not (tmp_path / "out").exists()
    assert [p.format() for p in result.problems] == [
        "site.yml:1:1: error: cannot write the output folder: No space left on device"]
