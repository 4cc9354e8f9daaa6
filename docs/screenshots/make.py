"""Regenerate the screenshots in docs/screenshots/ from the example programme.

    python docs/screenshots/make.py        # or: make screenshots

Builds the repository's example programme into a temporary folder, serves it on
127.0.0.1 and photographs a pair page and a cohort page, full length, at 1280
and 390 pixels wide, plus the pilot cohort and the home page's objectives at
1280, in headless Chromium (Playwright; the browser is the one at $CHROMIUM,
else chromium on the PATH)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))

from rmsite.pipeline.build import build  # noqa: E402  (after the path is set)
from rmsite.pipeline.options import Options  # noqa: E402  (after the path is set)

PAGES = {
    "pair": "cohorts/2026-autumn/jordan-blake-martin-drummond/",
    "cohort": "cohorts/2026-autumn/",
    "pilot": "cohorts/2026-pilot/",
    "home": "",
}
# On the pair page one open item is shown ticked in the browser, as a participant might leave it.
TICKED = ("rmsite-checklist:2026-autumn/jordan-blake-martin-drummond", '{"midpoint-review": "2026-11-20"}')
# (page, width, and the part of the page to photograph, or None for all of it)
SHOTS = [("pair", 1280, None), ("pair", 390, None), ("cohort", 1280, None), ("cohort", 390, None),
         ("pilot", 1280, None), ("home", 1280, "section[aria-labelledby=objectives]")]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("no Chromium found: install chromium or set CHROMIUM to its path")
    return path


def main() -> int:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        result = build(Options(REPO, output=out))
        if not result.written:
            for problem in result.problems:
                print(problem.format(), file=sys.stderr)
            return 1
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
                try:
                    for name, width, part in SHOTS:
                        page = browser.new_page(viewport={"width": width, "height": 900},
                                                color_scheme="light", reduced_motion="reduce")
                        page.goto(base + PAGES[name])
                        if name == "pair":
                            page.evaluate("([key, value]) => localStorage.setItem(key, value)", list(TICKED))
                            page.reload()
                        file = HERE / f"{name}-{width}.png"
                        if part:
                            page.locator(part).screenshot(path=str(file))
                        else:
                            page.screenshot(path=str(file), full_page=True)
                        page.close()
                        print(f"wrote {file.relative_to(REPO)}")
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
