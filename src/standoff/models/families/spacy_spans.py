"""The spaCy family's mention finder: an entity ruler (registry aliases and trigger words)
feeding a span categorizer, then a text categorizer per layer for the label (event type,
blame act, stance polarity). One "is it a trigger?" label has many more examples than
sixteen "is it an ASSAULT trigger?" labels, which matters on a small corpus."""

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

from standoff.core.io import write_text_atomic
from standoff.models.components import Detector, PairExample
from standoff.models.families.base import Resources
from standoff.models.families.spacy_common import (
    load_pipeline,
    training_overrides,
    without_overlaps,
)
from standoff.models.families.spacy_pairs import SpacyPairScorer
from standoff.models.families.spacy_train import config_path, save_pipeline, train_pipeline
from standoff.models.lexicons import Word
from standoff.models.normalize import gazetteer
from standoff.models.scoring import span_f1
from standoff.models.tasks import TaskSpec
from standoff.models.text import Mention, Sentence

SPANS_KEY = "sc"


def _token_pattern(word: Word) -> dict[str, Any]:
    if word.prefix:
        return {"LOWER": {"REGEX": f"^{re.escape(word.text)}"}}
    return {"ORTH": word.text} if word.case_sensitive else {"LOWER": word.text}


def ruler_patterns(res: Resources) -> list[dict[str, Any]]:
    """Entity-ruler patterns: registry aliases as GAZ, trigger words as TRIG_<type>.

    Grouped by label, the order a saved ruler reloads them in: where two labels match
    the same words, the first pattern wins, so training and prediction agree."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for lexicon, label in ((gazetteer(res.registry), lambda _: "GAZ"),
                           (res.lexicons.triggers, lambda t: f"TRIG_{t}")):
        for words, tag in lexicon.entries():
            by_label.setdefault(label(tag), []).append(
                {"label": label(tag), "pattern": [_token_pattern(w) for w in words]})
    return [p for patterns in by_label.values() for p in patterns]


class SpacySpanDetector(Detector):
    def __init__(self, task: TaskSpec, config: dict, seed: int,
                 res: Resources | None = None) -> None:
        self.task, self.config, self.seed, self.res = task, config, seed, res
        self.nlp: Language | None = None
        self.thresholds: dict[str, float] = {}
        self.typers: dict[str, SpacyPairScorer] = {}  # layer -> label classifier
        self._vocab_nlp = spacy.blank("en")

    def _typed_layers(self) -> list[str]:
        """Layers whose label a text categorizer gives after spancat found the span
        (`spans.typed: true`); otherwise spancat predicts `LAYER:label` directly."""
        if not self.config.get("spans", {}).get("typed", False):
            return []
        return [layer for layer in self.task.layers if len(self.task.labels[layer]) > 1]

    def _doc(self, sent: Sentence) -> Doc:
        doc = self._vocab_nlp.make_doc(sent.text)
        typed = set(self._typed_layers())
        spans = []
        for m in sent.mentions:
            label = m.layer if m.layer in typed else f"{m.layer}:{m.label}"
            span = doc.char_span(m.start - sent.start, m.end - sent.start, label=label,
                                 alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def fit(self, train: list[Sentence], dev: list[Sentence]) -> dict[str, Any]:
        spans_cfg = self.config.get("spans", {})
        cfg_file = config_path(spans_cfg.get("config"), "spans.cfg")
        overrides = {**training_overrides(self.config, self.seed),
                     "components.spancat.suggester.sizes": list(spans_cfg.get("sizes",
                                                                              [1, 2, 3])),
                     **self.config.get("overrides", {})}
        with tempfile.TemporaryDirectory(prefix="standoff-patterns-") as tmp:
            if "paths.patterns" in cfg_file.read_text(encoding="utf-8"):
                srsly.write_json(Path(tmp) / "patterns.json", ruler_patterns(self.res))
                overrides["paths.patterns"] = str(Path(tmp) / "patterns.json")
            self.nlp, info = train_pipeline(cfg_file, [self._doc(s) for s in train],
                                            [self._doc(s) for s in dev], overrides,
                                            f"{self.task.name}/spacy: spans")
        info["typers"] = {layer: self._fit_typer(layer, train, dev)
                          for layer in self._typed_layers()}
        info["thresholds"] = self._select_thresholds(dev, spans_cfg.get("threshold", 0.5))
        return info

    def _fit_typer(self, layer: str, train: list[Sentence], dev: list[Sentence]) -> dict:
        def examples(sentences: list[Sentence]) -> list[PairExample]:
            return [PairExample(s, m, None, m.label) for s in sentences for m in s.mentions
                    if m.layer == layer]

        # the label is mostly in the words of the span itself: a narrow window
        narrow = {**self.config, "pairs": {**self.config.get("pairs", {}),
                                           "context": self.config.get("spans", {}).get(
                                               "type_context", 2)}}
        typer = SpacyPairScorer(self.task, f"type-{layer}", list(self.task.labels[layer]),
                                narrow, self.seed)
        self.typers[layer] = typer
        return typer.fit(examples(train), examples(dev))

    def _type(self, sentences: list[Sentence], found: list[list[Mention]]) -> None:
        """Give each found span of a typed layer its most likely label."""
        for layer, typer in self.typers.items():
            typer.pipe_batch_size = self.pipe_batch_size
            todo = [(i, j) for i, ms in enumerate(found) for j, m in enumerate(ms)
                    if m.layer == layer]
            if not todo:
                continue
            probs = typer.score([PairExample(sentences[i], found[i][j], None) for i, j in todo])
            for (i, j), p in zip(todo, probs, strict=True):
                label = max(sorted(p), key=lambda k: p[k])
                m = found[i][j]
                found[i][j] = Mention(m.layer, label, m.start, m.end, m.score)

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
        texts = (s.text for s in sentences)
        docs = self.nlp.pipe(texts, batch_size=self.pipe_batch_size or self.nlp.batch_size)
        for sent, doc in zip(sentences, docs, strict=True):
            group = doc.spans.get(SPANS_KEY, [])
            scores = group.attrs.get("scores", [None] * len(group)) if len(group) else []
            found = []
            for span, score in zip(group, scores, strict=True):
                layer, _, label = span.label_.partition(":")
                if layer in layers and (score is None
                                        or score >= self.thresholds.get(layer, floor)):
                    found.append(Mention(layer, label or layer, sent.start + span.start_char,
                                         sent.start + span.end_char,
                                         None if score is None else round(float(score), 6)))
            out.append(without_overlaps(found))
        self._type(sentences, out)
        return out

    def save(self, path: Path) -> None:
        save_pipeline(self.nlp, path)
        write_text_atomic(path / "thresholds.json",
                          json.dumps(self.thresholds, indent=1, sort_keys=True) + "\n")
        for layer, typer in self.typers.items():
            typer.save(path / "typers" / layer)

    @classmethod
    def load(cls, task: TaskSpec, path: Path, config: dict) -> SpacySpanDetector:
        detector = cls(task, config, 0)
        detector.nlp = load_pipeline(path)
        thresholds = json.loads((path / "thresholds.json").read_text(encoding="utf-8"))
        detector.thresholds = {k: float(v) for k, v in thresholds.items()}
        detector.typers = {layer: SpacyPairScorer.load(task, path / "typers" / layer, config)
                           for layer in detector._typed_layers()}
        return detector
