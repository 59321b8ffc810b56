"""Small hand-made documents for hand-computed metric tests."""

from __future__ import annotations

from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.corpus.sentences import split_sentences


def span(text: str, sid: str, label: str, quote: str, nth: int = 0, **attrs) -> Span:
    """The nth occurrence of `quote` in `text` as a span."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Span(id=sid, label=label, start=start, end=start + len(quote), text=quote,
                attrs=attrs)


def doc(doc_id: str, text: str, spans: list[Span], rels: list[tuple[str, str, str]] = (),
        origin: str = "gold") -> Document:
    sentences, tokens = split_sentences(text)
    relations = [Relation(id=f"r{i}", label=label, head=h, tail=t)
                 for i, (h, label, t) in enumerate(rels)]
    return Document(id=doc_id, text=text, sentences=sentences, tokens=tokens, split="test",
                    annotation=AnnotationSet(origin=origin, spans=spans, relations=relations))
