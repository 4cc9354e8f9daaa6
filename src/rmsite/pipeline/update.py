"""Rebuilds that start from the changed paths, for the preview server.

After a successful build, `serve` keeps what it made (build.LastBuild). When the
next change is only to the text of guides (their front matter the same) or only
to cohort files (the same pairs, in the same order), the files made from those
sources are made again and replaced in the preview's own folder; nothing else
is read, planned or hashed. Any other change, and any change that brings an
error, goes to the full build, which reports it: an update never gives a result
that the full build would not. Tests compare the two byte for byte."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from rmsite.pipeline import build as pipeline
from rmsite.pipeline import other_files as outputs
from rmsite.site import search
from rmsite.source import rules as validate
from rmsite.pipeline.store import BuildCache, digest
from rmsite.source.cohorts import Source, load_cohort, memo_key
from rmsite.output.links import PageLinks, check_links
from rmsite.output.links import extract as extract_links
from rmsite.source.files import read_text
from rmsite.model.programme import CohortFile, Programme
from rmsite.site.views import SiteView, pair_page
from rmsite.site.plan import Page, PairFigureBook, guide_page, plan_pages
from rmsite.output.privacy import LeakGuard
from rmsite.core.problems import Loc, Problem, has_errors, sort_problems
from rmsite.output.render import Renderer
from rmsite.model.schema import Cohort
from rmsite.output.staging import replace_in_place

PAIR_PAGE_SKIPS = ("people", "pairs")  # a pair page may show every other field of its cohort


@dataclass(frozen=True)
class LastBuild:
    """What a preview server's build leaves for the next update (quick.py): the checked
    programme, the planned pages, and what rendering them needed."""

    options: pipeline.Options
    loaded: pipeline.Loaded
    renderer: Renderer
    site_view: SiteView
    pages: dict[str, Page]
    shared: str  # the hash of what every page shows
    templates: dict[str, str]  # template digests, by name
    guard: LeakGuard
    files: frozenset[str]  # every file of the output
    render_problems: tuple[Problem, ...]
    output: Path
    pair_figures: PairFigureBook
    external: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Output:
    """A file of the output to update: its path, its key in the cache, and how to make its
    text (None when it is known to come out as it is)."""

    path: str
    key: str
    make: Callable[[], str] | None = None
    page: Page | None = None  # a page, rendered instead of made


@dataclass(frozen=True)
class Plan:
    loaded: pipeline.Loaded
    pages: dict[str, Page]
    outputs: list[Output]
    pair_figures: PairFigureBook


def update(options: pipeline.Options, cache: BuildCache, changes: list[str]) -> pipeline.BuildResult | None:
    """The preview's site updated for `changes` (paths relative to the site folder), or
    None when the full build has to do it."""
    last = cache.last
    if last is None or last.options != options or last.render_problems or not changes:
        return None
    programme = last.loaded.programme
    if programme is None or programme.as_of != pipeline.site_as_of(options, programme.site):
        return None  # a new day (or SOURCE_DATE_EPOCH changed): every figure may change
    started = time.perf_counter()
    guides = [c for c in changes if c.startswith("content/") and c.endswith(".md")]
    cohorts = [c for c in changes if c.startswith("cohorts/") and c.endswith(".yml") and c.count("/") == 1]
    try:
        if len(guides) == len(changes):
            plan = _guides(last, cache, guides)
        elif len(cohorts) == len(changes):
            plan = _cohorts(last, cache, cohorts)
        else:
            return None
        return _finish(last, cache, plan, started) if plan is not None else None
    except OSError:  # a file went away or cannot be read: the full build says so
        return None


def _guides(last: LastBuild, cache: BuildCache, changes: list[str]) -> Plan | None:
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
        text, found = read_text(file, change)
        if text is None or found:
            return None
        guide, found = pipeline.parse_guide(text.text, change, rel)
        if guide is None or found or guide.meta != sources[rel].meta:
            return None
        cache.guide_sources[change] = (text.digest, (guide, found))
        if guide != sources[rel]:
            sources[rel] = guide
            changed.add(rel)
    converted, conversion = pipeline.convert_guides(list(sources.values()), options.drafts, last.renderer.pretty,
                                                    cache, options.jobs, {g.source.rel: g for g in loaded.guides})
    problems = _problems(last, list(loaded.others) + conversion)
    if problems is None:
        return None
    programme = replace(programme, guides=tuple(sources.values()))
    loaded = replace(loaded, programme=programme, guides=tuple(converted), problems=problems,
                     conversion=tuple(conversion))
    nav = last.site_view.guides
    order = {link.path: index for index, link in enumerate(nav)}
    section_of = {s.key: s for s in last.site_view.sections}
    pages = dict(last.pages)
    made = []
    for guide in converted:
        if guide.source.rel in changed and guide.source.page_path in order:
            page = pages[guide.source.page_path] = guide_page(guide, nav, order[guide.source.page_path], section_of)
            made.append(Output(page.path, _page_key(last, page), page=page))
    return Plan(loaded, pages, made + _search_index(last, cache, loaded), last.pair_figures)


def _cohorts(last: LastBuild, cache: BuildCache, changes: list[str]) -> Plan | None:
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
        result = load_cohort(source, programme.site, cache.yaml_lists.setdefault(change, {}))
        cache.cohorts[change] = (memo_key(source, programme.site), result)
        if result.entry is None or _pair_keys(result.entry) != _pair_keys(before[cohort_id]):
            return None
        others = [p for p in others if p.path != change] + list(result.problems)
        entries[cohort_id] = result.entry
    changed = [entry for entry in entries.values() if entry.doc.digest != before[entry.id].doc.digest]
    problems = _problems(last, others + list(loaded.conversion))
    if problems is None:
        return None
    programme = replace(programme, cohorts=tuple(entries[entry.id] for entry in programme.cohorts))
    if any(_private(entry) != _private(before[entry.id]) for entry in changed):
        return None  # other private values: the full build makes a new leak guard and checks every page again
    loaded = replace(loaded, programme=programme, problems=problems, others=tuple(others))
    same = {entry.id: _unchanged_pairs(before[entry.id].cohort, entry.cohort) for entry in changed}
    for entry in changed:
        _carry_views(cache, programme, entry, same[entry.id])
    pair_figures = PairFigureBook(programme, cache.views)
    _, planned = plan_pages(programme, list(loaded.guides), pair_figures)
    pages = {page.path: page for page in planned}
    if pages.keys() != last.pages.keys():
        return None
    sources = {f"cohorts/{entry.id}.yml" for entry in changed}
    made = [Output(page.path, _page_key(last, page), page=page)
            for page in planned if page.gathers or page.source in sources]
    for entry in changed:
        for pair in entry.cohort.pairs:
            page = pages[pair_page(entry.id, pair.key)]
            made.append(Output(page.path, _page_key(last, page), page=None if pair.key in same[entry.id] else page))
        made += [Output(path, digest(path, inputs), None if pair in same[entry.id] else make)
                 for path, _, inputs, make, pair in outputs.cohort_outputs(programme, entry, pair_figures)]
    return Plan(loaded, pages, made + _search_index(last, cache, loaded), pair_figures)


def _private(entry: CohortFile) -> list[tuple[str, str]]:
    return sorted((value.field, value.value) for value in entry.private)


def _pair_keys(entry: CohortFile) -> list[str]:
    return [pair.key for pair in entry.cohort.pairs]


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


def _carry_views(cache: BuildCache, programme: Programme, entry: CohortFile, same: set[str]) -> None:
    """Start a changed cohort's memo of figures and views (plan.cohort_memo) with those of its
    unchanged pairs, so that only the changed pairs' are made again."""
    known = cache.views.get(entry.id)
    made = known[1] if known is not None else {}
    carried = {kind: {key: value for key, value in made.get(kind, {}).items() if key in same}
               for kind in ("figures", "pairs")}
    cache.views[entry.id] = ((programme.site.doc.digest, entry.doc.digest, str(programme.as_of)), carried)


