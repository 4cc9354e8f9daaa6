"""Interrupt safety: a build killed at any moment (SIGKILL, no chance to
clean up) leaves the previous output byte for byte, or, once it has
committed, the complete new one; never a mix, never nothing. The next build
succeeds and removes what the killed ones left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rmsite.output.folders import clean_leftovers
from rmsite.output.staging import StagedOutput
from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.rmsite-"))


def start_build(site: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    # without the build cache every build renders every page, so its write phase is long enough to kill it in
    return subprocess.Popen([sys.executable, "-m", "rmsite", "build", "--no-cache", "-s", str(site), "-o", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated programme big enough that writing its site takes a while."""
    site = tmp_path_factory.mktemp("interrupt") / "site"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site),
                    "--cohorts", "2", "--pairs", "30", "--guides", "30"], check=True, capture_output=True)
    return site


def wait_for_staging(process: subprocess.Popen, out: Path) -> None:
    """Until this build's staging folder appears (its write phase has begun) or it ends."""
    staging = out.parent / f".{out.name}.rmsite-new-{process.pid}"
    while not staging.exists() and process.poll() is None:
        time.sleep(0.002)


def write_phase(site: Path, out: Path) -> float:
    """Build without interruption; the seconds from the staging folder's appearance to the end."""
    process = start_build(site, out)
    wait_for_staging(process, out)
    started = time.monotonic()
    assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    return time.monotonic() - started


def test_a_build_killed_while_writing_leaves_the_old_site_or_the_whole_new_one(programme: Path,
                                                                                tmp_path: Path):
    out = tmp_path / "out"
    assert build(Options(source=programme, output=out)).written
    before = tree(out)
    config = programme / "site.yml"  # a new title: every page changes
    config.write_text(config.read_text().replace("title: ", "title: Renamed ", 1))
    seconds = write_phase(programme, tmp_path / "reference")
    after = tree(tmp_path / "reference")
    assert after != before
    outcomes = []
    for share in (0.0, 0.2, 0.5, 0.8, 0.95, 1.05, 1.2):  # of the write phase, up to the commit
        process = start_build(programme, out)
        wait_for_staging(process, out)
        time.sleep(share * seconds)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        current = tree(out)
        assert current in (before, after), f"killed {share:.0%} into the write phase: neither old nor new"
        outcomes.append("old" if current == before else "new")
        if current == after:
            break  # committed before the kill: later kills would only repeat this
    assert outcomes[:3] == ["old"] * 3  # kills landed while the new site was being written
    result = start_build(programme, out)
    assert result.wait(timeout=120) == 0, result.stderr.read().decode()
    assert tree(out) == after
    assert leftovers(out) == []


def test_a_serve_killed_while_rebuilding_leaves_its_last_good_site_whole(programme: Path, tmp_path: Path):
    """serve rebuilds through the same staged commit: killed mid-rebuild, the folder it
    serves from holds the previous build or the new one, complete; the site folder is untouched."""
    before = tmp_path / "before"
    assert build(Options(source=programme, output=before)).written
    config = programme / "site.yml"
    config.write_text(config.read_text().replace("title: ", "title: Served ", 1))
    after = tmp_path / "after"
    assert build(Options(source=programme, output=after)).written
    config.write_text(config.read_text().replace("title: Served ", "title: ", 1))
    sources = tree(programme)
    outcomes = []
    for delay in (0.0, 1.0):  # as soon as the rebuild is writing; after it has had time to finish
        temp = tmp_path / f"serve-{delay}"
        temp.mkdir()
        env = {**os.environ, "TMPDIR": str(temp),
               "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
        process = subprocess.Popen([sys.executable, "-m", "rmsite", "serve", "-s", str(programme), "--port", "0"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert process.stdout.readline().startswith("serving ")  # the first build is in
            served = next(temp.glob("rmsite-serve-*")) / "site"
            assert tree(served) == tree(before)
            config.write_text(config.read_text().replace("title: ", "title: Served ", 1))
            deadline = time.monotonic() + 30
            while not leftovers(served) and time.monotonic() < deadline:
                time.sleep(0.002)  # the rebuild is writing its staging folder
            assert leftovers(served), "no rebuild started"
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            config.write_text(config.read_text().replace("title: Served ", "title: ", 1))
        assert tree(served) in (tree(before), tree(after))
        assert tree(programme) == sources  # serve writes nothing into the site folder
        outcomes.append("old" if tree(served) == tree(before) else "new")
    assert outcomes[0] == "old"  # the kill landed while the new site was being written


def test_leftovers_of_killed_builds_are_removed_and_running_ones_kept(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for name in (f".out.rmsite-new-{dead.pid}", f".out.rmsite-old-{dead.pid}", f".out.rmsite-new-{os.getppid()}"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("partial")
    clean_leftovers(out)
    assert leftovers(out) == [f".out.rmsite-new-{os.getppid()}"]  # a live process: perhaps another build


def test_a_commit_killed_between_its_two_renames_gets_the_old_site_back(tmp_path: Path):
    out = tmp_path / "out"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = tmp_path / f".out.rmsite-old-{dead.pid}"  # where the two-rename commit parks the old site
    old.mkdir()
    (old / "index.html").write_text("the previous site")
    clean_leftovers(out)
    assert tree(out) == {"index.html": b"the previous site"} and leftovers(out) == []


def test_a_staged_output_that_is_not_committed_leaves_nothing(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old")
    with StagedOutput(out) as staged:
        staged.write_text("index.html", "new")
    assert tree(out) == {"index.html": b"old"} and leftovers(out) == []
