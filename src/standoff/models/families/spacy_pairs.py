"""spaCy text categorizers over marked text: relations between a head and a tail span,
or one attribute of a head span (event status, the type of a found mention)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from standoff.core.io import write_text_atomic
from standoff.models.components import NONE, PairExample, PairScorer
from standoff.models.families.features import bucket
from standoff.models.families.spacy_common import load_pipeline, training_overrides
from standoff.models.families.spacy_train import config_path, save_pipeline, train_pipeline
from standoff.models.tasks import TaskSpec


def marked_text(ex: PairExample, context: int) -> str:
    """The head (and tail) marked inside a window of the sentence, plus order and distance."""
    words = [t.text for t in ex.sentence.tokens]
    hs, he = ex.sentence.token_span(ex.head.start, ex.head.end) or (0, 1)
    ts, te = (ex.sentence.token_span(ex.tail.start, ex.tail.end) or (0, 1)) if ex.tail else (
        hs, he)
    lo, hi = max(0, min(hs, ts) - context), min(len(words), max(he, te) + context)
    out = []
    if ex.tail is not None:
        order = "before" if te <= hs else "after" if ts >= he else "overlap"
        gap = max(0, hs - te if order == "before" else ts - he)
        dist = bucket(gap).replace("-", "to").replace("+", "plus")
        out += [f"xxorder{order}", f"xxdist{dist}"]
    for i in range(lo, hi):
        if i == hs:
            out.append(f"xxh{ex.head.label.lower()}")
        if ex.tail is not None and i == ts:
            label = ex.tail.label if ex.tail.layer == "EVENT" else ex.tail.layer
            out.append(f"xxt{label.lower()}")
        out.append(words[i])
        if ex.tail is not None and i == te - 1:
            out.append("xxet")
        if i == he - 1:
            out.append("xxeh")
    return " ".join(out)


class SpacyPairScorer(PairScorer):
    def __init__(self, task: TaskSpec, kind: str, labels: list[str], config: dict,
                 seed: int) -> None:
        self.task, self.kind, self.labels, self.config, self.seed = (task, kind, labels,
                                                                     config, seed)
        self.context = int(config.get("pairs", {}).get("context", 6))
        self.nlp: Language | None = None
        self.constant: str | None = None
        self._vocab_nlp = spacy.blank("en")

    def _doc(self, ex: PairExample, labels: list[str]) -> Doc:
        doc = self._vocab_nlp.make_doc(marked_text(ex, self.context))
        doc.cats = {label: float(label == ex.label) for label in labels}
        return doc

    def fit(self, train: list[PairExample], dev: list[PairExample]) -> dict[str, Any]:
        seen = sorted({ex.label for ex in train})
        if len(seen) < 2:
            self.constant = seen[0] if seen else self.labels[0]
            return {"note": f"one label in training data: {self.constant}"}
        dev = [ex for ex in dev if ex.label in seen]
        self.nlp, info = train_pipeline(
            config_path(self.config.get("pairs", {}).get("config"), "textcat.cfg"),
            [self._doc(ex, seen) for ex in train], [self._doc(ex, seen) for ex in dev],
            training_overrides(self.config, self.seed), f"{self.task.name}/spacy: {self.kind}")
        return info

    def score(self, pairs: list[PairExample]) -> list[dict[str, float]]:
        if self.nlp is None:
            return [{self.constant or NONE: 1.0} for _ in pairs]
        texts = (marked_text(ex, self.context) for ex in pairs)
        docs = self.nlp.pipe(texts, batch_size=self.pipe_batch_size or self.nlp.batch_size)
        return [{k: float(v) for k, v in doc.cats.items()} for doc in docs]

    def save(self, path: Path) -> None:
        write_text_atomic(path / "scorer.json", json.dumps(
            {"kind": self.kind, "labels": self.labels, "constant": self.constant,
             "context": self.context}) + "\n")
        if self.nlp is not None:
            save_pipeline(self.nlp, path / "pipeline")

    @classmethod
    def load(cls, task: TaskSpec, path: Path, config: dict) -> SpacyPairScorer:
        meta = json.loads((path / "scorer.json").read_text(encoding="utf-8"))
        scorer = cls(task, meta["kind"], meta["labels"], config, 0)
        scorer.context, scorer.constant = int(meta["context"]), meta.get("constant")
        if scorer.constant is None:
            scorer.nlp = load_pipeline(path / "pipeline")
        return scorer
