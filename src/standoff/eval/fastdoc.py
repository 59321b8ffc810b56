"""Documents read for scoring only: msgspec structs with the fields and methods the
scorers, the checks and the gold hash read of `core.model.Document`.

Building pydantic models is most of the cost of scoring a large archive (~1 ms for a
28 KB document line of ~200 spans and relations); msgspec decodes the same line into
structs in ~0.2 ms. The structs accept a subset of what the pydantic models accept,
with the same values: strict types (no "5" or 5.0 for an int), the same bounds and the
same checks (offsets >= 0, end after start, a text that is not blank, no unknown
fields). A line they reject is read by pydantic as before, so it is either accepted
just the same or rejected with the same messages. Only evaluation reads them: a document
that goes on to a model, or is written out, is a pydantic `Document`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from standoff.core.model import Document, sentence_at

Offset = Annotated[int, msgspec.Meta(ge=0)]


class FastSpan(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    label: str
    start: Offset
    end: Offset
    text: str
    attrs: dict[str, Any] = {}
    score: float | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start:  # the pydantic model's check; its message on re-reading
            raise ValueError("end must be after start")


class FastRelation(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    label: str
    head: str
    tail: str
    score: float | None = None


class FastAnnotation(msgspec.Struct, forbid_unknown_fields=True):
    origin: Literal["gold", "predicted", "annotator"] = "gold"
    annotator: str | None = None
    model_version: str | None = None
    spans: list[FastSpan] = []
    relations: list[FastRelation] = []

    def span_by_id(self) -> dict[str, FastSpan]:
        return {s.id: s for s in self.spans}

    def relations_from(self, head: str, label: str | None = None) -> list[FastRelation]:
        return [r for r in self.relations if r.head == head and (label is None or r.label == label)]


class FastDocument(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    text: str
    meta: dict[str, Any] = {}
    sentences: list[tuple[int, int]] = []
    tokens: int | None = None
    split: Literal["train", "dev", "test"] | None = None
    annotation: FastAnnotation = msgspec.field(default_factory=FastAnnotation)

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("text is empty")

    def sentence_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.sentences]

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence holding a character offset, or None."""
        return sentence_at(self.sentences, offset)

    def with_empty_prediction(self) -> FastDocument:
        """The document predicting nothing (data.empty_prediction)."""
        return msgspec.structs.replace(self, annotation=FastAnnotation(origin="predicted"))

    def to_document(self) -> Document:
        """The pydantic document (for anything beyond scoring)."""
        return Document.model_validate_json(msgspec.json.encode(self))


_DECODER = msgspec.json.Decoder(FastDocument)


def decode_fast(raw: bytes) -> FastDocument | None:
    """The line as a FastDocument; None when pydantic must read it (and judge it)."""
    try:
        return _DECODER.decode(raw)
    except msgspec.DecodeError:  # also msgspec.ValidationError
        return None
