"""Workers that die for real (SIGKILL) in the middle of a prediction run.

Dask: the scheduler reschedules the chunk the dead worker held, the nanny restarts the
worker, and the output equals one process; what allows it is
`distributed.scheduler.allowed-failures` (with 0, the same kill fails the run even though
`retries=2`). Local processes: a dead pool worker stops the run at once with an error
that names the finished shards and --resume, and --resume completes it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from standoff.core.errors import StandoffError
from standoff.core.parallel import ProcessorSpec, WorkerDied, chunked, map_dask, map_local
from standoff.core.shards import MANIFEST, read_sharded
from standoff.models.scale import ScaleOptions, model_processor, predict_scaled

from .conftest import corpus_records, write_jsonl

MODEL = "blame/rules-1"


def archive(root: Path, n: int) -> list[dict]:
    """`n` documents: the corpus documents cycled under new ids."""
    base = corpus_records(root, 66)
    return [{**base[i % len(base)], "id": f"{base[i % len(base)]['id']}~{i}"} for i in range(n)]


def slow_predictor(ref: str, models_dir: str, busy_dir: str, delay: float):
    """The real model, slowed down so that a run is long enough to be killed mid-chunk.

    While a worker holds a chunk, `busy_dir/<pid>` holds the chunk's first id; the file is
    removed when the chunk is done, so the file of a killed worker stays behind. Every
    finished chunk is logged as `pid first-id` in `busy_dir/done.log`.
    """
    process = model_processor(ref, models_dir, 8, False, 1)

    def run(records: list[dict]) -> list[dict]:
        marker = Path(busy_dir) / str(os.getpid())
        marker.write_text(records[0]["id"], encoding="utf-8")
        time.sleep(delay)
        out = process(records)
        with (Path(busy_dir) / "done.log").open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {records[0]['id']}\n")
        marker.unlink()
        return out

    return run


def kill_a_busy_worker(busy: Path) -> tuple[int, str]:
    """SIGKILL a worker process that holds a chunk; its pid and the chunk's first id."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for marker in busy.glob("[0-9]*"):
            pid = int(marker.name)
            try:
                chunk = marker.read_text(encoding="utf-8")
                os.kill(pid, signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError):
                continue  # finished that chunk in the meantime
            return pid, chunk
        time.sleep(0.01)
    raise AssertionError("no worker was busy")


def run_and_kill(spec: ProcessorSpec, chunks: list[list[dict]], busy: Path,
                 allowed_failures: int, workers: int = 2) -> tuple[list[dict], tuple[int, str]]:
    out: list[dict] = []
    killed = None
    for result in map_dask(spec, iter(chunks), workers=workers,
                           allowed_failures=allowed_failures):
        out.extend(result)
        if killed is None:  # the first chunk is back: the cluster runs, both workers busy
            killed = kill_a_busy_worker(busy)
    assert killed is not None
    return out, killed


def test_dask_reruns_the_chunk_of_a_killed_worker(project: Path, tmp_path: Path) -> None:
    models = str(project / "models")
    chunks = list(chunked(archive(project, 24), 3))
    reference = [r for c in map_local(ProcessorSpec(model_processor, (MODEL, models, 8, False)),
                                      chunks) for r in c]
    assert any(s["label"] == "BLAME" for r in reference for s in r["annotation"]["spans"])
    busy = tmp_path / "busy"
    busy.mkdir()
    spec = ProcessorSpec(slow_predictor, (MODEL, models, str(busy), 0.3))
    out, (pid, chunk) = run_and_kill(spec, chunks, busy, allowed_failures=1)
    assert out == reference  # complete, in order, no duplicates
    assert (busy / str(pid)).read_text(encoding="utf-8") == chunk  # it died holding it
    done_by = [line.split() for line in (busy / "done.log").read_text().splitlines()]
    redone_by = {p for p, first in done_by if first == chunk}
    assert redone_by and str(pid) not in redone_by  # redone by another worker


def test_without_allowed_failures_the_same_kill_fails_clearly(project: Path,
                                                              tmp_path: Path) -> None:
    """`retries=2` does not cover a worker death: allowed-failures 0 makes it fatal."""
    busy = tmp_path / "busy"
    busy.mkdir()
    spec = ProcessorSpec(slow_predictor, (MODEL, str(project / "models"), str(busy), 0.3))
    chunks = list(chunked(archive(project, 24), 3))
    with pytest.raises(WorkerDied) as caught:
        run_and_kill(spec, chunks, busy, allowed_failures=0, workers=1)  # one start-up
    assert "allowed-failures" in str(caught.value) and caught.value.done >= 1


def test_a_killed_local_worker_stops_the_run_clearly_and_resume_finishes(
        project: Path, tmp_path: Path) -> None:
    """A real `standoff predict --workers 2` process; one of its pool processes is killed
    once two shards are written. The run ends (no hang) naming the kept shards and
    --resume; --resume then gives exactly the one-process output."""
    source = write_jsonl(tmp_path / "archive.jsonl", archive(project, 40))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "standoff.cli.main", "predict", MODEL, str(source),
           "--out", str(out), "--workers", "2", "--shard-size", "2", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "STANDOFF_ROOT": str(project),
                                 "COLUMNS": "400"})
    try:
        while _shards(out) < 2 and proc.poll() is None:
            time.sleep(0.01)
        pool = [c for c in psutil.Process(proc.pid).children()
                if "spawn_main" in " ".join(c.cmdline())]
        assert len(pool) == 2, [c.cmdline() for c in pool]
        pool[0].send_signal(signal.SIGKILL)
        output = proc.communicate(timeout=60)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, output
    assert "worker process died" in output and "finished shards" in output, output
    assert "--resume" in output and "Traceback" not in output, output
    kept = json.loads((out / MANIFEST).read_text())
    assert not kept["complete"] and 4 <= kept["documents"] < 40
    resumed = predict_scaled(MODEL, str(source), out, ScaleOptions(shard_size=2, resume=True))
    assert resumed.resumed_from == kept["documents"]
    reference = [r for c in map_local(ProcessorSpec(
        model_processor, (MODEL, str(project / "models"), 8, False)),
        chunked(archive(project, 40), 16)) for r in c]
    got = [d.model_dump(mode="json", exclude_none=True) for d in read_sharded(out)]
    assert got == reference


def test_dead_worker_message_without_shards(tmp_path: Path) -> None:
    """A .jsonl output is written at the end: the error says nothing was kept."""
    from standoff.models.scale import _stopped_by_dead_worker

    err = _stopped_by_dead_worker(WorkerDied("a worker process died", 3), tmp_path / "o.jsonl",
                                  None)
    assert isinstance(err, StandoffError) and "nothing was written" in str(err)
    assert "--out DIR" in str(err)


def _shards(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["shards"])
    except (FileNotFoundError, json.JSONDecodeError):
        return 0