def _page_key(last: LastBuild, page: Page) -> str:
    return pipeline.page_key(page, last.shared, last.renderer.template_digest(page.template, last.templates))


def _search_index(last: LastBuild, cache: BuildCache, loaded: pipeline.Loaded) -> list[Output]:
    programme = loaded.programme
    assert programme is not None
    if not programme.site.config.search:
        return []
    guides, pretty = list(loaded.guides), last.renderer.pretty
    key = digest(search.INDEX_PATH, outputs.search_inputs(programme, guides, pretty))
    return [Output(search.INDEX_PATH, key, lambda: outputs.search_index_text(
        programme, guides, last.site_view.sections, pretty, cache.search_blocks, last.options.jobs))]


def _problems(last: LastBuild, found: list[Problem]) -> list[Problem] | None:
    """Every problem of the site after the change, as the full build lists them; None if
    there is an error among them (the full build reports it)."""
    problems = sort_problems(validate.apply_strict(found, last.options.strict))
    return None if has_errors(problems) else problems


def _finish(last: LastBuild, cache: BuildCache, plan: Plan, started: float
            ) -> pipeline.BuildResult | None:
    """Render the pages and make the files, check them as the full build does, then write
    those whose bytes changed; None, and nothing written, if a check finds a problem. The
    search index is left to the result's `later`, so that the pages can be shown first."""
    now = [output for output in plan.outputs if output.path != search.INDEX_PATH]
    made: list[tuple[str, str, bytes | None]] = []  # (path, key, new bytes or None: as it is)
    page_links: list[PageLinks] = []
    for output in now:
        text = None
        if output.page is not None:
            text, found = last.renderer.render(output.page)
            if text is None or found:
                return None
            page_links.append(extract_links(output.path, text))
        elif output.make is not None:
            text = output.make()
        if text is not None and last.guard.check_text(output.path, text):
            return None
        made.append((output.path, output.key, text.encode("utf-8") if text is not None else None))
    report = check_links(page_links, set(last.files), urlsplit(last.renderer.base_url).path or "/",
                         lambda path: Loc(path))
    if report.problems:
        return None
    written = _write(last, cache, made)
    rendered = {links.path for links in page_links}
    external = tuple([e for e in last.external if e[0] not in rendered] + report.external)
    cache.last = replace(last, loaded=plan.loaded, pages=plan.pages, pair_figures=plan.pair_figures,
                         external=external)
    later = [output for output in plan.outputs if output.path == search.INDEX_PATH]

    def finish() -> bool:
        """Make and write what was left for later; False if the leak guard finds a problem."""
        done = []
        for output in later:
            text = output.make() if output.make is not None else None
            if text is not None and last.guard.check_text(output.path, text):
                cache.last = None
                return False
            done.append((output.path, output.key, text.encode("utf-8") if text is not None else None))
        _write(last, cache, done)
        return True
    programme = plan.loaded.programme
    assert programme is not None
    return pipeline.BuildResult(list(plan.loaded.problems), last.output, len(written),
                                time.perf_counter() - started, True, tuple(written), programme.base_url,
                                len(plan.pages) - len(written), external, finish if later else None, True)


def _write(last: LastBuild, cache: BuildCache, made: list[tuple[str, str, bytes | None]]) -> list[str]:
    """Write the files whose bytes changed, and remember every file's key and stamp."""
    written = [path for path, _, data in made if data is not None and replace_in_place(last.output, path, data)]
    for path, key, _ in made:
        cache.pages[path] = key
        stat = os.stat(f"{last.output}/{path}")
        cache.stamps[path] = (stat.st_size, stat.st_mtime_ns)
    return written
