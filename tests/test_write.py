"""The writer: no output path can leave the output folder, whatever it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmsite.write import StagedOutput


@pytest.mark.parametrize("rel", ["../index.html", "a/../../index.html", "/etc/passwd", "", ".", "a/.."])
def test_a_path_outside_the_output_folder_is_refused(tmp_path: Path, rel: str):
    with StagedOutput(tmp_path / "out") as staged:
        with pytest.raises(ValueError, match="escapes the output folder"):
            staged.write_text(rel, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_path_inside_is_written_where_it_says(tmp_path: Path):
    with StagedOutput(tmp_path / "out") as staged:
        staged.write_text("a/./b/../c/index.html", "x")
        staged.commit()
    assert (tmp_path / "out/a/c/index.html").read_text() == "x"
