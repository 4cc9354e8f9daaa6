"""`rmsite build`: check (check.py), then plan every page, render into a staging folder,
check what was made, and swap it in. The stages are functions the preview's update
(update.py) calls too; this module never calls the update."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from rmsite.core.hashing import digest
from rmsite.core.parallel import collector_paused, worker_count
from rmsite.core.problems import Loc, has_errors, sort_problems
from rmsite.core.stats import BuildStats
from rmsite.model.programme import CohortFile, GuideSource, Programme
from rmsite.output.folders import OutputError, check_output
from rmsite.output.index import OutputIndex
from rmsite.output.links import LinkReport, PageLinks, check_links
from rmsite.output.links import extract as extract_links
from rmsite.output.pages import no_previous
from rmsite.output.privacy import LeakGuard, forget_forms, leak_guard
from rmsite.output.render import (
    CountingEnvironment,
    Renderer,
    compile_templates,
    template_environment,
    theme_assets,
)
from rmsite.output.staging import StagedOutput
from rmsite.pipeline import cohort_work, other_files
from rmsite.pipeline.check import guide_leaks, load_site, template_leaks
from rmsite.pipeline.memo import LastBuild, Memos
from rmsite.pipeline.options import REPLACE, BuildResult, Loaded, Options, WriteMode
from rmsite.pipeline.store import (
    SPARE_SITE,
    CohortSpool,
    cache_file,
    cohort_spool,
    load_cache,
    save_cache,
    temporary_spool,
)
from rmsite.site import search
from rmsite.site.plan import Page, PairFigureBook, Views, plan_pages
from rmsite.site.search import BlockMemo
from rmsite.site.views import SiteView
from rmsite.source.yaml_errors import text_loc


def build(options: Options, memos: Memos | None = None, mode: WriteMode = REPLACE,
          spool: CohortSpool | None = None) -> BuildResult:
    """Check, render every page into a staging folder, and swap it in; a file-system
    failure while writing (permissions, a full disk) is a problem, and nothing changes.

    With memos (the preview server's, or the build cache's), what did not change is
    taken from the last build instead of being made again. With a spool, each checked
    cohort is kept in a file and read again when its pages are made, one at a time; a
    build that keeps nothing (no memos, not in place) spools into a temporary folder."""
    if spool is None and memos is None and not mode.in_place:
        with temporary_spool() as spool:
            return build(options, memos, mode, spool)
    try:
        with collector_paused():
            return _build(options, memos, mode, spool)
    except OutputError as exc:
        return BuildResult([exc.problem], options.output)


def output_folder(options: Options, programme: Programme) -> Path:
    """Where the site goes: --output, else site.yml's output, in the site folder."""
    if options.output is not None:
        return options.output
    return options.source / programme.site.config.output


def environment(options: Options, memos: Memos | None) -> CountingEnvironment:
    """The build's Jinja environment, with the memo's templates."""
    return template_environment(options.source / "templates", memos.templates if memos is not None else None)


def make_renderer(programme: Programme, site_view: SiteView, env: CountingEnvironment, site_dir: Path) -> Renderer:
    """The renderer of one build."""
    return Renderer(env, site_view, programme.base_url, theme_assets(), site_dir.resolve(),
                    programme.site.config.directory_urls, programme.as_of)


def shared_key(renderer: Renderer, programme: Programme, templates: dict[str, str]) -> str:
    """A hash of what every page shows: the site's view, its URLs, assets and navigation."""
    return digest(renderer.site, programme.base_url, renderer.pretty, programme.as_of,
                  sorted(a.path for a in renderer.assets.values()), renderer.template_digest("nav.html", templates))


def page_key(page: Page, shared: str, template: str) -> str:
    """What decides a page's HTML: its path, template and sources, and what every page shows.

    Made from hashes of the sources rather than of the page's view, so a page
    that is taken from the previous output costs little more than a hash."""
    return digest(page.path, page.template, page.inputs, shared, template)


def check_page_links(page_links: list[PageLinks], files: set[str], renderer: Renderer,
                     locate: dict[str, Page], guides: Mapping[str, GuideSource] | None = None) -> LinkReport:
    """Every link of these pages checked against the site's files; a broken one is reported at
    the page's source: in its guide (`guides`, by source path) at the first place the guide's
    text has the address (a link written in raw HTML), else at the guide or at its template."""
    def where(path: str, link: str) -> Loc:
        page = locate.get(path)
        if page is None:
            return Loc(path)
        guide = guides.get(page.source) if guides is not None else None
        if guide is not None:
            return address_in_guide(guide, link)
        return Loc(page.source or renderer.template_label(page.template))
    return check_links(page_links, files, urlsplit(renderer.base_url).path or "/", where)


