"""What `standoff predict` reads: a text file, a folder, JSONL, or a corpus split name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents, iter_jsonl, parse_document
from standoff.core.model import Document
from standoff.core.records import input_view
from standoff.core.yamlio import read_text
from standoff.corpus.store import DOCUMENTS, Corpus

SPLITS = ("train", "dev", "test")


@dataclass
class PredictionInput:
    name: str  # used in default output names
    total: int | None  # documents, when cheap to know
    documents: Iterator[Document]


def _doc_id(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem) or "document"


def _text_document(path: Path) -> Document:
    text = read_text(path)
    if not text.strip():
        raise StandoffError("empty text", file=str(path), hint="remove the file or write text")
    return Document(id=_doc_id(path), text=text, meta={"source_file": path.name})


def _jsonl_documents(path: Path, keep: frozenset[str]) -> Iterator[Document]:
    for lineno, record in iter_jsonl(path):
        where = f"{path}:{lineno}"
        if not isinstance(record.get("id"), str) or not isinstance(record.get("text"), str):
            raise StandoffError("each line needs a string 'id' and 'text'", file=where,
                                hint="use the corpus document format or {\"id\", \"text\"}")
        yield input_view(parse_document(record, where), keep)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def open_input(source: str, corpus_dir: Path, keep: frozenset[str] = frozenset()
               ) -> PredictionInput:
    """Documents to predict on, stripped of gold annotations except the `keep` span labels."""
    path = Path(source)
    if source in SPLITS and not path.exists():
        corpus = Corpus.open(corpus_dir)
        total = sum(1 for d in iter_documents(corpus.documents_path) if d.split == source)
        docs = (input_view(d, keep) for d in corpus.documents(source))
        return PredictionInput(source, total, docs)
    if path.is_dir():
        if (path / DOCUMENTS).is_file():
            return PredictionInput(path.name, _count_lines(path / DOCUMENTS),
                                   _jsonl_documents(path / DOCUMENTS, keep))
        files = sorted(path.glob("*.txt"))
        if not files:
            raise StandoffError("no .txt files or documents.jsonl in the folder", file=source)
        return PredictionInput(path.name, len(files), (_text_document(f) for f in files))
    if path.is_file():
        if path.suffix in (".jsonl", ".json"):
            return PredictionInput(path.stem, _count_lines(path), _jsonl_documents(path, keep))
        return PredictionInput(path.stem, 1, iter([_text_document(path)]))
    raise StandoffError(f"input {source!r} not found",
                        hint="give a text file, a folder, a JSONL file or train/dev/test")
