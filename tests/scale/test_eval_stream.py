"""`eval run` streams: the same figures, counts and errors as scoring in memory, with
predictions in another order than the gold, and count rows read back in small blocks."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import standoff.eval.bootstrap as bootstrap
import standoff.eval.stream as stream
from standoff.core.io import read_documents, write_jsonl_atomic
from standoff.eval.base import E2E
from standoff.eval.runner import TASKS, run_evaluation, score_documents, summarize
from standoff.eval.synthetic import perturb, replicate


@pytest.mark.parametrize("task", ["events", "stance"])
def test_streamed_run_equals_scoring_in_memory(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               task: str) -> None:
    gold = replicate(read_documents(project / "corpus" / "documents.jsonl")[:10], 40)
    preds = [perturb(d, seed=3) for d in gold]
    monkeypatch.setattr(bootstrap, "DOC_BLOCK", 16)  # weights drawn in 3 document blocks
    in_memory = summarize(score_documents(TASKS[task](), gold, {E2E: {p.id: p for p in preds}},
                                          progress=False), resamples=300, seed=5)
    monkeypatch.setattr(stream, "BLOCK_ROWS", 7)  # rows come back from disk in 6 blocks
    random.Random(0).shuffle(preds)  # another order than the gold: predictions wait on disk
    write_jsonl_atomic(tmp_path / "gold.jsonl", gold)
    write_jsonl_atomic(tmp_path / "preds.jsonl", preds)
    outcome = run_evaluation(task, predictions=tmp_path / "preds.jsonl",
                             data=str(tmp_path / "gold.jsonl"), out=tmp_path / "report",
                             resamples=300, seed=5, progress=False)
    assert outcome.summary["metrics"] == in_memory["metrics"]
    assert outcome.summary["errors"] == in_memory["errors"]
    assert outcome.summary["data"]["documents"] == 40
    with np.load(tmp_path / "report" / "counts.npz") as counts:
        assert counts["matrix"].shape == (40, len(TASKS[task]().columns((E2E,))))
        assert counts["documents"].tolist() == [d.id for d in gold]
    items = (tmp_path / "report" / "items.jsonl").read_text().splitlines()
    assert len(items) == sum(in_memory["errors"].values())
    assert not list(tmp_path.glob(".standoff-eval-*"))  # the spill folder is gone


def test_missing_and_stray_predictions_still_named(project: Path, tmp_path: Path) -> None:
    gold = read_documents(project / "corpus" / "documents.jsonl")[:6]
    preds = [perturb(d, seed=1) for d in gold[1:]]
    stray = preds[0].model_copy(update={"id": "not-in-gold"})
    write_jsonl_atomic(tmp_path / "gold.jsonl", gold)
    write_jsonl_atomic(tmp_path / "preds.jsonl", [stray, *reversed(preds)])
    with pytest.raises(Exception, match="not-in-gold.*not in the gold"):
        run_evaluation("events", predictions=tmp_path / "preds.jsonl",
                       data=str(tmp_path / "gold.jsonl"), out=tmp_path / "r", progress=False)
    write_jsonl_atomic(tmp_path / "preds.jsonl", list(reversed(preds)))
    with pytest.raises(Exception, match=f"no predictions for 1 of 6 .*{gold[0].id}"):
        run_evaluation("events", predictions=tmp_path / "preds.jsonl",
                       data=str(tmp_path / "gold.jsonl"), out=tmp_path / "r", progress=False)
    done = run_evaluation("events", predictions=tmp_path / "preds.jsonl",
                          data=str(tmp_path / "gold.jsonl"), out=tmp_path / "r",
                          allow_missing=True, resamples=20, progress=False)
    assert any("1 gold document(s) had no prediction" in w for w in done.warnings)
    assert json.loads((tmp_path / "r" / "metrics.json").read_text())["data"]["documents"] == 6


def test_eval_run_with_two_workers_equals_one_process(project: Path, tmp_path: Path) -> None:
    """`eval run --workers 2`: predictions from two real processes, same figures and errors."""
    common = dict(data="dev", resamples=200, seed=1, progress=False)
    one = run_evaluation("blame/rules-1", out=tmp_path / "one", **common)
    two = run_evaluation("blame/rules-1", out=tmp_path / "two", workers=2, **common)
    assert two.summary["metrics"] == one.summary["metrics"]
    assert two.summary["errors"] == one.summary["errors"]
    assert (tmp_path / "two" / "items.jsonl").read_text() == \
        (tmp_path / "one" / "items.jsonl").read_text()
