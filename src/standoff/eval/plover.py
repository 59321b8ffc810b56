"""The PLOVER external benchmark: real sentences a model trained on our corpus never saw.

Each PLOVER gold-standard record is one sentence coded with one event type and its
source and target actors. The records are read with the corpus's PLOVER importer (which
maps the old type names DEMAND, DISAPPROVE, INVESTIGATE and FIGHT to the current ones),
and scored on two things: the sentence's event type against the types the model
predicts for it, and the (source, target) actor pairs of the predicted events. PLOVER
codes actors by country (`USA`, `ISR`) or as `IGO`/`NGO`, so predicted codes are
mapped through the actor registry (`PAK-GOV` -> `PAK`, `UN` -> `IGO`) before comparing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.model import Document
from standoff.core.schema import EVENT_TYPES, Schema
from standoff.eval.base import E2E, DocScore, LabelGroup, Task, make_item
from standoff.eval.counts import (
    Metric,
    accuracy_metric,
    f_score,
    present_mean,
    prf_metrics,
    ratio,
)
from standoff.eval.events import NONE

GOLD_KEY = "plover_gold"


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return sorted({str(a["code"]).upper() for a in value if isinstance(a, dict) and a.get("code")})


def load_plover_documents(path: Path, schema: Schema, actors: ActorRegistry) -> list[Document]:
    """PLOVER records as gold documents, each carrying its record's type and actor codes."""
    from standoff.corpus.plover import OLD_TYPE_NAMES, load_records, record_to_document

    path = Path(path)
    if not path.is_file():
        raise StandoffError("PLOVER records file not found", file=str(path),
                            hint="pass --data plover:PATH to a JSON file of PLOVER records")
    registry = ActorRegistry(dict(actors.actors))  # the importer adds codes; keep ours clean
    docs = []
    for n, rec in enumerate(load_records(path), start=1):
        where = f"{path} (record {n})"
        if not isinstance(rec, dict):
            raise StandoffError("each record must be a JSON object", file=where)
        doc = record_to_document(rec, registry, schema, where)
        old = str(rec.get("event"))
        doc.meta[GOLD_KEY] = {"type": OLD_TYPE_NAMES.get(old, old),
                              "source": _codes(rec.get("source")),
                              "target": _codes(rec.get("target"))}
        docs.append(doc)
    if not docs:
        raise StandoffError("no PLOVER records in the file", file=str(path))
    return docs


def plover_code(code: str | None, actors: ActorRegistry) -> str | None:
    """Our actor code as PLOVER codes it: the country, or IGO/NGO for organizations."""
    if not code:
        return None
    actor = actors.actors.get(code)
    if actor is not None:
        if actor.type in ("IGO", "NGO"):
            return actor.type
        if actor.country:
            return actor.country
        if actor.affiliation:
            return plover_code(actor.affiliation, actors)
    return code.split("-")[0]


def _support(t: str) -> Metric:
    return lambda s: s[f"type.{t}.tp"] + s[f"type.{t}.fn"]


