"""The writer: no output path can leave the output folder, whatever it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.output.staging import StagedOutput


@pytest.mark.parametrize("rel", ["../index.html", "a/../../index.html", "/etc/passwd", "", ".", "a/.."])
def test_a_path_outside_the_output_folder_is_refused(tmp_path: Path, rel: str):
    with StagedOutput(tmp_path / "out") as staged:
        with pytest.raises(ValueError, match="escapes the output folder"):
            staged.write_text(rel, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_path_inside_is_written_where_it_says(tmp_path: Path):
    with StagedOutput(tmp_path / "out") as staged:
        staged.write_text("a/c/index.html", "x")
        staged.commit()
    assert (tmp_path / "out/a/c/index.html").read_text() == "x"


def test_an_output_path_that_is_not_in_normal_form_is_refused(tmp_path: Path):
    with StagedOutput(tmp_path / "out") as staged:
        for rel in ("a/./b/index.html", "a/b/../c/index.html", "a//b.html", ""):
            with pytest.raises(ValueError):
                staged.write_text(rel, "x")


def test_a_disk_that_fills_up_mid_build_is_a_located_error_and_the_old_site_stays(tmp_path: Path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from rmsite.cli import main

    from minimal import minimal_site
    site = minimal_site(tmp_path / "site")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "-s", str(site), "-o", str(out)]).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    writes = []
    real_write = Path.write_bytes

    def filling_up(path: Path, data: bytes) -> int:
        writes.append(path)
        if len(writes) > 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, data)
    monkeypatch.setattr(Path, "write_bytes", filling_up)
    result = CliRunner().invoke(main, ["build", "--no-cache", "-s", str(site), "-o", str(out)])  # writes every page
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"site.yml:1:1: error: cannot write the output folder '{out}': "
                                    "No space left on device (")
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging left behind


def test_replace_in_place_writes_only_new_bytes_and_leaves_no_temporary_file(tmp_path: Path):
    from rmsite.output.folders import replace_in_place
    (tmp_path / "a").mkdir()
    (tmp_path / "a/page.html").write_bytes(b"old")
    assert not replace_in_place(tmp_path, "a/page.html", b"old")
    assert replace_in_place(tmp_path, "a/page.html", b"new!")
    assert replace_in_place(tmp_path, "a/other.html", b"fresh")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["other.html", "page.html"]
    assert (tmp_path / "a/page.html").read_bytes() == b"new!"


def test_the_old_site_can_be_removed_by_a_child_process_while_the_build_goes_on(tmp_path: Path):
    from rmsite.pipeline.build import build
    from rmsite.pipeline.options import Options, WriteMode

    from conftest import copy_example
    site, out = copy_example(tmp_path / "site"), tmp_path / "out"
    assert build(Options(site, output=out)).written
    (out / "index.html").write_text("the old home page", encoding="utf-8")  # so that the new one differs
    result = build(Options(site, output=out), mode=WriteMode(remove_later=True))
    assert result.written
    result.removal.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # the old site is gone, nothing left
    assert "the old home page" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / ".rmsite").is_file()
