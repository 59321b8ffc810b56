"""A family made of two parts, a mention detector and a pair scorer, run by the shared
task pipeline. Rules, scikit-learn and spaCy all build on this."""

from __future__ import annotations

import json
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standoff.core.actors import ActorRegistry
from standoff.core.io import write_text_atomic
from standoff.core.model import Document
from standoff.core.yamlio import dump_yaml
from standoff.models.components import NONE, Detector, PairScorer
from standoff.models.data import TrainingData
from standoff.models.lexicons import DEFAULT_LEXICON, Lexicons, load_lexicons
from standoff.models.normalize import Normalizer, learn_table
from standoff.models.pipeline import TaskPipeline
from standoff.models.progress import current
from standoff.models.registry import Family
from standoff.models.tasks import TaskSpec


@dataclass
class Resources:
    """What components may consult besides their training data."""

    registry: ActorRegistry
    lexicons: Lexicons
    lexicon_path: Path = DEFAULT_LEXICON


@dataclass
class ComposedPredictor:
    pipeline: TaskPipeline
    resources: Resources

    def predict_batch(self, docs: list[Document], gold_mentions: bool,
                      model_version: str) -> list[Document]:
        return self.pipeline.predict_batch(docs, gold_mentions, model_version)

    def set_batch_size(self, size: int) -> None:
        """The components' own inner batches (spaCy's nlp.pipe) take the same size."""
        pipe = self.pipeline
        for part in (pipe.detector, pipe.relations, pipe.status):
            if part is not None:
                part.pipe_batch_size = size

    def save(self, path: Path) -> None:
        pipe = self.pipeline
        write_text_atomic(path / "actors.yaml", dump_yaml(pipe.normalizer.registry.to_yaml_dict()))
        write_text_atomic(path / "lexicons.yaml",
                          self.resources.lexicon_path.read_text(encoding="utf-8"))
        write_text_atomic(path / "normalizer.json",
                          json.dumps(pipe.normalizer.learned, indent=1, sort_keys=True) + "\n")
        pipe.detector.save(path / "detector")
        if pipe.relations is not None:
            pipe.relations.save(path / "relations")
        if pipe.status is not None:
            pipe.status.save(path / "status")


def relation_labels(task: TaskSpec) -> list[str]:
    return [NONE, *dict.fromkeys(r.label for r in task.relations)]


class ComponentFamily(Family):
    @abstractmethod
    def make_detector(self, task: TaskSpec, config: dict, seed: int,
                      res: Resources) -> Detector: ...

    @abstractmethod
    def load_detector(self, task: TaskSpec, path: Path, config: dict,
                      res: Resources) -> Detector: ...

    @abstractmethod
    def make_scorer(self, task: TaskSpec, kind: str, labels: list[str], config: dict,
                    seed: int, res: Resources) -> PairScorer: ...

    @abstractmethod
    def load_scorer(self, task: TaskSpec, kind: str, path: Path, config: dict,
                    res: Resources) -> PairScorer: ...

    learns_aliases = True

    def train(self, task: TaskSpec, data: TrainingData, config: dict[str, Any],
              seed: int) -> tuple[ComposedPredictor, dict[str, Any]]:
        lexicon_path = Path(config.get("lexicon") or DEFAULT_LEXICON)
        res = Resources(data.registry, load_lexicons(lexicon_path), lexicon_path)
        norm_cfg = config.get("normalizer", {})
        learned = (learn_table(data.actor_mentions(), norm_cfg.get("min_share", 0.5))
                   if self.learns_aliases and norm_cfg.get("learn", True) else {})
        window = int(config.get("decode", {}).get("window", 0))
        progress = current()
        progress.stage(f"{task.name}/{self.name}: mentions")
        detector = self.make_detector(task, config, seed, res)
        info: dict[str, Any] = {"detector": detector.fit(data.sentences("train"),
                                                         data.sentences("dev"))}
        relations = status = None
        if task.relations:
            progress.stage(f"{task.name}/{self.name}: relations")
            relations = self.make_scorer(task, "relations", relation_labels(task), config,
                                         seed, res)
            info["relations"] = relations.fit(data.relation_pairs("train", window),
                                              data.relation_pairs("dev", window))
        if task.statuses:
            progress.stage(f"{task.name}/{self.name}: status")
            status = self.make_scorer(task, "status", list(task.statuses), config, seed, res)
            info["status"] = status.fit(data.status_examples("train"),
                                        data.status_examples("dev"))
        pipeline = self._pipeline(task, detector, Normalizer(data.registry, learned), relations,
                                  status, config)
        return ComposedPredictor(pipeline, res), info

    def load(self, task: TaskSpec, path: Path, config: dict[str, Any]) -> ComposedPredictor:
        registry = ActorRegistry.load(path / "actors.yaml")
        res = Resources(registry, load_lexicons(path / "lexicons.yaml"), path / "lexicons.yaml")
        learned = json.loads((path / "normalizer.json").read_text(encoding="utf-8"))
        detector = self.load_detector(task, path / "detector", config, res)
        relations = (self.load_scorer(task, "relations", path / "relations", config, res)
                     if task.relations else None)
        status = (self.load_scorer(task, "status", path / "status", config, res)
                  if task.statuses else None)
        pipeline = self._pipeline(task, detector, Normalizer(registry, learned), relations,
                                  status, config)
        return ComposedPredictor(pipeline, res)

    @staticmethod
    def _pipeline(task: TaskSpec, detector: Detector, normalizer: Normalizer,
                  relations: PairScorer | None, status: PairScorer | None,
                  config: dict) -> TaskPipeline:
        decode = config.get("decode", {})
        return TaskPipeline(task, detector, normalizer, relations, status,
                            threshold=float(decode.get("threshold", 0.5)),
                            window=int(decode.get("window", 0)))
