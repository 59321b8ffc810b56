"""Predicted mentions and links -> a Document in the corpus format (origin "predicted")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.models.decode import Link
from standoff.models.text import Mention

ID_PREFIX = {"ACTOR": "a", "EVENT": "e", "BLAME": "b", "STANCE": "s"}


def span_attrs(mention: Mention) -> dict[str, str]:
    attrs = dict(mention.attrs)
    if mention.layer == "EVENT":
        attrs.setdefault("type", mention.label)
        attrs.setdefault("status", "asserted")
    elif mention.layer == "BLAME":
        attrs.setdefault("act", mention.label)
    elif mention.layer == "STANCE":
        attrs.setdefault("polarity", mention.label)
    return attrs


class IdMaker:
    """Fresh ids per layer that never collide with the ids of given spans."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        while True:
            self.next[prefix] = self.next.get(prefix, 0) + 1
            candidate = f"{prefix}{self.next[prefix]}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def _trusted(model: type[Span] | type[Relation], valid: bool, **fields: Any) -> Any:
    """A span or relation built here from well-typed values skips pydantic's validation
    (a tenth of the sklearn family's time); `valid` is the model's own rule (a span ends
    after it starts): when it fails, the validating constructor raises the usual error."""
    return model.model_construct(**fields) if valid else model(**fields)


def build_output(doc: Document, mentions: list[Mention], links: list[Link],
                 model_version: str, extra_meta: dict | None = None) -> Document:
    """The output document: same id/text/sentences/meta/split, predicted spans and relations."""
    ids = IdMaker(m.span_id for m in mentions if m.span_id)
    span_ids: dict[Mention, str] = {}
    spans = []
    # the span id breaks ties: two given spans may share offsets and attrs ("both sides")
    for m in sorted(set(mentions), key=lambda m: (m.start, m.end, m.layer, m.label, m.attrs,
                                                  m.span_id or "")):
        span_id = m.span_id or ids.new(ID_PREFIX.get(m.layer, "x"))
        span_ids[m] = span_id
        spans.append(_trusted(Span, m.end > m.start, id=span_id, label=m.layer, start=m.start,
                              end=m.end, text=doc.text[m.start:m.end], attrs=span_attrs(m),
                              score=None if m.score is None else round(float(m.score), 6)))
    relations = []
    for link in links:
        relations.append(_trusted(Relation, True, id=ids.new("r"), label=link.label,
                                  head=span_ids[link.head], tail=span_ids[link.tail],
                                  score=round(float(link.score), 6)))
    meta = {**doc.meta, **(extra_meta or {})}
    annotation = AnnotationSet(origin="predicted", model_version=model_version, spans=spans,
                               relations=relations)
    return doc.model_copy(update={"annotation": annotation, "meta": meta})
