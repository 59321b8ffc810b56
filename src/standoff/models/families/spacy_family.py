"""The `spacy` family: a spaCy span categorizer for mentions, spaCy text categorizers over
marked text for relations and event status, each trained from a config file kept in the
model directory (`detector/config.cfg`, `relations/pipeline/config.cfg`, ...)."""

from __future__ import annotations

from pathlib import Path

from standoff.models.components import Detector, PairScorer
from standoff.models.families.base import ComponentFamily, Resources
from standoff.models.families.spacy_pairs import SpacyPairScorer
from standoff.models.families.spacy_spans import SpacySpanDetector
from standoff.models.registry import register_family
from standoff.models.tasks import TaskSpec


@register_family("spacy")
class SpacyFamily(ComponentFamily):
    """spancat mentions + textcat relations and status, trained from spaCy configs."""

    def make_detector(self, task: TaskSpec, config: dict, seed: int,
                      res: Resources) -> Detector:
        return SpacySpanDetector(task, config, seed, res)

    def load_detector(self, task: TaskSpec, path: Path, config: dict,
                      res: Resources) -> Detector:
        return SpacySpanDetector.load(task, path, config)

    def make_scorer(self, task: TaskSpec, kind: str, labels: list[str], config: dict,
                    seed: int, res: Resources) -> PairScorer:
        return SpacyPairScorer(task, kind, labels, config, seed)

    def load_scorer(self, task: TaskSpec, kind: str, path: Path, config: dict,
                    res: Resources) -> PairScorer:
        return SpacyPairScorer.load(task, path, config)
