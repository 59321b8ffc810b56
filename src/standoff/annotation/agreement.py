"""Inter-annotator agreement, per layer, for two or more annotators.

- Event types per sentence: Krippendorff's alpha (nominal) over binary units
  (sentence, event type): did the annotator mark a trigger of that type in that sentence?
  Also alpha per type. None when undefined (every unit got the same value).
- Spans: pairwise F1 = 2 * matches / (spans of A + spans of B), one-to-one, under exact
  match (same label and offsets) and overlapping match (same label, any shared
  character; exact pairs first, then the largest overlaps), per label: ACTOR, EVENT (any
  type), EVENT.<TYPE> (type must agree), BLAME and STANCE cues.
- Relations: pairwise F1 over edges (label, head span, tail span; exact offsets) for event
  roles, blame (blamer, blamed, for) and stance (holder, toward); and over "codes"
  records that ignore mentions: blame (act, blamer code, blamed code), stance (polarity,
  holder code, target code or event type), per document.
- Attributes: on exactly matched spans, the share of equal values and Cohen's kappa, per
  attribute (ACTOR.code, EVENT.type, EVENT.mode, ...). An empty value counts as a value.
With more than two annotators, pairwise counts are pooled over all pairs.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from standoff.core.model import AnnotationSet, Document, Span
from standoff.core.records import blame_records, sentence_event_types, stance_records
from standoff.core.schema import EVENT_TYPES, Schema

RELATION_GROUPS = {"event_roles": ("source", "target"), "blame": ("blamer", "blamed", "for"),
                   "stance": ("holder", "toward")}
NONE = "(none)"


@dataclass
class Tally:
    """Counts behind a pairwise F1: items of A, items of B, one-to-one matches."""

    a: int = 0
    b: int = 0
    matches: int = 0

    def add(self, a: int, b: int, matches: int) -> None:
        self.a, self.b, self.matches = self.a + a, self.b + b, self.matches + matches

    @property
    def f1(self) -> float | None:
        total = self.a + self.b
        return round(2 * self.matches / total, 4) if total else None

    def as_dict(self) -> dict[str, Any]:
        return {"f1": self.f1, "a": self.a, "b": self.b, "matches": self.matches}


def multiset_matches(a: list, b: list) -> int:
    return sum((Counter(a) & Counter(b)).values())


def overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """One-to-one matches between overlapping intervals: exact first, then largest overlap."""
    left, right = list(a), list(b)
    matches = 0
    for span in list(left):
        if span in right:
            left.remove(span)
            right.remove(span)
            matches += 1
    pairs = sorted(((min(x[1], y[1]) - max(x[0], y[0]), i, j)
                    for i, x in enumerate(left) for j, y in enumerate(right)
                    if min(x[1], y[1]) > max(x[0], y[0])), reverse=True)
    used_l, used_r = set(), set()
    for _, i, j in pairs:
        if i not in used_l and j not in used_r:
            used_l.add(i)
            used_r.add(j)
            matches += 1
    return matches


def span_groups(ann: AnnotationSet) -> dict[str, list[tuple[int, int]]]:
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in ann.spans:
        groups[span.label].append((span.start, span.end))
        if span.label == "EVENT" and span.attrs.get("type"):
            groups[f"EVENT.{span.attrs['type']}"].append((span.start, span.end))
    return groups


def relation_edges(ann: AnnotationSet, labels: tuple[str, ...]) -> list[tuple]:
    spans = ann.span_by_id()
    return [(r.label, (spans[r.head].label, spans[r.head].start, spans[r.head].end),
             (spans[r.tail].label, spans[r.tail].start, spans[r.tail].end))
            for r in ann.relations
            if r.label in labels and r.head in spans and r.tail in spans]


def code_records(doc: Document) -> dict[str, list[tuple]]:
    blame = [(r.act, r.blamer.code if r.blamer else None, r.blamed.code)
             for r in blame_records(doc)]
    stance = [(r.polarity, r.holder.code, r.target.code or r.target.label)
              for r in stance_records(doc)]
    return {"blame": blame, "stance": stance}


def aligned_spans(a: AnnotationSet, b: AnnotationSet) -> list[tuple[Span, Span]]:
    """Exactly matching spans paired one-to-one, equal attributes paired first."""
    buckets: dict[tuple, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
    for span in a.spans:
        buckets[(span.label, span.start, span.end)][0].append(span)
    for span in b.spans:
        buckets[(span.label, span.start, span.end)][1].append(span)
    pairs = []
    for left, right in buckets.values():
        right = list(right)
        rest = []
        for span in left:
            same = next((r for r in right if r.attrs == span.attrs), None)
            if same is not None:
                right.remove(same)
                pairs.append((span, same))
            else:
                rest.append(span)
        pairs += list(zip(rest, right, strict=False))
    return pairs


class _PairScores:
    """Pooled pairwise counts (spans, relations, attributes)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.exact: dict[str, Tally] = defaultdict(Tally)
        self.overlap: dict[str, Tally] = defaultdict(Tally)
        self.relations: dict[str, Tally] = defaultdict(Tally)
        self.codes: dict[str, Tally] = defaultdict(Tally)
        self.values: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(self, doc_a: Document, doc_b: Document) -> None:
        ga, gb = span_groups(doc_a.annotation), span_groups(doc_b.annotation)
        for group in set(ga) | set(gb):
            a, b = ga.get(group, []), gb.get(group, [])
            self.exact[group].add(len(a), len(b), multiset_matches(a, b))
            self.overlap[group].add(len(a), len(b), overlap_matches(a, b))
        for name, labels in RELATION_GROUPS.items():
            a = relation_edges(doc_a.annotation, labels)
            b = relation_edges(doc_b.annotation, labels)
            self.relations[name].add(len(a), len(b), multiset_matches(a, b))
        ca, cb = code_records(doc_a), code_records(doc_b)
        for name in ca:
            self.codes[name].add(len(ca[name]), len(cb[name]), multiset_matches(ca[name],
                                                                                cb[name]))
        for x, y in aligned_spans(doc_a.annotation, doc_b.annotation):
            for attr in self.schema.span_labels[x.label].attributes:
                self.values[f"{x.label}.{attr}"].append(
                    (str(x.attrs.get(attr) or NONE), str(y.attrs.get(attr) or NONE)))

    def as_dict(self) -> dict[str, Any]:
        spans = {g: {"exact": self.exact[g].f1, "overlap": self.overlap[g].f1,
                     "a": self.exact[g].a, "b": self.exact[g].b,
                     "exact_matches": self.exact[g].matches,
                     "overlap_matches": self.overlap[g].matches}
                 for g in sorted(self.exact, key=_group_order)}
        relations = {name: {**self.relations[name].as_dict(),
                            **({"codes": self.codes[name].as_dict()} if name in self.codes
                               else {})}
                     for name in RELATION_GROUPS}
        attributes = {name: attribute_agreement(pairs) for name, pairs in
                      sorted(self.values.items())}
        return {"spans": spans, "relations": relations, "attributes": attributes}


