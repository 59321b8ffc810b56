"""A built corpus on disk: `documents.jsonl` plus the schema and actor registry it was built with.

A corpus directory is self-contained, so it can be validated, shared and evaluated
without the project that built it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents, sha256_file
from standoff.core.model import Document
from standoff.core.schema import Schema

DOCUMENTS = "documents.jsonl"
SCHEMA = "schema.yaml"
ACTORS = "actors.yaml"
MANIFEST = "manifest.json"
HF_DIR = "hf"


@dataclass
class Corpus:
    path: Path
    schema: Schema
    actors: ActorRegistry

    @classmethod
    def open(cls, path: Path, fallback_schema: Path | None = None,
             fallback_actors: Path | None = None) -> Corpus:
        path = Path(path)
        if not (path / DOCUMENTS).exists():
            raise StandoffError(f"no {DOCUMENTS} here", file=str(path),
                                hint="run `standoff corpus build` or pass the corpus folder")
        schema_path = path / SCHEMA if (path / SCHEMA).exists() else fallback_schema
        actors_path = path / ACTORS if (path / ACTORS).exists() else fallback_actors
        if schema_path is None:
            raise StandoffError(f"no {SCHEMA} in the corpus folder", file=str(path))
        schema = Schema.load(schema_path)
        actors = ActorRegistry.load(actors_path) if actors_path else ActorRegistry({})
        return cls(path=path, schema=schema, actors=actors)

    @property
    def documents_path(self) -> Path:
        return self.path / DOCUMENTS

    def documents(self, split: str | None = None) -> Iterator[Document]:
        for doc in iter_documents(self.documents_path):
            if split is None or doc.split == split:
                yield doc

    def content_hash(self) -> str:
        """sha256 of documents.jsonl: the version of the data a model was trained on."""
        return sha256_file(self.documents_path)
