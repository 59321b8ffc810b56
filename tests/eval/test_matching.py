"""Hand-computed matching cases: the four SemEval schemes, mentions, multisets."""

from __future__ import annotations

import pytest
from nervaluate import Evaluator

from standoff.eval.matching import Ent, Mention, match_mentions, match_multiset, match_scheme

GOLD = [Ent(0, 5, "X"), Ent(10, 15, "Y"), Ent(20, 25, "X")]
PRED = [Ent(0, 5, "X"),     # exact and right type
        Ent(10, 13, "Y"),   # partial overlap, right type
        Ent(20, 25, "Y"),   # exact boundaries, wrong type
        Ent(30, 35, "X")]   # spurious

# (correct, incorrect, partial, missed, spurious), worked out by hand from SemEval-2013 9.1
EXPECTED = {
    "strict": (1, 2, 0, 0, 1),
    "exact": (2, 1, 0, 0, 1),
    "partial": (2, 0, 1, 0, 1),
    "ent_type": (2, 1, 0, 0, 1),
}


@pytest.mark.parametrize("scheme", sorted(EXPECTED))
def test_four_schemes_by_hand(scheme: str) -> None:
    assert match_scheme(GOLD, PRED, scheme).counts() == EXPECTED[scheme]


def test_hand_counts_are_nervaluates() -> None:
    def dicts(ents):
        return [[{"label": e.label, "start": e.start, "end": e.end - 1} for e in ents]]

    result = Evaluator(dicts(GOLD), dicts(PRED), tags=["X", "Y"], loader="dict").evaluate()
    for scheme, counts in EXPECTED.items():
        r = result["overall"][scheme]
        assert (r.correct, r.incorrect, r.partial, r.missed, r.spurious) == counts


def test_duplicate_prediction_is_spurious() -> None:
    res = match_scheme([Ent(0, 5, "X")], [Ent(0, 5, "X"), Ent(0, 5, "X")], "strict")
    assert res.counts() == (1, 0, 0, 0, 1)


def test_empty_gold_and_empty_predictions() -> None:
    assert match_scheme([], [Ent(0, 5, "X")], "partial").counts() == (0, 0, 0, 0, 1)
    assert match_scheme([Ent(0, 5, "X")], [], "ent_type").counts() == (0, 0, 0, 1, 0)
    assert match_scheme([], [], "strict").counts() == (0, 0, 0, 0, 0)


def test_ent_type_prefers_closest_boundaries() -> None:
    res = match_scheme([Ent(0, 10, "X"), Ent(2, 6, "X")], [Ent(2, 7, "X")], "ent_type")
    assert res.pairs == [(0, 1, "correct")] and res.missed_idx == [0]


def test_overlap_below_one_percent_of_the_gold_span_does_not_count() -> None:
    res = match_scheme([Ent(0, 200, "X")], [Ent(199, 201, "X")], "partial")
    assert res.counts() == (0, 0, 0, 1, 1)
    res = match_scheme([Ent(0, 100, "X")], [Ent(99, 101, "X")], "partial")
    assert res.counts() == (0, 0, 1, 0, 0)


def test_touching_spans_do_not_overlap() -> None:
    """End-exclusive offsets: [0,5) and [5,9) share no character."""
    assert match_scheme([Ent(0, 5, "X")], [Ent(5, 9, "X")], "partial").counts() == (
        0, 0, 0, 1, 1)


def test_mentions_exact_then_overlap_with_duplicated_gold_offsets() -> None:
    gold = [Mention(0, 4, "PAK"), Mention(10, 14, "AFG"), Mention(10, 14, "PAK"),
            Mention(20, 30, "TUR")]
    pred = [Mention(10, 14, "PAK"), Mention(10, 14, "PAK"), Mention(0, 4, "AFG"),
            Mention(21, 25, "TUR"), Mention(40, 44, "X")]
    m = match_mentions(gold, pred)
    # the same-code reading is paired first; the duplicate takes the other reading
    assert sorted(m.exact) == [(0, 2), (1, 1), (2, 0)]
    assert m.overlap == [(3, 3)]


def test_multiset_records() -> None:
    tp, fp, fn = match_multiset(["a", "a", "b"], ["a", "c", "c"])
    assert (dict(tp), dict(fp), dict(fn)) == ({"a": 1}, {"c": 2}, {"a": 1, "b": 1})


def test_ent_type_tie_goes_to_the_first_gold_span_like_nervaluate() -> None:
    gold, pred = [Ent(0, 4, "X"), Ent(6, 10, "X")], [Ent(2, 8, "X")]
    res = match_scheme(gold, pred, "ent_type")
    assert res.pairs == [(0, 0, "correct")] and res.missed_idx == [1]
    nv = Evaluator([[{"label": "X", "start": 0, "end": 3}, {"label": "X", "start": 6, "end": 9}]],
                   [[{"label": "X", "start": 2, "end": 7}]], tags=["X"], loader="dict")
    assert nv.evaluate()["overall_indices"]["ent_type"].missed_indices == [(0, 1)]


def _random_ents(rng, k: int, labels: list[str]) -> list[Ent]:
    from standoff.eval.matching import sort_ents

    out = []
    for _ in range(k):
        start = rng.randrange(40)
        # no empty spans: the identical-lists shortcut calls them correct, the passes not
        out.append(Ent(start, start + rng.choice([1, 2, 3, 5, 8]), rng.choice(labels)))
    return sort_ents(out)


@pytest.mark.parametrize("single_label", [False, True])
def test_all_schemes_at_once_equal_one_greedy_pass_per_scheme(single_label: bool) -> None:
    """match_schemes' shortcuts (one pass for all schemes when no prediction overlaps two
    gold spans) give what each scheme's own greedy pass gives, pairs and indices included."""
    import random

    from standoff.eval.matching import SCHEMES, match_schemes

    rng = random.Random(7)
    for _ in range(3000):
        labels = ["A"] if single_label else ["A", "B", "C"][:rng.randint(1, 3)]
        gold = _random_ents(rng, rng.randint(0, 7), labels)
        pred = _random_ents(rng, rng.randint(0, 7), labels)
        if rng.random() < 0.4:  # mostly right, as a fair model is
            pred = sorted([e for e in gold if rng.random() < 0.8] + pred[:2])
        pct = rng.choice([1.0, 30.0, 100.0])
        got = match_schemes(gold, pred, single_label=single_label, min_overlap_pct=pct)
        assert set(got) == set(SCHEMES)
        for scheme in SCHEMES:
            assert got[scheme] == match_scheme(gold, pred, scheme, pct), (gold, pred, scheme)
