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


def _candidates(trues: Sequence[Ent], preds: Sequence[Ent]) -> list[list[int]]:
    """For each prediction, the gold spans (in gold order) that overlap it at all."""
    if not trues:
        return [[] for _ in preds]
    starts = [t[0] for t in trues]
    ends = [t[1] for t in trues]
    longest = max([e - s for s, e in zip(starts, ends, strict=True)])
    out = []
    for ps, pe, _ in preds:
        lo, hi = bisect_right(starts, ps - longest), bisect_left(starts, pe)
        out.append([i for i in range(lo, hi) if ends[i] > ps])
    return out


def _exactish(trues, preds, cands, min_pct, same_label: bool) -> SchemeResult:
    """strict (same_label) and exact: a boundary match is correct, an overlap incorrect."""
    # the loops of the schemes are written out (no helper calls, unpacked tuples): with
    # errors in the predictions they run for every span of every document, four times
    res, matched = SchemeResult(), set()
    pairs, spurious = res.pairs, res.spurious_idx
    for pi, (ps, pe, pl) in enumerate(preds):
        hit = near = None
        for ti in cands[pi]:
            if ti in matched:
                continue
            ts, te, tl = trues[ti]
            if ps == ts and pe == te and (not same_label or pl == tl):
                hit = ti
                break
            if near is None:
                overlap = (pe if pe < te else te) - (ps if ps > ts else ts)
                if overlap > 0 and (overlap / (te - ts)) * 100.0 >= min_pct:
                    near = ti
        if hit is not None:
            pairs.append((pi, hit, "correct"))
            matched.add(hit)
        elif near is not None:
            res.incorrect += 1
            pairs.append((pi, near, "incorrect"))
            matched.add(near)
        else:
            spurious.append(pi)
    res.correct = len(pairs) - res.incorrect
    res.spurious = len(spurious)
    return _missed(res, trues, matched)


def _partial(trues, preds, cands, min_pct) -> SchemeResult:
    res, matched = SchemeResult(), set()
    pairs, spurious = res.pairs, res.spurious_idx
    for pi, (ps, pe, _) in enumerate(preds):
        hit = near = None
        for ti in cands[pi]:
            if ti in matched:
                continue
            ts, te, _ = trues[ti]
            overlap = (pe if pe < te else te) - (ps if ps > ts else ts)
            if overlap <= 0 or (overlap / (te - ts)) * 100.0 < min_pct:
                continue
            if ps == ts and pe == te:
                hit = ti
                break
            if near is None:
                near = ti
        if hit is not None:
            pairs.append((pi, hit, "correct"))
            matched.add(hit)
        elif near is not None:
            res.partial += 1
            pairs.append((pi, near, "partial"))
            matched.add(near)
        else:
            spurious.append(pi)
    res.correct = len(pairs) - res.partial
    res.spurious = len(spurious)
    return _missed(res, trues, matched)


def _ent_type(trues, preds, cands, min_pct) -> SchemeResult:
    """Same label and any overlap is correct; of several, the closest boundaries win."""
    res, matched = SchemeResult(), set()
    pairs, spurious = res.pairs, res.spurious_idx
    for pi, (ps, pe, pl) in enumerate(preds):
        best, best_dist, wrong = None, None, None
        for ti in cands[pi]:
            if ti in matched:
                continue
            ts, te, tl = trues[ti]
            overlap = (pe if pe < te else te) - (ps if ps > ts else ts)
            if overlap <= 0 or (overlap / (te - ts)) * 100.0 < min_pct:
                continue
            if pl == tl:
                dist = abs(ps - ts) + abs(pe - te)
                if best_dist is None or dist < best_dist:
                    best, best_dist = ti, dist
            elif wrong is None:
                wrong = ti
        if best is not None:
            pairs.append((pi, best, "correct"))
            matched.add(best)
        elif wrong is not None:
            res.incorrect += 1
            pairs.append((pi, wrong, "incorrect"))
            matched.add(wrong)
        else:
            spurious.append(pi)
    res.correct = len(pairs) - res.incorrect
    res.spurious = len(spurious)
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
    if min_overlap_pct <= 100.0 and all(len(c) <= 1 for c in cands):
        return _one_candidate_each(trues, preds, cands, single_label, min_overlap_pct)
    out = {s: _run(trues, preds, cands, s, min_overlap_pct) for s in SCHEMES
           if not (single_label and s == "exact")}
    if single_label:
        out["exact"] = out["strict"]
    return out


def _one_candidate_each(trues, preds, cands, single_label: bool,
                        min_pct: float) -> dict[str, SchemeResult]:
    """All schemes from one greedy pass, when no prediction overlaps two gold spans.

    Then every scheme pairs each prediction with its one candidate if that is still free
    and overlaps enough (a span with the same boundaries always does, as min_pct <= 100),
    so all schemes make the same pairs and differ only in what they call them. With errors
    in the predictions this is most documents and most per-type passes.
    """
    base = _partial(trues, preds, cands, min_pct)

    def named(pairs: list[tuple[int, int, str]], correct: int | None = None) -> SchemeResult:
        if correct is None:
            correct = sum(1 for _, _, o in pairs if o == "correct")
        return SchemeResult(correct=correct, incorrect=len(pairs) - correct,
                            missed=base.missed, spurious=base.spurious, pairs=pairs,
                            spurious_idx=list(base.spurious_idx),
                            missed_idx=list(base.missed_idx))

    exact = named([(p, g, "correct" if o == "correct" else "incorrect")
                   for p, g, o in base.pairs], base.correct)
    if single_label:  # one label: strict is exact, and every pair has the right type
        return {"strict": exact, "partial": base,
                "ent_type": named([(p, g, "correct") for p, g, _ in base.pairs],
                                  len(base.pairs)),
                "exact": exact}
    strict = named([(p, g, "correct" if o == "correct" and preds[p][2] == trues[g][2]
                     else "incorrect") for p, g, o in base.pairs])
    ent_type = named([(p, g, "correct" if preds[p][2] == trues[g][2] else "incorrect")
                      for p, g, _ in base.pairs])
    return {"strict": strict, "exact": exact, "partial": base, "ent_type": ent_type}


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
