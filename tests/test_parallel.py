"""Work spread over forked processes: same results as working in one process."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from rmsite.core.parallel import WorkerFailed, can_fork, fork_map, worker_count
from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

needs_fork = pytest.mark.skipif(not can_fork(), reason="forking workers needs Linux and a single thread")


def squares_with_pid(share):
    return [(n * n, os.getpid()) for n in share]


@needs_fork
def test_fork_map_splits_the_work_between_processes_and_keeps_share_order():
    results = fork_map(squares_with_pid, list(range(10)), 3)
    assert [[v for v, _ in chunk] for chunk in results] == [[0, 9, 36, 81], [1, 16, 49], [4, 25, 64]]
    pids = {pid for chunk in results for _, pid in chunk}
    assert len(pids) == 3 and os.getpid() not in pids


def test_one_worker_works_in_this_process():
    assert fork_map(squares_with_pid, [2, 3], 1) == [[(4, os.getpid()), (9, os.getpid())]]


def fail_on_three(share):
    if 3 in share:
        raise ValueError("three is not allowed")
    return list(share)


@needs_fork
def test_an_exception_in_a_worker_is_raised_in_the_parent_with_its_traceback():
    with pytest.raises(WorkerFailed, match="ValueError: three is not allowed"):
        fork_map(fail_on_three, [1, 2, 3, 4], 2)


def die(share):
    os._exit(9)


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerFailed, match="without a result"):
        fork_map(die, [1, 2], 2)


def test_worker_count_honours_jobs_and_stays_serial_with_threads():
    if can_fork():
        assert worker_count(10, jobs=4) == 4
        assert worker_count(3, jobs=4) == 3
        assert worker_count(5) == 1  # too little work to be worth a fork
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_count(10_000, jobs=4) == 1
    finally:
        stop.set()
        thread.join()


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


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_write_that_fails_in_a_worker_is_a_problem_reported_once(example: Path, tmp_path: Path, monkeypatch,
                                                                   jobs: int):
    from rmsite.core.problems import Loc
    from rmsite.output.staging import OutputError, StagedOutput
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
