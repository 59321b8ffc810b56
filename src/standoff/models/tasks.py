"""The four tasks as projections of the schema: which layers a model finds, which relations.

Labels come from the corpus's schema (the single source of truth), so a schema change
reaches every family without editing code here.
"""

from __future__ import annotations

from dataclasses import dataclass

from standoff.core.errors import StandoffError
from standoff.core.schema import Schema

TASK_NAMES = ("events", "actors", "blame", "stance")


@dataclass(frozen=True)
class RelationRule:
    label: str
    tails: tuple[str, ...]  # tail layers
    min: int = 0
    max: int | None = None


@dataclass(frozen=True)
class TaskSpec:
    name: str
    head: str  # the layer the task is about
    layers: tuple[str, ...]  # layers found end to end (head first)
    labels: dict[str, tuple[str, ...]]  # detector labels per layer
    relations: tuple[RelationRule, ...]
    statuses: tuple[str, ...] = ()  # EVENT status values, for tasks that predict them
    headline: str = "f1"
    # relations a head label cannot do without beyond the per-relation minimum
    required: tuple[tuple[str, str], ...] = ()  # (head label, relation)

    def required_for(self, head_label: str) -> frozenset[str]:
        return frozenset(rel for lab, rel in self.required if lab == head_label)

    @property
    def tail_layers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for r in self.relations for t in r.tails))

    @property
    def given_layers(self) -> frozenset[str]:
        """What `gold_mentions=True` takes from the input instead of predicting."""
        return frozenset(layer for layer in ("ACTOR", "EVENT") if layer in self.layers)

    def relation_labels(self, tail_layer: str) -> tuple[str, ...]:
        return tuple(r.label for r in self.relations if tail_layer in r.tails)

    def all_labels(self) -> list[str]:
        out = [f"{layer}/{label}" for layer in self.layers for label in self.labels[layer]]
        out += [f"relation/{r.label}" for r in self.relations]
        out += [f"status/{s}" for s in self.statuses]
        return out


def _choices(schema: Schema, layer: str, attr: str) -> tuple[str, ...]:
    return tuple(schema.span_labels[layer].attributes[attr].values)


def _rules(schema: Schema, names: tuple[str, ...]) -> tuple[RelationRule, ...]:
    rels = schema.relation_labels
    return tuple(RelationRule(n, rels[n].tail, rels[n].min, rels[n].max) for n in names)


def task_spec(name: str, schema: Schema) -> TaskSpec:
    """The task called `name` under `schema`."""
    if name not in TASK_NAMES:
        raise StandoffError(f"unknown task {name!r}", hint=f"use one of {', '.join(TASK_NAMES)}")
    types = _choices(schema, "EVENT", "type")
    labels = {"ACTOR": ("ACTOR",), "EVENT": types,
              "BLAME": _choices(schema, "BLAME", "act"),
              "STANCE": _choices(schema, "STANCE", "polarity")}
    if name == "events":
        return TaskSpec(name, "EVENT", ("EVENT", "ACTOR"),
                        {k: labels[k] for k in ("EVENT", "ACTOR")},
                        _rules(schema, ("source", "target")),
                        statuses=_choices(schema, "EVENT", "status"),
                        headline="sentence_types_micro_f1")
    if name == "actors":
        return TaskSpec(name, "ACTOR", ("ACTOR",), {"ACTOR": labels["ACTOR"]}, (),
                        headline="mention_code_f1")
    if name == "blame":
        return TaskSpec(name, "BLAME", ("BLAME", "ACTOR", "EVENT"),
                        {k: labels[k] for k in ("BLAME", "ACTOR", "EVENT")},
                        _rules(schema, ("blamer", "blamed", "for")), headline="record_f1",
                        required=(("accuse", "blamer"),)
                        if schema.rules.get("accuse_needs_blamer") else ())
    return TaskSpec(name, "STANCE", ("STANCE", "ACTOR", "EVENT"),
                    {k: labels[k] for k in ("STANCE", "ACTOR", "EVENT")},
                    _rules(schema, ("holder", "toward")), headline="record_f1")
