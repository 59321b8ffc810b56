"""Merging several annotators' sets into one: agreed items pass, conflicts get decided.

An item is a span (label, offsets, attributes) or a relation between two such spans.
An item every annotator of the document has is agreed. Any other item is a conflict,
decided, in this order, by:
1. an explicit decision in a decisions file (`<conflict id>: keep | drop`),
2. majority (with `strategy="majority"`): keep if more than half have it, drop if fewer,
3. `prefer`: the named adjudicator's choice (keep it if and only if they have it); with
   the majority strategy this only breaks ties, with `strategy="prefer"` it decides all.
Anything else stays undecided.
Undecided conflicts are listed with their ids and nothing is merged. A relation whose
head or tail span is dropped is dropped too. The merged set must validate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from standoff.annotation.goldfile import (
    canonical,
    dump_gold,
    load_gold_file,
    parse_gold,
    relation_id,
)
from standoff.annotation.sets import (
    describe_change,
    same_content,
    span_key,
)
from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.io import write_text_atomic
from standoff.core.model import AnnotationSet, Document, Relation, Span

STRATEGIES = ("majority", "prefer")


@dataclass
class Conflict:
    id: str
    doc_id: str
    kind: str  # span | relation
    item: str  # readable description
    holders: list[str]
    missing: list[str]
    decision: str | None = None  # keep | drop | None (undecided)
    by: str | None = None  # decisions | prefer | majority

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "document": self.doc_id, "kind": self.kind, "item": self.item,
                "holders": self.holders, "missing": self.missing, "decision": self.decision,
                "by": self.by}


@dataclass
class Adjudication:
    documents: dict[str, AnnotationSet] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    agreed_items: int = 0
    orphans: list[str] = field(default_factory=list)  # kept relations whose span was dropped

    @property
    def undecided(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.decision is None]


def _conflict_id(doc_id: str, key: Any) -> str:
    return hashlib.sha1(f"{doc_id}|{key!r}".encode()).hexdigest()[:10]


def _describe_span(key: tuple, text: str) -> str:
    label, start, end, attrs = key[:4]
    attr_text = " ".join(f"{k}={v}" for k, v in attrs)
    return f"{label} {text[start:end]!r} [{start}:{end}] {attr_text}".strip()


def item_keys(ann: AnnotationSet) -> dict[str, tuple]:
    """Span id -> the key that identifies it across annotators.

    A BLAME or STANCE span is a record anchored on its cue, and rule 12 of the guidelines
    puts several records on one cue (one neutral stance per party), so its key includes
    its roles; any remaining twins in one set are told apart by their order.
    """
    spans = ann.span_by_id()
    roles: dict[str, list[tuple]] = {}
    for rel in ann.relations:
        if rel.head in spans and rel.tail in spans:
            roles.setdefault(rel.head, []).append((rel.label, span_key(spans[rel.tail])))
    keys: dict[str, tuple] = {}
    seen: dict[tuple, int] = {}
    for span in ann.spans:
        key: tuple = span_key(span)
        if span.label in ("BLAME", "STANCE"):
            key = (*key, tuple(sorted(roles.get(span.id, []))))
        n = seen.get(key, 0)
        seen[key] = n + 1
        keys[span.id] = key if n == 0 else (*key, ("twin", n))
    return keys


class _DocMerger:
    def __init__(self, doc_id: str, text: str, sets: dict[str, AnnotationSet],
                 decisions: dict[str, str], prefer: str | None, strategy: str) -> None:
        self.doc_id, self.text, self.sets = doc_id, text, sets
        self.decisions, self.prefer, self.strategy = decisions, prefer, strategy
        self.conflicts: list[Conflict] = []
        self.agreed = 0
        self.orphans: list[str] = []

    def decide(self, key: Any, kind: str, item: str, holders: list[str]) -> bool | None:
        names = list(self.sets)
        if len(holders) == len(names):
            self.agreed += 1
            return True
        conflict = Conflict(_conflict_id(self.doc_id, key), self.doc_id, kind, item,
                            holders, [n for n in names if n not in holders])
        if conflict.id in self.decisions:
            conflict.decision, conflict.by = self.decisions[conflict.id], "decisions"
        elif self.strategy == "majority" and 2 * len(holders) != len(names):
            conflict.decision = "keep" if 2 * len(holders) > len(names) else "drop"
            conflict.by = "majority"
        elif self.prefer is not None and self.prefer in self.sets:
            conflict.decision = "keep" if self.prefer in holders else "drop"
            conflict.by = "prefer"
        self.conflicts.append(conflict)
        return None if conflict.decision is None else conflict.decision == "keep"

    def merge(self) -> AnnotationSet:
        order = ([self.prefer] if self.prefer in self.sets else []) + \
            [n for n in self.sets if n != self.prefer]
        spans: dict[tuple, Span] = {}
        holders: dict[tuple, list[str]] = {}
        for name in order:
            keys = item_keys(self.sets[name])
            for span in self.sets[name].spans:
                key = keys[span.id]
                spans.setdefault(key, span)
                if name not in holders.setdefault(key, []):
                    holders[key].append(name)
        kept: dict[tuple, Span] = {}
        used_ids: set[str] = set()
        for key, span in spans.items():
            if self.decide(key, "span", _describe_span(key, self.text), holders[key]):
                new_id = _unique(span.id, used_ids)
                kept[key] = span.model_copy(update={"id": new_id, "score": None})
        return AnnotationSet(origin="gold", spans=list(kept.values()),
                             relations=self._relations(order, kept))

    def _relations(self, order: list[str], kept: dict[tuple, Span]) -> list[Relation]:
        holders: dict[tuple, list[str]] = {}
        for name in order:
            ann = self.sets[name]
            keys = item_keys(ann)
            for rel in ann.relations:
                if rel.head not in keys or rel.tail not in keys:
                    continue
                key = (rel.label, keys[rel.head], keys[rel.tail])
                if name not in holders.setdefault(key, []):
                    holders[key].append(name)
        out = []
        for key, names in holders.items():
            label, head, tail = key
            item = (f"{label}: {_describe_span(head, self.text)} -> "
                    f"{_describe_span(tail, self.text)}")
            if not self.decide(key, "relation", item, names):
                continue
            if head not in kept or tail not in kept:
                self.orphans.append(f"{self.doc_id}: {item}")
                continue
            h, t = kept[head].id, kept[tail].id
            out.append(Relation(id=relation_id(h, label, t), label=label, head=h, tail=t))
        return out


def _unique(span_id: str, used: set[str]) -> str:
    new, n = span_id, 2
    while new in used:
        new, n = f"{span_id}_{n}", n + 1
    used.add(new)
    return new


def adjudicate(sets: dict[str, dict[str, AnnotationSet]], texts: dict[str, str],
               strategy: str = "majority", prefer: str | None = None,
               decisions: dict[str, str] | None = None) -> Adjudication:
    """Merge annotator -> doc id -> set into doc id -> merged set (nothing validated yet)."""
    if strategy not in STRATEGIES:
        raise StandoffError(f"unknown strategy {strategy!r}", field="strategy",
                            hint=f"use one of {', '.join(STRATEGIES)}")
    if strategy == "prefer" and prefer is None:
        raise StandoffError("strategy 'prefer' needs --prefer NAME (the adjudicator)")
    if prefer is not None and prefer not in sets:
        raise StandoffError(f"--prefer {prefer!r} is not one of the sources",
                            hint=f"sources: {', '.join(sets)}")
    bad = {k: v for k, v in (decisions or {}).items() if v not in ("keep", "drop")}
    if bad:
        raise StandoffError(f"decisions must be keep or drop: {bad}", field="decisions")
    result = Adjudication()
    doc_ids = sorted({d for s in sets.values() for d in s})
    for doc_id in doc_ids:
        holding = {name: s[doc_id] for name, s in sets.items() if doc_id in s}
        merger = _DocMerger(doc_id, texts[doc_id], holding, decisions or {}, prefer, strategy)
        result.documents[doc_id] = merger.merge()
        result.conflicts += merger.conflicts
        result.agreed_items += merger.agreed
        result.orphans += merger.orphans
    return result


def validate_merged(result: Adjudication, texts: dict[str, str], schema: Any,
                    actors: ActorRegistry | None) -> None:
    """The merged sets must validate against the schema; all problems at once."""
    errors: list[StandoffError] = []
    for doc_id, ann in result.documents.items():
        doc = Document(id=doc_id, text=texts[doc_id], annotation=ann)
        errors += schema.validate_document(doc, actors, "adjudicated")
    if errors:
        raise ValidationErrors(errors)


def write_documents(result: Adjudication, texts: dict[str, str], out_dir: Path,
                    annotator: str) -> list[tuple[str, str]]:
    """Write the merged sets as gold-format files; (doc id, what changed) for each document.

    Every file is rendered and checked before the first one is written.
    """
    rendered = []
    for doc_id, ann in result.documents.items():
        ann = ann.model_copy(update={"annotator": annotator})
        text = dump_gold(ann, texts[doc_id], doc_id)
        back = parse_gold(yaml.safe_load(text), texts[doc_id], doc_id, doc_id)
        if canonical(back) != canonical(ann):
            raise StandoffError("the merged file would not read back identically",
                                record=doc_id, hint="report this as a bug")
        rendered.append((doc_id, ann, text))
    report = []
    for doc_id, ann, text in rendered:
        target = Path(out_dir) / f"{doc_id}.yaml"
        status = "new"
        if target.exists():
            try:
                old = load_gold_file(target, texts[doc_id], doc_id)
                status = ("unchanged" if same_content(old, ann)
                          else f"changed ({describe_change(old, ann)})")
            except StandoffError:
                status = "changed (replaced a file that no longer loads)"
        if status != "unchanged":
            write_text_atomic(target, text)
        report.append((doc_id, status))
    return report
