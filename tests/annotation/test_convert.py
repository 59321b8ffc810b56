"""AnnotationSet <-> Label Studio results, offline: offsets, losslessness, and bad results."""

from __future__ import annotations

import copy

import pytest

from standoff.annotation.goldfile import canonical
from standoff.annotation.labelstudio.convert import annotation_to_results, results_to_annotation
from standoff.annotation.labelstudio.offsets import OffsetMap, readings, utf16_length
from standoff.core.schema import Schema

from .conftest import REPO, repo_corpus
from .documents import tricky_documents


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema.load(REPO / "annotation" / "schema.yaml")


def test_offset_map_in_utf16_units() -> None:
    text = "a😀b🇵🇰c"
    offsets = OffsetMap.build(text, utf16=True)
    assert [offsets.to_js(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert offsets.length == utf16_length(text) == 9
    assert offsets.to_py(3) == 2
    assert offsets.to_py(2) is None  # the middle of a surrogate pair has no Python offset
    assert offsets.to_py(10) is None
    assert OffsetMap.build(text).to_py(3) == 3  # code points: the identity


def test_offset_map_with_crlf_counted_once() -> None:
    text = "ab\r\ncd"
    collapsed = OffsetMap.build(text, collapse_crlf=True)
    assert collapsed.length == 5
    assert collapsed.to_py(2) == 2 and collapsed.to_py(3) == 4  # "\r\n" is one unit
    assert len(readings(text)) == 2 and len(readings("😀\r\n")) == 4


def test_results_use_code_point_offsets(schema: Schema) -> None:
    # Label Studio 1.23's interface counts code points (a region selected in Chromium
    # after four astral characters came back at the Python offset): no conversion.
    doc = tricky_documents()[0]
    results = annotation_to_results(doc.annotation, doc.text, schema)
    regions = [r for r in results if r.get("from_name") == "label"]
    assert len(regions) == len(doc.annotation.spans)
    for item in regions:
        span = next(s for s in doc.annotation.spans if s.id == item["id"])
        assert (item["value"]["start"], item["value"]["end"]) == (span.start, span.end)
        assert doc.text[item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]


def test_utf16_offsets_of_older_versions_are_read_back(schema: Schema) -> None:
    doc = tricky_documents()[0]
    results = annotation_to_results(doc.annotation, doc.text, schema)
    utf16 = OffsetMap.build(doc.text, utf16=True)
    for item in results:
        if "value" in item:
            item["value"]["start"] = utf16.to_js(item["value"]["start"])
            item["value"]["end"] = utf16.to_js(item["value"]["end"])
    assert any(r["value"]["start"] != s.start for r, s in zip(results, doc.annotation.spans,
                                                               strict=False) if "value" in r)
    back, errors = results_to_annotation(results, doc.text, schema, "test", doc.id)
    assert errors == []
    assert canonical(back) == canonical(doc.annotation)


@pytest.mark.parametrize("doc", repo_corpus() + tricky_documents(), ids=lambda d: d.id)
def test_round_trip_is_lossless(doc, schema: Schema) -> None:
    results = annotation_to_results(doc.annotation, doc.text, schema)
    back, errors = results_to_annotation(results, doc.text, schema, "test", doc.id)
    assert errors == []
    assert canonical(back) == canonical(doc.annotation)


def test_same_pair_with_two_labels_is_one_ls_relation(schema: Schema) -> None:
    doc = tricky_documents()[1]
    results = annotation_to_results(doc.annotation, doc.text, schema)
    rel = [r for r in results if r["type"] == "relation" and r["from_id"] == "ev_talks"
           and r["to_id"] == "isl"]
    assert len(rel) == 1 and rel[0]["labels"] == ["source", "target"]


def test_offsets_that_count_crlf_once_are_read_back(schema: Schema) -> None:
    doc = tricky_documents()[1]
    collapsed = doc.text.replace("\r\n", "\n")
    start = collapsed.index("officials")
    result = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start, "end": start + 9, "text": "officials",
                         "labels": ["ACTOR"]}},
              {"id": "r1", "from_name": "actor_code", "to_name": "text", "type": "textarea",
               "value": {"start": start, "end": start + 9, "text": ["PAK-GOV"]}}]
    back, errors = results_to_annotation(result, doc.text, schema, "test", doc.id)
    assert errors == []
    assert doc.text[back.spans[0].start:back.spans[0].end] == "officials"


