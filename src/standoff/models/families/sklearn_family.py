"""The `sklearn` family: linear models over hand-written features.

Mentions: one BIO tagger per layer (logistic regression over word, shape, context,
gazetteer and word-list features). Relations and event status: logistic regression over
pair features (words between, order, distance, rank among candidates, cue words).
Each model's regularization is chosen on the dev split. Stored with skops.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from standoff.core.io import write_text_atomic
from standoff.models.components import NONE, Detector, PairExample, PairScorer
from standoff.models.families.base import ComponentFamily, Resources
from standoff.models.families.features import TokenFeaturizer, pair_features
from standoff.models.registry import register_family
from standoff.models.safe import dump_safe, load_safe
from standoff.models.scoring import label_f1, span_f1
from standoff.models.tasks import TaskSpec
from standoff.models.text import Mention, Sentence


def bio_tags(sent: Sentence, layer: str) -> list[str]:
    tags = ["O"] * len(sent.tokens)
    spans = sorted((m for m in sent.mentions if m.layer == layer),
                   key=lambda m: (m.start, -(m.end - m.start)))
    for m in spans:
        idx = sent.token_span(m.start, m.end)
        if idx is None or any(tags[i] != "O" for i in range(*idx)):
            continue  # overlapping gold spans: the first (longest) one is the example
        tags[idx[0]] = f"B-{m.label}"
        for i in range(idx[0] + 1, idx[1]):
            tags[i] = f"I-{m.label}"
    return tags


def decode_bio(sent: Sentence, layer: str, classes: list[str], probs: np.ndarray,
               o_threshold: float = 0.5) -> list[Mention]:
    """Greedy BIO decoding: a token is outside a span only if P(O) >= `o_threshold` (raise
    it to trade precision for recall); an I- without its B- starts a span.
    Score: the mean probability of the chosen tags."""
    tags, ps = bio_choices(classes, probs, o_threshold)
    return decode_choices(sent, layer, classes, tags, ps)


def bio_choices(classes: list[str], probs: np.ndarray, o_threshold: float
                ) -> tuple[list[int], list[float]]:
    """Per token row: the chosen class (-1 for O) and its probability, for a whole batch
    of rows at once."""
    o = classes.index("O") if "O" in classes else None
    others = probs.copy()
    if o is not None:
        others[:, o] = -1.0
    best = others.argmax(axis=1)
    chosen = probs[np.arange(len(best)), best]
    if o is None:
        return best.tolist(), chosen.tolist()
    outside = probs[:, o] >= o_threshold
    return (np.where(outside, -1, best).tolist(),
            np.where(outside, probs[:, o], chosen).tolist())


def decode_choices(sent: Sentence, layer: str, classes: list[str], tags: list[int],
                   ps: list[float]) -> list[Mention]:
    out, current = [], None  # current: (label, first token, probabilities)
    for i, (k, p) in enumerate(zip(tags, ps, strict=True)):
        tag = "O" if k < 0 else classes[k]
        if current and tag == f"I-{current[0]}":
            current[2].append(p)
            continue
        if current:
            out.append(_mention(sent, layer, current, i))
            current = None
        if tag != "O":
            current = (tag[2:], i, [p])
    if current:
        out.append(_mention(sent, layer, current, len(tags)))
    return out


def _mention(sent: Sentence, layer: str, current: tuple, end: int) -> Mention:
    label, first, ps = current
    return Mention(layer, label, sent.tokens[first].start, sent.tokens[end - 1].end,
                   round(sum(ps) / len(ps), 6))


def vectorize(vectorizer: DictVectorizer, rows: list[dict[str, float]]) -> sp.csr_matrix:
    """`vectorizer.transform(rows)` for rows of name -> number (what our features are), the
    same matrix without DictVectorizer's per-value type checks (a fifth of prediction)."""
    vocab = vectorizer.vocabulary_
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for row in rows:
        for name, value in row.items():
            at = vocab.get(name)
            if at is not None:
                indices.append(at)
                values.append(value)
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.asarray(values, dtype=vectorizer.dtype),
                            np.asarray(indices, dtype=np.intc), np.asarray(indptr, dtype=np.intc)),
                           shape=(len(rows), len(vocab)))
    matrix.sort_indices()
    return matrix


def vectorize_names(vectorizer: DictVectorizer,
                    rows: Iterable[tuple[tuple[str, ...], list[str]]]) -> sp.csr_matrix:
    """`vectorize` for rows of feature names that all have the value 1.0, each row in two
    parts (`TokenFeaturizer.sentence_names`): the columns of a recurring first part are
    looked up once. `rows` may be a generator: no row is kept once its columns are known."""
    get = vectorizer.vocabulary_.get
    known: dict[tuple[str, ...], list[int]] = {}
    indices: list[int] = []
    indptr = [0]
    for shared, names in rows:
        columns = known.get(shared)
        if columns is None:
            columns = known[shared] = [at for at in map(get, shared) if at is not None]
        found = {at for at in map(get, names) if at is not None}
        found.update(columns)
        indices.extend(found)
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.ones(len(indices), dtype=vectorizer.dtype),
                            np.asarray(indices, dtype=np.intc), np.asarray(indptr, dtype=np.intc)),
                           shape=(len(indptr) - 1, len(vectorizer.vocabulary_)))
    matrix.sort_indices()
    return matrix


