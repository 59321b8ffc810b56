"""`standoff eval run|compare|index` end to end on predictions files, and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from standoff.core.io import document_json, write_jsonl_atomic
from standoff.eval.synthetic import perturb

TASKS = ("events", "actors", "blame", "stance")


def write_preds(path: Path, docs, seed: int, **kw) -> Path:
    write_jsonl_atomic(path, [perturb(d, seed=seed, **kw) for d in docs])
    return path


@pytest.mark.parametrize("task", TASKS)
def test_run_writes_metrics_and_self_contained_reports(project, cli, gold_docs, task) -> None:
    preds = write_preds(project / "p.jsonl", gold_docs, 1)
    args = ["eval", "run", f"{task}/v1", "--predictions", preds, "--resamples", 200]
    if task in ("blame", "stance"):
        args += ["--predictions-gold-actors", write_preds(project / "g.jsonl", gold_docs, 2)]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    out = project / "eval" / "reports" / task / "v1"
    summary = json.loads((out / "metrics.json").read_text())
    assert summary["task"] == task and summary["data"]["documents"] == len(gold_docs)
    head = summary["metrics"][summary["headline"][0]]
    assert 0 < head["value"] < 1 and head["low"] <= head["value"] <= head["high"]
    html = (out / "report.html").read_text()
    assert "<img" in html and "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from a network
    assert "false negative" in html and "<mark" in html
    md = (out / "report.md").read_text()
    assert "| metric | value | 95% CI |" in md and "## Errors" in md
    if task in ("blame", "stance"):
        assert "gold_actors.strict.micro.f1" in summary["metrics"]
    if task == "events":
        assert summary["confusion"]["labels"] and "Confusion" in html
    if task == "blame":
        assert summary["network"]["gold"] and "Who blames whom" in html


def test_compare_gate_and_index(project, cli, gold_docs) -> None:
    good = write_preds(project / "good.jsonl", gold_docs, 1, drop=0.05, relabel=0.05)
    bad = write_preds(project / "bad.jsonl", gold_docs, 2, drop=0.5, relabel=0.3)
    for name, path in (("good", good), ("bad", bad)):
        assert cli("eval", "run", f"events/{name}", "--predictions", path,
                   "--resamples", 200).exit_code == 0
    result = cli("eval", "compare", "events/good", "events/bad", "--resamples", 300,
                 "--fail-if-worse", "trigger.strict.f1:0.01")
    assert result.exit_code == 1, result.output
    assert "significantly worse" in result.output
    page = project / "eval" / "reports" / "compare" / "events-good_vs_events-bad"
    html, md = Path(f"{page}.html").read_text(), Path(f"{page}.md").read_text()
    assert "Fixed by B" in html and "Broken by B" in md and "p" in md
    data = json.loads(Path(f"{page}.json").read_text())
    assert data["metrics"]["trigger.strict.f1"]["delta"] < 0 and data["broken"] > 0
    assert any("too few" in w for w in data["warnings"])  # 8 documents
    # the other way round B is better: the gate passes
    assert cli("eval", "compare", "events/bad", "events/good", "--resamples", 300,
               "--fail-if-worse", "headline", "--test", "randomization").exit_code == 0
    assert cli("eval", "index").exit_code == 0
    index = (project / "eval" / "reports" / "index.html").read_text()
    assert 'href="events/good/report.html"' in index and "events-good_vs_events-bad" in index


def test_compare_refuses_reports_on_different_gold(project, cli, gold_docs, tmp_path) -> None:
    write_jsonl_atomic(tmp_path / "half.jsonl", gold_docs[:3])
    preds = write_preds(project / "p.jsonl", gold_docs, 1)
    assert cli("eval", "run", "events/all", "--predictions", preds).exit_code == 0
    half = write_preds(project / "h.jsonl", gold_docs[:3], 1)
    assert cli("eval", "run", "events/half", "--predictions", half, "--data",
               tmp_path / "half.jsonl", "--out", project / "eval/reports/events/half"
               ).exit_code == 0
    result = cli("eval", "compare", "events/all", "events/half")
    assert result.exit_code == 1 and "different gold data" in result.output


def _lines(docs) -> list[str]:
    return [document_json(d) for d in docs]


def run_with(project, cli, lines: list[str], task: str = "events", *extra):
    path = project / "preds.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return cli("eval", "run", task, "--predictions", path, *extra)


def test_prediction_for_an_unknown_document(project, cli, gold_docs) -> None:
    stray = gold_docs[0].model_copy(update={"id": "not-in-gold"})
    result = run_with(project, cli, _lines([*gold_docs, stray]))
    assert result.exit_code == 1
    assert "preds.jsonl:" in result.output and "not-in-gold" in result.output
    assert "not in the gold" in result.output


def test_prediction_with_a_changed_text(project, cli, gold_docs) -> None:
    changed = gold_docs[1].model_copy(update={"text": gold_docs[1].text.replace("a", "4", 1)})
    result = run_with(project, cli, _lines([gold_docs[0], changed, *gold_docs[2:]]))
    assert result.exit_code == 1 and "text differs" in result.output
    assert "preds.jsonl:2" in result.output and gold_docs[1].id in result.output


def test_prediction_with_a_label_outside_the_schema(project, cli, gold_docs) -> None:
    doc = perturb(gold_docs[0], seed=0)
    bad = doc.model_dump(mode="json")
    bad["annotation"]["spans"][0]["label"] = "PERSON"
    event = next(s for s in bad["annotation"]["spans"] if s["label"] == "EVENT")
    event["attrs"]["type"] = "FIGHT"
    result = run_with(project, cli, [json.dumps(bad), *_lines(gold_docs[1:])])
    assert result.exit_code == 1
    assert "unknown span label 'PERSON'" in result.output and "'FIGHT'" in result.output
    assert "field label" in result.output and "field type" in result.output


def test_empty_predictions_file_and_predictions_without_the_task(project, cli,
                                                                 gold_docs) -> None:
    result = run_with(project, cli, [])
    assert result.exit_code == 1 and "no predictions" in result.output
    result = run_with(project, cli, _lines(gold_docs), "blame", "--data", "test")
    assert result.exit_code == 0  # gold as predictions: perfect, but flagged
    assert "origin 'gold'" in result.output
    no_blame = [d.model_copy(update={"annotation": d.annotation.model_copy(update={
        "spans": [s for s in d.annotation.spans if s.label != "BLAME"],
        "relations": [r for r in d.annotation.relations
                      if d.annotation.span_by_id()[r.head].label != "BLAME"]})})
        for d in gold_docs]
    result = run_with(project, cli, _lines(no_blame), "blame")
    assert result.exit_code == 1 and "no BLAME spans" in result.output
    assert "--allow-empty" in result.output


def test_missing_documents_are_an_error_unless_allowed(project, cli, gold_docs) -> None:
    lines = _lines([perturb(d) for d in gold_docs[:-2]])
    result = run_with(project, cli, lines)
    assert result.exit_code == 1 and "no predictions for 2 of" in result.output
    result = run_with(project, cli, lines, "events", "--allow-missing", "--resamples", 50)
    assert result.exit_code == 0 and "scored as predicting nothing" in result.output


def test_a_failed_run_keeps_the_previous_report(project, cli, gold_docs) -> None:
    preds = write_preds(project / "p.jsonl", gold_docs, 1)
    assert cli("eval", "run", "events/v1", "--predictions", preds, "--resamples", 50,
               ).exit_code == 0
    report = project / "eval" / "reports" / "events" / "v1" / "metrics.json"
    before = report.read_text()
    preds.write_text(preds.read_text() + "{broken\n", encoding="utf-8")
    result = cli("eval", "run", "events/v1", "--predictions", preds)
    assert result.exit_code == 1 and "malformed JSON" in result.output
    assert report.read_text() == before


def test_target_without_version_or_predictions(project, cli) -> None:
    result = cli("eval", "run", "events")
    assert result.exit_code == 1 and "TASK/VERSION" in result.output
