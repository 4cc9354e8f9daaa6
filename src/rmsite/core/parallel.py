"""Spreading independent work (converting guides, rendering pages) over the
machine's cores with forked worker processes.

A forked child shares the parent's memory as it was at the fork, so the
work needs no pickling; only results travel back, through a pipe. Forking
is used only where it is safe and worth it: on Linux, from a process with a
single thread (the `serve` command has several, so it works serially), and
for enough items. Otherwise the same function runs in this process."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 64  # below this a fork costs more than it saves


class WorkerFailed(RuntimeError):
    """A worker process raised or died; carries the worker's traceback when it has one."""


def worker_count(items: int, jobs: int | None = None) -> int:
    """How many processes to use for `items` pieces of work (1: none, work here).

    `jobs` is what the user asked for; without it, one per core, as long as
    each gets enough work to be worth a fork."""
    if not can_fork():
        return 1
    if jobs is not None:
        return max(1, min(jobs, items))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // MIN_ITEMS_PER_WORKER))


def can_fork() -> bool:
    """Forking copies only the calling thread, so only a single-threaded process on Linux forks."""
    return hasattr(os, "fork") and sys.platform == "linux" and threading.active_count() == 1


def fork_map(work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int) -> list[R]:
    """`work` applied to `workers` interleaved shares of `items`, one per process;
    the results in share order. With one worker, runs `work(items)` here."""
    if workers <= 1:
        return [work(items)]
    shares = [items[i::workers] for i in range(workers)]
    children: list[tuple[int, int]] = []
    try:
        for share in shares:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: do the work, send the result, never return
                os.close(read)
                _run_child(work, share, write)
            os.close(write)
            children.append((pid, read))
        return [cast(R, _collect(pid, read)) for pid, read in children]
    finally:
        for pid, read in children:
            _close_quietly(read)
            _reap(pid)


def _run_child(work: Callable[[Sequence[T]], R], share: Sequence[T], fd: int) -> None:
    code = 0
    try:
        payload = pickle.dumps(("ok", work(share)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 (everything goes back to the parent, which decides)
        payload = pickle.dumps(("error", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
        code = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)  # skip the parent's cleanup handlers (atexit, open files, temp folders)


def _collect(pid: int, fd: int) -> object:
    """What a worker sent back (its `work`'s result), once it is whole."""
    with os.fdopen(fd, "rb", closefd=False) as pipe:
        data = pipe.read()
    if not data:
        _, status = os.waitpid(pid, 0)
        raise WorkerFailed(f"a worker process ended without a result (status {status})")
    kind, value = pickle.loads(data)
    if kind != "ok":
        raise WorkerFailed(f"a worker process failed:\n{value}")
    return value


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a build: it would walk the whole programme's
    objects again and again (a sixth of a large build's time), and in forked workers it
    would touch, and so copy, memory they share with the parent. A build makes few cycles;
    they are collected when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
