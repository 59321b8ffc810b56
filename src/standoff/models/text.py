"""Sentences and tokens as every model family sees them: absolute character offsets.

All families tokenize with spaCy's blank English tokenizer so that a span found by one
component lines up with the tokens of another.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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
        starts, ends = self._bounds
        first = bisect_right(ends, start)  # tokens are in order and do not overlap
        last = bisect_left(starts, end)
        return (first, last) if first < last else None

    @cached_property
    def lowers(self) -> list[str]:
        """The tokens' lowercase texts (read-only: shared by every feature of the sentence)."""
        return [t.lower for t in self.tokens]

    @cached_property
    def _bounds(self) -> tuple[list[int], list[int]]:
        return [t.start for t in self.tokens], [t.end for t in self.tokens]


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


def prepare(doc: Document, layers: frozenset[str] = frozenset()
            ) -> tuple[Document, list[Sentence]]:
    """`ensure_sentences` then `sentences_of`; a document without sentence offsets is
    tokenized once, not once to split it and again per sentence."""
    if doc.sentences:
        return doc, sentences_of(doc, layers)
    offsets, count, tokens = split_with_tokens(doc.text)
    if not offsets:
        doc = ensure_sentences(doc)
        return doc, sentences_of(doc, layers)
    doc = doc.model_copy(update={"sentences": offsets, "tokens": count})
    return doc, sentences_of(doc, layers, tokens)


def split_with_tokens(text: str) -> tuple[list[tuple[int, int]], int, list[list[Token]]]:
    """`split_sentences(text)` plus each sentence's tokens, taken from the segmenter's own
    tokens when the sentence starts and ends at whitespace (spaCy tokenizes each
    whitespace-separated chunk on its own, so they are what `tokenize` would give);
    otherwise tokenized on its own."""
    from standoff.corpus.sentences import line_sentences

    offsets: list[tuple[int, int]] = []
    count = 0
    tokens: list[list[Token]] = []
    for doc, pos, found in line_sentences(text):
        rows = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
        starts = [pos + at for at, _, space in rows if not space]
        lengths = [n for _, n, space in rows if not space]
        count += len(starts)
        for s, e in found:
            offsets.append((s, e))
            if (s == 0 or text[s - 1].isspace()) and (e == len(text) or text[e].isspace()):
                lo, hi = bisect_left(starts, s), bisect_left(starts, e)
                tokens.append([Token(a, a + n, text[a:a + n])
                               for a, n in zip(starts[lo:hi], lengths[lo:hi], strict=True)])
            else:
                tokens.append(tokenize(text[s:e], s))
    return offsets, count, tokens


def sentences_of(doc: Document, layers: frozenset[str] = frozenset(),
                 tokens: list[list[Token]] | None = None) -> list[Sentence]:
    """The document's sentences, each with its spans of the given layers as mentions
    (`tokens`: each sentence's tokens, when already known)."""
    out = []
    for i, (s, e) in enumerate(doc.sentences):
        words = tokens[i] if tokens is not None else tokenize(doc.text[s:e], s)
        out.append(Sentence(doc.id, i, s, e, doc.text[s:e], words))
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
