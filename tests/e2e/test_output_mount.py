"""An output folder that is a mount point (a Docker volume, a bind mount, a tmpfs) cannot be
swapped for a new site: the build writes inside it instead, with the same guarantees. On a
real tmpfs when the tests run as root (CI does), and with the swap's failure simulated."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main
from rmsite.output import folders, staging
from rmsite.pipeline.build import build as run_build
from rmsite.pipeline.options import Options

from minimal import minimal_site

THIRD_GUIDE = "---\ntitle: Third\n---\nA guide that a later build no longer has.\n"


def build(site: Path, out: Path, *more: str):
    return CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(out), *more])


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def hidden_copies(out: Path) -> list[str]:
    """Staging folders of new sites, inside the output or beside it."""
    return sorted(p.name for folder in (out, out.parent) for p in folder.glob(f".{out.name}.rmsite-*"))


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """An empty tmpfs mounted at tmp_path/out for the test, unmounted after it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    out = tmp_path / "out"
    out.mkdir()
    mounting = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(out)],
                              capture_output=True, text=True)
    if mounting.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounting.stderr.strip()}")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=True)


def reference(tmp_path: Path, site: Path) -> dict[str, bytes]:
    """What a build into an ordinary folder writes."""
    plain = tmp_path / "plain"
    result = build(site, plain, "--no-cache")
    assert result.exit_code == 0, result.output
    made = tree(plain)
    shutil.rmtree(plain)
    return made


def test_a_build_into_a_mount_point_writes_the_site_inside_it(tmp_path: Path, mounted: Path):
    site = minimal_site(tmp_path / "site")
    result = build(site, mounted)
    assert result.exit_code == 0, result.output
    assert "Device or resource busy" not in result.output
    assert os.path.ismount(mounted)
    assert tree(mounted) == reference(tmp_path, site)
    assert hidden_copies(mounted) == []


def test_a_rebuild_on_a_mount_point_changes_what_changed_and_removes_what_went(tmp_path: Path, mounted: Path):
    site = minimal_site(tmp_path / "site", content__third_md=THIRD_GUIDE)
    assert build(site, mounted).exit_code == 0
    (mounted / "by-hand.txt").write_text("put here by someone")  # gone, as after a swap (docs/commands.md)
    (site / "content/third.md").unlink()
    guide = site / "content/other.md"
    guide.write_text(guide.read_text() + "\nBe on time.\n")
    result = build(site, mounted)
    assert result.exit_code == 0, result.output
    assert tree(mounted) == reference(tmp_path, site)
    assert not (mounted / "third").exists() and not (mounted / "by-hand.txt").exists()
    assert "Be on time." in (mounted / "other/index.html").read_text()
    assert hidden_copies(mounted) == []


@pytest.mark.parametrize("breaking", [
    ("cohorts/q1.yml", "level: 1", "level: x"),  # found while checking, before anything is written
    ("content/other.md", "Be kind.", "Be [kind](missing.html)."),  # found by the link check, once written
], ids=["content error", "broken link"])
def test_a_failed_build_on_a_mount_point_leaves_it_as_it_was(tmp_path: Path, mounted: Path,
                                                             breaking: tuple[str, str, str]):
    site = minimal_site(tmp_path / "site")
    assert build(site, mounted).exit_code == 0
    before = tree(mounted)
    path, old, new = breaking
    (site / path).write_text((site / path).read_text().replace(old, new, 1))
    result = build(site, mounted)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert tree(mounted) == before
    assert hidden_copies(mounted) == []


@pytest.mark.parametrize("code", [errno.EBUSY, errno.EXDEV], ids=["EBUSY", "EXDEV"])
@pytest.mark.parametrize("step", ["exchange", "rename"])
def test_a_swap_that_fails_as_on_a_mount_point_falls_back_to_writing_inside(tmp_path: Path, monkeypatch,
                                                                            code: int, step: str):
    site = minimal_site(tmp_path / "site", content__third_md=THIRD_GUIDE)
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (site / "content/third.md").unlink()
    expected = reference(tmp_path, site)
    real_replace = os.replace

    def refused(*args: object) -> bool:
        raise OSError(code, os.strerror(code), str(out))

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(source) == out:
            refused()
        real_replace(source, target)
    if step == "exchange":
        monkeypatch.setattr(staging, "exchange", refused)
    else:  # where renameat2 cannot exchange: the first of two renames fails
        monkeypatch.setattr(staging, "exchange", lambda first, second: False)
        monkeypatch.setattr(os, "replace", replace)
    result = build(site, out)
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    assert tree(out) == expected
    assert hidden_copies(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_swap_that_fails_otherwise_is_an_error_and_leaves_no_copy_beside(tmp_path: Path, monkeypatch):
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    before = tree(out)
    (site / "content/other.md").write_text((site / "content/other.md").read_text() + "\nBe on time.\n")

    def refused(first: Path, second: Path) -> bool:
        raise OSError(errno.EACCES, "Permission denied", str(second))
    monkeypatch.setattr(staging, "exchange", refused)
    result = build(site, out)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"site.yml:1:1: error: cannot write the output folder '{out}': Permission denied")
    assert tree(out) == before
    assert hidden_copies(out) == []


