"""Reading documents incrementally from any input a user points at: the one reader.

JSONL (local or any fsspec URL, optionally gzipped; a corpus folder's documents.jsonl),
Parquet (a file or a folder of them, read in record batches), a Hugging Face dataset
saved with `save_to_disk` (memory-mapped), a text file (any other file) or a folder of
`.txt` files. Corpus split names (train/dev/test) are the models stage's business
(`standoff.models.inputs`), since core does not import the corpus. Memory stays flat:
nothing here holds more than one batch.

A malformed record is reported with its file and line (or row) and, with
`on_error="skip"`, skipped; with `on_error="stop"` it ends the run with that message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

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
    if not isinstance(record.get("id"), str) or not record["id"] or \
            not isinstance(record.get("text"), str):
        raise ValueError("each record needs a string 'id' and 'text' (the corpus document "
                         "format, or {\"id\", \"text\", \"meta\"?})")
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


def text_document_id(path: Path) -> str:
    """A text file's document id: its name without suffix, in safe characters."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem) or "document"


def _text_records(path: Path) -> Iterator[tuple[str, Any]]:
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    for txt in files:
        raw = txt.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield str(txt), ValueError(f"not valid UTF-8 (byte {err.start}); re-save the "
                                       "file as UTF-8")
            continue
        if not text.strip():
            yield str(txt), ValueError("empty text; remove the file or write text")
            continue
        yield str(txt), {"id": text_document_id(txt), "text": text,
                         "meta": {"source_file": txt.name}}


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")
CORPUS_DOCUMENTS = "documents.jsonl"  # a built corpus folder (core.paths layout)


def input_kind(source: str) -> str:
    """jsonl | jsonl-dir | parquet | hf | text, from the input's shape. A local file that is
    neither JSONL nor Parquet is read as text; a URL must say what it is."""
    name = source.rstrip("/").lower()
    if "://" in source:
        if name.endswith(JSONL_SUFFIXES):
            return "jsonl"
        if name.endswith(".parquet"):
            return "parquet"
        return _url_folder_kind(source)
    local = Path(source)
    if not local.exists():
        raise StandoffError(f"input {source!r} not found",
                            hint="give a text file, a folder, JSONL, Parquet or a saved "
                                 "Hugging Face dataset")
    if local.is_dir():
        return _folder_kind(local)
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "parquet" if name.endswith(".parquet") else "text"


def _url_folder_kind(url: str) -> str:
    """A folder URL (s3://bucket/archive/, ...) holding .parquet or .jsonl(.gz) shards."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if fs.isdir(root):
        if any(p.endswith(".parquet") for p in fs.find(root)):
            return "parquet"
        if _jsonl_files(url):
            return "jsonl-dir"
    elif not fs.exists(root):
        raise StandoffError("input not found", file=url)
    raise StandoffError("cannot tell the input format", file=url,
                        hint="a URL names a .jsonl(.gz) or .parquet file, or a folder of "
                             "them; text files and saved datasets are read from local paths")


def _jsonl_files(source: str) -> list[str]:
    """The JSONL shards directly inside a folder (local path or URL), in name order."""
    if "://" not in source:
        return sorted(str(f) for f in Path(source).iterdir()
                      if f.name.lower().endswith(JSONL_SUFFIXES) and f.is_file())
    import fsspec

    fs, root = fsspec.core.url_to_fs(source)
    return sorted(fs.unstrip_protocol(p) for p in fs.ls(root, detail=False)
                  if p.lower().endswith(JSONL_SUFFIXES))


def _folder_kind(folder: Path) -> str:
    if (folder / CORPUS_DOCUMENTS).is_file():
        return "jsonl"
    if (folder / "dataset_dict.json").exists() or (folder / "dataset_info.json").exists():
        return "hf"
    if any(folder.glob("*.parquet")):
        return "parquet"
    if _jsonl_files(str(folder)):
        return "jsonl-dir"
    if any(folder.glob("*.txt")):
        return "text"
    raise StandoffError("no .txt files or documents.jsonl in the folder", file=str(folder),
                        hint="a folder holds .txt, .jsonl or .parquet files, a corpus "
                             "(documents.jsonl) or a saved Hugging Face dataset")


def input_name(source: str) -> str:
    """A short name for default output files: `archive` for .../archive.jsonl.gz."""
    name = Path(urlparse(source).path.rstrip("/")).name
    for suffix in (*JSONL_SUFFIXES, ".parquet", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or "input"
    return Path(name).stem or "input"


@dataclass
class InputStream:
    """What a run reads: documents (lazily), how many when cheap to know, and a report of
    the records skipped so far."""

    name: str
    total: int | None
    documents: Iterator[Document]
    report: ReadReport = field(default_factory=ReadReport)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _total(source: str, kind: str) -> int | None:
    """The number of documents when it costs one pass over bytes or metadata, not parsing."""
    path = Path(source)
    if "://" in source:
        return None
    if kind == "jsonl" and path.is_dir():
        return _count_lines(path / CORPUS_DOCUMENTS)
    if kind == "jsonl" and path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return _count_lines(path)
    if kind == "jsonl-dir":
        files = [Path(f) for f in _jsonl_files(source)]
        return None if any(f.suffix == ".gz" for f in files) else \
            sum(_count_lines(f) for f in files)
    if kind == "text":
        return len(list(path.glob("*.txt"))) if path.is_dir() else 1
    if kind == "parquet":
        import pyarrow.parquet as pq

        files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
        return sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return None


def _records_of(source: str, kind: str, batch_size: int) -> Iterator[tuple[str, Any]]:
    path = Path(source)
    if kind == "jsonl":
        return _jsonl_records(str(path / CORPUS_DOCUMENTS) if "://" not in source
                              and path.is_dir() else source)
    if kind == "jsonl-dir":
        return (r for f in _jsonl_files(source) for r in _jsonl_records(f))
    if kind == "parquet":
        return _parquet_records(source, batch_size)
    if kind == "hf":
        return _hf_records(path)
    return _text_records(path)


def open_input(source: str, on_error: OnError = "stop", report: ReadReport | None = None,
               batch_size: int = 256) -> InputStream:
    """Documents from `source`, lazily; bad records go to `report` (or stop the run).

    The format is checked here, so a wrong path fails before any model is loaded."""
    report = report if report is not None else ReadReport()
    kind = input_kind(source)
    docs = _documents_from_records(_records_of(source, kind, batch_size), report, on_error)
    return InputStream(input_name(source), _total(source, kind), docs, report)


def iter_input(source: str, on_error: OnError = "stop", report: ReadReport | None = None,
               batch_size: int = 256) -> Iterator[Document]:
    """Documents from `source`, lazily (see `open_input`)."""
    return open_input(source, on_error, report, batch_size).documents


def strip_annotation(doc: Document) -> Document:
    """The document without its annotations: what a model gets to see."""
    return doc.model_copy(update={"annotation": AnnotationSet()})
