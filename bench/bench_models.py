"""Training and prediction speed of every model family, against a baseline in the same run.

The baseline is spaCy's blank English tokenizer over the same prediction documents: the
least any family must do (every family tokenizes). `x baseline` says how many times
longer a family takes to predict than tokenizing alone. CPU seconds of this process are
shown beside wall seconds, since on a shared machine other work stretches the wall clock.

    .venv/bin/python bench/bench_models.py [--corpus corpus] [--tasks events,blame]
        [--families rules,sklearn,spacy] [--copies 4]

Without a corpus of at least 10 train documents it uses a synthetic one (the numbers
then describe speed, not accuracy).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

from standoff.core.records import input_view
from standoff.corpus.store import Corpus
from standoff.models.api import load_model, train_model
from standoff.models.synthetic import write_synthetic_corpus

REPO = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], object]) -> tuple[tuple[float, float], object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - wall, time.process_time() - cpu), out


def pick_corpus(path: Path, tmp: Path, console: Console) -> Path:
    if (path / "documents.jsonl").exists():
        train = sum(1 for d in Corpus.open(path).documents() if d.split == "train")
        if train >= 10:
            return path
        console.print(f"[yellow]{path} has {train} train documents; using a synthetic corpus")
    return write_synthetic_corpus(tmp / "corpus", REPO / "annotation" / "schema.yaml",
                                  REPO / "annotation" / "actors.yaml", n_docs=60, sentences=20)


def bench(corpus: Path, tasks: list[str], families: list[str], copies: int,
          overrides: list[str], console: Console) -> Table:
    docs = [input_view(d) for d in Corpus.open(corpus).documents()] * copies
    tokens = sum(d.tokens or 0 for d in docs)
    nlp = spacy.blank("en")
    base, _ = timed(lambda: [nlp.make_doc(d.text) for d in docs])
    table = Table(title=f"model speed: {len(docs)} documents, {tokens} tokens to predict")
    for col in ("model", "train wall s", "train CPU s", "predict wall s", "predict CPU s",
                "docs/s", "x baseline", "dev headline"):
        table.add_column(col, justify="left" if col in ("model", "dev headline") else "right")
    table.add_row("baseline: spaCy blank tokenizer", "", "", f"{base[0]:.2f}", f"{base[1]:.2f}",
                  f"{len(docs) / base[0]:.0f}", "1.0", "")
    with tempfile.TemporaryDirectory(prefix="bench-models-") as tmp:
        for task in tasks:
            for family in families:
                extra = overrides if family == "spacy" else None
                fit, path = timed(lambda t=task, f=family, e=extra: train_model(
                    t, f, corpus, Path(tmp), overrides=e))
                model = load_model(f"{task}/{path.name}", Path(tmp))
                run, _ = timed(lambda m=model: list(m.predict(docs)))
                metrics = json.loads((path / "manifest.json").read_text())["dev_metrics"]
                head = metrics.get(metrics["headline"])
                table.add_row(f"{task}/{family}", f"{fit[0]:.1f}", f"{fit[1]:.1f}",
                              f"{run[0]:.2f}", f"{run[1]:.2f}", f"{len(docs) / run[0]:.0f}",
                              f"{run[1] / max(base[1], 1e-9):.0f}",
                              f"{metrics['headline']} {head:.3f}" if head is not None else "")
                console.print(f"done {task}/{family}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--tasks", default="events,actors,blame,stance")
    parser.add_argument("--families", default="rules,sklearn,spacy")
    parser.add_argument("--copies", type=int, default=1, help="repeat the documents N times")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="spaCy config override, e.g. training.max_epochs=5")
    args = parser.parse_args()
    console = Console(width=150)  # a readable table in logs, too
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        corpus = pick_corpus(args.corpus, Path(tmp), console)
        console.print(bench(corpus, args.tasks.split(","), args.families.split(","),
                            args.copies, args.overrides, console))


if __name__ == "__main__":
    main()
