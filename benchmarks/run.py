"""Measure rmsite on a generated programme and print the results as Markdown.

    python benchmarks/run.py [--cohorts 20 --pairs 50 --guides 1000] [--runs 5] [--edits 3]
                             [--work benchmarks/_work] [--seed 1] [--src DIR] [--quick]
    python benchmarks/run.py --peers [--guides 1000] [--runs 5] [--hugo BINARY] [...]

With --peers it compares rmsite with MkDocs and Hugo instead (see peers.py).

Steps:

1. Generate the programme (benchmarks/generate.py) into WORK/site.
2. Cold build: `rmsite build` into a folder that does not exist yet, --runs times.
3. Warm build: `rmsite build` again into the existing output after appending a
   sentence to one guide, --runs times (after one untimed build to create it).
   Each warm build is checked: the edited page must show the new sentence.
4. Preview latency: start rmsite.serve.PreviewServer in this process on a free
   port, save an edit, and poll the served page over HTTP until it shows the
   edit; --edits times for a guide and --edits times for a cohort file.

Builds run in subprocesses, so wall times include interpreter start-up and
imports, as a user running `rmsite build` sees them. Peak memory is given
twice (see measure.py): the largest single process (ru_maxrss from os.wait4,
which covers the worker processes rmsite forks and waits for) and the sampled
sum over the build's whole process tree. The report ends with the targets
the project set for these figures, each marked met or missed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 (benchmarks/ is not a package)
from measure import (  # noqa: E402 (after sys.path is set)
    BenchmarkError,
    TreeMemory,
    append_marker,
    byte_compile_rmsite,
    guide_page,
    html_pages,
    machine,
    mib,
    rmsite_command,
    run_process,
    seconds,
    unique_marker,
    use_source,
    verdict,
)

EDITED_GUIDE = "content/section-01/guide-0001.md"
EDITED_COHORT = "cohorts/cohort-01.yml"
OWN_MS = re.compile(r"\bin (\d+(?:\.\d+)?) ms\b")  # rmsite's own timing: "… in 25 ms" in its summary line
DISK_CACHE = ".rmsite-cache"  # rmsite build's cache in the site folder, removed before cold builds
TOPICS_LINE = re.compile(r"^(\s+topics: ).*$", re.MULTILINE)
POLL_SECONDS = 0.01
QUIET_SECONDS = 0.5
# The project's targets (set for 20 cohorts × 100 pairs and 500 guides).
WARM_SHARE_TARGET = 0.10  # a warm build after one guide edit, as a share of the cold build
GUIDE_PREVIEW_TARGET = 0.150  # seconds, median save-to-page for a guide edit
COHORT_PREVIEW_TARGET = 0.500  # seconds, median save-to-page for a cohort edit
MEMORY_TARGET_KB = 300e6 / 1024  # 300 MB (286 MiB), all processes


@dataclass(frozen=True)
class Size:
    """The generated programme's size."""

    cohorts: int
    pairs: int
    guides: int


DEFAULT_SIZE = Size(20, 50, 1000)
QUICK_SIZE = Size(2, 10, 100)
PEERS_SIZE = Size(1, 1, 1000)  # with --peers: the guides are nearly all of the work
QUICK_RUNS = 3


@dataclass(frozen=True)
class BuildRun:
    """One `rmsite build` process."""

    seconds: float  # wall time, start-up included
    cpu_seconds: float  # user + system time, workers included
    largest_kb: int  # the largest single process's maximum resident set size
    all_kb: int  # the largest sampled sum of all its processes' memory (PSS)
    pages: int  # HTML pages in the output
    own_ms: float  # the build time rmsite reports itself (NaN if its message changes)


@dataclass(frozen=True)
class EditRun:
    """One save-to-page measurement in the preview server."""

    ms: float  # from saving the file to the page showing the edit
    rebuild_ms: float  # the rebuild time the server logged


@dataclass
class Results:
    """Every measurement of one benchmark run."""

    size: Size
    runs: int
    source_bytes: int = 0
    cold: list[BuildRun] = field(default_factory=list)
    warm: list[BuildRun] = field(default_factory=list)
    guide_edits: list[EditRun] = field(default_factory=list)
    cohort_edits: list[EditRun] = field(default_factory=list)
    preview_kb: int = 0  # the runner's memory (with the preview server in it) while the edits ran


# --- builds in subprocesses ----------------------------------------------------

def own_ms(line: str) -> float:
    """The milliseconds rmsite reports in a summary line ("in 25 ms"), else NaN. A preview
    line may add the time of work that followed the page: "(search index 90 ms later)"."""
    found = OWN_MS.findall(line.strip())
    return float(found[-1]) if found else float("nan")


