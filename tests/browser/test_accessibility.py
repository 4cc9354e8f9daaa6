"""Every page of the example site passes axe-core's WCAG 2.1 A and AA rules with no
serious or critical violations, in headless Chromium, in light and dark mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from browsing import every_serious_violation
from conftest import REPO, copy_example, http_server

pytestmark = pytest.mark.browser

def serious_violations(browser, url: str, axe: str, scheme: str, width: int) -> list[str]:
    return every_serious_violation(browser, [url], axe, scheme, width).get(url, [])


def served_at(root: Path, base_url: str) -> tuple[Path, str]:
    """The output folder for a build at base_url, and the path it is served under."""
    path = urlsplit(base_url).path
    return root / "www" / path.strip("/"), path


@pytest.mark.parametrize("base_url, scheme, width", [
    ("/", "light", 1280), ("/deep/sub/path/", "dark", 390), ("https://mentoring.example.org/programme/", "light", 390)])
def test_no_serious_accessibility_violations_on_any_page(chromium, axe_source, tmp_path,
                                                          base_url, scheme, width):
    out, path = served_at(tmp_path, base_url)
    result = build(Options(copy_example(tmp_path / "site"), out, base_url=base_url))
    assert result.written, [p.format() for p in result.problems]
    pages = sorted(p.relative_to(out).as_posix() for p in Path(out).rglob("*.html"))
    assert len(pages) > 10
    with http_server(tmp_path / "www") as address:
        urls = [address.rstrip("/") + path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
                for rel in pages]
        assert every_serious_violation(chromium, urls, axe_source, scheme, width) == {}


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    """A generated programme (120 guides in sections, 3 cohorts of 20 pairs), built under a
    sub-path and served."""
    root = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(root / "site"),
                    "--cohorts", "3", "--pairs", "20", "--guides", "120"], check=True, capture_output=True)
    out = root / "www/deep/sub/path"
    result = build(Options(root / "site", out, base_url="/deep/sub/path/"))
    assert result.written, [p.format() for p in result.problems]
    with http_server(root / "www") as address:
        yield address + "deep/sub/path/", out


def test_no_serious_accessibility_violations_on_a_large_generated_site(chromium, generated_site,
                                                                        axe_source):
    # every page that is one of a kind, and an even spread of the guides and pairs (axe takes
    # one to three seconds a page here; the validator checks every page of a larger site)
    base, out = generated_site
    pages = sorted(p.relative_to(out).as_posix() for p in Path(out).rglob("*.html"))
    assert len(pages) > 180
    pairs = [p for p in pages if p.count("/") == 3]
    guides = [p for p in pages if not p.startswith(("cohorts/", "search/")) and "/" in p]
    single = [p for p in pages if p not in pairs and p not in guides]
    assert len(single) == 7  # home, 404, search, the list of cohorts and the three cohorts
    chosen = [base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
              for rel in single + guides[::len(guides) // 10] + pairs[::len(pairs) // 8]]
    # each kind of page in both schemes
    assert every_serious_violation(chromium, chosen[::2], axe_source, "light", 1280) == {}
    assert every_serious_violation(chromium, chosen[1::2], axe_source, "dark", 390) == {}


def test_no_serious_accessibility_violations_on_the_pages_of_a_folder_of_many_guides(chromium, axe_source,
                                                                                    tmp_path):
    # the pruned sidebar (a block of the folder's guides and a link to the rest), and the
    # folder's list of guides over several pages, on a phone and on a wide screen
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(tmp_path / "site"), "--cohorts", "1",
                    "--pairs", "1", "--guides", "230", "--shape", "one-folder"], check=True, capture_output=True)
    out, path = served_at(tmp_path, "/sub/")
    result = build(Options(tmp_path / "site", out, base_url="/sub/"))
    assert result.written, [p.format() for p in result.problems]
    pages = ["section-01/", "section-01/page/2/", "section-01/page/3/", "section-01/guide-0040/",
             "section-01/guide-0229/", ""]
    with http_server(tmp_path / "www") as address:
        urls = [address.rstrip("/") + path + rel for rel in pages]
        assert every_serious_violation(chromium, urls[::2], axe_source, "light", 1280) == {}
        assert every_serious_violation(chromium, urls[1::2], axe_source, "dark", 390) == {}


def test_axe_would_catch_a_serious_violation(chromium, site_url, axe_source, tmp_path):
    base, out = site_url
    (Path(out) / "bad-for-axe.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><img src="x.png"><a href="#"></a></html>\n')
    try:
        assert serious_violations(chromium, base + "bad-for-axe.html", axe_source, "light", 1280) != []
    finally:
        (Path(out) / "bad-for-axe.html").unlink()
