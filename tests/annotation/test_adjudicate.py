"""Adjudication from folders: agreed items pass, conflicts are decided or block the merge."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from standoff.annotation.goldfile import dump_gold, load_gold_file
from standoff.annotation.sets import same_content
from standoff.core.model import AnnotationSet

from . import cases
from .conftest import invoke, make_project, tree_state


def setup_project(tmp_path: Path, **others: AnnotationSet) -> tuple[Path, dict[str, str]]:
    root = make_project(tmp_path / "proj", [])
    doc = cases.document()
    (root / "seeds" / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    (root / "annotation" / "gold" / f"{doc.id}.yaml").write_text(
        dump_gold(cases.annotation_a(), doc.text, doc.id), encoding="utf-8")
    for name, ann in {"second": cases.annotation_b(), **others}.items():
        folder = root / "annotation" / "annotators" / name
        folder.mkdir(parents=True)
        (folder / f"{doc.id}.yaml").write_text(dump_gold(ann, doc.text, doc.id),
                                               encoding="utf-8")
    return root, {"STANDOFF_ROOT": str(root)}


def merged(root: Path, folder: str = "annotation/adjudicated") -> AnnotationSet:
    return load_gold_file(root / folder / f"{cases.DOC_ID}.yaml", cases.TEXT, cases.DOC_ID)


def test_ties_are_listed_and_nothing_is_written(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path)
    before = tree_state(root / "annotation")
    result = invoke(runner, env, "adjudicate", "gold", "second", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output[:result.output.rindex("}") + 1])
    undecided = [c for c in data["conflicts"] if c["decision"] is None]
    # Items in one of two sets: A has 2 actors, 2 events... B 1 actor, 3 events ... (>10)
    assert len(undecided) == len(data["conflicts"]) > 10
    assert any(c["item"].startswith("ACTOR 'Kabul'") and c["holders"] == ["gold"]
               for c in undecided)
    assert "undecided; nothing written" in result.output
    assert tree_state(root / "annotation") == before


def test_prefer_breaks_ties_and_writes_beside_gold(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path)
    gold_before = tree_state(root / "annotation" / "gold")
    result = invoke(runner, env, "adjudicate", "gold", "second", "--prefer", "gold")
    assert result.exit_code == 0, result.output
    assert "new" in result.output
    assert same_content(merged(root), cases.annotation_a())
    assert tree_state(root / "annotation" / "gold") == gold_before
    again = invoke(runner, env, "adjudicate", "gold", "second", "--prefer", "gold")
    assert "0 file(s) written" in again.output and "1 unchanged" in again.output


def test_decisions_file_decides_each_conflict(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path)
    listing = invoke(runner, env, "adjudicate", "gold", "second", "--dry-run", "--json")
    conflicts = json.loads(listing.output[:listing.output.rindex("}") + 1])["conflicts"]
    decisions = {c["id"]: ("keep" if c["holders"] == ["second"] else "drop") for c in conflicts}
    (root / "decisions.yaml").write_text(yaml.safe_dump(decisions), encoding="utf-8")
    result = invoke(runner, env, "adjudicate", "gold", "second", "--decisions",
                    str(root / "decisions.yaml"))
    assert result.exit_code == 0, result.output
    assert same_content(merged(root), cases.annotation_b())


def test_majority_of_three(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path, third=cases.annotation_a())
    result = invoke(runner, env, "adjudicate", "gold", "second", "third", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {c["by"] for c in data["conflicts"]} == {"majority"}
    assert same_content(merged(root), cases.annotation_a())
    # The adjudicator only breaks ties under majority: here there are none.
    outvoted = invoke(runner, env, "adjudicate", "gold", "second", "third", "--prefer",
                      "second", "--json")
    assert {c["by"] for c in json.loads(outvoted.output)["conflicts"]} == {"majority"}
    assert same_content(merged(root), cases.annotation_a())


def test_writing_gold_needs_out_and_reports_the_change(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path)
    result = invoke(runner, env, "adjudicate", "gold", "second", "--strategy", "prefer",
                    "--prefer", "second", "--out", str(root / "annotation" / "gold"))
    assert result.exit_code == 0, result.output
    assert f"{cases.DOC_ID}.yaml: changed (+" in result.output
    gold = merged(root, "annotation/gold")
    assert same_content(gold, cases.annotation_b())
    text = (root / "annotation" / "gold" / f"{cases.DOC_ID}.yaml").read_text(encoding="utf-8")
    assert "annotator: gold" in text


def test_competing_blame_records_stay_separate_records(tmp_path: Path, runner) -> None:
    """A BLAME is a record anchored on its cue: "blames X" and "blames Turkey" on the same
    cue are two records, so keeping both gives two valid records, never one BLAME with two
    'blamed' relations."""
    b = cases.annotation_b()
    for rel in b.relations:  # the second annotator blames Turkey instead
        if rel.label == "blamed":
            rel.tail, rel.id = "t2", "b1-blamed-t2"
    root, env = setup_project(tmp_path)
    (root / "annotation" / "annotators" / "second" / f"{cases.DOC_ID}.yaml").write_text(
        dump_gold(b, cases.TEXT, cases.DOC_ID), encoding="utf-8")
    listing = invoke(runner, env, "adjudicate", "gold", "second", "--dry-run", "--json")
    conflicts = json.loads(listing.output[:listing.output.rindex("}") + 1])["conflicts"]
    blame_spans = [c for c in conflicts if c["kind"] == "span" and c["item"].startswith("BLAME")]
    assert sorted(c["holders"] for c in blame_spans) == [["gold"], ["second"]]
    keep_all = {c["id"]: "keep" for c in conflicts
                if c["item"].startswith(("BLAME", "blamed:", "blamer:", "for:"))}
    (root / "d.yaml").write_text(yaml.safe_dump(keep_all), encoding="utf-8")
    result = invoke(runner, env, "adjudicate", "gold", "second", "--prefer", "gold",
                    "--decisions", str(root / "d.yaml"))
    assert result.exit_code == 0, result.output
    ann = merged(root)
    blames = [s for s in ann.spans if s.label == "BLAME"]
    assert len(blames) == 2
    for blame in blames:
        assert len(ann.relations_from(blame.id, "blamed")) == 1


def test_unknown_source_and_bad_decision(tmp_path: Path, runner) -> None:
    root, env = setup_project(tmp_path)
    missing = invoke(runner, env, "adjudicate", "gold", "nobody")
    assert missing.exit_code == 1 and "no annotation folder 'nobody'" in missing.output
    (root / "d.yaml").write_text("abc: maybe\n", encoding="utf-8")
    bad = invoke(runner, env, "adjudicate", "gold", "second", "--decisions", str(root / "d.yaml"))
    assert bad.exit_code == 1 and "keep or drop" in bad.output


def test_real_second_annotation_with_prefer_gold_reproduces_gold() -> None:
    """On the corpus's own second annotation: records sharing a cue (one neutral stance per
    party, guideline rule 12) stay distinct, so preferring gold gives back gold exactly."""
    from standoff.annotation.adjudicate import adjudicate
    from standoff.core.seeds import read_seed

    repo = Path(__file__).resolve().parents[2]
    second = sorted((repo / "annotation" / "annotators" / "second").glob("*.yaml"))
    assert len(second) >= 12
    texts, gold, other = {}, {}, {}
    for path in second:
        seed = read_seed(repo / "seeds" / f"{path.stem}.txt")
        texts[seed.id] = seed.text
        gold[seed.id] = load_gold_file(repo / "annotation" / "gold" / path.name, seed.text)
        other[seed.id] = load_gold_file(path, seed.text)
    result = adjudicate({"gold": gold, "second": other}, texts, prefer="gold")
    assert not result.undecided and not result.orphans
    for doc_id, ann in result.documents.items():
        assert same_content(ann, gold[doc_id]), doc_id
