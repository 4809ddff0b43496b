"""Engines: run the pure core over a stream of inputs, in order, on one or several processes or a Ray cluster.

Both engines keep at most `2 x workers` batches in flight, so memory stays flat however long the input
stream is, and yield results in input order. Each worker (process or Ray actor) loads `Resources` once and
runs the same `process`, so the engines give identical output for the same input. Ray is an optional
extra (`pip install eventdesk[ray]`), imported only when the Ray engine runs.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from eventdesk import errors
from eventdesk.ingest.article import build
from eventdesk.ingest.readers import Failure, Item
from eventdesk.model import Analysis
from eventdesk.pipeline import Resources, analyze_batch

Result = Analysis | Failure
BATCH_SIZE = 8
# Results leave in input order, so one slow batch (a long article) holds back everything after it. With only
# two batches per worker in flight the other workers soon ran dry behind it; six keeps them busy while memory
# stays bounded (6 x 8 articles per worker).
IN_FLIGHT_PER_WORKER = 6
RAY_MISSING = "the Ray engine needs the ray extra: pip install 'eventdesk[ray]'"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


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
    _WORKER = _load(settings)


def _load(settings: Settings) -> Resources:
    resources = Resources.load(settings.outlet_files, settings.dictionaries)
    # The gazetteer and the actor knowledge are millions of objects that never change: keep the garbage
    # collector from walking them again after every few thousand allocations.
    gc.collect()
    gc.freeze()
    return resources


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
        resources = _load(settings)
        for batch in _batches(items, batch_size):
            yield from process(batch, resources)
        return
    global _WORKER
    pool_args: dict[str, Any]
    if sys.platform.startswith("linux"):
        # Load once here and fork: the workers share the loaded (and frozen) knowledge copy-on-write instead of
        # each loading its own, which on two cores cost a sixth of the run's CPU. Nothing here holds a thread
        # or a connection the workers use; they leave through os._exit, so no finaliser of ours runs twice.
        _WORKER = _load(settings)
        ctx = get_context("fork")
        pool_args = {}
    else:  # macOS and Windows: fork is unsafe or missing; a clean interpreter per worker
        ctx = get_context("spawn")
        pool_args = {"initializer": _init_worker, "initargs": (settings,)}
    with ProcessPoolExecutor(workers, mp_context=ctx, **pool_args) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for batch in _batches(items, batch_size):
            pending.append(pool.submit(_work, batch))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


class _RayWorker:
    """A Ray actor's state: one `Resources`, loaded when the actor starts and kept for every batch."""

    def __init__(self, settings: Settings) -> None:
        self._resources = _load(settings)

    def work(self, items: list[Item]) -> list[Result]:
        return process(items, self._resources)


def run_ray(
    items: Iterable[Item],
    workers: int | None = None,
    settings: Settings = Settings(),
    batch_size: int = BATCH_SIZE,
    address: str | None = None,
) -> Iterator[Result]:
    """Results in input order, computed by `workers` Ray actors (default: one per CPU of the cluster).

    Connects to the cluster at `address`, or starts a local Ray instance and shuts it down at the end. On a
    remote cluster every node needs eventdesk installed (the actors import it). Raises ImportError
    (with RAY_MISSING) when ray is not installed.
    """
    try:
        import ray
    except ImportError as exc:
        raise ImportError(RAY_MISSING) from exc
    started = not ray.is_initialized()
    # Ray itself reads RAY_ADDRESS when no address is given: then it is a running cluster too.
    address = address or os.environ.get("RAY_ADDRESS") or None
    if started:
        ray.init(
            address=address or None,
            include_dashboard=False,
            logging_level=logging.ERROR,
            # Only a local instance is ours to size; a running cluster refuses num_cpus.
            num_cpus=None if address else (workers or default_workers()),
            # Actors' stdout would land in ours, which carries the results: keep it clean.
            log_to_driver=False,
        )
    try:
        workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor_cls: Any = ray.remote(num_cpus=1)(_RayWorker)
        actors = [actor_cls.remote(settings) for _ in range(workers)]
        pending: deque[Any] = deque()
        # Round-robin: each actor queues its batches; consuming in submission order keeps input order.
        for n, batch in enumerate(_batches(items, batch_size)):
            pending.append(actors[n % workers].work.remote(batch))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from ray.get(pending.popleft())
        while pending:
            yield from ray.get(pending.popleft())
    finally:
        if started:
            ray.shutdown()
