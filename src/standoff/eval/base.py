"""What every task scorer provides, and the items reports and comparisons list.

A task scorer turns one gold document and its predictions (one per setting: end to
end, or given gold actors) into counts, items and pictures' raw material. The counts'
columns are fixed by the task and the settings, so two model versions scored on the
same gold always share columns and can be paired document by document.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from standoff.core.model import Document
from standoff.eval.counts import Metric

E2E = "e2e"
GOLD_ACTORS = "gold_actors"
SETTING_NAMES = {E2E: "end to end", GOLD_ACTORS: "given gold actors"}


@dataclass
class Item:
    """One gold or predicted unit and what became of it: tp, fp or fn."""

    kind: str  # trigger | sentence | actor | blame | stance (with @setting when not e2e)
    doc: str
    key: str  # stable across versions for gold items, so comparisons can pair them
    outcome: str  # tp | fp | fn
    label: str
    sentence: int | None
    text: str  # the sentence (or the document when no sentence holds the item)
    offset: int  # where `text` starts in the document
    marks: list[tuple[int, int, str]] = field(default_factory=list)  # doc offsets, role
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        # what dataclasses.asdict gives, built directly: asdict's deep copy was a third of
        # the time of a streamed evaluation
        return {"kind": self.kind, "doc": self.doc, "key": self.key, "outcome": self.outcome,
                "label": self.label, "sentence": self.sentence, "text": self.text,
                "offset": self.offset, "marks": [list(m) for m in self.marks],
                "note": self.note}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        data = dict(data)
        data["marks"] = [tuple(m) for m in data.get("marks", [])]
        return cls(**data)


@dataclass
class DocScore:
    counts: dict[str, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)  # (gold label, predicted label)
    edges: dict[str, Counter] = field(default_factory=dict)  # side -> (from, to) counts

    def add(self, name: str, value: int = 1) -> None:
        if value:
            self.counts[name] = self.counts.get(name, 0) + value


@dataclass(frozen=True)
class LabelGroup:
    """A family of per-label metrics drawn as one bar chart: label -> metric name."""

    title: str
    bars: tuple[tuple[str, str], ...]


class Task:
    """Base class of the task scorers (events, actors, blame, stance, plover)."""

    name: str = ""
    settings: tuple[str, ...] = (E2E,)
    item_kinds: tuple[str, ...] = ()

    def columns(self, settings: tuple[str, ...]) -> list[str]:
        raise NotImplementedError

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        raise NotImplementedError

    def context(self, totals: dict[str, float], settings: tuple[str, ...]) -> dict[str, Any]:
        """What metric definitions depend on beyond the columns (e.g. labels in the gold)."""
        return {"settings": list(settings)}

    def metrics(self, ctx: dict[str, Any]) -> dict[str, Metric]:
        raise NotImplementedError

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def groups(self, ctx: dict[str, Any]) -> list[LabelGroup]:
        return []

    def support(self, totals: dict[str, float], ctx: dict[str, Any]) -> dict[str, int]:
        """Gold counts behind the figures, shown beside them."""
        return {}


class SentenceIndex:
    """Which sentence holds an offset, by bisection (Document.sentence_index scans)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.starts = [s for s, _ in doc.sentences]
        self.ordered = self.starts == sorted(self.starts)
        self._located: dict[int | None, tuple[int | None, str, int]] = {}

    def index(self, offset: int) -> int | None:
        if not self.ordered:
            return self.doc.sentence_index(offset)
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.doc.sentences[i][1]:
            return i
        return None

    def locate(self, offset: int) -> tuple[int | None, str, int]:
        """(sentence index, sentence text, its start offset); the whole text when outside."""
        i = self.index(offset)
        found = self._located.get(i)
        if found is None:  # one string per sentence: the items' lines quote it once
            if i is None:
                found = None, self.doc.text, 0
            else:
                s, e = self.doc.sentences[i]
                found = i, self.doc.text[s:e], s
            self._located[i] = found
        return found


def make_item(doc: Document, kind: str, key: str, outcome: str, label: str,
              marks: list[tuple[int, int, str]], note: str = "",
              sentences: SentenceIndex | None = None) -> Item:
    start = min([m[0] for m in marks]) if marks else 0
    sent, text, offset = (sentences or SentenceIndex(doc)).locate(start)
    end = offset + len(text)
    # a record may reach over a sentence boundary: then show the stretch that holds it
    if marks and (start < offset or max([m[1] for m in marks]) > end):
        offset = min(offset, start)
        end = max(end, max([m[1] for m in marks]))
        text = doc.text[offset:end]
    return Item(kind=kind, doc=doc.id, key=key, outcome=outcome, label=label, sentence=sent,
                text=text, offset=offset, marks=marks, note=note)
