"""Dev-split metrics written into each manifest (the evaluation harness does the full
scoring; these pick models and give `models list` a headline number).

Relation records are compared per sentence by actor code, so an end-to-end model is not
punished for a mention boundary that differs by a word.
"""

from __future__ import annotations

from collections.abc import Hashable

from standoff.core.model import Document
from standoff.core.records import (
    Mention,
    actor_mentions,
    blame_records,
    event_roles,
    sentence_event_types,
    stance_records,
    triggers,
)
from standoff.models.scoring import prf
from standoff.models.tasks import TaskSpec


def _f1(gold: list[Hashable], pred: list[Hashable]) -> float:
    return prf(gold, pred)["f1"]


def _code(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.code if m.label == "ACTOR" else f"EVENT:{m.label}"


def _collect(docs: list[Document], keys) -> list[Hashable]:
    return [k for d in docs for k in keys(d)]


def event_metrics(gold: list[Document], pred: list[Document],
                  pred_gold_mentions: list[Document] | None) -> dict[str, float]:
    def types(d):
        return [(d.id, i, t) for i, ts in enumerate(sentence_event_types(d)) for t in ts]

    def trig(d):
        return [(d.id, m.start, m.end, m.label) for m in triggers(d)]

    def roles(d):
        return [(d.id, t.start, t.end, role, a.code) for t, role, a in event_roles(d)]

    out = {"sentence_types_micro_f1": _f1(_collect(gold, types), _collect(pred, types)),
           "trigger_f1": _f1(_collect(gold, trig), _collect(pred, trig)),
           "roles_f1": _f1(_collect(gold, roles), _collect(pred, roles)),
           "status_accuracy": _status_accuracy(gold, pred)}
    if pred_gold_mentions is not None:
        out["roles_f1_gold_mentions"] = _f1(_collect(gold, roles),
                                            _collect(pred_gold_mentions, roles))
    return out


def _status_accuracy(gold: list[Document], pred: list[Document]) -> float | None:
    def statuses(d):
        return {(d.id, s.start, s.end, s.attrs.get("type")): s.attrs.get("status", "asserted")
                for s in d.annotation.spans if s.label == "EVENT"}

    g = {k: v for d in gold for k, v in statuses(d).items()}
    p = {k: v for d in pred for k, v in statuses(d).items()}
    both = [k for k in p if k in g]
    return round(sum(g[k] == p[k] for k in both) / len(both), 4) if both else None


def actor_metrics(gold: list[Document], pred: list[Document]) -> dict[str, float]:
    def spans(d):
        return [(d.id, m.start, m.end) for m in actor_mentions(d)]

    def coded(d):
        return [(d.id, m.start, m.end, m.code) for m in actor_mentions(d)]

    g_codes = {(d.id, m.start, m.end): m.code for d in gold for m in actor_mentions(d)}
    p_codes = {(d.id, m.start, m.end): m.code for d in pred for m in actor_mentions(d)}
    both = [k for k in p_codes if k in g_codes]
    accuracy = sum(g_codes[k] == p_codes[k] for k in both) / len(both) if both else None
    return {"mention_code_f1": _f1(_collect(gold, coded), _collect(pred, coded)),
            "mention_f1": _f1(_collect(gold, spans), _collect(pred, spans)),
            "code_accuracy": None if accuracy is None else round(accuracy, 4)}


def _blame_keys(d: Document) -> list[Hashable]:
    return [(d.id, r.sentence, r.act, _code(r.blamer), _code(r.blamed))
            for r in blame_records(d)]


def _stance_keys(d: Document) -> list[Hashable]:
    return [(d.id, r.sentence, r.polarity, _code(r.holder), _code(r.target))
            for r in stance_records(d)]


def _cues(label: str, attr: str):
    def keys(d: Document) -> list[Hashable]:
        return [(d.id, s.start, s.end, s.attrs.get(attr)) for s in d.annotation.spans
                if s.label == label]
    return keys


def record_metrics(task: TaskSpec, gold: list[Document], pred: list[Document],
                   pred_gold_mentions: list[Document] | None) -> dict[str, float]:
    keys = _blame_keys if task.name == "blame" else _stance_keys
    cues = _cues("BLAME", "act") if task.name == "blame" else _cues("STANCE", "polarity")
    out = {"record_f1": _f1(_collect(gold, keys), _collect(pred, keys)),
           "cue_f1": _f1(_collect(gold, cues), _collect(pred, cues))}
    if pred_gold_mentions is not None:
        out["record_f1_gold_mentions"] = _f1(_collect(gold, keys),
                                             _collect(pred_gold_mentions, keys))
    return out


def task_metrics(task: TaskSpec, gold: list[Document], pred: list[Document],
                 pred_gold_mentions: list[Document] | None = None) -> dict[str, object]:
    """The task's metrics with `headline` naming the one `models list` shows."""
    if task.name == "events":
        values = event_metrics(gold, pred, pred_gold_mentions)
    elif task.name == "actors":
        values = actor_metrics(gold, pred)
    else:
        values = record_metrics(task, gold, pred, pred_gold_mentions)
    return {"headline": task.headline, **values, "documents": len(gold)}
