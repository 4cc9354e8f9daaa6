"""The pipeline: config → load → validate → figures → markdown (that is
`check`), then → render → write (that is `build`)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

import jinja2

from rmsite.pipeline import other_files as outputs
from rmsite.output import privacy
from rmsite.source import rules as validate
from rmsite.pipeline.store import BuildCache, CachedGuide, SavedGuide, digest, guide_key
from rmsite.source.cohorts import load_cohorts
from rmsite.output.links import PageLinks, check_links
from rmsite.output.links import extract as extract_links
from rmsite.source.files import SourceFile, load_yaml_file, parse_yaml, read_text, source_file, source_files, split_front_matter
from rmsite.site.markdown import ConvertedGuide, GuideConverter, check_anchors
from rmsite.model.programme import ConfigFile, GuideSource, Programme
from rmsite.site.plan import Page, PairFigureBook, plan_pages
from rmsite.core.problems import Loc, Problem, has_errors, sort_problems
from rmsite.core.parallel import fork_map, worker_count
from rmsite.output.render import Renderer, make_environment, theme_assets
from rmsite.model.schema import GuideMeta, SiteConfig, validate_doc
from rmsite.output.staging import OutputError, StagedOutput, check_output


@dataclass(frozen=True)
class Options:
    """What the command line can set; None means 'use site.yml, then the default'."""

    source: Path = Path(".")
    output: Path | None = None
    base_url: str | None = None
    as_of: dt.date | None = None
    strict: bool = False
    drafts: bool = False
    jobs: int | None = None  # worker processes for converting and rendering; None: one per core
    in_place: bool = False  # update the output's changed files only (the preview server's own folder)
    remove_later: bool = False  # the previous output is removed by a forked process; BuildResult.tidy waits
    spare: Path | None = None  # where the replaced site is kept for the next build to start from (write.py)


@dataclass(frozen=True)
class Loaded:
    """A validated programme with its guides converted: what `check` produces."""

    programme: Programme | None
    guides: tuple[ConvertedGuide, ...]
    problems: list[Problem]
    static: tuple[SourceFile, ...] = ()  # the site's static/ files, checked like every source file
    conversion: tuple[Problem, ...] = ()  # of `problems`, those from converting guides (before --strict)
    others: tuple[Problem, ...] = ()  # the rest (before --strict)


@dataclass(frozen=True)
class BuildResult:
    problems: list[Problem]
    output: Path | None = None
    pages: int = 0
    seconds: float = 0.0
    written: bool = False
    files: tuple[str, ...] = field(default_factory=tuple)
    base_url: str = "/"
    reused: int = 0  # pages taken unchanged from the previous output
    external: tuple[tuple[str, str], ...] = ()  # (page, address) of every link to another site
    # an update's work that may follow the publication of its pages (the search index); False
    # when it found a problem, and the full build has to run (quick.py)
    later: Callable[[], bool] | None = field(default=None, compare=False, repr=False)
    updated: bool = False  # made by an update from the changed paths, not a full build (quick.py)
    tidy: Callable[[], None] = field(default=lambda: None, compare=False, repr=False)  # see Options.remove_later


def default_as_of(environ: dict[str, str] | None = None) -> dt.date:
    """SOURCE_DATE_EPOCH (for reproducible builds) when set, else today."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def site_as_of(options: Options, site: ConfigFile) -> dt.date:
    """The date a build's figures are measured at: --as-of, else site.yml's as_of, else today."""
    return options.as_of or site.config.as_of or default_as_of()


def load_config(site_dir: Path) -> tuple[ConfigFile | None, list[Problem]]:
    file, problems = source_file(site_dir, "site.yml")
    if file is None:
        return None, problems
    doc, problems = load_yaml_file(file.path, file.rel)
    if doc is None:
        return None, problems
    config, schema_problems = validate_doc(SiteConfig, doc)
    problems += schema_problems
    if config is None:
        return None, problems
    site = ConfigFile(config, doc)
    return site, problems + validate.check_site(site)


