"""What pages the site has, each with its template, the hashes of the sources it
is made from, and its view, which is made only when the page is rendered (a
rebuild that renders one page does not compute the views of the others)."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, overload

from rmsite.core.urls import COHORT_INDEX, cohort_page, pair_page
from rmsite.model import figures, rollups
from rmsite.model.figures import PairFigures
from rmsite.model.programme import CohortFile, Programme
from rmsite.model.schema import Cohort, Pair, pair_name
from rmsite.site import search
from rmsite.site.markdown import ConvertedGuide
from rmsite.site.nav import (
    SECTION_PAGE_SIZE,
    TOP,
    NavLink,
    Section,
    make_sections,
    reading_order,
    section_key,
    section_page,
)
from rmsite.site.trackers import ContributionView
from rmsite.site.views import (
    CohortView,
    GuideView,
    HomeView,
    ObjectiveView,
    PairView,
    SectionPageView,
    SiteView,
    cohort_view,
    contribution_view,
    objective_tracker,
    objective_view,
    pair_view,
)


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and view."""

    path: str
    template: str
    make_view: Callable[[], Any] = field(repr=False, compare=False)
    title: str
    description: str = ""
    source: str = ""  # the source file the page comes from, for problems
    inputs: tuple[str, ...] = ()  # hashes of the sources it is made from (with the site-wide ones)
    gathers: bool = False  # made from every cohort (home, list of cohorts): rendered last, in the main process

    @cached_property
    def view(self) -> Any:
        """What the template shows, made on first use."""
        return self.make_view()

    def drop_view(self) -> None:
        """Forget the view once the page is rendered (made again if asked for)."""
        self.__dict__.pop("view", None)


@dataclass
class CohortViews:
    """What was made from one cohort (figures, views), kept while the cohort file, site.yml
    and the as-of date it was made from stay the same."""

    sources: tuple[str, str, str]
    figures: dict[str, PairFigures] = field(default_factory=dict)  # by pair key
    pairs: dict[str, PairView] = field(default_factory=dict)  # by pair key
    cohort: CohortView | None = None
    contributions: rollups.Contributions | None = None
    contribution_views: dict[str, tuple[ContributionView, ...]] | None = None


ViewMemo = dict[str, CohortViews]  # by cohort id


class PairList(Sequence[PairView]):
    """A cohort's pair views (or its `ranked` ones: `order` gives their places) in the cohort's
    view that the pages made from every cohort get: how many there are is known, the views are
    made when a template first goes through them (the built-in templates only count them), so a
    build need not hold every cohort's pairs to render its home page. Sent to another process
    as what it is a list of; the views that make the pairs' are set where it is read
    (Views.adopt), by a weak reference: they hold it, and a cycle would outlive them."""

    def __init__(self, cohort_id: str, size: int, order: tuple[int, ...] | None = None) -> None:
        self.cohort_id, self.size, self.order = cohort_id, size, order
        self.views: weakref.ref[Views] | None = None

    def made(self) -> tuple[PairView, ...]:
        views = self.views() if self.views is not None else None
        assert views is not None, "a list of pair views read without the views it was adopted by"
        pairs = views.pair_views(self.cohort_id)
        return pairs if self.order is None else tuple(pairs[i] for i in self.order)

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> PairView: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[PairView, ...]: ...

    def __getitem__(self, index: int | slice) -> PairView | tuple[PairView, ...]:
        return self.made()[index]

    def __iter__(self) -> Iterator[PairView]:
        return iter(self.made())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairList) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(self.__getstate__())

    def __repr__(self) -> str:
        return f"PairList({self.cohort_id!r}, {self.size}, {self.order!r})"

    def __getstate__(self) -> tuple[str, int, tuple[int, ...] | None]:
        return self.cohort_id, self.size, self.order

    def __setstate__(self, state: tuple[str, int, tuple[int, ...] | None]) -> None:
        (self.cohort_id, self.size, self.order), self.views = state, None


@dataclass(frozen=True)
class CohortShare:
    """What the pages made from every cohort (the home page, the list of cohorts) need of one
    cohort: its view with its pairs as a PairList, its part in the objectives' roll-ups and
    its goals' views. Small enough for a build to keep for every cohort while it holds one
    cohort's model and views at a time; made where the cohort's pages are rendered."""

    cohort: CohortView
    objectives: rollups.CohortObjectives
    contribution_views: dict[str, tuple[ContributionView, ...]]


