"""The files of a site besides its pages: theme assets, each cohort's progress.json and
calendars, the sitemap, robots.txt, the search index and the site's static/ files.
A file whose inputs did not change is taken from the previous output."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
from collections.abc import Callable
from dataclasses import dataclass

from rmsite.core.hashing import digest
from rmsite.core.problems import Loc, Problem
from rmsite.core.urls import absolute_url, cohort_calendar_path, pair_calendar_path, progress_path
from rmsite.model import figures
from rmsite.model.programme import CohortFile, Programme
from rmsite.model.schema import SiteConfig
from rmsite.output import privacy
from rmsite.output.folders import MARKER
from rmsite.output.index import OutputIndex
from rmsite.output.render import Renderer
from rmsite.output.staging import StagedOutput
from rmsite.site import calendars as ics
from rmsite.site import search
from rmsite.site.markdown import ConvertedGuide
from rmsite.site.nav import Section
from rmsite.site.plan import robots_txt
from rmsite.source.files import SourceFile


@dataclass(frozen=True)
class OtherFiles:
    files: list[str]  # output paths written
    problems: list[Problem]


def file_key(path: str, inputs: tuple[object, ...]) -> str:
    """The output index's key of a file that is not a page: its path and what it is made from."""
    return digest(path, inputs)


@dataclass
class Reuse:
    """Writes a generated file, or links its previous copy when its key is unchanged."""

    staged: StagedOutput
    index: OutputIndex | None
    keys: dict[str, str]
    linked: list[str]

    def take(self, path: str, key: str) -> bool:
        """Link the previous file for `path` if it was made under the same key; remember the key."""
        if self.index is None:
            return False
        self.keys[path] = key
        previous = self.index.reusable(path, key)
        if previous is None:
            return False
        self.staged.link(path, previous)
        self.linked.append(path)
        return True

    def write(self, path: str, inputs: tuple[object, ...], produce: Callable[[], str]) -> None:
        if not self.take(path, file_key(path, inputs)):
            self.staged.write_text(path, produce())


Later = dict[str, list[tuple[str, Callable[[], str]]]]  # by cohort id: files to make, with how


def write_other_files(programme: Programme, renderer: Renderer, reuse: Reuse,
                      pair_figures: dict[tuple[str, str], figures.PairFigures], pages: list[str],
                      static: tuple[SourceFile, ...], later: Later | None = None) -> OtherFiles:
    """Everything but the pages: theme assets, progress.json, calendars, the sitemap, static/.
    With `later`, a cohort's files that are not taken from the last build are claimed and
    listed there, to be made with the cohort's pages (cohort_work.py), rather than made now."""
    staged = reuse.staged
    before = set(staged.claimed)
    problems: list[Problem] = []
    for asset in renderer.assets.values():
        if _claim(staged, asset.path, "the theme", problems):
            staged.copy(asset.path, asset.source)
    for entry in programme.cohorts:
        for path, owner, inputs, produce, _ in cohort_outputs(programme, entry, pair_figures):
            if not _claim(staged, path, owner or f"cohorts/{entry.id}.yml", problems):
                continue
            if later is None:
                reuse.write(path, inputs, produce)
            elif not reuse.take(path, file_key(path, inputs)):
                later.setdefault(entry.id, []).append((path, produce))
    if _claim(staged, "sitemap.xml", "the sitemap", problems):
        staged.write_text("sitemap.xml", sitemap(programme.base_url, pages, renderer.pretty))
    if not any(file.rel == "static/robots.txt" for file in static):  # the site's own wins
        if _claim(staged, "robots.txt", "robots.txt", problems):
            absolute = programme.base_url.startswith(("http://", "https://"))
            staged.write_text("robots.txt", robots_txt(
                programme, absolute_url(programme.base_url, "sitemap.xml") if absolute else None))
    problems += copy_static(static, staged)
    linked = set(reuse.linked)
    return OtherFiles([rel for rel in staged.claimed if rel not in before and rel not in linked], problems)


def _claim(staged: StagedOutput, path: str, owner: str, problems: list[Problem]) -> bool:
    """Claim a generated file's path; False, with a problem at what is in the way (a guide,
    most likely), when another file of the site needs that place."""
    taken = staged.claim(path, owner)
    if taken is None:
        return True
    problems.append(taken.problem(path, owner, f"rename {'it' if '/' in taken.owner else 'one of them'}", "site.yml"))
    return False


CohortOutput = tuple[str, str, tuple[object, ...], Callable[[], str], str]  # path, owner, inputs, make, pair


