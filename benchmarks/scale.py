"""Memory and time of cold builds by programme size, printed as a Markdown table.

    python benchmarks/scale.py [--cohorts 20,80,200] [--pairs 100] [--guides 500] [--runs 1]
                               [--work benchmarks/_work] [--seed 1] [--src DIR]

For each number of cohorts, the programme is generated (generate.py) into
WORK/scale-N/site, unless that folder already holds the same programme, and
built cold --runs times: `rmsite build` into a folder that does not exist yet,
with the site's build cache removed first, as run.py's cold builds. Each build
is measured by measure.run_process: wall time, CPU time, and three figures for
memory (see measure.py): the largest sampled sum of PSS over the build's process
tree, the sum of each process's own peak RSS (an upper bound), and the largest
single process. The project's target, for 200 cohorts × 100 pairs and 500
guides, is a cold build under 3 minutes with peak memory of all processes under
1 GB (the PSS figure); the report marks it for the largest size measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 (benchmarks/ is not a package)
from measure import (  # noqa: E402 (after sys.path is set)
    Process,
    byte_compile_rmsite,
    html_pages,
    machine,
    mib,
    rmsite_command,
    run_process,
    seconds,
    use_source,
    verdict,
)

DISK_CACHE = ".rmsite-cache"
TARGET_COHORTS = 200
TIME_TARGET = 180.0  # seconds: a cold build of 200 cohorts
MEMORY_TARGET_KB = 1e9 / 1024  # 1 GB, all processes (PSS)
STAMP = ".scale-programme.json"  # in the site folder: the arguments it was generated with


@dataclass(frozen=True)
class SizeResult:
    """The cold builds of one programme size."""

    cohorts: int
    pairs: int
    guides: int
    source_bytes: int
    pages: int
    output_bytes: int
    builds: list[Process]


def folder_bytes(folder: Path, skip: str = "") -> int:
    """The total size of the files in a folder (but for a subfolder named `skip`)."""
    return sum(f.stat().st_size for f in folder.rglob("*")
               if f.is_file() and not (skip and skip in f.relative_to(folder).parts))


def programme(site: Path, cohorts: int, pairs: int, guides: int, seed: int) -> None:
    """Generate the programme into `site`, unless it is there already (its stamp says so)."""
    wanted = {"cohorts": cohorts, "pairs": pairs, "guides": guides, "seed": seed}
    stamp = site / STAMP
    try:
        if json.loads(stamp.read_text()) == wanted:
            return
    except (OSError, ValueError):
        pass
    site.mkdir(parents=True, exist_ok=True)
    generate.generate(site, cohorts, pairs, guides, seed, force=True)
    stamp.write_text(json.dumps(wanted))


def cold_build(site: Path, output: Path) -> Process:
    """One cold `rmsite build`: no output folder, no build cache."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / DISK_CACHE, ignore_errors=True)
    return run_process(rmsite_command() + ["build", "--source", str(site), "--output", str(output)])


def measure_size(cohorts: int, pairs: int, guides: int, runs: int, work: Path, seed: int,
                 say: Callable[[str], None]) -> SizeResult:
    """Generate one programme and build it cold `runs` times."""
    folder = work / f"scale-{cohorts}"
    site, output = folder / "site", folder / "out"
    programme(site, cohorts, pairs, guides, seed)
    builds = []
    for number in range(runs):
        builds.append(cold_build(site, output))
        done = builds[-1]
        say(f"{cohorts} cohorts, cold build {number + 1}/{runs}: {done.seconds:.1f} s, "
            f"{mib(done.all_kb)} all processes")
    pages, _ = html_pages(output)
    result = SizeResult(cohorts, pairs, guides, folder_bytes(site, DISK_CACHE), pages,
                        folder_bytes(output), builds)
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / DISK_CACHE, ignore_errors=True)
    return result


def row(result: SizeResult) -> str:
    """A table row for one programme size."""
    times = [b.seconds for b in result.builds]
    cpu = statistics.median(b.cpu_seconds for b in result.builds)
    people = 2 * result.cohorts * result.pairs
    return (f"| {result.cohorts} | {people:,} | {result.pages:,} | {seconds(statistics.median(times))} "
            f"({seconds(min(times))}–{seconds(max(times))}) | {seconds(cpu)} "
            f"| {mib(max(b.all_kb for b in result.builds))} | {mib(max(b.peaks_kb for b in result.builds))} "
            f"| {mib(max(b.largest_kb for b in result.builds))} | {result.output_bytes / 2**20:,.0f} MiB |")


def report(results: list[SizeResult], runs: int) -> str:
    """The Markdown table, the target for the largest size, and the machine."""
    first = results[0]
    lines = [
        f"Programmes of {first.pairs} pairs a cohort and {first.guides} guides; {runs} cold "
        f"build{'s' if runs != 1 else ''} each.",
        "",
        "| cohorts | people | HTML pages | cold build (median; range) | CPU time | peak memory, all processes "
        "(PSS) | sum of each process's peak (RSS) | largest process (RSS) | output |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(row(r) for r in results),
    ]
    largest = max(results, key=lambda r: r.cohorts)
    if largest.cohorts >= TARGET_COHORTS:
        wall = statistics.median(b.seconds for b in largest.builds)
        memory = max(b.all_kb for b in largest.builds)
        lines += [
            "",
            f"| target ({largest.cohorts} cohorts) | measured | |",
            "|---|---|---|",
            f"| cold build under 3 minutes | {seconds(wall)} | {verdict(wall < TIME_TARGET)} |",
            f"| peak memory, all processes, under 1 GB | {mib(memory)} | {verdict(memory < MEMORY_TARGET_KB)} |",
        ]
    lines += ["", f"Machine: {machine()}."]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Cold builds by programme size: memory and time.")
    parser.add_argument("--cohorts", default="20,80,200",
                        help="comma-separated numbers of cohorts (default 20,80,200)")
    parser.add_argument("--pairs", type=int, default=100, help="pairs per cohort (default 100)")
    parser.add_argument("--guides", type=int, default=500, help="guides (default 500)")
    parser.add_argument("--runs", type=int, default=1, help="cold builds per size (default 1)")
    parser.add_argument("--work", type=Path, default=HERE / "_work",
                        help="scratch folder (default benchmarks/_work, git-ignored)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--src", type=Path, help="measure the rmsite package in this folder")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(n) for n in args.cohorts.split(",") if n.strip()]
    except ValueError:
        parser.error(f"--cohorts: expected numbers separated by commas, not {args.cohorts!r}")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        parser.error("--cohorts and --runs must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.src is not None:
        use_source(args.src)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)
    say(f"byte-compiled {byte_compile_rmsite()}, as an installed copy is")
    results = [measure_size(n, args.pairs, args.guides, args.runs, args.work, args.seed, say) for n in args.sizes]
    sys.stdout.write(report(results, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
