"""Corpus build, validate and stats through the CLI, on a throwaway project."""

from __future__ import annotations

import json
from pathlib import Path

from standoff.core.io import read_documents
from standoff.corpus.hf import from_hf_row, to_hf
from tests.corpus.conftest import SEED_ID

STATS_KEYS = {"documents", "sentences", "tokens", "actors", "events", "blame", "stance",
              "splits"}


def test_build_validate_stats(project: Path, cli) -> None:
    result = cli("corpus", "build")
    assert result.exit_code == 0, result.output
    corpus = project / "corpus"
    assert (corpus / "documents.jsonl").exists() and (corpus / "hf").is_dir()
    assert cli("corpus", "validate").exit_code == 0
    stats = json.loads(cli("corpus", "stats", "--json").output)
    assert set(stats) == STATS_KEYS
    assert len(stats["events"]) == 16 and set(stats["blame"]) == {"accuse", "deny"}
    assert set(stats["stance"]) == {"support", "oppose", "neutral"}
    assert stats["documents"] == 1 and stats["sentences"] > 20
    assert stats["blame"]["deny"] >= 1 and stats["events"]["ASSAULT"] > 5


def test_offsets_and_sentences_agree_with_text(project: Path, cli) -> None:
    cli("corpus", "build")
    [doc] = read_documents(project / "corpus" / "documents.jsonl")
    assert all(doc.text[s.start:s.end] == s.text for s in doc.annotation.spans)
    assert all(doc.text[s:e].strip() == doc.text[s:e] for s, e in doc.sentences)
    assert doc.text == (project / "seeds" / f"{SEED_ID}.txt").read_bytes().decode()


def test_arrow_dataset_round_trips(project: Path, cli) -> None:
    cli("corpus", "build", "--no-hf")
    docs = read_documents(project / "corpus" / "documents.jsonl")
    dataset = to_hf(docs)
    back = [from_hf_row(row) for split in dataset.values() for row in split]
    assert [d.model_dump() for d in back] == [d.model_dump() for d in docs]


def test_build_is_deterministic(project: Path, cli) -> None:
    cli("corpus", "build", "--no-hf")
    first = (project / "corpus" / "documents.jsonl").read_bytes()
    cli("corpus", "build", "--no-hf")
    assert (project / "corpus" / "documents.jsonl").read_bytes() == first


def test_failed_build_leaves_previous_corpus_untouched(project: Path, cli) -> None:
    assert cli("corpus", "build").exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "corpus").glob("*.*")}
    gold = project / "annotation" / "gold" / f"{SEED_ID}.yaml"
    gold.write_text(gold.read_text().replace("code: TTP", "code: NOPE"), encoding="utf-8")
    result = cli("corpus", "build")
    assert result.exit_code == 1
    assert "unknown actor code 'NOPE'" in result.output
    after = {p.name: p.read_bytes() for p in (project / "corpus").glob("*.*")}
    assert after == before
    assert not list((project / "corpus").glob(".build.*"))


def test_unannotated_seeds_are_reported_not_built(project: Path, cli) -> None:
    (project / "seeds" / "extra.txt").write_text("Rebels attacked a town.", encoding="utf-8")
    result = cli("corpus", "build", "--no-hf")
    assert result.exit_code == 0 and "extra" in result.output
    assert len(read_documents(project / "corpus" / "documents.jsonl")) == 1


def test_committed_corpus_matches_its_sources(tmp_path: Path) -> None:
    """corpus/documents.jsonl is what seeds/ + annotation/gold/ build to (no drift)."""
    from standoff.core.paths import ProjectPaths
    from standoff.corpus.build import build_corpus
    from tests.corpus.conftest import REPO

    result = build_corpus(ProjectPaths(REPO), out=tmp_path / "c", hf=False)
    assert result.documents >= 61
    rebuilt = (tmp_path / "c" / "documents.jsonl").read_bytes()
    assert rebuilt == (REPO / "corpus" / "documents.jsonl").read_bytes(), \
        "corpus/ is stale: run `standoff corpus build` and commit corpus/"
