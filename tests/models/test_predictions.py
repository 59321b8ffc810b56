"""Every family trains on every task and predicts well-formed corpus documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from standoff.core.actors import ActorRegistry
from standoff.core.io import read_documents, write_jsonl_atomic
from standoff.core.records import input_view
from standoff.core.schema import Schema
from standoff.corpus.store import Corpus
from standoff.models.store import REQUIRED_KEYS
from tests.models.conftest import FAMILIES, TASKS

LAYERS = {"events": {"EVENT", "ACTOR"}, "actors": {"ACTOR"},
          "blame": {"BLAME", "ACTOR", "EVENT"}, "stance": {"STANCE", "ACTOR", "EVENT"}}


def eval_docs(corpus_dir: Path):
    return [d for d in Corpus.open(corpus_dir).documents() if d.split != "train"]


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("task", TASKS)
def test_predictions_are_well_formed(task: str, family: str, trained, corpus_dir: Path,
                                     tmp_path: Path) -> None:
    model = trained.model(task, family)
    gold = eval_docs(corpus_dir)
    out = list(model.predict((input_view(d) for d in gold), batch_size=2))
    assert [d.id for d in out] == [d.id for d in gold]
    schema = Schema.load(corpus_dir / "schema.yaml")
    registry = ActorRegistry.load(corpus_dir / "actors.yaml")
    found = 0
    for src, pred in zip(gold, out, strict=True):
        assert (pred.text, pred.sentences, pred.split) == (src.text, src.sentences, src.split)
        assert {k: v for k, v in pred.meta.items() if k != "candidate_actors"} == src.meta
        ann = pred.annotation
        assert ann.origin == "predicted" and ann.model_version == f"{task}/{model.version}"
        assert {s.label for s in ann.spans} <= LAYERS[task]
        for span in ann.spans:
            assert span.text == pred.text[span.start:span.end]
            assert span.score is not None and 0.0 <= span.score <= 1.0
        for rel in ann.relations:
            assert rel.score is not None and 0.0 <= rel.score <= 1.0
        # schema-valid: attributes, relation endpoints and counts; codes are registry codes
        # or new candidates that the document lists
        new = {c["code"] for c in pred.meta.get("candidate_actors", [])}
        for s in ann.spans:
            if s.label == "ACTOR":
                assert s.attrs["code"] in registry or s.attrs["code"] in new
        assert schema.validate_document(pred, None, "predictions") == []
        found += sum(1 for s in ann.spans if s.label == model.spec.head)
    assert found > 0, f"{task}/{family} found nothing on the dev/test documents"
    # the output round-trips through the corpus JSONL format unchanged
    write_jsonl_atomic(tmp_path / "pred.jsonl", out)
    assert read_documents(tmp_path / "pred.jsonl") == out


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("task", TASKS)
def test_model_directory_has_manifest_card_and_files(task: str, family: str, trained) -> None:
    path = trained.path(task, family)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert set(REQUIRED_KEYS) <= set(manifest)
    assert (manifest["task"], manifest["family"], manifest["version"]) == (task, family,
                                                                            path.name)
    headline = manifest["dev_metrics"]["headline"]
    assert isinstance(manifest["dev_metrics"][headline], float)
    assert len(manifest["corpus_hash"]) == 64 and manifest["schema_version"] == 1
    assert manifest["libraries"]["scikit-learn"] and manifest["training_seconds"] >= 0
    card = (path / "README.md").read_text(encoding="utf-8")
    assert f"{task}/{path.name}" in card and headline in card and manifest["corpus_hash"] in card
    assert set(manifest["files"]) == {p.relative_to(path).as_posix()
                                      for p in path.rglob("*") if p.is_file()} - {
                                          "manifest.json", "README.md"}
    if family == "spacy":  # trained from a config file kept beside the model
        assert (path / "detector" / "config.cfg").is_file()
        cfg = (path / "detector" / "config.cfg").read_text(encoding="utf-8")
        assert "spancat" in cfg and "standoff-spacy" not in cfg  # no temp paths kept
    if family == "sklearn":
        assert (path / "detector" / "tagger.skops").is_file()
        assert not list(path.rglob("*.pkl")) and not list(path.rglob("*.joblib"))


@pytest.mark.slow
@pytest.mark.parametrize("task", ["events", "blame", "stance"])
def test_gold_mentions_are_used_with_their_ids(task: str, trained, corpus_dir: Path) -> None:
    model = trained.model(task, "sklearn")
    gold = eval_docs(corpus_dir)
    keep = frozenset({"ACTOR", "EVENT"})
    out = list(model.predict((input_view(d, keep) for d in gold), gold_mentions=True))
    linked = 0
    for src, pred in zip(gold, out, strict=True):
        given = {s.id: s for s in src.annotation.spans if s.label in keep}
        spans = pred.annotation.span_by_id()
        for sid, span in given.items():  # every given span is kept with its id
            assert spans[sid].start == span.start and spans[sid].end == span.end
        for rel in pred.annotation.relations:
            tail = spans[rel.tail]
            if tail.label in keep:
                assert rel.tail in given, "relations must point at the given spans"
                linked += 1
    assert linked > 0
