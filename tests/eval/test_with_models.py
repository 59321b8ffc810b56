"""`standoff eval run TASK/VERSION` with real trained models (the rules family: fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from standoff.core.io import write_jsonl_atomic
from standoff.models.api import train_model


@pytest.fixture
def trained(project: Path, gold_docs) -> Path:
    """The seed pieces re-split (train/dev/test) and a rules model per task trained on them."""
    splits = ["train"] * (len(gold_docs) - 4) + ["dev", "dev", "test", "test"]
    docs = [d.model_copy(update={"split": s}) for d, s in zip(gold_docs, splits, strict=True)]
    write_jsonl_atomic(project / "corpus" / "documents.jsonl", docs)
    for task in ("events", "blame"):
        train_model(task, "rules", project / "corpus", project / "models", version="r1")
    return project


def test_run_a_model_version_end_to_end_and_given_gold_actors(trained, cli) -> None:
    result = cli("eval", "run", "blame/r1", "--resamples", 100)
    assert result.exit_code == 0, result.output
    summary = json.loads((trained / "eval/reports/blame/r1/metrics.json").read_text())
    assert summary["model"]["family"] == "rules" and summary["model"]["ref"] == "blame/r1"
    assert summary["settings"] == ["e2e", "gold_actors"]
    assert summary["data"]["documents"] == 2
    assert "gold_actors.strict.micro.f1" in summary["metrics"]


def test_run_all_index_and_plover_with_models(trained, cli) -> None:
    from tests.eval.conftest import PLOVER_DEV

    result = cli("eval", "run-all", "--resamples", 100)
    assert result.exit_code == 0, result.output
    assert (trained / "eval/reports/events/r1/report.html").is_file()
    result = cli("eval", "run", "events/r1", "--data", f"plover:{PLOVER_DEV}",
                 "--resamples", 100)
    assert result.exit_code == 0, result.output
    plover = json.loads((trained / "eval/reports/events/r1@plover/metrics.json").read_text())
    assert plover["data"]["documents"] == 164 and plover["scorer"] == "plover"
    assert 0 < plover["metrics"]["type.micro.f1"]["value"] < 1
    assert cli("eval", "index").exit_code == 0
    index = (trained / "eval/reports/index.html").read_text()
    assert "PLOVER" in index and 'href="events/r1@plover/report.html"' in index


def test_unknown_model_version_is_a_clear_error(trained, cli) -> None:
    result = cli("eval", "run", "events/nope")
    assert result.exit_code == 1 and "nope" in result.output
