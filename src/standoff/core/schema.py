"""The annotation schema (annotation/schema.yaml) and validation of documents against it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Document
from standoff.core.yamlio import load_yaml

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
CASUALTY_KINDS = ("killed", "injured", "captured", "missing", "displaced")
_CASUALTY = re.compile(
    r"^\s*(?P<count>\d+)\s+(?P<kind>[a-z]+)\s+by\s+(?P<by>-|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)\s*$"
)


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    kind: str  # choice | actor_code | casualties
    required: bool = False
    values: tuple[str, ...] = ()
    values_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    depends_on: str | None = None
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class SpanLabelSpec:
    name: str
    description: str
    attributes: dict[str, AttributeSpec]


@dataclass(frozen=True)
class RelationSpec:
    name: str
    description: str
    head: tuple[str, ...]
    tail: tuple[str, ...]
    min: int = 0
    max: int | None = None


@dataclass(frozen=True)
class Schema:
    version: int
    span_labels: dict[str, SpanLabelSpec]
    relation_labels: dict[str, RelationSpec]
    rules: dict[str, Any]

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self.span_labels["EVENT"].attributes["type"].values)

    @classmethod
    def load(cls, path: Path) -> Schema:
        data = load_yaml(path)
        try:
            spans = {
                name: SpanLabelSpec(
                    name=name,
                    description=(spec.get("description") or "").strip(),
                    attributes={
                        a: _attribute(a, s) for a, s in (spec.get("attributes") or {}).items()
                    },
                )
                for name, spec in data["span_labels"].items()
            }
            relations = {
                name: RelationSpec(
                    name=name, description=(spec.get("description") or "").strip(),
                    head=tuple(spec["head"]), tail=tuple(spec["tail"]),
                    min=int(spec.get("min", 0)), max=spec.get("max"),
                )
                for name, spec in data["relation_labels"].items()
            }
            schema = cls(version=int(data["version"]), span_labels=spans,
                         relation_labels=relations, rules=dict(data.get("rules") or {}))
        except (KeyError, TypeError, AttributeError) as err:
            raise StandoffError(f"schema is missing or has a malformed key: {err}",
                                file=str(path)) from err
        if tuple(schema.event_types) != EVENT_TYPES:
            raise StandoffError("EVENT.type must list the 16 PLOVER types in order", file=str(path))
        return schema

    # -- validation ---------------------------------------------------------------------

    def validate_document(
        self, doc: Document, actors: ActorRegistry | None, where: str
    ) -> list[StandoffError]:
        """Every problem in one document: offsets, labels, attributes, relation endpoints."""
        errors: list[StandoffError] = []

        def err(msg: str, record: str, fld: str | None = None, hint: str | None = None) -> None:
            errors.append(StandoffError(msg, file=where, record=f"{doc.id}/{record}",
                                        field=fld, hint=hint))

        ann = doc.annotation
        seen = Counter(s.id for s in ann.spans)
        for dup in [i for i, n in seen.items() if n > 1]:
            err("duplicate span id", dup)
        for s, e in doc.sentences:
            if not (0 <= s < e <= len(doc.text)):
                err(f"sentence offsets {s}-{e} outside the text", "sentences")
        for span in ann.spans:
            self._check_span(doc, span, actors, err)
        self._check_relations(ann, err)
        return errors

    def _check_span(self, doc: Document, span, actors, err) -> None:
        if span.end > len(doc.text):
            err(f"end {span.end} is past the text's length {len(doc.text)}", span.id, "end")
            return
        actual = doc.text[span.start:span.end]
        if actual != span.text:
            err(f"offset mismatch: text[{span.start}:{span.end}] is {actual!r}, "
                f"span says {span.text!r}", span.id, "text",
                hint="fix the offsets or the quote")
        spec = self.span_labels.get(span.label)
        if spec is None:
            err(f"unknown span label {span.label!r}", span.id, "label",
                hint=f"use one of {', '.join(self.span_labels)}")
            return
        for name in span.attrs:
            if name not in spec.attributes:
                err(f"unknown attribute {name!r} for {span.label}", span.id, name,
                    hint=f"{span.label} has {', '.join(spec.attributes) or 'no attributes'}")
        for attr in spec.attributes.values():
            value = span.attrs.get(attr.name)
            if value is None:
                if attr.required and attr.default is None:
                    err(f"missing required attribute {attr.name!r}", span.id, attr.name)
                continue
            problem = self._check_value(attr, value, span.attrs, actors)
            if problem:
                err(problem, span.id, attr.name)

    def _check_value(self, attr: AttributeSpec, value: Any, attrs: dict, actors) -> str | None:
        if attr.kind == "choice":
            allowed = attr.values
            if attr.depends_on:
                allowed = attr.values_by.get(attrs.get(attr.depends_on), ())
            if value not in allowed:
                return (f"{value!r} is not allowed here; allowed: "
                        f"{', '.join(allowed) or 'none'}")
        elif attr.kind == "actor_code":
            if actors is not None and value not in actors:
                return (f"unknown actor code {value!r}: add it to actors.yaml "
                        "or use an existing code")
        elif attr.kind == "casualties":
            try:
                parse_casualties(value)
            except ValueError as exc:
                return str(exc)
        return None

    def _check_relations(self, ann: AnnotationSet, err) -> None:
        spans = ann.span_by_id()
        counts: Counter[tuple[str, str]] = Counter()
        seen_ids: set[str] = set()
        for rel in ann.relations:
            if rel.id in seen_ids:
                err("duplicate relation id", rel.id)
            seen_ids.add(rel.id)
            spec = self.relation_labels.get(rel.label)
            if spec is None:
                err(f"unknown relation label {rel.label!r}", rel.id, "label",
                    hint=f"use one of {', '.join(self.relation_labels)}")
                continue
            head, tail = spans.get(rel.head), spans.get(rel.tail)
            if head is None:
                err(f"relation points from a missing span {rel.head!r}", rel.id, "head")
            elif head.label not in spec.head:
                err(f"{rel.label} must start at {'/'.join(spec.head)}, not {head.label}",
                    rel.id, "head")
            if tail is None:
                err(f"relation points to a missing span {rel.tail!r}", rel.id, "tail")
            elif tail.label not in spec.tail:
                err(f"{rel.label} must end at {'/'.join(spec.tail)}, not {tail.label}",
                    rel.id, "tail")
            counts[(rel.head, rel.label)] += 1
        for span in ann.spans:
            for name, spec in self.relation_labels.items():
                if span.label not in spec.head:
                    continue
                n = counts[(span.id, name)]
                if n < spec.min:
                    err(f"{span.label} needs at least {spec.min} {name!r} relation(s)", span.id)
                if spec.max is not None and n > spec.max:
                    err(f"{span.label} has {n} {name!r} relations; at most {spec.max}", span.id)
            if (self.rules.get("accuse_needs_blamer") and span.label == "BLAME"
                    and span.attrs.get("act") == "accuse" and counts[(span.id, "blamer")] != 1):
                err("an accuse BLAME needs exactly one 'blamer'", span.id)


def _attribute(name: str, spec: dict) -> AttributeSpec:
    return AttributeSpec(
        name=name, kind=spec["kind"], required=bool(spec.get("required", False)),
        values=tuple(spec.get("values") or ()),
        values_by={k: tuple(v or ()) for k, v in (spec.get("values_by") or {}).items()},
        depends_on=spec.get("depends_on"), default=spec.get("default"),
        description=(spec.get("description") or "").strip(),
    )


def parse_casualties(value: str) -> list[dict[str, Any]]:
    """'58 killed by AFG-TAL; 23 killed by PAK-GOV' -> [{count, kind, by}, ...]."""
    if not isinstance(value, str):
        raise ValueError("casualties must be a string like '58 killed by PAK-GOV'")
    out = []
    for part in value.split(";"):
        m = _CASUALTY.match(part)
        if not m or m["kind"] not in CASUALTY_KINDS:
            raise ValueError(
                f"casualty figure {part.strip()!r} must read 'N KIND by CODE' with KIND one of "
                f"{', '.join(CASUALTY_KINDS)} and CODE an actor code or '-'"
            )
        out.append({"count": int(m["count"]), "kind": m["kind"],
                    "by": None if m["by"] == "-" else m["by"]})
    return out


def format_casualties(items: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['count']} {c['kind']} by {c['by'] or '-'}" for c in items)
