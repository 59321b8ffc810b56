"""Prediction at scale: streamed input, sharded resumable output, N processes or Dask.

    standoff predict events/sklearn archive.jsonl.gz --out preds/ --workers 2
    standoff predict events/sklearn s3://bucket/archive/ --out preds/ --engine dask \
        --scheduler tcp://10.0.0.5:8786

The input is read lazily (`models.inputs.open_input` over `core.streams`: JSONL, .gz,
Parquet, HF datasets, text files, fsspec URLs, corpus splits), cut into chunks of
`batch_size` documents, and each chunk is predicted by a processor that loads the model
once per worker (`model_processor`, run through `core.parallel`). Chunks come back in
input order, so the output does not depend on the number of workers, the engine or the
batch size. A folder as `--out` gets shards and a manifest (`core.shards`), so a killed
run resumes with `--resume`; a `.jsonl` file is written atomically at the end. A worker
that dies stops a local run with an error naming the kept shards (Dask reschedules).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from standoff.core.errors import StandoffError
from standoff.core.io import write_jsonl_atomic
from standoff.core.model import Document
from standoff.core.parallel import ProcessorSpec, WorkerDied, chunked, map_dask, map_local
from standoff.core.paths import ProjectPaths
from standoff.core.schema import Schema
from standoff.core.shards import ShardWriter
from standoff.core.streams import OnError, input_name
from standoff.models.inputs import SPLITS, open_input
from standoff.models.store import read_manifest, resolve_ref
from standoff.models.tasks import TaskSpec, task_spec

Engine = Literal["local", "dask"]
ENGINES = ("local", "dask")
DEFAULT_SHARD_SIZE = 1000


# -- the processor every worker builds once ------------------------------------------------


def model_processor(ref: str, models_dir: str, batch_size: int, gold_mentions: bool,
                    threads: int | None = None) -> Callable[[list[dict]], list[dict]]:
    """Load the model once; return a function from input records to predicted records.

    `threads` caps BLAS/OpenMP threads in this worker: N workers with N threads each on N
    cores would fight over them.
    """
    from standoff.models.api import load_model

    if threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    model = load_model(ref, Path(models_dir))

    def process(records: list[dict]) -> list[dict]:
        docs = [Document.model_validate(r) for r in records]
        out = model.predict(docs, batch_size=batch_size, gold_mentions=gold_mentions)
        return [d.model_dump(mode="json", exclude_none=True) for d in out]

    return process


# -- the run ---------------------------------------------------------------------------------


@dataclass
class ScaleSummary:
    model: str
    documents: int  # written by this invocation
    spans: int
    relations: int
    out: Path
    sharded: bool
    resumed_from: int = 0  # documents already done by an earlier run
    skipped: list[str] = field(default_factory=list)  # "file:line: message" per bad record
    # From the start of the call to the first predicted document: start-up (processes or
    # cluster, model loads) plus one batch. None when nothing was predicted.
    first_output_seconds: float | None = None


def default_workers(engine: str) -> int:
    """Without --workers: one process locally; a local Dask cluster sized to the machine."""
    return max(1, os.cpu_count() or 1) if engine == "dask" else 1


@dataclass
class ScaleOptions:
    batch_size: int = 64
    workers: int = 1  # processes, or the workers of the LocalCluster (not of --scheduler)
    engine: Engine = "local"
    scheduler: str | None = None
    shard_size: int = DEFAULT_SHARD_SIZE
    resume: bool = False
    on_error: OnError = "stop"
    gold_mentions: bool = False

    def check(self) -> None:
        if self.engine not in ENGINES:
            raise StandoffError(f"unknown engine {self.engine!r}", field="--engine",
                                hint="use local or dask")
        if self.on_error not in ("skip", "stop"):
            raise StandoffError(f"unknown --on-error {self.on_error!r}", field="--on-error",
                                hint="use skip or stop")
        for name, value in (("--batch-size", self.batch_size), ("--workers", self.workers),
                            ("--shard-size", self.shard_size)):
            if value < 1:
                raise StandoffError(f"{name} must be at least 1, not {value}", field=name)
        if self.scheduler and self.engine != "dask":
            raise StandoffError("--scheduler needs --engine dask", field="--scheduler")
        if self.scheduler:
            check_scheduler(self.scheduler)


def check_scheduler(address: str, timeout: float = 3.0) -> None:
    """Fail fast and clearly on an address no scheduler listens on (Dask would retry for
    its whole connect timeout and then raise a bare OSError)."""
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    hint = ("start one with `dask scheduler` (and `dask worker ADDRESS`), or leave out "
            "--scheduler to run a local cluster on this machine")
    if parsed.scheme not in ("tcp", "tls", "inproc", "ucx", "ws", "wss"):
        raise StandoffError(f"unknown scheduler protocol {parsed.scheme!r} in {address!r}",
                            field="--scheduler", hint="use tcp://HOST:PORT")
    try:
        host, port = parsed.hostname, parsed.port
    except ValueError as err:
        raise StandoffError(f"bad scheduler address {address!r}: {err}", field="--scheduler",
                            hint="use tcp://HOST:PORT") from err
    if parsed.scheme not in ("tcp", "tls") or not host:
        return
    if port is None:
        raise StandoffError(f"scheduler address {address!r} has no port", field="--scheduler",
                            hint="use tcp://HOST:PORT (Dask's default port is 8786)")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as err:
        raise StandoffError(f"cannot reach a Dask scheduler at {address}: {err}",
                            field="--scheduler", hint=hint) from err


def model_identity(ref: str, models_dir: Path) -> tuple[str, dict[str, Any], TaskSpec]:
    """`TASK/VERSION`, the manifest and the task, without loading the model (workers do)."""
    task, version, path = resolve_ref(ref, models_dir)
    return f"{task}/{version}", read_manifest(path), task_spec(task,
                                                               Schema.load(path / "schema.yaml"))


def predicted_stream(spec: ProcessorSpec, docs: Iterable[Document], opts: ScaleOptions
                     ) -> Iterator[Document]:
    """Predicted documents in input order, whatever the engine and worker count."""
    records = (d.model_dump(mode="json", exclude_none=True) for d in docs)
    chunks = chunked(records, opts.batch_size)
    if opts.engine == "dask":
        results = map_dask(spec, chunks, scheduler=opts.scheduler, workers=opts.workers)
    else:
        results = map_local(spec, chunks, workers=opts.workers)
    for chunk in results:
        for record in chunk:
            yield Document.model_validate(record)


def _sharded_out(out: Path) -> bool:
    return out.suffix.lower() not in (".jsonl", ".json")


def predict_scaled(ref: str, source: str, out: Path, opts: ScaleOptions | None = None,
                   paths: ProjectPaths | None = None, corpus_dir: Path | None = None,
                   models_dir: Path | None = None, console: Console | None = None,
                   ) -> ScaleSummary:
    """Predict on `source` with `opts`; `out` a folder (shards + manifest) or a JSONL file."""
    started = time.perf_counter()
    opts = opts or ScaleOptions()
    opts.check()
    paths = paths or ProjectPaths.default()
    models_dir = Path(models_dir or paths.models)
    model_ref, manifest, model_task = model_identity(ref, models_dir)
    keep = model_task.given_layers if opts.gold_mentions else frozenset()
    source_input = open_input(source, corpus_dir or paths.corpus, keep, opts.on_error)
    threads = 1 if opts.workers > 1 or opts.engine == "dask" else None
    spec = ProcessorSpec(model_processor, (model_ref, str(models_dir.resolve()),
                                           opts.batch_size, opts.gold_mentions, threads))
    out = Path(out)
    summary = ScaleSummary(model_ref, 0, 0, 0, out, _sharded_out(out))
    run = {"model": model_ref, "model_created": manifest.get("created"),
           "input": _input_identity(source), "gold_mentions": opts.gold_mentions}
    writer = ShardWriter(out, opts.shard_size, run, opts.resume) if summary.sharded else None
    docs: Iterator[Document] = source_input.documents
    if writer is not None and writer.done_documents:
        summary.resumed_from = writer.done_documents
        docs = islice(docs, writer.done_documents, None)  # read past, not predicted again
    with _progress(model_ref, console) as bar:
        total = source_input.total
        bar_id = bar.add_task("docs", total=total, completed=summary.resumed_from)
        outputs = _counted(predicted_stream(spec, docs, opts), summary,
                           lambda: bar.advance(bar_id), started)
        try:
            if writer is None:
                write_jsonl_atomic(out, outputs)
            else:
                for shard in chunked(outputs, opts.shard_size):
                    writer.write(shard)
        except WorkerDied as err:
            raise _stopped_by_dead_worker(err, out, writer) from err
    summary.skipped = [f"{b.where}: {b.message}" for b in source_input.report.skipped]
    if writer is not None:
        writer.finish({"skipped": summary.skipped})
    return summary


def _stopped_by_dead_worker(err: WorkerDied, out: Path, writer: ShardWriter | None
                            ) -> StandoffError:
    """The error a user sees: what died, what is kept, and how to continue."""
    if writer is None:
        return StandoffError(f"{err.message}; nothing was written (a .jsonl output is "
                             "written at the end)", file=str(out),
                             hint="run again; --out DIR writes shards that --resume can "
                                  f"continue after. {err.hint or ''}".strip())
    kept = (f"{len(writer.shards)} finished shards ({writer.done_documents} documents, "
            f"{writer.shards[0]['name']} to {writer.shards[-1]['name']}) are kept"
            if writer.shards else "no shard had finished")
    return StandoffError(f"{err.message}; {kept}", file=str(out),
                         hint="run the same command with --resume to continue after the "
                              f"finished shards. {err.hint or ''}".strip())


def _input_identity(source: str) -> str:
    return source if "://" in source else str(Path(source).resolve())


def _counted(docs: Iterable[Document], summary: ScaleSummary, tick: Callable[[], None],
             started: float) -> Iterator[Document]:
    for doc in docs:
        if summary.first_output_seconds is None:
            summary.first_output_seconds = time.perf_counter() - started
        summary.documents += 1
        summary.spans += len(doc.annotation.spans)
        summary.relations += len(doc.annotation.relations)
        tick()
        yield doc


def _progress(ref: str, console: Console | None) -> Progress:
    return Progress(TextColumn(f"predicting {ref}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


# -- what `standoff predict` runs --------------------------------------------------------------


def uses_scale(source: str, out: Path | None, opts: ScaleOptions, shard_size_given: bool
               ) -> bool:
    """Whether a `standoff predict` call needs this module; without any of its options
    the command behaves exactly as it always did (models.predict.predict_to_file)."""
    return (opts.workers > 1 or opts.engine != "local" or opts.scheduler is not None
            or opts.resume or opts.on_error != "stop" or shard_size_given
            or (out is not None and _sharded_out(Path(out))))


def default_out(paths: ProjectPaths, model_ref: str, name: str) -> Path:
    task, version = model_ref.split("/", 1)
    return paths.root / "predictions" / f"{task}-{version}-{name}.jsonl"


def predict_command(ref: str, source: str, out: Path | None, opts: ScaleOptions,
                    paths: ProjectPaths, corpus_dir: Path | None, console: Console,
                    ) -> ScaleSummary:
    """`standoff predict` with scale options: default output name, then `predict_scaled`."""
    if out is None:
        model_ref, _, _ = model_identity(ref, paths.models)
        name = source if source in SPLITS and not Path(source).exists() else input_name(source)
        out = default_out(paths, model_ref, name)
    summary = predict_scaled(ref, source, out, opts, paths, corpus_dir, console=console)
    for line in summary.skipped[:20]:
        console.print(f"[yellow]skipped[/] {line}", highlight=False, soft_wrap=True)
    if len(summary.skipped) > 20:
        console.print(f"[yellow]... and {len(summary.skipped) - 20} more skipped records[/]")
    resumed = f" (resumed after {summary.resumed_from})" if summary.resumed_from else ""
    console.print(f"{summary.model}: {summary.documents} documents{resumed}, {summary.spans} "
                  f"spans, {summary.relations} relations, {len(summary.skipped)} skipped "
                  f"-> {summary.out}", highlight=False)
    return summary
