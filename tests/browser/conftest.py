"""Fixtures of the browser tests: headless Chromium (through Playwright), the example
programme built and served on 127.0.0.1, and axe-core."""

from __future__ import annotations

import os
import shutil

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from browsing import AXE
from conftest import copy_example, http_server


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    required = os.environ.get("RMSITE_REQUIRE_BROWSER")
    if path is None:
        if required:
            pytest.fail("chromium is required (RMSITE_REQUIRE_BROWSER is set) but was not found")
        pytest.skip("chromium is not installed")
    if required:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The example programme, built and served over HTTP on 127.0.0.1 for this module."""
    root = tmp_path_factory.mktemp("browser")
    out = root / "out"
    result = build(Options(copy_example(root / "site"), output=out))
    assert result.written, result.problems
    with http_server(out) as address:
        yield address, out


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = f"needs {AXE} (make test installs it with npm)"
        if os.environ.get("RMSITE_REQUIRE_VALIDATOR"):
            pytest.fail(f"axe-core is required (RMSITE_REQUIRE_VALIDATOR is set): {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")
