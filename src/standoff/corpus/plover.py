"""PLOVER gold-standard records -> standoff documents (`--format plover`).

Each record is one sentence coded with one event. The sentence becomes a document;
`source`/`target` actors become ACTOR spans with their codes (`code` plus `-sector` when
a sector is given), the `(EVT: ...)` markup becomes one EVENT trigger (the longest marked
segment found in the text), linked to the actors as roles; ACCUSE events (but not
investigations) also yield one BLAME record per (source, target) pair. Codes new to the
registry are added to the imported corpus's own actors.yaml, so the imported corpus
validates on its own.

What cannot be placed (an actor whose text does not occur in the sentence, a record
whose trigger is not found) is kept in `meta["plover"]["unplaced"]`, never dropped silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from standoff.annotation.goldfile import find_quote, relation_id
from standoff.core.actors import ACTOR_TYPES, Actor, ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.model import AnnotationSet, Document, Relation, Span
from standoff.core.schema import EVENT_TYPES, Schema, format_casualties
from standoff.core.seeds import DOC_ID, SeedArticle
from standoff.corpus.build import make_document
from standoff.corpus.importers import register_importer

# PLOVER 0.5b1 names -> the current 16-type ontology (see external/plover-gsr/README.md).
OLD_TYPE_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
                  "FIGHT": "ASSAULT"}
OLD_MODE_FOR = {"INVESTIGATE": "investigate"}
# 0.5b1 modes that have a current equivalent; the rest are kept in metadata only.
MODE_ALIASES = {"demo-org": "demo", "demo-spon": "demo", "riot-spon": "riot",
                "strike-hun": "hunger", "detain": "arrest", "confiscate": "seize",
                "assassinate": "targeted"}
SECTOR_TYPES = {"GOV": "GOV", "MIL": "MIL", "REB": "REB", "CVL": "CVL", "REF": "CVL",
                "IGO": "IGO", "NGO": "NGO", "MED": "MED", "COP": "GOV", "JUD": "GOV",
                "LEG": "GOV", "OPP": "OTHER", "BUS": "OTHER", "EDU": "OTHER"}
_MARK = re.compile(r"\((SRC|TAR|SRC/TAR|TAR/SRC|EVT|LOC|SRC/LOC|TAR/LOC):\s*")


def load_records(path: Path) -> list[dict[str, Any]]:
    """A JSON array of records, or JSON lines of records."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StandoffError("not valid UTF-8", file=str(path)) from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    data.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise StandoffError(f"malformed JSON: {err.msg}",
                                        file=f"{path}:{lineno}") from err
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise StandoffError("expected a JSON array of PLOVER records", file=str(path))
    return data


def marked_segments(markup: str, tag: str) -> list[str]:
    """Contents of `(TAG: ...)` marks, with nested marks unwrapped; tolerant of stray braces."""
    out = []
    for m in _MARK.finditer(markup):
        if tag not in m.group(1).split("/"):
            continue
        depth, i = 1, m.end()
        while i < len(markup) and depth:
            # some records close a mark with "}" by mistake
            depth += {"(": 1, ")": -1, "}": -1}.get(markup[i], 0)
            i += 1
        inner = markup[m.end():i - 1] if depth == 0 else markup[m.end():]
        inner = _MARK.sub("", inner).replace(")", "").replace("}", "").strip()
        if inner:
            out.append(inner)
    return out


def _actor_list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and a.get("actorText")]


def actor_code(actor: dict[str, Any]) -> str:
    code = re.sub(r"[^A-Z0-9]", "", str(actor.get("code") or "UNK").upper()) or "UNK"
    if not code[0].isalpha():
        code = f"X{code}"
    sector = re.sub(r"[^A-Z0-9]", "", str(actor.get("sector") or "").upper())
    return f"{code}-{sector}" if sector else code


def _register(registry: ActorRegistry, code: str, actor: dict[str, Any]) -> None:
    if code in registry:
        return
    sector = str(actor.get("sector") or "").upper()
    kind = SECTOR_TYPES.get(sector, "STATE" if not sector and len(code) == 3 else "OTHER")
    registry.add(Actor(code=code, name=str(actor["actorText"]),
                       type=kind if kind in ACTOR_TYPES else "OTHER",
                       country=code.split("-")[0]))


class _Builder:
    """Collects spans for one record; places each quote once, left to right where possible."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[Span] = []
        self.relations: list[Relation] = []
        self.unplaced: list[str] = []

    def place(self, quote: str, alternatives: list[str] = ()) -> tuple[int, int] | None:
        """Where a coder's quote stands in the text, trying the repairs the records need."""
        quote = " ".join(quote.split())
        for candidate in (quote, quote.rstrip(".,;:")):
            hits = find_quote(self.text, candidate) if candidate else []
            if hits:
                return hits[0], hits[0] + len(candidate)
        pieces = [p.strip() for p in re.split(r"\.{2,}|…", quote) if p.strip()]
        if len(pieces) > 1:  # an elided quote: span from its first piece to its last
            first, last = find_quote(self.text, pieces[0]), find_quote(self.text, pieces[-1])
            if first and last and last[-1] > first[0]:
                return first[0], last[-1] + len(pieces[-1])
        for candidate in alternatives:
            hits = find_quote(self.text, candidate)
            if hits:
                return hits[0], hits[0] + len(candidate)
        return None

    def span(self, sid: str, label: str, where: tuple[int, int], attrs: dict) -> Span:
        span = Span(id=sid, label=label, start=where[0], end=where[1],
                    text=self.text[where[0]:where[1]], attrs=attrs)
        self.spans.append(span)
        return span

    def relate(self, head: str, label: str, tail: str) -> None:
        self.relations.append(Relation(id=relation_id(head, label, tail), label=label,
                                       head=head, tail=tail))


