"""The corpus as a Hugging Face `datasets.DatasetDict` (Arrow), one split per key.

Attributes vary per label, so they travel as JSON strings; `from_hf` inverts `to_hf`
exactly (tested), so the Arrow build loses nothing that documents.jsonl holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from standoff.core.model import AnnotationSet, Document, Relation, Span

SPLITS = ("train", "dev", "test")


def _row(doc: Document) -> dict:
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


def _features():
    from datasets import Features, Sequence, Value

    span = {"id": Value("string"), "label": Value("string"), "start": Value("int64"),
            "end": Value("int64"), "text": Value("string"), "attrs": Value("string"),
            "score": Value("float64")}
    rel = {"id": Value("string"), "label": Value("string"), "head": Value("string"),
           "tail": Value("string"), "score": Value("float64")}
    return Features({
        "id": Value("string"), "text": Value("string"), "split": Value("string"),
        "meta": Value("string"), "sentences": Sequence(Sequence(Value("int64"))),
        "tokens": Value("int64"), "origin": Value("string"), "annotator": Value("string"),
        "model_version": Value("string"), "spans": [span], "relations": [rel],
    })


def to_hf(docs: Iterable[Document]):
    from datasets import Dataset, DatasetDict
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # the CLI shows its own progress

    rows: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for doc in docs:
        rows[doc.split or "train"].append(_row(doc))
    features = _features()
    # from_dict with explicit columns also works for an empty split, unlike from_list.
    return DatasetDict({
        s: Dataset.from_dict({k: [r[k] for r in rows[s]] for k in features}, features=features)
        for s in SPLITS
    })


def from_hf_row(row: dict) -> Document:
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
