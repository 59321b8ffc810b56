"""The `spacy` family: a spaCy span categorizer for mentions, spaCy text categorizers over
marked text for relations and event status, each trained from a config file kept in the
model directory (`detector/config.cfg`, `relations/config.cfg`, `status/config.cfg`)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from standoff.core.errors import StandoffError
from standoff.core.io import write_text_atomic
from standoff.models.components import NONE, Detector, PairExample, PairScorer
from standoff.models.families.base import ComponentFamily, Resources
from standoff.models.families.features import bucket
from standoff.models.families.spacy_train import config_path, save_pipeline, train_pipeline
from standoff.models.lexicons import Word
from standoff.models.normalize import gazetteer
from standoff.models.registry import register_family
from standoff.models.scoring import span_f1
from standoff.models.tasks import TaskSpec
from standoff.models.text import Mention, Sentence

SPANS_KEY = "sc"


def _training_overrides(config: dict, seed: int) -> dict[str, Any]:
    t = config.get("training", {})
    return {"system.seed": seed, "training.max_epochs": int(t.get("max_epochs", 15)),
            "training.patience": int(t.get("patience", 1000)),
            "training.dropout": float(t.get("dropout", 0.1)),
            "training.eval_frequency": int(t.get("eval_frequency", 100))}


def _load(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise StandoffError("spaCy pipeline is missing", file=str(path), hint="retrain the model")
    try:
        return spacy.load(path)
    except Exception as err:  # spaCy raises many kinds on damaged directories
        raise StandoffError(f"cannot load the spaCy pipeline: {err}", file=str(path),
                            hint="the directory is damaged; retrain the model") from err


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Within a layer, keep the best-scoring of overlapping spans."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.score or 0), m.start, m.end, m.label)):
        if not any(k.layer == m.layer and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.layer))


def _token_pattern(word: Word) -> dict[str, Any]:
    if word.prefix:
        return {"LOWER": {"REGEX": f"^{re.escape(word.text)}"}}
    return {"ORTH": word.text} if word.case_sensitive else {"LOWER": word.text}


def ruler_patterns(res: Resources) -> list[dict[str, Any]]:
    """Entity-ruler patterns: registry aliases as GAZ, trigger words as TRIG_<type>."""
    out = []
    for lexicon, label in ((gazetteer(res.registry), lambda _: "GAZ"),
                           (res.lexicons.triggers, lambda t: f"TRIG_{t}")):
        for words, tag in lexicon.entries():
            out.append({"label": label(tag), "pattern": [_token_pattern(w) for w in words]})
    return out


class SpacySpanDetector(Detector):
    def __init__(self, task: TaskSpec, config: dict, seed: int,
                 res: Resources | None = None) -> None:
        self.task, self.config, self.seed, self.res = task, config, seed, res
        self.nlp: Language | None = None
        self.thresholds: dict[str, float] = {}
        self._vocab_nlp = spacy.blank("en")

    def _doc(self, sent: Sentence) -> Doc:
        doc = self._vocab_nlp.make_doc(sent.text)
        spans = []
        for m in sent.mentions:
            span = doc.char_span(m.start - sent.start, m.end - sent.start,
                                 label=f"{m.layer}:{m.label}", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def fit(self, train: list[Sentence], dev: list[Sentence]) -> dict[str, Any]:
        spans_cfg = self.config.get("spans", {})
        cfg_file = config_path(spans_cfg.get("config"), "spans.cfg")
        overrides = {**_training_overrides(self.config, self.seed),
                     "components.spancat.suggester.sizes": list(spans_cfg.get("sizes",
                                                                              [1, 2, 3, 4])),
                     **self.config.get("overrides", {})}
        with tempfile.TemporaryDirectory(prefix="standoff-patterns-") as tmp:
            if "paths.patterns" in cfg_file.read_text(encoding="utf-8"):
                srsly.write_json(Path(tmp) / "patterns.json", ruler_patterns(self.res))
                overrides["paths.patterns"] = str(Path(tmp) / "patterns.json")
            self.nlp, info = train_pipeline(cfg_file, [self._doc(s) for s in train],
                                            [self._doc(s) for s in dev], overrides,
                                            f"{self.task.name}/spacy: spans")
        info["thresholds"] = self._select_thresholds(dev, spans_cfg.get("threshold", 0.5))
        return info

    def _select_thresholds(self, dev: list[Sentence], candidates: Any) -> dict[str, Any]:
        """Per layer, the spancat probability cut with the best dev F1."""
        cuts = sorted(float(c) for c in (candidates if isinstance(candidates, list)
                                         else [candidates]))
        self.thresholds = {layer: cuts[-1] for layer in self.task.layers}
        if not dev or len(cuts) == 1:
            return self.thresholds
        self.thresholds = {layer: cuts[0] for layer in self.task.layers}
        found = self.detect(dev, frozenset(self.task.layers))
        chosen = {}
        for layer in self.task.layers:
            gold = [[m for m in s.mentions if m.layer == layer] for s in dev]
            scored = [(span_f1(gold, [[m for m in f if m.layer == layer and m.score >= cut]
                                      for f in found]), -cut) for cut in cuts]
            best_f1, neg_cut = max(scored)
            chosen[layer] = {"threshold": -neg_cut, "dev_span_f1": best_f1}
            self.thresholds[layer] = -neg_cut
        return chosen

    def detect(self, sentences: list[Sentence], layers: frozenset[str]) -> list[list[Mention]]:
        out = []
        floor = min(self.thresholds.values(), default=0.5)
        self.nlp.get_pipe("spancat").cfg["threshold"] = floor
        for sent, doc in zip(sentences, self.nlp.pipe(s.text for s in sentences), strict=True):
            group = doc.spans.get(SPANS_KEY, [])
            scores = group.attrs.get("scores", [None] * len(group)) if len(group) else []
            found = []
            for span, score in zip(group, scores, strict=True):
                layer, _, label = span.label_.partition(":")
                if layer in layers and (score is None
                                        or score >= self.thresholds.get(layer, floor)):
                    found.append(Mention(layer, label, sent.start + span.start_char,
                                         sent.start + span.end_char,
                                         None if score is None else round(float(score), 6)))
            out.append(_without_overlaps(found))
        return out

    def save(self, path: Path) -> None:
        save_pipeline(self.nlp, path)
        write_text_atomic(path / "thresholds.json",
                          json.dumps(self.thresholds, indent=1, sort_keys=True) + "\n")

    @classmethod
    def load(cls, task: TaskSpec, path: Path, config: dict) -> SpacySpanDetector:
        detector = cls(task, config, 0)
        detector.nlp = _load(path)
        thresholds = json.loads((path / "thresholds.json").read_text(encoding="utf-8"))
        detector.thresholds = {k: float(v) for k, v in thresholds.items()}
        return detector


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
            _training_overrides(self.config, self.seed), f"{self.task.name}/spacy: {self.kind}")
        return info

    def score(self, pairs: list[PairExample]) -> list[dict[str, float]]:
        if self.nlp is None:
            return [{self.constant or NONE: 1.0} for _ in pairs]
        texts = (marked_text(ex, self.context) for ex in pairs)
        return [{k: float(v) for k, v in doc.cats.items()} for doc in self.nlp.pipe(texts)]

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
            scorer.nlp = _load(path / "pipeline")
        return scorer


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
