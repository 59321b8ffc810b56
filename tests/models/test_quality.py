"""Learned families beat the rules baseline where the data allows it, and are deterministic.

The synthetic documents use cue words the rules' lists lack ("slammed", "lashed out at",
"fired at") and mentions the registry lacks ("Afghan authorities"): a model that learns
from the train split must do better on dev than the word lists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from standoff.core.records import input_view
from standoff.corpus.store import Corpus
from standoff.models.api import load_model, train_model
from tests.models.conftest import FAST, TASKS


def headline(path: Path) -> float:
    metrics = json.loads((path / "manifest.json").read_text(encoding="utf-8"))["dev_metrics"]
    return metrics[metrics["headline"]]


@pytest.mark.slow
@pytest.mark.parametrize("family", ["sklearn", "spacy"])
@pytest.mark.parametrize("task", TASKS)
def test_learned_family_beats_rules(task: str, family: str, trained) -> None:
    rules = headline(trained.path(task, "rules"))
    learned = headline(trained.path(task, family))
    assert learned > rules, f"{task}: {family} {learned} <= rules {rules}"


def predictions(path: Path, models_dir: Path, corpus_dir: Path) -> list[dict]:
    model = load_model(f"{path.parent.name}/{path.name}", models_dir)
    docs = [input_view(d) for d in Corpus.open(corpus_dir).documents() if d.split != "train"]
    out = []
    for doc in model.predict(docs):
        record = doc.model_dump(mode="json")
        record["annotation"]["model_version"] = None  # the version names differ on purpose
        out.append(record)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("family", ["sklearn", "spacy"])
def test_same_data_config_and_seed_give_same_predictions(family: str, corpus_dir: Path,
                                                         tmp_path: Path) -> None:
    task = "blame"  # exercises mentions, relations and decoding together
    first = train_model(task, family, corpus_dir, tmp_path, "a", overrides=FAST.get(family))
    second = train_model(task, family, corpus_dir, tmp_path, "b", overrides=FAST.get(family))
    a = predictions(first, tmp_path, corpus_dir)
    assert a == predictions(second, tmp_path, corpus_dir)
    assert any(d["annotation"]["spans"] for d in a)


@pytest.mark.slow
def test_fraction_trains_on_a_nested_subset(corpus_dir: Path, tmp_path: Path) -> None:
    quarter = train_model("actors", "sklearn", corpus_dir, tmp_path, "q", fraction=0.25)
    full = train_model("actors", "sklearn", corpus_dir, tmp_path, "f", fraction=1.0)
    q = json.loads((quarter / "manifest.json").read_text(encoding="utf-8"))
    f = json.loads((full / "manifest.json").read_text(encoding="utf-8"))
    assert 0 < q["train_documents"] < f["train_documents"] and q["fraction"] == 0.25