def address_in_guide(guide: GuideSource, link: str) -> Loc:
    """Where a guide's text has an address first, as written or HTML-escaped (`&amp;`); the
    guide itself if it has it nowhere (a link its page's template made, or one rewritten)."""
    body = guide.body
    for form in dict.fromkeys((link, html.escape(link))):
        at = body.find(form) if form else -1
        if at >= 0:
            line, column = text_loc(body, at)
            return Loc(guide.source_path, guide.body_first_line + line - 1, column)
    return Loc(guide.source_path)


def make_by_cohort(options: Options, loaded: Loaded, views: Views, renderer: Renderer, staged: StagedOutput,
                   guard: LeakGuard, todo: list[Page], later: other_files.Later, blocks: BlockMemo,
                   index: OutputIndex | None, skip: frozenset[str]) -> cohort_work.Made:
    """The pages to render and the cohorts' files, a cohort at a time (cohort_work.py), with
    the cohorts' blocks of the search index when it is to be made again."""
    programme = views.programme
    assert programme is not None
    config, guides = programme.site.config, list(loaded.guides)
    search_key = other_files.file_key(search.INDEX_PATH, other_files.search_inputs(programme, guides, renderer.pretty))
    remake_index = config.search and (index is None or index.reusable(search.INDEX_PATH, search_key) is None)

    def wants_block(entry: CohortFile) -> bool:
        return remake_index and search.cohort_block_key(entry, config.language, renderer.pretty) not in blocks
    gathering = [page for page in todo if page.gathers]
    work = cohort_work.plan_work(programme, todo, later, bool(gathering), wants_block)
    return cohort_work.make_pages(work, gathering, views, renderer, staged, guard, options.jobs,
                                  index.previous if index is not None else no_previous, skip)


