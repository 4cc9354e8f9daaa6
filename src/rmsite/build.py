"""The pipeline: config → load → validate → figures → markdown (that is
`check`), then → render → write (that is `build`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

from . import figures, ics, privacy, validate
from .cache import BuildCache, CachedGuide, digest, guide_key
from .load import SourceFile, load_yaml_file, parse_yaml, read_text, source_file, source_files, split_front_matter
from .markdown import ConvertedGuide, GuideConverter, check_anchors
from .model import CohortFile, ConfigFile, GuideSource, Programme
from .pages import cohort_calendar_path, pair_calendar_path, plan_pages, progress_path
from .problems import Loc, Problem, has_errors, sort_problems
from .render import Renderer, make_environment, theme_assets
from .schema import Cohort, GuideMeta, SiteConfig, validate_doc
from .urls import absolute_url
from .write import OutputError, StagedOutput, check_output


@dataclass(frozen=True)
class Options:
    """What the command line can set; None means 'use site.yml, then the default'."""

    source: Path = Path(".")
    output: Path | None = None
    base_url: str | None = None
    as_of: dt.date | None = None
    strict: bool = False
    drafts: bool = False


@dataclass(frozen=True)
class Loaded:
    """A validated programme with its guides converted: what `check` produces."""

    programme: Programme | None
    guides: tuple[ConvertedGuide, ...]
    problems: list[Problem]
    static: tuple[SourceFile, ...] = ()  # the site's static/ files, checked like every source file


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


def default_as_of(environ: dict[str, str] | None = None) -> dt.date:
    """SOURCE_DATE_EPOCH (for reproducible builds) when set, else today."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


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


def load_cohorts(site_dir: Path) -> tuple[list[CohortFile], list[Problem]]:
    cohorts: list[CohortFile] = []
    files, problems = source_files(site_dir, "cohorts", recursive=False)
    for file in files:
        rel, suffix = file.rel, Path(file.rel).suffix
        if suffix == ".yaml" or (suffix == ".yml" and file.is_folder):
            problems.append(Loc(rel).warning("ignored: cohort files are named '<cohort-id>.yml'"))
            continue
        if suffix != ".yml" or file.is_folder:
            continue
        doc, found = load_yaml_file(file.path, rel)
        problems += found
        if doc is None:
            continue
        cohort, found = validate_doc(Cohort, doc)
        problems += found
        if cohort is not None:
            cohorts.append(CohortFile(Path(rel).stem, cohort, doc))
    return cohorts, problems


def load_guides(site_dir: Path) -> tuple[list[GuideSource], list[Problem]]:
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
        front, found = split_front_matter(text.text)
        if found:
            problems += [Loc(source, p.line, p.column).error(p.message) for p in found]
            continue
        if front.yaml_text is None:
            problems.append(Loc(source).error(
                "a guide starts with front matter between '---' lines, with at least a title"))
            continue
        doc, found = parse_yaml(front.yaml_text, source, front.yaml_first_line)
        problems += found
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(doc.loc().error("front matter must be a mapping with at least a title"))
            continue
        meta, found = validate_doc(GuideMeta, doc)
        problems += found
        if meta is not None:
            guides.append(GuideSource(rel, meta, front.body, front.body_first_line))
    return guides, problems


def convert_guides(guides: list[GuideSource], drafts: bool, pretty: bool = True,
                   cache: BuildCache | None = None) -> tuple[list[ConvertedGuide], list[Problem]]:
    """Markdown to HTML for the guides that are built, with links checked;
    with a cache, a guide whose text and link targets are unchanged is reused."""
    built = [g for g in guides if drafts or not g.meta.draft]
    pages = {g.rel: g.page_path for g in built}
    unbuilt = frozenset(g.rel for g in guides if g.rel not in pages)
    converter = GuideConverter(pages, pretty, unbuilt)

    def resolve(target: str) -> object:
        return pages.get(target) or ("draft" if target in unbuilt else None)

    converted, problems = [], []
    for guide in built:
        cached = cache.guide(guide, pretty, resolve) if cache is not None else None
        if cached is not None:
            result, found = replace(cached.guide, source=guide), list(cached.problems)
        else:
            result, found = converter.convert(guide)
            if cache is not None:
                cache.guides[guide.rel] = CachedGuide(
                    guide_key(guide, pretty), tuple((t, resolve(t)) for t in sorted(result.targets)),
                    result, tuple(found))
        converted.append(result)
        problems += found
    return converted, problems + check_anchors(converted)


def load_site(options: Options, cache: BuildCache | None = None) -> Loaded:
    """Everything `check` does: read, validate and convert, collecting every problem."""
    site_dir = options.source
    site, problems = load_config(site_dir)
    cohorts, found = load_cohorts(site_dir)
    problems += found
    guides, found = load_guides(site_dir)
    problems += found
    problems += source_files(site_dir, "templates")[1]  # read by the template loader, links checked here
    static, found = source_files(site_dir, "static")
    problems += found
    pretty = site.config.directory_urls if site is not None else True
    converted, found = convert_guides(guides, options.drafts, pretty, cache)
    problems += found
    if site is not None:
        for entry in cohorts:
            problems += validate.check_cohort(site, entry)
    problems = sort_problems(validate.apply_strict(problems, options.strict))
    if site is None or has_errors(problems):
        return Loaded(None, tuple(converted), problems, tuple(static))
    as_of = options.as_of or site.config.as_of or default_as_of()
    base_url = options.base_url or site.config.base_url
    programme = Programme(site, tuple(cohorts), tuple(guides), as_of, base_url)
    return Loaded(programme, tuple(converted), problems, tuple(static))


