"""The PLOVER benchmark: the real 164 dev records, and a tiny file worked out by hand."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.io import write_jsonl_atomic
from standoff.core.model import AnnotationSet, Document
from standoff.core.schema import Schema
from standoff.eval.plover import GOLD_KEY, load_plover_documents, plover_code
from tests.eval.conftest import PLOVER_DEV
from tests.eval.helpers import span

RECORDS = [
    {"id": "R1", "event": "FIGHT", "text": "Israeli troops shelled Palestinian militants.",
     "source": [{"actorText": "Israeli troops", "code": "ISR", "sector": "MIL"}],
     "target": [{"actorText": "Palestinian militants", "code": "PSE", "sector": "REB"}],
     "textInfo": {"markup": "(SRC: Israeli troops) (EVT: shelled) (TAR: Palestinian "
                            "militants)."}},
    {"id": "R2", "event": "DEMAND", "text": "Washington urged Baghdad to hold elections.",
     "source": [{"actorText": "Washington", "code": "USA"}],
     "target": [{"actorText": "Baghdad", "code": "IRQ"}],
     "textInfo": {"markup": "(SRC: Washington) (EVT: urged) (TAR: Baghdad) to hold elections."}},
]


def _as_prediction(gold: Document, spans, rels=()) -> Document:
    from standoff.core.model import Relation

    relations = [Relation(id=f"r{i}", label=lab, head=h, tail=t) for i, (h, lab, t) in
                 enumerate(rels)]
    meta = {k: v for k, v in gold.meta.items() if k != GOLD_KEY}
    return gold.model_copy(update={"meta": meta, "annotation": AnnotationSet(
        origin="predicted", spans=spans, relations=relations)})


def test_plover_by_hand(project, cli, tmp_path) -> None:
    records = tmp_path / "records.json"
    records.write_text(json.dumps(RECORDS), encoding="utf-8")
    schema = Schema.load(project / "annotation" / "schema.yaml")
    docs = load_plover_documents(records, schema, ActorRegistry.load(
        project / "annotation" / "actors.yaml"))
    assert [d.meta[GOLD_KEY]["type"] for d in docs] == ["ASSAULT", "REQUEST"]  # old names
    t1 = docs[0].text
    pred1 = _as_prediction(docs[0], [
        span(t1, "e1", "EVENT", "shelled", type="ASSAULT"),
        span(t1, "e2", "EVENT", "troops", type="PROTEST"),
        span(t1, "a1", "ACTOR", "Israeli troops", code="ISR-MIL"),
        span(t1, "a2", "ACTOR", "Palestinian militants", code="PSE-REB")],
        [("e1", "source", "a1"), ("e1", "target", "a2")])
    pred2 = _as_prediction(docs[1], [])
    preds = tmp_path / "preds.jsonl"
    write_jsonl_atomic(preds, [pred1, pred2])
    result = cli("eval", "run", "events/hand", "--predictions", preds, "--data",
                 f"plover:{records}", "--resamples", 50)
    assert result.exit_code == 0, result.output
    m = json.loads((project / "eval/reports/events/hand@plover/metrics.json").read_text())
    v = {k: x["value"] for k, x in m["metrics"].items()}
    # types: R1 ASSAULT hit + PROTEST spurious; R2 REQUEST missed
    assert v["type.micro.precision"] == 0.5 and v["type.micro.recall"] == 0.5
    assert v["type.hit_rate"] == 0.5 and v["type.exact_match"] == 0
    assert v["type.macro.recall"] == 0.5  # ASSAULT 1, REQUEST 0
    # pairs: (ISR, PSE) found; (USA, IRQ) missed
    assert v["pairs.precision"] == 1 and v["pairs.recall"] == 0.5
    assert v["source.f1"] == v["target.f1"] == 2 / 3
    assert m["confusion"]["matrix"] and "REQUEST" in m["confusion"]["labels"]


def test_real_plover_records_score_perfectly_against_themselves(project, cli, tmp_path) -> None:
    schema = Schema.load(project / "annotation" / "schema.yaml")
    docs = load_plover_documents(PLOVER_DEV, schema, ActorRegistry.load(
        project / "annotation" / "actors.yaml"))
    assert len(docs) == 164
    write_jsonl_atomic(tmp_path / "self.jsonl", [
        _as_prediction(d, d.annotation.spans, [(r.head, r.label, r.tail)
                                               for r in d.annotation.relations]) for d in docs])
    result = cli("eval", "run", "events/self", "--predictions", tmp_path / "self.jsonl",
                 "--data", f"plover:{PLOVER_DEV}", "--resamples", 100)
    assert result.exit_code == 0, result.output
    m = json.loads((project / "eval/reports/events/self@plover/metrics.json").read_text())
    for key in ("type.micro.f1", "type.macro.f1", "type.hit_rate", "pairs.f1"):
        assert m["metrics"][key]["value"] == 1.0 and m["metrics"][key]["low"] == 1.0, key
    raw = Counter(r["event"] for r in json.loads(PLOVER_DEV.read_text(encoding="utf-8")))
    assert m["support"]["type.REQUEST"] == raw["DEMAND"] + raw["REQUEST"]
    assert m["support"]["type.ASSAULT"] == raw["FIGHT"] + raw["ASSAULT"]
    assert "FIGHT" not in m["context"]["labels"]


def test_plover_needs_an_events_model(project, cli) -> None:
    result = cli("eval", "run", "blame", "--predictions", "x.jsonl", "--data",
                 f"plover:{PLOVER_DEV}")
    assert result.exit_code == 1 and "events model" in result.output


def test_codes_map_to_plover_countries_and_organizations(project) -> None:
    actors = ActorRegistry.load(Path(project) / "annotation" / "actors.yaml")
    assert plover_code("PAK-GOV", actors) == "PAK"
    assert plover_code("UN", actors) == "IGO" and plover_code("ICRC", actors) == "NGO"
    assert plover_code("PAK-ASIF", actors) == "PAK"
    assert plover_code("LBR-REF", actors) == "LBR"  # unknown: its country prefix
