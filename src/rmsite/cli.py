"""Command line: parses options and calls one function per command.

Each command imports the stages it calls when it runs, so that a command
which does not build (`rmsite import`, `rmsite new`) starts without the
build's modules.

Exit codes: 0 success (warnings may be printed), 1 content problems,
2 usage errors, 3 an internal error (rerun with --debug for the traceback)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TextIO

import click

from rmsite import __version__
from rmsite.core.problems import Problem, did_you_mean, has_errors, problem_lines
from rmsite.model.programme import CohortFile
from rmsite.model.schema import ISO_DATE
from rmsite.source.rules import BASE_URL_PATTERN, base_url_problem


class DateParam(click.ParamType):  # type: ignore[type-arg]  # generic in newer click only  # click's ParamType is generic only in its stubs' newest form
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            if not ISO_DATE.match(str(value)):
                raise ValueError(value)
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date in the form YYYY-MM-DD", param, ctx)


def base_url_param(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not BASE_URL_PATTERN.match(value):
        raise click.BadParameter(base_url_problem(value).replace(f"base_url '{value}'", "it", 1)
                                 if value.startswith("//") else "use '/', a path like '/mentoring/' or a URL like "
                                 "'https://example.org/mentoring/' (ending with '/'), with no user name or password")
    return value


source_option = click.option(
    "--source", "-s", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
    show_default=True, help="The programme folder (holding site.yml).")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
debug_option = click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")


# the libraries whose versions `rmsite --version` prints beside rmsite's and Python's, for bug reports
VERSION_LIBRARIES = ("Markdown", "pymdown-extensions", "Jinja2", "PyYAML")


def version_text() -> str:
    """rmsite's version, then the Python and the libraries it runs with, one a line."""
    lines = [f"rmsite, version {__version__}",
             f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.system()}"]
    for name in VERSION_LIBRARIES:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} not installed")
    return "\n".join(lines)


def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=print_version,
              help="Show the version of rmsite, Python, Markdown, pymdown-extensions, Jinja2 and PyYAML, and exit.")
def main() -> None:
    """rmsite: build the site of a reverse-mentoring programme."""


def run() -> None:
    """The console entry point: the command line, then an immediate exit.

    A large build leaves millions of objects behind, and freeing them one by one
    as Python shuts down takes a noticeable share of a quick rebuild; nothing
    needs it, so once its output is flushed the process simply ends (as mypy's
    command line does)."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def report(problems: list[Problem]) -> None:
    """The problems on stderr (the first 200, then a count), then a one-line summary of all."""
    for line in problem_lines(problems):
        click.echo(line, err=True)
    accepted = sum(1 for p in problems if p.accepted)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors - accepted
    if len(problems) > accepted:
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
                   + (f"; {accepted} warning{'s' * (accepted != 1)} accepted" if accepted else ""), err=True)
    elif accepted:
        click.echo(f"{accepted} warning{'s' * (accepted != 1)} accepted", err=True)


def stop_on_terminate(signum: int, frame: object) -> None:
    """SIGTERM in `serve`: stop as Ctrl-C does, so the preview's folder is removed."""
    raise KeyboardInterrupt


def run_safely(debug: bool, action: Callable[[], int]) -> None:
    """Run a command; an unexpected failure is a short message and exit 3."""
    try:
        code = action()
    except click.ClickException:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 (an internal error, whatever it is: exit 3 with a short message)
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"rmsite: internal error: {type(exc).__name__}: {exc}\n"
                       "rerun with --debug to see the traceback, and please report it", err=True)
        sys.exit(3)
    sys.exit(code)


def find_cohort(cohorts: Iterable[CohortFile], cohort_id: str, source: Path) -> CohortFile:
    """The cohort with this id, or a usage error suggesting the closest id."""
    entries = {entry.id: entry for entry in cohorts}
    if cohort_id not in entries:
        raise click.UsageError(f"no cohort '{cohort_id}' in {source / 'cohorts'}"
                               + did_you_mean(cohort_id, entries))
    return entries[cohort_id]


@main.command("build")
@source_option
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: site.yml's output, '_site').")
@click.option("--base-url", callback=base_url_param, default=None, help="Where the site is hosted.")
@click.option("--as-of", type=DateParam(), default=None, help="Compute progress at this date.")
@strict_option
@click.option("--drafts", is_flag=True, help="Also build guides marked draft.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for converting and rendering (default: one per core).")
@click.option("--no-cache", is_flag=True,
              help="Neither use nor update the build cache in .rmsite-cache/.")
