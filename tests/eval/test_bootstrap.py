"""Bootstrap intervals and paired tests: seeded, vectorised correctly, and sensible."""

from __future__ import annotations

import numpy as np
import pytest

import standoff.eval.bootstrap as bootstrap
from standoff.eval.base import E2E
from standoff.eval.bootstrap import (
    bootstrap_blocks,
    bootstrap_intervals,
    paired_test,
    resample_weights,
)
from standoff.eval.counts import prf_metrics
from standoff.eval.events import EventsTask
from standoff.eval.runner import score_documents
from standoff.eval.synthetic import perturb, replicate

INDEX = {"tp": 0, "fp": 1, "fn": 2}
METRICS = prf_metrics("m", "tp", "fp", "fn")


def counts(n: int, seed: int, p_hit: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tp = rng.binomial(10, p_hit, n)
    return np.stack([tp, rng.binomial(3, 0.5, n), 10 - tp], axis=1)


def test_same_seed_same_intervals_other_seed_other_intervals() -> None:
    m = counts(40, 0, 0.6)
    a = bootstrap_intervals(m, INDEX, METRICS, resamples=300, seed=7)
    b = bootstrap_intervals(m, INDEX, METRICS, resamples=300, seed=7)
    c = bootstrap_intervals(m, INDEX, METRICS, resamples=300, seed=8)
    assert a == b
    assert a != c
    for iv in a.values():
        assert iv.low <= iv.value <= iv.high and iv.low < iv.high


def weights(n: int, resamples: int, seed: int = 0) -> np.ndarray:
    return np.hstack(list(resample_weights(n, resamples, seed)))


def test_weights_are_resamples_of_the_documents() -> None:
    w = weights(25, 200)
    assert w.shape == (200, 25) and (w.sum(axis=1) == 25).all() and (w >= 0).all()
    assert 0.9 < w.mean() * 1.0 < 1.1 and (w == 0).any()  # some documents left out


def test_block_by_block_weights_are_a_multinomial_bootstrap(monkeypatch) -> None:
    """Cut into blocks of 7 documents (binomial split, then uniform picks), each
    resample still draws n picks uniformly over all n documents: every document's
    weight is Binomial(n, 1/n) (mean 1, variance 1 - 1/n), two documents' weights
    covary by -1/n, and a document's chance of being left out is (1 - 1/n)^n."""
    monkeypatch.setattr(bootstrap, "DOC_BLOCK", 7)
    n, rows = 30, 20_000
    w = weights(n, rows, seed=11)
    assert w.shape == (rows, n) and (w.sum(axis=1) == n).all()
    se = 4 / np.sqrt(rows)  # generous: four standard errors
    assert np.abs(w.mean(axis=0) - 1).max() < 5 * se
    assert abs(w.var(axis=0).mean() - (1 - 1 / n)) < se
    cov = np.cov(w, rowvar=False)
    assert abs(cov[~np.eye(n, dtype=bool)].mean() + 1 / n) < se
    assert abs((w == 0).mean() - (1 - 1 / n) ** n) < se
    # the first and the last block are treated alike: no position in the order is favoured
    assert abs(w[:, :7].mean() - w[:, 28:].mean()) < 3 * se


def test_vectorised_bootstrap_equals_a_plain_loop() -> None:
    m = counts(30, 1, 0.5)
    got = bootstrap_intervals(m, INDEX, METRICS, resamples=200, seed=3)
    recalls = []
    for row in weights(30, 200, seed=3):
        picked = np.repeat(np.arange(30), row.astype(int))
        tp, fn = m[picked, 0].sum(), m[picked, 2].sum()
        recalls.append(tp / (tp + fn))
    low, high = np.percentile(recalls, [2.5, 97.5])
    assert got["m.recall"].low == pytest.approx(low) and got["m.recall"].high == pytest.approx(high)


@pytest.mark.parametrize("rows_per_read", [1, 5, 64, 1000])
def test_intervals_do_not_depend_on_how_the_rows_are_read(monkeypatch, rows_per_read) -> None:
    """Rows from disk come in blocks of any size; the weights are drawn per fixed document
    block and resample chunk, so the intervals are the same, bit for bit."""
    monkeypatch.setattr(bootstrap, "DOC_BLOCK", 16)
    monkeypatch.setattr(bootstrap, "CHUNK", 30)  # 250 resamples: 9 chunks, the last short
    m = counts(100, 5, 0.6)
    whole = bootstrap_intervals(m, INDEX, METRICS, resamples=250, seed=9)
    parts = bootstrap_blocks(lambda: (m[i:i + rows_per_read] for i in range(0, 100,
                                                                           rows_per_read)),
                             100, m.sum(axis=0), m.any(axis=0), INDEX, METRICS, 250, 9)
    assert parts == whole


def test_memory_of_the_weights_does_not_grow_with_documents(monkeypatch) -> None:
    """The largest weight matrix drawn at once is CHUNK x DOC_BLOCK, whatever n is."""
    seen = []
    real = bootstrap._block_weights

    def spy(*args):
        out = real(*args)
        seen.append(out.shape)
        return out

    monkeypatch.setattr(bootstrap, "DOC_BLOCK", 50)
    monkeypatch.setattr(bootstrap, "_block_weights", spy)
    bootstrap_intervals(counts(1000, 6, 0.5), INDEX, METRICS, resamples=300, seed=0)
    assert max(rows * cols for rows, cols in seen) == bootstrap.CHUNK * 50
    assert len(seen) == 20 * 3  # 20 document blocks x 3 chunks of resamples


def test_more_documents_narrower_interval() -> None:
    small = bootstrap_intervals(counts(20, 2, 0.6), INDEX, METRICS, 500, 0)["m.f1"]
    large = bootstrap_intervals(counts(500, 2, 0.6), INDEX, METRICS, 500, 0)["m.f1"]
    assert large.high - large.low < (small.high - small.low) / 2


@pytest.mark.parametrize("method", ["bootstrap", "randomization"])
def test_paired_test_identical_versions_differ_by_nothing(method: str) -> None:
    m = counts(30, 4, 0.6)
    r = paired_test(m, m.copy(), INDEX, METRICS, 300, 0, method)["m.f1"]
    assert r.delta == 0 and r.p_value == 1.0 and not r.significant()


@pytest.mark.parametrize("method", ["bootstrap", "randomization"])
def test_paired_test_finds_a_real_difference_on_real_documents(gold_docs, method) -> None:
    docs = replicate(gold_docs, 48)
    good = {d.id: perturb(d, seed=1, drop=0.05, relabel=0.05) for d in docs}
    bad = {d.id: perturb(d, seed=2, drop=0.4, relabel=0.2) for d in docs}
    ma = score_documents(EventsTask(), docs, {E2E: bad}, progress=False).table
    mb = score_documents(EventsTask(), docs, {E2E: good}, progress=False).table
    metrics = EventsTask().metrics({"labels": [], "shown": []})
    r = paired_test(ma.matrix, mb.matrix, ma.index, metrics, 500, 0, method)[
        "trigger.strict.f1"]
    assert r.delta > 0 and r.significant() and r.low > 0 and r.documents == 48
    assert not r.worse()
    back = paired_test(mb.matrix, ma.matrix, ma.index, metrics, 500, 0, method,
                       tolerances={"trigger.strict.f1": 0.01})["trigger.strict.f1"]
    assert back.worse()
    lenient = paired_test(mb.matrix, ma.matrix, ma.index, metrics, 500, 0, method,
                          tolerances={"trigger.strict.f1": 1.0})["trigger.strict.f1"]
    assert not lenient.worse()  # a drop within the tolerance is not a failure


def test_paired_bootstrap_draws_the_resamples_of_the_intervals() -> None:
    """Compare resamples the documents exactly as `eval run` did for each version's
    intervals (same seed, same weights), both versions with the same weights."""
    a, b = counts(50, 1, 0.5), counts(50, 2, 0.7)
    got = paired_test(a, b, INDEX, METRICS, resamples=300, seed=4)["m.recall"]
    w = weights(50, 300, seed=4)

    def recall(m: np.ndarray) -> np.ndarray:
        s = w @ m
        return s[:, 0] / (s[:, 0] + s[:, 2])

    low, high = np.percentile(recall(b) - recall(a), [2.5, 97.5])
    assert got.low == pytest.approx(low) and got.high == pytest.approx(high)
