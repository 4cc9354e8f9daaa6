"""The preview's update from the changed paths: it decides what a change affects, and
makes that with the full build's own stage functions.

After a successful build, `serve` keeps what it made (memo.LastBuild). When the next
change is only to the text of guides (their front matter the same) or only to cohort
files (the same pairs, in the same order), the files made from those sources are made
again and replaced in the preview's own folder; nothing else is read, planned or hashed.
Any other change, and any change that brings a problem, goes to the full build, which
reports it: an update never gives a result that the full build would not. Tests compare
the two byte for byte. `serve` calls this first and the build when it declines."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from rmsite.core.parallel import collector_paused
from rmsite.core.problems import Problem, has_errors
from rmsite.core.stats import BuildStats
from rmsite.core.urls import pair_page
from rmsite.model.programme import CohortFile, Programme
from rmsite.model.schema import Cohort
from rmsite.output.folders import OutputError, replace_in_place
from rmsite.output.pages import HeldFiles, render_pages
from rmsite.pipeline import other_files
from rmsite.pipeline.build import check_page_links, page_key
from rmsite.pipeline.check import final_problems
from rmsite.pipeline.memo import LastBuild, Memos
from rmsite.pipeline.options import BuildResult, Loaded, Options
from rmsite.site import search
from rmsite.site.conversions import convert_guides
from rmsite.site.plan import CohortViews, Page, PairFigureBook, cohort_views, guide_page, plan_pages, section_pages
from rmsite.source.cohorts import Source, load_cohort, memo_key
from rmsite.source.config import site_as_of
from rmsite.source.files import read_text
from rmsite.source.guides import load_guide

PAIR_PAGE_SKIPS = ("people", "pairs")  # a pair page may show every other field of its cohort


@dataclass(frozen=True)
class Output:
    """A file of the output to update: its path, its key in the output index, and how to make
    its text (None when it is known to come out as it is), or the page to render."""

    path: str
    key: str
    make: Callable[[], str] | None = None
    page: Page | None = None


LATER = (search.INDEX_PATH, search.SCRIPT_PATH)  # made after the pages are shown: the search index


@dataclass(frozen=True)
class Plan:
    loaded: Loaded
    pages: dict[str, Page]
    outputs: list[Output]
    pair_figures: PairFigureBook


@dataclass(frozen=True)
class Updated:
    """An update's result, and the work it left until its pages are shown (the search index)."""

    result: BuildResult
    later: tuple[Output, ...] = ()


def update(options: Options, memos: Memos, changes: list[str]) -> Updated | None:
    """The preview's site updated for `changes` (paths relative to the site folder), or
    None when the full build has to do it."""
    last = memos.last
    if last is None or last.options != options or last.render_problems or not changes:
        return None
    programme = last.loaded.programme
    if programme is None or programme.as_of != site_as_of(options.as_of, programme.site):
        return None  # a new day (or SOURCE_DATE_EPOCH changed): every figure may change
    started = time.perf_counter()
    guides = [c for c in changes if c.startswith("content/") and c.endswith(".md")]
    cohorts = [c for c in changes if c.startswith("cohorts/") and c.endswith(".yml") and c.count("/") == 1]
    stats = BuildStats()
    try:
        with collector_paused():
            if len(guides) == len(changes):
                plan = _guides(last, memos, guides, stats)
            elif len(cohorts) == len(changes):
                plan = _cohorts(last, memos, cohorts, stats)
            else:
                return None
            return _finish(last, memos, plan, started, stats) if plan is not None else None
    except (OSError, OutputError):  # a file went away or cannot be read or written: the full build says so
        return None


def _guides(last: LastBuild, memos: Memos, changes: list[str], stats: BuildStats) -> Plan | None:
    """Guides whose text changed but not their front matter: their pages and the search index."""
    loaded, options = last.loaded, last.options
    programme = loaded.programme
    assert programme is not None
    sources = {g.rel: g for g in programme.guides}
    changed: set[str] = set()
    for change in changes:
        rel = change.removeprefix("content/")
        file = options.source / change
        if rel not in sources or rel == "index.md" or file.is_symlink():
            return None
        guide, found = load_guide(file, change, memos.guides, stats)
        if guide is None or found or guide.meta != sources[rel].meta:
            return None
        if guide != sources[rel]:
            sources[rel] = guide
            changed.add(rel)
    converted, conversion = convert_guides(list(sources.values()), options.drafts, last.renderer.pretty,
                                           memos.conversions, options.jobs,
                                           {g.source.rel: g for g in loaded.guides}, stats)
    problems = _problems(last, list(loaded.others) + conversion)
    if problems is None:
        return None
    if any(last.guard.check_text(g.source.page_path, g.html, True) for g in converted if g.source.rel in changed):
        return None  # a private value in what the guide's author wrote: the full build reports it
    programme = replace(programme, guides=tuple(sources.values()))
    loaded = replace(loaded, programme=programme, guides=tuple(converted), problems=problems,
                     conversion=tuple(conversion))
    nav = last.site_view.guides
    order = {link.path: index for index, link in enumerate(nav)}
    section_of = {s.key: s for s in last.site_view.sections}
    listings = section_pages(last.site_view.sections)
    pages = dict(last.pages)
    made = []
    for conversion_ in converted:
        if conversion_.source.rel in changed and conversion_.source.page_path in order:
            path = conversion_.source.page_path
            page = pages[path] = guide_page(conversion_, nav, order[path], section_of, listings)
            made.append(Output(page.path, _page_key(last, page), page=page))
    return Plan(loaded, pages, made + _search_index(last, memos, loaded), last.pair_figures)