@debug_option
def build_command(source: Path, output: Path | None, base_url: str | None, as_of: dt.date | None,
                  strict: bool, drafts: bool, jobs: int | None, no_cache: bool, debug: bool) -> None:
    """Validate the programme and build its site."""
    from rmsite.pipeline.build import build_with_cache
    from rmsite.pipeline.options import Options

    options = Options(source, output, base_url, as_of, strict, drafts, jobs)

    def action() -> int:
        result = build_with_cache(options, use_cache=not no_cache)
        report(result.problems)
        if not result.written:
            click.echo("build failed; the previous output was left as it was", err=True)
            return 1
        reused = f" ({result.reused} unchanged)" if result.reused else ""
        click.echo(f"built {result.pages + result.reused} pages{reused} into {result.output} "
                   f"in {result.seconds * 1000:.0f} ms")
        return 0
    run_safely(debug, action)


@main.command("check")
@source_option
@strict_option
@click.option("--drafts", is_flag=True, help="Also check links to guides marked draft.")
@click.option("--links", is_flag=True,
              help="Also build the site in a temporary folder and check every link of every page; "
                   "list the links to other sites.")
@debug_option
def check_command(source: Path, strict: bool, drafts: bool, links: bool, debug: bool) -> None:
    """Validate the programme without writing anything."""
    from rmsite.pipeline.check import check_site
    from rmsite.pipeline.options import Options
    from rmsite.pipeline.store import cache_file, load_cache

    def action() -> int:
        if links:
            return check_links_command(source, strict, drafts)
        # the last build's cache, read but never written: unchanged guides and cohorts are not worked out again
        loaded = check_site(Options(source, strict=strict, drafts=drafts), load_cache(cache_file(source)))
        report(loaded.problems)
        if loaded.programme is None:
            return 1
        cohorts = len(loaded.programme.cohorts)
        click.echo(f"ok: {cohorts} cohort{'s' * (cohorts != 1)}, {len(loaded.guides)} guides")
        return 0
    run_safely(debug, action)


def check_links_command(source: Path, strict: bool, drafts: bool) -> int:
    """check --links: a whole build, without the cache, into a folder that is then removed."""
    from rmsite.pipeline.build import build
    from rmsite.pipeline.options import Options

    with tempfile.TemporaryDirectory(prefix="rmsite-check-") as folder:
        result = build(Options(source, Path(folder) / "site", strict=strict, drafts=drafts))
    report(result.problems)
    if not result.written:
        return 1
    for page, address in result.external:
        click.echo(f"external: {page}: {address}")
    external = len({address for _, address in result.external})
    click.echo(f"ok: every link of {result.pages} pages works; {external} external "
               f"address{'es' * (external != 1)} listed, not visited")
    return 0


@main.command("report")
@source_option
@click.option("--output", "-o", type=click.Path(), default=None,
              help="The report's file, or a folder ending in '/' (default: _private/report.html in the programme's folder).")
@click.option("--cohort", "cohorts", multiple=True, metavar="ID", help="Only this cohort (repeatable).")
@click.option("--as-of", type=DateParam(), default=None, help="Compute figures at this date.")
@debug_option
def report_command(source: Path, output: str | None, cohorts: tuple[str, ...], as_of: dt.date | None,
                   debug: bool) -> None:
    """Write the coordinator's report: every pair, contact, note, feedback, check-in and warning,
    in one private HTML file. Never publish it."""
    from rmsite.pipeline.options import Options
    from rmsite.pipeline.report import write_report
    from rmsite.pipeline.store import cache_file, load_cache

    def action() -> int:
        result = write_report(Options(source, as_of=as_of), output, cohorts, load_cache(cache_file(source)))
        report(result.problems)
        if result.path is None:
            click.echo("no report written", err=True)
            return 1
        click.echo(f"wrote the coordinator's report to {result.path} ({result.size / 1e6:.1f} MB); "
                   "it holds every private field: keep it out of the published site and of git")
        return 0
    run_safely(debug, action)


