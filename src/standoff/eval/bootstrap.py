"""Confidence intervals and paired significance tests, resampling documents.

A resample of n documents is a vector of weights (how often each document was drawn),
so the summed counts of 1000 resamples are one matrix product with the per-document
count matrix. Resamples are drawn in fixed-size chunks from one seeded generator:
the same seed gives the same intervals, whatever else runs.

Paired tests draw the same resamples (or the same swaps) for both versions, so
document difficulty cancels out (Berg-Kirkpatrick et al. 2012; Noreen 1989 for
approximate randomization).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from standoff.eval.counts import Metric, Sums

CHUNK = 100
WEIGHTS_BUDGET = 4_000_000  # numbers drawn per step (x 8 bytes, twice)
METHODS = ("bootstrap", "randomization")


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedResult:
    a: float
    b: float
    delta: float
    low: float  # bootstrap interval of the difference b - a
    high: float
    p_value: float  # two-sided, H0: no difference
    p_worse: float  # two-sided against a shifted null (delta = -tolerance); see `worse`
    tolerance: float
    documents: int

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha

    def worse(self, alpha: float = 0.05) -> bool:
        """B is below A by more than the tolerance, and not by chance."""
        return self.delta + self.tolerance < 0 and self.p_worse < alpha


def _weights(rng: np.random.Generator, n: int, rows: int) -> np.ndarray:
    """rows x n draw counts; each row sums to n (a bootstrap resample of the documents)."""
    picks = rng.integers(0, n, size=(rows, n)) + (np.arange(rows) * n)[:, None]
    return np.bincount(picks.ravel(), minlength=rows * n).reshape(rows, n).astype(float)


def _chunks(total: int, n: int = 0) -> Iterator[tuple[int, int]]:
    """Resample rows per step: CHUNK, fewer when n is large so that the draws of one
    step stay under WEIGHTS_BUDGET numbers. Drawing in smaller steps from the same
    generator gives the same draws, so intervals do not depend on the step size."""
    step = max(1, min(CHUNK, WEIGHTS_BUDGET // max(n, 1)))
    for start in range(0, total, step):
        yield start, min(step, total - start)


def _active(*matrices: np.ndarray) -> np.ndarray:
    """Columns that are non-zero somewhere: the others stay zero in every resample."""
    return np.any(np.stack([m.any(axis=0) for m in matrices]), axis=0)


def _summed(weights: np.ndarray, matrix: np.ndarray, active: np.ndarray) -> np.ndarray:
    out = np.zeros((weights.shape[0], matrix.shape[1]))
    out[:, active] = weights @ matrix[:, active].astype(float)
    return out


def _evaluate(metrics: Mapping[str, Metric], sums: Sums, rows: int) -> dict[str, np.ndarray]:
    return {name: np.broadcast_to(f(sums), (rows,)) for name, f in metrics.items()}


def bootstrap_intervals(matrix: np.ndarray, index: Mapping[str, int],
                        metrics: Mapping[str, Metric], resamples: int = 1000, seed: int = 0,
                        confidence: float = 0.95) -> dict[str, Interval]:
    """Each metric's value on all documents and its percentile bootstrap interval."""
    return bootstrap_blocks(lambda: iter([matrix]), matrix.shape[0], matrix.sum(axis=0),
                            _active(matrix), index, metrics, resamples, seed, confidence)


