"""Every built page is valid HTML5: the Nu Html Checker (vnu.jar, the W3C's
validator) reports no errors, on the example programme at three base URLs
and on a generated programme with every kind of guide content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from browsing import errors, validator
from conftest import REPO


def test_every_page_is_valid_html(example: Path, tmp_path: Path):
    command = validator()
    folders = []
    for number, base_url in enumerate(["/", "/deep/sub/path/", "https://mentoring.example.org/programme/"]):
        result = build(Options(example, tmp_path / f"site-{number}", base_url=base_url))
        assert result.written, [p.format() for p in result.problems]
        folders.append(tmp_path / f"site-{number}")
    generated = tmp_path / "generated"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(generated),
                    "--cohorts", "4", "--pairs", "25", "--guides", "200"], check=True, capture_output=True)
    result = build(Options(generated, tmp_path / "site-generated", base_url="/deep/sub/path/"))
    assert result.written, [p.format() for p in result.problems]
    folders.append(tmp_path / "site-generated")
    assert len(list((tmp_path / "site-generated").rglob("*.html"))) > 300
    # every guide in one folder: the pruned sidebar and the folder's list on three pages
    one_folder = tmp_path / "one-folder"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(one_folder), "--cohorts", "1",
                    "--pairs", "1", "--guides", "230", "--shape", "one-folder"], check=True, capture_output=True)
    result = build(Options(one_folder, tmp_path / "site-one-folder"))
    assert result.written, [p.format() for p in result.problems]
    assert (tmp_path / "site-one-folder/section-01/page/3/index.html").is_file()
    folders.append(tmp_path / "site-one-folder")
    assert errors(command, folders) == []


def test_the_validator_would_catch_an_error(tmp_path: Path):
    command = validator()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad/index.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>\n")
    assert errors(command, [tmp_path / "bad"]) != []
