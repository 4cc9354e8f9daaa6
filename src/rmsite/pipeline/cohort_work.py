"""The build's pages and files, a cohort at a time, so that its memory grows with the
largest cohort rather than with the programme (architecture.md, "How memory is bounded").

For each cohort with something to make, one piece of work renders its pages, writes its
progress.json and calendars, makes its block of the search index and its share of the pages
made from every cohort (the home page, the list of cohorts), and then releases what was
made from it, its model too when the build's spool can read it again, before the next cohort
is read. Worker processes take whole pieces (core/parallel.py). The pages made from every
cohort are rendered last, in this process, from the shares the pieces sent back."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rmsite.core.parallel import fork_each, worker_count
from rmsite.core.problems import Problem
from rmsite.model.programme import CohortFile, Programme
from rmsite.output.folders import OutputError
from rmsite.output.links import PageLinks
from rmsite.output.pages import PageResult, Rendered, Sink, by_cohort, render_each, rendered
from rmsite.output.privacy import LeakGuard
from rmsite.output.render import Renderer
from rmsite.pipeline.other_files import Later
from rmsite.site import search
from rmsite.site.plan import CohortShare, Page, Views


@dataclass
class Work:
    """What to make of one cohort (or, without one, of pages made from no cohort: guides)."""

    entry: CohortFile | None
    pages: list[Page] = field(default_factory=list)
    files: list[tuple[str, Callable[[], str]]] = field(default_factory=list)  # path, its text
    share: bool = False  # its share of the pages made from every cohort is wanted
    block: bool = False  # its block of the search index is wanted

    @property
    def size(self) -> int:
        """About how much there is to do: pages and files, and the pairs a share goes through."""
        pairs = len(self.entry.summary.pairs) if self.entry is not None and (self.share or self.block) else 0
        return len(self.pages) + len(self.files) + pairs


@dataclass(frozen=True)
class Done:
    """What one piece of work gave back."""

    pages: list[PageResult]
    share: CohortShare | None
    block: tuple[str, search.Block] | None
    failed: Problem | None  # a file could not be written (a full disk): the build stops with it


@dataclass(frozen=True)
class Made:
    """What the pieces of work made together."""

    rendered: Rendered  # every page's, those made from every cohort included
    blocks: dict[str, search.Block]  # the cohorts' blocks of the search index, by key


def plan_work(programme: Programme, pages: list[Page], later: Later, shares: bool,
              blocks: Callable[[CohortFile], bool]) -> list[Work]:
    """The pieces of work, in the programme's order: one for each cohort with pages or files to
    make or whose share (`shares`) or block of the search index (`blocks`) is wanted, and one
    for each group of other pages. Pages made from every cohort are left out (make_pages)."""
    by_id = {entry.id: entry for entry in programme.cohorts}
    work: dict[str, Work] = {}
    others: list[Work] = []
    for group in by_cohort([page for page in pages if not page.gathers]):
        key = group[0].path.split("/", 2)[1] if group[0].path.startswith("cohorts/") else ""
        entry = by_id.get(key) if group[0].path.count("/") >= 2 else None
        if entry is not None and all(p.path.startswith(f"cohorts/{entry.id}/") for p in group):
            work[entry.id] = Work(entry, group)
        else:
            others.append(Work(None, group))
    for entry in programme.cohorts:
        piece = work.get(entry.id) or Work(entry)
        piece.files = later.get(entry.id, [])
        piece.share, piece.block = shares, blocks(entry)
        if piece.pages or piece.files or piece.share or piece.block:
            work[entry.id] = piece
    return [work[entry.id] for entry in programme.cohorts if entry.id in work] + others


class SharedLinks:
    """Pages' links for the link check, which keeps every page's: their strings, and the sets
    of ids that pages have alike, held once however many pages have them."""

    def __init__(self) -> None:
        self.ids: dict[frozenset[str], frozenset[str]] = {}

    def __call__(self, results: list[PageResult]) -> list[PageResult]:
        return [(sys.intern(path), outcome, found, self.links(links)) for path, outcome, found, links in results]

    def links(self, links: PageLinks | None) -> PageLinks | None:
        if links is None:
            return None
        ids = frozenset(map(sys.intern, links.ids))
        return replace(links, path=sys.intern(links.path), links=tuple(map(sys.intern, links.links)),
                       ids=self.ids.setdefault(ids, ids))


def do_work(piece: Work, views: Views, renderer: Renderer, sink: Sink, guard: LeakGuard,
            previous: Callable[[str], Path | None], skip: frozenset[str], shared: SharedLinks) -> Done:
    """One piece of work, here; then what was made from its cohort is released."""
    entry, failed = piece.entry, None
    results = shared(render_each(renderer, piece.pages, sink, guard, previous, skip))
    for path, produce in piece.files:
        try:
            sink.write_bytes(path, produce().encode("utf-8"))
        except OutputError as exc:
            failed = exc.problem
            break
    share = views.share(entry) if entry is not None and piece.share else None
    block = (search.cohort_block(entry, views.programme.site.config.language, renderer.pretty)
             if entry is not None and piece.block else None)
    if entry is not None:
        views.release(entry)
        views.shares.pop(entry.id, None)  # sent back, or not wanted
    return Done(results, share, block, failed)


def make_pages(work: list[Work], gathering: list[Page], views: Views, renderer: Renderer, sink: Sink,
               guard: LeakGuard, jobs: int | None, previous: Callable[[str], Path | None],
               skip: frozenset[str]) -> Made:
    """Do the pieces of work, spread over worker processes, then render the pages made from
    every cohort (`gathering`) from the shares; every page's result, in page order."""
    shared = SharedLinks()

    def do(piece: Work) -> Done:
        return do_work(piece, views, renderer, sink, guard, previous, skip, shared)

    def arrived(done: Done) -> Done:  # its strings shared with the pages that came before
        return replace(done, pages=shared(done.pages))

    done = fork_each(do, work, worker_count(sum(piece.size for piece in work), jobs), arrived)
    failed = next((d.failed for d in done if d.failed is not None), None)
    if failed is not None:
        raise OutputError(failed)
    for d in done:
        if d.share is not None:
            views.adopt(d.share)
    results = [r for d in done for r in d.pages] + render_each(renderer, gathering, sink, guard, previous, skip)
    pages = [page for piece in work for page in piece.pages] + gathering
    return Made(rendered(pages, results), dict(d.block for d in done if d.block is not None))
