"""`eval run --workers 2` on predictions files: real worker processes parse, check and
score the line pairs; the report equals the one-process report, and files that do not
pair up line by line fall back to the one-process pass with its messages."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import standoff.eval.runner as runner
from standoff.core.errors import StandoffError
from standoff.core.io import write_jsonl_atomic
from standoff.eval.synthetic import perturb, replicate


def _report(folder: Path) -> tuple:
    summary = json.loads((folder / "metrics.json").read_text())
    summary.pop("created")
    with np.load(folder / "counts.npz") as counts:
        arrays = {k: counts[k].tolist() for k in counts.files}
    report = [line for line in (folder / "report.md").read_text().splitlines()
              if not line.startswith("| created |")]
    return summary, arrays, (folder / "items.jsonl").read_text(), report


def _files(gold_docs, tmp_path: Path, n: int = 70) -> tuple[Path, list, Path, Path]:
    gold = replicate(gold_docs, n)
    write_jsonl_atomic(tmp_path / "gold.jsonl", gold)
    e2e = [perturb(d, seed=3) for d in gold]
    given = [perturb(d, seed=4, drop=0.3) for d in gold]
    write_jsonl_atomic(tmp_path / "e2e.jsonl", e2e)
    write_jsonl_atomic(tmp_path / "given.jsonl", given)
    return tmp_path / "gold.jsonl", e2e, tmp_path / "e2e.jsonl", tmp_path / "given.jsonl"


def test_two_processes_write_the_one_process_report(project, gold_docs, tmp_path,
                                                   monkeypatch) -> None:
    gold, _, e2e, given = _files(gold_docs, tmp_path)
    common = dict(predictions=e2e, gold_actor_predictions=given, data=str(gold),
                  resamples=100, seed=2, progress=False)
    one = runner.run_evaluation("blame", out=tmp_path / "one", **common)

    def no_fallback(*args, **kwargs):
        raise AssertionError("the files pair up: the parallel pass must score them")

    monkeypatch.setattr(runner, "_score_one_process", no_fallback)
    two = runner.run_evaluation("blame", out=tmp_path / "two", workers=2, **common)
    assert sum(two.summary["errors"].values()) > 0  # the predictions have mistakes
    assert _report(tmp_path / "two") == _report(tmp_path / "one")
    assert two.warnings == one.warnings


def test_files_that_do_not_pair_up_fall_back_to_one_process(project, gold_docs,
                                                            tmp_path) -> None:
    gold, preds, e2e, _ = _files(gold_docs, tmp_path, n=40)
    common = dict(data=str(gold), resamples=50, progress=False)
    one = runner.run_evaluation("events", predictions=e2e, out=tmp_path / "one", **common)
    shuffled = tmp_path / "shuffled.jsonl"
    random.Random(0).shuffle(preds)
    write_jsonl_atomic(shuffled, preds[:-1])  # another order, and one missing
    done = runner.run_evaluation("events", predictions=shuffled, out=tmp_path / "two",
                                 workers=2, allow_missing=True, **common)
    assert any("1 gold document(s) had no prediction" in w for w in done.warnings)
    assert done.summary["data"]["gold_hash"] == one.summary["data"]["gold_hash"]
    assert not list(tmp_path.glob(".standoff-eval-*"))  # both spill folders are gone


def test_a_bad_prediction_gets_the_one_process_message(project, gold_docs,
                                                       tmp_path) -> None:
    gold, preds, _, _ = _files(gold_docs, tmp_path, n=40)
    bad = preds[17].model_copy(update={"text": preds[17].text + " changed"})
    write_jsonl_atomic(tmp_path / "bad.jsonl", [*preds[:17], bad, *preds[18:]])
    with pytest.raises(StandoffError, match="text differs") as err:
        runner.run_evaluation("events", predictions=tmp_path / "bad.jsonl", data=str(gold),
                              out=tmp_path / "r", workers=2, resamples=10, progress=False)
    assert "bad.jsonl:18" in str(err.value)
    assert not (tmp_path / "r").exists()  # nothing half-written


def test_two_processes_show_the_one_process_errors(project, gold_docs, tmp_path,
                                                   monkeypatch) -> None:
    """Worker processes write the items' lines; the few errors a report shows are read back
    from them, and must be the ones (and the order) one process shows."""
    gold, _, e2e, _ = _files(gold_docs, tmp_path, n=40)
    common = dict(predictions=e2e, data=str(gold), resamples=0, progress=False, max_errors=3)
    runner.run_evaluation("events", out=tmp_path / "one", **common)

    def no_fallback(*args, **kwargs):
        raise AssertionError("the files pair up: the parallel pass must score them")

    monkeypatch.setattr(runner, "_score_one_process", no_fallback)
    runner.run_evaluation("events", out=tmp_path / "two", workers=2, **common)
    assert _report(tmp_path / "two") == _report(tmp_path / "one")
    assert "predicted" in (tmp_path / "two" / "report.md").read_text()  # errors are listed
