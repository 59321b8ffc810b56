"""`standoff predict` at scale with real models, real processes and a real Dask
LocalCluster on 127.0.0.1: the output equals one process, document for document."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from standoff.core.io import iter_documents
from standoff.core.shards import MANIFEST, read_sharded
from standoff.models.predict import predict_to_file
from standoff.models.scale import ScaleOptions, predict_scaled

from .conftest import corpus_records, write_jsonl


def lines(docs) -> list[str]:
    return [d.model_dump_json() for d in docs]


def one_process(project: Path, ref: str, source: Path, out: Path) -> list[str]:
    """The reference: the plain single-process `standoff predict` path."""
    predict_to_file(ref, str(source), out, paths=None, models_dir=project / "models",
                    corpus_dir=project / "corpus")
    return lines(iter_documents(out))


def test_workers_and_dask_equal_one_process(project: Path, tmp_path: Path, cli) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", corpus_records(project, 12))
    sklearn = one_process(project, "actors/sklearn-1", source, tmp_path / "sklearn.jsonl")
    assert any('"ACTOR"' in line for line in sklearn)  # the model predicts something
    result = cli("predict", "actors/sklearn-1", source, "--out", tmp_path / "w2", "--workers",
                 2, "--batch-size", 3, "--shard-size", 5)
    assert result.exit_code == 0, result.output
    assert lines(read_sharded(tmp_path / "w2")) == sklearn
    manifest = json.loads((tmp_path / "w2" / MANIFEST).read_text())
    assert manifest["complete"] and [s["documents"] for s in manifest["shards"]] == [5, 5, 2]
    rules = one_process(project, "blame/rules-1", source, tmp_path / "rules.jsonl")
    assert any('"BLAME"' in line for line in rules)
    dask = predict_scaled("blame/rules-1", str(source), tmp_path / "dask.jsonl",
                          ScaleOptions(engine="dask", workers=2, batch_size=4))
    assert dask.documents == 12
    assert lines(iter_documents(tmp_path / "dask.jsonl")) == rules


def test_output_does_not_depend_on_batch_size_or_input_format(project: Path,
                                                              tmp_path: Path) -> None:
    records = corpus_records(project, 8)
    source = write_jsonl(tmp_path / "archive.jsonl", records)
    outputs = []
    for batch_size in (1, 3, 64):
        out = tmp_path / f"b{batch_size}.jsonl"
        predict_scaled("blame/rules-1", str(source), out, ScaleOptions(batch_size=batch_size))
        outputs.append(lines(iter_documents(out)))
    assert outputs[0] == outputs[1] == outputs[2]
    with gzip.open(tmp_path / "archive.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)
    table = [{**r, "meta": json.dumps(r["meta"])} for r in records]
    pq.write_table(pa.Table.from_pylist(table), tmp_path / "archive.parquet", row_group_size=3)
    for other in ("archive.jsonl.gz", "archive.parquet"):
        out = tmp_path / f"{other}.out.jsonl"
        predict_scaled("blame/rules-1", str(tmp_path / other), out, ScaleOptions(batch_size=5))
        assert lines(iter_documents(out)) == outputs[0]


def test_malformed_line_is_named_then_skipped_or_fatal(project: Path, tmp_path: Path,
                                                       cli) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", corpus_records(project, 6), bad_line=3)
    stop = cli("predict", "blame/rules-1", source, "--out", tmp_path / "stop")
    assert stop.exit_code == 1
    assert f"{source}:3" in stop.output and "malformed JSON" in stop.output
    assert "--on-error skip" in stop.output
    skip = cli("predict", "blame/rules-1", source, "--out", tmp_path / "skip", "--on-error",
               "skip")
    assert skip.exit_code == 0, skip.output
    assert f"{source}:3" in skip.output and "1 skipped" in skip.output
    assert len(list(read_sharded(tmp_path / "skip"))) == 6
    manifest = json.loads((tmp_path / "skip" / MANIFEST).read_text())
    assert manifest["skipped"][0].startswith(f"{source}:3")


def test_a_run_stopped_by_bad_input_resumes_without_duplicates(project: Path,
                                                               tmp_path: Path) -> None:
    records = corpus_records(project, 12)
    source = write_jsonl(tmp_path / "archive.jsonl", records, bad_line=9)
    out = tmp_path / "out"
    opts = ScaleOptions(shard_size=3, batch_size=2)
    try:
        predict_scaled("blame/rules-1", str(source), out, opts)
        raise AssertionError("the malformed line should have stopped the run")
    except Exception as err:  # noqa: BLE001 (the StandoffError of line 9)
        assert ":9" in str(err)
    done = json.loads((out / MANIFEST).read_text())
    assert not done["complete"] and done["documents"] == 6  # two finished shards survive
    write_jsonl(source, records)  # the line is fixed
    resumed = predict_scaled("blame/rules-1", str(source), out,
                             ScaleOptions(shard_size=3, batch_size=5, resume=True))
    assert resumed.resumed_from == 6 and resumed.documents == 6
    reference = one_process(project, "blame/rules-1", source, tmp_path / "one.jsonl")
    assert lines(read_sharded(out)) == reference


def test_sigkilled_run_keeps_its_shards_and_resumes(project: Path, tmp_path: Path) -> None:
    """A real `standoff predict` process is killed with SIGKILL once it has finished two
    shards; the finished shards stay intact, and --resume completes the run."""
    source = write_jsonl(tmp_path / "archive.jsonl", corpus_records(project, 30))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "standoff.cli.main", "predict", "blame/rules-1", str(source),
           "--out", str(out), "--shard-size", "2", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "STANDOFF_ROOT": str(project)})
    try:
        deadline = time.monotonic() + 60
        while _shards(out) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL, proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    killed = json.loads((out / MANIFEST).read_text())
    assert not killed["complete"] and 4 <= killed["documents"] < 30
    resumed = predict_scaled("blame/rules-1", str(source), out,
                             ScaleOptions(shard_size=2, resume=True))
    assert resumed.resumed_from == killed["documents"]
    assert resumed.documents == 30 - killed["documents"]
    reference = one_process(project, "blame/rules-1", source, tmp_path / "one.jsonl")
    assert lines(read_sharded(out)) == reference
    assert not list(out.glob(".*.tmp"))


def _shards(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["shards"])
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def test_bad_scheduler_and_options_give_clear_errors(project: Path, tmp_path: Path,
                                                     cli) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", corpus_records(project, 2))
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cli("predict", "blame/rules-1", source, "--out", tmp_path / "o", "--engine",
                 "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert f"cannot reach a Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    assert "dask scheduler" in result.output
    for args, message in ((["--scheduler", "tcp://127.0.0.1:1"], "needs --engine dask"),
                          (["--engine", "ray"], "unknown engine"),
                          (["--on-error", "ignore"], "unknown --on-error"),
                          (["--workers", "0"], "at least 1")):
        result = cli("predict", "blame/rules-1", source, "--out", tmp_path / "o", *args)
        assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / "o").exists()