def _cohorts(last: LastBuild, memos: Memos, changes: list[str], stats: BuildStats) -> Plan | None:
    """Cohort files with the same pairs: the pages and files made from them, and the pages
    made from every cohort (the home page, the list of cohorts)."""
    loaded = last.loaded
    programme = loaded.programme
    assert programme is not None
    before = {entry.id: entry for entry in programme.cohorts}
    entries = dict(before)
    others = list(loaded.others)
    for change in changes:
        cohort_id = change.removeprefix("cohorts/").removesuffix(".yml")
        file = last.options.source / change
        if cohort_id not in entries or file.is_symlink():
            return None
        text, found = read_text(file, change)
        if text is None or found:
            return None
        source = Source(cohort_id, change, text)
        result = load_cohort(source, programme.site, programme.as_of)
        stats.parsed.append(change)
        memos.cohorts[change] = (memo_key(source, programme.site, programme.as_of), result)
        if result.entry is None or _pair_keys(result.entry) != _pair_keys(before[cohort_id]):
            return None
        others = [p for p in others if p.path != change] + list(result.problems)
        entries[cohort_id] = result.entry
    changed = [entry for entry in entries.values() if entry.digest != before[entry.id].digest]
    problems = _problems(last, others + list(loaded.conversion))
    if problems is None:
        return None
    programme = replace(programme, cohorts=tuple(entries[entry.id] for entry in programme.cohorts))
    if any(_private(entry) != _private(before[entry.id]) for entry in changed):
        return None  # other private values: the full build makes a new leak guard and checks every page again
    loaded = replace(loaded, programme=programme, problems=problems, others=tuple(others))
    same = {entry.id: _unchanged_pairs(before[entry.id].public, entry.public) for entry in changed}
    for entry in changed:
        _carry_views(memos, programme, entry, same[entry.id])
    pair_figures = PairFigureBook(programme, memos.views)
    _, planned = plan_pages(programme, list(loaded.guides), pair_figures)
    pages = {page.path: page for page in planned}
    if pages.keys() != last.pages.keys():
        return None
    sources = {f"cohorts/{entry.id}.yml" for entry in changed}
    made = [Output(page.path, _page_key(last, page), page=page)
            for page in planned if page.gathers or page.source in sources]
    for entry in changed:
        for pair in entry.public.pairs:
            page = pages[pair_page(entry.id, pair.key)]
            made.append(Output(page.path, _page_key(last, page), page=None if pair.key in same[entry.id] else page))
        made += [Output(path, other_files.file_key(path, inputs), None if pair in same[entry.id] else make)
                 for path, _, inputs, make, pair in other_files.cohort_outputs(programme, entry, pair_figures)]
    return Plan(loaded, pages, made + _search_index(last, memos, loaded), pair_figures)


def _private(entry: CohortFile) -> list[tuple[str, str]]:
    return sorted((value.field, value.value) for value in entry.private)


def _pair_keys(entry: CohortFile) -> list[str]:
    return [key for key, _, _ in entry.summary.pairs]


def _unchanged_pairs(old: Cohort, new: Cohort) -> set[str]:
    """The pairs whose page and calendar come out the same from both versions of a cohort: the
    pair, its mentor and mentee, and every field of the cohort but its people and pairs, unchanged."""
    if any(getattr(old, name) != getattr(new, name) for name in type(new).model_fields
           if name not in PAIR_PAGE_SKIPS):
        return set()
    people_old = {p.id: p for p in old.people}
    people_new = {p.id: p for p in new.people}
    return {b.key for a, b in zip(old.pairs, new.pairs)
            if a == b and people_old.get(b.mentor) == people_new.get(b.mentor)
            and people_old.get(b.mentee) == people_new.get(b.mentee)}


