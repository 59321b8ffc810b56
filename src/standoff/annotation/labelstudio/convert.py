"""standoff AnnotationSet <-> Label Studio result list, lossless both ways.

A span becomes one region: a `labels` result (its id is the span id, its offsets in code
points as Label Studio 1.23 counts them, the span text) plus one per-region result per
attribute with the same id.
Relations between the same head and tail become one Label Studio relation carrying all
their labels. Pulling reverses this and checks everything the server does not: labels,
controls, offsets against the region text, relation endpoints and labels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from standoff.annotation.goldfile import relation_id
from standoff.annotation.labelstudio.config import (
    LABEL_CONTROL,
    TEXT_NAME,
    Control,
    attribute_controls,
    control_name,
)
from standoff.annotation.labelstudio.offsets import readings
from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Relation, Span
from standoff.core.schema import Schema


def annotation_to_results(ann: AnnotationSet, text: str, schema: Schema) -> list[dict[str, Any]]:
    """The Label Studio `result` list for an annotation set over `text`."""
    controls = attribute_controls(schema)
    results: list[dict[str, Any]] = []
    for span in ann.spans:
        area = {"start": span.start, "end": span.end}
        region = {"id": span.id, "from_name": LABEL_CONTROL, "to_name": TEXT_NAME,
                  "type": "labels", "value": {**area, "text": span.text, "labels": [span.label]}}
        if span.score is not None:
            region["score"] = span.score
        results.append(region)
        for attr, value in span.attrs.items():
            control = controls.get(control_name(span.label, attr))
            if control is None or value is None:
                continue  # unknown attributes fail schema validation before a push
            payload = {"choices": [value]} if control.kind == "choices" else {"text": [value]}
            results.append({"id": span.id, "from_name": control.name, "to_name": TEXT_NAME,
                            "type": control.kind, "value": {**area, **payload}})
    order = {name: i for i, name in enumerate(schema.relation_labels)}
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rel in ann.relations:
        if rel.label not in grouped[(rel.head, rel.tail)]:
            grouped[(rel.head, rel.tail)].append(rel.label)
    for (head, tail), labels in grouped.items():
        results.append({"from_id": head, "to_id": tail, "type": "relation", "direction": "right",
                        "labels": sorted(labels, key=lambda name: order.get(name, len(order)))})
    return results


@dataclass
class _Region:
    id: str
    start: int
    end: int
    label: str
    score: float | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


class ResultReader:
    """Reads one Label Studio result list back into an AnnotationSet, or explains why not."""

    def __init__(self, text: str, schema: Schema, where: str, doc_id: str) -> None:
        self.text, self.schema, self.where, self.doc_id = text, schema, where, doc_id
        self.controls: dict[str, Control] = attribute_controls(schema)
        self.maps = readings(text)  # code points first; older UTF-16 and CRLF-as-one
        self.errors: list[StandoffError] = []

    def error(self, message: str, region: str | None, field_: str | None = None,
              hint: str | None = None) -> None:
        record = f"{self.doc_id}/{region}" if region else self.doc_id
        self.errors.append(StandoffError(message, file=self.where, record=record, field=field_,
                                         hint=hint))

    def read(self, results: list[dict[str, Any]], annotator: str | None = None,
             origin: str = "annotator", model_version: str | None = None) -> AnnotationSet:
        """The annotation set; problems are collected in `self.errors`."""
        if not isinstance(results, list):
            self.error("the result must be a list", None)
            return AnnotationSet(origin=origin)
        regions = self._regions([r for r in results if isinstance(r, dict)
                                 and r.get("from_name") == LABEL_CONTROL])
        for item in results:
            if not isinstance(item, dict):
                self.error(f"result item is not an object: {item!r}", None)
            elif item.get("type") == "relation":
                continue
            elif item.get("from_name") != LABEL_CONTROL:
                self._attribute(item, regions)
        relations = self._relations([r for r in results if isinstance(r, dict)
                                     and r.get("type") == "relation"], regions)
        spans = [Span(id=r.id, label=r.label, start=r.start, end=r.end,
                      text=self.text[r.start:r.end], attrs=self._with_defaults(r),
                      score=r.score) for r in regions.values()]
        return AnnotationSet(origin=origin, annotator=annotator, model_version=model_version,
                             spans=spans, relations=relations)

    # -- regions -------------------------------------------------------------------------

    def _regions(self, items: list[dict[str, Any]]) -> dict[str, _Region]:
        regions: dict[str, _Region] = {}
        for item in items:
            rid = str(item.get("id") or "")
            value = item.get("value") or {}
            labels = value.get("labels") or []
            if not rid:
                self.error("a region has no id", None, "id")
                continue
            if rid in regions:
                self.error("two regions share this id", rid, "id")
                continue
            if len(labels) != 1:
                self.error(f"a region needs exactly one label, it has {labels!r}", rid, "labels",
                           hint="give each region one of " + ", ".join(self.schema.span_labels))
                continue
            if labels[0] not in self.schema.span_labels:
                self.error(f"unknown label {labels[0]!r}", rid, "labels",
                           hint="labels are " + ", ".join(self.schema.span_labels))
                continue
            bounds = self._offsets(rid, value)
            if bounds is not None:
                regions[rid] = _Region(rid, bounds[0], bounds[1], labels[0],
                                       score=item.get("score"))
        return regions

    def _offsets(self, rid: str, value: dict[str, Any]) -> tuple[int, int] | None:
        """Python offsets of a region, verified against the text it says it covers."""
        start, end, quoted = value.get("start"), value.get("end"), value.get("text")
        if not isinstance(start, int) or not isinstance(end, int):
            self.error(f"offsets {start!r}-{end!r} are not integers", rid, "start",
                       hint="Label Studio text regions need numeric start and end")
            return None
        for offsets in self.maps:
            s, e = offsets.to_py(start), offsets.to_py(end)
            if s is None or e is None or e <= s:
                continue
            actual = self.text[s:e]
            if quoted is None or actual == quoted or (
                    offsets.collapse_crlf
                    and actual.replace("\r\n", "\n") == quoted.replace("\r\n", "\n")):
                return s, e
        shown = self.text[start:end] if 0 <= start < end <= len(self.text) else ""
        self.error(f"broken offset: {start}-{end} does not cover {quoted!r} (the text there "
                   f"is {shown!r})", rid, "start",
                   hint="re-create the region in Label Studio; the text must not change")
        return None

    def _attribute(self, item: dict[str, Any], regions: dict[str, _Region]) -> None:
        rid, name = str(item.get("id") or ""), item.get("from_name")
        control = self.controls.get(name)
        if control is None:
            self.error(f"unknown control {name!r}", rid or None, "from_name",
                       hint="the project's labeling config is not the generated one; "
                            "push again to update it")
            return
        region = regions.get(rid)
        if region is None:
            if not any(e.record == f"{self.doc_id}/{rid}" for e in self.errors):
                self.error(f"{name} refers to no region", rid or None, name)
            return
        if region.label != control.label:
            self.error(f"{name} belongs to {control.label} regions, this one is {region.label}",
                       rid, name, hint=f"clear {name} or change the region's label back")
            return
        value = item.get("value") or {}
        values = value.get("choices" if control.kind == "choices" else "text") or []
        values = [v for v in values if not (isinstance(v, str) and not v.strip())]
        if len(values) > 1:
            self.error(f"{name} has several values {values!r}; keep one", rid, name)
        elif values:
            v = values[0]
            region.attrs[control.attribute] = v.strip() if control.kind == "textarea" else v

    def _with_defaults(self, region: _Region) -> dict[str, Any]:
        attrs = dict(region.attrs)
        for attr in self.schema.span_labels[region.label].attributes.values():
            if attr.default is not None and attrs.get(attr.name) is None:
                attrs[attr.name] = attr.default
        return attrs

    # -- relations -----------------------------------------------------------------------

    def _relations(self, items: list[dict[str, Any]],
                   regions: dict[str, _Region]) -> list[Relation]:
        out: dict[str, Relation] = {}
        for item in items:
            a, b = str(item.get("from_id") or ""), str(item.get("to_id") or "")
            where = f"relation {a}->{b}"
            if a not in regions or b not in regions:
                missing = a if a not in regions else b
                self.error(f"relation points to a missing region {missing!r}", where)
                continue
            labels = item.get("labels") or []
            if not labels:
                self.error("relation without a label", where, "labels",
                           hint="pick its label (" + ", ".join(self.schema.relation_labels) + ")")
            for label in labels:
                oriented = self._orient(label, regions[a], regions[b],
                                        item.get("direction", "right"), where)
                if oriented:
                    head, tail = oriented
                    rel_id = relation_id(head, label, tail)
                    out[rel_id] = Relation(id=rel_id, label=label, head=head, tail=tail)
        return list(out.values())

    def _orient(self, label: str, a: _Region, b: _Region, direction: str,
                where: str) -> tuple[str, str] | None:
        """(head, tail) for a relation label; the schema decides when the arrow is reversed.

        Head and tail label sets never allow both orientations, so a relation drawn
        backwards (or as a two-way arrow) still has exactly one reading.
        """
        spec = self.schema.relation_labels.get(label)
        if spec is None:
            self.error(f"unknown relation label {label!r}", where, "labels",
                       hint="relation labels are " + ", ".join(self.schema.relation_labels))
            return None
        first, second = (b, a) if direction == "left" else (a, b)
        for head, tail in ((first, second), (second, first)):
            if head.label in spec.head and tail.label in spec.tail:
                return head.id, tail.id
        self.error(f"{label} must go from {'/'.join(spec.head)} to {'/'.join(spec.tail)}, "
                   f"not between {a.label} and {b.label}", where, "labels")
        return None


def results_to_annotation(results: list[dict[str, Any]], text: str, schema: Schema, where: str,
                          doc_id: str, **kwargs: Any) -> tuple[AnnotationSet, list[StandoffError]]:
    """Read a result list; returns the annotation set and every problem found."""
    reader = ResultReader(text, schema, where, doc_id)
    ann = reader.read(results, **kwargs)
    return ann, reader.errors
