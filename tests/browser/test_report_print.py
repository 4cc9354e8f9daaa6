"""The coordinator's report as its readers get it: printed to PDF, every page says
"Confidential" and carries its number; valid HTML; no serious accessibility violation, on a
wide screen and a phone."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from rmsite.cli import main

from browsing import errors, every_serious_violation, validator
from conftest import copy_example


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    site = copy_example(root / "site")
    result = CliRunner().invoke(main, ["report", "-s", str(site), "-o", str(root / "private/report.html")])
    assert result.exit_code == 0, result.output
    return root / "private/report.html"


def test_every_printed_page_says_confidential_and_carries_its_number(chromium, report: Path):
    pypdf = pytest.importorskip("pypdf")
    page = chromium.new_page()
    try:
        page.goto(report.as_uri())
        pdf = report.with_suffix(".pdf")
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    finally:
        page.close()
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in pypdf.PdfReader(pdf).pages]
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert "Confidential" in text.splitlines()[0], number
        assert f"page {number} of {len(pages)}" in text, number
    assert any("Karen is on leave until January" in text for text in pages)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_has_no_serious_accessibility_violation(chromium, axe_source, report: Path, width: int):
    assert every_serious_violation(chromium, [report.as_uri()], axe_source, "light", width) == {}


def test_the_report_is_valid_html(report: Path):
    assert errors(validator(), [report.parent]) == []
