"""Inputs of the `standoff annotate` commands: documents, predictions, folders, decisions."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from standoff.annotation.labelstudio.pull import Pulled
from standoff.annotation.sets import load_folder, source_name
from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents
from standoff.core.model import AnnotationSet, Document
from standoff.core.paths import ProjectPaths
from standoff.core.schema import Schema
from standoff.core.seeds import iter_seeds
from standoff.core.yamlio import load_yaml

SPLITS = ("train", "dev", "test")


def schema_and_actors(paths: ProjectPaths) -> tuple[Schema, ActorRegistry]:
    return Schema.load(paths.schema), ActorRegistry.load(paths.actors)


def select(docs: Iterable[Document], selection: str) -> list[Document]:
    """all | train | dev | test | id,glob*,... | @file (one id or glob per line)."""
    docs = list(docs)
    selection = selection.strip()
    if selection in ("", "all"):
        return docs
    if selection in SPLITS:
        return [d for d in docs if d.split == selection]
    if selection.startswith("@"):
        path = Path(selection[1:])
        if not path.is_file():
            raise StandoffError("selection file not found", file=str(path))
        patterns = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.startswith("#")]
    else:
        patterns = [p.strip() for p in selection.split(",") if p.strip()]
    chosen = [d for d in docs if any(fnmatch.fnmatchcase(d.id, p) for p in patterns)]
    unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(d.id, p) for d in docs)]
    if unmatched:
        raise StandoffError(f"no document matches {', '.join(unmatched)}", field="documents",
                            hint="use ids from the corpus, globs like '000_*', or a split name")
    return chosen


def corpus_documents(paths: ProjectPaths, corpus: Path | None,
                     selection: str) -> tuple[list[Document], Schema, ActorRegistry]:
    folder = corpus or paths.corpus
    documents = Path(folder) / "documents.jsonl"
    if not documents.exists():
        raise StandoffError("no documents.jsonl here", file=str(folder),
                            hint="run `standoff corpus build` first")
    schema, actors = schema_and_actors(paths)
    return select(iter_documents(documents), selection), schema, actors


def load_predictions(paths: ProjectPaths, value: str,
                     docs: list[Document]) -> tuple[dict[str, AnnotationSet], dict[str, str]]:
    """(doc id -> predicted set, doc id -> text) from a JSONL file or by running a model."""
    path = Path(value)
    if path.suffix in (".jsonl", ".json") or path.is_file():
        if not path.is_file():
            raise StandoffError("predictions file not found", file=str(path))
        preds = list(iter_documents(path))
    else:
        preds = _run_model(paths, value, docs)
    return {d.id: d.annotation for d in preds}, {d.id: d.text for d in preds}


def _run_model(paths: ProjectPaths, ref: str, docs: list[Document]) -> list[Document]:
    try:
        from standoff.models.api import load_model
    except ImportError as err:
        raise StandoffError(f"{ref!r} is neither a predictions file nor a loadable model",
                            hint="pass a JSONL file written by `standoff predict`") from err
    from standoff.core.records import input_view

    model = load_model(ref, paths.models)
    return list(model.predict(input_view(d) for d in docs))


def seed_texts(paths: ProjectPaths) -> dict[str, str]:
    if not paths.seeds.is_dir():
        return {}
    return {seed.id: seed.text for seed in iter_seeds(paths.seeds)}


def source_folders(paths: ProjectPaths, sources: list[str]) -> list[Path]:
    """Folders for names: a path, `gold`, or an annotator under annotation/annotators/."""
    folders = []
    for source in sources:
        # Relative paths are read from the project root (STANDOFF_ROOT), then the cwd.
        candidates = [paths.root / source, Path(source), paths.annotation / "annotators" / source]
        if source == "gold":
            candidates.insert(0, paths.gold)
        found = next((c for c in candidates if c.is_dir()), None)
        if found is None:
            raise StandoffError(f"no annotation folder {source!r}",
                                hint="pass a folder or a name under annotation/annotators/")
        folders.append(found)
    names = [f.resolve().name for f in folders]
    if len(set(names)) != len(names):
        raise StandoffError(f"two sources share a name: {names}",
                            hint="annotator names are folder names; rename one")
    return folders


def folder_sets(paths: ProjectPaths, sources: list[str]) -> tuple[
        dict[str, dict[str, AnnotationSet]], dict[str, str], dict[str, list[str]]]:
    """(annotator -> doc -> set, texts, documents left out) for the documents all folders have.

    Only those documents are read, so a broken file elsewhere does not stop the comparison.
    """
    folders = source_folders(paths, sources)
    texts = seed_texts(paths)
    ids = {source_name(f): {p.stem for p in f.glob("*.yaml")} for f in folders}
    common = set.intersection(*ids.values()) if ids else set()
    left_out = {name: sorted(i - common) for name, i in ids.items() if i - common}
    sets = {source_name(f): load_folder(f, texts, only=common) for f in folders}
    return sets, texts, left_out


def documents_for(paths: ProjectPaths, texts: dict[str, str],
                  ids: set[str]) -> dict[str, Document]:
    """Documents with sentences: from the corpus when its text matches, else segmented now."""
    from standoff.corpus.sentences import split_sentences

    docs: dict[str, Document] = {}
    corpus_file = paths.corpus / "documents.jsonl"
    if corpus_file.exists():
        for doc in iter_documents(corpus_file):
            if doc.id in ids and texts.get(doc.id, doc.text) == doc.text:
                docs[doc.id] = doc.model_copy(update={"annotation": AnnotationSet()})
    for doc_id in sorted(ids - set(docs)):
        if doc_id in texts:
            sentences, tokens = split_sentences(texts[doc_id])
            docs[doc_id] = Document(id=doc_id, text=texts[doc_id], sentences=sentences,
                                    tokens=tokens)
    return docs


def sets_by_annotator(items: list[Pulled]) -> dict[str, dict[str, Pulled]]:
    out: dict[str, dict[str, Pulled]] = {}
    for item in items:
        out.setdefault(item.annotator, {})[item.doc_id] = item
    return out


def load_decisions(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    data: Any = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise StandoffError("decisions must map conflict ids to keep or drop", file=str(path))
    return {str(k): str(v) for k, v in data.items()}


def annotator_for(out: Path, paths: ProjectPaths) -> str:
    return "gold" if Path(out).resolve() == paths.gold.resolve() else "adjudicated"
