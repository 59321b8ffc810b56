"""Fixtures for the evaluation tests: real gold documents cut from the annotated seed.

The seed article's gold annotation (annotation/gold/000_...yaml) is cut into several
small documents, two lines each, keeping the spans and relations inside each piece.
That gives a multi-document gold with every layer (events, actors, blame, stance)
whatever the state of the growing corpus.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from standoff.annotation.goldfile import load_gold_file
from standoff.core.io import write_jsonl_atomic
from standoff.core.model import AnnotationSet, Document
from standoff.core.seeds import read_seed
from standoff.corpus.build import make_document

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
PLOVER_DEV = SHARED / "external" / "plover-gsr" / "dev.json"
SEED_ID = "000_f9c8955652b849b6"


def seed_document() -> Document:
    seed = read_seed(REPO / "seeds" / f"{SEED_ID}.txt")
    ann = load_gold_file(REPO / "annotation" / "gold" / f"{SEED_ID}.yaml", seed.text, seed.id)
    return make_document(seed, ann)


def cut(doc: Document, lines_per_piece: int = 2) -> list[Document]:
    """Pieces of `lines_per_piece` lines, each a document with the annotations inside it."""
    from standoff.core.seeds import SeedArticle

    lines = doc.text.splitlines(keepends=True)
    pieces, start = [], 0
    for n in range(0, len(lines), lines_per_piece):
        text = "".join(lines[n:n + lines_per_piece])
        end = start + len(text)
        spans = [s.model_copy(update={"start": s.start - start, "end": s.end - start})
                 for s in doc.annotation.spans if start <= s.start and s.end <= end]
        ids = {s.id for s in spans}
        rels = [r for r in doc.annotation.relations if r.head in ids and r.tail in ids]
        piece = make_document(SeedArticle(id=f"seed-part{n // lines_per_piece:02d}",
                                          text=text.rstrip("\n") or text, meta={}),
                              AnnotationSet(origin="gold", spans=spans, relations=rels))
        pieces.append(piece.model_copy(update={"split": "test"}))
        start = end
    return [p for p in pieces if p.annotation.spans]


@pytest.fixture(scope="session")
def gold_docs() -> list[Document]:
    return cut(seed_document())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gold_docs) -> Path:
    """A project root with annotation/ and a corpus whose test split is `gold_docs`."""
    root = tmp_path / "proj"
    (root / "annotation").mkdir(parents=True)
    shutil.copy(REPO / "annotation" / "schema.yaml", root / "annotation")
    shutil.copy(REPO / "annotation" / "actors.yaml", root / "annotation")
    if (REPO / "annotation" / "actors.d").is_dir():
        shutil.copytree(REPO / "annotation" / "actors.d", root / "annotation" / "actors.d")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "annotation" / "schema.yaml", corpus)
    write_jsonl_atomic(corpus / "documents.jsonl", gold_docs)
    monkeypatch.setenv("STANDOFF_ROOT", str(root))
    return root


@pytest.fixture
def cli():
    from standoff.cli.main import app

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke
