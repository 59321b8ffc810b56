"""Synthetic predictions: gold documents with controlled, seeded mistakes.

For tests and the benchmark: a perturbed copy of a gold document is a prediction whose
errors are known (dropped spans, shifted boundaries, wrong labels, spurious spans),
and copies of the corpus under new ids make data sets of any size.
"""

from __future__ import annotations

import random
import re

from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.core.schema import EVENT_TYPES

WORD = re.compile(r"\w{4,}")
FLIPS = {"act": ("accuse", "deny"), "polarity": ("support", "oppose", "neutral")}


def _relabel(span: Span, rng: random.Random, codes: list[str]) -> Span:
    attrs = dict(span.attrs)
    if span.label == "EVENT":
        attrs["type"] = rng.choice([t for t in EVENT_TYPES if t != attrs.get("type")])
        attrs.pop("mode", None)
    elif span.label == "ACTOR" and codes:
        attrs["code"] = rng.choice([c for c in codes if c != attrs.get("code")] or codes)
    for name, values in FLIPS.items():
        if name in attrs:
            attrs[name] = rng.choice([v for v in values if v != attrs[name]])
    return span.model_copy(update={"attrs": attrs})


def _shift(span: Span, text: str, rng: random.Random) -> Span:
    start = max(0, span.start + rng.choice((-2, 0, 0, 2)))
    end = min(len(text), max(start + 1, span.end + rng.choice((-2, 2, 3))))
    return span.model_copy(update={"start": start, "end": end, "text": text[start:end]})


def perturb(doc: Document, seed: int = 0, drop: float = 0.15, shift: float = 0.1,
            relabel: float = 0.1, spurious: float = 0.1,
            labels: frozenset[str] | None = None) -> Document:
    """A prediction made from gold: each span of `labels` (default all) may be dropped,
    shifted or relabelled; spurious spans land on random words. Relations follow spans."""
    rng = random.Random(f"{seed}:{doc.id}")
    codes = sorted({s.attrs["code"] for s in doc.annotation.spans if s.label == "ACTOR"})
    spans: list[Span] = []
    for span in doc.annotation.spans:
        if labels is not None and span.label not in labels:
            spans.append(span)
            continue
        roll = rng.random()
        if roll < drop:
            continue
        if roll < drop + shift:
            span = _shift(span, doc.text, rng)
        elif roll < drop + shift + relabel:
            span = _relabel(span, rng, codes)
        spans.append(span.model_copy(update={"score": round(rng.uniform(0.5, 1.0), 3)}))
    words = list(WORD.finditer(doc.text))
    templates = [s for s in doc.annotation.spans if labels is None or s.label in labels]
    for n in range(int(len(templates) * spurious)):
        word, like = rng.choice(words), rng.choice(templates)
        spans.append(_relabel(like, rng, codes).model_copy(update={
            "id": f"{like.id}~x{n}", "start": word.start(), "end": word.end(),
            "text": word.group(), "score": 0.5}))
    kept = {s.id for s in spans}
    relations = [r for r in doc.annotation.relations if r.head in kept and r.tail in kept]
    return doc.model_copy(update={"annotation": AnnotationSet(
        origin="predicted", model_version="synthetic/perturbed", spans=spans,
        relations=relations)})


def replicate(docs: list[Document], n: int) -> list[Document]:
    """n documents cycling through `docs` under new ids (for scale tests)."""
    return [docs[i % len(docs)].model_copy(update={"id": f"{docs[i % len(docs)].id}~{i}"})
            for i in range(n)]


def relation(head: str, label: str, tail: str) -> Relation:
    return Relation(id=f"{head}-{label}-{tail}", label=label, head=head, tail=tail)
