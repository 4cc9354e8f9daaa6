"""`rmsite report`: the coordinator's report, one self-contained HTML file that is never
published. It refuses a place inside the public output folder or a source folder, and writes
nothing unless the programme checks (warnings are in the report; errors stop it)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rmsite.core.hashing import atomic_write
from rmsite.core.problems import Loc, Problem, did_you_mean, has_errors
from rmsite.output.report import render_report
from rmsite.pipeline.build import output_folder
from rmsite.pipeline.check import load_site
from rmsite.pipeline.memo import Memos
from rmsite.pipeline.options import Loaded, Options
from rmsite.site.report import report_view

DEFAULT_REPORT = Path("_private") / "report.html"
SOURCE_FOLDERS = ("content", "cohorts", "static", "templates", "imports")  # a report there could be published


@dataclass
class ReportResult:
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None  # the report written, when it was
    size: int = 0
    loaded: Loaded | None = None


def report_path(options: Options, output: Path | str | None) -> Path:
    """Where the report goes: --output (relative to the working folder; `report.html` in it when
    it names a folder, with a trailing slash), else _private/report.html in the programme's folder."""
    if output is None:
        return options.source / DEFAULT_REPORT
    if str(output).endswith(("/", os.sep)):
        return Path(output) / DEFAULT_REPORT.name
    return Path(output)


def refused(options: Options, target: Path, public_output: Path | None) -> str | None:
    """Why the report may not be written at `target`, or None: never inside the public output
    folder or a folder the site is made from."""
    real = target.resolve()
    source = options.source.resolve()
    places = [(public_output.resolve(), "the public output folder")] if public_output is not None else []
    places += [((source / name).resolve(), f"{name}/, which the site is made from") for name in SOURCE_FOLDERS]
    for folder, what in places:
        if real == folder or real.is_relative_to(folder):
            return (f"the report may not be written inside {what} ({folder}): it holds every private "
                    "field; write it to _private/report.html (the default) or outside the programme's folders")
    if real.is_dir():
        return f"{target} is a folder: give the report's file name, e.g. {target / 'report.html'}"
    return None


def write_report(options: Options, output: Path | str | None = None, cohorts: Sequence[str] = (),
                 memos: Memos | None = None) -> ReportResult:
    """Check the programme, then write its report; problems as `rmsite check` gives them.
    `memos` (the last build's cache) spares reading unchanged guides and cohorts again."""
    loaded = load_site(options, memos)
    result = ReportResult(list(loaded.problems), loaded=loaded)
    programme = loaded.programme
    if programme is None or has_errors(loaded.problems):
        return result
    known = [entry.id for entry in programme.cohorts]
    for cohort_id in cohorts:
        if cohort_id not in known:
            result.problems.append(Loc("cohorts").error(
                f"no cohort '{cohort_id}' (--cohort)" + did_you_mean(cohort_id, known)))
    target = report_path(options, output)
    why = refused(options, target, output_folder(options, programme))
    if why is not None:
        result.problems.append(Loc(str(output or DEFAULT_REPORT)).error(why))
    if has_errors(result.problems):
        return result
    html, problems = render_report(report_view(programme, loaded.problems, cohorts), options.source,
                                   programme.site.config.language)
    result.problems += problems
    if html is None:
        return result
    data = html.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data)
    result.path, result.size = target, len(data)
    return result