def bootstrap_blocks(blocks: Callable[[], Iterable[np.ndarray]], n: int, totals: np.ndarray,
                     active: np.ndarray, index: Mapping[str, int],
                     metrics: Mapping[str, Metric], resamples: int = 1000, seed: int = 0,
                     confidence: float = 0.95) -> dict[str, Interval]:
    """`bootstrap_intervals` over a count matrix read in blocks of rows (documents), e.g.
    from disk, so memory does not grow with the number of documents. Sums of integer
    counts are exact in float64, so the intervals equal those of the whole matrix."""
    point = {name: float(f(Sums(np.asarray(totals, dtype=float), index)))
             for name, f in metrics.items()}
    if n == 0 or resamples <= 0:
        return {k: Interval(v, v, v) for k, v in point.items()}
    rng = np.random.default_rng(seed)
    draws = {name: np.empty(resamples) for name in metrics}
    for start, rows in _chunks(resamples, n):
        weights = _weights(rng, n, rows)
        summed = np.zeros((rows, len(active)))
        at = 0
        for block in blocks():
            summed += _summed(weights[:, at:at + len(block)], block, active)
            at += len(block)
        for name, values in _evaluate(metrics, Sums(summed, index), rows).items():
            draws[name][start:start + rows] = values
    tail = (1 - confidence) / 2 * 100
    out = {}
    for name, values in draws.items():
        low, high = np.percentile(values, [tail, 100 - tail])
        out[name] = Interval(point[name], float(low), float(high))
    return out


def paired_test(matrix_a: np.ndarray, matrix_b: np.ndarray, index: Mapping[str, int],
                metrics: Mapping[str, Metric], resamples: int = 1000, seed: int = 0,
                method: str = "bootstrap", confidence: float = 0.95,
                tolerances: Mapping[str, float] | None = None) -> dict[str, PairedResult]:
    """B - A per metric, with its interval and p-values from paired resampling."""
    if method not in METHODS:
        raise ValueError(f"unknown test {method!r}; use one of {', '.join(METHODS)}")
    if matrix_a.shape != matrix_b.shape:
        raise ValueError("both versions must be scored on the same documents and columns")
    tolerances = tolerances or {}
    n = matrix_a.shape[0]
    ta, tb = Sums(matrix_a.sum(0).astype(float), index), Sums(matrix_b.sum(0).astype(float),
                                                              index)
    a = {k: float(f(ta)) for k, f in metrics.items()}
    b = {k: float(f(tb)) for k, f in metrics.items()}
    deltas = {k: np.empty(resamples) for k in metrics}
    nulls = {k: np.empty(resamples) for k in metrics}  # centred on 0 under H0
    rng = np.random.default_rng(seed)
    active = _active(matrix_a, matrix_b)
    diff = (matrix_b - matrix_a).astype(float)
    for start, rows in _chunks(resamples):
        w = _weights(rng, n, rows) if n else np.zeros((rows, 0))
        da = _evaluate(metrics, Sums(_summed(w, matrix_a, active), index), rows)
        db = _evaluate(metrics, Sums(_summed(w, matrix_b, active), index), rows)
        if method == "randomization":
            swap = rng.integers(0, 2, size=(rows, n)).astype(float) @ diff if n else 0.0
            ra = _evaluate(metrics, Sums(ta.matrix + swap, index), rows)
            rb = _evaluate(metrics, Sums(tb.matrix - swap, index), rows)
        for k in metrics:
            deltas[k][start:start + rows] = db[k] - da[k]
            if method == "randomization":
                nulls[k][start:start + rows] = rb[k] - ra[k]
            else:
                nulls[k][start:start + rows] = db[k] - da[k] - (b[k] - a[k])
    tail = (1 - confidence) / 2 * 100
    out = {}
    for k in metrics:
        delta = b[k] - a[k]
        tol = float(tolerances.get(k, 0.0))
        low, high = np.percentile(deltas[k], [tail, 100 - tail]) if resamples else (delta, delta)
        out[k] = PairedResult(
            a=a[k], b=b[k], delta=delta, low=float(low), high=float(high),
            p_value=_p(nulls[k], delta), p_worse=_p(nulls[k], delta + tol), tolerance=tol,
            documents=n)
    return out


def _p(null: np.ndarray, observed: float) -> float:
    """Two-sided p: how often the null gives a difference at least this large."""
    if len(null) == 0:
        return 1.0
    extreme = np.abs(null) >= abs(observed) - 1e-12
    return float((1 + extreme.sum()) / (len(null) + 1))
