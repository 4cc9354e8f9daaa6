"""How long `rmsite import` takes: 2,000 check-in answers (a Microsoft Forms-shaped CSV,
every pair's mentor and mentee at several dates) into one cohort of 100 pairs, in a
programme of 20 such cohorts, as a whole process (Python's start included).

    .venv/bin/python benchmarks/import_speed.py [--rows 2000 --pairs 100 --cohorts 20 --runs 5]

Each run imports into a fresh copy of the cohort file (all rows added); a last run imports
the same file again (all unchanged). The target (docs/importing.md) is under 2 s, and only
site.yml and the one cohort file are read. Each figure is the wall time and the CPU time (user
and system) of the whole process; on a busy machine the CPU time moves less.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import generate  # noqa: E402

MAPPING = """kind: check-ins
cohort: {cohort}
columns:
  person: Email
  stage: Which check-in is this?
  date: Completion time
  scores.confidence: How confident are you?
  scores.relationship: How is the relationship going?
  comment: Anything else?
values:
  stage: {{Before we start: before, Halfway: during, At the end: after}}
dates: day-first
"""


def export(cohort_file: Path, rows: int) -> str:
    """A check-in form's answers from the cohort's people, each row a new check-in."""
    data = yaml.safe_load(cohort_file.read_text())
    emails = {p["id"]: p["email"] for p in data["people"]}
    people = [emails[pair[side]] for pair in data["pairs"] for side in ("mentor", "mentee")]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ID", "Start time", "Completion time", "Email", "Name", "Which check-in is this?",
                     "How confident are you?", "How is the relationship going?", "Anything else?"])
    start = dt.datetime(2031, 1, 1, 9, 0)
    for i in range(rows):
        when = (start + dt.timedelta(days=i // len(people))).strftime("%d/%m/%Y %H:%M:%S")
        writer.writerow([i + 1, when, when, people[i % len(people)], "", "Halfway", 1 + i % 5, 1 + i % 4,
                         f"Comment {i}"])
    return out.getvalue()


def timed(site: Path, mapping: Path, data: Path) -> tuple[float, float, str]:
    """The import's wall time, its CPU time (user and system: what other work on the machine
    changes least) and its last line."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "rmsite", "import", str(mapping), str(data), "-s", str(site)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"rmsite import failed:\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, err.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> None:
    parser = generate.programme_arguments(__doc__.split("\n\n")[0], HERE / "_work", runs=5, guides=None)
    parser.add_argument("--rows", type=generate.positive, default=2000)
    args = parser.parse_args(argv)
    site = generate.generated(args, "import")
    cohort = sorted((site / "cohorts").glob("*.yml"))[0]
    original = cohort.read_bytes()
    (site / "imports").mkdir(exist_ok=True)
    mapping = site / "imports" / "check-ins.yml"
    mapping.write_text(MAPPING.format(cohort=cohort.stem))
    data = site / "imports" / "check-ins.csv"
    data.write_text(export(cohort, args.rows))
    times, cpu, summary = [], [], ""
    try:
        for _ in range(args.runs):
            cohort.write_bytes(original)
            seconds, used, summary = timed(site, mapping, data)
            times.append(seconds)
            cpu.append(used)
        again, again_cpu, unchanged = timed(site, mapping, data)
    finally:
        cohort.write_bytes(original)
    shutil.rmtree(site / "imports")
    print(f"programme: {args.cohorts} cohorts x {args.pairs} pairs; {args.rows} rows into {cohort.name} "
          f"({len(original) // 1024} KB); {args.runs} runs")
    print(f"import, every row added:   {statistics.median(times):.2f} s (median; {min(times):.2f}-{max(times):.2f}), "
          f"CPU {statistics.median(cpu):.2f} s  [{summary}]")
    print(f"the same file again:       {again:.2f} s, CPU {again_cpu:.2f} s  [{unchanged}]")


if __name__ == "__main__":
    main()
