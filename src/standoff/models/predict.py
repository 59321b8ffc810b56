"""Streaming prediction to a JSONL file: batches in, documents out, written atomically.

`predict_stream` is a plain generator over documents, so it can be split into shards and
run by several workers without changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from standoff.core.io import write_jsonl_atomic
from standoff.core.model import Document
from standoff.core.paths import ProjectPaths
from standoff.models.api import LoadedModel, load_model
from standoff.models.inputs import open_input


@dataclass
class PredictionSummary:
    model: str
    documents: int
    spans: int
    relations: int
    out: Path


def predict_stream(model: LoadedModel, docs: Iterable[Document], batch_size: int = 64,
                   gold_mentions: bool = False) -> Iterator[Document]:
    yield from model.predict(docs, batch_size=batch_size, gold_mentions=gold_mentions)


def default_output(paths: ProjectPaths, model: LoadedModel, input_name: str) -> Path:
    return paths.root / "predictions" / f"{model.task}-{model.version}-{input_name}.jsonl"


def predict_to_file(ref: str, source: str, out: Path | None = None, batch_size: int = 64,
                    gold_mentions: bool = False, paths: ProjectPaths | None = None,
                    corpus_dir: Path | None = None, models_dir: Path | None = None,
                    console: Console | None = None) -> PredictionSummary:
    """Predict on a file, folder, JSONL or split; write JSONL atomically; show progress."""
    paths = paths or ProjectPaths.default()
    model = load_model(ref, models_dir or paths.models)
    keep = model.spec.given_layers if gold_mentions else frozenset()
    source_input = open_input(source, corpus_dir or paths.corpus, keep)
    out = Path(out) if out else default_output(paths, model, source_input.name)
    counts = {"spans": 0, "relations": 0}
    with Progress(TextColumn(f"predicting {model.ref}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task("docs", total=source_input.total)

        def tracked() -> Iterator[Document]:
            for doc in predict_stream(model, source_input.documents, batch_size, gold_mentions):
                counts["spans"] += len(doc.annotation.spans)
                counts["relations"] += len(doc.annotation.relations)
                bar.advance(task)
                yield doc

        n = write_jsonl_atomic(out, tracked())
    return PredictionSummary(model.ref, n, counts["spans"], counts["relations"], out)
