"""What run.py and peers.py share: running and measuring commands, editing
guides, formatting figures and describing the machine.

`run_process` runs a command to completion and returns its wall time, its CPU
time, two peak-memory figures and its output:

- `largest_kb`: the maximum resident set size of the largest single process,
  from os.wait4. The kernel folds the peaks of every child the command waited
  for into it, so a build that forks workers reports its biggest process, not
  the sum of processes alive at once.
- `all_kb`: the largest sum, over samples taken every SAMPLE_SECONDS, of the
  proportional set size (PSS, from /proc/PID/smaps_rollup) of the command and
  all its descendants. PSS divides pages shared between processes (such as a
  forked worker's copy-on-write pages) among them, so the sum does not count
  them twice. Peaks shorter than the sampling interval can be missed.
- `peaks_kb`: the sum over every process of the tree of its own peak resident
  set size (VmHWM in /proc/PID/status, as last sampled before it ended): an
  upper bound of the tree's memory at any one moment, since the processes need
  not peak together and the pages a forked worker shares with its parent count
  in both. A process that lives less than the sampling interval can be missed.

`TreeMemory` is the sampler on its own, for measuring the runner's own process
(and anything it starts) while, for example, a preview server runs in it.
"""

from __future__ import annotations

import compileall
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
PROC = Path("/proc")


class BenchmarkError(RuntimeError):
    """A step failed: a tool exited with an error, or an edit never showed up."""


@dataclass(frozen=True)
class Process:
    """A finished command, measured."""

    seconds: float  # wall time, start-up included
    cpu_seconds: float  # user + system time of the command and the children it waited for
    largest_kb: int  # the largest single process's maximum resident set size
    all_kb: int  # the largest sampled sum of the process tree's PSS (0 if /proc could not say)
    stdout: str
    stderr: str
    peaks_kb: int = 0  # the sum of each process's own peak RSS (VmHWM): an upper bound (0 if unknown)


def parent_pids() -> dict[int, int]:
    """Every process's parent, from /proc/PID/stat."""
    parents = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "PID (comm) "; comm may hold spaces
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree(root: int) -> list[int]:
    """root and all its descendants alive now."""
    children: dict[int, list[int]] = {}
    for pid, parent in parent_pids().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def pss_kb(pid: int) -> int:
    """A process's proportional set size in KiB (its resident size if PSS is unavailable), 0 if gone."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        found = _status_kb(pid, name, key)
        if found is not None:
            return found
    return 0


def peak_rss_kb(pid: int) -> int:
    """A process's own peak resident set size so far (VmHWM) in KiB, 0 if gone."""
    return _status_kb(pid, "status", "VmHWM:") or 0


def _status_kb(pid: int, name: str, key: str) -> int | None:
    try:
        text = (PROC / str(pid) / name).read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return None


class TreeMemory:
    """Samples the memory of a process and its descendants in a thread until stopped."""

    def __init__(self, root: int, interval: float = SAMPLE_SECONDS) -> None:
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self.peaks: dict[int, int] = {}  # each process's own peak RSS, as last sampled
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @property
    def peaks_kb(self) -> int:
        """The sum of each process's own peak RSS: an upper bound of the tree's at any moment."""
        return sum(self.peaks.values())

    def sample(self) -> None:
        pids = tree(self.root)
        self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in pids))
        for pid in pids:
            self.peaks[pid] = max(self.peaks.get(pid, 0), peak_rss_kb(pid))

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.sample()
            except (OSError, ValueError, IndexError):  # /proc changed under us; try again next time
                pass
            self.stopping.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        if PROC.is_dir():
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()