def cohort_views(memo: ViewMemo | None, programme: Programme, entry: CohortFile) -> CohortViews:
    """The memo of what was made from one cohort; a fresh one without a memo."""
    sources = (programme.site.doc.digest, entry.digest, str(programme.as_of))
    if memo is None:
        return CohortViews(sources)
    known = memo.get(entry.id)
    if known is None or known.sources != sources:
        known = memo[entry.id] = CohortViews(sources)
    return known


REPORT_PUBLISHES = frozenset({"email", "phone", "notes", "feedback", "comment", "scores", "reason"})


class PairFigureBook(dict[tuple[str, str], PairFigures]):
    """Each pair's computed figures, by (cohort id, pair id), computed on first use
    (or taken from `memo`, which a preview server keeps between builds). With `report`,
    of every pair, proposed ones too (the coordinator's report); else of the public pairs."""

    def __init__(self, programme: Programme, memo: ViewMemo | None = None, report: bool = False) -> None:
        super().__init__()
        self.programme, self.memo, self.report = programme, memo, report
        if report:
            self.pairs = {(e.id, p.key): (e, i) for e in programme.cohorts for i, p in enumerate(e.cohort.pairs)}
        else:
            self.pairs = {(e.id, p[0]): (e, i) for e in programme.cohorts for i, p in enumerate(e.summary.pairs)}

    def cohort_of(self, entry: CohortFile) -> Cohort:
        """The cohort as this audience sees it: every pair for the report, the public ones else."""
        return entry.cohort if self.report else entry.public

    def release(self, entry: CohortFile) -> None:
        """Forget the cohort's figures (made again if asked for; a memo keeps its own)."""
        for key, _, _ in entry.summary.pairs:
            self.pop((entry.id, key), None)

    def __missing__(self, key: tuple[str, str]) -> PairFigures:
        entry, index = self.pairs[key]
        cohort = self.cohort_of(entry)
        pair = cohort.pairs[index]
        made = cohort_views(self.memo, self.programme, entry).figures
        if pair.key not in made:
            made[pair.key] = figures.pair_figures(self.programme.site.config, cohort, pair, self.programme.as_of)
        self[key] = made[pair.key]
        return made[pair.key]


