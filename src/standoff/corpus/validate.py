"""`standoff corpus validate`: every problem in a corpus, each named by file, document, record."""

from __future__ import annotations

from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.io import iter_jsonl, parse_document
from standoff.core.model import Document
from standoff.core.schema import Schema
from standoff.corpus.store import Corpus


def validate_documents(
    docs: list[tuple[str, Document]], schema: Schema, actors: ActorRegistry | None
) -> list[StandoffError]:
    """Problems across documents: duplicate ids, then each document against the schema."""
    errors: list[StandoffError] = []
    first_seen: dict[str, str] = {}
    for where, doc in docs:
        if doc.id in first_seen:
            errors.append(StandoffError(f"duplicate document id (first at {first_seen[doc.id]})",
                                        file=where, record=doc.id))
            continue
        first_seen[doc.id] = where
        errors.extend(schema.validate_document(doc, actors, where))
    return errors


def validate_corpus(path: Path, fallback_schema: Path | None = None,
                    fallback_actors: Path | None = None) -> tuple[int, list[StandoffError]]:
    """(documents read, errors). Malformed lines are errors too, and reading goes on."""
    corpus = Corpus.open(path, fallback_schema, fallback_actors)
    docs: list[tuple[str, Document]] = []
    errors: list[StandoffError] = []
    for lineno, record in iter_jsonl(corpus.documents_path):
        where = f"{corpus.documents_path}:{lineno}"
        try:
            docs.append((where, parse_document(record, where)))
        except StandoffError as err:
            errors.append(err)
    errors.extend(validate_documents(docs, corpus.schema, corpus.actors))
    return len(docs), errors
