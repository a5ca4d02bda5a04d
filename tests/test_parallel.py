"""Parallel map: same results, same order, whatever the number of workers."""

import os
import time

from newsarchive.parallel import ordered_map, without_cycle_collector


def _square_with_pid(n: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that both workers take chunks
    return n * n, os.getpid()


def test_results_keep_input_order_across_processes() -> None:
    items = list(range(500))
    results = list(ordered_map(_square_with_pid, items, jobs=2, chunk=7))
    assert [r for r, _ in results] == [n * n for n in items]
    assert len({pid for _, pid in results}) >= 2  # really ran in more than one process


def test_small_input_runs_inline() -> None:
    results = list(ordered_map(_square_with_pid, [1, 2], jobs=2))
    assert [r for r, _ in results] == [1, 4]
    assert {pid for _, pid in results} == {os.getpid()}


def _collecting(_: int) -> bool:
    import gc

    return gc.isenabled()


def test_cycle_collector_off_in_the_block_and_on_in_its_workers() -> None:
    import gc

    assert gc.isenabled()
    with without_cycle_collector():
        assert not gc.isenabled()
        # load_archive forks parsers inside such a block: they must still collect.
        assert set(ordered_map(_collecting, list(range(16)), jobs=2)) == {True}
    assert gc.isenabled()