@main.command("serve")
@source_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@click.option("--as-of", type=DateParam(), default=None, help="Compute progress at this date.")
@click.option("--drafts", is_flag=True, help="Also show guides marked draft.")
@click.option("--report", "with_report", is_flag=True,
              help="Also preview the coordinator's report at /__rmsite/report/ (on 127.0.0.1 only).")
@debug_option
def serve_command(source: Path, host: str, port: int, open_browser: bool, as_of: dt.date | None,
                  drafts: bool, with_report: bool, debug: bool) -> None:
    """Preview the site, rebuilding and reloading the browser on every change."""
    if with_report and host not in ("127.0.0.1", "localhost", "::1"):
        raise click.UsageError(f"--report serves every private field: only on 127.0.0.1, not on {host}")
    import errno
    import threading
    import webbrowser

    from rmsite.pipeline.options import Options
    from rmsite.serve import PreviewServer

    def action() -> int:
        try:
            server = PreviewServer(Options(source, as_of=as_of, drafts=drafts), host, port,
                                   lambda line: click.echo(line, err=True), with_report)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                click.echo(f"rmsite: port {port} on {host} is already in use; try --port {port + 1}, "
                           "or --port 0 to pick a free one", err=True)
                return 1
            raise
        signal.signal(signal.SIGTERM, stop_on_terminate)  # `kill` stops it as Ctrl-C does, cleaning up
        try:
            server.start()
            click.echo(f"serving {source.resolve()} at {server.url} (Ctrl-C to stop)")
            if with_report:
                click.echo(f"the coordinator's report (private: never share this address) at {server.report_url}")
            if open_browser:
                webbrowser.open(server.url)
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
        finally:
            server.stop()
        return 0
    run_safely(debug, action)


