"""Blame and stance: records matched strictly (spans) and leniently (actor codes).

A record is a key: strict keys hold the offsets of the actor spans (and their codes,
so a strict match is always a lenient one), lenient keys only the codes. Keys are
compared as multisets per document, so a duplicated prediction is a false positive
and two gold records with one key need two hits.
Both settings are scored when present: end to end (the model found the actors) and
given gold actors (it only had to relate them), which shows where errors come from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from standoff.core import records
from standoff.core.model import Document
from standoff.core.records import Mention
from standoff.eval.base import (
    E2E,
    GOLD_ACTORS,
    DocScore,
    LabelGroup,
    SentenceIndex,
    Task,
    make_item,
)
from standoff.eval.counts import Metric, mean_metric, prf_metrics, summed_prf_metrics
from standoff.eval.matching import match_multiset

MODES = ("strict", "lenient")


def _at(m: Mention | None) -> tuple[int, int, str | None] | None:
    """A mention's offsets and code: strict matching wants both (so strict <= lenient)."""
    return None if m is None else (m.start, m.end, _code(m))


def _code(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.code if m.label == "ACTOR" else f"EVENT:{m.label}"


def _marks(mentions: list[Mention | None], role: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, role) for m in mentions if m is not None]


class _RecordTask(Task):
    labels: tuple[str, ...] = ()
    settings = (E2E, GOLD_ACTORS)

    # subclasses say how to read records and key them
    def records(self, doc: Document) -> list[Any]:
        raise NotImplementedError

    def keys(self, rec: Any) -> dict[str, tuple]:
        raise NotImplementedError

    def describe(self, doc: Document, rec: Any) -> str:
        raise NotImplementedError

    def parts(self, rec: Any) -> list[Mention | None]:
        raise NotImplementedError

    def columns(self, settings: tuple[str, ...]) -> list[str]:
        return [f"{s}.{m}.{lab}.{c}" for s in settings for m in MODES for lab in self.labels
                for c in ("tp", "fp", "fn")]

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        out = DocScore()
        gold_recs = self.records(gold)
        for setting, pred in preds.items():
            pred_recs = self.records(pred)
            for mode in MODES:
                tp, fp, fn = match_multiset([self.keys(r)[mode] for r in gold_recs],
                                            [self.keys(r)[mode] for r in pred_recs])
                for name, counter in (("tp", tp), ("fp", fp), ("fn", fn)):
                    for key, n in counter.items():
                        out.add(f"{setting}.{mode}.{key[0]}.{name}", n)
                if mode == "strict":
                    kind = self.name if setting == E2E else f"{self.name}@{setting}"
                    self._items(gold, kind, gold_recs, fn, "fn", "gold", out)
                    self._items(gold, kind, pred_recs, fp, "fp", "pred", out)
            if setting == E2E:
                out.edges = {"gold": self.edges(gold_recs), "predicted": self.edges(pred_recs)}
        return out

    def _items(self, doc: Document, kind: str, recs: list[Any], wrong: Counter, outcome: str,
               role: str, out: DocScore) -> None:
        left = Counter(wrong)
        sents = SentenceIndex(doc) if wrong else None  # one per document, not one per item
        for rec in recs:
            key = self.keys(rec)["strict"]
            if left[key] <= 0:
                continue
            left[key] -= 1
            out.items.append(make_item(doc, kind, f"{self.name}:{key}", outcome, key[0],
                                       _marks(self.parts(rec), role), self.describe(doc, rec),
                                       sentences=sents))

    def edges(self, recs: list[Any]) -> Counter:
        return Counter()

    # -- metrics -----------------------------------------------------------------------

    def metrics(self, ctx: dict[str, Any]) -> dict[str, Metric]:
        out: dict[str, Metric] = {}
        for s in ctx["settings"]:
            for m in MODES:
                base = f"{s}.{m}"
                out.update(summed_prf_metrics(f"{base}.micro", [
                    (f"{base}.{lab}.tp", f"{base}.{lab}.fp", f"{base}.{lab}.fn")
                    for lab in self.labels]))
                for lab in self.labels:
                    out.update(prf_metrics(f"{base}.{lab}", f"{base}.{lab}.tp",
                                           f"{base}.{lab}.fp", f"{base}.{lab}.fn"))
                out.update(self.extra_metrics(base, out))
        return out

    def extra_metrics(self, base: str, out: dict[str, Metric]) -> dict[str, Metric]:
        return {}

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        return [f"{s}.{m}.micro.f1" for s in ctx["settings"] for m in MODES]

    def groups(self, ctx: dict[str, Any]) -> list[LabelGroup]:
        return [LabelGroup(f"F1 per {self.label_name}, {m}",
                           tuple((f"{lab} ({s.replace('_', ' ')})", f"{s}.{m}.{lab}.f1")
                                 for s in ctx["settings"] for lab in self.labels))
                for m in MODES]

    label_name = "label"

    def support(self, totals: dict[str, float], ctx: dict[str, Any]) -> dict[str, int]:
        """Gold records per label; the same in every setting and mode."""
        out = {}
        for s in ctx["settings"]:
            for m in MODES:
                for lab in self.labels:
                    out[f"{s}.{m}.{lab}"] = int(totals[f"{s}.{m}.{lab}.tp"]
                                                + totals[f"{s}.{m}.{lab}.fn"])
                out[f"{s}.{m}.micro"] = sum(out[f"{s}.{m}.{lab}"] for lab in self.labels)
        return out


