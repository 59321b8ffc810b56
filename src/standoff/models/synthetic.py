"""A synthetic, fully annotated corpus for smoke tests and benchmarks.

Sentences come from templates that cover every layer (actors, events with roles and
status, blame, stance), with some cue words the rules family's lists lack ("slammed",
"fired at"), so a learned model has something to learn that the baseline cannot know.
Deterministic for a given seed. Not a substitute for the gold corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from standoff.core.actors import ActorRegistry
from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.corpus.build import write_corpus
from standoff.corpus.sentences import split_sentences

ACTORS = {
    "PAK-GOV": ["Islamabad", "Pakistani officials", "the Pakistani government"],
    "AFG-TAL": ["Kabul", "the Taliban", "Afghan authorities"],
    "PAK-MIL": ["Pakistani forces", "Pakistani troops"],
    "AFG-MIL": ["Taliban fighters", "Afghan forces"],
    "TTP": ["the TTP", "the Pakistani Taliban"],
    "TUR": ["Turkey", "Ankara"],
    "USA-GOV": ["Washington", "the State Department"],
}
ASSAULTS = ["shelling", "airstrikes", "attack", "mortar fire", "drone strike", "ambush"]
PLACES = ["Chaman", "Torkham", "Kurram", "Khost", "Spin Boldak", "Bajaur"]
FILLERS = ["Residents of {p} described a tense night.", "Markets in {p} stayed closed.",
           "Traffic through {p} resumed on Tuesday.", "The weather in {p} was cold."]


@dataclass
class Builder:
    """Text, spans and relations of one sentence (offsets relative to the sentence)."""

    text: str = ""
    spans: list[tuple[str, str, int, int, dict]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)

    def say(self, words: str) -> Builder:
        self.text += words
        return self

    def span(self, key: str, label: str, words: str, **attrs: str) -> Builder:
        start = len(self.text)
        self.text += words
        self.spans.append((key, label, start, start + len(words), attrs))
        return self

    def same(self, key: str, label: str, like: str, **attrs: str) -> Builder:
        _, _, s, e, _ = next(x for x in self.spans if x[0] == like)
        self.spans.append((key, label, s, e, attrs))
        return self

    def rel(self, label: str, head: str, tail: str) -> Builder:
        self.relations.append((label, head, tail))
        return self


def _actor(rng: random.Random, exclude: str | None = None) -> tuple[str, str]:
    code = rng.choice(sorted(c for c in ACTORS if c != exclude))
    name = rng.choice(ACTORS[code])
    return code, name


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _templates(rng: random.Random) -> Builder:
    ca, a = _actor(rng)
    cb, b = _actor(rng, exclude=ca)
    ev, place = rng.choice(ASSAULTS), rng.choice(PLACES)
    kind = rng.randrange(10)
    s = Builder()
    if kind == 0:  # accusation, in the rules' lists
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("E1", "EVENT", "accused",
                                                             type="ACCUSE")
        s.say(" ").span("B", "ACTOR", b, code=cb).say(" of the ")
        s.span("E2", "EVENT", ev, type="ASSAULT", status="claimed").say(f" near {place}.")
        s.same("X", "BLAME", "E1", act="accuse").rel("source", "E1", "A").rel("target", "E1", "B")
        s.rel("blamer", "X", "A").rel("blamed", "X", "B").rel("for", "X", "E2")
        s.rel("source", "E2", "B")
    elif kind == 1:  # accusation with a cue the rules lack
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("E1", "EVENT", "slammed",
                                                             type="ACCUSE")
        s.say(" ").span("B", "ACTOR", b, code=cb).say(" over the ")
        s.span("E2", "EVENT", ev, type="ASSAULT", status="claimed").say(f" in {place}.")
        s.same("X", "BLAME", "E1", act="accuse").rel("blamer", "X", "A").rel("blamed", "X", "B")
        s.rel("for", "X", "E2").rel("source", "E1", "A").rel("target", "E1", "B")
    elif kind == 2:  # denial
        s.span("B", "ACTOR", _cap(b), code=cb).say(" ").span("X", "BLAME", "denied",
                                                             act="deny")
        s.say(" any role in the ").span("E2", "EVENT", ev, type="ASSAULT", status="denied")
        s.say(f" on {place}.").rel("blamed", "X", "B").rel("for", "X", "E2")
    elif kind == 3:  # talks
        s.span("A", "ACTOR", _cap(a), code=ca).say(" and ").span("B", "ACTOR", b, code=cb)
        s.say(" held ").span("E1", "EVENT", "talks", type="CONSULT").say(f" in {place}.")
        s.rel("source", "E1", "A").rel("source", "E1", "B")
    elif kind == 4:  # support for a ceasefire
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("S", "STANCE", "welcomed",
                                                             polarity="support")
        s.say(" the ").span("E1", "EVENT", "ceasefire", type="RETREAT").say(" with ")
        s.span("B", "ACTOR", b, code=cb).say(".").rel("holder", "S", "A")
        s.rel("toward", "S", "E1").rel("source", "E1", "A").rel("source", "E1", "B")
    elif kind == 5:  # opposition to an actor, cue the rules lack
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("S", "STANCE", "lashed out at",
                                                             polarity="oppose")
        s.say(" ").span("B", "ACTOR", b, code=cb).say(f" after the talks in {place} failed.")
        s.rel("holder", "S", "A").rel("toward", "S", "B")
    elif kind == 6:  # an assault with a trigger the rules lack
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("E1", "EVENT", "fired at",
                                                             type="ASSAULT")
        s.say(" ").span("B", "ACTOR", b, code=cb).say(f" positions near {place}.")
        s.rel("source", "E1", "A").rel("target", "E1", "B")
    elif kind == 7:  # passive blame
        s.span("B", "ACTOR", _cap(b), code=cb).say(" was ").span("E1", "EVENT", "blamed",
                                                                 type="ACCUSE")
        s.say(" by ").span("A", "ACTOR", a, code=ca).say(" for the ")
        s.span("E2", "EVENT", ev, type="ASSAULT", status="claimed").say(".")
        s.same("X", "BLAME", "E1", act="accuse").rel("blamer", "X", "A").rel("blamed", "X", "B")
        s.rel("for", "X", "E2").rel("source", "E1", "A").rel("target", "E1", "B")
    elif kind == 8:  # a threat, future event
        s.span("A", "ACTOR", _cap(a), code=ca).say(" ").span("E1", "EVENT", "warned",
                                                             type="THREATEN")
        s.say(" ").span("B", "ACTOR", b, code=cb).say(" it would ")
        s.span("E2", "EVENT", "strike", type="ASSAULT", status="future").say(" back.")
        s.rel("source", "E1", "A").rel("target", "E1", "B").rel("source", "E2", "A")
        s.rel("target", "E2", "B")
    else:
        s.say(rng.choice(FILLERS).format(p=place))
    return s


SPLIT_CYCLE = ("train", "train", "dev", "train", "train", "test", "train", "dev", "train",
               "train")  # 7:2:1, so even a handful of documents has a dev split


def synthetic_document(doc_id: str, n_sentences: int, rng: random.Random,
                       split: str = "train") -> Document:
    text, spans, relations = "", [], []
    for i in range(n_sentences):
        sent = _templates(rng)
        offset = len(text)
        ids = {key: f"s{i}{key}" for key, *_ in sent.spans}
        for key, label, start, end, attrs in sent.spans:
            spans.append(Span(id=ids[key], label=label, start=offset + start,
                              end=offset + end, text=sent.text[start:end], attrs=attrs))
        for j, (label, head, tail) in enumerate(sent.relations):
            relations.append(Relation(id=f"r{i}_{j}", label=label, head=ids[head],
                                      tail=ids[tail]))
        text += sent.text + ("\n" if i % 4 == 3 else " ")
    sentences, tokens = split_sentences(text)
    return Document(id=doc_id, text=text, meta={"provenance": "authored", "synthetic": True},
                    sentences=sentences, tokens=tokens, split=split,
                    annotation=AnnotationSet(origin="gold", annotator="synthetic", spans=spans,
                                             relations=relations))


def synthetic_documents(n_docs: int, sentences: int = 20, seed: int = 0) -> list[Document]:
    rng = random.Random(seed)
    return [synthetic_document(f"synth-{seed}-{i:03d}", sentences, rng,
                               SPLIT_CYCLE[i % len(SPLIT_CYCLE)]) for i in range(n_docs)]


def write_synthetic_corpus(out: Path, schema_path: Path, actors_path: Path, n_docs: int = 30,
                           sentences: int = 20, seed: int = 0,
                           extra: list[Document] | None = None) -> Path:
    """Write a validated corpus folder (documents.jsonl, schema, actors, manifest)."""
    docs = synthetic_documents(n_docs, sentences, seed) + list(extra or [])
    write_corpus(Path(out), docs, schema_path, ActorRegistry.load(actors_path), hf=False)
    return Path(out)
