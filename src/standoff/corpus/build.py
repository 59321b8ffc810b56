"""`standoff corpus build`: seeds + gold annotations -> a validated corpus, atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from standoff.annotation.goldfile import load_gold_file
from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.io import write_jsonl_atomic
from standoff.core.model import AnnotationSet, Document
from standoff.core.paths import ProjectPaths
from standoff.core.schema import Schema
from standoff.core.seeds import SeedArticle, iter_seeds
from standoff.corpus.sentences import split_sentences
from standoff.corpus.splits import assign_split
from standoff.corpus.store import ACTORS, DOCUMENTS, HF_DIR, MANIFEST, SCHEMA, Corpus
from standoff.corpus.validate import validate_documents


@dataclass
class BuildResult:
    out: Path
    documents: int
    unannotated: list[str] = field(default_factory=list)
    content_hash: str = ""


def make_document(seed: SeedArticle, annotation: AnnotationSet | None) -> Document:
    sentences, tokens = split_sentences(seed.text)
    meta = {k: v for k, v in seed.meta.items() if k != "split"}
    return Document(id=seed.id, text=seed.text, meta=meta, sentences=sentences, tokens=tokens,
                    split=assign_split(seed.id, seed.meta.get("split")),
                    annotation=annotation or AnnotationSet())


def collect_documents(paths: ProjectPaths) -> tuple[list[Document], list[str]]:
    """Seeds joined with their gold files; every problem is collected before failing."""
    seeds = {s.id: s for s in iter_seeds(paths.seeds)}
    gold_files = sorted(paths.gold.glob("*.yaml")) if paths.gold.is_dir() else []
    errors: list[StandoffError] = []
    annotations: dict[str, AnnotationSet] = {}
    for gold in gold_files:
        doc_id = gold.stem
        if doc_id not in seeds:
            errors.append(StandoffError("gold annotations for a document that is not in seeds/",
                                        file=str(gold), record=doc_id,
                                        hint=f"add seeds/{doc_id}.txt or rename the file"))
            continue
        try:
            annotations[doc_id] = load_gold_file(gold, seeds[doc_id].text, doc_id)
        except StandoffError as err:
            errors.append(err)
    if errors:
        raise ValidationErrors(errors)
    docs = [make_document(seeds[i], annotations[i]) for i in sorted(annotations)]
    unannotated = sorted(set(seeds) - set(annotations))
    return docs, unannotated


def write_corpus(out: Path, docs: list[Document], schema_path: Path, actors: ActorRegistry,
                 extra_manifest: dict | None = None, hf: bool = True) -> str:
    """Write a corpus folder; on any failure the previous files stay as they were."""
    from standoff.core.yamlio import dump_yaml

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build.", dir=out))
    try:
        write_jsonl_atomic(staging / DOCUMENTS, docs)
        shutil.copyfile(schema_path, staging / SCHEMA)
        (staging / ACTORS).write_text(dump_yaml(actors.to_yaml_dict()), encoding="utf-8")
        content_hash = Corpus.open(staging).content_hash()
        manifest = {"documents": len(docs), "content_hash": content_hash,
                    "schema_version": Schema.load(schema_path).version, **(extra_manifest or {})}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if hf:
            from standoff.corpus.hf import to_hf

            to_hf(docs).save_to_disk(str(staging / HF_DIR))
        for name in (DOCUMENTS, SCHEMA, ACTORS, MANIFEST):
            os.replace(staging / name, out / name)
        if hf:
            old = out / f".{HF_DIR}.old"
            shutil.rmtree(old, ignore_errors=True)
            if (out / HF_DIR).exists():
                os.replace(out / HF_DIR, old)
            os.replace(staging / HF_DIR, out / HF_DIR)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return content_hash


def build_corpus(paths: ProjectPaths, out: Path | None = None, hf: bool = True) -> BuildResult:
    schema = Schema.load(paths.schema)
    actors = ActorRegistry.load(paths.actors)
    docs, unannotated = collect_documents(paths)
    if not docs:
        raise StandoffError("no annotated documents to build", file=str(paths.gold),
                            hint="write gold files in annotation/gold/<doc id>.yaml")
    errors = validate_documents([(f"annotation/gold/{d.id}.yaml", d) for d in docs], schema,
                                actors)
    if errors:
        raise ValidationErrors(errors)
    out = out or paths.corpus
    content_hash = write_corpus(out, docs, paths.schema, actors, hf=hf)
    return BuildResult(out=out, documents=len(docs), unannotated=unannotated,
                       content_hash=content_hash)


def check_gold_files(paths: ProjectPaths, files: list[Path]) -> list[Document]:
    """Resolve and validate some gold files without building: for annotators' pre-commit checks."""
    from standoff.core.seeds import read_seed

    schema = Schema.load(paths.schema)
    actors = ActorRegistry.load(paths.actors)
    errors: list[StandoffError] = []
    docs: list[tuple[str, Document]] = []
    for gold in files:
        seed_txt = paths.seeds / f"{Path(gold).stem}.txt"
        try:
            seed = read_seed(seed_txt)
            docs.append((str(gold), make_document(seed, load_gold_file(gold, seed.text, seed.id))))
        except StandoffError as err:
            errors.append(err)
    errors.extend(validate_documents(docs, schema, actors))
    if errors:
        raise ValidationErrors(errors)
    return [d for _, d in docs]
