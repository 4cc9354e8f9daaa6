"""Pages rendered, checked by the leak guard, and handed to where they are written: the
one way both the full build and the preview's update make pages."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.problems import Problem
from rmsite.output.folders import OutputError
from rmsite.output.links import PageLinks
from rmsite.output.links import extract as extract_links
from rmsite.output.privacy import LeakGuard
from rmsite.output.render import Renderer
from rmsite.site.nav import NAV_LIMIT
from rmsite.site.plan import Page


class Sink(Protocol):
    """Where rendered pages go: the staged output folder, or memory (HeldFiles)."""

    def write_bytes(self, rel: str, data: bytes) -> None: ...

    def link(self, rel: str, existing: str | Path) -> None: ...


@dataclass
class HeldFiles:
    """Files kept in memory until every check has passed (the preview's update)."""

    files: dict[str, bytes] = field(default_factory=dict)

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.files[rel] = data

    def link(self, rel: str, existing: str | Path) -> None:  # pragma: no cover: no previous files
        raise AssertionError("held files are never linked")


@dataclass(frozen=True)
class Rendered:
    """What rendering some pages gave."""

    written: list[str]  # paths written to the sink
    same: list[str]  # paths that rendered as their previous file did, which was linked
    problems: list[Problem]
    links: list[PageLinks]


def by_cohort(pages: list[Page]) -> list[list[Page]]:
    """Pages in groups, a cohort's pages together, for worker processes to share out: each
    worker then reads only its own cohorts' part of the programme, and the pages that a
    forked worker shares with the parent stay shared instead of being copied. Guides' pages
    go in runs of at most NAV_LIMIT of one folder, in order: mostly the pages of one block of
    the sidebar, which the worker that renders them then renders once (Renderer.guide_nav)
    rather than every worker once. Any other page is a group of its own."""
    groups: dict[tuple[str, ...], list[Page]] = {}
    in_folder: dict[str, int] = {}  # guides' pages so far, by their guide's folder
    for page in pages:
        parts = page.path.split("/", 2)
        if parts[0] == "cohorts" and len(parts) == 3:
            key: tuple[str, ...] = ("cohort", parts[1])
        elif page.template == "guide.html" and page.source.startswith("content/"):
            folder = posixpath.dirname(page.source)
            number = in_folder[folder] = in_folder.get(folder, -1) + 1
            key = ("guides", folder, str(number // NAV_LIMIT))
        else:
            key = ("page", page.path)
        groups.setdefault(key, []).append(page)
    return list(groups.values())


def leak_source(renderer: Renderer, page: Page) -> str:
    """Where a private value found in a page is reported: its guide (what its author wrote),
    else its template."""
    return page.source if page.source.startswith("content/") else renderer.template_label(page.template)


def no_previous(path: str) -> Path | None:
    return None


PageResult = tuple[str, str, list[Problem], "PageLinks | None"]  # path, written/same/failed, problems, links

# Pages whose links are read one after another, once they are written: the HTML parser's
# tables stay in the processor's caches, which rendering a page between two reads empties
# (a third less time for the link check's reading; benchmarks/README.md, "Link check").
READ_TOGETHER = 32


def read_links(out: list[PageResult], unread: list[tuple[int, str]]) -> None:
    """Fill in the links of the rendered pages in `unread`, and empty it."""
    for place, html in unread:
        path, outcome, found, _ = out[place]
        out[place] = (path, outcome, found, extract_links(path, html))
    unread.clear()


def render_each(renderer: Renderer, pages: list[Page], sink: Sink, guard: LeakGuard,
                previous: Callable[[str], Path | None] = no_previous,
                skip: frozenset[str] = frozenset()) -> list[PageResult]:
    """Render pages here, one after the other, and write those whose bytes changed (a page
    that renders as its previous file did is linked, not written); each page is checked by
    the leak guard, but for the values in `skip` (reported at a template). A page's view is
    dropped once it is rendered."""
    out: list[PageResult] = []
    unread: list[tuple[int, str]] = []  # pages written whose links are still to be read: (place in out, HTML)
    for page in pages:
        html, found = renderer.render(page)
        page.drop_view()
        outcome = "failed"
        if html is not None:
            data = html.encode("utf-8")
            before = previous(page.path)
            try:
                if before is not None and before.stat().st_size == len(data) and before.read_bytes() == data:
                    sink.link(page.path, before)
                    outcome = "same"
                else:
                    sink.write_bytes(page.path, data)
                    outcome = "written"
            except OutputError as exc:  # a full disk, say: reported once, here or by a worker
                out.append((page.path, "failed", [exc.problem], None))
                break
            found = found + guard.check_text(page.path, html, source=leak_source(renderer, page), skip=skip)
            unread.append((len(out), html))
        out.append((page.path, outcome, found, None))
        if len(unread) == READ_TOGETHER:
            read_links(out, unread)
    read_links(out, unread)
    return out


def rendered(pages: list[Page], results: list[PageResult]) -> Rendered:
    """What rendering `pages` gave, in their order, from the results of each share of them."""
    order = {page.path: i for i, page in enumerate(pages)}
    results.sort(key=lambda r: order[r[0]])
    return Rendered([path for path, outcome, _, _ in results if outcome == "written"],
                    [path for path, outcome, _, _ in results if outcome == "same"],
                    list(dict.fromkeys(p for _, _, found, _ in results for p in found)),  # a full disk: once
                    [links for _, _, _, links in results if links is not None])


def render_pages(renderer: Renderer, pages: list[Page], sink: Sink, guard: LeakGuard, jobs: int | None,
                 previous: Callable[[str], Path | None] = no_previous, skip: frozenset[str] = frozenset()) -> Rendered:
    """Render pages (render_each), spread over worker processes. Pages made from the whole
    programme are rendered here, after the workers, so that no worker needs every cohort's views."""
    def render(share: list[Page]) -> list[PageResult]:
        return render_each(renderer, share, sink, guard, previous, skip)

    spread = [page for page in pages if not page.gathers]
    results = [r for chunk in fork_map(lambda groups: render([p for group in groups for p in group]),
                                       by_cohort(spread), worker_count(len(spread), jobs)) for r in chunk]
    results += render([page for page in pages if page.gathers])
    return rendered(pages, results)