def _region(rid: str, label: str, start: int, end: int, text: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_bad_results_are_all_reported(schema: Schema) -> None:
    text = "Pakistan 😀 attacked Kabul."
    results = [
        _region("a", "PERSON", 0, 8, "Pakistan"),                # unknown label
        _region("b", "ACTOR", 10, 18, "attacked"),               # broken: one off
        _region("c", "ACTOR", 20, 25, "Kabul"),
        _region("d", "EVENT", 1, 3, "xx"),                       # broken: wrong text
        _region("e", "EVENT", 11, 19, "attacked"),
        {"id": "e", "from_name": "actor_code", "to_name": "text", "type": "textarea",
         "value": {"start": 11, "end": 19, "text": ["PAK"]}},    # an ACTOR control on an EVENT
        {"id": "e", "from_name": "event_type", "to_name": "text", "type": "choices",
         "value": {"start": 11, "end": 19, "choices": ["ASSAULT"]}},
        {"from_id": "e", "to_id": "c", "type": "relation", "direction": "right", "labels": []},
        {"from_id": "e", "to_id": "c", "type": "relation", "direction": "right",
         "labels": ["attacker"]},
        {"from_id": "e", "to_id": "zz", "type": "relation", "direction": "right",
         "labels": ["source"]},
    ]
    _, errors = results_to_annotation(results, text, schema, "project p task 1", "doc1")
    messages = "\n".join(str(e) for e in errors)
    assert "record doc1/a" in messages and "unknown label 'PERSON'" in messages
    assert "record doc1/b" in messages and "broken offset" in messages
    assert "record doc1/d" in messages
    assert "actor_code belongs to ACTOR regions" in messages
    assert "relation without a label" in messages
    assert "unknown relation label 'attacker'" in messages
    assert "missing region 'zz'" in messages
    assert all(e.file == "project p task 1" for e in errors)


def test_relation_drawn_backwards_is_read_by_the_schema(schema: Schema) -> None:
    text = "Pakistan attacked Kabul."
    results = [_region("p", "ACTOR", 0, 8, "Pakistan"),
               {"id": "p", "from_name": "actor_code", "to_name": "text", "type": "textarea",
                "value": {"start": 0, "end": 8, "text": ["PAK"]}},
               _region("e", "EVENT", 9, 17, "attacked"),
               {"id": "e", "from_name": "event_type", "to_name": "text", "type": "choices",
                "value": {"start": 9, "end": 17, "choices": ["ASSAULT"]}},
               {"from_id": "p", "to_id": "e", "type": "relation", "direction": "right",
                "labels": ["source"]}]
    back, errors = results_to_annotation(results, text, schema, "t", "doc")
    assert errors == []
    assert [(r.label, r.head, r.tail) for r in back.relations] == [("source", "e", "p")]
    assert back.spans[1].attrs == {"type": "ASSAULT", "status": "asserted"}  # schema default


def test_predictions_keep_their_scores(schema: Schema) -> None:
    doc = copy.deepcopy(tricky_documents()[0])
    for i, span in enumerate(doc.annotation.spans):
        span.score = round(0.5 + i / 100, 2)
    results = annotation_to_results(doc.annotation, doc.text, schema)
    back, _ = results_to_annotation(results, doc.text, schema, "t", doc.id)
    assert [s.score for s in back.spans] == [s.score for s in doc.annotation.spans]


# Captured from the Label Studio 1.23.2 interface in headless Chromium (zz_crlf document):
# an ACTOR region whose code was typed, then the EVENT label clicked while it was still
# selected (which relabels it), and an EVENT with type, status, mode and casualties.
CAPTURED = [
    {"value": {"start": 14, "end": 19, "text": "Kabul", "labels": ["EVENT"]},
     "id": "8QAoGDK8mx", "from_name": "label", "to_name": "text", "type": "labels",
     "origin": "manual"},
    {"value": {"start": 14, "end": 19, "text": ["AFG-TAL"]}, "id": "8QAoGDK8mx",
     "from_name": "actor_code", "to_name": "text", "type": "textarea", "origin": "manual"},
    {"value": {"start": 20, "end": 26, "text": "agreed", "labels": ["EVENT"]},
     "id": "kvuGyPn0vS", "from_name": "label", "to_name": "text", "type": "labels",
     "origin": "manual"},
    {"value": {"start": 20, "end": 26, "text": "agreed", "choices": ["ASSAULT"]},
     "id": "kvuGyPn0vS", "from_name": "event_type", "to_name": "text", "type": "choices",
     "origin": "manual"},
    {"value": {"start": 20, "end": 26, "text": "agreed", "choices": ["claimed"]},
     "id": "kvuGyPn0vS", "from_name": "event_status", "to_name": "text", "type": "choices",
     "origin": "manual"},
    {"value": {"start": 20, "end": 26, "text": "agreed", "choices": ["aerial"]},
     "id": "kvuGyPn0vS", "from_name": "event_mode", "to_name": "text", "type": "choices",
     "origin": "manual"},
    {"value": {"start": 20, "end": 26, "text": ["3 killed by -"]}, "id": "kvuGyPn0vS",
     "from_name": "event_casualties", "to_name": "text", "type": "textarea",
     "origin": "manual"},
]


def test_results_written_by_the_labeling_interface(schema: Schema) -> None:
    doc = tricky_documents()[1]
    _, errors = results_to_annotation(CAPTURED, doc.text, schema, "t", doc.id)
    assert [e.field for e in errors] == ["actor_code"]  # the relabelled region's stale code
    fixed = copy.deepcopy(CAPTURED)
    fixed[0]["value"]["labels"] = ["ACTOR"]
    back, errors = results_to_annotation(fixed, doc.text, schema, "t", doc.id)
    assert errors == []
    spans = {s.id: s for s in back.spans}
    assert (spans["8QAoGDK8mx"].label, spans["8QAoGDK8mx"].attrs) == ("ACTOR",
                                                                      {"code": "AFG-TAL"})
    assert spans["kvuGyPn0vS"].attrs == {"type": "ASSAULT", "status": "claimed",
                                         "mode": "aerial", "casualties": "3 killed by -"}
    assert doc.text[spans["kvuGyPn0vS"].start:spans["kvuGyPn0vS"].end] == "agreed"