def test_a_full_disk_while_copying_into_the_mount_point_leaves_the_old_site(tmp_path: Path, monkeypatch):
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    before = tree(out)
    guide = site / "content/other.md"
    guide.write_text(guide.read_text() + "\nBe on time.\n")
    copied = []
    real_copy = shutil.copyfile

    def filling_up(source: str, target: Path) -> object:
        if str(target).startswith(f"{out}/.out.rmsite-new-"):  # into the output: the fourth file fills it
            copied.append(target)
            if len(copied) > 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_copy(source, target)

    def busy(first: Path, second: Path) -> bool:
        raise OSError(errno.EBUSY, "Device or resource busy", str(second))
    monkeypatch.setattr(staging, "exchange", busy)
    monkeypatch.setattr(shutil, "copyfile", filling_up)
    result = build(site, out)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"site.yml:1:1: error: cannot write the output folder '{out}': "
                                    f"No space left on device ({out}/.out.rmsite-new-")
    assert "Traceback" not in result.output
    assert tree(out) == before
    assert hidden_copies(out) == []


def test_a_folder_seen_to_be_a_mount_point_is_written_inside_and_a_killed_builds_copy_removed(
        tmp_path: Path, monkeypatch):
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / f".out.rmsite-new-{dead.pid}").mkdir()  # what a build killed on a mount point leaves
    (out / f".out.rmsite-new-{dead.pid}/index.html").write_text("partial")
    exchanges = []
    monkeypatch.setattr(staging, "swappable", lambda folder: False)
    monkeypatch.setattr(folders, "swappable", lambda folder: False)
    monkeypatch.setattr(staging, "exchange", lambda first, second: exchanges.append(second))
    guide = site / "content/other.md"
    guide.write_text(guide.read_text() + "\nBe on time.\n")
    result = build(site, out)
    assert result.exit_code == 0, result.output
    assert exchanges == []  # written inside from the start: no copy beside it to swap
    assert hidden_copies(out) == []
    guide.write_text(guide.read_text().replace("Be kind.", "Be [kind](missing.html)."))
    before = tree(out)
    result = build(site, out)
    assert result.exit_code == 1, result.output
    assert tree(out) == before and hidden_copies(out) == []
    monkeypatch.undo()
    guide.write_text(guide.read_text().replace("Be [kind](missing.html).", "Be kind."))
    assert tree(out) == reference(tmp_path, site)


def test_a_mount_point_rmsite_may_not_write_in_is_refused(tmp_path: Path, monkeypatch):
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    out.mkdir()
    real_access = os.access
    monkeypatch.setattr(folders, "swappable", lambda folder: False)
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != out and real_access(path, mode))
    result = run_build(Options(site, out))
    monkeypatch.undo()
    assert [p.format() for p in result.problems] == [
        f"site.yml:1:1: error: the output folder '{out}' cannot be written: it is a mount point that rmsite "
        "may not write in"]
    assert list(out.iterdir()) == []


def test_a_new_volumes_lost_and_found_neither_stops_the_build_nor_is_removed(tmp_path: Path, mounted: Path):
    """A newly made ext4 volume has an empty lost+found at its root: the mount point is empty
    for a build all the same, and every build leaves lost+found as it is."""
    (mounted / "lost+found").mkdir()
    site = minimal_site(tmp_path / "site", content__third_md=THIRD_GUIDE)
    result = build(site, mounted)
    assert result.exit_code == 0, result.output
    (site / "content/third.md").unlink()
    assert build(site, mounted).exit_code == 0
    assert (mounted / "lost+found").is_dir() and not (mounted / "third").exists()
    assert {k: v for k, v in tree(mounted).items()} == reference(tmp_path, site)
    assert hidden_copies(mounted) == []


def test_lost_and_found_in_an_ordinary_folder_is_a_folder_like_any_other(tmp_path: Path):
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    (out / "lost+found").mkdir(parents=True)
    result = build(site, out)
    assert result.exit_code == 1 and "is not empty and was not made by rmsite" in result.output