def build(site: Path, output: Path) -> BuildRun:
    """One `rmsite build` of the site into output, measured."""
    done = run_process(rmsite_command() + ["build", "--source", str(site), "--output", str(output)])
    pages, _ = html_pages(output)
    return BuildRun(done.seconds, done.cpu_seconds, done.largest_kb, done.all_kb, pages, own_ms(done.stdout))


def cold_builds(site: Path, output: Path, runs: int, say: Callable[[str], None]) -> list[BuildRun]:
    """Builds into an output folder that does not exist yet."""
    results = []
    for number in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(site / DISK_CACHE, ignore_errors=True)
        results.append(build(site, output))
        say(f"cold build {number + 1}/{runs}: {results[-1].seconds:.2f} s")
    return results


def warm_builds(site: Path, output: Path, runs: int, say: Callable[[str], None]) -> list[BuildRun]:
    """Rebuilds into the existing output, each after editing one guide."""
    shutil.rmtree(output, ignore_errors=True)
    build(site, output)  # untimed: creates the output (and any cache) that warm builds start from
    results = []
    for number in range(runs):
        marker = unique_marker("warm", number)
        append_marker(site / EDITED_GUIDE, marker)
        results.append(build(site, output))
        if marker not in guide_page(output, EDITED_GUIDE).read_text(encoding="utf-8"):
            raise BenchmarkError(f"warm build {number + 1} did not update {EDITED_GUIDE}'s page")
        say(f"warm build {number + 1}/{runs}: {results[-1].seconds:.2f} s")
    return results


# --- preview latency -----------------------------------------------------------

class ServerLog:
    """The preview server's log lines, with the time of the latest."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)
            self.last = time.monotonic()

    def wait_quiet(self, after: int, timeout: float) -> str:
        """Wait for a log line past index `after`, then for the log to go quiet; the last rebuild line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                fresh = self.lines[after:]
                quiet = time.monotonic() - self.last >= QUIET_SECONDS
            if fresh and quiet:
                failed = [line for line in fresh if line.startswith("build failed")]
                if failed:
                    raise BenchmarkError("the preview rebuild failed:\n" + "\n".join(fresh))
                return next((line for line in reversed(fresh) if line.startswith("rebuilt")), "")
            time.sleep(POLL_SECONDS)
        raise BenchmarkError(f"the preview server logged no rebuild within {timeout:.0f} s")


def fetch(url: str) -> str:
    """A served page's text, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:  # e.g. 404 while a page is being replaced
        return error.read().decode("utf-8", errors="replace")


def wait_for(url: str, marker: str, timeout: float) -> None:
    """Poll a served page until it contains the marker."""
    deadline = time.monotonic() + timeout
    while marker not in fetch(url):
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{url} did not show the edit within {timeout:.0f} s")
        time.sleep(POLL_SECONDS)


def edit_cohort(file: Path, marker: str) -> None:
    """Replace the first session's topics in a cohort file with the marker."""
    text = file.read_text(encoding="utf-8")
    new, count = TOPICS_LINE.subn(lambda m: f"{m[1]}[{marker}]", text, count=1)
    if not count:
        raise BenchmarkError(f"{file} has no session topics to edit")
    file.write_text(new, encoding="utf-8")


def first_pair_page(cohort_file: Path) -> str:
    """The output path of the first pair in a generated cohort file (the one edit_cohort changes)."""
    text = cohort_file.read_text(encoding="utf-8")
    pairs = text[text.index("\npairs:\n"):]
    mentor = re.search(r"^  - mentor: (\S+)$", pairs, re.MULTILINE)
    mentee = re.search(r"^    mentee: (\S+)$", pairs, re.MULTILINE)
    if mentor is None or mentee is None:
        raise BenchmarkError(f"cannot find the first pair in {cohort_file}")
    return f"cohorts/{cohort_file.stem}/{mentor[1]}-{mentee[1]}/index.html"


def measure_edits(server_url: str, log: ServerLog, edits: int, page: str,
                  edit: Callable[[str], None], kind: str, timeout: float) -> list[EditRun]:
    """Save an edit, time until the served page shows it; `edits` times."""
    results = []
    for number in range(edits):
        marker = unique_marker(kind, number)
        seen = len(log.lines)
        started = time.perf_counter()
        edit(marker)
        wait_for(server_url + page, marker, timeout)
        ms = (time.perf_counter() - started) * 1000
        line = log.wait_quiet(seen, timeout)  # let the rebuild finish logging before the next edit
        results.append(EditRun(ms, own_ms(line)))
    return results


