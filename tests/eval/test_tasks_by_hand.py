"""Every task's metrics on documents small enough to work out by hand."""

from __future__ import annotations

import pytest

from standoff.eval.actors import ActorsTask
from standoff.eval.base import E2E, GOLD_ACTORS
from standoff.eval.events import EventsTask
from standoff.eval.relations import BlameTask, StanceTask
from standoff.eval.runner import score_documents, summarize
from tests.eval.helpers import doc, span

TEXT = "Pakistan attacked Kabul. Talks were held in Doha. Kabul rejected the talks."


def metrics(task, gold, pred, extra=None):
    preds = {E2E: {d.id: d for d in pred}}
    if extra is not None:
        preds[GOLD_ACTORS] = {d.id: d for d in extra}
    scored = score_documents(task, gold, preds, progress=False)
    summary = summarize(scored, resamples=50)
    return {k: v["value"] for k, v in summary["metrics"].items()}, scored


def ev(sid, quote, etype, nth=0):
    return span(TEXT, sid, "EVENT", quote, nth, type=etype, status="asserted")


def test_events_sentences_and_triggers_by_hand() -> None:
    gold = doc("d", TEXT, [ev("e1", "attacked", "ASSAULT"), ev("e2", "Talks", "CONSULT"),
                           ev("e3", "rejected", "REJECT")])
    pred = doc("d", TEXT, [ev("p1", "attacked", "ASSAULT"),   # right
                           ev("p2", "held", "CONSULT"),       # right sentence, wrong span
                           ev("p3", "rejected", "ACCUSE"),    # wrong type
                           ev("p4", "rejected", "ACCUSE")],   # duplicate prediction
               origin="predicted")
    m, scored = metrics(EventsTask(), [gold], [pred])
    # sentences: {ASSAULT} {CONSULT} {REJECT} vs {ASSAULT} {CONSULT} {ACCUSE}: tp 2 fp 1 fn 1
    assert m["sentence.micro.precision"] == pytest.approx(2 / 3)
    assert m["sentence.micro.recall"] == pytest.approx(2 / 3)
    # macro over the gold's three types: ASSAULT 1, CONSULT 1, REJECT 0
    assert m["sentence.macro.f1"] == pytest.approx(2 / 3)
    assert m["sentence.REJECT.recall"] == 0 and m["sentence.ACCUSE.precision"] == 0
    # strict: attacked correct; held/Talks no overlap -> spurious + missed; rejected as ACCUSE
    # is incorrect; its duplicate finds no free gold -> spurious. cor 1 inc 1 mis 1 spu 2
    assert m["trigger.strict.precision"] == pytest.approx(1 / 4)
    assert m["trigger.strict.recall"] == pytest.approx(1 / 3)
    # exact ignores type: attacked, rejected correct; cor 2, mis 1, spu 2
    assert m["trigger.exact.precision"] == pytest.approx(2 / 4)
    assert m["trigger.ent_type.recall"] == pytest.approx(1 / 3)
    kinds = {(i.kind, i.outcome, i.label) for i in scored.items}
    assert ("trigger", "fn", "CONSULT") in kinds and ("trigger", "fp", "ACCUSE") in kinds
    assert ("sentence", "fn", "REJECT") in kinds
    assert scored.confusion[("REJECT", "ACCUSE")] == 1 and scored.confusion[("CONSULT", "—")]


def test_events_empty_gold_gives_zero_not_a_crash() -> None:
    gold = doc("d", TEXT, [])
    pred = doc("d", TEXT, [ev("p1", "attacked", "ASSAULT")], origin="predicted")
    m, _ = metrics(EventsTask(), [gold], [pred])
    assert m["sentence.micro.precision"] == 0 and m["sentence.micro.recall"] == 0
    assert m["sentence.macro.f1"] == 0  # no gold type to average over


def actor(text, sid, quote, code, nth=0):
    return span(text, sid, "ACTOR", quote, nth, code=code)


def test_actors_exact_overlap_normalization_by_hand() -> None:
    gold = doc("d", TEXT, [actor(TEXT, "a1", "Pakistan", "PAK-GOV"),
                           actor(TEXT, "a2", "Kabul", "AFG-TAL"),
                           actor(TEXT, "a3", "Doha", "QAT"),
                           actor(TEXT, "a4", "Kabul", "AFG-TAL", nth=1)])
    pred = doc("d", TEXT, [actor(TEXT, "p1", "Pakistan", "PAK-GOV"),   # right
                           actor(TEXT, "p2", "Kabul", "PAK-GOV"),      # span right, code wrong
                           actor(TEXT, "p3", "Doh", "QAT"),            # overlap, code right
                           actor(TEXT, "p4", "Talks", "UN")],          # spurious
               origin="predicted")
    m, scored = metrics(ActorsTask(), [gold], [pred])
    assert m["exact.precision"] == pytest.approx(2 / 4) and m["exact.recall"] == 2 / 4
    assert m["overlap.precision"] == pytest.approx(3 / 4) and m["overlap.recall"] == 3 / 4
    assert m["normalization.accuracy"] == pytest.approx(1 / 2)
    assert m["normalization.accuracy_overlap"] == pytest.approx(2 / 3)
    assert m["linked.f1"] == pytest.approx(1 / 4)
    assert sum(i.outcome == "fn" for i in scored.items) == 3