class BlameTask(_RecordTask):
    name = "blame"
    labels = ("accuse", "deny")
    label_name = "act"
    item_kinds = ("blame", "blame@gold_actors")

    def records(self, doc: Document) -> list[records.BlameRecord]:
        return records.blame_records(doc)

    def keys(self, rec: records.BlameRecord) -> dict[str, tuple]:
        return {"strict": (rec.act, _at(rec.blamer), _at(rec.blamed)),
                "lenient": (rec.act, _code(rec.blamer), _code(rec.blamed))}

    def parts(self, rec: records.BlameRecord) -> list[Mention | None]:
        return [rec.cue, rec.blamer, rec.blamed]

    def describe(self, doc: Document, rec: records.BlameRecord) -> str:
        who = _code(rec.blamer) or "(no blamer)"
        return (f"{who} {rec.act} → {_code(rec.blamed)} "
                f"(cue {doc.text[rec.cue.start:rec.cue.end]!r})")

    def edges(self, recs: list[records.BlameRecord]) -> Counter:
        """Who blames whom: accusations only (a denial is the accused answering back)."""
        return Counter((_code(r.blamer), _code(r.blamed)) for r in recs
                       if r.act == "accuse" and r.blamer is not None)


class StanceTask(_RecordTask):
    name = "stance"
    labels = ("support", "oppose", "neutral")
    label_name = "polarity"
    item_kinds = ("stance", "stance@gold_actors")

    def records(self, doc: Document) -> list[records.StanceRecord]:
        return records.stance_records(doc)

    def keys(self, rec: records.StanceRecord) -> dict[str, tuple]:
        return {"strict": (rec.polarity, _at(rec.holder), _at(rec.target)),
                "lenient": (rec.polarity, _code(rec.holder), _code(rec.target))}

    def parts(self, rec: records.StanceRecord) -> list[Mention | None]:
        return [rec.cue, rec.holder, rec.target]

    def describe(self, doc: Document, rec: records.StanceRecord) -> str:
        return (f"{_code(rec.holder)} {rec.polarity} → {_code(rec.target)} "
                f"(cue {doc.text[rec.cue.start:rec.cue.end]!r})")

    def extra_metrics(self, base: str, out: dict[str, Metric]) -> dict[str, Metric]:
        f1: Callable = lambda lab: out[f"{base}.{lab}.f1"]  # noqa: E731
        return {f"{base}.macro.f1": mean_metric([f1(lab) for lab in self.labels]),
                # SemEval-2016 task 6: the mean of the FAVOR and AGAINST F1 scores
                f"{base}.f_avg": mean_metric([f1("support"), f1("oppose")])}

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        return [f"{s}.{m}.{x}" for s in ctx["settings"] for m in MODES
                for x in ("micro.f1", "f_avg")]
