"""One reader for `standoff predict`: every input form reads the same documents through
the plain path (`predict_to_file`) and the scaled path (`predict_scaled`), and bad inputs
give the same clear errors through both."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from standoff.core.errors import StandoffError
from standoff.core.io import iter_documents
from standoff.core.streams import input_name, open_input
from standoff.models.predict import predict_to_file
from standoff.models.scale import ScaleOptions, predict_scaled

from .conftest import corpus_records, write_jsonl

MODEL = "blame/rules-1"


def both_paths(project: Path, source: str, out: Path) -> list[str]:
    """Predict through both paths; they must agree; the predicted documents as JSON."""
    plain = predict_to_file(MODEL, source, out / "plain.jsonl", models_dir=project / "models",
                            corpus_dir=project / "corpus")
    predict_scaled(MODEL, source, out / "scaled.jsonl", ScaleOptions(batch_size=2),
                   corpus_dir=project / "corpus", models_dir=project / "models")
    docs = [d.model_dump_json() for d in iter_documents(out / "plain.jsonl")]
    assert docs == [d.model_dump_json() for d in iter_documents(out / "scaled.jsonl")]
    assert plain.documents == len(docs)
    return docs


def test_every_input_form_reads_the_same_through_both_paths(project: Path,
                                                            tmp_path: Path) -> None:
    records = corpus_records(project, 4)
    forms = tmp_path / "forms"
    (forms / "texts").mkdir(parents=True)
    for r in records:
        (forms / "texts" / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    write_jsonl(forms / "a.jsonl", records)
    with gzip.open(forms / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)
    pq.write_table(pa.Table.from_pylist([{**r, "meta": json.dumps(r["meta"])} for r in records]),
                   forms / "a.parquet")
    (forms / "shards").mkdir()
    write_jsonl(forms / "shards" / "part-0.jsonl", records[:3])
    write_jsonl(forms / "shards" / "part-1.jsonl", records[3:])
    reference = both_paths(project, str(forms / "a.jsonl"), tmp_path / "ref")
    assert any('"BLAME"' in doc for doc in reference)
    for i, source in enumerate([forms / "a.jsonl.gz", forms / "a.parquet", forms / "shards",
                                (forms / "shards").as_uri()]):
        assert both_paths(project, str(source), tmp_path / str(i)) == reference, source
    texts = both_paths(project, str(forms / "texts"), tmp_path / "texts")
    ids = sorted(r["id"] for r in records)
    assert [json.loads(d)["id"] for d in texts] == ids
    assert json.loads(texts[0])["meta"] == {"source_file": f"{ids[0]}.txt"}
    one = both_paths(project, str(forms / "texts" / f"{ids[0]}.txt"), tmp_path / "one")
    assert one == texts[:1]
    corpus = both_paths(project, str(project / "corpus"), tmp_path / "corpus")
    dev = both_paths(project, "dev", tmp_path / "dev")
    assert 0 < len(dev) < len(corpus)
    assert {json.loads(d)["id"] for d in dev} < {json.loads(d)["id"] for d in corpus}


@pytest.mark.parametrize("content, message", [
    (None, "not found"),
    ("folder", "no .txt files or documents.jsonl in the folder"),
    (b"   \n", "empty text"),
    (b"caf\xe9", "not valid UTF-8 (byte 3)"),
    (b'{"id": "x", "text": "fine"}\n{"id": 3}\n', "2: each record needs a string 'id'"),
    (b'{"id": "x", "text": "fine"}\n{"id": "y"}\n', "2: each record needs a string 'id'"),
])
def test_bad_input_gives_the_same_clear_error_on_both_paths(project: Path, tmp_path: Path,
                                                            content, message: str) -> None:
    source = tmp_path / ("in.jsonl" if isinstance(content, bytes) and b"{" in content
                          else "in.txt")
    if content == "folder":
        source = tmp_path / "empty"
        source.mkdir()
    elif content is not None:
        source.write_bytes(content)
    runs = (lambda out: predict_to_file(MODEL, str(source), out, models_dir=project / "models"),
            lambda out: predict_scaled(MODEL, str(source), out, ScaleOptions(),
                                       models_dir=project / "models"))
    for run in runs:
        out = tmp_path / "never.jsonl"
        with pytest.raises(StandoffError) as caught:
            run(out)
        assert message in str(caught.value)
        assert str(source.name) in str(caught.value) or content is None
        assert not out.exists()


def test_missing_input_names_every_form_and_urls_must_say_their_format(
        project: Path, tmp_path: Path) -> None:
    with pytest.raises(StandoffError, match="train/dev/test"):
        predict_to_file(MODEL, str(tmp_path / "nope"), tmp_path / "o.jsonl",
                        models_dir=project / "models")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(StandoffError, match="cannot tell the input format"):
        open_input((tmp_path / "odd").as_uri())
    assert [input_name(s) for s in ("a/b/archive.jsonl.gz", "s3://x/y/part.parquet",
                                    "news/", "one.txt")] == ["archive", "part", "news", "one"]
