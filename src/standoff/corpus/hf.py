"""The corpus as a Hugging Face `datasets.DatasetDict` (Arrow), one split per key.

Attributes vary per label, so they travel as JSON strings; `from_hf` inverts `to_hf`
exactly (tested), so the Arrow build loses nothing that documents.jsonl holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from standoff.core.arrow import document_to_row, row_to_document
from standoff.core.model import Document

SPLITS = ("train", "dev", "test")


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
        rows[doc.split or "train"].append(document_to_row(doc))
    features = _features()
    # from_dict with explicit columns also works for an empty split, unlike from_list.
    return DatasetDict({
        s: Dataset.from_dict({k: [r[k] for r in rows[s]] for k in features}, features=features)
        for s in SPLITS
    })




def from_hf_row(row: dict) -> Document:
    return row_to_document(row)
