"""Sentences and tokens as every model family sees them: absolute character offsets.

All families tokenize with spaCy's blank English tokenizer so that a span found by one
component lines up with the tokens of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokenizer import Tokenizer

from standoff.core.model import Document


class _TokenFields(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


class Token(_TokenFields):
    """A token: absolute character offsets, its text and its lowercase text (computed once).

    A tuple of plain values, so the garbage collector stops tracking it: prediction makes
    one per word, and tracked ones made full collections a quarter of the run time."""

    __slots__ = ()

    def __new__(cls, start: int, end: int, text: str) -> Token:
        return super().__new__(cls, start, end, text, text.lower())

    def __getnewargs__(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.text)


@dataclass(frozen=True)
class Mention:
    """A span a component found or was given: layer, label within the layer, offsets, score.

    `layer` is the span label (ACTOR, EVENT, BLAME, STANCE); `label` is what a detector
    predicts inside it (ACTOR, the event type, the blame act or the stance polarity).
    `span_id` is set for spans given in the input (gold mentions), whose ids are kept.
    """

    layer: str
    label: str
    start: int
    end: int
    score: float | None = None
    span_id: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, int, int]:
        return (self.layer, self.label, self.start, self.end)

    def attr(self, name: str, default: str | None = None) -> str | None:
        return dict(self.attrs).get(name, default)


@dataclass
class Sentence:
    """One sentence of one document, with the mentions known in it (gold or given)."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    tokens: list[Token]
    mentions: list[Mention] = field(default_factory=list)

    def words(self) -> list[str]:
        return [t.text for t in self.tokens]

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token indices [i, j) overlapping characters [start, end), or None."""
        idx = [i for i, t in enumerate(self.tokens) if t.start < end and t.end > start]
        return (idx[0], idx[-1] + 1) if idx else None


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    return spacy.blank("en").tokenizer


def tokenize(text: str, offset: int = 0) -> list[Token]:
    # one array of (start, length, is space) instead of a spaCy Token object per token
    rows = tokenizer()(text).to_array([IDX, LENGTH, IS_SPACE]).tolist()
    return [Token(offset + at, offset + at + n, text[at:at + n]) for at, n, space in rows
            if not space]


def ensure_sentences(doc: Document) -> Document:
    """Documents from plain text or bare JSONL may lack sentence offsets: add them."""
    if doc.sentences:
        return doc
    from standoff.corpus.sentences import split_sentences

    sentences, tokens = split_sentences(doc.text)
    if not sentences:
        sentences = [(0, len(doc.text))]
    return doc.model_copy(update={"sentences": sentences, "tokens": tokens})


def sentences_of(doc: Document, layers: frozenset[str] = frozenset()) -> list[Sentence]:
    """The document's sentences, each with its spans of the given layers as mentions."""
    out = []
    for i, (s, e) in enumerate(doc.sentences):
        out.append(Sentence(doc.id, i, s, e, doc.text[s:e], tokenize(doc.text[s:e], s)))
    for span in doc.annotation.spans:
        if span.label not in layers:
            continue
        i = doc.sentence_index(span.start)
        if i is None or span.end > out[i].end:
            continue  # a span across a sentence boundary cannot be a sentence-level example
        out[i].mentions.append(mention_of(span))
    return out


def mention_of(span) -> Mention:
    label = {"ACTOR": "ACTOR", "EVENT": span.attrs.get("type", "EVENT"),
             "BLAME": span.attrs.get("act", "accuse"),
             "STANCE": span.attrs.get("polarity", "neutral")}.get(span.label, span.label)
    attrs = tuple(sorted((k, str(v)) for k, v in span.attrs.items()))
    return Mention(span.label, label, span.start, span.end, span.score, span.id, attrs)
