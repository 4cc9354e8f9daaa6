"""Every built page is valid HTML5: the Nu Html Checker (vnu.jar, the W3C's
validator) reports no errors, on the example programme at three base URLs
and on a generated programme with every kind of guide content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from conftest import REPO

VNU = REPO / "tests/.tools/node_modules/vnu-jar/build/dist/vnu.jar"


def validator() -> list[str]:
    """The command that runs the checker, or a skip (a failure under RMSITE_REQUIRE_VALIDATOR)."""
    jar = Path(os.environ.get("RMSITE_VNU_JAR", VNU))
    java = shutil.which("java")
    if jar.is_file() and java:
        return [java, "-jar", str(jar)]
    reason = f"needs Java and {jar} (make test installs it with npm)"
    if os.environ.get("RMSITE_REQUIRE_VALIDATOR"):
        pytest.fail(f"the HTML validator is required (RMSITE_REQUIRE_VALIDATOR is set): {reason}")
    pytest.skip(reason)


def errors(command: list[str], folders: list[Path]) -> list[str]:
    run = subprocess.run(command + ["--errors-only", "--skip-non-html", "--format", "json", *map(str, folders)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    return [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('message')}" for m in report["messages"]
            if m.get("type") == "error"]


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
    assert errors(command, folders) == []


def test_the_validator_would_catch_an_error(tmp_path: Path):
    command = validator()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad/index.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>\n")
    assert errors(command, [tmp_path / "bad"]) != []