def _overlapping(marks: list[str], actor_text: str) -> list[str]:
    """Marked actor segments sharing a word with the coder's actorText, longest first."""
    words = {w.casefold() for w in re.findall(r"\w{3,}", str(actor_text))}
    hits = [m for m in marks if words & {w.casefold() for w in re.findall(r"\w{3,}", m)}]
    return sorted(hits, key=len, reverse=True)


def record_to_document(rec: dict[str, Any], registry: ActorRegistry, schema: Schema,
                       where: str) -> Document:
    rid, text = rec.get("id"), rec.get("text")
    if not isinstance(rid, str) or not DOC_ID.match(rid):
        raise StandoffError("missing or invalid 'id'", file=where, field="id")
    if not isinstance(text, str) or not text.strip():
        raise StandoffError("missing or empty 'text'", file=where, record=rid, field="text")
    old_type = str(rec.get("event") or "")
    etype = OLD_TYPE_NAMES.get(old_type, old_type)
    if etype not in EVENT_TYPES:
        raise StandoffError(f"unknown event type {old_type!r}", file=where, record=rid,
                            field="event", hint=f"expected one of {', '.join(EVENT_TYPES)}")
    b = _Builder(text)
    modes = schema.span_labels["EVENT"].attributes["mode"].values_by
    markup = rec["textInfo"].get("markup", "") if isinstance(rec.get("textInfo"), dict) else ""
    if not markup and isinstance(rec.get("textInfo"), str):
        markup = rec["textInfo"]
    roles: dict[str, list[str]] = {"source": [], "target": []}
    marks = marked_segments(markup, "SRC") + marked_segments(markup, "TAR")
    placed: dict[tuple[int, int], str] = {}
    for role in ("source", "target"):
        for actor in _actor_list(rec.get(role)):
            code = actor_code(actor)
            _register(registry, code, actor)
            where_ = b.place(str(actor["actorText"]), _overlapping(marks, actor["actorText"]))
            if where_ is None:
                b.unplaced.append(f"{role}: {actor['actorText']} ({code})")
                continue
            sid = placed.get(where_)
            if sid is None or b.spans[[s.id for s in b.spans].index(sid)].attrs["code"] != code:
                sid = f"a{len(b.spans) + 1}"
                b.span(sid, "ACTOR", where_, {"code": code})
                placed[where_] = sid
            roles[role].append(sid)
    segments = marked_segments(markup, "EVT") or [str(rec.get("eventText") or "")]
    trigger = None
    for seg in sorted(segments, key=len, reverse=True):
        trigger = b.place(seg)
        if trigger:
            break
    if trigger is None:
        b.unplaced.append(f"trigger: {segments}")
    else:
        attrs: dict[str, Any] = {"type": etype, "status": "asserted"}
        mode = MODE_ALIASES.get(rec.get("mode") or "", rec.get("mode") or "")
        mode = OLD_MODE_FOR.get(old_type, mode)
        if mode in modes.get(etype, ()):
            attrs["mode"] = mode
        figures = [{"count": int(n), "kind": kind, "by": None}
                   for kind, key in (("killed", "dead"), ("injured", "injured"))
                   if str(n := rec.get(key) or "").isdigit()]
        if figures:
            attrs["casualties"] = format_casualties(figures)
        b.span("e1", "EVENT", trigger, attrs)
        for role, ids in roles.items():
            for sid in dict.fromkeys(ids):
                b.relate("e1", role, sid)
        if etype == "ACCUSE" and attrs.get("mode") != "investigate":  # investigating is not blaming
            pairs = [(s, t) for s in dict.fromkeys(roles["source"])
                     for t in dict.fromkeys(roles["target"]) if s != t]
            for n, (src, tgt) in enumerate(pairs, start=1):
                b.span(f"b{n}", "BLAME", trigger, {"act": "accuse"})
                b.relate(f"b{n}", "blamer", src)
                b.relate(f"b{n}", "blamed", tgt)
    meta = {
        "provenance": "imported", "source_format": "plover", "date": str(rec.get("date", "")),
        "outlet": rec.get("publication"), "license": "CC BY-SA 4.0 (Open Event Data Alliance)",
        "plover": {k: rec[k] for k in ("event", "eventText", "context", "mode", "coder",
                                       "version", "comment") if rec.get(k) not in (None, "")},
    }
    if b.unplaced:
        meta["plover"]["unplaced"] = b.unplaced
    seed = SeedArticle(id=rid, text=text, meta=meta)
    ann = AnnotationSet(origin="gold", annotator=str(rec.get("coder") or "plover"),
                        spans=b.spans, relations=b.relations)
    return make_document(seed, ann)


@register_importer("plover")
def import_plover(path: Path, actors: ActorRegistry,
                  schema: Schema) -> Iterator[tuple[str, Document]]:
    for n, rec in enumerate(load_records(path), start=1):
        where = f"{path} (record {n})"
        if not isinstance(rec, dict):
            raise StandoffError("each record must be a JSON object", file=where)
        yield where, record_to_document(rec, actors, schema, where)
