"""Spread CPU-bound work over the machine's cores with forked worker processes.

jieba segmentation and Jinja rendering are pure Python and hold the GIL, so
threads do not help; processes do. Workers are forked after the expensive
state (jieba's dictionary, the loaded archive, the page plan) exists, so
they inherit it copy-on-write instead of pickling it. Results come back in
input order, so output stays deterministic whatever the scheduling.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable[[Any], Any] | None = None  # set in the parent just before forking


def default_jobs() -> int:
    """Cores this process may use (respects CPU affinity and NEWSARCHIVE_JOBS)."""
    env = os.environ.get("NEWSARCHIVE_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Run a block that builds many long-lived objects and no garbage cycles (loading the
    archive, planning the pages) with the cycle collector off: it would only scan the
    growing heap again and again, a quarter of those steps' time. Back on afterwards;
    workers forked meanwhile by ordered_map turn it on for themselves."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _start_worker() -> None:
    """Workers collect cycles as usual, even when forked from a block
    without_cycle_collector, and leave Ctrl-C to the parent, which stops them: the
    maintainer sees one message, not a traceback from every core."""
    gc.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    return [_run(item) for item in chunk]


def ordered_map(
    task: Callable[[T], R], items: Sequence[T], jobs: int | None = None, chunk: int = 0
) -> Iterator[R]:
    """Yield task(item) for every item, in order, using up to `jobs` forked processes.

    With one job, or fewer items than would pay for a fork, it runs inline:
    the same code path tests exercise, and no process overhead for tiny sites.
    """
    global _TASK
    jobs = jobs or default_jobs()
    # Everything alive now (dictionaries, the archive, the page plan) lives on unchanged:
    # frozen, the cycle collector stops re-scanning it after every few thousand new
    # objects (that cost indexing 2-3x), and forked workers stop copying it on write.
    gc.freeze()
    try:
        if (
            jobs <= 1
            or len(items) < 2 * jobs
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            yield from (task(item) for item in items)
            return
        size = chunk or max(1, min(256, len(items) // (jobs * 8)))
        _TASK = task
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
            for results in pool.imap(_run_chunk, _chunks(items, size)):
                yield from results
    finally:
        _TASK = None
        gc.unfreeze()


def consume(results: Iterable[Any]) -> int:
    """Drain an iterator, returning how many items it produced."""
    return sum(1 for _ in results)
