"""Streaming readers, sharded resumable output, and ordered parallel maps (real processes,
a real Dask LocalCluster on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from standoff.core.errors import StandoffError
from standoff.core.model import Document
from standoff.core.parallel import ProcessorSpec, chunked, map_dask, map_local
from standoff.core.shards import ShardWriter, read_sharded
from standoff.core.streams import ReadReport, iter_input


def segmenting_processor(prefix: str):
    """A real processor: spaCy sentence segmentation, loaded once per worker."""
    from standoff.corpus.sentences import split_sentences

    def process(records: list[dict]) -> list[dict]:
        out = []
        for rec in records:
            sentences, tokens = split_sentences(rec["text"])
            out.append({**rec, "sentences": sentences, "tokens": tokens,
                        "meta": {"by": prefix}})
        return out

    return process


def _records(n: int) -> list[dict]:
    return [{"id": f"d{i:04d}", "text": f"Talks {i} collapsed. Both sides traded fire."}
            for i in range(n)]


def _write_jsonl(path: Path, records: list[dict], bad_line: int | None = None) -> Path:
    lines = [json.dumps(r) for r in records]
    if bad_line is not None:
        lines.insert(bad_line, "{broken")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_bad_line_is_named_and_skipped_or_fatal(tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _records(5), bad_line=2)
    report = ReadReport()
    docs = list(iter_input(str(src), on_error="skip", report=report))
    assert [d.id for d in docs] == [f"d{i:04d}" for i in range(5)]
    assert [b.where for b in report.skipped] == [f"{src}:3"]
    with pytest.raises(StandoffError, match=r"in.jsonl:3"):
        list(iter_input(str(src), on_error="stop"))


def test_parquet_and_gzip_jsonl_read_the_same_documents(tmp_path: Path) -> None:
    import gzip

    records = _records(7)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet", row_group_size=3)
    with gzip.open(tmp_path / "in.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in records)
    from_parquet = [d.id for d in iter_input(str(tmp_path / "in.parquet"), batch_size=2)]
    from_gzip = [d.id for d in iter_input(str(tmp_path / "in.jsonl.gz"))]
    assert from_parquet == from_gzip == [r["id"] for r in records]


def _run(spec: ProcessorSpec, docs: list[dict], workers: int, engine: str) -> list[dict]:
    chunks = chunked(docs, 3)
    results = map_dask(spec, chunks, workers=workers) if engine == "dask" else \
        map_local(spec, chunks, workers=workers)
    return [rec for chunk in results for rec in chunk]


def test_local_processes_and_dask_match_one_process() -> None:
    spec = ProcessorSpec(segmenting_processor, ("x",))
    docs = _records(20)
    single = _run(spec, docs, 1, "local")
    assert single[0]["sentences"] == [(0, 18), (19, 42)]
    assert _run(spec, docs, 2, "local") == single
    dask_out = _run(spec, docs, 2, "dask")
    assert [json.dumps(r, default=list) for r in dask_out] == \
        [json.dumps(r, default=list) for r in single]


def test_sharded_output_resumes_without_duplicates(tmp_path: Path) -> None:
    docs = [Document(id=r["id"], text=r["text"]) for r in _records(10)]
    run = {"model": "m", "input": "in"}
    writer = ShardWriter(tmp_path / "out", shard_size=4, run=run)
    writer.write(docs[0:4])
    # the run is killed here: a half-written temp file is left behind
    (tmp_path / "out" / ".part-00001.jsonl.x.tmp").write_text("{half", encoding="utf-8")
    with pytest.raises(StandoffError, match="--resume"):
        ShardWriter(tmp_path / "out", shard_size=4, run=run)
    resumed = ShardWriter(tmp_path / "out", shard_size=4, run=run, resume=True)
    assert resumed.done_documents == 4
    for chunk in chunked(docs[resumed.done_documents:], 4):
        resumed.write(chunk)
    resumed.finish()
    assert [d.id for d in read_sharded(tmp_path / "out")] == [d.id for d in docs]
    assert not list((tmp_path / "out").glob("*.tmp"))
    with pytest.raises(StandoffError, match="different run"):
        ShardWriter(tmp_path / "out", shard_size=4, run={"model": "other"}, resume=True)


def dying_processor(poison: str):
    """A real processor whose process SIGKILLs itself on the chunk that holds `poison`."""
    import os
    import signal

    def process(records: list[dict]) -> list[dict]:
        if any(r["id"] == poison for r in records):
            os.kill(os.getpid(), signal.SIGKILL)
        return records

    return process


def test_a_dead_local_worker_raises_instead_of_hanging() -> None:
    from standoff.core.parallel import WorkerDied

    spec = ProcessorSpec(dying_processor, ("d0010",))
    got = []
    with pytest.raises(WorkerDied) as caught:
        for chunk in map_local(spec, chunked(_records(30), 2), workers=2):
            got.extend(chunk)
    assert "worker process died" in str(caught.value)
    assert caught.value.done == len(got) // 2 and len(got) <= 10  # chunks before the poison
