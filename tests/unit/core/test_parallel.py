"""Work spread over forked processes: the same results as working in one process."""

from __future__ import annotations

import os
import threading

import pytest

from rmsite.core.parallel import WorkerFailed, can_fork, cycles_collected, fork_each, fork_map, worker_count

needs_fork = pytest.mark.skipif(not can_fork(), reason="forking workers needs Linux and a single thread")


def squares_with_pid(share):
    return [(n * n, os.getpid()) for n in share]


@needs_fork
def test_fork_map_splits_the_work_between_processes_and_keeps_share_order():
    results = fork_map(squares_with_pid, list(range(10)), 3)
    assert [[v for v, _ in chunk] for chunk in results] == [[0, 9, 36, 81], [1, 16, 49], [4, 25, 64]]
    pids = {pid for chunk in results for _, pid in chunk}
    assert len(pids) == 3 and os.getpid() not in pids


def test_one_worker_works_in_this_process():
    assert fork_map(squares_with_pid, [2, 3], 1) == [[(4, os.getpid()), (9, os.getpid())]]


def fail_on_three(share):
    if 3 in share:
        raise ValueError("three is not allowed")
    return list(share)


@needs_fork
def test_an_exception_in_a_worker_is_raised_in_the_parent_with_its_traceback():
    with pytest.raises(WorkerFailed, match="ValueError: three is not allowed"):
        fork_map(fail_on_three, [1, 2, 3, 4], 2)


def die(share):
    os._exit(9)


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerFailed, match="without a result"):
        fork_map(die, [1, 2], 2)


def square_with_pid(n):
    return n * n, os.getpid()


@needs_fork
def test_fork_each_gives_every_result_in_item_order_from_the_workers():
    results = fork_each(square_with_pid, list(range(10)), 3, lambda r: (r[0] + 1, r[1]))
    assert [v for v, _ in results] == [n * n + 1 for n in range(10)]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids


def test_fork_each_with_one_worker_works_here():
    assert fork_each(square_with_pid, [2, 3], 1) == [(4, os.getpid()), (9, os.getpid())]


def fail_on_item_three(n):
    if n == 3:
        raise ValueError("three is not allowed")
    return n


@needs_fork
def test_fork_each_raises_a_workers_exception_in_the_parent():
    with pytest.raises(WorkerFailed, match="ValueError: three is not allowed"):
        fork_each(fail_on_item_three, [1, 2, 3, 4, 5, 6], 2)


def die_on_item_three(n):
    if n == 3:
        os._exit(9)
    return n


@needs_fork
def test_fork_each_with_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerFailed, match="without all its results"):
        fork_each(die_on_item_three, [1, 2, 3, 4], 2)


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: freed only by the cycle collector


def test_each_pieces_cycles_are_collected_while_the_collector_is_paused():
    import gc
    import weakref

    enabled = gc.isenabled()
    gc.disable()
    try:
        kept = Node()  # made before: frozen, left alone, and unfrozen after
        with cycles_collected() as collect:
            node = Node()
            gone = weakref.ref(node)
            del node
            collect()
            assert gone() is None
        assert gc.get_freeze_count() == 0 and kept.me is kept
    finally:
        if enabled:
            gc.enable()


def test_worker_count_honours_jobs_and_stays_serial_with_threads():
    if can_fork():
        assert worker_count(10, jobs=4) == 4
        assert worker_count(3, jobs=4) == 3
        assert worker_count(5) == 1  # too little work to be worth a fork
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_count(10_000, jobs=4) == 1
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_meanwhile_runs_here_while_the_workers_work(tmp_path):
    """The workers wait for a file that only `meanwhile` writes: they finish only if it ran
    here after they were forked and before their results were collected."""
    flag = tmp_path / "meanwhile-ran"

    def wait_for_flag(share):
        import time
        for _ in range(500):
            if flag.exists():
                return [os.getpid()]
            time.sleep(0.01)
        return []
    ran: list[int] = []
    results = fork_map(wait_for_flag, [1, 2], 2, meanwhile=lambda: (ran.append(os.getpid()), flag.touch()))
    assert ran == [os.getpid()]
    assert all(len(chunk) == 1 and chunk[0] != os.getpid() for chunk in results)


def test_meanwhile_does_not_run_without_workers():
    ran: list[int] = []
    assert fork_map(squares_with_pid, [2], 1, meanwhile=lambda: ran.append(1)) == [[(4, os.getpid())]]
    assert ran == []
