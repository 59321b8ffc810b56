"""Scoring speed of the evaluation harness on 1k and 10k synthetic documents.

The documents are copies of the corpus under new ids; the predictions are the same
documents with seeded mistakes (standoff.eval.synthetic.perturb). Each row times one
stage; the baseline is nervaluate scoring the same trigger spans in the same run, so
the ratio says how our events scorer (four schemes, per type, plus the sentence-level
labels nervaluate does not do) compares with the reference implementation.

    .venv/bin/python bench/bench_eval.py [--corpus corpus] [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nervaluate import Evaluator
from rich.console import Console
from rich.table import Table

from standoff.core.io import read_documents, write_jsonl_atomic
from standoff.core.schema import EVENT_TYPES
from standoff.eval.base import E2E, GOLD_ACTORS
from standoff.eval.data import GoldHash, check_prediction, read_jsonl_documents
from standoff.eval.events import trigger_ents
from standoff.eval.runner import TASKS, score_documents, summarize
from standoff.eval.synthetic import perturb, replicate


def timed(fn: Callable[[], object]) -> tuple[tuple[float, float], object]:
    """((wall seconds, CPU seconds of this process), result): CPU time is what to compare
    on a shared machine, where other work stretches the wall clock."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - wall, time.process_time() - cpu), out


def nervaluate_triggers(gold, preds) -> None:
    def spans(doc):
        return [{"label": e.label, "start": e.start, "end": e.end - 1} for e in trigger_ents(doc)]

    Evaluator([spans(d) for d in gold], [spans(preds[d.id]) for d in gold],
              tags=list(EVENT_TYPES), loader="dict").evaluate()


def bench(docs, n: int, resamples: int, console: Console) -> list[tuple[str, tuple, float]]:
    gold = replicate(docs, n)
    preds = {d.id: perturb(d, seed=1) for d in gold}
    rows = []
    base, _ = timed(lambda: nervaluate_triggers(gold, preds))
    rows.append(("baseline: nervaluate, trigger spans (4 schemes, per type)", base, 1.0))
    schema = _schema()
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / "gold.jsonl", Path(tmp) / "preds.jsonl"]
        write_jsonl_atomic(files[0], gold)
        write_jsonl_atomic(files[1], preds.values())
        t, _ = timed(lambda: [sum(1 for _ in read_jsonl_documents(f)) for f in files])
    rows.append(("read gold + predictions JSONL (pydantic)", t,
                 base[1] / t[1]))
    t, _ = timed(lambda: [GoldHash().update(d) for d in gold])
    rows.append(("gold hash (sorted JSON of each annotation)", t, base[1] / t[1]))
    t, _ = timed(lambda: [check_prediction(preds[d.id], d, schema, "bench") for d in gold])
    rows.append(("check predictions against gold", t, base[1] / t[1]))
    both = {E2E: preds, GOLD_ACTORS: preds}
    for task in TASKS:
        t, scored = timed(lambda task=task: score_documents(TASKS[task](), gold, both,
                                                            progress=False))
        rows.append((f"score {task}" + (" (2 settings)" if task in ("blame", "stance") else ""),
                     t, base[1] / t[1]))
        if task == "events":
            tb, _ = timed(lambda scored=scored: summarize(scored, resamples=resamples))
            rows.append((f"bootstrap events, {resamples} resamples, "
                         f"{len(scored.table.columns)} columns", tb, base[1] / tb[1]))
    console.print(f"[dim]{n} documents done[/]")
    return rows


def _schema():
    from standoff.core.paths import ProjectPaths
    from standoff.core.schema import Schema

    return Schema.load(ProjectPaths.default().schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    docs = read_documents(args.corpus / "documents.jsonl")
    console = Console()
    table = Table(title=f"eval scoring speed ({len(docs)} corpus documents, replicated)")
    for col in ("documents", "stage", "wall s", "CPU s", "docs/CPU s", "speed vs baseline"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for n in args.sizes:
        for stage, (wall, cpu), ratio in bench(docs, n, args.resamples, console):
            table.add_row(str(n), stage, f"{wall:.2f}", f"{cpu:.2f}", f"{n / cpu:,.0f}",
                          f"{ratio:.2f}")
        table.add_section()
    console.print(table)
    console.print("speed vs baseline = nervaluate's CPU seconds / this stage's CPU seconds "
                  "(same documents, same run); > 1 is faster.")


if __name__ == "__main__":
    main()