def preview_latency(site: Path, edits: int, timeout: float,
                    say: Callable[[str], None]) -> tuple[list[EditRun], list[EditRun], int]:
    """Guide and cohort save-to-page latencies in an in-process preview server, and the
    peak memory of this process (and any it starts) meanwhile."""
    from rmsite.pipeline.options import Options
    from rmsite.serve import PreviewServer

    log = ServerLog()
    server = PreviewServer(Options(source=site), "127.0.0.1", 0, log)
    with TreeMemory(os.getpid()) as memory:
        try:
            if not server.start().written:
                raise BenchmarkError("the preview server's first build failed:\n" + "\n".join(log.lines))
            time.sleep(QUIET_SECONDS)  # let the file watcher settle
            guide_page_path = EDITED_GUIDE.removeprefix("content/").removesuffix(".md") + "/index.html"
            guides = measure_edits(server.url, log, edits, guide_page_path,
                                   lambda m: append_marker(site / EDITED_GUIDE, m), "guide", timeout)
            say(f"preview, guide edits: {', '.join(f'{r.ms:.0f}' for r in guides)} ms")
            cohorts = measure_edits(server.url, log, edits, first_pair_page(site / EDITED_COHORT),
                                    lambda m: edit_cohort(site / EDITED_COHORT, m), "cohort", timeout)
            say(f"preview, cohort edits: {', '.join(f'{r.ms:.0f}' for r in cohorts)} ms")
        finally:
            server.stop()
    return guides, cohorts, memory.peak_kb


# --- report --------------------------------------------------------------------

def build_row(name: str, runs: list[BuildRun]) -> str:
    """A table row for a set of builds."""
    times = [r.seconds for r in runs]
    median = statistics.median(times)
    own = statistics.median(r.own_ms for r in runs) / 1000
    cpu = statistics.median(r.cpu_seconds for r in runs)
    return (f"| {name} | {seconds(median)} | {seconds(min(times))} | {seconds(max(times))} "
            f"| {seconds(own)} | {seconds(cpu)} | {runs[0].pages / median:,.0f} "
            f"| {mib(max(r.largest_kb for r in runs))} | {mib(max(r.all_kb for r in runs))} |")


def edit_row(name: str, runs: list[EditRun], memory_kb: int) -> str:
    """A table row for a set of preview edits."""
    times = [r.ms / 1000 for r in runs]
    rebuild = statistics.median(r.rebuild_ms for r in runs) / 1000
    return (f"| {name} | {seconds(statistics.median(times))} | {seconds(min(times))} "
            f"| {seconds(max(times))} | {seconds(rebuild)} | | | | {mib(memory_kb)} |")


def targets(results: Results) -> list[str]:
    """The project's targets for these figures as a table, each marked met or missed."""
    cold = statistics.median(r.seconds for r in results.cold)
    warm = statistics.median(r.seconds for r in results.warm)
    guide = statistics.median(r.ms for r in results.guide_edits) / 1000
    cohort = statistics.median(r.ms for r in results.cohort_edits) / 1000
    memory = max([r.all_kb for r in results.cold + results.warm] + [results.preview_kb])
    return [
        "| target | measured | result |",
        "|---|---|---|",
        f"| warm build after one guide edit under {WARM_SHARE_TARGET:.0%} of the cold build "
        f"| {warm / cold:.1%} ({seconds(warm)} / {seconds(cold)}) | {verdict(warm < WARM_SHARE_TARGET * cold)} |",
        f"| preview: guide edit to page under {seconds(GUIDE_PREVIEW_TARGET)} (median) "
        f"| {seconds(guide)} | {verdict(guide < GUIDE_PREVIEW_TARGET)} |",
        f"| preview: cohort edit to page under {seconds(COHORT_PREVIEW_TARGET)} (median) "
        f"| {seconds(cohort)} | {verdict(cohort < COHORT_PREVIEW_TARGET)} |",
        f"| peak memory under 300 MB ({mib(MEMORY_TARGET_KB)}), all processes, builds and preview "
        f"| {mib(memory)} | {verdict(0 < memory < MEMORY_TARGET_KB)} |",
    ]


def report(results: Results, edits: int) -> str:
    """The results as Markdown: a summary line, the table, the targets and the machine."""
    size = results.size
    pages = results.cold[0].pages
    lines = [
        "## rmsite benchmark",
        "",
        f"Programme: {size.cohorts} cohorts × {size.pairs} pairs ({2 * size.cohorts * size.pairs:,} people), "
        f"{size.guides:,} guides; {results.source_bytes / 1024**2:.1f} MiB of source; {pages:,} pages built. "
        f"{results.runs} runs per build figure, {edits} edits per preview figure.",
        "",
        "| measure | median | min | max | rmsite's own timing (median) | CPU time (median) | pages/s "
        "| peak memory, largest process (RSS) | peak memory, all processes (PSS) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        build_row("cold build: `rmsite build` into a new folder", results.cold),
        build_row("warm build: `rmsite build` again after editing one guide", results.warm),
        edit_row("preview: save a guide → its page shows the edit", results.guide_edits, results.preview_kb),
        edit_row("preview: save a cohort file → the pair page shows the edit", results.cohort_edits,
                 results.preview_kb),
        "",
        f"Targets (set for 20 cohorts × 100 pairs and 500 guides; this run: {size.cohorts} × {size.pairs} "
        f"and {size.guides:,}):",
        "",
        *targets(results),
        "",
        f"Machine: {machine()}.",
    ]
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------

