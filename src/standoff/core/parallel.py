"""Ordered, bounded parallel maps over chunks of documents: one process, N processes, or Dask.

A *processor factory* is a top-level function plus arguments that builds the expensive
object (a loaded model) once per worker; each chunk is then processed by it. Chunks go out
through a sliding window (at most `2 x workers` in flight) and come back in input order,
so memory does not grow with the input and the output does not depend on worker count.

A worker that dies (killed, out of memory) is handled per engine:

- local processes (`map_local`): the pool is broken and the map raises `WorkerDied` at
  once (never hangs); the caller names what finished and how to resume.
- Dask (`map_dask`): the scheduler reschedules the dead worker's tasks on other workers.
  What limits that is `distributed.scheduler.allowed-failures` (how many worker deaths
  one task may see), not `retries` (which re-runs a task that raised an exception). Only
  when one chunk has killed more workers than allowed does the map raise `WorkerDied`.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from standoff.core.errors import StandoffError

# A processor takes a list of JSON-ready records and returns a list of records.
Processor = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]

# Worker deaths one Dask task may see before it fails (Dask's own default is 3).
ALLOWED_FAILURES = 3


class WorkerDied(StandoffError):
    """A worker process died and its chunk could not be finished; `done` chunks came back."""

    def __init__(self, message: str, done: int, hint: str | None = None) -> None:
        self.done = done
        super().__init__(message, hint=hint)


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
    """In-process for workers=1; otherwise a pool of `workers` spawned processes.

    Raises `WorkerDied` if a worker process dies: a pool cannot tell which chunk was lost,
    so the map stops rather than wait for a result that will never come.
    """
    if workers <= 1:
        processor = spec.build()
        for chunk in chunks:
            yield processor(chunk)
        return
    ctx = mp.get_context("spawn")  # fork would copy loaded BLAS/thread state
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(spec,))
    window: deque[Future] = deque()
    done = 0
    try:
        for chunk in chunks:
            window.append(pool.submit(_run_in_worker, chunk))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
                done += 1
        while window:
            yield window.popleft().result()
            done += 1
    except BrokenProcessPool as err:
        raise WorkerDied(f"a worker process died (killed, out of memory, or its start-up "
                         f"failed: {err}) after {done} chunks came back", done,
                         hint="See the system log (dmesg) for the OOM killer.") from err
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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


def local_cluster(workers: int | None = None, allowed_failures: int = ALLOWED_FAILURES):
    """A LocalCluster on 127.0.0.1: one single-threaded worker process (with a nanny that
    restarts it) per core, or `workers`; a task may see `allowed_failures` worker deaths."""
    import dask
    from distributed import LocalCluster

    n = workers or max(1, mp.cpu_count())
    # The scheduler reads allowed-failures when it is created, so set it around creation.
    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        return LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1",
                            dashboard_address=None, processes=True)


def map_dask(spec: ProcessorSpec, chunks: Iterable[list[dict[str, Any]]],
             scheduler: str | None = None, workers: int | None = None,
             retries: int = 2, allowed_failures: int = ALLOWED_FAILURES,
             ) -> Iterator[list[dict[str, Any]]]:
    """On a Dask cluster: `scheduler` address, or a LocalCluster on 127.0.0.1.

    A task whose worker dies is rescheduled on another worker, up to `allowed_failures`
    deaths per task; this applies to the LocalCluster started here. A cluster given by
    `scheduler` uses its own setting (`distributed.scheduler.allowed-failures` in the
    scheduler's config, default 3). `retries` re-runs a task that raised an exception.
    """
    from distributed import Client, KilledWorker, WorkerPlugin

    plugin_cls = type("StandoffProcessorPlugin", (_ProcessorPlugin, WorkerPlugin), {})
    cluster = None
    if scheduler is None:
        cluster = local_cluster(workers, allowed_failures)
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    done = 0
    try:
        client.register_plugin(plugin_cls(spec))
        in_flight = 2 * max(1, len(client.scheduler_info()["workers"]))
        window: deque = deque()
        for chunk in chunks:
            window.append(client.submit(_run_on_dask_worker, chunk, pure=False,
                                        retries=retries))
            if len(window) >= in_flight:
                yield window.popleft().result()
                done += 1
        while window:
            yield window.popleft().result()
            done += 1
    except KilledWorker as err:
        raise WorkerDied(f"Dask workers kept dying on one chunk after {done} chunks came back "
                         f"({err})", done,
                         hint="a chunk that kills every worker is often out of memory: lower "
                              "--batch-size or give the workers more memory; the limit is "
                              "distributed.scheduler.allowed-failures") from err
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
