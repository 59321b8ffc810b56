"""The shared task pipeline: detect mentions, resolve actor codes, classify event status,
score head/tail pairs, decode relations under the schema's counts, write documents.

Every built-in family runs through here with its own detector and pair scorers, so the
families differ only where they should: in how they find and classify things.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from standoff.core.model import Document
from standoff.models.components import Detector, PairExample, PairScorer, pairs_for_heads
from standoff.models.decode import Link, decode_head
from standoff.models.normalize import Normalizer
from standoff.models.output import build_output
from standoff.models.tasks import TaskSpec
from standoff.models.text import Mention, Sentence, prepare


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during one batch. A batch makes tens of thousands of
    short-lived objects (tokens, mentions, feature rows) that reference counting frees;
    meanwhile the collector would traverse everything the process holds (the model, the
    libraries) several times per batch: a quarter of the sklearn family's time. It runs
    again after the batch."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def with_attrs(m: Mention, attrs: dict[str, str]) -> Mention:
    """`dataclasses.replace(m, attrs=...)` without its generic machinery (hot path)."""
    return Mention(m.layer, m.label, m.start, m.end, m.score, m.span_id,
                   tuple(sorted(attrs.items())))


@dataclass
class DocState:
    doc: Document
    given: frozenset[str]
    sentences: list[Sentence]
    links: list[Link] = dataclasses.field(default_factory=list)
    dropped: set[Mention] = dataclasses.field(default_factory=set)
    new_actors: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass
class TaskPipeline:
    task: TaskSpec
    detector: Detector
    normalizer: Normalizer
    relations: PairScorer | None = None
    status: PairScorer | None = None
    threshold: float = 0.5
    window: int = 0

    def predict_batch(self, docs: list[Document], gold_mentions: bool,
                      model_version: str) -> list[Document]:
        with collector_paused():
            return self._predict(docs, gold_mentions, model_version)

    def _predict(self, docs: list[Document], gold_mentions: bool,
                 model_version: str) -> list[Document]:
        # a function of its own: the batch's states are freed before the collector resumes
        states = [self._state(d, gold_mentions) for d in docs]
        self._detect(states)
        for state in states:
            self._resolve_actors(state)
        if self.status is not None:
            self._classify_status(states)
        if self.relations is not None:
            self._link(states)
        return [self._output(s, model_version) for s in states]

    # -- steps ---------------------------------------------------------------------------

    def _state(self, doc: Document, gold_mentions: bool) -> DocState:
        given = self.task.given_layers if gold_mentions else frozenset()
        if self.task.name == "events" and not any(s.label == "EVENT"
                                                  for s in doc.annotation.spans):
            given = given - {"EVENT"}  # no gold triggers in the input: find them
        doc, sentences = prepare(doc, given)
        return DocState(doc, given, sentences)

    def _detect(self, states: list[DocState]) -> None:
        common = frozenset.intersection(*(s.given for s in states)) if states else frozenset()
        layers = frozenset(self.task.layers) - common
        flat = [(state, sent) for state in states for sent in state.sentences]
        found = self.detector.detect([sent for _, sent in flat], layers)
        for (state, sent), mentions in zip(flat, found, strict=True):
            sent.mentions.extend(m for m in mentions if m.layer not in state.given)

    def _resolve_actors(self, state: DocState) -> None:
        renormalize = "ACTOR" not in state.given or self.task.name == "actors"
        if not renormalize:
            return
        antecedents: list[str] = []
        for sent in state.sentences:
            resolved: list[Mention] = []
            for m in sorted(sent.mentions, key=lambda m: (m.start, m.end)):
                if m.layer != "ACTOR":
                    resolved.append(m)
                    continue
                mention_text = state.doc.text[m.start:m.end]
                found = self.normalizer.resolve_all(mention_text, antecedents)
                if m.span_id is not None and found:
                    # a given span keeps its id: same-offset copies ("both sides" once per
                    # party) take the resolutions in turn
                    twin = sum(1 for r in resolved if (r.start, r.end) == (m.start, m.end))
                    found = [found[twin % len(found)]]
                for res in found:
                    antecedents.append(res.code)
                    if res.how == "new":
                        state.new_actors.setdefault(res.code, mention_text)
                    attrs = dict(m.attrs) | {"code": res.code}
                    resolved.append(with_attrs(m, attrs))
            sent.mentions = resolved

    def _classify_status(self, states: list[DocState]) -> None:
        todo = [(sent, i, m) for state in states for sent in state.sentences
                for i, m in enumerate(sent.mentions)
                if m.layer == "EVENT" and m.span_id is None]
        if not todo:
            return
        probs = self.status.score([PairExample(sent, m, None) for sent, _, m in todo])
        for (sent, i, m), p in zip(todo, probs, strict=True):
            status = max(sorted(p), key=lambda k: p[k])
            attrs = dict(m.attrs) | {"status": status}
            sent.mentions[i] = with_attrs(m, attrs)

    def _link(self, states: list[DocState]) -> None:
        tail_layers = set(self.task.tail_layers)
        per_state = []
        for state in states:
            heads = [(p, m) for p, s in enumerate(state.sentences) for m in s.mentions
                     if m.layer == self.task.head]
            tails = [(p, m) for p, s in enumerate(state.sentences) for m in s.mentions
                     if m.layer in tail_layers]
            per_state.append((state, heads, pairs_for_heads(state.sentences, heads, tails,
                                                            self.window)))
        all_pairs = [p for _, _, pairs in per_state for p in pairs]
        scores = self.relations.score(all_pairs) if all_pairs else []
        at = 0
        for state, heads, pairs in per_state:
            chunk = scores[at:at + len(pairs)]
            at += len(pairs)
            by_head: dict[int, list[int]] = {}  # id(head) -> its pairs, in order
            for i, pair in enumerate(pairs):
                by_head.setdefault(id(pair.head), []).append(i)
            for _, head in heads:
                mine = by_head.get(id(head), [])
                links = decode_head(head, [pairs[i] for i in mine], [chunk[i] for i in mine],
                                    self.task.relations, self.threshold,
                                    self.task.required_for(head.label))
                if links is None:
                    state.dropped.add(head)
                else:
                    state.links.extend(links)

    def _output(self, state: DocState, model_version: str) -> Document:
        mentions = [m for s in state.sentences for m in s.mentions]
        keep = [m for m in mentions if m.layer == self.task.head and m not in state.dropped]
        keep += [link.tail for link in state.links]
        keep += [m for m in mentions if m.span_id is not None]  # given spans keep their ids
        used_codes = {m.attr("code") for m in keep if m.layer == "ACTOR"}
        new = [{"code": c, "mention": t} for c, t in state.new_actors.items() if c in used_codes]
        extra = {"candidate_actors": new} if new else {}
        return build_output(state.doc, keep, state.links, model_version, extra)
