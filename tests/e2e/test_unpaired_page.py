"""The cohort page's "unpaired volunteers" list: opt-in, never contact details."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rmsite.pipeline.build import build
from rmsite.pipeline.options import Options

from conftest import SITES


def cohort_page(tmp_path: Path, site_yml_extra: str) -> str:
    site = Path(shutil.copytree(SITES / "matching", tmp_path / "site"))
    (site / "site.yml").write_text((site / "site.yml").read_text() + site_yml_extra, encoding="utf-8")
    result = build(Options(site, output=tmp_path / "out"))
    assert result.written, [p.format() for p in result.problems]
    return (tmp_path / "out" / "cohorts" / "volunteers" / "index.html").read_text(encoding="utf-8")


def test_the_list_is_not_shown_unless_site_yml_asks_for_it(tmp_path: Path):
    page = cohort_page(tmp_path, "")
    assert "Unpaired volunteers" not in page and "Cleo Park" not in page


def test_the_list_shows_who_is_in_no_pair_with_their_topics(tmp_path: Path):
    page = cohort_page(tmp_path, "show_unpaired: true\n")
    section = page[page.index('<section aria-labelledby="unpaired">'):]
    section = section[:section.index("</section>")]
    names = re.findall(r'<th scope="row">([^<]+)</th>', section)
    assert names == ["Ana Lima", "Ben Ode", "Cleo Park", "Dora Voss", "Emil Roth", "Faye Dunn"]
    assert "6 people are not in a pair yet" in section and "rmsite match volunteers" in section
    assert "<td>Support</td>" in section and "<td>Data  tools, AI, customer voice</td>" in section
    assert "Gil Marr" not in section and "Hana Sato" not in section


def test_the_list_never_shows_contact_details_even_when_published(tmp_path: Path):
    page = cohort_page(tmp_path, "show_unpaired: true\nprivacy:\n  publish: [email, phone]\n")
    assert "Dora Voss" in page and "Faye Dunn" in page
    assert "dora.voss@example.org" not in page and "0100 555 0199" not in page
