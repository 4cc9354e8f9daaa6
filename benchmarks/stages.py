"""Where a cold `rmsite build` spends its time, stage by stage.

    python benchmarks/stages.py SITE [--jobs N] [--runs 3] [--markdown]

Builds SITE cold (a new output folder, no cache) in this process, `--runs` times, with the
build's stages wrapped in timers, and prints a Markdown table of each stage's median: its
wall time, the CPU time of this (the main) process in it, and the CPU time of the worker
processes it forked and waited for (from getrusage(RUSAGE_CHILDREN)). Stages run one after
the other in the main process, so their wall times add up to the build's, less what is
between them; "start-up" is starting Python and importing rmsite, measured in a separate
interpreter. With --jobs 1 there are no workers, so the CPU column is each stage's own cost.
With --markdown, a second table: the guides' Markdown alone, converted with rmsite's converter
and with bare Python-Markdown given the same extensions, and half of each, the floor of
converting them on two cores.

The stages are the functions pipeline/build.py calls; the table names them. Not part of
rmsite's test suite; test_benchmarks.py runs it on a small site.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (module, function, what it is): in the order a build calls them
STAGES = [
    ("rmsite.pipeline.check", "load_config", "read site.yml"),
    ("rmsite.pipeline.check", "load_cohorts", "read and check the cohorts"),
    ("rmsite.pipeline.check", "load_guides", "read the guides' front matter"),
    ("rmsite.pipeline.check", "convert_guides", "convert the guides' Markdown (workers; templates compiled meanwhile)"),
    ("rmsite.pipeline.build", "plan_pages", "plan every page"),
    ("rmsite.pipeline.build", "guide_leaks", "leak guard over the guides' HTML (workers)"),
    ("rmsite.pipeline.build", "make_by_cohort", "render and write the pages (workers)"),
    ("rmsite.pipeline.other_files", "write_search_index", "search index (workers, in blocks)"),
    ("rmsite.pipeline.build", "check_page_links", "link check of every page"),
    ("rmsite.pipeline.build", "save_cache", "save the build cache"),
]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrap(totals: dict[str, list[float]], module: Any, name: str) -> None:
    """Replace module.name with a timed copy that adds to totals[name]: wall, own CPU, workers' CPU."""
    inner: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        wall, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
        try:
            return inner(*args, **kwargs)
        finally:
            row = totals.setdefault(name, [0.0, 0.0, 0.0])
            row[0] += time.perf_counter() - wall
            row[1] += time.process_time() - cpu
            row[2] += children_cpu() - workers
    setattr(module, name, timed)


def start_up() -> float:
    """Seconds to start Python and import what `rmsite build` imports, in a new interpreter."""
    code = "import rmsite.cli, rmsite.pipeline.build"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def measure(site: Path, jobs: int | None, runs: int) -> tuple[list[dict[str, list[float]]], list[float], list[float]]:
    """Per run: the stages' totals, the whole build's wall time, and the start-up's."""
    import importlib

    from rmsite.pipeline.build import build_with_cache
    from rmsite.pipeline.options import Options

    rounds: list[dict[str, list[float]]] = []
    totals: dict[str, list[float]] = {}
    for module_name, name, _ in STAGES:
        wrap(totals, importlib.import_module(module_name), name)
    builds, starts = [], []
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="rmsite-stages-"))
        shutil.rmtree(site / ".rmsite-cache", ignore_errors=True)
        totals.clear()
        started = time.perf_counter()
        result = build_with_cache(Options(site, out / "site", jobs=jobs))
        builds.append(time.perf_counter() - started)
        shutil.rmtree(out, ignore_errors=True)
        if not result.written:
            raise SystemExit("stages.py: the build failed:\n" + "\n".join(p.format() for p in result.problems))
        rounds.append({name: list(row) for name, row in totals.items()})
        starts.append(start_up())
    return rounds, builds, starts


def report(rounds: list[dict[str, list[float]]], builds: list[float], starts: list[float], jobs: int | None) -> str:
    def median(name: str, column: int) -> float:
        return statistics.median(r.get(name, [0.0, 0.0, 0.0])[column] for r in rounds)
    lines = [f"Cold builds, {len(rounds)} runs, medians; jobs: {jobs or 'one per core'}.", "",
             "| stage | what it does | wall | main process CPU | workers' CPU |", "|---|---|---:|---:|---:|",
             f"| start-up | Python started, rmsite imported | {statistics.median(starts):.2f} s | | |"]
    for _, name, what in STAGES:
        lines.append(f"| `{name}` | {what} | {median(name, 0):.2f} s | {median(name, 1):.2f} s | {median(name, 2):.2f} s |")
    staged = sum(median(name, 0) for _, name, _ in STAGES)
    lines.append(f"| the rest | between the stages: output folder, page keys, the swap | "
                 f"{max(0.0, statistics.median(builds) - staged):.2f} s | | |")
    lines.append(f"| **build** | from `build_with_cache` to its return (start-up not included) | "
                 f"**{statistics.median(builds):.2f} s** | | |")
    return "\n".join(lines) + "\n"


def markdown_alone(site: Path, runs: int) -> str:
    """The guides' Markdown converted in this process, nothing else: with rmsite's converter,
    and with bare Python-Markdown given the same extensions and settings (as MkDocs is in
    peers.py); the CPU time, and half of it, the floor on two cores."""
    import markdown

    from rmsite.site.markdown import EXTENSION_CONFIGS, EXTENSIONS, GuideConverter
    from rmsite.site.markdown_gfm import LIBRARY_CONFIGS, LIBRARY_EXTENSIONS
    from rmsite.source.guides import load_guides

    guides, _ = load_guides(site)
    names = [e for e in EXTENSIONS if isinstance(e, str)]
    bare = markdown.Markdown(extensions=names[:-1] + LIBRARY_EXTENSIONS + names[-1:],
                             extension_configs={**EXTENSION_CONFIGS, **LIBRARY_CONFIGS})
    ours = GuideConverter({g.rel: g.page_path for g in guides})

    def with_bare() -> None:
        for guide in guides:
            bare.reset()
            bare.convert(guide.body)

    def with_ours() -> None:
        for guide in guides:
            ours.convert(guide)
    lines = [f"{len(guides)} guides' Markdown alone, one process, {runs} runs, medians.", "",
             "| converter | CPU time | on two cores, at best |", "|---|---:|---:|"]
    for label, convert in (("rmsite's (site/markdown.py)", with_ours),
                           ("bare Python-Markdown, the same extensions", with_bare)):
        times = []
        for _ in range(runs):
            started = time.process_time()
            convert()
            times.append(time.process_time() - started)
        cpu = statistics.median(times)
        lines.append(f"| {label} | {cpu:.2f} s | {cpu / 2:.2f} s |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a programme folder (holding site.yml), e.g. from generate.py")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true",
                        help="also time the guides' Markdown alone, with rmsite's converter and bare Python-Markdown")
    args = parser.parse_args(argv)
    rounds, builds, starts = measure(args.site.resolve(), args.jobs, args.runs)
    sys.stdout.write(report(rounds, builds, starts, args.jobs))
    if args.markdown:
        sys.stdout.write("\n" + markdown_alone(args.site.resolve(), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
