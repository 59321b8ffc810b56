"""From pair scores to relations that respect the schema's counts (min/max per head)."""

from __future__ import annotations

from dataclasses import dataclass

from standoff.models.components import PairExample
from standoff.models.tasks import RelationRule
from standoff.models.text import Mention


@dataclass(frozen=True)
class Link:
    head: Mention
    label: str
    tail: Mention
    score: float


def decode_head(head: Mention, pairs: list[PairExample], scores: list[dict[str, float]],
                rules: tuple[RelationRule, ...], threshold: float,
                required: frozenset[str] = frozenset()) -> list[Link] | None:
    """The relations of one head: best-scoring first, at most one label per tail, each
    label within its max; labels with a minimum (or in `required`) take their best tail
    even below the threshold. None when a minimum cannot be met (drop the head)."""
    options = []
    for pair, probs in zip(pairs, scores, strict=True):
        for rule in rules:
            if pair.tail is not None and pair.tail.layer in rule.tails:
                options.append((probs.get(rule.label, 0.0), rule.label, pair.tail))
    options.sort(key=lambda o: (-o[0], o[1], o[2].start, o[2].end, o[2].label))
    limits = {r.label: r.max for r in rules}
    minimum = {r.label: max(r.min, 1 if r.label in required else 0) for r in rules}
    links: list[Link] = []
    used: set[Mention] = set()
    count: dict[str, int] = {}

    def take(score: float, label: str, tail: Mention) -> None:
        links.append(Link(head, label, tail, score))
        used.add(tail)
        count[label] = count.get(label, 0) + 1

    for score, label, tail in options:
        full = limits[label] is not None and count.get(label, 0) >= limits[label]
        if score >= threshold and not full and tail not in used:
            take(score, label, tail)
    for label, need in minimum.items():
        for score, lab, tail in options:
            if count.get(label, 0) >= need:
                break
            if lab == label and tail not in used:
                take(score, label, tail)
        if count.get(label, 0) < need:
            return None
    return links
