"""Training data for one task: the corpus's train and dev documents as sentences with gold
mentions, and as head/tail pairs with gold relation labels."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.model import Document
from standoff.core.schema import Schema
from standoff.corpus.store import Corpus
from standoff.models.components import NONE, PairExample, pairs_for_heads
from standoff.models.tasks import TaskSpec, task_spec
from standoff.models.text import Sentence, sentences_of


@dataclass
class TrainingData:
    task: TaskSpec
    train: list[Document]
    dev: list[Document]
    registry: ActorRegistry
    schema: Schema
    corpus_hash: str
    corpus_path: Path | None = None

    def sentences(self, split: str) -> list[Sentence]:
        layers = frozenset(self.task.layers)
        return [s for d in self._docs(split) for s in sentences_of(d, layers)]

    def relation_pairs(self, split: str, window: int = 0) -> list[PairExample]:
        """Gold heads x gold tails near them, labelled with the gold relation or NONE."""
        out = []
        for doc in self._docs(split):
            gold = {(r.head, r.tail): r.label for r in doc.annotation.relations}
            sents = sentences_of(doc, frozenset(self.task.layers))
            heads = [(i, m) for i, s in enumerate(sents) for m in s.mentions
                     if m.layer == self.task.head]
            tails = [(i, m) for i, s in enumerate(sents) for m in s.mentions
                     if m.layer in self.task.tail_layers]
            for pair in pairs_for_heads(sents, heads, tails, window):
                label = gold.get((pair.head.span_id, pair.tail.span_id), NONE)
                if label not in self.task.relation_labels(pair.tail.layer):
                    label = NONE
                out.append(PairExample(pair.sentence, pair.head, pair.tail, label))
        return out

    def status_examples(self, split: str) -> list[PairExample]:
        return [PairExample(s, m, None, m.attr("status", "asserted"))
                for s in self.sentences(split) for m in s.mentions if m.layer == "EVENT"]

    def actor_mentions(self) -> list[tuple[str, str]]:
        """(mention text, gold code) of every train ACTOR span: what the normalizer learns."""
        return [(s.text, s.attrs["code"]) for d in self.train for s in d.annotation.spans
                if s.label == "ACTOR" and "code" in s.attrs]

    def _docs(self, split: str) -> list[Document]:
        return self.train if split == "train" else self.dev


def subset(docs: list[Document], fraction: float, seed: int) -> list[Document]:
    """A seeded, nested sample: the 25% sample is inside the 50% sample, and so on."""
    if not 0 < fraction <= 1:
        raise StandoffError(f"fraction must be in (0, 1], not {fraction}")
    ordered = sorted(docs, key=lambda d: d.id)
    random.Random(seed).shuffle(ordered)
    keep = max(1, round(len(ordered) * fraction)) if ordered else 0
    return sorted(ordered[:keep], key=lambda d: d.id)


def load_training_data(task_name: str, corpus_dir: Path, fraction: float = 1.0,
                       seed: int = 0) -> TrainingData:
    corpus = Corpus.open(Path(corpus_dir))
    task = task_spec(task_name, corpus.schema)
    docs = list(corpus.documents())
    train = [d for d in docs if d.split == "train"]
    dev = [d for d in docs if d.split == "dev"]
    if not train:
        raise StandoffError("the corpus has no documents in the train split",
                            file=str(corpus.documents_path),
                            hint="annotate more documents or pin some with `split: train`")
    return TrainingData(task, subset(train, fraction, seed), dev, corpus.actors, corpus.schema,
                        corpus.content_hash(), Path(corpus_dir))
