"""Ordered, bounded parallel maps over chunks of documents: one process, N processes, or Dask.

A *processor factory* is a top-level function plus arguments that builds the expensive
object (a loaded model) once per worker; each chunk is then processed by it. Chunks go out
through a sliding window (at most `2 x workers` in flight) and come back in input order,
so memory does not grow with the input and the output does not depend on worker count.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# A processor takes a list of JSON-ready records and returns a list of records.
Processor = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass(frozen=True)
class ProcessorSpec:
    """How to build a processor in a worker: `factory(*args)` must return a Processor."""

    factory: Callable[..., Processor]
    args: tuple[Any, ...] = field(default_factory=tuple)

    def build(self) -> Processor:
        return self.factory(*self.args)


_WORKER_PROCESSOR: Processor | None = None


def _init_worker(spec: ProcessorSpec) -> None:
    global _WORKER_PROCESSOR
    _WORKER_PROCESSOR = spec.build()


def _run_in_worker(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert _WORKER_PROCESSOR is not None, "worker was not initialised"
    return _WORKER_PROCESSOR(chunk)


def map_local(spec: ProcessorSpec, chunks: Iterable[list[dict[str, Any]]],
              workers: int = 1) -> Iterator[list[dict[str, Any]]]:
    """In-process for workers=1; otherwise a pool of `workers` spawned processes."""
    if workers <= 1:
        processor = spec.build()
        for chunk in chunks:
            yield processor(chunk)
        return
    ctx = mp.get_context("spawn")  # fork would copy loaded BLAS/thread state
    with ctx.Pool(workers, initializer=_init_worker, initargs=(spec,)) as pool:
        window: deque = deque()
        for chunk in chunks:
            window.append(pool.apply_async(_run_in_worker, (chunk,)))
            if len(window) >= 2 * workers:
                yield window.popleft().get()
        while window:
            yield window.popleft().get()


class _ProcessorPlugin:
    """A Dask WorkerPlugin that builds the processor once when a worker starts."""

    name = "standoff-processor"

    def __init__(self, spec: ProcessorSpec) -> None:
        self.spec = spec

    def setup(self, worker) -> None:  # noqa: ANN001 (dask passes its Worker)
        worker.standoff_processor = self.spec.build()


def _run_on_dask_worker(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from distributed import get_worker

    return get_worker().standoff_processor(chunk)


def map_dask(spec: ProcessorSpec, chunks: Iterable[list[dict[str, Any]]],
             scheduler: str | None = None, workers: int | None = None,
             retries: int = 2) -> Iterator[list[dict[str, Any]]]:
    """On a Dask cluster: `scheduler` address, or a LocalCluster on 127.0.0.1.

    A task whose worker dies is retried on another worker (`retries`).
    """
    from distributed import Client, LocalCluster, WorkerPlugin

    plugin_cls = type("StandoffProcessorPlugin", (_ProcessorPlugin, WorkerPlugin), {})
    cluster = None
    if scheduler is None:
        n = workers or max(1, mp.cpu_count())
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=None, processes=True)
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        client.register_plugin(plugin_cls(spec))
        in_flight = 2 * max(1, len(client.scheduler_info()["workers"]))
        window: deque = deque()
        for chunk in chunks:
            window.append(client.submit(_run_on_dask_worker, chunk, pure=False,
                                        retries=retries))
            if len(window) >= in_flight:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
