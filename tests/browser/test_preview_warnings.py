"""The preview shows the build's warnings in a corner panel, apart from errors: the page stays
usable, and the panel can be hidden until the warnings change."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rmsite.pipeline.options import Options
from rmsite.serve import PreviewServer

from conftest import copy_example

pytestmark = pytest.mark.browser


def test_the_warnings_panel_shows_hides_and_leaves_the_page_usable(chromium, tmp_path: Path):
    site = copy_example(tmp_path / "site")
    cohort = site / "cohorts/2026-autumn.yml"
    text = cohort.read_text(encoding="utf-8")
    cohort.write_text(text.replace("      - Joanne Reece, Home Claims Team Manager\n", "", 1), encoding="utf-8")
    server = PreviewServer(Options(site), "127.0.0.1", 0, lambda line: None)
    server.start()
    page = chromium.new_page()
    try:
        page.goto(server.url + "cohorts/2026-autumn/")
        panel = page.locator("#rmsite-warnings")
        panel.wait_for(timeout=10_000)
        assert "1 warning" in panel.locator("summary").inner_text()
        assert page.locator("#rmsite-overlay").count() == 0  # warnings never cover the page
        panel.locator("summary").click()
        assert "[approvals: 2026-autumn/aisha-rahman-rebecca-thornton]" in panel.locator("pre").inner_text()
        page.locator("h1").click()  # the page under it still takes clicks
        panel.locator("button").click()
        assert page.locator("#rmsite-warnings").count() == 0
        page.reload()
        time.sleep(0.5)  # the event stream's first message
        assert page.locator("#rmsite-warnings").count() == 0  # hidden until they change
        cohort.write_text(text.replace("      - Joanne Reece, Home Claims Team Manager\n", "", 1)
                          .replace("focus: [customer messaging channels, social media]",
                                   "focus: [customer messaging channels, social media, golf]", 1), encoding="utf-8")
        page.locator("#rmsite-warnings").wait_for(timeout=15_000)  # other warnings: shown again
        assert "3 warnings" in page.locator("#rmsite-warnings summary").inner_text()
    finally:
        page.close()
        server.stop()
