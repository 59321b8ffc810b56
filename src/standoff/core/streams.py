"""Reading documents incrementally from any input a user points at.

JSONL (local or any fsspec URL, optionally gzipped), Parquet (a file or a folder of
them, read in record batches), a Hugging Face dataset saved with `save_to_disk`
(memory-mapped), a text file or a folder of text files, or a corpus split name.
Memory stays flat: nothing here holds more than one batch.

A malformed record is reported with its file and line (or row) and, with
`on_error="skip"`, skipped; with `on_error="stop"` it ends the run with that message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Document

OnError = Literal["skip", "stop"]


@dataclass
class BadRecord:
    where: str
    message: str


@dataclass
class ReadReport:
    """What a reader skipped; the CLI prints it at the end of a run."""

    skipped: list[BadRecord] = field(default_factory=list)

    def add(self, where: str, message: str, on_error: OnError) -> None:
        if on_error == "stop":
            raise StandoffError(message, file=where,
                                hint="fix the record, or pass --on-error skip to skip it")
        self.skipped.append(BadRecord(where, message))


def record_to_document(record: dict[str, Any]) -> Document:
    """A corpus-format record, or a bare {id, text, meta?} record, as a Document."""
    if "annotation" not in record and set(record) - {"id", "text", "meta", "split"}:
        meta = dict(record.get("meta") or {})
        meta.update({k: v for k, v in record.items() if k not in {"id", "text", "meta", "split"}})
        record = {"id": record.get("id"), "text": record.get("text"), "meta": meta}
    if isinstance(record.get("meta"), str):  # Parquet/Arrow exports keep metadata as JSON
        record = {**record, "meta": json.loads(record["meta"] or "{}")}
    if isinstance(record.get("annotation"), str):
        record = {**record, "annotation": json.loads(record["annotation"] or "{}")}
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise ValueError("missing 'id'")
    return Document.model_validate(record)


def _documents_from_records(records: Iterator[tuple[str, Any]], report: ReadReport,
                            on_error: OnError) -> Iterator[Document]:
    for where, record in records:
        try:
            if isinstance(record, Exception):
                raise record
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            yield record_to_document(record)
        except ValidationError as err:
            first = err.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            report.add(where, f"{first['msg']} (field {loc})" if loc else first["msg"], on_error)
        except (ValueError, TypeError) as err:
            report.add(where, str(err), on_error)


def _jsonl_records(url: str) -> Iterator[tuple[str, Any]]:
    import fsspec

    try:
        handle = fsspec.open(url, "rb", compression="infer").open()
    except FileNotFoundError as err:
        raise StandoffError("input not found", file=url) from err
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{url}:{lineno}"
            try:
                yield where, json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                yield where, ValueError(f"malformed JSON: {err}")


def _parquet_records(url: str, batch_size: int) -> Iterator[tuple[str, Any]]:
    import fsspec
    import pyarrow.parquet as pq

    fs, _, paths = fsspec.get_fs_token_paths(url)
    files = sorted(p for p in (fs.find(paths[0]) if fs.isdir(paths[0]) else paths)
                   if p.endswith(".parquet"))
    if not files:
        raise StandoffError("no .parquet files found", file=url)
    for file in files:
        with fs.open(file, "rb") as handle:
            row = 0
            for batch in pq.ParquetFile(handle).iter_batches(batch_size=batch_size):
                for record in batch.to_pylist():
                    row += 1
                    yield f"{file} (row {row})", record


def _hf_records(path: Path) -> Iterator[tuple[str, Any]]:
    from datasets import load_from_disk

    from standoff.core.arrow import row_to_document

    data = load_from_disk(str(path))
    splits = list(data.items()) if hasattr(data, "keys") else [("data", data)]
    for name, split in splits:
        for i, row in enumerate(split):
            where = f"{path}[{name}] (row {i + 1})"
            if "spans" in row:  # a standoff corpus build: the exact document
                try:
                    yield where, row_to_document(row).model_dump(mode="json")
                except (ValueError, TypeError, KeyError) as err:
                    yield where, ValueError(f"malformed row: {err}")
            else:
                yield where, dict(row)


def _text_records(path: Path) -> Iterator[tuple[str, Any]]:
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    for txt in files:
        try:
            text = txt.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            yield str(txt), ValueError("not valid UTF-8")
            continue
        yield str(txt), {"id": txt.stem, "text": text}


def input_kind(source: str) -> str:
    """jsonl | parquet | hf | text, from the path's shape."""
    name = source.rstrip("/").lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json", ".ndjson")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    local = Path(source)
    if "://" not in source and local.is_dir():
        if (local / "dataset_dict.json").exists() or (local / "dataset_info.json").exists():
            return "hf"
        if any(local.glob("*.parquet")):
            return "parquet"
        if any(local.glob("*.jsonl")):
            return "jsonl-dir"
        return "text"
    if name.endswith(".txt"):
        return "text"
    raise StandoffError("cannot tell the input format", file=source,
                        hint="use .jsonl, .parquet, a folder of them, a saved HF dataset, "
                             "or .txt files")


def iter_input(source: str, on_error: OnError = "stop", report: ReadReport | None = None,
               batch_size: int = 256) -> Iterator[Document]:
    """Documents from `source`, lazily; bad records go to `report` (or stop the run)."""
    report = report if report is not None else ReadReport()
    kind = input_kind(source)
    records: Callable[[], Iterator[tuple[str, Any]]]
    if kind == "jsonl":
        records = lambda: _jsonl_records(source)  # noqa: E731
    elif kind == "jsonl-dir":
        files = sorted(Path(source).glob("*.jsonl"))
        records = lambda: (r for f in files for r in _jsonl_records(str(f)))  # noqa: E731
    elif kind == "parquet":
        records = lambda: _parquet_records(source, batch_size)  # noqa: E731
    elif kind == "hf":
        records = lambda: _hf_records(Path(source))  # noqa: E731
    else:
        if "://" not in source and not Path(source).exists():
            raise StandoffError("input not found", file=source)
        records = lambda: _text_records(Path(source))  # noqa: E731
    yield from _documents_from_records(records(), report, on_error)


def strip_annotation(doc: Document) -> Document:
    """The document without its annotations: what a model gets to see."""
    return doc.model_copy(update={"annotation": AnnotationSet()})
