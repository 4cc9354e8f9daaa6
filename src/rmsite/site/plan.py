"""What pages the site has, each with its template, the hashes of the sources it
is made from, and its view, which is made only when the page is rendered (a
rebuild that renders one page does not compute the views of the others)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

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

    def all_cohorts(self) -> tuple[CohortView, ...]:
        return tuple(self.cohort(entry) for entry in self.programme.cohorts)

    def home(self, home_guide: ConvertedGuide | None, nav: tuple[NavLink, ...],
             sections: tuple[Section, ...]) -> HomeView:
        programme, as_of = self.programme, self.programme.as_of
        cohorts = self.all_cohorts()
        cohort_links = {c.id: NavLink(c.name, c.path) for c in cohorts}
        views = [self.contribution_views(e) for e in programme.cohorts]
        trackers = tuple(objective_tracker(o, self.objectives[o.objective.id], self.pairs, cohort_links, as_of,
                                           tuple(v for made in views for v in made.get(o.objective.id, ())))
                         for o in rollups.objective_rollups(
                             programme.site.config.programme.objectives,
                             [(e.id, self.pair_figures.cohort_of(e)) for e in programme.cohorts], self.pair_figures, as_of,
                             {e.id: self.contributions(e) for e in programme.cohorts}))
        return HomeView(home_guide.html if home_guide else "", trackers, cohorts, nav, sections)


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
               pair_figures: PairFigureBook) -> tuple[SiteView, list[Page]]:
    """Every HTML page of the site, in a stable order; views are made when rendered."""
    config = programme.site.config
    views = Views(programme, pair_figures)
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
