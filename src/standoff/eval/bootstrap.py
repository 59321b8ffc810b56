"""Confidence intervals and paired significance tests, resampling documents.

A resample of n documents is a vector of weights (how often each document was drawn),
so the summed counts of many resamples are a matrix product with the per-document
count matrix. The weights are drawn block by block over the documents, so memory holds
CHUNK x DOC_BLOCK weights at a time, whatever n is: for a block of b of the m documents
not yet visited, each resample puts Binomial(k, b/m) of its k remaining picks in the
block, spread uniformly over the block's documents. Chained over the blocks this is
exactly a multinomial draw of n picks over n documents: the usual bootstrap.

Reproducibility: the draws of resample chunk c (CHUNK resamples) in document block j
(DOC_BLOCK documents) come from their own generator, seeded by (seed, c, j). So the
intervals depend on the counts, the seed and the number of resamples only: not on how
the counts are read (memory, disk blocks of any size) nor on anything else that runs.

Paired tests draw the same resamples (or the same swaps) for both versions, so
document difficulty cancels out (Berg-Kirkpatrick et al. 2012; Noreen 1989 for
approximate randomization).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from standoff.eval.counts import Metric, Sums

CHUNK = 100  # resamples drawn together
DOC_BLOCK = 4096  # documents per block of weights: part of the random stream, keep it fixed
METHODS = ("bootstrap", "randomization")
_WEIGHTS, _SWAPS = 0, 1  # which random stream a generator serves


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


def _rng(seed: int, stream: int, chunk: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream, chunk, block)))


def _block_weights(rng: np.random.Generator, left: np.ndarray, size: int,
                   docs_left: int) -> np.ndarray:
    """len(left) x size draw counts for the next `size` of `docs_left` documents; `left`
    (picks each resample has not placed yet) is decreased by the picks placed here."""
    here = left.copy() if size == docs_left else rng.binomial(left, size / docs_left)
    left -= here
    rows = len(left)
    picks = rng.integers(0, size, size=int(here.sum())) + np.repeat(np.arange(rows) * size,
                                                                    here)
    return np.bincount(picks, minlength=rows * size).reshape(rows, size).astype(float)


def _even_blocks(blocks: Iterable[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """The rows of `blocks` again, `size` at a time (the last block may be shorter)."""
    pending: list[np.ndarray] = []
    held = 0
    for block in blocks:
        while len(block):
            take = min(size - held, len(block))
            pending.append(block[:take])
            held += take
            block = block[take:]
            if held == size:
                yield np.concatenate(pending)
                pending, held = [], 0
    if held:
        yield np.concatenate(pending)


def resample_weights(n: int, resamples: int, seed: int = 0) -> Iterator[np.ndarray]:
    """The bootstrap weights as `resampled_sums` draws them: a resamples x b matrix per
    block of documents. For tests and small n; the harness never holds them all."""
    left = np.full(resamples, n, dtype=np.int64)
    for j, start in enumerate(range(0, n, DOC_BLOCK)):
        size = min(DOC_BLOCK, n - start)
        yield np.vstack([_block_weights(_rng(seed, _WEIGHTS, c, j), left[at:at + CHUNK], size,
                                        n - start) for c, at in enumerate(range(0, resamples,
                                                                                CHUNK))])


def resampled_sums(blocks: Iterable[np.ndarray], n: int, resamples: int, seed: int,
                   active: np.ndarray, swap_with: Iterable[np.ndarray] | None = None,
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """Summed counts of each bootstrap resample (resamples x columns), in one pass over
    the count rows. With `swap_with` (paired differences, read in step with `blocks`),
    also each random swap's summed differences (approximate randomization)."""
    sums = np.zeros((resamples, len(active)))
    swaps = None
    left = np.full(resamples, n, dtype=np.int64)
    diffs = _even_blocks(swap_with, DOC_BLOCK) if swap_with is not None else None
    start = 0
    for j, block in enumerate(_even_blocks(blocks, DOC_BLOCK)):
        dense = block[:, active].astype(float)
        diff = next(diffs).astype(float) if diffs is not None else None
        if diff is not None and swaps is None:
            swaps = np.zeros((resamples, diff.shape[1]))
        for c, at in enumerate(range(0, resamples, CHUNK)):
            rows = slice(at, at + CHUNK)
            w = _block_weights(_rng(seed, _WEIGHTS, c, j), left[rows], len(block), n - start)
            sums[rows, active] += w @ dense
            if diff is not None:
                flips = _rng(seed, _SWAPS, c, j).integers(0, 2, size=w.shape)
                swaps[rows] += flips.astype(float) @ diff
        start += len(block)
    return sums, swaps


