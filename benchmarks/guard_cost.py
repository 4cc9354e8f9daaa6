"""What the leak guard costs: cold builds of a generated programme with the guard as it is,
and with a guard that has no values to look for (it then returns at once), alternated.

    .venv/bin/python benchmarks/guard_cost.py [--cohorts 20 --pairs 100 --guides 500 --runs 3]

Each build is `rmsite build --no-cache` in a fresh process, into a fresh folder; the figure
is the median of each kind and their difference as a share of the build without the guard.
The target (docs/privacy.md) is at most 10%.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import generate  # noqa: E402

BUILD = """
import sys
from rmsite.cli import main
if sys.argv[1] == "off":
    import rmsite.output.privacy as privacy
    from rmsite.pipeline import build, check
    def no_values(programme, memo, root=None):
        return privacy.LeakGuard([])
    build.leak_guard = check.leak_guard = no_values
main(["build", "--no-cache", "-s", sys.argv[2], "-o", sys.argv[3]])
"""


def timed(kind: str, site: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}  # this checkout's rmsite, whichever is installed
    subprocess.run([sys.executable, "-c", BUILD, kind, str(site), str(out)], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    args = generate.programme_arguments(__doc__.split("\n\n")[0], HERE / "_work").parse_args(argv)
    site = generate.generated(args, "guard")
    out = args.work / "guard-out"
    times: dict[str, list[float]] = {"on": [], "off": []}
    timed("on", site, out)  # a first build warms the file system's caches
    for _ in range(args.runs):
        for kind in ("on", "off"):
            times[kind].append(timed(kind, site, out))
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    shutil.rmtree(out, ignore_errors=True)
    print(f"programme: {args.cohorts} cohorts x {args.pairs} pairs, {args.guides} guides; {args.runs} runs each")
    print(f"cold build with the leak guard:    {on:.2f} s (median; {min(times['on']):.2f}-{max(times['on']):.2f})")
    print(f"cold build without it:             {off:.2f} s (median; {min(times['off']):.2f}-{max(times['off']):.2f})")
    print(f"the guard's cost:                  {on - off:+.2f} s ({(on - off) / off:+.1%})")


if __name__ == "__main__":
    main()
