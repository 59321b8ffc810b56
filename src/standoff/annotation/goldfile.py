"""The hand-writable gold format: spans anchored by quoted text, resolved to offsets.

One YAML file per document and annotator (`annotation/gold/<doc>.yaml`):

    document: 000_f9c8955652b849b6
    annotator: gold
    actors:
      pak1: {quote: Pakistan, code: PAK}                       # the quote is unique
      pak2: {quote: Islamabad, occurrence: 2, code: PAK-GOV}   # 2nd of several
      afg1: {quote: Afghanistan, in: "talks with Afghanistan", code: AFG}
    events:
      e1: {quote: talks, in: "said that talks with", type: CONSULT, source: [pak1, afg1]}
    blame:
      b1: {quote: blaming, act: accuse, blamer: pak1, blamed: afg1, for: e2}
    stance:
      s1: {quote: "will not support", polarity: oppose, holder: pak3, toward: afg2}

A quote matches whole words only. `in` narrows the search to a longer context quote
(which must itself be unique); `occurrence` (1-based) picks one of several matches;
`same_as: ID` reuses another span's offsets (a blame cue that is also an ACCUSE trigger).
Conversion is lossless both ways: load(dump(set)) == set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Relation, Span
from standoff.core.yamlio import dump_yaml, load_yaml

SECTIONS = {"actors": "ACTOR", "events": "EVENT", "blame": "BLAME", "stance": "STANCE"}
LABEL_SECTION = {v: k for k, v in SECTIONS.items()}
ANCHOR_KEYS = {"quote", "in", "occurrence", "same_as", "start"}
# Per section: attribute keys (stored on the span) and role keys (become relations).
ATTR_KEYS = {
    "ACTOR": ("code",),
    "EVENT": ("type", "mode", "status", "casualties"),
    "BLAME": ("act",),
    "STANCE": ("polarity",),
}
ROLE_KEYS = {
    "ACTOR": {},
    "EVENT": {"source": "source", "target": "target"},
    "BLAME": {"blamer": "blamer", "blamed": "blamed", "for": "for"},
    "STANCE": {"holder": "holder", "toward": "toward"},
}
LIST_ROLES = {"source", "target"}
DEFAULTS = {"EVENT": {"status": "asserted"}}
TOP_KEYS = {"document", "annotator", "origin", "model_version", "notes", *SECTIONS}


def relation_id(head: str, label: str, tail: str) -> str:
    return f"{head}-{label}-{tail}"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_quote(text: str, quote: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Start offsets of whole-word matches of `quote` inside text[lo:hi]."""
    hi = len(text) if hi is None else hi
    starts, pos = [], text.find(quote, lo, hi)
    while pos != -1:
        end = pos + len(quote)
        left_ok = pos == 0 or not (_is_word_char(quote[0]) and _is_word_char(text[pos - 1]))
        right_ok = end >= len(text) or not (_is_word_char(quote[-1]) and _is_word_char(text[end]))
        if left_ok and right_ok:
            starts.append(pos)
        pos = text.find(quote, pos + 1, hi)
    return starts


class _Resolver:
    def __init__(self, text: str, file: str, doc_id: str) -> None:
        self.text, self.file, self.doc_id = text, file, doc_id

    def error(self, msg: str, rid: str, field: str | None = None, hint: str | None = None):
        return StandoffError(msg, file=self.file, record=f"{self.doc_id}/{rid}", field=field,
                             hint=hint)

    def resolve(self, rid: str, rec: dict[str, Any], spans: dict[str, Span]) -> tuple[int, int]:
        if "same_as" in rec:
            other = spans.get(rec["same_as"])
            if other is None:
                raise self.error(f"same_as {rec['same_as']!r} is not a span defined above", rid,
                                 "same_as", "define the referenced span earlier in the file")
            return other.start, other.end
        quote = rec.get("quote")
        if not isinstance(quote, str) or not quote:
            raise self.error("missing 'quote' (the exact text of the span)", rid, "quote")
        if "start" in rec:
            start = rec["start"]
            if not isinstance(start, int) or self.text[start:start + len(quote)] != quote:
                raise self.error(f"quote {quote!r} is not at offset {start}", rid, "start")
            return start, start + len(quote)
        lo, hi = 0, len(self.text)
        if "in" in rec:
            ctx = rec["in"]
            ctx_hits = find_quote(self.text, ctx) if isinstance(ctx, str) and ctx else []
            if len(ctx_hits) != 1:
                raise self.error(
                    f"context {ctx!r} occurs {len(ctx_hits)} times; it must occur exactly once",
                    rid, "in", "use a longer or exact context quote")
            lo, hi = ctx_hits[0], ctx_hits[0] + len(ctx)
        hits = find_quote(self.text, quote, lo, hi)
        hits = [h for h in hits if h + len(quote) <= hi]
        if not hits:
            where = f" inside {rec['in']!r}" if "in" in rec else ""
            raise self.error(f"quote {quote!r} not found{where}", rid, "quote",
                             "copy the exact text, including curly quotes and dashes")
        occurrence = rec.get("occurrence")
        if occurrence is None:
            if len(hits) > 1:
                raise self.error(f"quote {quote!r} is ambiguous: it occurs {len(hits)} times",
                                 rid, "quote", "add 'occurrence: N' or 'in: <longer context>'")
            occurrence = 1
        if not isinstance(occurrence, int) or not 1 <= occurrence <= len(hits):
            raise self.error(f"occurrence {occurrence!r} out of range 1..{len(hits)}", rid,
                             "occurrence")
        start = hits[occurrence - 1]
        return start, start + len(quote)


