"""Cohort files: read, parsed, validated against the schema and every rule of
the format, and reduced to what later stages need. The work is spread over
worker processes for large programmes, and remembered by content between
builds (a cohort file whose text and site.yml are unchanged is not parsed again)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rmsite.output import privacy
from rmsite.source import rules as validate
from rmsite.pipeline.store import restore_cohort
from rmsite.source.files import TextFile, YamlDoc, parse_yaml_mapping, read_text, source_files
from rmsite.source.yamlchunks import ListMemo
from rmsite.model.programme import CohortFile, ConfigFile
from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.problems import Loc, Problem
from rmsite.model.schema import Cohort, validate_doc

LARGE_COHORT_BYTES = 256 * 1024  # files this big are worth a worker process each


@dataclass(frozen=True)
class CohortResult:
    """What loading one cohort file gives: the cohort (none if it is invalid) and its problems."""

    entry: CohortFile | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Source:
    id: str
    rel: str
    text: TextFile


def find_cohort_files(site_dir: Path) -> tuple[list[Source], list[Problem]]:
    """The cohort files of a site, read; a misnamed file is a warning, an unreadable one an error."""
    sources: list[Source] = []
    files, problems = source_files(site_dir, "cohorts", recursive=False)
    for file in files:
        rel, suffix = file.rel, Path(file.rel).suffix
        if suffix == ".yaml" or (suffix == ".yml" and file.is_folder):
            problems.append(Loc(rel).warning("ignored: cohort files are named '<cohort-id>.yml'"))
            continue
        if suffix != ".yml" or file.is_folder:
            continue
        text, found = read_text(file.path, rel)
        problems += found
        if text is not None:
            sources.append(Source(Path(rel).stem, rel, text))
    return sources, problems


def load_cohort(source: Source, site: ConfigFile | None, memo: ListMemo | None = None) -> CohortResult:
    """Parse and check one cohort file; the cross-value rules need a valid site.yml. With a
    memo of the file's list items (the preview server's), only changed items are parsed."""
    doc, problems = parse_yaml_mapping(source.text.text, source.rel, memo)
    if doc is None:
        return CohortResult(None, tuple(problems))
    cohort, found = validate_doc(Cohort, doc)
    problems += found
    if cohort is None:
        return CohortResult(None, tuple(problems))
    entry = CohortFile(source.id, cohort, doc)
    if site is not None:
        problems += validate.check_cohort(site, entry)
    private = tuple(privacy.cohort_private_values(entry))
    stub = YamlDoc(doc.path, None, digest=doc.digest)  # the marks are no longer needed
    return CohortResult(replace(entry, doc=stub, private_values=private), tuple(problems))


def memo_key(source: Source, site: ConfigFile | None) -> str:
    """What a cohort's result depends on: its path (its id and the file its problems name), its
    own text and site.yml. Two cohort files with the same text are two cohorts."""
    return f"{source.rel}:{source.text.digest}:{site.doc.digest if site is not None else '-'}"


def load_cohorts(site_dir: Path, site: ConfigFile | None, memo: dict[str, tuple[str, CohortResult]] | None = None,
                 jobs: int | None = None) -> tuple[list[CohortFile], list[Problem]]:
    """Every cohort of the site, in file order, with the problems of each.

    `memo` (by path: key and result) is consulted and updated when given."""
    sources, problems = find_cohort_files(site_dir)
    results: dict[str, CohortResult] = {}
    kept: dict[str, object] = {}  # what the memo held for results taken from it (a saved form stays saved)
    todo: list[Source] = []
    for source in sources:
        known = memo.get(source.rel) if memo is not None else None
        result = restore_cohort(known[1]) if known is not None and known[0] == memo_key(source, site) else None
        if result is not None:
            results[source.rel] = result
            kept[source.rel] = known[1]  # type: ignore[index]
        else:
            todo.append(source)
    large = sum(1 for s in todo if len(s.text.text) >= LARGE_COHORT_BYTES)
    workers = worker_count(len(todo), jobs) if jobs is not None else min(worker_count(10**6), large)

    def work(share: list[Source]) -> list[tuple[str, CohortResult]]:
        return [(source.rel, load_cohort(source, site)) for source in share]

    for chunk in fork_map(work, todo, max(1, workers)):
        for rel, result in chunk:
            results[rel] = result
    if memo is not None:
        memo.clear()
        memo.update({s.rel: (memo_key(s, site), kept.get(s.rel, results[s.rel])) for s in sources})
    cohorts = [results[s.rel].entry for s in sources if results[s.rel].entry is not None]
    return cohorts, problems + [p for s in sources for p in results[s.rel].problems]  # type: ignore[misc]