def run_process(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Process:
    """Run a command to completion, measured; BenchmarkError if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
        except OSError as error:
            raise BenchmarkError(f"cannot run {command[0]}: {error}") from error
        with TreeMemory(process.pid) as memory:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        tail = "\n".join((stderr or stdout).splitlines()[-20:])
        raise BenchmarkError(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    return Process(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, memory.peak_kb, stdout, stderr,
                   memory.peaks_kb)


# --- rmsite --------------------------------------------------------------------

def use_source(src: Path) -> None:
    """Measure the rmsite package in src (e.g. an exported commit) instead of the installed one."""
    if not (src / "rmsite" / "__init__.py").is_file():
        raise SystemExit(f"run.py: {src} does not hold the rmsite package (expected {src}/rmsite/)")
    path = str(src.resolve())
    sys.path.insert(0, path)  # for the in-process preview server
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH")]))


def byte_compile_rmsite() -> Path:
    """Byte-compile the rmsite package that will be measured, as pip does when it installs
    one, and return its folder. A checkout's modules are otherwise compiled again by every
    run where Python may not write its caches (PYTHONDONTWRITEBYTECODE, a read-only
    checkout): a third of a second of each build, which no installed copy pays, and which
    the peers, installed by pip, do not pay either."""
    found = subprocess.run([sys.executable, "-c", "import os, rmsite; print(os.path.dirname(rmsite.__file__))"],
                           capture_output=True, text=True, check=True)
    folder = Path(found.stdout.strip())
    if not compileall.compile_dir(folder, quiet=1):
        raise BenchmarkError(f"cannot byte-compile the rmsite package in {folder}")
    return folder


def rmsite_command() -> list[str]:
    """The `rmsite` console script beside this interpreter, else `python -m rmsite`."""
    script = Path(sys.executable).with_name("rmsite")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rmsite"]


# --- edits ---------------------------------------------------------------------

def unique_marker(kind: str, number: int) -> str:
    """A word that appears nowhere else in the site."""
    return f"benchmarkmarker{kind}{number}x{time.time_ns() % 10**9}"


def append_marker(file: Path, marker: str) -> None:
    """Append a sentence holding the marker to a guide, as an editor's save would."""
    text = file.read_text(encoding="utf-8")
    file.write_text(f"{text.rstrip()}\n\nEdited for the benchmark: {marker}.\n", encoding="utf-8")


def guide_page(output: Path, guide_rel: str) -> Path:
    """The built page of a content-relative guide path (`content/a/b.md` → `a/b/index.html`)."""
    return output / guide_rel.removeprefix("content/").removesuffix(".md") / "index.html"


def html_pages(output: Path) -> tuple[int, int]:
    """The number of HTML pages in a built site and their total size in bytes."""
    sizes = [page.stat().st_size for page in output.rglob("*.html")]
    return len(sizes), sum(sizes)


# --- formatting ----------------------------------------------------------------

def seconds(value: float) -> str:
    """A duration for a table: seconds from 1 s up, else milliseconds."""
    if value != value:  # NaN: rmsite's message did not give a time
        return "n/a"
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def mib(kb: float) -> str:
    """KiB as MiB for a table ("n/a" when nothing was measured)."""
    return f"{kb / 1024:,.0f} MiB" if kb else "n/a"


def verdict(met: bool) -> str:
    """A target's result."""
    return "**met**" if met else "**missed**"


# --- the machine ---------------------------------------------------------------

def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo, else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_total() -> str:
    """Installed RAM from /proc/meminfo."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.1f} GiB RAM"
    except OSError:
        pass
    return "unknown RAM"


def rmsite_version() -> str:
    """rmsite's version and where it came from: the git commit of the checkout it is in, else its folder."""
    import rmsite

    package = Path(rmsite.__file__).resolve().parent
    checkout = package.parent.parent  # src/rmsite → the checkout
    try:
        git = ["git", "-C", str(checkout)]
        top, commit = subprocess.run(git + ["rev-parse", "--show-toplevel", "--short", "HEAD"],
                                     capture_output=True, text=True, check=True).stdout.split()
        if Path(top).resolve() != checkout:  # an exported copy inside some other repository
            raise subprocess.CalledProcessError(0, "git")
        dirty = subprocess.run(git + ["status", "--porcelain", "--", str(package)],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):  # not in a git checkout, e.g. an exported commit
        return f"{rmsite.__version__} from an exported copy (`--src`)"
    changes = ", with uncommitted changes" if dirty else ""
    return f"{rmsite.__version__} from its checkout (git {commit}{changes})"


def machine() -> str:
    """One line describing where the figures came from."""
    return (f"{os.cpu_count()} × {cpu_model()}, {memory_total()}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; rmsite {rmsite_version()}")