def _group_order(group: str) -> tuple[int, str]:
    order = {"ACTOR": 0, "EVENT": 1, "BLAME": 3, "STANCE": 4}
    return (order.get(group, 2), group)


def attribute_agreement(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    from sklearn.metrics import cohen_kappa_score

    n = len(pairs)
    agreed = sum(1 for x, y in pairs if x == y)
    kappa = None
    if n and len({v for p in pairs for v in p}) > 1:
        kappa = round(float(cohen_kappa_score([x for x, _ in pairs], [y for _, y in pairs])), 4)
    return {"agreement": round(agreed / n, 4) if n else None, "kappa": kappa, "n": n,
            "agreed": agreed}


def krippendorff_alpha(matrix: np.ndarray) -> float | None:
    """Nominal alpha for a coders x units matrix (NaN = missing); None when undefined."""
    import krippendorff

    if matrix.size == 0 or len(set(matrix[~np.isnan(matrix)].tolist())) < 2:
        return None
    value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    return None if np.isnan(value) else round(float(value), 4)


def event_type_alpha(docs: dict[str, list[Document]]) -> dict[str, Any]:
    """docs: doc id -> one Document per annotator (same order for every doc)."""
    rows: list[list[float]] = []  # one row per unit, one column per annotator
    per_type: dict[str, list[list[float]]] = {t: [] for t in EVENT_TYPES}
    sentences = 0
    for versions in docs.values():
        marked = [sentence_event_types(d) for d in versions]
        sentences += len(versions[0].sentences)
        for i in range(len(versions[0].sentences)):
            for etype in EVENT_TYPES:
                row = [1.0 if etype in m[i] else 0.0 for m in marked]
                rows.append(row)
                per_type[etype].append(row)
    matrix = np.array(rows, dtype=float).T if rows else np.empty((0, 0))
    return {
        "alpha": krippendorff_alpha(matrix), "sentences": sentences, "units": len(rows),
        "per_type": {t: krippendorff_alpha(np.array(r, dtype=float).T) if r else None
                     for t, r in per_type.items()},
    }


def agreement(sets: dict[str, dict[str, AnnotationSet]], texts: dict[str, Document],
              schema: Schema) -> dict[str, Any]:
    """Agreement between annotators; `texts` gives each document's text and sentences."""
    names = list(sets)
    if len(names) < 2:
        raise ValueError("agreement needs at least two annotators")
    common = sorted(set.intersection(*(set(s) for s in sets.values())) & set(texts))
    left_out = {n: sorted(set(sets[n]) - set(common)) for n in names}
    versions = {d: [texts[d].model_copy(update={"annotation": sets[n][d]}) for n in names]
                for d in common}
    pooled, pairs = _PairScores(schema), {}
    for i, j in itertools.combinations(range(len(names)), 2):
        scores = _PairScores(schema)
        for d in common:
            scores.add(versions[d][i], versions[d][j])
            pooled.add(versions[d][i], versions[d][j])
        pairs[f"{names[i]}~{names[j]}"] = scores.as_dict()
    result: dict[str, Any] = {
        "annotators": names, "documents": len(common),
        "left_out": {n: docs for n, docs in left_out.items() if docs},
        "event_types": event_type_alpha(versions), **pooled.as_dict(),
    }
    if len(names) > 2:
        result["pairs"] = pairs
    return result
