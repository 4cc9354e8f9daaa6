"""`rmsite check`: read, validate and convert, collecting every problem. The build is this
stage and then rendering and writing; it writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.problems import Problem, has_errors, sort_problems
from rmsite.core.stats import BuildStats
from rmsite.model.programme import ConfigFile, Programme
from rmsite.output.privacy import LeakGuard, as_text, clean_key, leak_guard
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import Loaded, Options
from rmsite.site.conversions import convert_guides
from rmsite.source import rules
from rmsite.source.cohorts import Keep, load_cohorts
from rmsite.source.config import load_config, site_as_of
from rmsite.source.files import private_static, source_files
from rmsite.source.guides import load_guides

GUIDE_BYTES = 1500  # a typical guide's HTML, for how many workers the guard's search is worth


def load_site(options: Options, memos: Memos | None = None, stats: BuildStats | None = None,
              keep: Keep | None = None, meanwhile: Callable[[], object] | None = None) -> Loaded:
    """Everything `check` does: read, validate and convert, collecting every problem; `keep`
    (the build's spool) holds each checked cohort in a file rather than in memory. `meanwhile`
    runs while worker processes convert the guides, if they do (the build compiles its
    templates then)."""
    site_dir = options.source
    site, problems = load_config(site_dir)
    as_of = site_as_of(options.as_of, site) if site is not None else None
    cohorts, found = load_cohorts(site_dir, site, memos.cohorts if memos is not None else None, options.jobs, stats,
                                  as_of, keep)
    problems += found
    guides, found = load_guides(site_dir, memos.guides if memos is not None else None, stats)
    problems += found
    templates, found = source_files(site_dir, "templates")  # read by the template loader, links checked here
    problems += found
    static, found = source_files(site_dir, "static")
    problems += found
    static, found = private_static(site_dir, static)
    problems += found
    pretty = site.config.directory_urls if site is not None else True
    converted, conversion = convert_guides(guides, options.drafts, pretty,
                                           memos.conversions if memos is not None else None, options.jobs,
                                           stats=stats, meanwhile=meanwhile)
    others = tuple(problems)
    problems = final_problems(problems + conversion, options, site)
    if site is None or has_errors(problems):
        return Loaded(None, tuple(converted), problems, tuple(static), templates=tuple(templates))
    base_url = options.base_url or site.config.base_url
    assert as_of is not None
    programme = Programme(site, tuple(cohorts), tuple(guides), as_of, base_url)
    return Loaded(programme, tuple(converted), problems, tuple(static), tuple(templates), tuple(conversion), others)


def final_problems(problems: list[Problem], options: Options, site: ConfigFile | None) -> list[Problem]:
    """The problems as a build reports them: the warnings site.yml accepts marked, the others made
    errors by --strict, in order."""
    return sort_problems(rules.apply_strict(rules.apply_accepts(problems, site), options.strict))


def check_site(options: Options, memos: Memos | None = None, stats: BuildStats | None = None) -> Loaded:
    """`rmsite check`: load_site, then the leak guard over what the build would publish as it
    is, each guide's HTML and each static file, so that check never says ok when build would
    fail on a private value there: what a template prints is found only by rendering (`build`),
    what it says, here."""
    loaded = load_site(options, memos, stats)
    programme = loaded.programme
    if programme is None:
        return loaded
    guard = leak_guard(programme, memos.guard if memos is not None else None, options.source)
    found = guide_leaks(guard, loaded, options.jobs)[0] + template_leaks(guard, loaded)[0]
    found += guard.check_files(((file.rel.removeprefix("static/"), file.path) for file in loaded.static), True,
                               {file.rel.removeprefix("static/"): file.rel for file in loaded.static})
    if not found:
        return loaded
    return replace(loaded, programme=None, problems=sort_problems(loaded.problems + found))


def guide_leaks(guard: LeakGuard, loaded: Loaded, jobs: int | None = None,
                clean: set[str] | None = None) -> tuple[list[Problem], frozenset[str]]:
    """The leak guard over each guide's HTML, normalised: what its author wrote, as readers see
    it, looked for in worker processes when there is enough of it. Also the keys of the values
    found, which the check of the pages and of the search index then leaves out: a value is
    reported once, at the guide. `clean` (the guard's memo) holds the guides' HTML found clean
    before, by clean_key, which is not searched again; it is left holding this build's."""
    if not guard.forms:
        return [], frozenset()
    guides = loaded.guides
    known = clean if clean is not None else set()  # without a memo, no guide is known to be clean
    keyed = [clean_key(guard, guide.inputs[1]) for guide in guides]  # the HTML's hash: the page plan's too

    def holding(share: Sequence[int]) -> list[tuple[int, list[str]]]:  # the guides with a private value, and its keys
        return [(number, list(found)) for number in share if (found := guard.found(guides[number].html, True))]
    numbers = [n for n, key in enumerate(keyed) if key not in known]
    workers = worker_count(sum(len(guides[number].html) for number in numbers) // GUIDE_BYTES, jobs)
    holders = dict(sorted(held for share in fork_map(holding, numbers, workers) for held in share))
    if clean is not None:  # the memo holds this build's guides only
        clean.clear()
        clean.update(key for n, key in enumerate(keyed) if n not in holders)
    problems: list[Problem] = []
    for number in holders:
        guide = guides[number]
        problems += guard.check_text(guide.source.page_path, guide.html, True, guide.source.source_path)
    return problems, frozenset(key for keys in holders.values() for key in keys)


def template_leaks(guard: LeakGuard, loaded: Loaded) -> tuple[list[Problem], frozenset[str]]:
    """The leak guard over the text of each of the programme's templates, normalised: a value
    written into a template is reported once, at the template, not at every page made from it.
    Also the keys of the values found, which the pages' check then leaves out."""
    problems: list[Problem] = []
    keys: set[str] = set()
    for template in loaded.templates:
        text = as_text(template.path.read_bytes()) if template.path.is_file() else None
        if text is not None:
            found = guard.found(text, True)
            keys |= found.keys()
            problems += guard.check_text(None, text, True, template.rel)
    return problems, frozenset(keys)
