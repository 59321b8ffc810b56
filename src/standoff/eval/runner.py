"""`standoff eval run`: predictions (from a file or a model) scored against gold, written out.

The pipeline is: load gold -> collect and check predictions -> score every document
into a count row -> bootstrap every metric -> write metrics.json, counts.npz,
items.jsonl, report.md and report.html into one folder, atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
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
from standoff.eval.bootstrap import bootstrap_intervals
from standoff.eval.counts import CountTable
from standoff.eval.data import (
    TASK_LABELS,
    GoldData,
    collect_predictions,
    empty_prediction,
    load_gold,
    predictions_name,
    read_predictions,
)
from standoff.eval.events import EventsTask, confusion_labels
from standoff.eval.plover import PloverTask
from standoff.eval.progress import track
from standoff.eval.relations import BlameTask, StanceTask

FORMAT = "standoff-eval/1"
TASKS: dict[str, type[Task]] = {"events": EventsTask, "actors": ActorsTask, "blame": BlameTask,
                                "stance": StanceTask}
GOLD_MENTION_LABELS = frozenset({"ACTOR", "EVENT"})


def scorer_for(task: str, gold: GoldData) -> Task:
    if task not in TASKS:
        raise StandoffError(f"unknown task {task!r}", hint=f"use one of {', '.join(TASKS)}")
    if gold.plover:
        if task != "events":
            raise StandoffError("PLOVER records carry event types and actor pairs only",
                                field="--data", hint="evaluate an events model on plover:PATH")
        return PloverTask(gold.actors)
    return TASKS[task]()


@dataclass
class Scored:
    scorer: Task
    settings: tuple[str, ...]
    table: CountTable
    items: list[Item] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)
    edges: dict[str, Counter] = field(default_factory=dict)


def score_documents(scorer: Task, gold: Iterable[Document],
                    preds: dict[str, dict[str, Document]], total: int | None = None,
                    progress: bool = True) -> Scored:
    """Count rows for every gold document; a missing prediction predicts nothing."""
    settings = tuple(s for s in scorer.settings if s in preds)
    result = Scored(scorer, settings, CountTable(scorer.columns(settings)))
    for doc in track(gold, total, f"scoring {scorer.name}", progress):
        per = {s: preds[s].get(doc.id) or empty_prediction(doc) for s in settings}
        ds = scorer.score(doc, per)
        result.table.add(doc.id, ds.counts)
        result.items.extend(ds.items)
        result.confusion.update(ds.confusion)
        for side, edges in ds.edges.items():
            result.edges.setdefault(side, Counter()).update(edges)
    return result


def summarize(scored: Scored, resamples: int = 1000, seed: int = 0,
              confidence: float = 0.95) -> dict[str, Any]:
    """Every metric with its bootstrap interval, and what the reports need besides."""
    table, scorer = scored.table, scored.scorer
    totals = dict(zip(table.columns, table.matrix.sum(axis=0).tolist(), strict=True))
    ctx = scorer.context(totals, scored.settings)
    intervals = bootstrap_intervals(table.matrix, table.index, scorer.metrics(ctx), resamples,
                                    seed, confidence)
    errors = Counter(f"{i.kind}.{i.outcome}" for i in scored.items)
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


def _model_predictions(ref: str, models_dir: Path | None, gold: GoldData, settings,
                       progress: bool) -> tuple[dict[str, Any], dict[str, Iterator]]:
    try:
        from standoff.models.api import load_model
    except ImportError as err:
        raise StandoffError(f"cannot load models: {err}",
                            hint="score a predictions file with --predictions FILE") from err
    model = load_model(ref, models_dir)
    info = {"ref": f"{model.task}/{model.version}", "task": model.task, "family": model.family,
            "version": model.version, "corpus_hash": model.manifest.get("corpus_hash"),
            "created": model.manifest.get("created")}
    total = len(gold.documents)

    def run(keep: frozenset[str], gold_mentions: bool, label: str) -> Iterator:
        inputs = (input_view(d, keep) for d in gold.documents)
        outputs = model.predict(inputs, gold_mentions=gold_mentions)
        for doc in track(outputs, total, f"predicting {label}", progress):
            yield f"model {info['ref']} ({label})", doc

    streams = {E2E: run(frozenset(), False, "end to end")}
    if GOLD_ACTORS in settings:
        streams[GOLD_ACTORS] = run(GOLD_MENTION_LABELS, True, "given gold actors")
    return info, streams


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
                   progress: bool = True) -> Outcome:
    """Score a model version (`TASK/VERSION`) or predictions files (`TASK[/NAME]`) and write
    the report folder; returns where it went and the summary written to metrics.json."""
    paths = paths or ProjectPaths.default()
    task, _, name = target.partition("/")
    if predictions is None and not name:
        raise StandoffError(f"{target!r} names no model version", field="TARGET",
                            hint="pass TASK/VERSION, or TASK with --predictions FILE")
    gold = load_gold(data, paths, corpus_dir)
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
    else:
        model, streams = _model_predictions(target, models_dir, gold, scorer.settings, progress)
        name = model["version"]
        sources = {s: f"model {model['ref']}" for s in streams}
    preds, warnings = {}, []
    for setting, stream in streams.items():
        # a model that finds nothing scores zero honestly; a file without the task's spans
        # is more likely the wrong file, so only files need --allow-empty
        preds[setting], more = collect_predictions(stream, gold, label, sources[setting],
                                                   allow_missing, allow_empty or bool(model))
        warnings.extend(more)
    scored = score_documents(scorer, gold.documents, preds, len(gold.documents), progress)
    summary = summarize(scored, resamples, seed)
    summary.update({
        "task": task, "name": name, "model": model,
        "predictions": {s: sources[s] for s in streams} if model is None else None,
        "data": {"name": gold.name, "source": gold.source, "documents": len(gold.documents),
                 "gold_hash": gold.content_hash()},
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "warnings": warnings,
    })
    if summary["scorer"] == "plover" and not summary["context"].get("roles_predicted"):
        warnings.append("the model predicted no source/target relations, so the actor-pair "
                        "figures are zero by construction")
    out = Path(out) if out else default_report_dir(paths, task, name, gold.name)
    write_report_dir(out, summary, scored, max_errors)
    return Outcome(out, summary, warnings)


def default_report_dir(paths: ProjectPaths, task: str, name: str, data: str) -> Path:
    return paths.reports / task / (name if data == "test" else f"{name}@{data}")


def write_report_dir(out: Path, summary: dict[str, Any], scored: Scored,
                     max_errors: int) -> None:
    from standoff.eval.report_html import render_html
    from standoff.eval.report_md import render_markdown

    items = sorted(scored.items, key=lambda i: (i.kind, i.doc, i.offset, i.key, i.outcome))
    with atomic_dir(out) as tmp:
        tmp.chmod(0o755)  # mkdtemp makes 0700; reports are meant to be read by others
        (tmp / "metrics.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False),
                                          encoding="utf-8")
        buf = io.BytesIO()
        np.savez_compressed(buf, matrix=scored.table.matrix,
                            columns=np.array(scored.table.columns, dtype=str),
                            documents=np.array(scored.table.doc_ids, dtype=str))
        (tmp / "counts.npz").write_bytes(buf.getvalue())
        with (tmp / "items.jsonl").open("w", encoding="utf-8") as handle:
            for item in items:
                handle.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
        (tmp / "report.md").write_text(render_markdown(summary, items, max_errors),
                                       encoding="utf-8")
        (tmp / "report.html").write_text(render_html(summary, items, max_errors),
                                         encoding="utf-8")
