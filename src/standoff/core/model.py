"""The data model: documents, spans, relations and annotation sets.

Offsets are Python string offsets (code points), end-exclusive, and a span's `text`
always equals `document.text[start:end]`. The same record serves gold and
predictions: `AnnotationSet.origin` says which.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Origin = Literal["gold", "predicted", "annotator"]


class Span(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    attrs: dict[str, Any] = Field(default_factory=dict)
    score: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"span {self.id}: end {self.end} must be after start {self.start}")
        return self


class Relation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    head: str
    tail: str
    score: float | None = None


class AnnotationSet(BaseModel):
    """All annotations of one document by one annotator or one model version."""

    model_config = ConfigDict(extra="forbid")

    origin: Origin = "gold"
    annotator: str | None = None
    model_version: str | None = None
    spans: list[Span] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    def span_by_id(self) -> dict[str, Span]:
        return {s.id: s for s in self.spans}

    def relations_from(self, head: str, label: str | None = None) -> list[Relation]:
        return [r for r in self.relations if r.head == head and (label is None or r.label == label)]


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the (start, end) sentence holding a character offset, or None."""
    for i, (s, e) in enumerate(sentences):
        if s <= offset < e:
            return i
    return None


class Document(BaseModel):
    """One article: its text, metadata, sentence offsets, split and one annotation set."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    meta: dict[str, Any] = Field(default_factory=dict)
    sentences: list[tuple[int, int]] = Field(default_factory=list)
    tokens: int | None = None
    split: Literal["train", "dev", "test"] | None = None
    annotation: AnnotationSet = Field(default_factory=AnnotationSet)

    @model_validator(mode="after")
    def _not_empty(self) -> Document:
        if not self.text.strip():
            raise ValueError(f"document {self.id}: text is empty")
        return self

    def sentence_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.sentences]

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence holding a character offset, or None."""
        return sentence_at(self.sentences, offset)
