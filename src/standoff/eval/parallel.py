"""`eval run --workers N` on predictions files: parsing, checking and scoring in N processes.

Predictions written by `standoff predict` come in the gold's order, one line per gold
document. Then the work of each document (parse both JSON lines, check the prediction,
score it, serialize the gold annotation for the gold hash) depends on that document
only, and N processes do it on chunks of line pairs that come back in input order
(`core.parallel.map_local`). This process keeps what is sequential: the gold hash, the
count rows and items on disk, the confusion and network counts, the checks' tallies.

Any pair that does not line up (other ids, a file that ends first, a repeated id, a
line that does not parse, a prediction that fails its checks) stops the parallel pass
with `Misaligned`; the caller then scores again in one process, which joins predictions
in any order and names every problem. The results are the same either way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from standoff.core.model import Document
from standoff.core.parallel import ProcessorSpec, map_local
from standoff.core.schema import Schema
from standoff.eval.base import Task
from standoff.eval.data import GoldHash, check_prediction
from standoff.eval.fastdoc import decode_fast
from standoff.eval.progress import track
from standoff.eval.stream import IdSet, render_items

CHUNK_DOCS = 32  # line pairs per chunk sent to a worker


class Misaligned(Exception):
    """The files do not pair up line by line (or a line needs the one-process messages)."""


def _lines(path: Path) -> Iterator[tuple[str, bytes]]:
    with Path(path).open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            if raw.strip():
                yield f"{path}:{lineno}", raw


def _chunks(gold: Path, preds: dict[str, Path]) -> Iterator[list[dict[str, Any]]]:
    """Chunks of {gold line, prediction line per setting}; Misaligned if a file ends first."""
    settings = list(preds)
    streams = [_lines(gold), *(_lines(preds[s]) for s in settings)]
    rows = itertools.zip_longest(*streams)
    while chunk := list(itertools.islice(rows, CHUNK_DOCS)):
        if any(part is None for row in chunk for part in row):
            raise Misaligned("a file has more documents than another")
        yield [{"gold": row[0][1], "preds": {s: row[i + 1] for i, s in enumerate(settings)}}
               for row in chunk]


def scoring_processor(scorer: Task, schema: Schema, label: str):  # noqa: ANN201
    """What a worker does to a chunk: one result per line pair (see `_score_pair`)."""
    def process(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [_score_pair(scorer, schema, label, rec) for rec in chunk]

    return process


def _parse(raw: bytes) -> Document | None:
    if (quick := decode_fast(raw)) is not None:
        return quick  # type: ignore[return-value] (read as a Document by the scorers)
    try:
        return Document.model_validate_json(raw)
    except ValidationError:
        return None


def _score_pair(scorer: Task, schema: Schema, label: str, rec: dict[str, Any]) -> dict:
    gold = _parse(rec["gold"])
    preds = {s: (where, _parse(raw)) for s, (where, raw) in rec["preds"].items()}
    if gold is None or any(p is None or p.id != gold.id for _, p in preds.values()):
        return {"ok": False}
    if any(check_prediction(p, gold, schema, where) for where, p in preds.values()):
        return {"ok": False}
    score = scorer.score(gold, {s: p for s, (_, p) in preds.items()})
    items, score.items = render_items(score.items), []
    return {
        "ok": True, "id": gold.id, "hashed": GoldHash.serialized(gold),
        "tallies": {s: _tally(p, label) for s, (_, p) in preds.items()},
        "score": score, "items": items,
    }


def _tally(pred: Document, label: str) -> tuple[int, set[str], bool]:
    """What SettingChecks counts: task spans, the labels seen, an origin saying gold."""
    spans = pred.annotation.spans
    return (sum(1 for s in spans if s.label == label), {s.label for s in spans},
            pred.annotation.origin == "gold")


def score_in_processes(scored, gold_path: Path, pred_paths: dict[str, Path],  # noqa: ANN001
                       checks, label: str, schema: Schema, hasher, workers: int,
                       total: int | None, progress: bool = True) -> int:
    """Score the line pairs in `workers` processes into `scored` (a runner.Scored), update
    the checks' tallies and the gold hash; the number of documents. Raises Misaligned."""
    from standoff.eval.single_pass import add_score

    spec = ProcessorSpec(scoring_processor, (scored.scorer, schema, label))
    results = (r for chunk in map_local(spec, _chunks(gold_path, pred_paths), workers)
               for r in chunk)
    ids, documents = IdSet(), 0
    for res in track(results, total, f"scoring {scored.scorer.name} ({workers} processes)",
                     progress):
        if not res["ok"] or not ids.add(res["id"]):
            raise Misaligned(f"document {documents + 1} needs the one-process pass")
        documents += 1
        hasher.update_serialized(res["hashed"])
        for s, (spans, labels, origin) in res["tallies"].items():
            c = checks[s]
            c.join.count += 1
            c.task_spans += spans
            if not c.task_spans:
                c.labels.update(labels)
            c.gold_origin = c.gold_origin or origin
        add_score(scored, res["id"], res["score"])
        scored.spill.add_rendered(res["items"])
    return documents
