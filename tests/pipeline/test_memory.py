"""A build holds one cohort at a time: each checked cohort waits in the build's spool and
is read again when its pages are made, and what was made from it is released before the
next (architecture.md, "How memory is bounded")."""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path

import pytest

from rmsite.model.schema import Cohort
from rmsite.pipeline.build import build, build_with_cache
from rmsite.pipeline.options import Options

COHORTS = 6


def many_cohorts(site: Path) -> Path:
    """The example site with COHORTS cohorts: copies of its cohort files under other ids."""
    files = sorted((site / "cohorts").glob("*.yml"))
    for number in range(COHORTS - len(files)):
        shutil.copyfile(files[number % len(files)], site / "cohorts" / f"copy-{number + 1}.yml")
    return site


@pytest.fixture
def restores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For each cohort model read back from the spool, how many read before it were still alive."""
    alive: list[weakref.ref[Cohort]] = []
    counts: list[int] = []
    real = Cohort.model_validate_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Cohort], *args: object, **kwargs: object) -> Cohort:
        counts.append(sum(1 for ref in alive if ref() is not None))
        model = real(cls, *args, **kwargs)
        alive.append(weakref.ref(model))
        return model
    monkeypatch.setattr(Cohort, "model_validate_json", classmethod(counting))
    return counts


def test_a_build_reads_each_cohort_back_once_and_releases_it_before_the_next(
        example: Path, tmp_path: Path, restores: list[int]):
    site = many_cohorts(example)
    result = build_with_cache(Options(site, tmp_path / "out", jobs=1), use_cache=False)
    assert result.written, [p.format() for p in result.problems]
    assert len(restores) == COHORTS  # each cohort's pages, files, search block and share: one reading
    assert restores == [0] * COHORTS  # no other cohort's model is alive when one is read


def test_a_build_into_a_folder_with_the_cache_spools_into_the_cache_and_writes_the_same_site(
        example: Path, tmp_path: Path, restores: list[int]):
    site = many_cohorts(example)
    first = build_with_cache(Options(site, tmp_path / "cached", jobs=1))
    assert first.written and restores == [0] * COHORTS
    cohort_files = sorted((site / ".rmsite-cache").glob("build-*-cohort-*.json"))
    assert len(cohort_files) == COHORTS  # the spool's files are the cache's
    plain = build(Options(site, tmp_path / "plain", jobs=1))
    assert plain.written
    assert tree(tmp_path / "cached") == tree(tmp_path / "plain")


def test_pages_made_from_every_cohort_can_still_list_every_pair(example: Path, tmp_path: Path):
    """The cohorts' views on the home page and the list of cohorts make their pairs' views
    again when a template goes through them (the built-in ones only count them)."""
    site = many_cohorts(example)
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/cohorts.html").write_text(
        '{% extends "theme/cohorts.html" %}{% block main %}{{ super() }}<ol id="every-pair">'
        "{% for c in view %}{% for p in c.pairs %}<li>{{ c.id }}: {{ p.name }}</li>{% endfor %}"
        "{% for p in c.ranked[:1] %}<li>first: {{ p.name }}</li>{% endfor %}{% endfor %}</ol>{% endblock %}")
    result = build_with_cache(Options(site, tmp_path / "out", jobs=1), use_cache=False)
    assert result.written, [p.format() for p in result.problems]
    listed = (tmp_path / "out/cohorts/index.html").read_text().split('<ol id="every-pair">')[1].split("</ol>")[0]
    pairs = sum(1 for page in (tmp_path / "out/cohorts").glob("*/*/index.html"))
    assert listed.count("<li>") - listed.count("<li>first: ") == pairs > COHORTS
    assert listed.count("<li>first: ") == COHORTS


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
