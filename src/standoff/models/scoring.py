"""Small counting helpers for model selection: precision, recall and F1 over multisets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable

from standoff.models.text import Mention


def prf(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> dict[str, float]:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": sum(g.values())}


def span_f1(gold: list[list[Mention]], pred: list[list[Mention]]) -> float:
    """Exact-offset, same-label F1 over sentences."""
    g = [(i, m.label, m.start, m.end) for i, ms in enumerate(gold) for m in ms]
    p = [(i, m.label, m.start, m.end) for i, ms in enumerate(pred) for m in ms]
    return prf(g, p)["f1"]


def label_f1(gold: list[str], pred: list[str], ignore: str | None = None) -> float:
    """Micro F1 over the labels other than `ignore` (NONE for relations)."""
    g = [(i, y) for i, y in enumerate(gold) if y != ignore]
    p = [(i, y) for i, y in enumerate(pred) if y != ignore]
    if ignore is None:
        return prf(g, p)["f1"]
    return prf(g, p)["f1"] if g or p else 1.0
