"""Matching predicted spans and records to gold ones.

Trigger spans are scored under the four schemes of SemEval-2013 task 9.1 exactly as
nervaluate 1.2 implements them (a greedy pass over predictions in order, each taking
the first unmatched gold span it fits), so the figures equal nervaluate's on the same
spans. Offsets here are end-exclusive; nervaluate's are inclusive, which is why the
overlap arithmetic below has no `+ 1`. Only gold spans that overlap a prediction can
ever match it, so each prediction looks at a window of candidates found by bisection
instead of at every gold span: that keeps scoring linear in practice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

SCHEMES = ("strict", "exact", "partial", "ent_type")
OUTCOMES = ("correct", "incorrect", "partial", "missed", "spurious")


class Ent(NamedTuple):
    start: int
    end: int  # exclusive
    label: str


@dataclass
class SchemeResult:
    """Counts of one scheme, and which prediction went with which gold span."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0
    pairs: list[tuple[int, int, str]] = field(default_factory=list)  # (pred, gold, outcome)
    spurious_idx: list[int] = field(default_factory=list)
    missed_idx: list[int] = field(default_factory=list)

    def counts(self) -> tuple[int, int, int, int, int]:
        return self.correct, self.incorrect, self.partial, self.missed, self.spurious


def sort_ents(ents: Sequence[Ent]) -> list[Ent]:
    """The canonical order both sides are matched in (the greedy pass depends on order)."""
    return sorted(ents, key=lambda e: (e.start, e.end, e.label))


def _sufficient(pred: Ent, true: Ent, min_pct: float) -> bool:
    overlap = min(pred.end, true.end) - max(pred.start, true.start)
    if overlap <= 0:
        return False
    return (overlap / (true.end - true.start)) * 100.0 >= min_pct


def _candidates(trues: Sequence[Ent], preds: Sequence[Ent]) -> list[list[int]]:
    """For each prediction, the gold spans (in gold order) that overlap it at all."""
    if not trues:
        return [[] for _ in preds]
    starts = [t.start for t in trues]
    longest = max(t.end - t.start for t in trues)
    out = []
    for p in preds:
        lo, hi = bisect_right(starts, p.start - longest), bisect_left(starts, p.end)
        out.append([i for i in range(lo, hi) if trues[i].end > p.start])
    return out


def _exactish(trues, preds, cands, min_pct, same_label: bool) -> SchemeResult:
    """strict (same_label) and exact: a boundary match is correct, an overlap incorrect."""
    res, matched = SchemeResult(), set()
    for pi, p in enumerate(preds):
        hit, near = None, None
        for ti in cands[pi]:
            if ti in matched:
                continue
            t = trues[ti]
            if p.start == t.start and p.end == t.end and (not same_label or p.label == t.label):
                hit = ti
                break
            if near is None and _sufficient(p, t, min_pct):
                near = ti
        _record(res, matched, pi, hit, near, "incorrect")
    return _missed(res, trues, matched)


def _record(res: SchemeResult, matched: set[int], pi: int, hit: int | None,
            near: int | None, near_outcome: str) -> None:
    """Book prediction `pi`: an exact hit is correct, a near one counts as `near_outcome`
    (incorrect or partial, by scheme), no candidate makes it spurious."""
    if hit is not None:
        res.correct += 1
        res.pairs.append((pi, hit, "correct"))
        matched.add(hit)
    elif near is not None:
        setattr(res, near_outcome, getattr(res, near_outcome) + 1)
        res.pairs.append((pi, near, near_outcome))
        matched.add(near)
    else:
        res.spurious += 1
        res.spurious_idx.append(pi)


def _partial(trues, preds, cands, min_pct) -> SchemeResult:
    res, matched = SchemeResult(), set()
    for pi, p in enumerate(preds):
        hit, near = None, None
        for ti in cands[pi]:
            if ti in matched or not _sufficient(p, trues[ti], min_pct):
                continue
            t = trues[ti]
            if p.start == t.start and p.end == t.end:
                hit = ti
                break
            if near is None:
                near = ti
        _record(res, matched, pi, hit, near, "partial")
    return _missed(res, trues, matched)


def _ent_type(trues, preds, cands, min_pct) -> SchemeResult:
    """Same label and any overlap is correct; of several, the closest boundaries win."""
    res, matched = SchemeResult(), set()
    for pi, p in enumerate(preds):
        best, best_dist, wrong = None, None, None
        for ti in cands[pi]:
            t = trues[ti]
            if ti in matched or not _sufficient(p, t, min_pct):
                continue
            if p.label == t.label:
                dist = abs(p.start - t.start) + abs(p.end - t.end)
                if best_dist is None or dist < best_dist:
                    best, best_dist = ti, dist
            elif wrong is None:
                wrong = ti
        if best is not None:
            res.correct += 1
            res.pairs.append((pi, best, "correct"))
            matched.add(best)
        elif wrong is not None:
            res.incorrect += 1
            res.pairs.append((pi, wrong, "incorrect"))
            matched.add(wrong)
        else:
            res.spurious += 1
            res.spurious_idx.append(pi)
    return _missed(res, trues, matched)