@main.command("schema")
@click.argument("kind", type=click.Choice(["site", "cohort", "guide"]))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of site.yml, a cohort file or guide front matter (for editors)."""
    import json

    from rmsite.model.schema import json_schema
    click.echo(json.dumps(json_schema(kind), indent=2, sort_keys=True))


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init_command(folder: Path) -> None:
    """Create a new programme folder that builds at once."""
    from rmsite.scaffold import ScaffoldError, init_programme
    try:
        files = init_programme(folder, dt.date.today())
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    for file in files:
        click.echo(f"created {file}")
    click.echo(f"next: cd {folder} && rmsite serve")


@main.group("new")
def new_group() -> None:
    """Add a skeleton cohort file or guide."""


@new_group.command("cohort")
@click.argument("cohort_id")
@source_option
def new_cohort_command(cohort_id: str, source: Path) -> None:
    """Add cohorts/COHORT_ID.yml, starting today."""
    from rmsite.scaffold import ScaffoldError, new_cohort
    try:
        click.echo(f"created {new_cohort(source, cohort_id, dt.date.today())}")
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None


@new_group.command("guide")
@click.argument("path")
@source_option
def new_guide_command(path: str, source: Path) -> None:
    """Add content/PATH.md with front matter."""
    from rmsite.scaffold import ScaffoldError, new_guide
    try:
        click.echo(f"created {new_guide(source, path)}")
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None


@main.command("export")
@click.argument("cohort_id", required=False)
@click.option("--all", "all_cohorts", is_flag=True, help="Export every cohort into one CSV (then give no COHORT_ID).")
@source_option
@click.option("--format", "format_", type=click.Choice(["csv"]), default="csv", show_default=True,
              help="Output format.")
@click.option("--as-of", type=DateParam(), default=None, help="Compute figures at this date.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
@debug_option
def export_command(cohort_id: str | None, all_cohorts: bool, source: Path, format_: str, as_of: dt.date | None,
                   output: TextIO, debug: bool) -> None:
    """Write one row per pair of COHORT_ID, or of every cohort with --all, with its computed figures,
    for reports."""
    from rmsite.export import cohorts_csv
    from rmsite.pipeline.check import load_site
    from rmsite.pipeline.options import Options

    if all_cohorts and cohort_id is not None:
        raise click.UsageError(f"give a cohort or --all, not both: rmsite export {cohort_id}, or rmsite export --all")
    if not all_cohorts and cohort_id is None:
        raise click.UsageError("give a cohort, or --all for every cohort: rmsite export COHORT_ID")

    def action() -> int:
        loaded = load_site(Options(source, as_of=as_of))
        report(loaded.problems)
        if loaded.programme is None:
            return 1
        programme = loaded.programme
        entries = (programme.cohorts if cohort_id is None
                   else (find_cohort(programme.cohorts, cohort_id, source),))
        output.write(cohorts_csv(programme.site.config, [(entry.id, entry.public) for entry in entries],
                                 programme.as_of))
        return 0
    run_safely(debug, action)


@main.command("match")
@click.argument("cohort_id")
@source_option
@click.option("--format", "format_", type=click.Choice(["table", "yaml", "json"]), default="table",
              show_default=True, help="table for reading, yaml to paste into the cohort file, json for tools.")
@click.option("--write", is_flag=True, help="Append the suggested pairs to the cohort file.")
@debug_option
def match_command(cohort_id: str, source: Path, format_: str, write: bool, debug: bool) -> None:
    """Suggest pairs among the people of COHORT_ID who are not yet in a pair."""
    from rmsite.pairing.append import AppendError, write_pairs
    from rmsite.pairing.format import FORMATS
    from rmsite.pairing.suggest import suggest_pairs
    from rmsite.pipeline.check import load_site
    from rmsite.pipeline.options import Options

    def action() -> int:
        loaded = load_site(Options(source))
        report(loaded.problems)
        if loaded.programme is None:
            return 1
        entry = find_cohort(loaded.programme.cohorts, cohort_id, source)
        suggestion = suggest_pairs(entry.cohort)
        click.echo(FORMATS[format_](entry.id, suggestion), nl=False)
        if not write:
            return 0
        rel = entry.path
        try:
            written = write_pairs(source / rel, suggestion.pairs)
        except AppendError as exc:
            click.echo(f"{rel}: error: cannot append the pairs: {exc}; nothing was written "
                       "(paste the output of --format yaml instead)", err=True)
            return 1
        if not written:
            click.echo(f"no pairs to add; {rel} was left as it was", err=True)
            return 0
        count = len(suggestion.pairs)
        needed = loaded.programme.site.config.programme.approvals
        click.echo(f"added {count} proposed pair{'s' * (count != 1)} to {rel}: they are on no public page "
                   f"until each has {needed} dated sign-off{'s' * (needed != 1)} in approved_by "
                   "({name, date}) and 'status: active'", err=True)
        return 0
    run_safely(debug, action)


@main.command("import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="MAPPING FILE")
@source_option
@click.option("--cohort", "cohort_id", metavar="ID", help="The cohort to import into (default: the mapping's).")
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing.")
@click.option("--update", is_flag=True, help="Replace the values of items that are there already.")
@click.option("--sheet", metavar="NAME", help="The sheet of an .xlsx workbook (default: the first).")
@click.option("--init", "init_kind", type=click.Choice(["people", "sessions", "check-ins"]), metavar="KIND",
              help="Write a starting mapping for FILE (people, sessions or check-ins) to imports/.")
@debug_option
def import_command(files: tuple[Path, ...], source: Path, cohort_id: str | None, dry_run: bool, update: bool,
                   sheet: str | None, init_kind: str | None, debug: bool) -> None:
    """Import a form's answers (FILE: .csv or .xlsx) into a cohort file, as MAPPING says.

    With --init KIND FILE, write a starting mapping instead."""
    from rmsite.importing.run import run_import

    expected = 1 if init_kind else 2
    if len(files) != expected:
        raise click.UsageError("give the mapping and the export: rmsite import MAPPING FILE" if not init_kind
                               else "give the export: rmsite import --init KIND FILE")
    for file in files:
        if not file.is_file():
            raise click.UsageError(f"no file {file}")

    def action() -> int:
        if init_kind:
            from rmsite.importing.init import write_starting_mapping
            problems, message = write_starting_mapping(init_kind, files[0], source, sheet)
            report(problems)
            if message:
                click.echo(message, err=True)
            return 1 if has_errors(problems) else 0
        result = run_import(files[0], files[1], source, cohort_id, dry_run, update, sheet)
        report(result.problems)
        if has_errors(result.problems):
            click.echo("nothing was written", err=True)
            return 1
        if dry_run and result.diff:
            click.echo(result.diff, nl=False)
        click.echo(result.summary, err=True)
        return 0
    run_safely(debug, action)