def _grid(values: Any) -> list[float]:
    return [float(v) for v in (values if isinstance(values, list) else [values])]


def _fit(model: LogisticRegression, x, y: list[str]) -> LogisticRegression:
    """saga stops after a few passes on purpose (speed); dev selection guards quality."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(x, y)


def _classifier(cfg: dict, c: float, seed: int, class_weight: str | None = None
                ) -> LogisticRegression:
    return LogisticRegression(C=c, solver=cfg.get("solver", "saga"),
                              max_iter=int(cfg.get("max_iter", 50)),
                              class_weight=class_weight or None, random_state=seed)


def _pick(scores: list[tuple[float, float]]) -> float:
    """The C with the best dev score; ties go to the stronger regularization (smaller C)."""
    return sorted(scores, key=lambda s: (-s[1], s[0]))[0][0]


class LinearTagger(Detector):
    def __init__(self, task: TaskSpec, cfg: dict, seed: int, res: Resources) -> None:
        self.task, self.cfg, self.seed = task, cfg, seed
        self.featurizer = TokenFeaturizer(res, int(cfg.get("context", 2)))
        self.vectorizer: DictVectorizer | None = None
        self.models: dict[str, LogisticRegression] = {}
        self.o_threshold: dict[str, float] = {}

    def _features(self, sentences: list[Sentence]) -> list[dict[str, float]]:
        return [f for s in sentences for f in self.featurizer.sentence(s)]

    def fit(self, train: list[Sentence], dev: list[Sentence]) -> dict[str, Any]:
        self.vectorizer = DictVectorizer()
        x_train = self.vectorizer.fit_transform(self._features(train))
        x_dev = self.vectorizer.transform(self._features(dev)) if dev else None
        chosen: dict[str, Any] = {}
        grid = _grid(self.cfg.get("C", 1.0))
        cuts = _grid(self.cfg.get("o_threshold", 0.5))
        for layer in self.task.layers:
            y = [t for s in train for t in bio_tags(s, layer)]
            if len(set(y)) < 2:
                chosen[layer] = {"note": "no training spans"}
                continue
            scores = []  # ((C, cut), dev F1)
            for c in grid if dev else grid[:1]:
                self.models[layer] = _fit(_classifier(self.cfg, c, self.seed), x_train, y)
                probs = self.models[layer].predict_proba(x_dev) if dev else None
                for cut in cuts if dev else cuts[:1]:
                    f1 = self._dev_f1(layer, dev, probs, cut) if dev else None
                    scores.append(((c, cut), f1))
            (best_c, best_cut), best_f1 = sorted(
                scores, key=lambda s: (-(s[1] or 0), s[0][0], s[0][1]))[0]
            if best_c != scores[-1][0][0]:
                self.models[layer] = _fit(_classifier(self.cfg, best_c, self.seed), x_train, y)
            self.o_threshold[layer] = best_cut
            chosen[layer] = {"C": best_c, "o_threshold": best_cut, "dev_span_f1": best_f1}
        return chosen

    def _dev_f1(self, layer: str, dev: list[Sentence], probs: np.ndarray, cut: float) -> float:
        found = self._decode(layer, dev, probs, cut)
        gold = [[m for m in s.mentions if m.layer == layer] for s in dev]
        return span_f1(gold, found)

    def _decode(self, layer: str, sentences: list[Sentence], probs: np.ndarray,
                cut: float | None = None) -> list[list[Mention]]:
        classes = [str(c) for c in self.models[layer].classes_]
        cut = self.o_threshold.get(layer, 0.5) if cut is None else cut
        tags, ps = bio_choices(classes, probs, cut)
        out, at = [], 0
        for s in sentences:
            end = at + len(s.tokens)
            out.append(decode_choices(s, layer, classes, tags[at:end], ps[at:end]))
            at = end
        return out

    def detect(self, sentences: list[Sentence], layers: frozenset[str]) -> list[list[Mention]]:
        out: list[list[Mention]] = [[] for _ in sentences]
        wanted = [layer for layer in self.task.layers if layer in layers and layer in self.models]
        if not wanted or not any(s.tokens for s in sentences):
            return out
        x = vectorize_names(self.vectorizer, (names for s in sentences
                                              for names in self.featurizer.sentence_names(s)))
        for layer in wanted:
            for i, found in enumerate(self._decode(layer, sentences,
                                                   self.models[layer].predict_proba(x))):
                out[i].extend(found)
        return out

    def save(self, path: Path) -> None:
        dump_safe({"vectorizer": self.vectorizer, "models": self.models}, path / "tagger.skops")
        write_text_atomic(path / "tagger.json",
                          json.dumps({"o_threshold": self.o_threshold}, indent=1) + "\n")

    @classmethod
    def load(cls, task: TaskSpec, path: Path, cfg: dict, res: Resources) -> LinearTagger:
        tagger = cls(task, cfg, 0, res)
        stored = load_safe(path / "tagger.skops")
        tagger.vectorizer, tagger.models = stored["vectorizer"], stored["models"]
        meta = json.loads((path / "tagger.json").read_text(encoding="utf-8"))
        tagger.o_threshold = {k: float(v) for k, v in meta["o_threshold"].items()}
        return tagger


class LinearPairScorer(PairScorer):
    def __init__(self, kind: str, labels: list[str], cfg: dict, seed: int,
                 res: Resources) -> None:
        self.kind, self.labels, self.cfg, self.seed, self.res = kind, labels, cfg, seed, res
        self.vectorizer: DictVectorizer | None = None
        self.model: LogisticRegression | None = None
        self.constant: str | None = None  # the only label seen in training, if just one

    def fit(self, train: list[PairExample], dev: list[PairExample]) -> dict[str, Any]:
        y = [ex.label for ex in train]
        if len(set(y)) < 2:
            self.constant = y[0] if y else self.labels[0]
            return {"note": f"one label in training data: {self.constant}"}
        self.vectorizer = DictVectorizer()
        x = self.vectorizer.fit_transform(pair_features(train, self.res))
        x_dev = self.vectorizer.transform(pair_features(dev, self.res)) if dev else None
        grid = _grid(self.cfg.get("C", 1.0))
        weight = self.cfg.get("class_weight")
        scores = []
        for c in grid if (dev and len(grid) > 1) else grid[:1]:
            self.model = _fit(_classifier(self.cfg, c, self.seed, weight), x, y)
            if dev:
                scores.append((c, label_f1([ex.label for ex in dev],
                                           list(self.model.predict(x_dev)), ignore=NONE)))
        best = _pick(scores) if scores else grid[0]
        if len(scores) > 1 and best != scores[-1][0]:
            self.model = _fit(_classifier(self.cfg, best, self.seed, weight), x, y)
        return {"C": best, "dev_f1": dict(scores).get(best), "train_pairs": len(train)}

    def score(self, pairs: list[PairExample]) -> list[dict[str, float]]:
        if self.model is None:
            return [{self.constant or NONE: 1.0} for _ in pairs]
        if not pairs:
            return []
        probs = self.model.predict_proba(vectorize(self.vectorizer, pair_features(pairs, self.res)))
        classes = [str(c) for c in self.model.classes_]
        return [dict(zip(classes, (float(p) for p in row), strict=True)) for row in probs]

    def save(self, path: Path) -> None:
        write_text_atomic(path / "scorer.json", json.dumps(
            {"kind": self.kind, "labels": self.labels, "constant": self.constant}) + "\n")
        if self.model is not None:
            dump_safe({"vectorizer": self.vectorizer, "model": self.model}, path / "pairs.skops")

    @classmethod
    def load(cls, path: Path, cfg: dict, res: Resources) -> LinearPairScorer:
        meta = json.loads((path / "scorer.json").read_text(encoding="utf-8"))
        scorer = cls(meta["kind"], meta["labels"], cfg, 0, res)
        scorer.constant = meta.get("constant")
        if scorer.constant is None:
            stored = load_safe(path / "pairs.skops")
            scorer.vectorizer, scorer.model = stored["vectorizer"], stored["model"]
        return scorer


@register_family("sklearn")
class SklearnFamily(ComponentFamily):
    """Logistic regression taggers and pair classifiers, selected on dev."""

    def make_detector(self, task: TaskSpec, config: dict, seed: int,
                      res: Resources) -> Detector:
        return LinearTagger(task, config.get("tagger", {}), seed, res)

    def load_detector(self, task: TaskSpec, path: Path, config: dict,
                      res: Resources) -> Detector:
        return LinearTagger.load(task, path, config.get("tagger", {}), res)

    def make_scorer(self, task: TaskSpec, kind: str, labels: list[str], config: dict,
                    seed: int, res: Resources) -> PairScorer:
        return LinearPairScorer(kind, labels, config.get(kind, {}), seed, res)

    def load_scorer(self, task: TaskSpec, kind: str, path: Path, config: dict,
                    res: Resources) -> PairScorer:
        return LinearPairScorer.load(path, config.get(kind, {}), res)
