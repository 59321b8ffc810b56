"""The parts a family plugs into the shared task pipeline: a mention detector and a pair
scorer (relations between a head span and a tail span, or one attribute of a head span).

A family that wants full control implements `standoff.models.registry.Family` directly;
the built-in families only supply these two components.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standoff.models.text import Mention, Sentence

NONE = "NONE"  # the pair label "no relation"
StepHook = Callable[[str], None]


@dataclass(frozen=True)
class PairExample:
    """A head span and a candidate tail span in one sentence (tail None: classify the head)."""

    sentence: Sentence
    head: Mention
    tail: Mention | None
    label: str | None = None  # the gold label when training


class Detector(ABC):
    """Finds mentions of the task's layers in sentences."""

    pipe_batch_size: int | None = None  # sentences per inner batch (nlp.pipe); None: default

    @abstractmethod
    def fit(self, train: list[Sentence], dev: list[Sentence]) -> dict[str, Any]:
        """Train (and select on dev); return what was selected, for the manifest."""

    @abstractmethod
    def detect(self, sentences: list[Sentence], layers: frozenset[str]) -> list[list[Mention]]:
        """For each sentence, the mentions found of the requested layers."""

    @abstractmethod
    def save(self, path: Path) -> None: ...


class PairScorer(ABC):
    """Scores labels for head/tail pairs (relations) or for heads alone (attributes)."""

    pipe_batch_size: int | None = None  # pairs per inner batch (nlp.pipe); None: default

    @abstractmethod
    def fit(self, train: list[PairExample], dev: list[PairExample]) -> dict[str, Any]: ...

    @abstractmethod
    def score(self, pairs: list[PairExample]) -> list[dict[str, float]]:
        """For each pair, a probability per label (NONE included for relations)."""

    @abstractmethod
    def save(self, path: Path) -> None: ...


def pairs_for_heads(sentences: list[Sentence], heads: list[tuple[int, Mention]],
                    tails: list[tuple[int, Mention]], window: int = 0) -> list[PairExample]:
    """Every (head, tail) with the tail within `window` sentences of the head.

    `heads` and `tails` hold (sentence position, mention); a tail is never its own head.
    The sentence of the example is the head's.
    """
    by_sentence: dict[int, list[Mention]] = {}
    for pos, tail in tails:
        by_sentence.setdefault(pos, []).append(tail)
    out = []
    for pos, head in heads:
        for near in range(pos - window, pos + window + 1):
            for tail in by_sentence.get(near, ()):
                if tail.span_id is not None and tail.span_id == head.span_id:
                    continue
                if tail.key == head.key:
                    continue
                out.append(PairExample(sentences[pos], head, tail))
    return out
