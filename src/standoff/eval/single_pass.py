"""One pass over gold and predictions: check, score and count, in constant memory.

The gold streams past once; each setting's predictions are matched to it as it goes
(`stream.PredictionJoin`), checked (`data.check_prediction`), and scored. Count rows
and items go to disk (`stream.DiskCountTable`, `stream.ItemSpill`). The checks and their
messages are those of `data.collect_predictions`, made at the end of the pass; a run
with bad predictions stops scoring at the first one and only goes on checking.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.model import Document
from standoff.core.schema import Schema
from standoff.eval.base import DocScore, Task
from standoff.eval.data import GoldHash, GoldSource, check_prediction, empty_prediction
from standoff.eval.progress import track
from standoff.eval.stream import DiskCountTable, ItemSpill, PredictionJoin

MAX_ERRORS = 50  # bad predictions listed before a run gives up
GC_EVERY = 20_000  # allocations between young-generation collections during a pass


@dataclass
class SettingChecks:
    """What `collect_predictions` checks about one setting's predictions, kept as counts."""

    source: str
    join: PredictionJoin
    allow_empty: bool = False
    task_spans: int = 0
    labels: set[str] = field(default_factory=set)
    missing: int = 0
    first_missing: list[str] = field(default_factory=list)
    gold_origin: bool = False

    def prediction_for(self, gold: Document, schema: Schema, label: str,
                       errors: list[StandoffError]) -> Document:
        got = self.join.take(gold.id)
        if got is None:
            self.missing += 1
            if len(self.first_missing) < 5:
                self.first_missing.append(gold.id)
            return empty_prediction(gold)
        where, pred = got
        errors.extend(check_prediction(pred, gold, schema, where))
        spans = pred.annotation.spans
        self.task_spans += sum(1 for s in spans if s.label == label)
        if not self.task_spans:
            self.labels.update(s.label for s in spans)
        self.gold_origin = self.gold_origin or pred.annotation.origin == "gold"
        return pred

    def verdict(self, documents: int, label: str, allow_missing: bool) -> list[str]:
        """Warnings; or the error that makes these predictions unfit to score."""
        if not self.join.count:
            raise StandoffError("no predictions", file=self.source,
                                hint="the file is empty: run `standoff predict` first")
        warnings = []
        if self.missing and not allow_missing:
            raise StandoffError(
                f"no predictions for {self.missing} of {documents} gold documents (first: "
                f"{', '.join(self.first_missing)})", file=self.source,
                hint="predict every gold document, or pass --allow-missing to score them as "
                     "predicting nothing")
        if self.missing:
            warnings.append(f"{self.missing} gold document(s) had no prediction and were "
                            "scored as predicting nothing")
        if not self.task_spans:
            message = (f"the predictions hold no {label} spans (labels found: "
                       f"{', '.join(sorted(self.labels)) or 'none'}); every figure would be "
                       "zero")
            if not self.allow_empty:
                raise StandoffError(message, file=self.source,
                                    hint="check that the file belongs to this task, or pass "
                                         "--allow-empty")
            warnings.append(f"{self.source}: {message}")
        if self.gold_origin:
            warnings.append(f"{self.source}: some predictions say origin 'gold': is this the "
                            "gold file?")
        return warnings


@dataclass
class Pass:
    """What one pass produced besides the scores."""

    documents: int
    gold_hash: str
    warnings: list[str]


def add_score(scored, doc_id: str, ds: DocScore) -> None:  # noqa: ANN001 (runner.Scored)
    scored.table.add(doc_id, ds.counts)
    if scored.spill is not None:
        scored.spill.add(ds.items)
    else:
        scored.items.extend(ds.items)
    scored.confusion.update(ds.confusion)
    for side, edges in ds.edges.items():
        scored.edges.setdefault(side, Counter()).update(edges)


def score_stream(scored, gold: GoldSource, gold_docs: Iterator[Document],  # noqa: ANN001
                 checks: dict[str, SettingChecks], label: str, allow_missing: bool,
                 progress: bool = True) -> Pass:
    """Score every gold document into `scored` (a runner.Scored on disk tables)."""
    scorer: Task = scored.scorer
    errors: list[StandoffError] = []
    hasher, documents = GoldHash(), 0
    with _fewer_collections():
        for doc in track(gold_docs, gold.total, f"scoring {scorer.name}", progress):
            documents += 1
            hasher.update(doc)
            per = {s: c.prediction_for(doc, gold.schema, label, errors)
                   for s, c in checks.items()}
            if len(errors) >= MAX_ERRORS:
                raise ValidationErrors(errors)
            if not errors:  # a run with bad predictions will fail: check the rest, score none
                add_score(scored, doc.id, scorer.score(doc, per))
    if not documents and gold.empty_error is not None:
        raise gold.empty_error
    for c in checks.values():
        errors.extend(c.join.duplicates)
        for where, pred in c.join.leftovers():
            if len(errors) >= MAX_ERRORS:
                break
            errors.extend(check_prediction(pred, None, gold.schema, where))
    if errors:
        raise ValidationErrors(errors)
    warnings = [w for c in checks.values() for w in c.verdict(documents, label, allow_missing)]
    return Pass(documents, hasher.hexdigest(), warnings)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Each document's objects are freed by reference counting; the cyclic collector,
    run every 700 allocations by default, would scan the long-lived objects (the imported
    libraries) again and again. Freeze those and collect less often during the pass."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_EVERY, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def new_checks(streams: dict[str, Iterator[tuple[str, Document]]], sources: dict[str, str],
               folder: Path, allow_empty: bool) -> dict[str, SettingChecks]:
    return {s: SettingChecks(sources[s], PredictionJoin(stream, folder), allow_empty)
            for s, stream in streams.items()}


def spilled_tables(scorer: Task, settings: tuple[str, ...], folder: Path,
                   max_errors: int) -> tuple[DiskCountTable, ItemSpill]:
    return DiskCountTable(scorer.columns(settings), folder), ItemSpill(folder, max_errors)
