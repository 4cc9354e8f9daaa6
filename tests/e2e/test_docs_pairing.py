"""The worked example in docs/pairing.md is what rmsite match really prints."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main

from conftest import REPO, write_files

PAGE = (REPO / "docs" / "pairing.md").read_text(encoding="utf-8")
BLOCKS = [textwrap.dedent(block) for block in re.findall(r"^ *```[a-z]*\n(.*?)^ *```$", PAGE, re.M | re.S)]


def block_starting(text: str) -> str:
    [found] = [block for block in BLOCKS if block.startswith(text)]
    return found


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"site.yml": "title: Example\n",
                                  "cohorts/2027-spring.yml": block_starting("name: Spring 2027\n")})


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("format_, start", [("table", "cohort 2027-spring:"), ("yaml", "# rmsite match")])
def test_the_documented_output_is_the_real_output(site: Path, format_: str, start: str):
    result = run("match", "2027-spring", "-s", str(site), "--format", format_)
    assert result.exit_code == 0
    assert result.stdout == block_starting(start)


def test_the_documented_warning_after_writing_is_the_real_one(site: Path):
    assert run("match", "2027-spring", "-s", str(site), "--write").exit_code == 0
    warning = block_starting("cohorts/2027-spring.yml:").strip()
    assert warning in run("check", "-s", str(site)).output
