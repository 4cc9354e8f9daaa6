"""Cohort files: read, parsed, validated against the schema and every rule of
the format, and reduced to what later stages need. The work is spread over
worker processes for large programmes, and remembered by content between
builds (a cohort file whose text and site.yml are unchanged is not parsed again)."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.problems import Loc, Problem
from rmsite.core.stats import BuildStats
from rmsite.model.document import YamlDoc
from rmsite.model.programme import CohortFile, ConfigFile, PrivateValue
from rmsite.model.schema import Cohort
from rmsite.source import rules as validate
from rmsite.source.files import TextFile, parse_yaml_mapping, read_text, source_files
from rmsite.source.schema_errors import validate_doc

LARGE_COHORT_BYTES = 256 * 1024  # files this big are worth a worker process each


@dataclass(frozen=True)
class CohortResult:
    """What loading one cohort file gives: the cohort (none if it is invalid) and its problems."""

    entry: CohortFile | None
    problems: tuple[Problem, ...]


class SavedCohort(ABC):
    """A cohort's result as an earlier build saved it (the build cache's), read only when
    this build needs it."""

    @abstractmethod
    def restore(self) -> CohortResult | None:
        """The result, or None when the saved form cannot be read (the file is loaded again)."""


CohortMemo = dict[str, tuple[str, "CohortResult | SavedCohort"]]  # path -> (memo_key, result)


@dataclass(frozen=True)
class Source:
    id: str
    rel: str
    text: TextFile


def find_cohort_files(site_dir: Path) -> tuple[list[Source], list[Problem]]:
    """The cohort files of a site, read; a misnamed file is a warning, an unreadable one an error."""
    problems: list[Problem] = []
    return [source for _, source in read_cohort_files(site_dir, problems)], problems


def read_cohort_files(site_dir: Path, problems: list[Problem]) -> Iterator[tuple[Path, Source]]:
    """The cohort files of a site, each read when it is asked for, with where it is;
    their problems (find_cohort_files's) go into `problems`."""
    files, found = source_files(site_dir, "cohorts", recursive=False)
    problems += found
    for file in files:
        rel, suffix = file.rel, Path(file.rel).suffix
        if suffix == ".yaml" or (suffix == ".yml" and file.is_folder):
            problems.append(Loc(rel).warning("ignored: cohort files are named '<cohort-id>.yml'", "ignored-file", rel))
            continue
        if suffix != ".yml" or file.is_folder:
            continue
        text, found = read_text(file.path, rel)
        problems += found
        if text is not None:
            yield file.path, Source(Path(rel).stem, rel, text)


@dataclass(frozen=True)
class Unread:
    """A cohort file to check, read once for its memo_key and read again where it is checked
    (a worker process), so that a build with a spool holds one cohort file's text at a time."""

    id: str
    rel: str
    path: Path
    size: int  # its text's length


def load_cohort(source: Source, site: ConfigFile | None, as_of: dt.date | None = None) -> CohortResult:
    """Parse and check one cohort file; the cross-value rules need a valid site.yml (and those
    about dates after the as-of date, the date)."""
    doc, problems = parse_yaml_mapping(source.text.text, source.rel)
    if doc is None:
        return CohortResult(None, tuple(problems))
    return check_cohort_doc(source.id, doc, site, problems, as_of)


def check_cohort_doc(cohort_id: str, doc: YamlDoc, site: ConfigFile | None,
                     problems: list[Problem] | None = None, as_of: dt.date | None = None) -> CohortResult:
    """Check a parsed cohort file (`problems`: its parser's); what load_cohort does once parsed."""
    problems = list(problems or [])
    cohort, found = validate_doc(Cohort, doc)
    problems += found
    if cohort is None:
        return CohortResult(None, tuple(problems))
    if site is not None:
        problems += validate.check_cohort(site, cohort_id, cohort, doc, as_of)
    private = tuple(cohort_private_values(cohort, doc))  # the last use of the marks: they are not kept
    return CohortResult(CohortFile.checked(cohort_id, doc.path, doc.digest, cohort, private), tuple(problems))


def memo_key(source: Source, site: ConfigFile | None, as_of: dt.date | None = None) -> str:
    """What a cohort's result depends on: its path (its id and the file its problems name), its
    own text, site.yml and the as-of date. Two cohort files with the same text are two cohorts."""
    return f"{source.rel}:{source.text.digest}:{site.doc.digest if site is not None else '-'}:{as_of}"


Keep = Callable[[str, CohortResult], CohortResult]  # a cohort's result, by its memo_key, in the form a build keeps


def load_cohorts(site_dir: Path, site: ConfigFile | None, memo: CohortMemo | None = None,
                 jobs: int | None = None, stats: BuildStats | None = None,
                 as_of: dt.date | None = None, keep: Keep | None = None) -> tuple[list[CohortFile], list[Problem]]:
    """Every cohort of the site, in file order, with the problems of each.

    `memo` (by path: key and result) is consulted and updated when given. `keep` turns each
    cohort checked into the form the build holds it in, in the worker that checked it (the
    build's spool: the model is then not sent back, but read again when needed)."""
    problems: list[Problem] = []
    order: list[str] = []  # the cohort files read, in file order
    keys: dict[str, str] = {}  # each one's memo_key
    results: dict[str, CohortResult] = {}
    kept: dict[str, CohortResult | SavedCohort] = {}  # what the memo held for results taken from it
    todo: list[Source | Unread] = []
    for path, source in read_cohort_files(site_dir, problems):
        key = keys[source.rel] = memo_key(source, site, as_of)
        order.append(source.rel)
        known = memo.get(source.rel) if memo is not None else None
        result = None
        if known is not None and known[0] == key:
            result = known[1].restore() if isinstance(known[1], SavedCohort) else known[1]
        if known is not None and result is not None:
            results[source.rel] = result
            kept[source.rel] = known[1]  # a saved form stays saved: the store need not write it again
        elif keep is None:
            todo.append(source)
        else:  # its text is read again where it is checked, not kept here meanwhile
            todo.append(Unread(source.id, source.rel, path, len(source.text.text)))
    large = sum(1 for s in todo if (s.size if isinstance(s, Unread) else len(s.text.text)) >= LARGE_COHORT_BYTES)
    workers = worker_count(len(todo), jobs) if jobs is not None else min(worker_count(10**6), large)

    def work(share: Sequence[Source | Unread]) -> list[tuple[str, str, CohortResult]]:
        return [check_one(item, site, as_of, keep) for item in share]

    if stats is not None:
        stats.parsed += [item.rel for item in todo]
    for chunk in fork_map(work, todo, max(1, workers)):
        for rel, key, result in chunk:
            results[rel], keys[rel] = result, key
    if memo is not None:
        memo.clear()
        memo.update({rel: (keys[rel], kept.get(rel, results[rel])) for rel in order})
    cohorts = []
    for rel in order:
        entry = results[rel].entry
        problems += results[rel].problems
        if entry is not None:
            cohorts.append(entry)
    return cohorts, problems


def check_one(item: Source | Unread, site: ConfigFile | None, as_of: dt.date | None,
              keep: Keep | None) -> tuple[str, str, CohortResult]:
    """One cohort file checked (an Unread one read again first), with its memo_key, in the
    form `keep` gives it."""
    if isinstance(item, Unread):
        text, found = read_text(item.path, item.rel)
        if text is None:  # gone since it was read: reported, and remembered under no key
            return item.rel, "", CohortResult(None, tuple(found))
        item = Source(item.id, item.rel, text)
    key = memo_key(item, site, as_of)  # of the text as read here, should the file have changed meanwhile
    result = load_cohort(item, site, as_of)
    return item.rel, key, keep(key, result) if keep is not None else result


def cohort_private_values(cohort: Cohort, doc: YamlDoc) -> Iterator[PrivateValue]:
    """Every value of a private field in a cohort, located in its file."""
    for i, person in enumerate(cohort.people):
        for name in ("email", "phone"):
            value = getattr(person, name)
            if value:
                yield PrivateValue(name, value, doc.loc(("people", i, name)), f"person '{person.id}'")
    for p, pair in enumerate(cohort.pairs):
        for s, session in enumerate(pair.sessions):
            where = f"a session of pair '{pair.key}' on {session.date}"
            if session.notes:
                yield PrivateValue("notes", session.notes, doc.loc(("pairs", p, "sessions", s, "notes")), where)
            for side in ("to_mentor", "to_mentee"):
                value = getattr(session.feedback, side, None) if session.feedback else None
                if value:
                    yield PrivateValue("feedback", value,
                                       doc.loc(("pairs", p, "sessions", s, "feedback", side)), where)
        if pair.status_reason:
            yield PrivateValue("reason", pair.status_reason, doc.loc(("pairs", p, "status_reason")),
                               f"the status of pair '{pair.key}'")
        for c, check_in in enumerate(pair.check_ins):
            if check_in.comment:
                yield PrivateValue("comment", check_in.comment, doc.loc(("pairs", p, "check_ins", c, "comment")),
                                   f"a check-in of pair '{pair.key}'")