def load_guides(site_dir: Path, memo: dict[str, tuple[str, tuple[GuideSource | None, list[Problem]]]] | None = None
                ) -> tuple[list[GuideSource], list[Problem]]:
    """Every guide's front matter and body; with a memo (by path: text hash and result),
    a guide whose text is unchanged is not parsed again."""
    guides: list[GuideSource] = []
    files, problems = source_files(site_dir, "content")
    for file in files:
        if not file.rel.endswith(".md"):
            continue
        source, rel = file.rel, file.rel.removeprefix("content/")
        found = validate.check_guide_path(rel)
        if found:
            problems += found
            continue
        text, found = read_text(file.path, source)
        problems += found
        if text is None:
            continue
        known = memo.get(source) if memo is not None else None
        if known is not None and known[0] == text.digest and isinstance(known[1], SavedGuide):
            known = (text.digest, known[1].restore(text.text))  # checked by an earlier build
            memo[source] = known  # type: ignore[index]
        if known is None or known[0] != text.digest:
            known = (text.digest, parse_guide(text.text, source, rel))
            if memo is not None:
                memo[source] = known
        guide, found = known[1]
        problems += found
        if guide is not None:
            guides.append(guide)
    return guides, problems


def parse_guide(text: str, source: str, rel: str) -> tuple[GuideSource | None, list[Problem]]:
    """A guide's front matter, checked, and its body; or the problems that stop it."""
    problems: list[Problem] = []
    front, found = split_front_matter(text)
    if found:
        return None, [Loc(source, p.line, p.column).error(p.message) for p in found]
    if front.yaml_text is None:
        return None, [Loc(source).error(
            "a guide starts with front matter between '---' lines, with at least a title")]
    doc, found = parse_yaml(front.yaml_text, source, front.yaml_first_line)
    problems += found
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, problems + [doc.loc().error("front matter must be a mapping with at least a title")]
    meta, found = validate_doc(GuideMeta, doc)
    problems += found
    if meta is None:
        return None, problems
    return GuideSource(rel, meta, front.body, front.body_first_line), problems


def convert_guides(guides: list[GuideSource], drafts: bool, pretty: bool = True,
                   cache: BuildCache | None = None, jobs: int | None = None,
                   current: Mapping[str, ConvertedGuide] | None = None
                   ) -> tuple[list[ConvertedGuide], list[Problem]]:
    """Markdown to HTML for the guides that are built, with links checked, spread
    over worker processes; with a cache, a guide whose text and link targets are
    unchanged is reused. `current` holds conversions made with this cache from these
    very source objects, for the same set of guides: they are used as they are."""
    built = [g for g in guides if drafts or not g.meta.draft]
    pages = {g.rel: g.page_path for g in built}
    unbuilt = frozenset(g.rel for g in guides if g.rel not in pages)
    converter = GuideConverter(pages, pretty, unbuilt)

    def resolve(target: str) -> object:
        return pages.get(target) or ("draft" if target in unbuilt else None)

    done: dict[str, tuple[ConvertedGuide, list[Problem]]] = {}
    for guide in built:
        known = current.get(guide.rel) if current is not None and cache is not None else None
        entry = cache.guides.get(guide.rel) if known is not None and cache is not None else None
        if known is not None and entry is not None and known.source is guide and entry.guide.html is known.html:
            done[guide.rel] = known, list(entry.problems)
            continue
        cached = cache.guide(guide, pretty, resolve) if cache is not None else None
        if cached is not None:
            done[guide.rel] = replace(cached.guide, source=guide), list(cached.problems)
    todo = [g for g in built if g.rel not in done]

    def convert(share: list[GuideSource]) -> list[tuple[str, ConvertedGuide, list[Problem]]]:
        out = []
        for guide in share:
            result, found = converter.convert(guide)
            out.append((guide.rel, replace(result, source=None), found))  # the parent has the source
        return out

    by_rel = {g.rel: g for g in todo}
    for chunk in fork_map(convert, todo, worker_count(len(todo), jobs)):
        for rel, result, found in chunk:
            result = replace(result, source=by_rel[rel])
            done[rel] = result, found
            if cache is not None:
                cache.guides[rel] = CachedGuide(
                    guide_key(result.source, pretty), tuple((t, resolve(t)) for t in sorted(result.targets)),
                    result, tuple(found))
    converted = [done[g.rel][0] for g in built]
    problems = [p for g in built for p in done[g.rel][1]]
    return converted, problems + check_anchors(converted)