def folder_bytes(folder: Path) -> int:
    """Total size of the source files under a folder (not rmsite's build cache)."""
    return sum(f.stat().st_size for f in folder.rglob("*")
               if f.is_file() and DISK_CACHE not in f.relative_to(folder).parts)


def benchmark(size: Size, runs: int, edits: int, work: Path, seed: int,
              say: Callable[[str], None]) -> Results:
    """Generate the programme and take every measurement."""
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)
    generate.generate(site, size.cohorts, size.pairs, size.guides, seed, force=True)
    results = Results(size, runs, folder_bytes(site))
    say(f"generated {site} ({results.source_bytes / 1024**2:.1f} MiB)")
    results.cold = cold_builds(site, work / "cold", runs, say)
    results.warm = warm_builds(site, work / "warm", runs, say)
    timeout = max(60.0, 20 * max(r.seconds for r in results.cold))
    results.guide_edits, results.cohort_edits, results.preview_kb = preview_latency(site, edits, timeout, say)
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options, with --quick, --peers and the defaults filled in."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohorts", type=generate.positive,
                        help=f"cohorts (default {DEFAULT_SIZE.cohorts}, with --peers {PEERS_SIZE.cohorts})")
    parser.add_argument("--pairs", type=generate.positive,
                        help=f"pairs per cohort (default {DEFAULT_SIZE.pairs}, with --peers {PEERS_SIZE.pairs})")
    parser.add_argument("--guides", type=generate.positive, help=f"guides (default {DEFAULT_SIZE.guides})")
    parser.add_argument("--runs", type=generate.positive, help="builds per build figure (default 5)")
    parser.add_argument("--edits", type=generate.positive, help="edits per preview figure (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--work", type=Path, default=HERE / "_work",
                        help="scratch folder, replaced as needed (default benchmarks/_work, git-ignored)")
    parser.add_argument("--src", type=Path,
                        help="measure the rmsite package in this folder (e.g. the src/ of an exported commit) "
                             "instead of the installed one")
    parser.add_argument("--quick", action="store_true",
                        help=f"small size: {QUICK_SIZE.cohorts} cohorts × {QUICK_SIZE.pairs} pairs (with --peers "
                             f"{PEERS_SIZE.cohorts} × {PEERS_SIZE.pairs}), {QUICK_SIZE.guides} guides, "
                             f"{QUICK_RUNS} runs (explicit options still win)")
    parser.add_argument("--peers", action="store_true",
                        help="compare rmsite's builds with MkDocs's and Hugo's on the same guides, set up in "
                             "WORK/peers-venv (see peers.py), instead of measuring the programme")
    parser.add_argument("--hugo", type=Path, metavar="BINARY",
                        help="with --peers: this Hugo binary (e.g. Debian's /usr/bin/hugo) "
                             "instead of the PyPI wheel's")
    parser.add_argument("--scale-runs", type=generate.positive,
                        help="with --peers: cold builds of ten times the guides in one folder (default 3, "
                             "--quick 1)")
    args = parser.parse_args(argv)
    if args.hugo is not None and not args.peers:
        parser.error("--hugo goes with --peers")
    base = PEERS_SIZE if args.peers else DEFAULT_SIZE
    if args.quick:
        base = Size(base.cohorts if args.peers else QUICK_SIZE.cohorts,
                    base.pairs if args.peers else QUICK_SIZE.pairs, QUICK_SIZE.guides)
    args.size = Size(args.cohorts or base.cohorts, args.pairs or base.pairs, args.guides or base.guides)
    args.runs = args.runs or (QUICK_RUNS if args.quick else 5)
    args.edits = args.edits or 3
    args.scale_runs = args.scale_runs or (1 if args.quick else 3)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the Markdown report goes to stdout, progress to stderr."""
    args = parse_args(argv)
    if args.src is not None:
        use_source(args.src)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        say(f"byte-compiled {byte_compile_rmsite()}, as an installed copy is")
        if args.peers:
            import peers

            text = peers.compare_all(args.size.guides, args.size.cohorts, args.size.pairs, args.runs,
                                     args.work, args.seed, args.hugo, say, args.scale_runs)
        else:
            text = report(benchmark(args.size, args.runs, args.edits, args.work, args.seed, say), args.edits)
    except BenchmarkError as error:
        say(f"benchmark failed: {error}")
        return 1
    say(f"finished in {time.perf_counter() - started:.0f} s")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
