"""The gold hash's direct writer gives the bytes `json.dumps(model_dump, sort_keys)` gives."""

from __future__ import annotations

import json

import pytest

from standoff.core.model import AnnotationSet, Document
from standoff.eval.data import GoldData, GoldHash
from standoff.eval.hashing import annotation_json


def _old_bytes(ann: AnnotationSet) -> str:
    # the formula every report so far was hashed with
    return json.dumps(ann.model_dump(mode="json", exclude_none=True), sort_keys=True)


def _doc(spans: list[dict], relations: list[dict] | None = None, **ann) -> Document:
    text = "Kabul accused «Islamabad» of the strike.\n"
    return Document.model_validate_json(json.dumps({
        "id": "d", "text": text,
        "annotation": {"spans": spans, "relations": relations or [], **ann}}))


SPAN = {"id": "a", "label": "ACTOR", "start": 0, "end": 5, "text": "Kabul"}
ODD = [
    [{**SPAN, "attrs": {"code": "AFG"}}],
    [{**SPAN, "attrs": {}}, {**SPAN, "id": "b\"\\\n", "text": "«Islamabad»", "start": 14,
                             "end": 25, "attrs": {"z": "1", "a": "é", "m": "\u2028"}}],
    [{**SPAN, "attrs": {"n": 3, "b": True, "l": ["x", 1.5], "none": None, "d": {"y": 1}}}],
    [{**SPAN, "score": 0.25}, {**SPAN, "id": "b", "score": 1}, {**SPAN, "id": "c", "score": 1e-7}],
    [{**SPAN, "start": True, "end": 5.0}],
]


@pytest.mark.parametrize("spans", ODD)
def test_direct_writer_matches_json_dumps(spans: list[dict]) -> None:
    ann = _doc(spans).annotation
    assert annotation_json(ann) == _old_bytes(ann)


def test_relations_and_set_fields_match() -> None:
    rels = [{"id": "r1", "label": "blamed", "head": "a", "tail": "b", "score": 0.5},
            {"id": "r2", "label": "blamer", "head": "a", "tail": "ü"}]
    for extra in ({}, {"annotator": "ann-1"}, {"model_version": "events/sk-2", "origin":
                                                "predicted"}):
        ann = _doc([SPAN], rels, **extra).annotation
        assert annotation_json(ann) == _old_bytes(ann)


def test_non_finite_scores_take_the_old_way() -> None:
    ann = _doc([{**SPAN, "score": 1.0}]).annotation
    ann.spans[0].score = float("inf")
    assert annotation_json(ann) == _old_bytes(ann)


def test_gold_hash_of_real_gold_unchanged(gold_docs: list[Document]) -> None:
    import hashlib

    h = hashlib.sha256()
    for doc in gold_docs:
        assert annotation_json(doc.annotation) == _old_bytes(doc.annotation)
        h.update(doc.id.encode())
        h.update(hashlib.sha256(doc.text.encode()).digest())
        h.update(_old_bytes(doc.annotation).encode())
    gold = GoldData("t", "t", gold_docs, None, None)  # type: ignore[arg-type]
    assert gold.content_hash() == h.hexdigest()
    hasher = GoldHash()
    hasher.update(gold_docs[0])
    assert hasher.hexdigest() != h.hexdigest()
