"""Per-document count tables and the metric formulas that read them.

Every figure the harness reports is a function of counts summed over documents
(true positives, misses, ...). Keeping the per-document counts in one integer matrix
makes the bootstrap a matrix product: a resample is a weight per document, and its
sums are `weights @ matrix`. Metric functions therefore take a `Sums` view whose
columns may be scalars (the point estimate) or vectors (one value per resample).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

Metric = Callable[["Sums"], np.ndarray]


class Sums:
    """Named columns of summed counts; `sums["tp"]` is a float or an array over resamples."""

    def __init__(self, matrix: np.ndarray, index: Mapping[str, int]) -> None:
        self.matrix = matrix
        self.index = index

    def __getitem__(self, name: str) -> np.ndarray:
        return self.matrix[..., self.index[name]]

    def __contains__(self, name: object) -> bool:
        return name in self.index


@dataclass
class CountTable:
    """One row of counts per document, one column per named count."""

    columns: list[str]
    doc_ids: list[str] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.columns)}

    def add(self, doc_id: str, counts: Mapping[str, int]) -> None:
        row = np.zeros(len(self.columns), dtype=np.int64)
        for name, value in counts.items():
            row[self.index[name]] += value
        self.doc_ids.append(doc_id)
        self.rows.append(row)

    @property
    def matrix(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, len(self.columns)), dtype=np.int64)
        return np.vstack(self.rows)

    def totals(self) -> Sums:
        return Sums(self.matrix.sum(axis=0).astype(float), self.index)


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, and 0 where den is 0 (nervaluate's and scikit-learn's zero_division=0)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def f_score(precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    return ratio(2 * precision * recall, precision + recall)


def prf_metrics(prefix: str, tp: str, fp: str, fn: str) -> dict[str, Metric]:
    """precision, recall and F1 from three count columns."""

    def precision(s: Sums) -> np.ndarray:
        return ratio(s[tp], s[tp] + s[fp])

    def recall(s: Sums) -> np.ndarray:
        return ratio(s[tp], s[tp] + s[fn])

    def f1(s: Sums) -> np.ndarray:
        return f_score(precision(s), recall(s))

    return {f"{prefix}.precision": precision, f"{prefix}.recall": recall, f"{prefix}.f1": f1}


def summed_prf_metrics(prefix: str, triples: Iterable[tuple[str, str, str]]) -> dict[str, Metric]:
    """Micro-averaged P/R/F1 over several (tp, fp, fn) column triples."""
    triples = list(triples)

    def total(s: Sums, i: int) -> np.ndarray:
        return sum((s[t[i]] for t in triples), np.zeros(np.shape(s[triples[0][0]])))

    def precision(s: Sums) -> np.ndarray:
        return ratio(total(s, 0), total(s, 0) + total(s, 1))

    def recall(s: Sums) -> np.ndarray:
        return ratio(total(s, 0), total(s, 0) + total(s, 2))

    def f1(s: Sums) -> np.ndarray:
        return f_score(precision(s), recall(s))

    return {f"{prefix}.precision": precision, f"{prefix}.recall": recall, f"{prefix}.f1": f1}


def mean_metric(parts: list[Metric]) -> Metric:
    """The unweighted mean of other metrics (macro averages, SemEval's F_avg)."""

    def mean(s: Sums) -> np.ndarray:
        if not parts:
            return np.zeros(np.shape(s.matrix)[:-1])
        return sum(p(s) for p in parts) / len(parts)

    return mean


def present_mean(parts: list[tuple[Metric, Metric]]) -> Metric:
    """Macro average over the labels with gold support, (metric, support) pairs.

    A label can vanish from a bootstrap resample; averaging its 0/0 = 0 in would drag
    the interval of a perfect system below 1, so each resample averages its own labels.
    """

    def mean(s: Sums) -> np.ndarray:
        shape = np.shape(s.matrix)[:-1]
        if not parts:
            return np.zeros(shape)
        values = np.stack([np.broadcast_to(m(s), shape) for m, _ in parts])
        present = np.stack([np.broadcast_to(sup(s), shape) for _, sup in parts]) > 0
        return ratio((values * present).sum(axis=0), present.sum(axis=0))

    return mean


def accuracy_metric(correct: str, total: str) -> Metric:
    def accuracy(s: Sums) -> np.ndarray:
        return ratio(s[correct], s[total])

    return accuracy
