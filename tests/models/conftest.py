"""Fixtures for the model tests: a small real corpus on disk and models trained on it once.

The corpus is the seed article (real text, real gold) plus synthetic documents that cover
every layer; it does not depend on how far the shared corpus has grown. spaCy models
train for a few epochs only: the tests check behaviour, not accuracy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from standoff.annotation.goldfile import load_gold_file
from standoff.core.model import Document
from standoff.core.seeds import read_seed
from standoff.corpus.build import make_document
from standoff.models.api import LoadedModel, load_model, train_model
from standoff.models.synthetic import write_synthetic_corpus

REPO = Path(__file__).resolve().parents[2]
SEED_ID = "000_f9c8955652b849b6"
TASKS = ("events", "actors", "blame", "stance")
FAMILIES = ("rules", "sklearn", "spacy")
# few epochs and small batches: enough updates on a small corpus, in seconds
FAST = {"spacy": ["training.max_epochs=6", "training.eval_frequency=10",
                  'overrides={"training.batcher.size.start": 100, '
                  '"training.batcher.size.stop": 300}']}


def seed_document(split: str = "train") -> Document:
    seed = read_seed(REPO / "seeds" / f"{SEED_ID}.txt")
    gold = load_gold_file(REPO / "annotation" / "gold" / f"{SEED_ID}.yaml", seed.text, seed.id)
    return make_document(seed, gold).model_copy(update={"split": split})


def make_corpus(out: Path, n_docs: int = 14, sentences: int = 12, seed: int = 0) -> Path:
    return write_synthetic_corpus(out, REPO / "annotation" / "schema.yaml",
                                  REPO / "annotation" / "actors.yaml", n_docs, sentences, seed,
                                  extra=[seed_document()])


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "corpus")


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models") / "models"


class Trained:
    """Each (task, family) is trained once per test session, on first use."""

    def __init__(self, corpus: Path, models: Path) -> None:
        self.corpus, self.models = corpus, models
        self.paths: dict[tuple[str, str], Path] = {}

    def path(self, task: str, family: str) -> Path:
        if (task, family) not in self.paths:
            self.paths[task, family] = train_model(task, family, self.corpus, self.models,
                                                   overrides=FAST.get(family))
        return self.paths[task, family]

    def model(self, task: str, family: str) -> LoadedModel:
        path = self.path(task, family)
        return load_model(f"{task}/{path.name}", self.models)


@pytest.fixture(scope="session")
def trained(corpus_dir: Path, models_dir: Path) -> Trained:
    return Trained(corpus_dir, models_dir)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus_dir: Path) -> Path:
    """A project root with the schema, the registry and a copy of the test corpus."""
    root = tmp_path / "proj"
    (root / "annotation").mkdir(parents=True)
    shutil.copy(REPO / "annotation" / "schema.yaml", root / "annotation")
    shutil.copy(REPO / "annotation" / "actors.yaml", root / "annotation")
    shutil.copytree(corpus_dir, root / "corpus")
    monkeypatch.setenv("STANDOFF_ROOT", str(root))
    return root


@pytest.fixture
def cli():
    from standoff.cli.main import app

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke
