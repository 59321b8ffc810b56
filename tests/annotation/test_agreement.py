"""Agreement on a small case computed by hand (see cases.py), in code and from folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from standoff.annotation.agreement import agreement, overlap_matches
from standoff.annotation.goldfile import dump_gold
from standoff.core.schema import Schema

from . import cases
from .conftest import REPO, invoke, make_project


@pytest.fixture(scope="module")
def result() -> dict:
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    sets = {"gold": {cases.DOC_ID: cases.annotation_a()},
            "second": {cases.DOC_ID: cases.annotation_b()}}
    return agreement(sets, {cases.DOC_ID: cases.document()}, schema)


def test_sentence_event_type_alpha(result: dict) -> None:
    # 3 sentences x 16 types = 48 binary units. Both mark ASSAULT (s1), CONSULT (s2),
    # ACCUSE (s3); only B marks COOPERATE (s2). Coincidences: o00 = 2*44, o11 = 2*3,
    # o01 = o10 = 1; n = 96, n0 = 89, n1 = 7.
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 95 * 2 / 1246 = 0.847512...
    et = result["event_types"]
    assert et["sentences"] == 3 and et["units"] == 48
    assert et["alpha"] == pytest.approx(1 - 190 / 1246, abs=1e-4)
    assert et["per_type"]["ASSAULT"] == 1.0
    assert et["per_type"]["AGREE"] is None  # nobody used it: undefined, not perfect
    # COOPERATE over 3 sentences: one disagreement, otherwise zeros: o00 = 4, o01 = o10 = 1,
    # n = 6, n0 = 5, n1 = 1: alpha = 1 - 5 * 2 / (2 * 5 * 1) = 0.
    assert et["per_type"]["COOPERATE"] == pytest.approx(0.0, abs=1e-4)


def test_span_f1_exact_and_overlap(result: dict) -> None:
    spans = result["spans"]
    # ACTOR: A 6, B 5 (no first Kabul), 5 matches: 2*5/11
    assert spans["ACTOR"]["exact"] == pytest.approx(10 / 11, abs=1e-4)
    assert spans["ACTOR"]["overlap"] == pytest.approx(10 / 11, abs=1e-4)
    # EVENT: A attacked, talks, blamed; B attacked, hosted talks, hosted, blamed.
    # exact: 2 -> 4/7; overlap: talks ~ hosted talks -> 3 -> 6/7
    assert spans["EVENT"]["exact"] == pytest.approx(4 / 7, abs=1e-4)
    assert spans["EVENT"]["overlap"] == pytest.approx(6 / 7, abs=1e-4)
    assert spans["EVENT.CONSULT"]["exact"] == 0.0
    assert spans["EVENT.CONSULT"]["overlap"] == 1.0
    assert spans["EVENT.COOPERATE"] == {"exact": 0.0, "overlap": 0.0, "a": 0, "b": 1,
                                        "exact_matches": 0, "overlap_matches": 0}
    assert spans["BLAME"]["exact"] == 1.0 and spans["STANCE"]["exact"] == 1.0


def test_relation_f1(result: dict) -> None:
    rel = result["relations"]
    # event roles: A 5 edges, B 4; shared: attacked-source-Pakistan, blamed-source-Kabul#2,
    # blamed-target-Pakistan#2 -> 2*3/9
    assert rel["event_roles"]["f1"] == pytest.approx(6 / 9, abs=1e-4)
    # blame edges: A blamer, blamed, for; B blamer, blamed -> 2*2/5
    assert rel["blame"]["f1"] == pytest.approx(0.8)
    assert rel["blame"]["codes"]["f1"] == 1.0  # (accuse, AFG-TAL, PAK) on both sides
    # stance edges: holder shared, toward differs (talks vs hosted talks) -> 2*1/4
    assert rel["stance"]["f1"] == pytest.approx(0.5)
    assert rel["stance"]["codes"]["f1"] == 1.0  # (support, TUR, CONSULT) on both sides


def test_attribute_agreement(result: dict) -> None:
    attrs = result["attributes"]
    # ACTOR.code on 5 exact pairs: Pakistan PAK vs PAK-GOV differs. po = 0.8;
    # pe = (2/5)(1/5) PAK + (2/5)(2/5) TUR + (1/5)(1/5) AFG-TAL = 7/25; kappa = .52/.72
    assert attrs["ACTOR.code"]["agreement"] == pytest.approx(0.8)
    assert attrs["ACTOR.code"]["kappa"] == pytest.approx(0.52 / 0.72, abs=1e-4)
    assert attrs["ACTOR.code"]["n"] == 5
    # EVENT.status on attacked and blamed: asserted/claimed, asserted/asserted -> 0.5,
    # pe = 1 * 0.5 -> kappa 0
    assert attrs["EVENT.status"]["agreement"] == 0.5
    assert attrs["EVENT.status"]["kappa"] == pytest.approx(0.0)
    assert attrs["EVENT.type"]["agreement"] == 1.0
    assert attrs["EVENT.mode"] == {"agreement": 1.0, "kappa": None, "n": 2, "agreed": 2}
    assert attrs["BLAME.act"]["agreement"] == 1.0
    assert attrs["STANCE.polarity"]["n"] == 1


def test_overlap_matching_is_one_to_one() -> None:
    assert overlap_matches([(0, 10)], [(0, 5), (5, 10)]) == 1
    assert overlap_matches([(0, 10), (0, 10)], [(0, 10)]) == 1
    assert overlap_matches([(0, 4), (3, 8)], [(3, 8), (0, 2)]) == 2  # exact first


def test_agreement_from_two_folders_as_json(tmp_path: Path, runner) -> None:
    root = make_project(tmp_path / "proj", [])
    doc = cases.document()
    (root / "seeds" / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    (root / "annotation" / "gold" / f"{doc.id}.yaml").write_text(
        dump_gold(cases.annotation_a(), doc.text, doc.id), encoding="utf-8")
    second = root / "annotation" / "annotators" / "second"
    second.mkdir(parents=True)
    (second / f"{doc.id}.yaml").write_text(dump_gold(cases.annotation_b(), doc.text, doc.id),
                                           encoding="utf-8")
    env = {"STANDOFF_ROOT": str(root)}
    out = invoke(runner, env, "agreement", "annotation/gold", "annotation/annotators/second",
                 "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["annotators"] == ["gold", "second"] and data["documents"] == 1
    assert data["spans"]["EVENT"]["overlap"] == pytest.approx(6 / 7, abs=1e-4)
    assert data["event_types"]["alpha"] == pytest.approx(1 - 190 / 1246, abs=1e-4)
    table = invoke(runner, env, "agreement", "gold", "second")
    assert table.exit_code == 0 and "Krippendorff" in table.output
    one = invoke(runner, env, "agreement", "gold")
    assert one.exit_code == 1 and "two or more" in one.output


def test_three_annotators_pool_pairs(result: dict) -> None:
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    sets = {"gold": {cases.DOC_ID: cases.annotation_a()},
            "second": {cases.DOC_ID: cases.annotation_b()},
            "third": {cases.DOC_ID: cases.annotation_a()}}
    three = agreement(sets, {cases.DOC_ID: cases.document()}, schema)
    assert set(three["pairs"]) == {"gold~second", "gold~third", "second~third"}
    assert three["pairs"]["gold~third"]["spans"]["ACTOR"]["exact"] == 1.0
    # pooled ACTOR: matches 5 + 6 + 5 over (6+5) + (6+6) + (5+6) spans
    assert three["spans"]["ACTOR"]["exact"] == pytest.approx(2 * 16 / 34, abs=1e-4)
