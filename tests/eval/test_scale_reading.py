"""Evaluation at scale: the fast document reader gives what core.io gives (documents
and messages), and the duplicate check holds 8 bytes per id, not the ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import standoff.eval.stream as stream
from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents, write_jsonl_atomic
from standoff.eval.data import read_jsonl_documents
from standoff.eval.fastdoc import FastDocument


def _pydantic(doc):  # noqa: ANN001, ANN202
    return doc.to_document() if isinstance(doc, FastDocument) else doc


@pytest.mark.parametrize("quick", [False, True])
def test_fast_reader_gives_the_documents_core_io_gives(gold_docs, tmp_path: Path,
                                                      quick: bool) -> None:
    path = tmp_path / "docs.jsonl"
    write_jsonl_atomic(path, gold_docs)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n   \n")  # blank lines are skipped by both
    fast = list(read_jsonl_documents(path, fast=quick))
    assert [_pydantic(d) for _, d in fast] == list(iter_documents(path))
    assert all(isinstance(d, FastDocument) == quick for _, d in fast)
    assert [w for w, _ in fast] == [f"{path}:{i}" for i in range(1, len(gold_docs) + 1)]


@pytest.mark.parametrize(("line", "message", "field"), [
    ('{"id": "a", "text": "x"', "malformed JSON", None),
    ("[1, 2]", "each line must be a JSON object", None),
    ('{"id": "a", "text": "x", "colour": 1}', "Extra inputs are not permitted", "colour"),
    ('{"id": "a", "text": "x", "annotation": {"spans": [{"id": "s", "label": "EVENT", '
     '"start": 0, "end": "one", "text": "x"}]}}', "valid integer", "annotation.spans.0.end"),
    (b'{"id": "a", "text": "\xff"}', "not valid UTF-8", None),
])
@pytest.mark.parametrize("quick", [False, True])
def test_bad_line_named_as_core_io_names_it(tmp_path: Path, line, message, field,
                                            quick: bool) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "ok", "text": "fine"})
    path.write_bytes(good.encode() + b"\n" + (line if isinstance(line, bytes) else
                                              line.encode()) + b"\n")
    with pytest.raises(StandoffError) as fast:
        list(read_jsonl_documents(path, fast=quick))
    with pytest.raises(StandoffError) as slow:
        list(iter_documents(path))
    assert message in str(fast.value)
    assert str(fast.value) == str(slow.value)
    assert fast.value.file == f"{path}:2" and fast.value.field == field


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(StandoffError, match="file not found"):
        list(read_jsonl_documents(tmp_path / "nope.jsonl"))


def test_id_set_finds_duplicates_across_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream.IdSet, "MERGE", 16)  # many merges into the sorted array
    ids = stream.IdSet()
    names = [f"doc-{i:05d}" for i in range(1000)]
    assert all(ids.add(n) for n in names)  # 1000 distinct ids: no false duplicate
    assert len(ids) == 1000
    assert not any(ids.add(n) for n in names[::7])  # every repeat is caught
    assert ids.add("doc-01000")
    assert ids._sorted.nbytes <= 8 * 1001  # 8 bytes per id, whatever the id's length


def test_repeated_predictions_are_named_up_to_the_error_limit(gold_docs, tmp_path) -> None:
    """A file that repeats one document a million times must not hold a million errors."""
    doc = gold_docs[0]
    pairs = ((f"preds.jsonl:{i}", doc) for i in range(1, 200))
    join = stream.PredictionJoin(pairs, tmp_path)
    assert join.take(doc.id)[0] == "preds.jsonl:1"
    assert list(join.leftovers()) == []  # the 198 repeats are not predictions to score
    assert len(join.duplicates) == stream.MAX_DUPLICATES
    assert join.duplicates[0].file == "preds.jsonl:2"
