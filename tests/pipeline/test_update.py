"""Preview updates that start from the changed paths (pipeline/update.py): each must leave the
preview's folder byte for byte as a full build from scratch would make it, with the
same problems; what an update cannot do goes to the full build."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rmsite.pipeline.build import build
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import IN_PLACE, BuildResult, Options
from rmsite.pipeline.update import finish_later, update

COHORT = "cohorts/2026-autumn.yml"
GUIDE = "content/pairing.md"


class Preview:
    """A site previewed as `serve` does: one cache, builds in place, told what changed."""

    def __init__(self, site: Path, out: Path) -> None:
        self.site, self.out = site, out
        self.options = Options(source=site, output=out / "preview")
        self.memos = Memos()
        assert build(self.options, self.memos, IN_PLACE).written

    def edit(self, rel: str, change: Callable[[str], str]) -> None:
        file = self.site / rel
        text = file.read_text(encoding="utf-8")
        new = change(text)
        assert new != text, "the edit changed nothing"
        file.write_text(new, encoding="utf-8")

    def update(self, *changes: str, quick: bool) -> BuildResult:
        """Rebuild for `changes` as `serve` does (the update, else the full build); `quick`
        says whether it must be done without a full build."""
        updated = update(self.options, self.memos, list(changes))
        if updated is not None:
            if updated.later:
                assert finish_later(self.memos, updated)
            result = updated.result
        else:
            result = build(self.options, self.memos, IN_PLACE)
        assert (updated is not None) == quick, "a full build ran" if quick else "no full build ran"
        return result

    def assert_as_built_from_scratch(self) -> None:
        fresh = build(Options(source=self.site, output=self.out / "fresh"))
        assert fresh.written
        mine, theirs = files(self.out / "preview"), files(self.out / "fresh")
        assert mine.keys() == theirs.keys()
        assert [path for path in mine if mine[path] != theirs[path]] == []
        return None


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def preview(example: Path, tmp_path: Path) -> Preview:
    return Preview(example, tmp_path)


def first_topics(text: str, topics: str) -> str:
    return re.sub(r"^(\s+topics: ).*$", lambda m: f"{m[1]}[{topics}]", text, count=1, flags=re.M)


def test_a_guide_edit_updates_its_page_and_the_search_index(preview: Preview):
    preview.edit(GUIDE, lambda t: t + "\n## Quokka notes\n\nA paragraph about quokkas and [goals](objectives.md).\n")
    result = preview.update(GUIDE, quick=True)
    assert result.written and result.files == ("pairing/index.html",)
    assert "Quokka notes" in (preview.out / "preview/pairing/index.html").read_text()
    assert "quokka" in (preview.out / "preview/search/index.json").read_text()
    preview.assert_as_built_from_scratch()


def test_several_guide_edits_in_a_row_stay_equal_to_a_full_build(preview: Preview):
    for number in range(3):
        preview.edit(GUIDE, lambda t, number=number: t + f"\nEdit number {number}.\n")
        preview.edit("content/feedback.md", lambda t, number=number: t + f"\nAlso {number}.\n")
        preview.update(GUIDE, "content/feedback.md", quick=True)
    preview.assert_as_built_from_scratch()


def test_a_new_title_or_a_broken_link_goes_to_the_full_build(preview: Preview):
    preview.edit(GUIDE, lambda t: re.sub(r"^title: .*$", "title: Pairing people well", t, count=1, flags=re.M))
    assert preview.update(GUIDE, quick=False).written
    preview.assert_as_built_from_scratch()
    preview.edit(GUIDE, lambda t: t + "\nSee [the missing guide](missing.md).\n")
    result = preview.update(GUIDE, quick=False)
    assert not result.written and any("missing.md" in p.message for p in result.problems)
    preview.edit(GUIDE, lambda t: t.replace("\nSee [the missing guide](missing.md).\n", "\n"))
    assert preview.update(GUIDE, quick=False).written  # after a failure: in full
    preview.edit(GUIDE, lambda t: t + "\nBack to quick updates.\n")
    preview.update(GUIDE, quick=True)
    preview.assert_as_built_from_scratch()


def test_a_heading_that_another_guide_links_to_cannot_go_quietly(preview: Preview):
    target = "content/expectations.md"
    preview.edit(target, lambda t: t.replace("## Ground rules", "## House rules"))
    result = preview.update(target, quick=False)
    assert not result.written and any("ground-rules" in p.message for p in result.problems)


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: first_topics(t, "a quokka topic"), id="a session's topics"),
    pytest.param(lambda t: t.replace("name: Aisha Rahman", "name: Aisha Rahman-Quokka"), id="a mentor's name"),
    pytest.param(lambda t: t.replace("cadence: fortnightly", "cadence: weekly", 1), id="the cohort's cadence"),
    pytest.param(lambda t: t.replace("name: Autumn 2026", "name: Autumn 2026 (quokka)", 1), id="the cohort's name"),
    pytest.param(lambda t: t.replace("focus: [customer messaging channels, social media]",
                                     "focus: [customer messaging channels, quokka care]", 1), id="a new warning"),
])
def test_a_cohort_edit_updates_what_is_made_from_it(preview: Preview,
                                                     change: Callable[[str], str]):
    preview.edit(COHORT, change)
    result = preview.update(COHORT, quick=True)
    assert result.written
    preview.assert_as_built_from_scratch()
    checked = build(Options(source=preview.site, output=preview.out / "again"))
    assert result.problems == checked.problems


def test_cohort_edits_in_a_row_and_then_a_guide_stay_equal_to_a_full_build(
        preview: Preview):
    for number in range(3):
        preview.edit(COHORT, lambda t, number=number: first_topics(t, f"topic {number}"))
        preview.update(COHORT, quick=True)
    preview.edit(GUIDE, lambda t: t + "\nAfter the cohorts.\n")
    preview.update(GUIDE, quick=True)
    preview.assert_as_built_from_scratch()


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("aisha.rahman@halden-mutual.example", "aisha.r@halden-mutual.example"),
                 id="a private value"),
    pytest.param(lambda t: t.replace("pairs:\n", "pairs:\n  - mentor: jordan-blake\n    mentee: martin-drummond\n"
                                     "    approved_by: [A, B]\n", 1), id="a new pair"),
    pytest.param(lambda t: t.replace("name: Aisha Rahman", "name: [not, text]"), id="an error"),
])
def test_what_an_update_cannot_do_goes_to_the_full_build(preview: Preview,
                                                        change: Callable[[str], str]):
    preview.edit(COHORT, change)
    result = preview.update(COHORT, quick=False)
    if result.written:
        preview.assert_as_built_from_scratch()


def test_changes_of_other_kinds_go_to_the_full_build(preview: Preview):
    preview.edit("site.yml", lambda t: t.replace("as_of: 2026-11-20", "as_of: 2026-11-21"))
    preview.update("site.yml", quick=False)
    preview.edit(GUIDE, lambda t: t + "\nBoth kinds.\n")
    preview.edit(COHORT, lambda t: first_topics(t, "both kinds"))
    preview.update(GUIDE, COHORT, quick=False)
    (preview.site / "content/new.md").write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8")
    preview.update("content/new.md", quick=False)
    preview.assert_as_built_from_scratch()


def test_an_update_on_a_new_day_is_a_full_build(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Without an as_of in site.yml, figures are measured at today (or SOURCE_DATE_EPOCH):
    a preview left running past midnight must not keep yesterday's."""
    site = example / "site.yml"
    site.write_text(re.sub(r"^as_of: .*\n", "", site.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    preview = Preview(example, tmp_path)
    preview.edit(GUIDE, lambda t: t + "\nThe same day.\n")
    preview.update(GUIDE, quick=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 86400))
    preview.edit(GUIDE, lambda t: t + "\nThe next day.\n")
    preview.update(GUIDE, quick=False)
    preview.assert_as_built_from_scratch()


def test_a_guide_edit_that_quotes_a_private_value_changes_nothing_served(preview: Preview):
    lines = (preview.site / "cohorts/2026-pilot.yml").read_text().splitlines()
    note = next(line.split("notes:", 1)[1].strip() for line in lines if line.strip().startswith("notes: Moved from"))
    words = note.split()
    wrapped = " ".join(words[:2]) + "\n" + " ".join(words[2:])  # hard-wrapped, as an author might
    page = preview.out / "preview/pairing/index.html"
    before = page.read_bytes()
    preview.edit(GUIDE, lambda t: t + f"\nAs the notes say: {wrapped}\n")
    result = preview.update(GUIDE, quick=False)  # the update declines; the full build refuses it
    assert not result.written and any("private field 'notes'" in p.message for p in result.problems)
    assert page.read_bytes() == before


def test_with_directory_urls_off_a_guide_edit_updates_the_index_script_too(example: Path, tmp_path: Path):
    """Pages opened from disk read the index as search/index.js: the update makes it again too."""
    site_yml = example / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "\ndirectory_urls: false\n", encoding="utf-8")
    preview = Preview(example, tmp_path)
    preview.edit(GUIDE, lambda t: t + "\n## Quokka notes\n\nA paragraph about quokkas.\n")
    assert preview.update(GUIDE, quick=True).written
    assert "quokka" in (preview.out / "preview/search/index.js").read_text()
    preview.assert_as_built_from_scratch()