@dataclass
class Views:
    """Makes each view once, when a page (or another view) first asks for it."""

    programme: Programme
    pair_figures: PairFigureBook
    pairs: dict[tuple[str, str], PairView] = field(default_factory=dict)
    cohorts: dict[str, CohortView] = field(default_factory=dict)
    shares: dict[str, CohortShare] = field(default_factory=dict)

    @cached_property
    def objectives(self) -> dict[str, ObjectiveView]:
        return {o.id: objective_view(o) for o in self.programme.site.config.programme.objectives}

    @property
    def report(self) -> bool:
        """The coordinator's report: every pair, every private field, every mean."""
        return self.pair_figures.report

    def publishes(self) -> frozenset[str]:
        return REPORT_PUBLISHES if self.report else frozenset(self.programme.site.config.privacy.publish)

    def pair(self, entry: CohortFile, pair: Pair) -> PairView:
        key = (entry.id, pair.key)
        if key not in self.pairs:
            made = cohort_views(self.pair_figures.memo, self.programme, entry).pairs
            if pair.key not in made:
                config = self.programme.site.config
                made[pair.key] = pair_view(entry.id, self.pair_figures.cohort_of(entry), pair, self.pair_figures[key],
                                           self.objectives, self.publishes(), self.programme.as_of,
                                           config.programme.check_in_scores, config.forms)
            self.pairs[key] = made[pair.key]
        return self.pairs[key]

    def pair_at(self, entry: CohortFile, index: int) -> PairView:
        """The view of the cohort's pair at `index` (the cohort is restored only now)."""
        return self.pair(entry, self.pair_figures.cohort_of(entry).pairs[index])

    def cohort(self, entry: CohortFile) -> CohortView:
        if entry.id not in self.cohorts:
            memo = cohort_views(self.pair_figures.memo, self.programme, entry)
            cohort = self.pair_figures.cohort_of(entry)
            if memo.cohort is None:
                config = self.programme.site.config
                memo.cohort = cohort_view(
                    entry, tuple(self.pair(entry, p) for p in cohort.pairs), self.objectives,
                    [self.pair_figures[(entry.id, p.key)] for p in cohort.pairs], self.programme.as_of,
                    config.show_unpaired, config.programme.check_in_scores,
                    1 if self.report else config.privacy.min_group, cohort)
            self.cohorts[entry.id] = memo.cohort
            for pair in cohort.pairs:  # the home page looks pairs up here
                self.pair(entry, pair)
        return self.cohorts[entry.id]

    def contributions(self, entry: CohortFile) -> rollups.Contributions:
        """The cohort's goals by the objective they name (kept with its views)."""
        memo = cohort_views(self.pair_figures.memo, self.programme, entry)
        if memo.contributions is None:
            memo.contributions = rollups.cohort_contributions(entry.id, self.pair_figures.cohort_of(entry),
                                                              self.pair_figures)
        return memo.contributions

    def contribution_views(self, entry: CohortFile) -> dict[str, tuple[ContributionView, ...]]:
        """What the home page shows of each of those goals, by objective (kept with its views)."""
        memo = cohort_views(self.pair_figures.memo, self.programme, entry)
        if memo.contribution_views is None:
            self.cohort(entry)  # its pairs' views, which the goals link to
            memo.contribution_views = {objective: tuple(contribution_view(c, self.pairs) for c in goals)
                                       for objective, goals in self.contributions(entry).items()}
        return memo.contribution_views

    def share(self, entry: CohortFile) -> CohortShare:
        """What the pages made from every cohort need of this one (made from its views; a share
        is never kept in a memo, since its PairLists point back at these views)."""
        if entry.id not in self.shares:
            view = self.cohort(entry)
            place = {pair.id: index for index, pair in enumerate(view.pairs)}
            self.adopt(CohortShare(
                replace(view, pairs=PairList(entry.id, len(view.pairs)),
                        ranked=PairList(entry.id, len(view.ranked), tuple(place[p.id] for p in view.ranked))),
                rollups.cohort_objectives(entry.id, self.pair_figures.cohort_of(entry), self.contributions(entry)),
                self.contribution_views(entry)))
        return self.shares[entry.id]

    def adopt(self, share: CohortShare) -> None:
        """Use a cohort's share (made here, or by the worker process that rendered its pages)."""
        for pairs in (share.cohort.pairs, share.cohort.ranked):
            assert isinstance(pairs, PairList)
            pairs.views = weakref.ref(self)
        self.shares[share.cohort.id] = share

    def pair_views(self, cohort_id: str) -> tuple[PairView, ...]:
        """The views of a cohort's pairs (a PairList's), made again if they were released."""
        entry = next(entry for entry in self.programme.cohorts if entry.id == cohort_id)
        return tuple(self.cohort(entry).pairs)

    def release(self, entry: CohortFile) -> None:
        """Forget what was made from a cohort, but its share: its views and figures (a memo
        keeps its own), and its model if it can be read again. Made again if asked for."""
        self.cohorts.pop(entry.id, None)
        for key, _, _ in entry.summary.pairs:
            self.pairs.pop((entry.id, key), None)
        self.pair_figures.release(entry)
        entry.release()

    def all_cohorts(self) -> tuple[CohortView, ...]:
        return tuple(self.share(entry).cohort for entry in self.programme.cohorts)

    def home(self, home_guide: ConvertedGuide | None, nav: tuple[NavLink, ...],
             sections: tuple[Section, ...]) -> HomeView:
        programme, as_of = self.programme, self.programme.as_of
        shares = [self.share(entry) for entry in programme.cohorts]
        cohort_links = {s.cohort.id: NavLink(s.cohort.name, s.cohort.path) for s in shares}
        trackers = tuple(objective_tracker(o, self.objectives[o.objective.id], self.pairs, cohort_links, as_of,
                                           tuple(v for s in shares for v in s.contribution_views.get(o.objective.id, ())))
                         for o in rollups.rollups_of_cohorts(programme.site.config.programme.objectives,
                                                             [s.objectives for s in shares], as_of))
        return HomeView(home_guide.html if home_guide else "", trackers, tuple(s.cohort for s in shares), nav, sections)


def indexable(programme: Programme) -> bool:
    """Whether search engines may index the site: `search_engines` in site.yml, else
    only when it has no pair pages (they name people)."""
    setting = programme.site.config.search_engines
    if setting is not None:
        return setting == "allow"
    return not any(entry.summary.pairs for entry in programme.cohorts)


def robots_txt(programme: Programme, sitemap_url: str | None) -> str:
    """robots.txt: keep every crawler out, or let them in and point them at the sitemap."""
    if not indexable(programme):
        return "# This site names the people of a mentoring programme: please do not index it.\nUser-agent: *\nDisallow: /\n"
    return "User-agent: *\nAllow: /\n" + (f"Sitemap: {sitemap_url}\n" if sitemap_url else "")


