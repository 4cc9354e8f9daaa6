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
import select
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


def fork_map(work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int,
             meanwhile: Callable[[], object] | None = None) -> list[R]:
    """`work` applied to `workers` interleaved shares of `items`, one per process;
    the results in share order. With one worker, runs `work(items)` here. `meanwhile`,
    if given, runs here while the workers work, and only then: something this process
    would otherwise do alone later, with a core idle."""
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
        if meanwhile is not None:
            meanwhile()
        return [cast(R, _collect(pid, read)) for pid, read in children]
    finally:
        for pid, read in children:
            _close_quietly(read)
            _reap(pid)


def fork_each(work: Callable[[T], R], items: Sequence[T], workers: int,
              arrived: Callable[[R], R] | None = None) -> list[R]:
    """`work` applied to each item, in `workers` processes that take interleaved shares of
    the items; the results in item order, each passed through `arrived` (here) as it comes.
    Unlike fork_map, a worker sends each result back as soon as it is made, and collects the
    reference cycles the item left (cycles_collected), so a worker holds one item's work at a
    time, however many it does. With one worker, the items are done here, one after the
    other, in the same way."""
    keep = arrived if arrived is not None else _same
    if workers <= 1:
        with cycles_collected() as collect:
            done = []
            for item in items:
                done.append(keep(work(item)))
                collect()
            return done
    results: list[object] = [_MISSING] * len(items)
    children: dict[int, tuple[int, bytearray]] = {}  # read end -> (pid, bytes not yet whole)
    try:
        for first in range(workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: each of its items, sent as it is done; never returns
                os.close(read)
                _run_each(work, items, range(first, len(items), workers), write)
            os.close(write)
            children[read] = (pid, bytearray())
        _collect_each(children, results, cast(Callable[[object], object], keep))
        return cast(list[R], results)
    finally:
        for read, (pid, _) in children.items():
            _close_quietly(read)
            _reap(pid)


def _same(value: R) -> R:
    return value


_MISSING = object()
FRAME = 8  # bytes of a frame's length, before its pickle


def _run_each(work: Callable[[T], R], items: Sequence[T], indexes: range, fd: int) -> None:
    code = 0
    pipe = os.fdopen(fd, "wb")
    try:
        try:
            with cycles_collected() as collect:
                for index in indexes:
                    payload = pickle.dumps((index, work(items[index])), protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.write(len(payload).to_bytes(FRAME, "little"))
                    pipe.write(payload)
                    pipe.flush()
                    del payload
                    collect()
        except BaseException:  # noqa: BLE001 (everything goes back to the parent, which decides)
            code = 1
            payload = pickle.dumps((-1, traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
            pipe.write(len(payload).to_bytes(FRAME, "little"))
            pipe.write(payload)
        pipe.flush()
    finally:
        os._exit(code)  # skip the parent's cleanup handlers (atexit, open files, temp folders)


def _collect_each(children: dict[int, tuple[int, bytearray]], results: list[object],
                  keep: Callable[[object], object]) -> None:
    """Read every child's results as they come, each child's pipe whenever it has data."""
    open_fds = set(children)
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [])
        for fd in ready:
            pid, buffer = children[fd]
            data = os.read(fd, 1 << 20)
            if data:
                buffer += data
                while len(buffer) >= FRAME and len(buffer) >= FRAME + int.from_bytes(buffer[:FRAME], "little"):
                    size = int.from_bytes(buffer[:FRAME], "little")
                    index, value = pickle.loads(buffer[FRAME:FRAME + size])
                    del buffer[:FRAME + size]
                    if index < 0:
                        raise WorkerFailed(f"a worker process failed:\n{value}")
                    results[index] = keep(value)
                continue
            open_fds.discard(fd)
            if buffer:
                raise WorkerFailed("a worker process ended in the middle of a result")
    if any(result is _MISSING for result in results):
        raise WorkerFailed("a worker process ended without all its results")


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
    they are collected when it ends, or after each piece of work (cycles_collected)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def cycles_collected() -> Iterator[Callable[[], object]]:
    """While the collector is paused, for work done in pieces that each leave reference cycles
    behind (a Jinja template's macros and their context, say, which hold the page's view):
    a function that collects what the last piece left. What existed before is frozen
    (gc.freeze), so only the piece's own objects are walked, however much the process holds,
    and a forked worker does not touch, and so copy, the memory it shares with its parent.
    Everything frozen here is unfrozen at the end."""
    def collect() -> None:
        gc.collect()
        gc.freeze()
    gc.freeze()
    try:
        yield collect
    finally:
        gc.unfreeze()
