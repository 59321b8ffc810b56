"""`standoff corpus import`: plain text, JSONL and PLOVER records -> a corpus folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.io import iter_jsonl
from standoff.core.model import AnnotationSet, Document
from standoff.core.schema import Schema
from standoff.core.seeds import DOC_ID, SeedArticle, read_seed
from standoff.corpus.build import make_document, write_corpus
from standoff.corpus.validate import validate_documents

Importer = Callable[[Path, ActorRegistry, Schema], Iterator[tuple[str, Document]]]
IMPORTERS: dict[str, Importer] = {}


def register_importer(name: str) -> Callable[[Importer], Importer]:
    def wrap(func: Importer) -> Importer:
        IMPORTERS[name] = func
        return func
    return wrap


@register_importer("text")
def import_text(path: Path, actors: ActorRegistry,
                schema: Schema) -> Iterator[tuple[str, Document]]:
    """A .txt file or a folder of them; the file name is the document id."""
    files = sorted(Path(path).glob("*.txt")) if Path(path).is_dir() else [Path(path)]
    if not files:
        raise StandoffError("no .txt files found", file=str(path))
    for txt in files:
        seed = read_seed(txt)
        seed.meta.setdefault("provenance", "imported")
        yield str(txt), make_document(seed, None)


@register_importer("jsonl")
def import_jsonl(path: Path, actors: ActorRegistry,
                 schema: Schema) -> Iterator[tuple[str, Document]]:
    """Lines with `id`, `text` and optional `meta` (or other keys, kept as metadata)."""
    for lineno, rec in iter_jsonl(path):
        where = f"{path}:{lineno}"
        doc_id, text = rec.get("id"), rec.get("text")
        if not isinstance(doc_id, str) or not DOC_ID.match(doc_id):
            raise StandoffError("missing or invalid 'id' (letters, digits, '_', '.', '-')",
                                file=where, field="id")
        if not isinstance(text, str) or not text.strip():
            raise StandoffError("missing or empty 'text'", file=where, record=doc_id,
                                field="text")
        meta: dict[str, Any] = dict(rec.get("meta") or {})
        meta.update({k: v for k, v in rec.items()
                     if k not in {"id", "text", "meta", "annotation", "split"}})
        meta.setdefault("provenance", "imported")
        seed = SeedArticle(id=doc_id, text=text, meta=meta)
        annotation = None
        if rec.get("annotation") is not None:
            try:
                annotation = AnnotationSet.model_validate(rec["annotation"])
            except ValueError as err:
                raise StandoffError(f"malformed annotation: {err}", file=where,
                                    record=doc_id, field="annotation") from err
        yield where, make_document(seed, annotation)


def import_corpus(path: Path, fmt: str, out: Path, schema_path: Path, actors_path: Path | None,
                  hf: bool = True) -> tuple[int, ActorRegistry]:
    """Import, validate, then write `out` atomically; returns (documents, registry used)."""
    if fmt not in IMPORTERS:
        raise StandoffError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(IMPORTERS)}")
    if not Path(path).exists():
        raise StandoffError("input not found", file=str(path))
    actors = ActorRegistry.load(actors_path) if actors_path and actors_path.exists() \
        else ActorRegistry({})
    schema = Schema.load(schema_path)
    docs = list(IMPORTERS[fmt](Path(path), actors, schema))
    if not docs:
        raise StandoffError("no documents found", file=str(path))
    errors = validate_documents(docs, schema, actors)
    if errors:
        raise ValidationErrors(errors)
    write_corpus(out, [d for _, d in docs], schema_path, actors,
                 extra_manifest={"imported_from": str(path), "format": fmt}, hf=hf)
    return len(docs), actors


def _register_builtin_importers() -> None:
    # plover.py registers itself on import; imported here so the registry is complete.
    from standoff.corpus import plover  # noqa: F401


_register_builtin_importers()