def _build(options: Options, memos: Memos | None, mode: WriteMode, spool: CohortSpool | None) -> BuildResult:
    started = time.perf_counter()
    stats = BuildStats()
    if memos is not None:
        memos.last = None  # set again when this build succeeds
    env = environment(options, memos)
    compiled = env.compiled
    # while workers convert the guides, this process compiles the templates they will share
    loaded = load_site(options, memos, stats, spool.keep if spool is not None else None, lambda: compile_templates(env))
    problems = list(loaded.problems)
    programme = loaded.programme
    if programme is None:
        return BuildResult(problems, stats=stats)
    output = output_folder(options, programme)
    where = programme.site.doc.loc(("output",)) if options.output is None else Loc("site.yml")
    found = check_output(options.source, output, where)
    if found:
        return BuildResult(sort_problems(problems + found), output, stats=stats)
    index = memos.outputs if memos is not None else None
    # a memo of views only where a later update can use it: the preview's, in place
    pair_figures = PairFigureBook(programme, memos.views if memos is not None and mode.in_place else None)
    views = Views(programme, pair_figures)
    site_view, pages = plan_pages(programme, list(loaded.guides), pair_figures, views)
    renderer = make_renderer(programme, site_view, env, options.source)
    keys: dict[str, str] = {}
    templates: dict[str, str] = {}
    shared = shared_key(renderer, programme, templates)  # once per build
    guard = leak_guard(programme, memos.guard if memos is not None else None, options.source)
    if not mode.in_place:  # only the preview makes a guard again, from the same values
        forget_forms()
    render_problems, skip = template_leaks(guard, loaded)  # a template's or guide's value: once, there
    found, in_guides = guide_leaks(guard, loaded, options.jobs, memos.guard.clean if memos is not None else None)
    render_problems, skip = render_problems + found, skip | in_guides
    with StagedOutput(output, where, mode.in_place, index.written if index is not None else None,
                      mode.spare) as staged:
        todo: list[Page] = []
        reuse = other_files.Reuse(staged, index, keys, [])
        linked = reuse.linked
        for page in pages:
            owner = page.source or f"the {page.template[:-5]} page"
            taken = staged.claim(page.path, owner)
            if taken:
                fix = ("rename the guide, or set 'search: false' in site.yml" if page.template == "search.html"
                       else "rename one of them")
                render_problems.append(taken.problem(page.path, owner, fix, owner))
                continue
            if reuse.take(page.path, page_key(page, shared, renderer.template_digest(page.template, templates))):
                continue
            todo.append(page)
        later: other_files.Later = {}  # each cohort's files, made with its pages
        others = other_files.write_other_files(programme, renderer, reuse, pair_figures, [p.path for p in pages],
                                               loaded.static, later)
        blocks = memos.search if memos is not None else {}
        if worker_count(len(todo), options.jobs) > 1:  # workers to share them: the templates, compiled once
            compile_templates(renderer.env)  # if the guides' conversion did not (costs nothing if it did)
        pieces = make_by_cohort(options, loaded, views, renderer, staged, guard, todo, later, blocks, index, skip)
        rendered = pieces.rendered
        stats.pages_rendered += len(todo)
        render_problems += rendered.problems
        page_links = rendered.links
        if programme.site.config.search:
            blocks.update(pieces.blocks)  # site_index keeps those it uses
            render_problems += other_files.write_search_index(
                programme, list(loaded.guides), site_view.sections, reuse, renderer.pretty, guard,
                blocks, options.jobs, skip)
        render_problems += others.problems
        static = {file.rel.removeprefix("static/"): file.rel for file in loaded.static}
        render_problems += guard.check_files(((rel, staged.current(rel)) for rel in others.files if rel not in static),
                                             skip=skip)
        render_problems += guard.check_files(((rel, staged.current(rel)) for rel in others.files if rel in static),
                                             True, static)
        if index is not None and index.guard != guard.fingerprint:  # new private values: check old pages too
            render_problems += guard.check_files(((rel, staged.current(rel)) for rel in linked), skip=skip)
        linked += rendered.same  # rendered as they were: the previous files are kept
        kept, made = set(linked), {links.path for links in page_links}
        if index is None or index.written is None or index.written != frozenset(staged.claimed):
            # files were added or removed: pages taken from the last build are checked again too
            page_links += [extract_links(page.path, staged.current(page.path).read_text(encoding="utf-8"))
                           for page in pages if page.path in kept and page.path not in made]
        by_path = {page.path: page for page in pages}
        report = check_page_links(page_links, set(staged.claimed) | by_path.keys(), renderer, by_path,
                                  {guide.source.source_path: guide.source for guide in loaded.guides})
        render_problems += report.problems  # a page refused above is reported once, not at each link to it
        render_problems = list(dict.fromkeys(render_problems))  # a guide's leak: found in its page and its HTML
        problems = sort_problems(problems + render_problems)
        stats.templates_compiled += renderer.env.compiled - compiled
        stats.cohorts_restored += sum(1 for entry in programme.cohorts if entry.model.made_later)
        stats.private_values_restored += sum(1 for entry in programme.cohorts if entry.private_values.made_later)
        if has_errors(problems):
            return BuildResult(problems, output, stats=stats)
        removal = staged.commit(mode.remove_later)
    if memos is not None:
        memos.outputs.remember(output, keys, guard.fingerprint, frozenset(staged.claimed),
                               frozenset(linked) if mode.in_place else frozenset())
        memos.last = LastBuild(options, loaded, renderer, site_view, by_path, shared, templates, guard,
                               tuple(render_problems), staged.output, pair_figures,
                               tuple(report.external)) if mode.in_place else None
    return BuildResult(problems, output, len(rendered.written), time.perf_counter() - started, True,
                       tuple(rendered.written), programme.base_url, len(pages) - len(rendered.written),
                       tuple(report.external), removal=removal, stats=stats)


def build_with_cache(options: Options, use_cache: bool = True) -> BuildResult:
    """`rmsite build`: a build with the site's build cache (store.py), saved when the build
    succeeds; the replaced site is kept for the next build to start from, or removed while
    the cache is saved."""
    with collector_paused():  # reading and writing the cache too: few cycles, many objects to walk
        file = cache_file(options.source)
        memos = load_cache(file) if use_cache else None
        spare = file.parent / SPARE_SITE if memos is not None else None
        with cohort_spool(file, use_cache) as spool:
            result = build(options, memos, WriteMode(spare=spare, remove_later=True), spool)
            if memos is not None and result.written:  # a failed build leaves the site folder as it was
                save_cache(memos, file)
            result.removal.wait()
    return result