def section_pages(sections: tuple[Section, ...]) -> dict[str, SectionPageView]:
    """The pages listing each folder section's guides, by path."""
    made = {}
    for section in sections:
        if not section.listed:
            continue
        paths = tuple(section_page(section.key, n) for n in range(1, section.pages + 1))
        for number, path in enumerate(paths, 1):
            start = (number - 1) * SECTION_PAGE_SIZE
            made[path] = SectionPageView(section, number, section.guides[start:start + SECTION_PAGE_SIZE],
                                         start + 1, paths)
    return made


def guide_page(guide: ConvertedGuide, nav: tuple[NavLink, ...], index: int, section_of: dict[str, Any],
               listings: dict[str, SectionPageView]) -> Page:
    """A guide's page: the guide at `index` in the reading order `nav`, with its neighbours
    (and, for content/<folder>.md, the first page of the folder's list: `listings`)."""
    meta = guide.source.meta
    key = section_key(guide.source.rel)
    view = GuideView(meta.title, meta.summary, guide.html, guide.toc, tuple(meta.audience),
                     tuple(meta.tags), nav[index - 1] if index else None,
                     nav[index + 1] if index + 1 < len(nav) else None,
                     section_of[key] if key != TOP else None, listings.get(guide.source.page_path))
    return Page(guide.source.page_path, "guide.html", lambda: view, meta.title, meta.summary,
                guide.source.source_path, inputs=guide.inputs)


def plan_pages(programme: Programme, guides: list[ConvertedGuide],
               pair_figures: PairFigureBook, views: Views | None = None) -> tuple[SiteView, list[Page]]:
    """Every HTML page of the site, in a stable order; views are made when rendered (by
    `views`, which the build keeps to release each cohort's, else new ones)."""
    config = programme.site.config
    views = views if views is not None else Views(programme, pair_figures)
    home_guide = next((g for g in guides if g.source.rel == "index.md"), None)
    by_page = {g.source.page_path: g for g in guides if g is not home_guide}
    taken = frozenset({COHORT_INDEX, *([search.PAGE_PATH] if config.search else [])})
    sections = make_sections([g.source for g in by_page.values()], taken)
    nav = reading_order(sections)
    section_of = {s.key: s for s in sections}
    site = SiteView(config.title, config.description, config.organisation, config.language, nav, sections,
                    indexable(programme), config.search)
    home_description = (home_guide.source.meta.summary if home_guide else "") or config.description
    # what each page is made from, besides what every page shows (the build adds that)
    site_input = programme.site.doc.digest
    cohort_input = {e.id: e.digest for e in programme.cohorts}
    every_cohort = (site_input, *(f"{id_}:{digest}" for id_, digest in cohort_input.items()))  # ids too: a renamed file moves its pages
    pages = [Page("index.html", "home.html", lambda: views.home(home_guide, nav, sections), config.title,
                  home_description, inputs=(*every_cohort, *(home_guide.inputs if home_guide else ())),
                  gathers=True)]
    listings = section_pages(sections)
    pages += [guide_page(by_page[link.path], nav, index, section_of, listings) for index, link in enumerate(nav)]
    pages += [Page(path, "section.html", functools.partial(lambda v: v, listing),
                   listing.title if listing.number == 1 else f"{listing.title} (page {listing.number})",
                   listing.summary)
              for path, listing in listings.items() if path not in by_page]
    pages.append(Page(COHORT_INDEX, "cohorts.html", views.all_cohorts, "Cohorts", inputs=every_cohort,
                      gathers=True))
    for entry in programme.cohorts:
        inputs = (site_input, cohort_input[entry.id])
        summary = entry.summary  # not entry.public: a cohort taken from the cache is restored only if rendered
        pages.append(Page(cohort_page(entry.id), "cohort.html", functools.partial(views.cohort, entry),
                          summary.name, source=f"cohorts/{entry.id}.yml", inputs=inputs))
        people = dict(summary.people)
        for index, (key, mentor, mentee) in enumerate(summary.pairs):
            pages.append(Page(pair_page(entry.id, key), "pair.html",
                              functools.partial(views.pair_at, entry, index),
                              pair_name(people[mentor], people[mentee]), inputs=inputs))
    if config.search:
        pages.append(Page(search.PAGE_PATH, "search.html", lambda: None, "Search",
                          f"Search {config.title}: guides, cohorts and pairs"))
    pages.append(Page("404.html", "404.html", lambda: None, "Page not found"))
    return site, pages
