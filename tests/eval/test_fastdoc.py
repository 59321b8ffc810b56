"""Scoring-only msgspec documents: what pydantic accepts, they hold the same values or
leave the line to pydantic; scores, checks and the gold hash are the same either way."""

from __future__ import annotations

import json

import pytest

from standoff.core.model import Document
from standoff.core.schema import Schema
from standoff.eval.base import E2E, Item
from standoff.eval.data import GoldHash, check_prediction, empty_prediction
from standoff.eval.fastdoc import FastDocument, decode_fast
from standoff.eval.runner import TASKS
from standoff.eval.stream import item_line
from standoff.eval.synthetic import perturb

from .conftest import REPO

SPAN = {"id": "s", "label": "ACTOR", "start": 0, "end": 5, "text": "Kabul", "attrs": {}}


def _line(**changes) -> bytes:
    record = {"id": "d", "text": "Kabul said.", "annotation": {"spans": [SPAN]}}
    record.update(changes)
    return json.dumps(record).encode()


@pytest.mark.parametrize("line", [
    _line(),
    _line(tokens=3, split="dev", meta={"a": [1, {"b": None}]}, sentences=[[0, 11]]),
    _line(annotation={"origin": "predicted", "model_version": "x/y", "spans": [
        {**SPAN, "score": 1}, {**SPAN, "id": "t", "score": 0.5, "attrs": {"code": "AFG"}}],
        "relations": [{"id": "r", "label": "source", "head": "s", "tail": "t", "score": 1}]}),
    # lax values pydantic converts: msgspec leaves these lines to it
    _line(tokens="3"), _line(sentences=[[0.0, 11]]),
    _line(annotation={"spans": [{**SPAN, "end": 5.0}]}),
])
def test_accepted_lines_hold_the_same_values(line: bytes) -> None:
    slow = Document.model_validate_json(line)
    quick = decode_fast(line)
    if quick is not None:
        assert quick.to_document() == slow
        assert GoldHash.serialized(quick) == GoldHash.serialized(slow)  # type: ignore[arg-type]
    else:
        assert b'"3"' in line or b".0" in line  # only the lax ones are left to pydantic


@pytest.mark.parametrize("line", [
    _line(text="   "), _line(extra=1), _line(split="other"), _line(tokens=True),
    _line(annotation={"spans": [{**SPAN, "start": -1}]}),
    _line(annotation={"spans": [{**SPAN, "start": 5}]}),
    _line(annotation={"origin": "model"}),
    _line(annotation={"spans": [{**SPAN, "colour": "red"}]}),
    _line(annotation={"relations": [{"id": "r", "label": "source", "head": "s"}]}),
])
def test_lines_pydantic_rejects_are_left_to_it(line: bytes) -> None:
    assert decode_fast(line) is None


def test_scores_and_checks_equal_on_real_gold(gold_docs: list[Document]) -> None:
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    preds = [perturb(doc, seed=i) for i, doc in enumerate(gold_docs)]
    for task in TASKS.values():
        for gold, pred in zip(gold_docs, preds, strict=True):
            quick_gold = decode_fast(gold.model_dump_json().encode())
            quick_pred = decode_fast(pred.model_dump_json().encode())
            assert isinstance(quick_gold, FastDocument) and isinstance(quick_pred, FastDocument)
            slow = task().score(gold, {E2E: pred})
            fast = task().score(quick_gold, {E2E: quick_pred})  # type: ignore[arg-type]
            assert (fast.counts, fast.confusion, fast.edges) == (slow.counts, slow.confusion,
                                                                 slow.edges)
            assert [i.to_json() for i in fast.items] == [i.to_json() for i in slow.items]
            assert check_prediction(quick_pred, quick_gold, schema, "f") == []  # type: ignore
            empty = empty_prediction(quick_gold)  # type: ignore[arg-type]
            assert empty.annotation.spans == [] and empty.text == gold.text


def test_bad_prediction_checks_name_the_same_problems(gold_docs: list[Document]) -> None:
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    gold = gold_docs[0]
    record = json.loads(gold.model_dump_json())
    record["annotation"]["spans"][0]["label"] = "PERSON"
    record["annotation"]["spans"][1]["text"] = "not the text"
    record["annotation"]["relations"].append({"id": "z", "label": "blamer", "head": "nope",
                                              "tail": "nope"})
    line = json.dumps(record).encode()
    slow = check_prediction(Document.model_validate_json(line), gold, schema, "f:1")
    fast = check_prediction(decode_fast(line), gold, schema, "f:1")  # type: ignore[arg-type]
    assert [str(e) for e in fast] == [str(e) for e in slow] and len(slow) >= 3


@pytest.mark.parametrize("item", [
    Item("trigger", "d", "trig:0-5:X", "fp", "ATTACK", 3, "Kabul «said» \"x\"\n\u2028", 7,
         [(0, 5, "pred"), (1, 2, "gold")], "gold ATTACK 'é'"),
    Item("sentence", "d", "k", "fn", "AGREE", None, "", 0, [], ""),
    Item("blame", "d", "k", "tp", None, True, "t", 0, [[0, 1, "gold"]], "n"),  # type: ignore
    Item("actor", "d", "k", "tp", "PAK", 1, "t", 2.0, [(0, 1, 2)], "n"),  # type: ignore
])
def test_item_lines_are_what_json_dumps_writes(item: Item) -> None:
    assert item_line(item) == json.dumps(item.to_json(), ensure_ascii=False)