def output_folder(options: Options, programme: Programme) -> Path:
    if options.output is not None:
        return options.output
    return options.source / programme.site.config.output


def build(options: Options, cache: BuildCache | None = None) -> BuildResult:
    """Check, render every page into a staging folder, and swap it in; a file-system
    failure while writing (permissions, a full disk) is a problem, and nothing changes."""
    try:
        return _build(options, cache)
    except OutputError as exc:
        return BuildResult([exc.problem], options.output)


def _build(options: Options, cache: BuildCache | None = None) -> BuildResult:
    """Check, render every page into a staging folder, and swap it in.

    With a cache (kept by `serve`), pages whose inputs did not change are
    taken from the previous output instead of being rendered again."""
    started = time.perf_counter()
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
    pair_figures = {
        (entry.id, pair.key): figures.pair_figures(programme.site.config, entry.cohort, pair, programme.as_of)
        for entry in programme.cohorts for pair in entry.cohort.pairs
    }
    site_view, pages = plan_pages(programme, list(loaded.guides), pair_figures)
    renderer = Renderer(make_environment(options.source / "templates"), site_view,
                        programme.base_url, theme_assets(), options.source.resolve(),
                        programme.site.config.directory_urls, programme.as_of)
    render_problems: list[Problem] = []
    written: list[str] = []
    keys: dict[str, str] = {}
    shared = digest(site_view, programme.base_url, renderer.pretty, programme.as_of,
                    sorted(a.path for a in renderer.assets.values()))  # once per build, not per page
    templates: dict[str, str] = {}
    with StagedOutput(output, where) as staged:
        for page in pages:
            owner = page.source or f"the {page.template[:-5]} page"
            taken = staged.claim(page.path, owner)
            if taken:
                render_problems.append(Loc(taken if "/" in taken else owner).error(
                    f"{page.path} would be written twice (by {taken} and {owner}); rename one of them"))
                continue
            if cache is not None:
                keys[page.path] = digest(page, shared, renderer.template_digest(page.template, templates))
                previous = cache.reusable(page.path, keys[page.path])
                if previous is not None:
                    staged.link(page.path, previous)
                    continue
            html, found = renderer.render(page)
            render_problems += found
            if html is not None:
                staged.write_text(page.path, html)
                written.append(page.path)
        for asset in renderer.assets.values():
            staged.claim(asset.path)
            staged.copy(asset.path, asset.source)
        for entry in programme.cohorts:
            data = figures.progress_json(entry.id, programme.as_of, [
                (pair, pair_figures[(entry.id, pair.key)]) for pair in entry.cohort.pairs])
            staged.claim(progress_path(entry.id))
            staged.write_text(progress_path(entry.id), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        render_problems += write_calendars(programme, staged)
        staged.claim("sitemap.xml", "the sitemap")
        staged.write_text("sitemap.xml", sitemap(programme.base_url, [p.path for p in pages],
                                                       renderer.pretty))
        render_problems += copy_static(loaded.static, staged)
        config = programme.site.config
        render_problems += privacy.scan(staged.staging, privacy.private_values(
            programme.cohorts, set(config.privacy.publish)))
        problems = sort_problems(problems + render_problems)
        if has_errors(problems):
            return BuildResult(problems, output)
        staged.commit()
    if cache is not None:
        cache.pages, cache.output = keys, output.resolve()
    return BuildResult(problems, output, len(written), time.perf_counter() - started, True,
                       tuple(written), programme.base_url, len(pages) - len(written))


def write_calendars(programme: Programme, staged: StagedOutput) -> list[Problem]:
    """meetings.ics for each pair and calendar.ics for each cohort."""
    config = programme.site.config
    for entry in programme.cohorts:
        staged.claim(cohort_calendar_path(entry.id), "the cohort calendar")
        staged.write_text(cohort_calendar_path(entry.id),
                          ics.cohort_calendar(entry.id, entry.cohort, programme.as_of))
        for pair in entry.cohort.pairs:
            path = pair_calendar_path(entry.id, pair.key)
            staged.claim(path, "the pair calendar")
            staged.write_text(path, ics.pair_calendar(config, entry.id, entry.cohort, pair, programme.as_of))
    return []


def copy_static(files: tuple[SourceFile, ...], staged: StagedOutput) -> list[Problem]:
    """The site's static/ files (as listed by the loader), copied as they are to the same paths."""
    problems: list[Problem] = []
    for file in files:
        rel = file.rel.removeprefix("static/")
        if staged.claim(rel, file.rel):
            problems.append(Loc(file.rel).error(f"static file would overwrite the page {rel}"))
            continue
        staged.copy(rel, file.path)
    return problems


def sitemap(base_url: str, paths: list[str], pretty: bool = True) -> str:
    """sitemap.xml: every page but 404, absolute when base_url is absolute."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in paths:
        if path != "404.html":
            lines.append(f"  <url><loc>{escape(absolute_url(base_url, path, pretty))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
