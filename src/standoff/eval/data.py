"""Where gold and predictions come from, and the checks that keep scoring honest.

Gold: a corpus split (`test`, `dev`, `train`), a corpus folder or documents JSONL, or
PLOVER records (`plover:PATH`). Predictions: a JSONL file in the corpus document
format, or a trained model run here. Every prediction is checked against its gold
document before anything is counted: unknown documents, changed texts, labels outside
the schema, broken offsets and empty predictions stop the run with a message that
names the file, the line and the record, instead of turning into a quiet zero.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.io import iter_documents, iter_jsonl, iter_raw_lines, parse_document
from standoff.core.model import Document
from standoff.core.paths import ProjectPaths
from standoff.core.schema import Schema
from standoff.corpus.store import Corpus
from standoff.eval.fastdoc import FastDocument, decode_fast
from standoff.eval.hashing import annotation_json

SPLITS = ("train", "dev", "test")
TASK_LABELS = {"events": "EVENT", "actors": "ACTOR", "blame": "BLAME", "stance": "STANCE"}
CHOICE_ATTRS = {"EVENT": "type", "BLAME": "act", "STANCE": "polarity"}


@dataclass
class GoldData:
    name: str  # short name used in report folder names: test, dev, plover, a file stem
    source: str  # what the user passed, for the report
    documents: list[Document]
    schema: Schema
    actors: ActorRegistry
    plover: bool = False
    by_id: dict[str, Document] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {d.id: d for d in self.documents}

    def content_hash(self) -> str:
        """Identity of the gold: two reports can be paired only if this matches."""
        h = GoldHash()
        for doc in self.documents:
            h.update(doc)
        return h.hexdigest()


def load_gold(data: str, paths: ProjectPaths, corpus_dir: Path | None = None) -> GoldData:
    """`test`/`dev`/`train`, `plover:PATH`, a corpus folder, or a documents JSONL file."""
    if data.startswith("plover:"):
        from standoff.eval.plover import load_plover_documents

        schema, actors = Schema.load(paths.schema), ActorRegistry.load(paths.actors)
        docs = load_plover_documents(Path(data.split(":", 1)[1]), schema, actors)
        return GoldData("plover", data, docs, schema, actors, plover=True)
    if data in SPLITS:
        corpus = Corpus.open(corpus_dir or paths.corpus, paths.schema, paths.actors)
        docs = list(corpus.documents(split=data))
        if not docs:
            raise StandoffError(f"the {data} split has no documents", file=str(corpus.path),
                                hint="build a larger corpus, or pass --data dev or a path")
        return GoldData(data, data, docs, corpus.schema, corpus.actors)
    path = Path(data)
    if path.is_dir():
        corpus = Corpus.open(path, paths.schema, paths.actors)
        docs, schema, actors = list(corpus.documents()), corpus.schema, corpus.actors
    elif path.is_file():
        docs = list(iter_documents(path))
        schema, actors = Schema.load(paths.schema), ActorRegistry.load(paths.actors)
    else:
        raise StandoffError("no such split, folder or file", file=data,
                            hint="use --data test|dev|train, plover:PATH, or a path")
    if not docs:
        raise StandoffError("no gold documents", file=data)
    name = path.stem if path.is_file() else path.name
    return GoldData(name, data, docs, schema, actors)


@dataclass
class GoldSource:
    """Gold read lazily, for evaluations that stream: `documents()` opens it afresh."""

    name: str
    source: str
    schema: Schema
    actors: ActorRegistry
    opener: Callable[[], Iterator[Document]]
    total: int | None = None  # documents, when cheap to know
    plover: bool = False
    empty_error: StandoffError | None = None  # raised when the gold turns out empty

    def documents(self) -> Iterator[Document]:
        return self.opener()


def open_gold(data: str, paths: ProjectPaths, corpus_dir: Path | None = None,
              fast: bool = False) -> GoldSource:
    """What `load_gold` reads, as a stream; the same arguments and the same errors.

    `fast`: a documents file is read into `fastdoc.FastDocument`s, for scoring only."""
    if data.startswith("plover:"):
        gold = load_gold(data, paths, corpus_dir)  # one small file of sentences
        return GoldSource(gold.name, data, gold.schema, gold.actors,
                          lambda: iter(gold.documents), len(gold.documents), plover=True)
    if data in SPLITS:
        corpus = Corpus.open(corpus_dir or paths.corpus, paths.schema, paths.actors)
        empty = StandoffError(f"the {data} split has no documents", file=str(corpus.path),
                              hint="build a larger corpus, or pass --data dev or a path")
        return GoldSource(data, data, corpus.schema, corpus.actors,
                          lambda: corpus.documents(split=data), None, empty_error=empty)
    path = Path(data)
    empty = StandoffError("no gold documents", file=data)
    if path.is_dir():
        corpus = Corpus.open(path, paths.schema, paths.actors)
        return GoldSource(path.name, data, corpus.schema, corpus.actors, corpus.documents,
                          None, empty_error=empty)
    if path.is_file():
        schema, actors = Schema.load(paths.schema), ActorRegistry.load(paths.actors)
        return GoldSource(path.stem, data, schema, actors,
                          lambda: (doc for _, doc in read_jsonl_documents(path, fast)),
                          _count_lines(path), empty_error=empty)
    raise StandoffError("no such split, folder or file", file=data,
                        hint="use --data test|dev|train, plover:PATH, or a path")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


class GoldHash:
    """`GoldData.content_hash`, fed one document at a time."""

    def __init__(self) -> None:
        self.h = hashlib.sha256()

    def update(self, doc: Document) -> None:
        self.update_serialized(self.serialized(doc))

    @staticmethod
    def serialized(doc: Document) -> tuple[bytes, ...]:
        """What the hash reads of one document (made in a worker by parallel scoring)."""
        return (doc.id.encode(), hashlib.sha256(doc.text.encode()).digest(),
                annotation_json(doc.annotation).encode())

    def update_serialized(self, parts: tuple[bytes, ...]) -> None:
        for part in parts:
            self.h.update(part)

    def hexdigest(self) -> str:
        return self.h.hexdigest()


def check_prediction(pred: Document, gold: Document | None, schema: Schema,
                     where: str) -> list[StandoffError]:
    """What would make this prediction's scores wrong; an empty list when it is sound."""
    def err(msg: str, record: str | None = None, fld: str | None = None,
            hint: str | None = None) -> StandoffError:
        return StandoffError(msg, file=where, record=f"{pred.id}/{record}" if record else pred.id,
                             field=fld, hint=hint)

    if gold is None:
        return [err("prediction for a document that is not in the gold",
                    hint="predict the same documents you evaluate on (check --data)")]
    if pred.text != gold.text:
        at = next((i for i, (a, b) in enumerate(zip(pred.text, gold.text, strict=False))
                   if a != b), min(len(pred.text), len(gold.text)))
        return [err(f"text differs from the gold's at character {at}; offsets cannot be "
                    "compared", fld="text", hint="predict on the gold texts, unchanged")]
    errors = []
    for span in pred.annotation.spans:
        if span.end > len(pred.text) or pred.text[span.start:span.end] != span.text:
            errors.append(err(f"span text {span.text!r} is not text[{span.start}:{span.end}]",
                              span.id, "text"))
        spec = schema.span_labels.get(span.label)
        if spec is None:
            errors.append(err(f"unknown span label {span.label!r}", span.id, "label",
                              f"use one of {', '.join(schema.span_labels)}"))
            continue
        attr = CHOICE_ATTRS.get(span.label)
        if attr and span.attrs.get(attr) not in spec.attributes[attr].values:
            errors.append(err(f"{attr} {span.attrs.get(attr)!r} is not in the schema", span.id,
                              attr, f"use one of {', '.join(spec.attributes[attr].values)}"))
    spans = pred.annotation.span_by_id()
    for rel in pred.annotation.relations:
        spec = schema.relation_labels.get(rel.label)
        if spec is None:
            errors.append(err(f"unknown relation label {rel.label!r}", rel.id, "label",
                              f"use one of {', '.join(schema.relation_labels)}"))
            continue
        for end, allowed in (("head", spec.head), ("tail", spec.tail)):
            target = spans.get(getattr(rel, end))
            if target is None or target.label not in allowed:
                errors.append(err(f"{rel.label} {end} must be a {'/'.join(allowed)} span in "
                                  "this document", rel.id, end))
    return errors


