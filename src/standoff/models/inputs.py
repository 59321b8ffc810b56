"""What `standoff predict` reads: every input `core.streams.open_input` reads, plus the
corpus split names train/dev/test (the corpus is a stage core does not import)."""

from __future__ import annotations

from pathlib import Path

from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents
from standoff.core.records import input_view
from standoff.core.streams import InputStream, OnError, ReadReport
from standoff.core.streams import open_input as open_stream
from standoff.corpus.store import Corpus

SPLITS = ("train", "dev", "test")


def open_input(source: str, corpus_dir: Path, keep: frozenset[str] = frozenset(),
               on_error: OnError = "stop", batch_size: int = 256) -> InputStream:
    """Documents to predict on, stripped of gold annotations except the `keep` span labels.

    A split name reads the corpus, unless a file or folder of that name exists here."""
    path = Path(source)
    if source in SPLITS and not path.exists():
        corpus = Corpus.open(corpus_dir)
        total = sum(1 for d in iter_documents(corpus.documents_path) if d.split == source)
        docs = (input_view(d, keep) for d in corpus.documents(source))
        return InputStream(source, total, docs, ReadReport())
    if "://" not in source and not path.exists():
        raise StandoffError(f"input {source!r} not found",
                            hint="give a text file, a folder, JSONL, Parquet, a saved Hugging "
                                 "Face dataset, a URL, or train/dev/test")
    stream = open_stream(source, on_error, batch_size=batch_size)
    stream.documents = (input_view(d, keep) for d in stream.documents)
    return stream
