"""Evaluation in constant memory: gold and predictions stream past once, side by side.

What grows with the number of documents goes to a temporary folder on disk instead of
memory: the per-document count rows (read back in blocks by the bootstrap), the items
(copied into items.jsonl at the end) and predictions that arrive before their gold
document (a SQLite table, only when the predictions are in another order than the gold).
Memory holds one document per stream, 8-byte hashes of the prediction ids (to catch
duplicates), and for the reports the first `max_errors` errors of each kind.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring as _quote  # json.dumps' escaper, non-ASCII kept
from operator import attrgetter
from pathlib import Path

import numpy as np

from standoff.core.errors import StandoffError
from standoff.core.io import document_json
from standoff.core.model import Document
from standoff.eval.base import Item
from standoff.eval.fastdoc import FastDocument

BLOCK_ROWS = 4096  # count rows kept in memory before they go to disk
MAX_DUPLICATES = 50  # repeated predictions kept to be named (single_pass.MAX_ERRORS)


class DiskCountTable:
    """A CountTable whose rows live in a file: int32 rows, appended in blocks."""

    def __init__(self, columns: list[str], folder: Path) -> None:
        self.columns = list(columns)
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.path = Path(folder) / "counts.i32"
        self.ids_path = Path(folder) / "documents.txt"
        self._rows = open(self.path, "wb")  # noqa: SIM115 (closed in flush_all)
        self._ids = open(self.ids_path, "w", encoding="utf-8")  # noqa: SIM115
        self._buffer = np.zeros((BLOCK_ROWS, len(self.columns)), dtype=np.int32)
        self._filled = 0
        self.n = 0
        self.longest_id = 1
        self.totals = np.zeros(len(self.columns), dtype=np.int64)
        self.nonzero = np.zeros(len(self.columns), dtype=bool)

    def __len__(self) -> int:
        return self.n

    def add(self, doc_id: str, counts: Mapping[str, int]) -> None:
        row = self._buffer[self._filled]
        row[:] = 0
        for name, value in counts.items():
            row[self.index[name]] += value
        self._filled += 1
        self.n += 1
        self._ids.write(doc_id.replace("\n", " ") + "\n")
        self.longest_id = max(self.longest_id, len(doc_id))
        if self._filled == BLOCK_ROWS:
            self._flush()

    def _flush(self) -> None:
        block = self._buffer[:self._filled]
        self.totals += block.sum(axis=0, dtype=np.int64)
        self.nonzero |= block.any(axis=0)
        self._rows.write(block.tobytes())
        self._filled = 0

    def close(self) -> None:
        if not self._rows.closed:
            self._flush()
            self._rows.close()
            self._ids.close()

    def blocks(self) -> Iterator[np.ndarray]:
        """The rows, BLOCK_ROWS at a time, in document order."""
        self.close()
        width = len(self.columns) * 4
        with open(self.path, "rb") as handle:
            while chunk := handle.read(BLOCK_ROWS * width):
                yield np.frombuffer(chunk, dtype=np.int32).reshape(-1, len(self.columns))

    def doc_ids(self) -> Iterator[str]:
        self.close()
        with open(self.ids_path, encoding="utf-8") as handle:
            for line in handle:
                yield line.rstrip("\n")

    def write_npz(self, target: Path) -> None:
        """counts.npz as `np.savez_compressed` writes it, without the matrix in memory."""
        self.close()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            _write_npy(zf, "matrix", np.dtype("<i8"), (self.n, len(self.columns)),
                       (b.astype("<i8").tobytes() for b in self.blocks()))
            columns = np.array(self.columns, dtype=str)
            _write_npy(zf, "columns", columns.dtype, columns.shape, iter([columns.tobytes()]))
            dtype = np.dtype(f"<U{self.longest_id}")
            ids = _batched_ids(self.doc_ids(), dtype)
            _write_npy(zf, "documents", dtype, (self.n,), ids)


def _batched_ids(ids: Iterator[str], dtype: np.dtype) -> Iterator[bytes]:
    batch: list[str] = []
    for doc_id in ids:
        batch.append(doc_id)
        if len(batch) == BLOCK_ROWS:
            yield np.array(batch, dtype=dtype).tobytes()
            batch = []
    if batch:
        yield np.array(batch, dtype=dtype).tobytes()


def _write_npy(zf: zipfile.ZipFile, name: str, dtype: np.dtype, shape: tuple[int, ...],
               chunks: Iterator[bytes]) -> None:
    header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
              "shape": shape}
    with zf.open(f"{name}.npy", "w", force_zip64=True) as out:
        np.lib.format.write_array_header_1_0(out, header)
        for chunk in chunks:
            out.write(chunk)


# -- items ---------------------------------------------------------------------------------

_ITEM_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(x, ensure_ascii=False)


def item_line(item: Item, memo: dict[str, str] | None = None) -> str:
    """`json.dumps(item.to_json(), ensure_ascii=False)`, written directly: a run with
    errors writes dozens of items per document, and the json module's dumps was a tenth
    of its time. Values of other types than the usual go the json module's way. `memo`
    keeps sentences already quoted: a document's items repeat them."""
    kind, doc, key, outcome, label = item.kind, item.doc, item.key, item.outcome, item.label
    sentence, text, offset, note = item.sentence, item.text, item.offset, item.note
    # one check of every type up front, then the C escaper straight (no call per field)
    if not (type(kind) is str and type(doc) is str and type(key) is str
            and type(outcome) is str and type(label) is str and type(text) is str
            and type(note) is str and type(offset) is int
            and (sentence is None or type(sentence) is int)):
        return _ITEM_JSON.encode(item.to_json())
    marks = _marks(item.marks)
    if marks is None:
        return _ITEM_JSON.encode(item.to_json())
    quoted = memo.get(text) if memo is not None else None
    if quoted is None:
        quoted = _quote(text)
        if memo is not None:
            memo[text] = quoted
    return (f'{{"kind": {_quote(kind)}, "doc": {_quote(doc)}, "key": {_quote(key)}, '
            f'"outcome": {_quote(outcome)}, "label": {_quote(label)}, "sentence": '
            f'{"null" if sentence is None else sentence}, "text": {quoted}, "offset": '
            f'{offset}, "marks": [{marks}], "note": {_quote(note)}}}')


