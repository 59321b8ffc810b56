"""Test documents that have broken Label Studio offsets before: emoji (characters outside
the BMP, two UTF-16 units each), CRLF line breaks and repeated whitespace; with every
span label, attribute and relation label of the schema."""

from __future__ import annotations

from standoff.annotation.goldfile import relation_id
from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.corpus.sentences import split_sentences


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[Span] = []
        self.relations: list[Relation] = []

    def span(self, sid: str, label: str, quote: str, nth: int = 1, **attrs: str) -> str:
        start = -1
        for _ in range(nth):
            start = self.text.index(quote, start + 1)
        if label == "EVENT":
            attrs.setdefault("status", "asserted")  # as in gold files: the schema default
        self.spans.append(Span(id=sid, label=label, start=start, end=start + len(quote),
                               text=quote, attrs=attrs))
        return sid

    def rel(self, head: str, label: str, tail: str) -> None:
        self.relations.append(Relation(id=relation_id(head, label, tail), label=label,
                                       head=head, tail=tail))

    def document(self, doc_id: str) -> Document:
        sentences, tokens = split_sentences(self.text)
        return Document(id=doc_id, text=self.text, sentences=sentences, tokens=tokens,
                        split="dev", annotation=AnnotationSet(
                            origin="gold", annotator="gold", spans=self.spans,
                            relations=self.relations))


def emoji_document() -> Document:
    b = _Builder("🇵🇰 Pakistan 😀 accused Afghanistan 🔥 of attacks that killed 12 people. "
                 "Kabul denied it 👎 and said the talks 🤝 would go on.")
    pak = b.span("pak", "ACTOR", "Pakistan", code="PAK")
    afg = b.span("afg", "ACTOR", "Afghanistan", code="AFG")
    kabul = b.span("kabul", "ACTOR", "Kabul", code="AFG-TAL")
    acc = b.span("ev_acc", "EVENT", "accused", type="ACCUSE", mode="allege", status="asserted")
    att = b.span("ev_att", "EVENT", "attacks", type="ASSAULT", status="claimed",
                 casualties="12 killed by PAK")
    talks = b.span("ev_talks", "EVENT", "talks 🤝", type="CONSULT", status="future")
    b.rel(acc, "source", pak)
    b.rel(acc, "target", afg)
    b.rel(att, "source", afg)
    b.rel(talks, "source", kabul)
    bl = b.span("b_acc", "BLAME", "accused", act="accuse")
    b.rel(bl, "blamer", pak)
    b.rel(bl, "blamed", afg)
    b.rel(bl, "for", att)
    deny = b.span("b_deny", "BLAME", "denied it 👎", act="deny")
    b.rel(deny, "blamer", pak)
    b.rel(deny, "blamed", kabul)
    st = b.span("s_talks", "STANCE", "would go on", polarity="support")
    b.rel(st, "holder", kabul)
    b.rel(st, "toward", talks)
    return b.document("zz_emoji")


def crlf_document() -> Document:
    b = _Builder("Islamabad and Kabul agreed to hold talks.\r\nTurkey will mediate the talks.\r\n"
                 "\r\nPakistan backs the ceasefire,\r\nofficials said.\r\n")
    isl = b.span("isl", "ACTOR", "Islamabad", code="PAK-GOV")
    kab = b.span("kab", "ACTOR", "Kabul", code="AFG-TAL")
    tur = b.span("tur", "ACTOR", "Turkey", code="TUR")
    pak = b.span("pak", "ACTOR", "Pakistan", code="PAK")
    agreed = b.span("ev_agreed", "EVENT", "agreed", type="AGREE")
    talks = b.span("ev_talks", "EVENT", "talks", nth=2, type="CONSULT", mode="third-party",
                   status="future")
    cease = b.span("ev_cease", "EVENT", "ceasefire", type="RETREAT", mode="ceasefire")
    for actor in (isl, kab):  # reciprocal: the same pair carries source and target
        b.rel(agreed, "source", actor)
    b.rel(talks, "source", tur)
    b.rel(talks, "target", isl)
    b.rel(talks, "source", isl)
    # A cue across a CRLF line break.
    st = b.span("s_backs", "STANCE", "backs the ceasefire,\r\nofficials said", polarity="support")
    b.rel(st, "holder", pak)
    b.rel(st, "toward", cease)
    return b.document("zz_crlf")


def spaces_document() -> Document:
    b = _Builder("The  army   of  Pakistan\tlaunched    strikes  on   TTP  hideouts;  the  TTP "
                 "blamed   the    army.  \n\n  Nobody   disputed it.")
    army = b.span("army", "ACTOR", "army   of  Pakistan", code="PAK-MIL")
    ttp = b.span("ttp", "ACTOR", "TTP", code="TTP")
    ttp2 = b.span("ttp2", "ACTOR", "TTP", nth=2, code="TTP")
    army2 = b.span("army2", "ACTOR", "army", nth=2, code="PAK-MIL")
    strikes = b.span("ev_strikes", "EVENT", "launched    strikes", type="ASSAULT", mode="aerial")
    b.rel(strikes, "source", army)
    b.rel(strikes, "target", ttp)
    blamed = b.span("b_blamed", "BLAME", "blamed", act="accuse")
    b.rel(blamed, "blamer", ttp2)
    b.rel(blamed, "blamed", army2)
    b.rel(blamed, "for", strikes)
    st = b.span("s_neutral", "STANCE", "Nobody   disputed", polarity="neutral")
    b.rel(st, "holder", ttp2)
    b.rel(st, "toward", army2)
    return b.document("zz_spaces")


def tricky_documents() -> list[Document]:
    return [emoji_document(), crlf_document(), spaces_document()]
