"""What one build keeps for the next: a memo for each stage, each owned by its stage and
keyed by a hash of everything its results depend on. `rmsite build` keeps them on disk
between runs (store.py); the preview server keeps them in memory, with its last build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmsite.core.problems import Problem
from rmsite.output.index import OutputIndex
from rmsite.output.privacy import GuardMemo, LeakGuard
from rmsite.output.render import Renderer, TemplateMemo
from rmsite.pipeline.options import Loaded, Options
from rmsite.site.conversions import ConversionMemo
from rmsite.site.plan import Page, PairFigureBook, ViewMemo
from rmsite.site.search import BlockMemo
from rmsite.site.views import SiteView
from rmsite.source.cohorts import CohortMemo
from rmsite.source.guides import GuideMemo


@dataclass
class SavedForms:
    """What the build cache last read or wrote (store.py), so that it writes only what changed."""

    conversions: dict[str, dict[str, Any]] = field(default_factory=dict)  # each guide's conversion, as JSON
    guard: str = ""  # the sources of the leak guard's forms in the cache folder


@dataclass
class Memos:
    """Every stage's memo, in the order the stages run."""

    guides: GuideMemo = field(default_factory=dict)  # source/guides.py: checked front matter
    cohorts: CohortMemo = field(default_factory=dict)  # source/cohorts.py: checked cohorts
    conversions: ConversionMemo = field(default_factory=dict)  # site/conversions.py: guides' HTML
    views: ViewMemo = field(default_factory=dict)  # site/plan.py: each cohort's figures and views
    search: BlockMemo = field(default_factory=dict)  # site/search.py: blocks of the search index
    templates: TemplateMemo = field(default_factory=TemplateMemo)  # output/render.py
    guard: GuardMemo = field(default_factory=GuardMemo)  # output/privacy.py: the leak guard
    outputs: OutputIndex = field(default_factory=OutputIndex)  # output/index.py: the last build's files
    last: LastBuild | None = None  # the preview's last build, for an update from the changed paths
    saved: SavedForms = field(default_factory=SavedForms)  # store.py's


@dataclass(frozen=True)
class LastBuild:
    """What a preview server's build leaves for the next update (update.py): the checked
    programme, the planned pages, and what rendering them needed."""

    options: Options
    loaded: Loaded
    renderer: Renderer
    site_view: SiteView
    pages: dict[str, Page]
    shared: str  # the hash of what every page shows
    templates: dict[str, str]  # template digests, by name
    guard: LeakGuard
    render_problems: tuple[Problem, ...]  # what rendering and writing found (warnings)
    output: Path
    pair_figures: PairFigureBook
    external: tuple[tuple[str, str], ...]