def _marks(marks: list[tuple[int, int, str]]) -> str | None:
    """The marks' JSON (without brackets); None for values of unusual types."""
    out = []
    for mark in marks:
        if len(mark) != 3:
            return None
        start, end, role = mark
        if type(start) is not int or type(end) is not int or type(role) is not str:
            return None
        out.append(f"[{start}, {end}, {_quote(role)}]")
    return ", ".join(out)


_ORDER = attrgetter("kind", "offset", "key", "outcome")  # items of a document, as written

# (kind, outcome, JSON line, rank among the shown errors or None when not an error)
RenderedItem = tuple[str, str, str, "tuple | None"]


def render_items(items: list[Item]) -> list[RenderedItem]:
    """What `ItemSpill.add` does to a document's items that depends on them alone: done
    in the worker processes of `eval run --workers N`, it leaves the main process little
    more than writing lines (and pickling tuples of strings is cheaper than items)."""
    memo: dict[str, str] = {}
    return [(item.kind, item.outcome, item_line(item, memo),
             _rank(item) if item.outcome in ("fp", "fn") else None)
            for item in sorted(items, key=_ORDER)]


def _rank(item: Item) -> tuple:
    return item.outcome != "fn", item.doc, item.offset, item.key, item.outcome


class _Ranked:
    """An item ordered for the reports: false negatives first, then document and offset
    (as tables.errors_by_kind orders them), reversed so heapq keeps the first ones."""

    __slots__ = ("key", "item")

    def __init__(self, item: Item, key: tuple | None = None) -> None:
        self.item = item
        self.key = key or _rank(item)

    def __lt__(self, other: _Ranked) -> bool:
        return self.key > other.key


