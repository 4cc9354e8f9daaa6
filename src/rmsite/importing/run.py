"""`rmsite import`: a form's export and its mapping in, the cohort file edited (or, with
--dry-run, the edit shown as a diff). Only site.yml and the one cohort file are read."""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rmsite.core.hashing import atomic_write, text_digest
from rmsite.core.problems import Loc, Problem, did_you_mean, has_errors
from rmsite.importing.answers import CohortIndex, Reader
from rmsite.importing.edit import EditError, edit_text, verify
from rmsite.importing.located import imported_doc, located_parse_problems
from rmsite.importing.mapping import load_mapping
from rmsite.importing.merge import plan_changes
from rmsite.importing.readback import plain_data
from rmsite.model.document import YamlDoc
from rmsite.model.programme import ConfigFile
from rmsite.source import rules
from rmsite.source.cohorts import check_cohort_doc
from rmsite.source.config import load_config, site_as_of
from rmsite.source.files import parse_yaml_mapping
from rmsite.source.tables import Table, read_csv
from rmsite.source.workbooks import read_xlsx

CSV_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    diff: str = ""
    summary: str = ""
    written: bool = False


def shown_path(file: Path, source: Path) -> str:
    """A file as messages name it: relative to the programme's folder when it is inside."""
    try:
        return file.resolve().relative_to(source.resolve()).as_posix()
    except ValueError:
        return str(file)


def read_table(file: Path, path: str, sheet: str | None) -> tuple[Table | None, list[Problem]]:
    """A form's export, by its kind: `.xlsx`, or CSV (`.csv`, `.tsv`, `.txt`)."""
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(file, path, sheet)
    if suffix not in CSV_SUFFIXES:
        return None, [Loc(path).error(f"cannot read a '{suffix or 'file without a suffix'}' file: export the "
                                      "answers as .csv or .xlsx")]
    if sheet is not None:
        return None, [Loc(path).error("--sheet is for Excel workbooks (.xlsx); this file is CSV")]
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, [Loc(path).error(f"cannot read the file: {exc.strerror or exc}")]
    return read_csv(data, path)


def cohort_text(file: Path, rel: str) -> tuple[str | None, str, list[Problem]]:
    """The cohort file's text as it is (line breaks and byte-order mark kept), and its BOM."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, "", [Loc(rel).error(f"cannot read the file: {exc.strerror or exc}")]
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    try:
        return raw.decode("utf-8")[len(bom):], bom, []
    except UnicodeDecodeError:
        return None, bom, [Loc(rel).error("the file is not UTF-8 text")]


def run_import(mapping_file: Path, data_file: Path, source: Path, cohort_id: str | None = None,
               dry_run: bool = False, update: bool = False, sheet: str | None = None) -> ImportResult:
    result = ImportResult()
    mapping, found = load_mapping(mapping_file, shown_path(mapping_file, source))
    result.problems += found
    path = shown_path(data_file, source)
    table, found = read_table(data_file, path, sheet)
    result.problems += found
    site, found = load_config(source)
    result.problems += [p for p in found if p.severity == "error"]
    if mapping is None or table is None or site is None:
        return result
    cohort_id = cohort_id or mapping.cohort
    if cohort_id is None:
        result.problems.append(mapping.loc().error("the mapping names no cohort: add 'cohort: <cohort-id>', "
                                                   "or give --cohort"))
        return result
    rel = f"cohorts/{cohort_id}.yml"
    file = source / rel
    if not file.is_file():
        known = [p.stem for p in (source / "cohorts").glob("*.yml")]
        where = mapping.loc("cohort") if mapping.cohort == cohort_id else Loc(rel)
        result.problems.append(where.error(f"no cohort file {rel}" + did_you_mean(cohort_id, known)))
        return result
    text, bom, found = cohort_text(file, rel)
    result.problems += found
    if text is None:
        return result
    normal = text.replace("\r\n", "\n")
    doc, found = parse_yaml_mapping(normal, rel)
    result.problems += found
    if doc is None:
        return result
    index = CohortIndex.of(doc.data)
    reader = Reader(table, mapping, index, rel)
    items = reader.items()
    result.problems += reader.problems
    plan = plan_changes(items, index, doc, path, update)
    result.problems += plan.problems
    if has_errors(result.problems):
        return result
    try:
        edited = edit_text(text, plan)
        new_doc: YamlDoc = doc
        if edited != text:  # read once: to verify the edit, then to check the cohort as it would be
            parsed, found = read_back(edited.replace("\r\n", "\n"), rel)
            verify(doc.data, parsed.data, plan)
            new_doc = imported_doc(doc, parsed, plan, path)  # located in the file before, and at the rows
            result.problems += [p for p in located_parse_problems(found, parsed, new_doc) if p not in result.problems]
    except EditError as exc:
        result.problems.append(Loc(rel).error(f"cannot add the answers to the file: {exc}; nothing was written"))
        return result
    result.problems += cohort_problems(cohort_id, doc, new_doc, site, path)
    if has_errors(result.problems):
        return result
    if dry_run and edited != text:  # the diff is shown only then: working it out takes a while
        result.diff = "".join(difflib.unified_diff(
            normal.splitlines(keepends=True), edited.replace("\r\n", "\n").splitlines(keepends=True),
            f"a/{rel}", f"b/{rel}"))
    result.summary = (f"imported {path} into {rel}: {plan.added} added, {plan.unchanged} unchanged, "
                      f"{plan.updated} updated")
    if dry_run:
        result.summary += " (a dry run: nothing was written)"
    elif edited != text:
        # through a symbolic link to the file it names: the link (and where it leads) stays as it is
        atomic_write(file.resolve(), (bom + edited).encode("utf-8"), durable=True, keep_mode=True)
        result.written = True
    return result


def read_back(text: str, rel: str) -> tuple[YamlDoc, list[Problem]]:
    """The edited text's data (and the problems of reading it), for verifying the edit and
    checking the cohort: by the plain reading without marks when it can, else by rmsite's reader
    in full; EditError when it is not a YAML mapping at all."""
    data = plain_data(text)
    if data is not None:
        return YamlDoc(rel, data, digest=text_digest(text)), []
    parsed, found = parse_yaml_mapping(text, rel)
    if parsed is None:
        raise EditError("the edited file would not be valid YAML: " + "; ".join(p.message for p in found))
    return parsed, found


def cohort_problems(cohort_id: str, before: YamlDoc, after: YamlDoc, site: ConfigFile, export: str) -> list[Problem]:
    """The problems the cohort file would have with the answers in, as `rmsite check` reports
    them: every error, and the warnings it does not have already; those at the export's rows
    first. `after` is located (located.py): a problem of the new items is at their rows, any
    other in the file as it is, where the same warning before the import would be; only such a
    warning needs the file checked as it is, to leave it out."""
    as_of = site_as_of(None, site)  # site.yml's as_of, else today: what `rmsite check` would use
    found: Iterable[Problem] = check_cohort_doc(cohort_id, after, site, as_of=as_of).problems
    if after is not before and any(p.severity == "warning" and p.path != export for p in found):
        old = set(check_cohort_doc(cohort_id, before, site, as_of=as_of).problems)
        found = [p for p in found if p.severity == "error" or p not in old]
    # the warnings site.yml accepts, marked as `rmsite check` marks them (not shown, counted)
    return rules.mark_accepted(sorted(set(found), key=lambda p: (p.path != export, p.path, p.line, p.column,
                                                                 p.severity, p.message)), site)
