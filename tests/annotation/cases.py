"""Two annotations of one small document with known differences (agreement by hand).

Sentences: "Pakistan attacked Kabul." | "Turkey hosted talks." |
"Kabul blamed Pakistan, and Turkey welcomed the talks."

A (gold): ACTOR Pakistan PAK, Kabul AFG-TAL, Turkey TUR, Kabul#2 AFG-TAL, Pakistan#2 PAK,
  Turkey#2 TUR; EVENT attacked ASSAULT (source Pakistan, target Kabul), talks CONSULT
  third-party (source Turkey), blamed ACCUSE (source Kabul#2, target Pakistan#2);
  BLAME blamed accuse (blamer Kabul#2, blamed Pakistan#2, for attacked);
  STANCE welcomed support (holder Turkey#2, toward talks).
B (second) differs in: Pakistan is PAK-GOV; no Kabul; attacked is `claimed` and has no
  target; "hosted talks" instead of "talks" (no mode) and an extra "hosted" COOPERATE;
  the BLAME has no `for`; the STANCE points to "hosted talks".
"""

from __future__ import annotations

from standoff.annotation.goldfile import relation_id
from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.corpus.sentences import split_sentences

TEXT = ("Pakistan attacked Kabul. Turkey hosted talks. "
        "Kabul blamed Pakistan, and Turkey welcomed the talks.")
DOC_ID = "agree_case"


def _span(sid: str, label: str, quote: str, nth: int = 1, **attrs: str) -> Span:
    start = -1
    for _ in range(nth):
        start = TEXT.index(quote, start + 1)
    if label == "EVENT":
        attrs.setdefault("status", "asserted")
    return Span(id=sid, label=label, start=start, end=start + len(quote), text=quote,
                attrs=attrs)


def _set(spans: list[Span], roles: list[tuple[str, str, str]], who: str) -> AnnotationSet:
    rels = [Relation(id=relation_id(h, lab, t), label=lab, head=h, tail=t) for h, lab, t in roles]
    return AnnotationSet(origin="gold" if who == "gold" else "annotator", annotator=who,
                         spans=spans, relations=rels)


def annotation_a() -> AnnotationSet:
    spans = [
        _span("pak", "ACTOR", "Pakistan", code="PAK"),
        _span("kab", "ACTOR", "Kabul", code="AFG-TAL"),
        _span("tur", "ACTOR", "Turkey", code="TUR"),
        _span("kab2", "ACTOR", "Kabul", nth=2, code="AFG-TAL"),
        _span("pak2", "ACTOR", "Pakistan", nth=2, code="PAK"),
        _span("tur2", "ACTOR", "Turkey", nth=2, code="TUR"),
        _span("att", "EVENT", "attacked", type="ASSAULT"),
        _span("talks", "EVENT", "talks", type="CONSULT", mode="third-party"),
        _span("acc", "EVENT", "blamed", type="ACCUSE"),
        _span("bl", "BLAME", "blamed", act="accuse"),
        _span("st", "STANCE", "welcomed", polarity="support"),
    ]
    roles = [("att", "source", "pak"), ("att", "target", "kab"), ("talks", "source", "tur"),
             ("acc", "source", "kab2"), ("acc", "target", "pak2"), ("bl", "blamer", "kab2"),
             ("bl", "blamed", "pak2"), ("bl", "for", "att"), ("st", "holder", "tur2"),
             ("st", "toward", "talks")]
    return _set(spans, roles, "gold")


def annotation_b() -> AnnotationSet:
    spans = [
        _span("p1", "ACTOR", "Pakistan", code="PAK-GOV"),
        _span("t1", "ACTOR", "Turkey", code="TUR"),
        _span("k2", "ACTOR", "Kabul", nth=2, code="AFG-TAL"),
        _span("p2", "ACTOR", "Pakistan", nth=2, code="PAK"),
        _span("t2", "ACTOR", "Turkey", nth=2, code="TUR"),
        _span("e1", "EVENT", "attacked", type="ASSAULT", status="claimed"),
        _span("e2", "EVENT", "hosted talks", type="CONSULT"),
        _span("e3", "EVENT", "hosted", type="COOPERATE"),
        _span("e4", "EVENT", "blamed", type="ACCUSE"),
        _span("b1", "BLAME", "blamed", act="accuse"),
        _span("s1", "STANCE", "welcomed", polarity="support"),
    ]
    roles = [("e1", "source", "p1"), ("e2", "source", "t1"), ("e4", "source", "k2"),
             ("e4", "target", "p2"), ("b1", "blamer", "k2"), ("b1", "blamed", "p2"),
             ("s1", "holder", "t2"), ("s1", "toward", "e2")]
    return _set(spans, roles, "second")


def document() -> Document:
    sentences, tokens = split_sentences(TEXT)
    return Document(id=DOC_ID, text=TEXT, sentences=sentences, tokens=tokens)