class PloverTask(Task):
    name = "plover"
    item_kinds = ("plover",)

    def __init__(self, actors: ActorRegistry) -> None:
        self.actors = actors

    def columns(self, settings: tuple[str, ...]) -> list[str]:
        cols = [f"type.{t}.{c}" for t in EVENT_TYPES for c in ("tp", "fp", "fn")]
        cols += [f"{k}.{c}" for k in ("pairs", "source", "target") for c in ("tp", "fp", "fn")]
        return cols + ["records", "hit", "exact", "roles"]

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        if GOLD_KEY not in gold.meta:
            raise StandoffError("not a PLOVER record document", record=gold.id,
                                hint="use --data plover:PATH")
        truth, pred = gold.meta[GOLD_KEY], preds[E2E]
        events = [s for s in pred.annotation.spans if s.label == "EVENT"]
        types = {s.attrs["type"] for s in events}
        out = DocScore()
        out.add("records")
        out.add("hit", int(truth["type"] in types))
        out.add("exact", int(types == {truth["type"]}))
        for t in types | {truth["type"]}:
            out.add(f"type.{t}." + ("tp" if t in types and t == truth["type"]
                                    else "fp" if t in types else "fn"))
        self._type_items(gold, truth["type"], types, events, out)
        out.confusion.update((truth["type"], t) for t in (types or {NONE}))
        roles = self._roles(pred, events)
        out.add("roles", sum(len(v) for v in roles.values()))
        gold_pairs = {(s, t) for s in truth["source"] for t in truth["target"]}
        pred_pairs = {(s, t) for e in events for s in roles[(e.id, "source")]
                      for t in roles[(e.id, "target")]}
        for name, g, p in (("pairs", gold_pairs, pred_pairs),
                           ("source", set(truth["source"]), self._all(roles, "source")),
                           ("target", set(truth["target"]), self._all(roles, "target"))):
            out.add(f"{name}.tp", len(g & p))
            out.add(f"{name}.fp", len(p - g))
            out.add(f"{name}.fn", len(g - p))
        return out

    def _roles(self, pred: Document, events) -> dict[tuple[str, str], set[str]]:
        spans = pred.annotation.span_by_id()
        roles: dict[tuple[str, str], set[str]] = {(e.id, r): set() for e in events
                                                  for r in ("source", "target")}
        for rel in pred.annotation.relations:
            tail = spans.get(rel.tail)
            if (rel.head, rel.label) in roles and tail is not None and tail.label == "ACTOR":
                code = plover_code(tail.attrs.get("code"), self.actors)
                if code:
                    roles[(rel.head, rel.label)].add(code)
        return roles

    @staticmethod
    def _all(roles: dict[tuple[str, str], set[str]], role: str) -> set[str]:
        return {c for (_, r), codes in roles.items() if r == role for c in codes}

    @staticmethod
    def _type_items(gold: Document, truth: str, types: set[str], events, out: DocScore) -> None:
        gold_marks = [(s.start, s.end, "gold") for s in gold.annotation.spans
                      if s.label == "EVENT"] or [(0, 0, "gold")]
        shown = ", ".join(sorted(types)) or "nothing"
        if truth not in types:
            out.items.append(make_item(gold, "plover", f"type:{truth}", "fn", truth, gold_marks,
                                       f"gold {truth}; predicted {shown}"))
        for t in sorted(types - {truth}):
            marks = [(s.start, s.end, "pred") for s in events if s.attrs["type"] == t]
            out.items.append(make_item(gold, "plover", f"type:{t}", "fp", t, marks,
                                       f"gold {truth}; predicted {shown}"))

    def context(self, totals: dict[str, float], settings: tuple[str, ...]) -> dict[str, Any]:
        gold_types = [t for t in EVENT_TYPES if totals[f"type.{t}.tp"] + totals[f"type.{t}.fn"]]
        seen = [t for t in EVENT_TYPES
                if any(totals[f"type.{t}.{c}"] for c in ("tp", "fp", "fn"))]
        return {"settings": list(settings), "labels": gold_types, "shown": seen,
                "roles_predicted": int(totals["roles"])}

    def metrics(self, ctx: dict[str, Any]) -> dict[str, Metric]:
        per_type = {t: prf_metrics(f"type.{t}", f"type.{t}.tp", f"type.{t}.fp", f"type.{t}.fn")
                    for t in EVENT_TYPES}

        def total(kind: str):
            return lambda s: sum(s[f"type.{t}.{kind}"] for t in EVENT_TYPES)

        tp, fp, fn = total("tp"), total("fp"), total("fn")
        out: dict[str, Metric] = {
            "type.micro.precision": lambda s: ratio(tp(s), tp(s) + fp(s)),
            "type.micro.recall": lambda s: ratio(tp(s), tp(s) + fn(s)),
        }
        out["type.micro.f1"] = lambda s: f_score(out["type.micro.precision"](s),
                                                 out["type.micro.recall"](s))
        for m in ("precision", "recall", "f1"):
            out[f"type.macro.{m}"] = present_mean([(per_type[t][f"type.{t}.{m}"], _support(t))
                                                   for t in ctx["labels"]])
        out["type.hit_rate"] = accuracy_metric("hit", "records")
        out["type.exact_match"] = accuracy_metric("exact", "records")
        for t in ctx["shown"]:
            out.update(per_type[t])
        for k in ("pairs", "source", "target"):
            out.update(prf_metrics(k, f"{k}.tp", f"{k}.fp", f"{k}.fn"))
        return out

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        return ["type.micro.f1", "type.macro.f1", "type.hit_rate", "pairs.f1"]

    def groups(self, ctx: dict[str, Any]) -> list[LabelGroup]:
        return [LabelGroup("PLOVER F1 per event type",
                           tuple((t, f"type.{t}.f1") for t in ctx["shown"])),
                LabelGroup("PLOVER actor codes", tuple(
                    (f"{k} {m}", f"{k}.{m}") for k in ("source", "target", "pairs")
                    for m in ("precision", "recall", "f1")))]

    def support(self, totals: dict[str, float], ctx: dict[str, Any]) -> dict[str, int]:
        out = {"records": int(totals["records"]), "type.micro": int(totals["records"]),
               "pairs": int(totals["pairs.tp"] + totals["pairs.fn"])}
        for t in ctx["shown"]:
            out[f"type.{t}"] = int(totals[f"type.{t}.tp"] + totals[f"type.{t}.fn"])
        return out
