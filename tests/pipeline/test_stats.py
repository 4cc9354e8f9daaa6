"""BuildStats: what a build did rather than took from its memos, observed from outside."""

from __future__ import annotations

from pathlib import Path

from rmsite.pipeline.build import build
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import Options


def test_a_first_build_does_everything_and_counts_it(example: Path, tmp_path: Path):
    result = build(Options(example, tmp_path / "out"), Memos())
    assert result.written
    stats = result.stats
    guides = sorted(str(p.relative_to(example)) for p in (example / "content").rglob("*.md"))
    cohorts = sorted(str(p.relative_to(example)) for p in (example / "cohorts").glob("*.yml"))
    assert sorted(stats.parsed) == sorted(guides + cohorts)
    assert stats.guides_converted == len(guides)
    assert stats.pages_rendered == result.pages > 0
    assert stats.templates_compiled > 0
    assert stats.cohorts_restored == 0


def test_a_rebuild_after_one_guide_edit_redoes_only_that_guide(example: Path, tmp_path: Path):
    memos, out = Memos(), tmp_path / "out"
    assert build(Options(example, out), memos).written
    guide = example / "content/feedback.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result = build(Options(example, out), memos)
    assert result.written and result.files == ("feedback/index.html",)
    assert result.stats.parsed == ["content/feedback.md"]
    assert result.stats.guides_converted == 1
    assert result.stats.pages_rendered == 1  # the others are taken from the last build
    assert result.stats.templates_compiled == 0  # the memo kept the environment and its compiled templates


def test_a_rebuild_with_nothing_changed_renders_nothing(example: Path, tmp_path: Path):
    memos, out = Memos(), tmp_path / "out"
    assert build(Options(example, out), memos).written
    again = build(Options(example, out), memos)
    assert again.written and again.files == ()
    assert again.stats.parsed == [] and again.stats.guides_converted == 0 and again.stats.pages_rendered == 0
