"""Sharded, resumable output: `part-00000.jsonl`, ... plus a `manifest.json`.

Each shard holds a fixed number of consecutive input documents and is written to a temp
file and renamed; the manifest is rewritten (atomically) after every shard. A killed run
or a full disk therefore leaves finished shards intact, and `resume=True` skips exactly
the documents they hold, so no document is written twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standoff.core.errors import StandoffError
from standoff.core.io import (
    atomic_path,
    document_json,
    iter_documents,
    sha256_file,
    write_text_atomic,
)
from standoff.core.model import Document

MANIFEST = "manifest.json"


def shard_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


@dataclass
class ShardWriter:
    out_dir: Path
    shard_size: int
    run: dict[str, Any]
    resume: bool = False

    def __post_init__(self) -> None:
        self.out_dir = Path(self.out_dir)
        self.shards: list[dict[str, Any]] = []
        manifest = self.out_dir / MANIFEST
        if manifest.exists():
            if not self.resume:
                raise StandoffError("output folder already holds a run", file=str(self.out_dir),
                                    hint="pass --resume to continue it, or choose another --out")
            self._load(manifest)
        elif self.out_dir.exists() and any(self.out_dir.glob("part-*.jsonl")):
            raise StandoffError("output folder has shards but no manifest",
                                file=str(self.out_dir), hint="choose an empty --out")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.out_dir.glob(".part-*.tmp"):
            stale.unlink()  # a shard that was being written when the run died

    def _load(self, manifest: Path) -> None:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("run") != self.run or data.get("shard_size") != self.shard_size:
            raise StandoffError(
                "cannot resume: the manifest was written by a different run "
                f"({data.get('run')}, shard size {data.get('shard_size')})",
                file=str(manifest), hint="use the same model, input and --shard-size")
        for shard in data.get("shards", []):
            path = self.out_dir / shard["name"]
            if not path.exists() or sha256_file(path) != shard["sha256"]:
                raise StandoffError("finished shard is missing or changed", file=str(path),
                                    hint="delete it and its manifest entry, or start afresh")
        self.shards = list(data.get("shards", []))

    @property
    def done_documents(self) -> int:
        return sum(s["documents"] for s in self.shards)

    @property
    def next_index(self) -> int:
        return len(self.shards)

    def write(self, docs: list[Document]) -> Path:
        index = self.next_index
        path = self.out_dir / shard_name(index)
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
            for doc in docs:
                out.write(document_json(doc) + "\n")
        self.shards.append({"name": path.name, "documents": len(docs),
                            "first": self.done_documents, "sha256": sha256_file(path)})
        self._save(complete=False)
        return path

    def finish(self, extra: dict[str, Any] | None = None) -> None:
        self._save(complete=True, extra=extra)

    def _save(self, complete: bool, extra: dict[str, Any] | None = None) -> None:
        data = {"run": self.run, "shard_size": self.shard_size, "complete": complete,
                "documents": self.done_documents, "shards": self.shards, **(extra or {})}
        write_text_atomic(self.out_dir / MANIFEST, json.dumps(data, indent=2) + "\n")


def read_sharded(out_dir: Path) -> Iterable[Document]:
    """The documents of a sharded output, in input order."""
    manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    for shard in manifest["shards"]:
        yield from iter_documents(Path(out_dir) / shard["name"])
