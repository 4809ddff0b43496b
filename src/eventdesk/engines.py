"""Engines: run the pure core over a stream of inputs, in order, on one or several processes.

The local engine keeps at most `2 x workers` batches in flight, so memory stays flat however long the input
stream is, and yields results in input order. Each worker process loads `Resources` once.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from eventdesk import errors
from eventdesk.ingest.article import build
from eventdesk.ingest.readers import Failure, Item
from eventdesk.model import Analysis
from eventdesk.pipeline import Resources, analyze_batch

Result = Analysis | Failure
BATCH_SIZE = 8
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class Settings:
    outlet_files: tuple[Path, ...] = ()
    dictionaries: tuple[Path, ...] = ()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def process(items: Sequence[Item], resources: Resources) -> list[Result]:
    """One batch: build articles, parse them together, and keep failures in their places."""
    out: list[Result | None] = [None] * len(items)
    good: list[tuple[int, list]] = []
    articles = []
    for i, item in enumerate(items):
        if isinstance(item, Failure):
            out[i] = item
            continue
        try:
            article, problems = build(item, resources.outlets)
        except errors.InputError as exc:
            out[i] = Failure(item.source, exc.problem)
            continue
        good.append((i, problems))
        articles.append(article)
    for (i, problems), analysis in zip(good, analyze_batch(articles, resources), strict=True):
        analysis.errors[:0] = problems
        out[i] = analysis
    return [r for r in out if r is not None]


_WORKER: Resources | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    # One thread per worker process: the pool is the parallelism; BLAS threads would oversubscribe.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Resources.load(settings.outlet_files, settings.dictionaries)


def _work(items: list[Item]) -> list[Result]:
    assert _WORKER is not None, "worker not initialised"
    return process(items, _WORKER)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def run_local(
    items: Iterable[Item],
    workers: int | None = None,
    settings: Settings = Settings(),
    batch_size: int = BATCH_SIZE,
) -> Iterator[Result]:
    """Results in input order. workers=1 runs in this process."""
    workers = workers or default_workers()
    if workers <= 1:
        resources = Resources.load(settings.outlet_files, settings.dictionaries)
        for batch in _batches(items, batch_size):
            yield from process(batch, resources)
        return
    ctx = get_context("spawn")  # a clean interpreter per worker: no inherited threads or half-loaded state
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for batch in _batches(items, batch_size):
            pending.append(pool.submit(_work, batch))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