def cohort_outputs(programme: Programme, entry: CohortFile,
                   pair_figures: dict[tuple[str, str], figures.PairFigures]) -> list[CohortOutput]:
    """A cohort's generated files besides its pages: progress.json, its calendar and each
    pair's, with what they are made from and the pair each belongs to ("" for the cohort)."""
    site, as_of, config = programme.site.doc.digest, programme.as_of, programme.site.config
    inputs = (site, entry.digest, as_of)
    made: list[CohortOutput] = [
        (progress_path(entry.id), "", inputs, lambda: json.dumps(
            figures.progress_json(entry.id, as_of, [(pair, pair_figures[(entry.id, pair.key)])
                                                    for pair in entry.public.pairs],
                                 "scores" in config.privacy.publish),
            indent=2, ensure_ascii=False) + "\n", ""),
        (cohort_calendar_path(entry.id), "the cohort calendar", inputs,
         lambda: ics.cohort_calendar(entry.id, entry.public, as_of, config.timezone), ""),
    ]
    for index, (key, _, _) in enumerate(entry.summary.pairs):  # the cohort itself is needed only to make them
        made.append((pair_calendar_path(entry.id, key), "the pair calendar", inputs,
                     functools.partial(_pair_calendar, config, entry, index, as_of), key))
    return made


def _pair_calendar(config: SiteConfig, entry: CohortFile, index: int, as_of: dt.date) -> str:
    return ics.pair_calendar(config, entry.id, entry.public, entry.public.pairs[index], as_of)


def write_search_index(programme: Programme, guides: list[ConvertedGuide], sections: tuple[Section, ...],
                       reuse: Reuse, pretty: bool, guard: privacy.LeakGuard,
                       memo: search.BlockMemo | None = None, jobs: int | None = None,
                       skip: frozenset[str] = frozenset()) -> list[Problem]:
    """search/index.json, for the search box, checked by the leak guard (but for the values
    in `skip`, reported at the guide or template that has them); taken from the last build
    when no guide or cohort changed."""
    problems: list[Problem] = []
    taken = reuse.staged.claim(search.INDEX_PATH, "the search index")
    if taken:  # a static file (copied before the index is made), or a guide's page
        fix = "rename or move it, or set 'search: false' in site.yml"
        if taken.path == search.INDEX_PATH and taken.owner.startswith("static/"):
            return [Loc(taken.owner).error(
                f"static file would be overwritten by the search index ({search.INDEX_PATH}); {fix}")]
        return [taken.problem(search.INDEX_PATH, "the search index", fix, taken.owner)]

    made: list[str] = []

    def produce() -> str:
        if not made:
            made.append(search_index_text(programme, guides, sections, pretty, memo, jobs))
            problems.extend(guard.check_text(search.INDEX_PATH, made[0], skip=skip))
        return made[0]
    inputs = search_inputs(programme, guides, pretty)
    reuse.write(search.INDEX_PATH, inputs, produce)
    if not pretty:  # links to …/index.html, for opening the site from disk: there a page cannot fetch
        # the JSON file, but it can load a script, so the index goes out as one too
        if _claim(reuse.staged, search.SCRIPT_PATH, "the search index", problems):
            reuse.write(search.SCRIPT_PATH, inputs, lambda: search.as_script(produce()))
    return problems


def search_inputs(programme: Programme, guides: list[ConvertedGuide], pretty: bool) -> tuple[object, ...]:
    """What search/index.json is made from (its key is a hash of these)."""
    return (programme.site.doc.digest, pretty, [g.inputs for g in guides],
            [(entry.id, entry.digest) for entry in programme.cohorts])


def search_index_text(programme: Programme, guides: list[ConvertedGuide], sections: tuple[Section, ...],
                      pretty: bool, memo: search.BlockMemo | None = None, jobs: int | None = None) -> str:
    return search.dump(search.site_index(guides, sections, programme.cohorts, programme.site.config.language,
                                         pretty, memo, jobs))


def copy_static(files: tuple[SourceFile, ...], staged: StagedOutput) -> list[Problem]:
    """The site's static/ files (as listed by the loader), copied as they are to the same paths."""
    problems: list[Problem] = []
    for file in files:
        rel = file.rel.removeprefix("static/")
        if rel == MARKER:
            problems.append(Loc(file.rel).error(
                f"'{MARKER}' is the name of the file that marks the output folder as rmsite's; "
                "rename this static file"))
            continue
        taken = staged.claim(rel, file.rel)
        if taken is None:
            staged.copy(rel, file.path)
            continue
        problems.append(Loc(file.rel).error({
            "same": f"static file would overwrite the page {rel}",
            "inside": f"static file would be where the site's folder {rel}/ goes (it holds {taken.path}); "
                      "rename or move the file",
            "around": f"static file would go inside {taken.path}, which the site writes as a file; rename or move it",
        }[taken.relation(rel)]))
    return problems


def sitemap(base_url: str, paths: list[str], pretty: bool = True) -> str:
    """sitemap.xml: every page but 404 and the search page (search engines are asked not to
    index pages of search results), absolute when base_url is absolute."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in paths:
        if path not in ("404.html", search.PAGE_PATH):
            lines.append(f"  <url><loc>{html.escape(absolute_url(base_url, path, pretty), quote=False)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