def load_site(options: Options, cache: BuildCache | None = None) -> Loaded:
    """Everything `check` does: read, validate and convert, collecting every problem."""
    site_dir = options.source
    site, problems = load_config(site_dir)
    cohorts, found = load_cohorts(site_dir, site, cache.cohorts if cache is not None else None, options.jobs)
    problems += found
    guides, found = load_guides(site_dir, cache.guide_sources if cache is not None else None)
    problems += found
    problems += source_files(site_dir, "templates")[1]  # read by the template loader, links checked here
    static, found = source_files(site_dir, "static")
    problems += found
    pretty = site.config.directory_urls if site is not None else True
    converted, conversion = convert_guides(guides, options.drafts, pretty, cache, options.jobs)
    others = tuple(problems)
    problems = sort_problems(validate.apply_strict(problems + conversion, options.strict))
    if site is None or has_errors(problems):
        return Loaded(None, tuple(converted), problems, tuple(static))
    base_url = options.base_url or site.config.base_url
    programme = Programme(site, tuple(cohorts), tuple(guides), site_as_of(options, site), base_url)
    return Loaded(programme, tuple(converted), problems, tuple(static), tuple(conversion), others)


def output_folder(options: Options, programme: Programme) -> Path:
    if options.output is not None:
        return options.output
    return options.source / programme.site.config.output