def _missed(res: SchemeResult, trues: Sequence[Ent], matched: set[int]) -> SchemeResult:
    res.missed_idx = [i for i in range(len(trues)) if i not in matched]
    res.missed = len(res.missed_idx)
    return res


def match_scheme(trues: Sequence[Ent], preds: Sequence[Ent], scheme: str,
                 min_overlap_pct: float = 1.0) -> SchemeResult:
    """nervaluate's counts for one scheme on one document (spans in the order given)."""
    return _run(trues, preds, _candidates(trues, preds), scheme, min_overlap_pct)


def match_schemes(trues: Sequence[Ent], preds: Sequence[Ent], single_label: bool = False,
                  min_overlap_pct: float = 1.0) -> dict[str, SchemeResult]:
    """All four schemes at once, sharing the overlap candidates.

    With `single_label` (every span has one label, as in nervaluate's per-type pass)
    strict and exact coincide, so exact is not computed twice.
    """
    if not trues or not preds or (single_label and list(trues) == list(preds)):
        return _trivial(trues, preds)
    cands = _candidates(trues, preds)
    out = {s: _run(trues, preds, cands, s, min_overlap_pct) for s in SCHEMES
           if not (single_label and s == "exact")}
    if single_label:
        out["exact"] = out["strict"]
    return out


def _trivial(trues: Sequence[Ent], preds: Sequence[Ent]) -> dict[str, SchemeResult]:
    """Fast paths: one side empty (all missed or spurious), or both sides identical."""
    if trues and preds:  # identical lists: every prediction is its own gold span
        res = SchemeResult(correct=len(trues), pairs=[(i, i, "correct") for i in range(len(trues))])
    else:
        res = SchemeResult(missed=len(trues), spurious=len(preds),
                           missed_idx=list(range(len(trues))),
                           spurious_idx=list(range(len(preds))))
    return dict.fromkeys(SCHEMES, res)


def _run(trues, preds, cands, scheme: str, min_overlap_pct: float) -> SchemeResult:
    if scheme == "strict":
        return _exactish(trues, preds, cands, min_overlap_pct, same_label=True)
    if scheme == "exact":
        return _exactish(trues, preds, cands, min_overlap_pct, same_label=False)
    if scheme == "partial":
        return _partial(trues, preds, cands, min_overlap_pct)
    if scheme == "ent_type":
        return _ent_type(trues, preds, cands, min_overlap_pct)
    raise ValueError(f"unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}")


# -- actor mentions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str | None


@dataclass
class MentionMatch:
    exact: list[tuple[int, int]]  # (pred, gold) with identical offsets
    overlap: list[tuple[int, int]]  # further (pred, gold) pairs that only overlap


def match_mentions(gold: Sequence[Mention], pred: Sequence[Mention]) -> MentionMatch:
    """One-to-one matching: identical offsets first (same code preferred), then overlaps.

    Gold may hold the same offsets twice with different codes ("both countries" ->
    two parties); preferring the same code pairs each prediction with the reading it
    agrees with, so normalization accuracy is not penalized by the order of the list.
    """
    by_offsets: dict[tuple[int, int], list[int]] = {}
    for gi, g in enumerate(gold):
        by_offsets.setdefault((g.start, g.end), []).append(gi)
    free_pred = list(range(len(pred)))
    exact: list[tuple[int, int]] = []
    for same_code in (True, False):
        rest = []
        for pi in free_pred:
            p = pred[pi]
            slot = by_offsets.get((p.start, p.end), [])
            hit = next((gi for gi in slot if not same_code or gold[gi].code == p.code), None)
            if hit is None:
                rest.append(pi)
            else:
                exact.append((pi, hit))
                slot.remove(hit)
        free_pred = rest
    free_gold = sorted(gi for slot in by_offsets.values() for gi in slot)
    overlap: list[tuple[int, int]] = []
    for pi in free_pred:
        p = pred[pi]
        scored = [(min(p.end, gold[gi].end) - max(p.start, gold[gi].start),
                   gold[gi].code == p.code, -gi) for gi in free_gold]
        best = max((s for s in scored if s[0] > 0), default=None)
        if best is not None:
            overlap.append((pi, -best[2]))
            free_gold.remove(-best[2])
    return MentionMatch(exact=exact, overlap=overlap)


# -- records (blame, stance) ----------------------------------------------------------------


def match_multiset(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[Counter, Counter,
                                                                              Counter]:
    """(true positives, false positives, false negatives) per key, as multisets."""
    g, p = Counter(gold), Counter(pred)
    tp = g & p
    return tp, p - tp, g - tp
