"""JSONL streaming and atomic writes: nothing already written is half-overwritten."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from standoff.core.errors import StandoffError
from standoff.core.model import Document


def iter_raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each non-blank line, lazily; a missing file is named."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError as err:
        raise StandoffError("file not found", file=str(path)) from err
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            if raw.strip():
                yield lineno, raw


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, record) lazily; a malformed line names the file and line."""
    path = Path(path)
    for lineno, raw in iter_raw_lines(path):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise StandoffError("line is not valid UTF-8", file=f"{path}:{lineno}") from err
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise StandoffError(f"malformed JSON: {err.msg} (column {err.colno})",
                                file=f"{path}:{lineno}") from err
        if not isinstance(record, dict):
            raise StandoffError("each line must be a JSON object", file=f"{path}:{lineno}")
        yield lineno, record


def parse_document(record: dict[str, Any], where: str) -> Document:
    try:
        return Document.model_validate(record)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise StandoffError(first["msg"], file=where, record=str(record.get("id", "?")),
                            field=field or None) from err


def iter_documents(path: Path) -> Iterator[Document]:
    for lineno, record in iter_jsonl(path):
        yield parse_document(record, f"{path}:{lineno}")


def read_documents(path: Path) -> list[Document]:
    return list(iter_documents(path))


def document_json(doc: Document) -> str:
    return json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temp path beside `target`, renamed over it only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; a corpus file is meant to be shared
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def write_jsonl_atomic(target: Path, records: Iterable[dict[str, Any] | Document]) -> int:
    count = 0
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
        for rec in records:
            line = document_json(rec) if isinstance(rec, Document) else json.dumps(
                rec, ensure_ascii=False)
            out.write(line + "\n")
            count += 1
    return count


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Build a directory in a sibling temp dir; swap it in only when the block succeeds.

    The previous directory survives any failure; on success it is replaced whole.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