def build(options: Options, cache: BuildCache | None = None, changes: Sequence[str] = ()) -> BuildResult:
    """Check, render every page into a staging folder, and swap it in; a file-system
    failure while writing (permissions, a full disk) is a problem, and nothing changes.

    With the paths that changed since the last build with `cache` (the preview
    server's), only what they affect is made again when that is enough (quick.py)."""
    try:
        with collector_paused():
            updated = update(options, cache, list(changes)) if cache is not None and changes else None
            return updated if updated is not None else _build(options, cache)
    except OutputError as exc:
        return BuildResult([exc.problem], options.output)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a build: it would walk the whole programme's
    objects again and again (a sixth of a large build's time), and in forked workers it
    would touch, and so copy, memory they share with the parent. A build makes few cycles;
    they are collected when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(options: Options, cache: BuildCache | None = None) -> BuildResult:
    """Check, render every page into a staging folder, and swap it in.

    With a cache (kept by `serve`), pages whose inputs did not change are
    taken from the previous output instead of being rendered again."""
    started = time.perf_counter()
    if cache is not None:
        cache.last = None  # set again when this build succeeds
    loaded = load_site(options, cache)
    problems = list(loaded.problems)
    programme = loaded.programme
    if programme is None:
        return BuildResult(problems)
    output = output_folder(options, programme)
    where = programme.site.doc.loc(("output",)) if options.output is None else Loc("site.yml")
    found = check_output(options.source, output, where)
    if found:
        return BuildResult(sort_problems(problems + found), output)
    pair_figures = PairFigureBook(programme, cache.views if cache is not None else None)
    site_view, pages = plan_pages(programme, list(loaded.guides), pair_figures)
    renderer = Renderer(template_environment(options.source / "templates", cache), site_view,
                        programme.base_url, theme_assets(), options.source.resolve(),
                        programme.site.config.directory_urls, programme.as_of,
                        references=cache.templates if cache is not None else {})
    render_problems: list[Problem] = []
    keys: dict[str, str] = {}
    templates: dict[str, str] = {}
    shared = digest(site_view, programme.base_url, renderer.pretty, programme.as_of,  # once per build
                    sorted(a.path for a in renderer.assets.values()),
                    renderer.template_digest("nav.html", templates))
    guard = leak_guard(programme, cache)
    with StagedOutput(output, where, options.in_place, cache.written if cache is not None else None,
                      options.spare) as staged:
        todo: list[Page] = []
        reuse = outputs.Reuse(staged, cache, keys, [])
        linked = reuse.linked
        for page in pages:
            owner = page.source or f"the {page.template[:-5]} page"
            taken = staged.claim(page.path, owner)
            if taken:
                fix = ("rename the guide, or set 'search: false' in site.yml" if page.template == "search.html"
                       else "rename one of them")
                render_problems.append(Loc(taken.owner if "/" in taken.owner else owner).error(
                    f"{taken.clash(page.path, owner)}; {fix}"))
                continue
            if cache is not None and reuse.take(
                    page.path, page_key(page, shared, renderer.template_digest(page.template, templates))):
                continue
            todo.append(page)
        written, same, found, page_links = render_pages(
            renderer, todo, staged, guard, options.jobs, cache.previous if cache is not None else (lambda path: None))
        render_problems += found
        others = outputs.write_other_files(programme, renderer, reuse, pair_figures, [p.path for p in pages],
                                           loaded.static)
        if programme.site.config.search:
            render_problems += outputs.write_search_index(
                programme, list(loaded.guides), site_view.sections, reuse, renderer.pretty, guard,
                cache.search_blocks if cache is not None else None, options.jobs)
        render_problems += others.problems
        render_problems += guard.check_files((rel, staged.current(rel)) for rel in others.files)
        if cache is not None and cache.guard != guard.fingerprint:  # new private values: check old pages too
            render_problems += guard.check_files((rel, staged.current(rel)) for rel in linked)
        linked += same  # rendered as they were: the previous files are kept
        kept, rendered = set(linked), {links.path for links in page_links}
        if cache is None or cache.written is None or cache.written != frozenset(staged.claimed):
            # files were added or removed: pages taken from the last build are checked again too
            page_links += [extract_links(page.path, staged.current(page.path).read_text(encoding="utf-8"))
                           for page in pages if page.path in kept and page.path not in rendered]
        by_path = {page.path: page for page in pages}
        report = check_links(page_links, set(staged.claimed) | by_path.keys(),  # a page refused above is
                             urlsplit(programme.base_url).path or "/",  # reported once, not at each link to it
                             lambda path: Loc(by_path[path].source or renderer.template_label(by_path[path].template)))
        render_problems += report.problems
        problems = sort_problems(problems + render_problems)
        if has_errors(problems):
            return BuildResult(problems, output)
        tidy = staged.commit(options.remove_later)
    if cache is not None:
        cache.remember(output, keys, guard.fingerprint, frozenset(linked) if options.in_place else frozenset())
        cache.written = frozenset(staged.claimed)
        cache.last = LastBuild(options, loaded, renderer, site_view, {page.path: page for page in pages}, shared,
                               templates, guard, frozenset(staged.claimed), tuple(render_problems),
                               staged.output, pair_figures, tuple(report.external)) if options.in_place else None
    return BuildResult(problems, output, len(written), time.perf_counter() - started, True,
                       tuple(written), programme.base_url, len(pages) - len(written), tuple(report.external),
                       tidy=tidy)


def template_environment(folder: Path, cache: BuildCache | None) -> jinja2.Environment:
    """The Jinja environment; a cache keeps it, with its compiled templates (Jinja
    recompiles a template whose file changed), while the same template files exist."""
    key = (str(folder), tuple(sorted(str(p) for p in folder.rglob("*"))) if folder.is_dir() else None)
    if cache is not None and cache.environment is not None and cache.environment[0] == key:
        return cache.environment[1]
    env = make_environment(folder, cache.compiled if cache is not None else None)
    if cache is not None:
        cache.environment = (key, env)
    return env


def leak_guard(programme: Programme, cache: BuildCache | None) -> privacy.LeakGuard:
    """The leak guard for the programme's private values; a cache keeps it while they stay the same."""
    publish = programme.site.config.privacy.publish
    sources = digest(sorted(publish), [(entry.id, entry.doc.digest) for entry in programme.cohorts])
    if cache is not None and sources in cache.guards:
        return cache.guards[sources]
    saved = cache.guard_forms if cache is not None else None
    guard = privacy.LeakGuard(lambda: privacy.private_values(programme.cohorts, set(publish)),
                              saved[1] if saved is not None and saved[0] == sources else None)
    if cache is not None:
        cache.guards = {sources: guard}
        cache.guard_forms = (sources, guard.forms)
    return guard


def page_key(page: Page, shared: str, template: str) -> str:
    """What decides a page's HTML: its path, template and sources, and what every page shows.

    Made from hashes of the sources rather than of the page's view, so a page
    that is taken from the previous output costs little more than a hash."""
    return digest(page.path, page.template, page.inputs, shared, template)


def by_cohort(pages: list[Page]) -> list[list[Page]]:
    """Pages in groups, a cohort's pages together, for worker processes to share out: each
    worker then reads only its own cohorts' part of the programme, and the pages that a
    forked worker shares with the parent stay shared instead of being copied."""
    groups: dict[str, list[Page]] = {}
    for page in pages:
        parts = page.path.split("/", 2)
        groups.setdefault(parts[1] if parts[0] == "cohorts" and len(parts) == 3 else page.path, []).append(page)
    return list(groups.values())


def render_pages(renderer: Renderer, pages: list[Page], staged: StagedOutput, guard: privacy.LeakGuard,
                 jobs: int | None, previous: Callable[[str], Path | None] = lambda path: None
                 ) -> tuple[list[str], list[str], list[Problem], list[PageLinks]]:
    """Render pages, spread over worker processes, and write those whose bytes changed
    (a page that renders as its previous file did is linked, not written); each page is
    checked by the leak guard. Pages made from the whole programme are rendered here, after
    the workers, so that no worker needs every cohort's views. Returns the paths written,
    the paths that rendered unchanged, and the problems."""
    def render(share: list[Page]) -> list[tuple[str, str, list[Problem], PageLinks | None]]:
        out = []
        for page in share:
            html, found = renderer.render(page)
            outcome, page_links = "failed", None
            if html is not None:
                page_links = extract_links(page.path, html)
                data = html.encode("utf-8")
                before = previous(page.path)
                try:
                    if before is not None and before.stat().st_size == len(data) and before.read_bytes() == data:
                        staged.link(page.path, before)
                        outcome = "same"
                    else:
                        staged.write_bytes(page.path, data)
                        outcome = "written"
                except OutputError as exc:  # a full disk, say: reported once, here or by a worker
                    out.append((page.path, "failed", [exc.problem], None))
                    break
                found = found + guard.check_text(page.path, html)
            out.append((page.path, outcome, found, page_links))
        return out

    spread = [page for page in pages if not page.gathers]
    results = [r for chunk in fork_map(lambda groups: render([p for group in groups for p in group]),
                                       by_cohort(spread), worker_count(len(spread), jobs)) for r in chunk]
    results += render([page for page in pages if page.gathers])
    order = {page.path: i for i, page in enumerate(pages)}
    results.sort(key=lambda r: order[r[0]])
    return ([path for path, outcome, _, _ in results if outcome == "written"],
            [path for path, outcome, _, _ in results if outcome == "same"],
            list(dict.fromkeys(p for _, _, found, _ in results for p in found)),  # one full disk, not one per worker
            [links for _, _, _, links in results if links is not None])


from rmsite.pipeline.update import LastBuild, update  # noqa: E402 (quick.py builds on the functions above)