def read_predictions(path: Path) -> Iterator[tuple[str, Document]]:
    """(where, document) from a JSONL predictions file, with file:line for messages; the
    documents are `FastDocument`s (or `Document`s, for lines only pydantic accepts)."""
    return read_jsonl_documents(path, fast=True)


def read_jsonl_documents(path: Path, fast: bool = False) -> Iterator[tuple[str, Document]]:
    """(file:line, document) for each non-blank line of a documents JSONL file.

    pydantic parses each line's JSON itself: about 40% faster than `json.loads` and then
    validating the dict (`core.io.iter_documents`), which matters at 100k documents of
    20 KB. A line it rejects is read again that slower way, so bad input gets the same
    messages (file, line, record, field) as everywhere else. With `fast`, msgspec reads
    each line first, into a `fastdoc.FastDocument` (5x faster again); a line it rejects
    goes the pydantic way."""
    path = Path(path)
    for lineno, raw in iter_raw_lines(path):
        where = f"{path}:{lineno}"
        if fast and (quick := decode_fast(raw)) is not None:
            yield where, quick  # type: ignore[misc] (a Document for the scorers)
            continue
        try:
            doc = Document.model_validate_json(raw)
        except ValidationError:
            doc = _parse_line(raw, where)
        yield where, doc


def _parse_line(raw: bytes, where: str) -> Document:
    """One line the slow way, with `core.io`'s checks and messages."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StandoffError("line is not valid UTF-8", file=where) from err
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise StandoffError(f"malformed JSON: {err.msg} (column {err.colno})",
                            file=where) from err
    if not isinstance(record, dict):
        raise StandoffError("each line must be a JSON object", file=where)
    return parse_document(record, where)


def collect_predictions(pairs: Iterable[tuple[str, Document]], gold: GoldData, task_label: str,
                        source: str, allow_missing: bool = False,
                        allow_empty: bool = False) -> tuple[dict[str, Document], list[str]]:
    """Predictions keyed by document id, checked against the gold; (predictions, warnings)."""
    preds: dict[str, Document] = {}
    errors: list[StandoffError] = []
    for where, doc in pairs:
        if doc.id in preds:
            errors.append(StandoffError("a second prediction for this document", file=where,
                                        record=doc.id, hint="keep one line per document"))
            continue
        errors.extend(check_prediction(doc, gold.by_id.get(doc.id), gold.schema, where))
        preds[doc.id] = doc
        if len(errors) >= 50:
            break
    if errors:
        raise ValidationErrors(errors)
    if not preds:
        raise StandoffError("no predictions", file=source,
                            hint="the file is empty: run `standoff predict` first")
    warnings = []
    missing = [d.id for d in gold.documents if d.id not in preds]
    if missing and not allow_missing:
        raise StandoffError(f"no predictions for {len(missing)} of {len(gold.documents)} gold "
                            f"documents (first: {', '.join(missing[:5])})", file=source,
                            hint="predict every gold document, or pass --allow-missing to "
                                 "score them as predicting nothing")
    if missing:
        warnings.append(f"{len(missing)} gold document(s) had no prediction and were scored as "
                        "predicting nothing")
    found = sum(1 for d in preds.values() for s in d.annotation.spans if s.label == task_label)
    if not found:
        labels = sorted({s.label for d in preds.values() for s in d.annotation.spans})
        message = (f"the predictions hold no {task_label} spans (labels found: "
                   f"{', '.join(labels) or 'none'}); every figure would be zero")
        if not allow_empty:
            raise StandoffError(message, file=source,
                                hint="check that the file belongs to this task, or pass "
                                     "--allow-empty")
        warnings.append(f"{source}: {message}")
    if any(d.annotation.origin == "gold" for d in preds.values()):
        warnings.append(f"{source}: some predictions say origin 'gold': is this the gold file?")
    return preds, warnings


def empty_prediction(gold: Document) -> Document:
    from standoff.core.model import AnnotationSet

    if isinstance(gold, FastDocument):
        return gold.with_empty_prediction()  # type: ignore[return-value]
    return gold.model_copy(update={"annotation": AnnotationSet(origin="predicted")})


def predictions_name(path: Path) -> str:
    """A version label for a predictions file: its model_version's version, or the stem."""
    for _, record in iter_jsonl(path):
        version = (record.get("annotation") or {}).get("model_version")
        if isinstance(version, str) and version:
            return version.split("/")[-1]
        break
    return path.stem