def _carry_views(memos: Memos, programme: Programme, entry: CohortFile, same: set[str]) -> None:
    """Start a changed cohort's memo of figures and views (plan.cohort_views) with those of its
    unchanged pairs, so that only the changed pairs' are made again."""
    known = memos.views.get(entry.id)
    fresh = cohort_views(None, programme, entry)
    memos.views[entry.id] = CohortViews(
        fresh.sources,
        {key: value for key, value in known.figures.items() if key in same} if known is not None else {},
        {key: value for key, value in known.pairs.items() if key in same} if known is not None else {})


def _page_key(last: LastBuild, page: Page) -> str:
    return page_key(page, last.shared, last.renderer.template_digest(page.template, last.templates))


def _search_index(last: LastBuild, memos: Memos, loaded: Loaded) -> list[Output]:
    programme = loaded.programme
    assert programme is not None
    if not programme.site.config.search:
        return []
    guides, pretty = list(loaded.guides), last.renderer.pretty
    inputs = other_files.search_inputs(programme, guides, pretty)
    index_text = functools.cache(lambda: other_files.search_index_text(  # made once for both files
        programme, guides, last.site_view.sections, pretty, memos.search, last.options.jobs))
    outputs = [Output(search.INDEX_PATH, other_files.file_key(search.INDEX_PATH, inputs), index_text)]
    if not pretty:  # the same index as a script, for pages opened from disk (as the build writes it)
        outputs.append(Output(search.SCRIPT_PATH, other_files.file_key(search.SCRIPT_PATH, inputs),
                              lambda: search.as_script(index_text())))
    return outputs


def _problems(last: LastBuild, found: list[Problem]) -> list[Problem] | None:
    """Every problem of the site after the change, as the full build lists them; None if
    there is an error among them (the full build reports it)."""
    programme = last.loaded.programme
    problems = final_problems(found, last.options, programme.site if programme is not None else None)
    return None if has_errors(problems) else problems


def _make(last: LastBuild, outputs: list[Output], held: HeldFiles) -> bool:
    """Make the outputs that are not pages into `held`, each checked by the leak guard; False
    if it finds a problem."""
    for output in outputs:
        if output.page is None and output.make is not None:
            text = output.make()
            if last.guard.check_text(output.path, text):
                return False
            held.write_bytes(output.path, text.encode("utf-8"))
    return True


def _finish(last: LastBuild, memos: Memos, plan: Plan, started: float, stats: BuildStats) -> Updated | None:
    """Render the pages and make the files with the build's own functions, check them as the
    full build does, then write those whose bytes changed; None, and nothing written, if a
    check finds a problem. The search index is left for later, so that the pages can be
    shown first."""
    now = [output for output in plan.outputs if output.path not in LATER]
    held = HeldFiles()
    pages = [output.page for output in now if output.page is not None]
    rendered = render_pages(last.renderer, pages, held, last.guard, jobs=1)  # threads: no forking here
    stats.pages_rendered += len(pages)
    if rendered.problems or not _make(last, now, held):
        return None
    report = check_page_links(rendered.links, set(memos.outputs.written or ()), last.renderer, {})
    if report.problems:
        return None
    written = _write(last, memos, now, held)
    made = {links.path for links in rendered.links}
    external = tuple([e for e in last.external if e[0] not in made] + report.external)
    memos.last = replace(last, loaded=plan.loaded, pages=plan.pages, pair_figures=plan.pair_figures,
                         external=external)
    programme = plan.loaded.programme
    assert programme is not None
    result = BuildResult(list(plan.loaded.problems), last.output, len(written), time.perf_counter() - started,
                         True, tuple(written), programme.base_url, len(plan.pages) - len(written), external,
                         updated=True, stats=stats)
    return Updated(result, tuple(output for output in plan.outputs if output.path in LATER))


def finish_later(memos: Memos, updated: Updated) -> bool:
    """Make and write what an update left for later; False (and the full build must follow)
    if the leak guard finds a problem."""
    last = memos.last
    if last is None:
        return False
    held = HeldFiles()
    if not _make(last, list(updated.later), held):
        memos.last = None
        return False
    _write(last, memos, list(updated.later), held)
    return True


def _write(last: LastBuild, memos: Memos, outputs: list[Output], held: HeldFiles) -> list[str]:
    """Write the files whose bytes changed, and note every file's key and stamp."""
    written = [output.path for output in outputs
               if output.path in held.files and replace_in_place(last.output, output.path, held.files[output.path])]
    index = memos.outputs
    for output in outputs:
        index.keys[output.path] = output.key
        index.stamp(output.path)
    return written