class ItemSpill:
    """Items written to one file per kind as they come; the reports keep the first
    `limit` errors of each kind (and how many there were)."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = Path(folder)
        self.limit = limit
        self.files: dict[str, object] = {}
        self.by_outcome: Counter = Counter()  # (kind, outcome)
        self.error_counts: Counter = Counter()
        self._shown: dict[str, list[_Ranked]] = {}

    @property
    def outcomes(self) -> Counter:
        """How many items of each "kind.outcome"."""
        return Counter({f"{kind}.{outcome}": n for (kind, outcome), n in self.by_outcome.items()})

    def add(self, items: list[Item]) -> None:
        memo: dict[str, str] = {}
        lines: dict[str, list[str]] = {}
        by_outcome = self.by_outcome
        for item in sorted(items, key=_ORDER):
            kind, outcome = item.kind, item.outcome
            lines.setdefault(kind, []).append(item_line(item, memo))
            by_outcome[kind, outcome] += 1
            if outcome in ("fp", "fn"):
                self._keep(item)
        for kind, written in lines.items():
            written.append("")
            self._file(kind).write("\n".join(written))

    def add_rendered(self, rows: list[RenderedItem]) -> None:
        """`add` for items a worker process already wrote out (`render_items`)."""
        lines: dict[str, list[str]] = {}
        by_outcome = self.by_outcome
        for kind, outcome, line, rank in rows:
            lines.setdefault(kind, []).append(line)
            by_outcome[kind, outcome] += 1
            if rank is not None:
                self._keep_line(kind, line, rank)
        for kind, written in lines.items():
            written.append("")
            self._file(kind).write("\n".join(written))

    def _keep_line(self, kind: str, line: str, rank: tuple) -> None:
        # an item shown in the reports is read back from its line (the same values); the
        # many that are not shown cost a comparison
        self.error_counts[kind] += 1
        heap = self._shown.get(kind)
        if heap is None:
            heap = self._shown[kind] = []
        if len(heap) < self.limit:
            heapq.heappush(heap, _Ranked(Item.from_json(json.loads(line)), rank))
        elif self.limit and rank < heap[0].key:
            heapq.heapreplace(heap, _Ranked(Item.from_json(json.loads(line)), rank))

    def _file(self, kind: str):  # noqa: ANN202 (a text file)
        handle = self.files.get(kind)
        if handle is None:
            handle = self.files[kind] = open(  # noqa: SIM115 (closed in close)
                self.folder / f"items-{len(self.files):03d}.jsonl", "w", encoding="utf-8")
        return handle

    def _keep(self, item: Item) -> None:
        self.error_counts[item.kind] += 1
        heap = self._shown.get(item.kind)
        if heap is None:
            heap = self._shown[item.kind] = []
        if len(heap) < self.limit:
            heapq.heappush(heap, _Ranked(item))
        elif self.limit:
            worst = heap[0].key
            if worst[0] is False and item.outcome != "fn":
                return  # only false negatives shown so far: a false positive comes after
            key = _rank(item)
            if key < worst:
                heapq.heapreplace(heap, _Ranked(item, key))

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()

    def write_jsonl(self, target: Path) -> None:
        """All items, by kind, then in gold document order (for a corpus: by id)."""
        self.close()
        with open(target, "wb") as out:
            for kind in sorted(self.files):
                with open(self.files[kind].name, "rb") as handle:
                    while chunk := handle.read(1 << 20):
                        out.write(chunk)

    def shown(self) -> list[Item]:
        """The errors the reports list: for each kind, its first `limit`."""
        out = []
        for heap in self._shown.values():
            out.extend(r.item for r in sorted(heap, key=lambda r: r.key))
        return out


# -- predictions matched to gold as it streams past ---------------------------------------------


class IdSet:
    """Document ids seen so far, as 8-byte hashes in a sorted array: 0.8 MB per 100k ids
    where a set of str would take ~11 MB. Two distinct ids share a 64-bit hash with
    probability ~ n^2 / 2^65 (3e-8 for a million ids); that would report a false
    duplicate, never hide a real one."""

    MERGE = 1 << 16  # new hashes held in a set before they are merged into the array

    def __init__(self) -> None:
        self._sorted = np.empty(0, dtype=np.uint64)
        self._recent: set[int] = set()

    @staticmethod
    def _hash(doc_id: str) -> int:
        return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(),
                              "little")

    def add(self, doc_id: str) -> bool:
        """Add the id; False if it was there already."""
        h = self._hash(doc_id)
        if h in self._recent:
            return False
        at = int(np.searchsorted(self._sorted, np.uint64(h)))
        if at < len(self._sorted) and int(self._sorted[at]) == h:
            return False
        self._recent.add(h)
        if len(self._recent) >= self.MERGE:
            new = np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent))
            self._sorted = np.union1d(self._sorted, new)
            self._recent.clear()
        return True

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)


class PredictionJoin:
    """Predictions matched to gold documents as the gold streams past.

    Predictions in the gold's order (as `standoff predict` writes them) match one by one.
    Any other order works too: predictions read before their gold document wait in a
    SQLite table on disk, so memory holds only their ids.
    """

    def __init__(self, pairs: Iterator[tuple[str, Document]], folder: Path) -> None:
        self.pairs = iter(pairs)
        self.folder = Path(folder)
        self.seen = IdSet()
        self.duplicates: list[StandoffError] = []
        self.count = 0
        self._db: sqlite3.Connection | None = None

    def take(self, doc_id: str) -> tuple[str, Document] | None:
        """The prediction for `doc_id` with where it was read, or None."""
        if self._db is not None:
            row = self._db.execute("SELECT at, doc FROM waiting WHERE id = ?",
                                   (doc_id,)).fetchone()
            if row is not None:
                self._db.execute("DELETE FROM waiting WHERE id = ?", (doc_id,))
                return row[0], Document.model_validate_json(row[1])
        for where, doc in self._fresh():
            if doc.id == doc_id:
                return where, doc
            self._wait(where, doc)
        return None

    def _fresh(self) -> Iterator[tuple[str, Document]]:
        for where, doc in self.pairs:
            if not self.seen.add(doc.id):
                if len(self.duplicates) < MAX_DUPLICATES:  # a run lists 50 errors at most
                    self.duplicates.append(StandoffError(
                        "a second prediction for this document", file=where, record=doc.id,
                        hint="keep one line per document"))
                continue
            self.count += 1
            yield where, doc

    def _wait(self, where: str, doc: Document) -> None:
        if self._db is None:
            self._db = sqlite3.connect(self.folder / f"waiting-{id(self)}.sqlite")
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("CREATE TABLE waiting (id TEXT PRIMARY KEY, at TEXT, doc TEXT)")
        if isinstance(doc, FastDocument):  # waits as the pydantic document it stands for
            doc = doc.to_document()
        self._db.execute("INSERT INTO waiting VALUES (?, ?, ?)", (doc.id, where,
                                                                  document_json(doc)))

    def leftovers(self) -> Iterator[tuple[str, Document]]:
        """Predictions no gold document asked for: those waiting, then the rest."""
        if self._db is not None:
            for at, doc in self._db.execute("SELECT at, doc FROM waiting ORDER BY rowid"):
                yield at, Document.model_validate_json(doc)
        yield from self._fresh()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
