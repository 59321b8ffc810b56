"""The commands end to end on a throwaway project: train, predict, list, alias, show,
train-curve, and clear errors for bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from standoff.core.io import read_documents


@pytest.mark.slow
def test_train_predict_list_alias_show(project: Path, cli, tmp_path: Path) -> None:
    result = cli("train", "actors,blame", "--model", "rules")
    assert result.exit_code == 0, result.output
    assert (project / "models" / "actors" / "rules-1" / "manifest.json").is_file()
    assert (project / "models" / "blame" / "rules-1" / "README.md").is_file()
    # a second run makes a new version, and the family alias follows the latest
    assert cli("train", "actors", "--model", "rules", "--seed", "3").exit_code == 0
    aliases = json.loads((project / "models" / "actors" / "aliases.json").read_text())
    assert aliases["rules"] == "rules-2"

    out = tmp_path / "pred.jsonl"
    result = cli("predict", "actors/rules", "dev", "--out", str(out))
    assert result.exit_code == 0, result.output
    docs = read_documents(out)
    assert docs and all(d.annotation.model_version == "actors/rules-2" for d in docs)
    assert all(d.split == "dev" for d in docs)

    assert cli("models", "alias", "actors/rules-1", "champion").exit_code == 0
    listing = json.loads(cli("models", "list", "--json").output)
    row = next(r for r in listing if r["version"] == "rules-1" and r["task"] == "actors")
    assert row["aliases"] == ["champion"] and row["headline"] == "mention_code_f1"
    assert "actors/rules-1" in cli("models", "list").output
    shown = cli("models", "show", "actors/champion")
    assert shown.exit_code == 0 and "# actors/rules-1" in shown.output


@pytest.mark.slow
def test_predict_reads_text_folders_and_jsonl(project: Path, cli, tmp_path: Path) -> None:
    assert cli("train", "events", "--model", "rules").exit_code == 0
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Islamabad accused Kabul of shelling the border posts.\n"
                                    "Turkey mediated talks in Istanbul.", encoding="utf-8")
    (folder / "two.txt").write_text("Rebels attacked the town.", encoding="utf-8")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": "j1", "text": "Kabul denied the attacks."}) + "\n",
                     encoding="utf-8")
    for source, ids in ((folder / "one.txt", ["one"]), (folder, ["one", "two"]),
                        (jsonl, ["j1"])):
        out = tmp_path / f"out-{Path(source).stem}.jsonl"
        result = cli("predict", "events/rules-1", str(source), "--out", str(out))
        assert result.exit_code == 0, result.output
        docs = read_documents(out)
        assert [d.id for d in docs] == ids
        assert docs[0].sentences and any(s.label == "EVENT" for s in docs[0].annotation.spans)
    default = cli("predict", "events/rules-1", "test")
    assert default.exit_code == 0, default.output
    assert (project / "predictions" / "events-rules-1-test.jsonl").is_file()


def test_bad_input_gives_one_clear_line(project: Path, cli, tmp_path: Path) -> None:
    result = cli("train", "events", "--model", "bert")
    assert result.exit_code == 1 and "unknown family" in result.output
    result = cli("train", "events", "--model", "sklearn", "--set", "tagger.CC=2")
    assert result.exit_code == 1 and "unknown config key 'tagger.CC'" in result.output
    result = cli("train", "moods", "--model", "rules")
    assert result.exit_code == 1 and "unknown task" in result.output
    result = cli("predict", "events/none", "dev")
    assert result.exit_code == 1 and "no model" in result.output
    assert cli("train", "events", "--model", "rules").exit_code == 0
    result = cli("predict", "events/rules-1", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1 and "not found" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "fine"}\n{"id": 3}\n', encoding="utf-8")
    out = tmp_path / "never.jsonl"
    result = cli("predict", "events/rules-1", str(bad), "--out", str(out))
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output
    assert not out.exists()  # nothing half-written
    result = cli("train", "events", "--model", "rules", "--version", "rules-1")
    assert result.exit_code == 1 and "already exists" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_train_curve_prints_and_plots(project: Path, cli) -> None:
    result = cli("train-curve", "actors", "--model", "sklearn")
    assert result.exit_code == 0, result.output
    png = project / "models" / "actors" / "curves" / "sklearn.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = json.loads(png.with_suffix(".json").read_text(encoding="utf-8"))
    assert [r["fraction"] for r in rows] == [0.25, 0.5, 0.75, 1.0]
    docs = [r["train_documents"] for r in rows]
    assert docs == sorted(docs) and docs[0] < docs[-1]
    assert "learning curve" in result.output
    # curve models are thrown away: nothing new is listed
    assert json.loads(cli("models", "list", "--json").output) == []


@pytest.mark.slow
def test_identical_training_is_reused_and_jobs_run_in_parallel(project: Path, cli) -> None:
    first = cli("train", "actors,events", "--model", "rules,sklearn", "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert len(re.findall(r"trained (actors|events)/", first.output)) == 4
    for task in ("actors", "events"):
        for family in ("rules", "sklearn"):
            assert (project / "models" / task / f"{family}-1" / "manifest.json").is_file()
    again = cli("train", "actors", "--model", "rules")
    assert again.exit_code == 0 and "up to date actors/rules-1" in again.output
    forced = cli("train", "actors", "--model", "rules", "--retrain")
    assert forced.exit_code == 0 and "trained actors/rules-2" in forced.output
