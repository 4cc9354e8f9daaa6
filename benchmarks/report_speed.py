"""The coordinator's report against a cold build: `rmsite report` and `rmsite build --no-cache`
of a generated programme, alternated, each in a fresh process.

    .venv/bin/python benchmarks/report_speed.py [--cohorts 20 --pairs 100 --guides 500 --runs 3]

The figures are the medians of each and the report's size. The targets (docs/report.md): the
report in less time than the cold build, and its file under 15 MB.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import generate  # noqa: E402
import measure  # noqa: E402


def timed(args: list[str]) -> measure.Process:
    """rmsite, of this checkout whichever is installed, as a whole process: its time and memory."""
    return measure.run_process([sys.executable, "-m", "rmsite", *args],
                               env={**os.environ, "PYTHONPATH": str(REPO / "src")})


def main(argv: list[str] | None = None) -> None:
    args = generate.programme_arguments(__doc__.split("\n\n")[0], HERE / "_work").parse_args(argv)
    site = generate.generated(args, "report")
    out, report = args.work / "report-out", args.work / "report.html"
    runs: dict[str, list[measure.Process]] = {"build": [], "report": []}
    commands = {"build": ["build", "--no-cache", "-s", str(site), "-o", str(out)],
                "report": ["report", "-s", str(site), "-o", str(report)]}
    shutil.rmtree(site / ".rmsite-cache", ignore_errors=True)  # the report reads the build cache: none, as cold
    timed(commands["build"])  # a first build warms the file system's caches
    for _ in range(args.runs):
        for kind in ("build", "report"):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(site / ".rmsite-cache", ignore_errors=True)
            runs[kind].append(timed(commands[kind]))
    times = {kind: [run.seconds for run in done] for kind, done in runs.items()}
    build, made = statistics.median(times["build"]), statistics.median(times["report"])
    memory = {kind: max(run.largest_kb for run in done) for kind, done in runs.items()}
    size = report.stat().st_size
    shutil.rmtree(out, ignore_errors=True)
    print(f"programme: {args.cohorts} cohorts x {args.pairs} pairs, {args.guides} guides; {args.runs} runs each")
    print(f"cold build:  {build:.2f} s (median; {min(times['build']):.2f}-{max(times['build']):.2f})")
    print(f"report:      {made:.2f} s (median; {min(times['report']):.2f}-{max(times['report']):.2f}), "
          f"{made / build:.0%} of the build; target under 100%: {'met' if made < build else 'missed'}")
    print(f"report size: {size / 1e6:.1f} MB; target under 15 MB: {'met' if size < 15e6 else 'missed'}")
    print(f"peak memory: build {measure.mib(memory['build'])}, report {measure.mib(memory['report'])}")


if __name__ == "__main__":
    main()
