"""Projections of an annotation set onto the four tasks, shared by models and evaluation.

Every task is a view of the one gold representation: sentence event types, trigger
spans, actor mentions, blame records and stance records. Predictions use the same
representation, so the same projection serves both sides of an evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

from standoff.core.model import Document, Span


@dataclass(frozen=True)
class Mention:
    """A span reduced to what scoring needs."""

    start: int
    end: int
    label: str  # ACTOR, or the event type for triggers
    code: str | None = None  # actor code (ACTOR) or None


@dataclass(frozen=True)
class BlameRecord:
    act: str  # accuse | deny
    blamer: Mention | None
    blamed: Mention
    event: Mention | None  # what for
    cue: Mention
    sentence: int | None


@dataclass(frozen=True)
class StanceRecord:
    polarity: str  # support | oppose | neutral
    holder: Mention
    target: Mention  # an ACTOR or an EVENT mention
    cue: Mention
    sentence: int | None


def _mention(span: Span) -> Mention:
    if span.label == "ACTOR":
        return Mention(span.start, span.end, "ACTOR", span.attrs.get("code"))
    if span.label == "EVENT":
        return Mention(span.start, span.end, span.attrs.get("type", "EVENT"))
    return Mention(span.start, span.end, span.label)


def sentence_event_types(doc: Document) -> list[set[str]]:
    """For each sentence, the set of event types whose trigger starts in it."""
    labels: list[set[str]] = [set() for _ in doc.sentences]
    for span in doc.annotation.spans:
        if span.label == "EVENT":
            i = doc.sentence_index(span.start)
            if i is not None:
                labels[i].add(span.attrs["type"])
    return labels


def triggers(doc: Document) -> list[Mention]:
    return [_mention(s) for s in doc.annotation.spans if s.label == "EVENT"]


def actor_mentions(doc: Document) -> list[Mention]:
    return [_mention(s) for s in doc.annotation.spans if s.label == "ACTOR"]


def _roles(doc: Document) -> dict[tuple[str, str], list[Span]]:
    spans = doc.annotation.span_by_id()
    roles: dict[tuple[str, str], list[Span]] = {}
    for rel in doc.annotation.relations:
        if rel.tail in spans:
            roles.setdefault((rel.head, rel.label), []).append(spans[rel.tail])
    return roles


def event_roles(doc: Document) -> list[tuple[Mention, str, Mention]]:
    """(trigger, source|target, actor) triples."""
    spans = doc.annotation.span_by_id()
    out = []
    for rel in doc.annotation.relations:
        if rel.label in ("source", "target") and rel.head in spans and rel.tail in spans:
            out.append((_mention(spans[rel.head]), rel.label, _mention(spans[rel.tail])))
    return out


def blame_records(doc: Document) -> list[BlameRecord]:
    roles = _roles(doc)
    out = []
    for span in doc.annotation.spans:
        if span.label != "BLAME":
            continue
        blamed = roles.get((span.id, "blamed"))
        if not blamed:
            continue
        blamer = roles.get((span.id, "blamer"))
        event = roles.get((span.id, "for"))
        out.append(BlameRecord(
            act=span.attrs.get("act", "accuse"),
            blamer=_mention(blamer[0]) if blamer else None,
            blamed=_mention(blamed[0]),
            event=_mention(event[0]) if event else None,
            cue=_mention(span), sentence=doc.sentence_index(span.start),
        ))
    return out


def stance_records(doc: Document) -> list[StanceRecord]:
    roles = _roles(doc)
    out = []
    for span in doc.annotation.spans:
        if span.label != "STANCE":
            continue
        holder, target = roles.get((span.id, "holder")), roles.get((span.id, "toward"))
        if not holder or not target:
            continue
        out.append(StanceRecord(
            polarity=span.attrs.get("polarity", "neutral"), holder=_mention(holder[0]),
            target=_mention(target[0]), cue=_mention(span),
            sentence=doc.sentence_index(span.start),
        ))
    return out


def input_view(doc: Document, keep_labels: frozenset[str] = frozenset()) -> Document:
    """The document as a model sees it: the text, plus only the gold spans it may use.

    `keep_labels=frozenset()` gives end-to-end input; `{"ACTOR"}` (or `{"ACTOR", "EVENT"}`)
    gives the "gold actors" setting in which relation models score on their own.
    Relations are always removed: they are what relation models predict.
    """
    from standoff.core.model import AnnotationSet

    spans = [s.model_copy() for s in doc.annotation.spans if s.label in keep_labels]
    return doc.model_copy(update={"annotation": AnnotationSet(origin="gold", spans=spans)})