def parse_gold(data: Any, text: str, file: str, doc_id: str | None = None) -> AnnotationSet:
    """A parsed gold YAML mapping -> AnnotationSet with resolved offsets."""
    if not isinstance(data, dict):
        raise StandoffError("a gold file must be a mapping with 'document' and sections",
                            file=file)
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise StandoffError(f"unknown top-level key(s) {sorted(unknown)}", file=file,
                            hint=f"sections are {', '.join(SECTIONS)}")
    doc = str(data.get("document") or doc_id or "")
    if doc_id and doc != doc_id:
        raise StandoffError(f"document {doc!r} does not match {doc_id!r}", file=file,
                            field="document")
    resolver = _Resolver(text, file, doc)
    spans: dict[str, Span] = {}
    pending_roles: list[tuple[str, str, Any]] = []
    for section, label in SECTIONS.items():
        records = data.get(section) or {}
        if not isinstance(records, dict):
            raise StandoffError(f"section {section!r} must map ids to records", file=file,
                                record=doc)
        for rid, rec in records.items():
            rid = str(rid)
            if not isinstance(rec, dict):
                raise resolver.error("record must be a mapping", rid)
            if rid in spans:
                raise resolver.error("duplicate id", rid, hint="ids are unique across sections")
            allowed = ANCHOR_KEYS | set(ATTR_KEYS[label]) | set(ROLE_KEYS[label]) | {"score"}
            bad = set(rec) - allowed
            if bad:
                raise resolver.error(f"unknown key(s) {sorted(bad)} for a {label}", rid,
                                     hint=f"allowed: {', '.join(sorted(allowed))}")
            start, end = resolver.resolve(rid, rec, spans)
            attrs = dict(DEFAULTS.get(label, {}))
            attrs.update({k: rec[k] for k in ATTR_KEYS[label] if rec.get(k) is not None})
            spans[rid] = Span(id=rid, label=label, start=start, end=end, text=text[start:end],
                              attrs=attrs, score=rec.get("score"))
            for key, rel_label in ROLE_KEYS[label].items():
                if rec.get(key) is not None:
                    pending_roles.append((rid, rel_label, rec[key]))
    relations = []
    for head, rel_label, value in pending_roles:
        tails = value if isinstance(value, list) else [value]
        for tail in tails:
            if str(tail) not in spans:
                raise resolver.error(f"{rel_label} refers to unknown id {tail!r}", head, rel_label,
                                     "define that actor or event in this file")
            relations.append(Relation(id=relation_id(head, rel_label, str(tail)),
                                      label=rel_label, head=head, tail=str(tail)))
    return AnnotationSet(
        origin=data.get("origin", "gold"), annotator=data.get("annotator"),
        model_version=data.get("model_version"), spans=list(spans.values()), relations=relations,
    )


def load_gold_file(path: Path, text: str, doc_id: str | None = None) -> AnnotationSet:
    return parse_gold(load_yaml(path), text, str(path), doc_id)


def _anchor(span: Span, text: str) -> dict[str, Any]:
    hits = find_quote(text, span.text)
    if span.start in hits:
        return {"quote": span.text} if len(hits) == 1 else {
            "quote": span.text, "occurrence": hits.index(span.start) + 1}
    return {"quote": span.text, "start": span.start}  # a part of a word: explicit offset


def dump_gold(ann: AnnotationSet, text: str, doc_id: str) -> str:
    """AnnotationSet -> gold YAML text (the inverse of parse_gold)."""
    out: dict[str, Any] = {"document": doc_id}
    if ann.annotator:
        out["annotator"] = ann.annotator
    if ann.origin != "gold":
        out["origin"] = ann.origin
    if ann.model_version:
        out["model_version"] = ann.model_version
    roles: dict[str, dict[str, list[str]]] = {}
    for rel in ann.relations:
        roles.setdefault(rel.head, {}).setdefault(rel.label, []).append(rel.tail)
    for section in SECTIONS:
        out[section] = {}
    for span in ann.spans:
        rec = _anchor(span, text)
        for key in ATTR_KEYS[span.label]:
            value = span.attrs.get(key)
            if value is not None and DEFAULTS.get(span.label, {}).get(key) != value:
                rec[key] = value
        for key, rel_label in ROLE_KEYS[span.label].items():
            tails = roles.get(span.id, {}).get(rel_label)
            if tails:
                rec[key] = tails if key in LIST_ROLES or len(tails) > 1 else tails[0]
        if span.score is not None:
            rec["score"] = span.score
        out[LABEL_SECTION[span.label]][span.id] = rec
    return dump_yaml(out)


def canonical(ann: AnnotationSet) -> dict[str, Any]:
    """An order-free form for equality checks across conversions."""
    return {
        "spans": sorted((s.id, s.label, s.start, s.end, s.text, sorted(s.attrs.items()))
                        for s in ann.spans),
        "relations": sorted((r.label, r.head, r.tail) for r in ann.relations),
    }

