"""Documents as flat Arrow rows (attributes as JSON strings) and back, losslessly."""

from __future__ import annotations

import json

from standoff.core.model import AnnotationSet, Document, Relation, Span


def document_to_row(doc: Document) -> dict:
    ann = doc.annotation
    return {
        "id": doc.id,
        "text": doc.text,
        "split": doc.split or "",
        "meta": json.dumps(doc.meta, ensure_ascii=False, sort_keys=True),
        "sentences": [list(s) for s in doc.sentences],
        "tokens": doc.tokens or 0,
        "origin": ann.origin,
        "annotator": ann.annotator or "",
        "model_version": ann.model_version or "",
        "spans": [
            {"id": s.id, "label": s.label, "start": s.start, "end": s.end, "text": s.text,
             "attrs": json.dumps(s.attrs, ensure_ascii=False, sort_keys=True),
             "score": s.score}
            for s in ann.spans
        ],
        "relations": [
            {"id": r.id, "label": r.label, "head": r.head, "tail": r.tail, "score": r.score}
            for r in ann.relations
        ],
    }


def row_to_document(row: dict) -> Document:
    ann = AnnotationSet(
        origin=row["origin"], annotator=row["annotator"] or None,
        model_version=row["model_version"] or None,
        spans=[Span(id=s["id"], label=s["label"], start=s["start"], end=s["end"], text=s["text"],
                    attrs=json.loads(s["attrs"]), score=s["score"]) for s in row["spans"]],
        relations=[Relation(**r) for r in row["relations"]],
    )
    return Document(id=row["id"], text=row["text"], split=row["split"] or None,
                    meta=json.loads(row["meta"]), sentences=[tuple(s) for s in row["sentences"]],
                    tokens=row["tokens"], annotation=ann)