def _active(*matrices: np.ndarray) -> np.ndarray:
    """Columns that are non-zero somewhere: the others stay zero in every resample."""
    return np.any(np.stack([m.any(axis=0) for m in matrices]), axis=0)


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
    from disk, in one pass, so memory does not grow with the number of documents. Sums
    of integer counts are exact in float64, and the draws do not depend on how the rows
    are cut into blocks, so the intervals equal those of the whole matrix."""
    point = {name: float(f(Sums(np.asarray(totals, dtype=float), index)))
             for name, f in metrics.items()}
    if n == 0 or resamples <= 0:
        return {k: Interval(v, v, v) for k, v in point.items()}
    sums, _ = resampled_sums(blocks(), n, resamples, seed, np.asarray(active, dtype=bool))
    draws = _evaluate(metrics, Sums(sums, index), resamples)
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
    n, width = matrix_a.shape
    ta, tb = Sums(matrix_a.sum(0).astype(float), index), Sums(matrix_b.sum(0).astype(float),
                                                              index)
    a = {k: float(f(ta)) for k, f in metrics.items()}
    b = {k: float(f(tb)) for k, f in metrics.items()}
    active = _active(matrix_a, matrix_b)
    both = np.concatenate([active, active])  # A's columns, then B's: the same weights
    # row blocks made as they are read: no full-size copy of either matrix
    steps = range(0, n, DOC_BLOCK)
    pairs = (np.hstack([matrix_a[i:i + DOC_BLOCK], matrix_b[i:i + DOC_BLOCK]]) for i in steps)
    diff = ((matrix_b[i:i + DOC_BLOCK] - matrix_a[i:i + DOC_BLOCK]) for i in steps) \
        if method == "randomization" else None
    sums, swaps = resampled_sums(pairs, n, resamples, seed, both, diff)
    da = _evaluate(metrics, Sums(sums[:, :width], index), resamples)
    db = _evaluate(metrics, Sums(sums[:, width:], index), resamples)
    if method == "randomization":
        swaps = swaps if swaps is not None else np.zeros((resamples, width))
        ra = _evaluate(metrics, Sums(ta.matrix + swaps, index), resamples)
        rb = _evaluate(metrics, Sums(tb.matrix - swaps, index), resamples)
    tail = (1 - confidence) / 2 * 100
    out = {}
    for k in metrics:
        delta = b[k] - a[k]
        deltas = db[k] - da[k]
        # the null is centred on 0: the random swaps, or the bootstrap shifted to 0
        null = rb[k] - ra[k] if method == "randomization" else deltas - delta
        tol = float(tolerances.get(k, 0.0))
        low, high = np.percentile(deltas, [tail, 100 - tail]) if resamples else (delta, delta)
        out[k] = PairedResult(
            a=a[k], b=b[k], delta=delta, low=float(low), high=float(high),
            p_value=_p(null, delta), p_worse=_p(null, delta + tol), tolerance=tol,
            documents=n)
    return out


def _p(null: np.ndarray, observed: float) -> float:
    """Two-sided p: how often the null gives a difference at least this large."""
    if len(null) == 0:
        return 1.0
    extreme = np.abs(null) >= abs(observed) - 1e-12
    return float((1 + extreme.sum()) / (len(null) + 1))
