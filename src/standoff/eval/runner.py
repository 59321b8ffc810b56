"""`standoff eval run`: predictions (from a file or a model) scored against gold, written out.

The pipeline is: stream the gold and the predictions side by side -> check each
prediction and score its document into a count row -> bootstrap every metric -> write
metrics.json, counts.npz, items.jsonl, report.md and report.html into one folder,
atomically. Count rows and items wait on disk (`single_pass`, `stream`), so memory does
not grow with the number of documents.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from standoff.core.errors import StandoffError
from standoff.core.io import atomic_dir
from standoff.core.model import Document
from standoff.core.paths import ProjectPaths
from standoff.core.records import input_view
from standoff.eval.actors import ActorsTask
from standoff.eval.base import E2E, GOLD_ACTORS, Item, Task
from standoff.eval.bootstrap import bootstrap_blocks
from standoff.eval.counts import CountTable
from standoff.eval.data import (
    TASK_LABELS,
    GoldData,
    GoldHash,
    GoldSource,
    empty_prediction,
    open_gold,
    predictions_name,
    read_predictions,
)
from standoff.eval.events import EventsTask, confusion_labels
from standoff.eval.parallel import Misaligned, score_in_processes
from standoff.eval.plover import PloverTask
from standoff.eval.progress import track
from standoff.eval.relations import BlameTask, StanceTask
from standoff.eval.single_pass import (
    Pass,
    add_score,
    new_checks,
    score_stream,
    spilled_tables,
)
from standoff.eval.stream import DiskCountTable, ItemSpill

FORMAT = "standoff-eval/1"
TASKS: dict[str, type[Task]] = {"events": EventsTask, "actors": ActorsTask, "blame": BlameTask,
                                "stance": StanceTask}
GOLD_MENTION_LABELS = frozenset({"ACTOR", "EVENT"})


def scorer_for(task: str, gold: GoldData | GoldSource) -> Task:
    if task not in TASKS:
        raise StandoffError(f"unknown task {task!r}", hint=f"use one of {', '.join(TASKS)}")
    if gold.plover:
        if task != "events":
            raise StandoffError("PLOVER records carry event types and actor pairs only",
                                field="--data", hint="evaluate an events model on plover:PATH")
        return PloverTask(gold.actors)
    return TASKS[task]()


class ShownErrors(list):
    """The errors a report lists, with how many of each kind there were in all."""

    def __init__(self, items: list[Item], error_counts: Counter) -> None:
        super().__init__(items)
        self.error_counts = error_counts


@dataclass
class Scored:
    scorer: Task
    settings: tuple[str, ...]
    table: CountTable | DiskCountTable
    items: list[Item] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)
    edges: dict[str, Counter] = field(default_factory=dict)
    spill: ItemSpill | None = None  # a streamed run keeps its items on disk

    def outcomes(self) -> Counter:
        if self.spill is not None:
            return self.spill.outcomes
        return Counter(f"{i.kind}.{i.outcome}" for i in self.items)


def score_documents(scorer: Task, gold: Iterable[Document],
                    preds: dict[str, dict[str, Document]], total: int | None = None,
                    progress: bool = True) -> Scored:
    """Count rows for every gold document; a missing prediction predicts nothing."""
    settings = tuple(s for s in scorer.settings if s in preds)
    result = Scored(scorer, settings, CountTable(scorer.columns(settings)))
    for doc in track(gold, total, f"scoring {scorer.name}", progress):
        per = {s: preds[s].get(doc.id) or empty_prediction(doc) for s in settings}
        add_score(result, doc.id, scorer.score(doc, per))
    return result


def summarize(scored: Scored, resamples: int = 1000, seed: int = 0,
              confidence: float = 0.95) -> dict[str, Any]:
    """Every metric with its bootstrap interval, and what the reports need besides."""
    table, scorer = scored.table, scored.scorer
    if isinstance(table, DiskCountTable):
        table.close()
        sums, active, blocks, n = table.totals, table.nonzero, table.blocks, len(table)
    else:
        matrix = table.matrix
        sums, active, blocks, n = matrix.sum(axis=0), matrix.any(axis=0), \
            (lambda: iter([matrix])), matrix.shape[0]
    totals = dict(zip(table.columns, sums.tolist(), strict=True))
    ctx = scorer.context(totals, scored.settings)
    intervals = bootstrap_blocks(blocks, n, sums, active, table.index, scorer.metrics(ctx),
                                 resamples, seed, confidence)
    errors = scored.outcomes()
    labels = confusion_labels(scored.confusion)
    return {
        "format": FORMAT, "scorer": scorer.name, "settings": list(scored.settings),
        "bootstrap": {"resamples": resamples, "seed": seed, "confidence": confidence,
                      "unit": "document"},
        "context": ctx, "headline": scorer.headline(ctx),
        "groups": [{"title": g.title, "bars": [list(b) for b in g.bars]}
                   for g in scorer.groups(ctx)],
        "metrics": {k: {"value": v.value, "low": v.low, "high": v.high}
                    for k, v in intervals.items()},
        "support": scorer.support(totals, ctx),
        "errors": dict(sorted(errors.items())),
        "confusion": {"labels": labels, "matrix": [[scored.confusion[(g, p)] for p in labels]
                                                   for g in labels]} if labels else None,
        "network": {side: sorted([[a, b, n] for (a, b), n in edges.items()],
                                 key=lambda e: (-e[2], str(e[0]), str(e[1])))
                    for side, edges in scored.edges.items()} or None,
    }


# -- where predictions come from --------------------------------------------------------------


def _model_predictions(ref: str, models_dir: Path | None, gold: GoldSource, settings,
                       workers: int = 1,
                       ) -> tuple[dict[str, Any], dict[str, Iterator], Iterator[Document]]:
    """The model's predictions per setting, made while the gold streams past (one copy of
    the gold per stream, `tee`d: they stay within a batch of each other)."""
    try:
        from standoff.models.api import load_model
    except ImportError as err:
        raise StandoffError(f"cannot load models: {err}",
                            hint="score a predictions file with --predictions FILE") from err
    model = load_model(ref, models_dir)
    info = {"ref": f"{model.task}/{model.version}", "task": model.task, "family": model.family,
            "version": model.version, "corpus_hash": model.manifest.get("corpus_hash"),
            "created": model.manifest.get("created")}
    wanted = {E2E: (frozenset(), False, "end to end")}
    if GOLD_ACTORS in settings:
        wanted[GOLD_ACTORS] = (GOLD_MENTION_LABELS, True, "given gold actors")
    copies = itertools.tee(gold.documents(), 1 + len(wanted))

    def run(docs: Iterator[Document], keep: frozenset[str], gold_mentions: bool,
            label: str) -> Iterator:
        inputs = (input_view(d, keep) for d in docs)
        predicted = model.predict(inputs, gold_mentions=gold_mentions) if workers <= 1 \
            else _predict_in_processes(info["ref"], model.path.parent.parent, inputs,
                                       gold_mentions, workers)
        for doc in predicted:
            yield f"model {info['ref']} ({label})", doc

    streams = {s: run(copy, *args) for (s, args), copy in zip(wanted.items(), copies[1:],
                                                               strict=True)}
    return info, streams, copies[0]


def _predict_in_processes(ref: str, models_dir: Path, inputs: Iterator[Document],
                          gold_mentions: bool, workers: int) -> Iterator[Document]:
    """The same predictions, in input order, from `workers` processes (model loaded once
    per process); scoring stays in this process."""
    from standoff.core.parallel import ProcessorSpec
    from standoff.models.scale import ScaleOptions, model_processor, predicted_stream

    spec = ProcessorSpec(model_processor, (ref, str(models_dir), 64, gold_mentions, 1))
    return predicted_stream(spec, inputs, ScaleOptions(workers=workers))


@dataclass
class Outcome:
    out: Path
    summary: dict[str, Any]
    warnings: list[str]


def run_evaluation(target: str, *, predictions: Path | None = None,
                   gold_actor_predictions: Path | None = None, data: str = "test",
                   out: Path | None = None, paths: ProjectPaths | None = None,
                   corpus_dir: Path | None = None, models_dir: Path | None = None,
                   resamples: int = 1000, seed: int = 0, allow_missing: bool = False,
                   allow_empty: bool = False, max_errors: int = 100,
                   progress: bool = True, workers: int = 1) -> Outcome:
    """Score a model version (`TASK/VERSION`) or predictions files (`TASK[/NAME]`) and write
    the report folder; returns where it went and the summary written to metrics.json."""
    paths = paths or ProjectPaths.default()
    task, _, name = target.partition("/")
    if predictions is None and not name:
        raise StandoffError(f"{target!r} names no model version", field="TARGET",
                            hint="pass TASK/VERSION, or TASK with --predictions FILE")
    gold = open_gold(data, paths, corpus_dir, fast=predictions is not None)
    scorer = scorer_for(task, gold)
    label = "EVENT" if gold.plover else TASK_LABELS[task]
    if predictions is not None:
        model = None
        streams = {E2E: read_predictions(Path(predictions))}
        if gold_actor_predictions is not None:
            if GOLD_ACTORS not in scorer.settings:
                raise StandoffError(f"{task} has no gold-actors setting",
                                    field="--predictions-gold-actors")
            streams[GOLD_ACTORS] = read_predictions(Path(gold_actor_predictions))
        name = name or predictions_name(Path(predictions))
        sources = {E2E: str(predictions), GOLD_ACTORS: str(gold_actor_predictions)}
        gold_docs = gold.documents()
    else:
        model, streams, gold_docs = _model_predictions(target, models_dir, gold,
                                                       scorer.settings, workers)
        name = model["version"]
        sources = {s: f"model {model['ref']}" for s in streams}
    out = Path(out) if out else default_report_dir(paths, task, name, gold.name)
    settings = tuple(s for s in scorer.settings if s in streams)
    out.parent.mkdir(parents=True, exist_ok=True)
    # what grows with the documents waits on disk beside the report, not in memory
    with tempfile.TemporaryDirectory(prefix=".standoff-eval-", dir=out.parent) as spill_dir:
        # a model that finds nothing scores zero honestly; a file without the task's spans
        # is more likely the wrong file, so only files need --allow-empty
        allow_empty = allow_empty or bool(model)
        paired, tried = None, model is None and workers > 1 and not gold.plover \
            and Path(data).is_file()
        if tried:
            files = {E2E: predictions, GOLD_ACTORS: gold_actor_predictions}
            paired = _score_pairs_in_processes(
                scorer, settings, gold, Path(data), {s: Path(files[s]) for s in settings},
                sources, Path(spill_dir) / "parallel", max_errors, label, allow_empty,
                allow_missing, workers, progress)
        if paired is not None:
            scored, done = paired
        else:
            if tried:  # the parallel pass read some: read them afresh
                streams = {s: read_predictions(Path(files[s])) for s in settings}
                gold_docs = gold.documents()
            scored, done = _score_one_process(scorer, settings, gold, gold_docs, streams,
                                              sources, Path(spill_dir), max_errors, label,
                                              allow_empty, allow_missing, progress)
        warnings = done.warnings
        summary = summarize(scored, resamples, seed)
        summary.update({
            "task": task, "name": name, "model": model,
            "predictions": {s: sources[s] for s in streams} if model is None else None,
            "data": {"name": gold.name, "source": gold.source, "documents": done.documents,
                     "gold_hash": done.gold_hash},
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "warnings": warnings,
        })
        if summary["scorer"] == "plover" and not summary["context"].get("roles_predicted"):
            warnings.append("the model predicted no source/target relations, so the actor-pair "
                            "figures are zero by construction")
        write_report_dir(out, summary, scored, max_errors)
    return Outcome(out, summary, warnings)


def _score_one_process(scorer: Task, settings: tuple[str, ...], gold: GoldSource,
                       gold_docs: Iterator[Document], streams: dict[str, Iterator],
                       sources: dict[str, str], spill_dir: Path, max_errors: int, label: str,
                       allow_empty: bool, allow_missing: bool, progress: bool,
                       ) -> tuple[Scored, Pass]:
    """Gold and predictions streamed side by side, predictions joined in any order."""
    table, spill = spilled_tables(scorer, settings, spill_dir, max_errors)
    scored = Scored(scorer, settings, table, spill=spill)
    checks = new_checks({s: streams[s] for s in settings}, sources, spill_dir, allow_empty)
    try:
        return scored, score_stream(scored, gold, gold_docs, checks, label, allow_missing,
                                    progress)
    finally:
        for c in checks.values():
            c.join.close()


def _score_pairs_in_processes(scorer: Task, settings: tuple[str, ...], gold: GoldSource,
                              gold_path: Path, pred_paths: dict[str, Path],
                              sources: dict[str, str], spill_dir: Path, max_errors: int,
                              label: str, allow_empty: bool, allow_missing: bool,
                              workers: int, progress: bool) -> tuple[Scored, Pass] | None:
    """Files that pair up line by line, scored in `workers` processes (eval.parallel);
    None when they do not, and the one-process pass must do it (and name the problems)."""
    spill_dir.mkdir()
    table, spill = spilled_tables(scorer, settings, spill_dir, max_errors)
    scored = Scored(scorer, settings, table, spill=spill)
    checks = new_checks({s: iter(()) for s in settings}, sources, spill_dir, allow_empty)
    hasher = GoldHash()
    try:
        documents = score_in_processes(scored, gold_path, pred_paths, checks, label,
                                       gold.schema, hasher, workers, gold.total, progress)
    except Misaligned:
        table.close()
        spill.close()
        return None
    if not documents:
        return None
    warnings = [w for c in checks.values() for w in c.verdict(documents, label, allow_missing)]
    return scored, Pass(documents, hasher.hexdigest(), warnings)


def default_report_dir(paths: ProjectPaths, task: str, name: str, data: str) -> Path:
    return paths.reports / task / (name if data == "test" else f"{name}@{data}")


def write_report_dir(out: Path, summary: dict[str, Any], scored: Scored,
                     max_errors: int) -> None:
    from standoff.eval.report_html import render_html
    from standoff.eval.report_md import render_markdown

    if scored.spill is not None:
        items: Sequence[Item] = ShownErrors(scored.spill.shown(), scored.spill.error_counts)
    else:
        items = sorted(scored.items, key=lambda i: (i.kind, i.doc, i.offset, i.key, i.outcome))
    with atomic_dir(out) as tmp:
        tmp.chmod(0o755)  # mkdtemp makes 0700; reports are meant to be read by others
        (tmp / "metrics.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False),
                                          encoding="utf-8")
        if isinstance(scored.table, DiskCountTable):
            scored.table.write_npz(tmp / "counts.npz")
        else:
            buf = io.BytesIO()
            np.savez_compressed(buf, matrix=scored.table.matrix,
                                columns=np.array(scored.table.columns, dtype=str),
                                documents=np.array(scored.table.doc_ids, dtype=str))
            (tmp / "counts.npz").write_bytes(buf.getvalue())
        if scored.spill is not None:
            scored.spill.write_jsonl(tmp / "items.jsonl")
        else:
            with (tmp / "items.jsonl").open("w", encoding="utf-8") as handle:
                for item in items:
                    handle.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
        (tmp / "report.md").write_text(render_markdown(summary, items, max_errors),
                                       encoding="utf-8")
        (tmp / "report.html").write_text(render_html(summary, items, max_errors),
                                         encoding="utf-8")
