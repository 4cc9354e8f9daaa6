"""The link check's own time: every page of a built programme read for its links and ids
(`extract`), then every link checked (`check_links`), by the link check of one or more
rmsite source trees, alternated round by round in one process; then, with --builds,
whole cold builds with each tree, alternated, timing the same two steps inside them.

    .venv/bin/python benchmarks/link_check.py [--cohorts 20 --pairs 50 --guides 1000 --runs 10]
                                              [--builds N] [--src DIR ...]

`--src` names a tree's `src/` folder (default: this checkout's), for example an export of
an earlier commit: `git archive COMMIT src | tar -x -C /tmp/before`. The programme is
generated and built once (with this checkout's rmsite); the pages are read into memory
before the clock starts. Times are CPU seconds, medians over the rounds or builds; each
tree's is compared with the first one's. In a build the pages are read in the worker
processes that render them; the step's time there is the sum over the processes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import generate  # noqa: E402

from rmsite.core.problems import Loc  # noqa: E402

PARTS = ("extract", "check", "total")
# A cold build whose two link check steps note their CPU time in a file, one line a call
# (worker processes leave without running exit handlers, so each call writes its own line).
TIMED_BUILD = """
import os, sys, time
import rmsite.output.pages as pages
import rmsite.pipeline.build as build
from rmsite.cli import main
log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
def timed(kind, function):
    def call(*args):
        started = time.process_time()
        result = function(*args)
        os.write(log, f"{kind} {time.process_time() - started}\\n".encode())
        return result
    return call
pages.extract_links = timed("extract", pages.extract_links)
build.check_page_links = timed("check", build.check_page_links)
main(["build", "--no-cache", "-s", sys.argv[2], "-o", sys.argv[3]])
"""


def link_check(src: Path, number: int) -> ModuleType:
    """The link check module of a source tree, loaded under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"links_{number}", src / "rmsite/output/links.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def built(site: Path, out: Path) -> Path:
    """The programme built into `out`, once."""
    if not (out / ".rmsite").is_file():
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        subprocess.run([sys.executable, "-m", "rmsite", "build", "--no-cache", "-s", str(site), "-o", str(out)],
                       check=True, capture_output=True, env=env)
    return out


def one_round(module: ModuleType, pages: list[tuple[str, str]], files: set[str]) -> dict[str, float]:
    started = time.process_time()
    page_links = [module.extract(path, text) for path, text in pages]
    read = time.process_time()
    report = module.check_links(page_links, files, "/", lambda path: Loc(path))
    done = time.process_time()
    assert not report.problems, report.problems[:3]
    return {"extract": read - started, "check": done - read, "total": done - started}


def timed_build(src: Path, site: Path, out: Path, log: Path) -> dict[str, float]:
    """One cold build with the tree `src`: the link check's steps (CPU, all processes), and the
    build's wall and CPU time (with the worker processes it waited for)."""
    shutil.rmtree(out, ignore_errors=True)
    log.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", TIMED_BUILD, str(log), str(site), str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0, f"the build with {src} failed"
    steps = {"extract": 0.0, "check": 0.0}
    for line in log.read_text().splitlines():
        kind, seconds = line.split()
        steps[kind] += float(seconds)
    return {**steps, "total": steps["extract"] + steps["check"], "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime}


def report(sources: list[Path], times: list[dict[str, list[float]]], parts: tuple[str, ...]) -> None:
    """Each tree's medians, and their change from the first tree's."""
    first = {part: statistics.median(times[0][part]) for part in parts}
    for src, measured in zip(sources, times):
        medians = {part: statistics.median(measured[part]) for part in parts}
        shown = "  ".join(f"{part} {medians[part]:.3f} s ({100 * (medians[part] / first[part] - 1):+.1f}%)"
                          for part in parts)
        print(f"{src}: {shown}")


def main(argv: list[str] | None = None) -> None:
    parser = generate.programme_arguments(__doc__.split("\n\n")[0], HERE / "_work", runs=10, guides=1000)
    parser.set_defaults(pairs=50)
    parser.add_argument("--src", type=Path, action="append", help="an rmsite src/ folder (repeat to compare)")
    parser.add_argument("--builds", type=int, default=0, help="cold builds with each tree (default 0)")
    args = parser.parse_args(argv)
    sources = [src.resolve() for src in args.src or [REPO / "src"]]
    site = generate.generated(args, "links")
    out = built(site, args.work / f"{site.name}-out")
    pages = [(path.relative_to(out).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(out.rglob("*.html"))]
    files = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    modules = [link_check(src, number) for number, src in enumerate(sources)]
    times: list[dict[str, list[float]]] = [{part: [] for part in PARTS} for _ in modules]
    for round_number in range(args.runs):
        order = list(range(len(modules)))
        for number in order if round_number % 2 == 0 else order[::-1]:
            for part, seconds in one_round(modules[number], pages, files).items():
                times[number][part].append(seconds)
    megabytes = sum(len(text) for _, text in pages) / 1e6
    print(f"programme: {args.cohorts} cohorts x {args.pairs} pairs, {args.guides} guides; "
          f"{len(pages)} pages ({megabytes:.1f} MB); {args.runs} rounds each")
    report(sources, times, PARTS)
    if args.builds:
        builds: list[dict[str, list[float]]] = [{part: [] for part in (*PARTS, "wall", "cpu")} for _ in sources]
        for build_number in range(args.builds):
            order = list(range(len(sources)))
            for number in order if build_number % 2 == 0 else order[::-1]:
                made = timed_build(sources[number], site, args.work / "links-cold", args.work / "links-times.txt")
                for part, seconds in made.items():
                    builds[number][part].append(seconds)
        print(f"cold builds: {args.builds} each")
        report(sources, builds, (*PARTS, "wall", "cpu"))


if __name__ == "__main__":
    main()