BLAME_TEXT = "Pakistan accused Kabul of the attack. Kabul denied it, Islamabad said."


def blame_doc(origin, blamed_nth=0, with_deny=True, dup=False):
    t = BLAME_TEXT
    spans = [actor(t, "pak", "Pakistan", "PAK-GOV"), actor(t, "kab1", "Kabul", "AFG-TAL"),
             actor(t, "kab2", "Kabul", "AFG-TAL", nth=1), actor(t, "isl", "Islamabad", "PAK-GOV"),
             span(t, "b1", "BLAME", "accused", act="accuse")]
    rels = [("b1", "blamer", "pak"), ("b1", "blamed", "kab2" if blamed_nth else "kab1")]
    if with_deny:
        spans.append(span(t, "b2", "BLAME", "denied", act="deny"))
        rels += [("b2", "blamer", "isl"), ("b2", "blamed", "kab2")]
    if dup:
        spans.append(span(t, "b3", "BLAME", "accused", act="accuse"))
        rels += [("b3", "blamer", "pak"), ("b3", "blamed", "kab1")]
    return doc("d", t, spans, rels, origin=origin)


def test_blame_strict_and_lenient_by_hand() -> None:
    gold = blame_doc("gold")
    # end to end: the accusation points at the wrong "Kabul" (strict miss, lenient hit),
    # and the denial is missed
    e2e = blame_doc("predicted", blamed_nth=1, with_deny=False)
    # given gold actors: both right, plus a duplicate of the accusation
    given = blame_doc("predicted", dup=True)
    m, scored = metrics(BlameTask(), [gold], [e2e], extra=[given])
    assert m["e2e.strict.micro.precision"] == 0 and m["e2e.strict.micro.recall"] == 0
    assert m["e2e.lenient.micro.precision"] == 1 and m["e2e.lenient.micro.recall"] == 0.5
    assert m["e2e.lenient.accuse.f1"] == 1 and m["e2e.lenient.deny.recall"] == 0
    assert m["gold_actors.strict.micro.precision"] == pytest.approx(2 / 3)
    assert m["gold_actors.strict.micro.recall"] == 1
    assert m["gold_actors.strict.accuse.precision"] == pytest.approx(1 / 2)
    assert scored.edges["gold"] == {("PAK-GOV", "AFG-TAL"): 1}  # accusations only
    assert {(i.kind, i.outcome) for i in scored.items} == {
        ("blame", "fn"), ("blame", "fp"), ("blame@gold_actors", "fp")}


STANCE_TEXT = "Qatar backed the talks. Pakistan opposed Kabul. Turkey stayed neutral on Kabul."


def stance(t, sid, cue, polarity):
    return span(t, sid, "STANCE", cue, polarity=polarity)


def test_stance_macro_and_semeval_f_avg_by_hand() -> None:
    t = STANCE_TEXT
    actors = [actor(t, "q", "Qatar", "QAT"), actor(t, "p", "Pakistan", "PAK-GOV"),
              actor(t, "k1", "Kabul", "AFG-TAL"), actor(t, "tu", "Turkey", "TUR"),
              actor(t, "k2", "Kabul", "AFG-TAL", nth=1),
              span(t, "ev", "EVENT", "talks", type="CONSULT", status="asserted")]
    gold = doc("d", t, actors + [stance(t, "s1", "backed", "support"),
                                 stance(t, "s2", "opposed", "oppose"),
                                 stance(t, "s3", "neutral", "neutral")],
               [("s1", "holder", "q"), ("s1", "toward", "ev"), ("s2", "holder", "p"),
                ("s2", "toward", "k1"), ("s3", "holder", "tu"), ("s3", "toward", "k2")])
    # support right; oppose predicted as support; neutral right
    pred = doc("d", t, actors + [stance(t, "s1", "backed", "support"),
                                 stance(t, "s2", "opposed", "support"),
                                 stance(t, "s3", "neutral", "neutral")],
               [("s1", "holder", "q"), ("s1", "toward", "ev"), ("s2", "holder", "p"),
                ("s2", "toward", "k1"), ("s3", "holder", "tu"), ("s3", "toward", "k2")],
               origin="predicted")
    m, _ = metrics(StanceTask(), [gold], [pred])
    # support: tp 1 fp 1 -> P .5 R 1 F 2/3; oppose: fn 1 -> F 0; neutral: F 1
    assert m["e2e.strict.support.f1"] == pytest.approx(2 / 3)
    assert m["e2e.strict.oppose.f1"] == 0
    assert m["e2e.strict.macro.f1"] == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert m["e2e.strict.f_avg"] == pytest.approx((2 / 3 + 0) / 2)
    assert m["e2e.strict.micro.f1"] == pytest.approx(2 / 3)
