"""Events: sentence-level multi-label types, and trigger spans under the SemEval schemes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from standoff.core import records
from standoff.core.model import Document
from standoff.core.schema import EVENT_TYPES
from standoff.eval.base import E2E, DocScore, LabelGroup, Task, make_item
from standoff.eval.counts import Metric, Sums, f_score, present_mean, prf_metrics, ratio
from standoff.eval.matching import SCHEMES, Ent, match_scheme, sort_ents

SHORT = ("cor", "inc", "par", "mis", "spu")
ALL = "ALL"
NONE = "—"  # the empty row/column of the confusion matrix


def trigger_ents(doc: Document) -> list[Ent]:
    return sort_ents([Ent(m.start, m.end, m.label) for m in records.triggers(doc)])


def on_gold_sentences(pred: Document, gold: Document) -> Document:
    """Predictions projected onto the gold's sentences, so both sides index them alike."""
    if pred.sentences == gold.sentences:
        return pred
    return pred.model_copy(update={"sentences": gold.sentences})


def scheme_metrics(prefix: str, col: str, weighted: bool) -> dict[str, Metric]:
    """nervaluate's precision/recall: partial matches count half under partial/ent_type."""
    half = 0.5 if weighted else 0.0

    def hits(s: Sums):
        return s[f"{col}.cor"] + half * s[f"{col}.par"]

    def actual(s: Sums):
        return s[f"{col}.cor"] + s[f"{col}.inc"] + s[f"{col}.par"] + s[f"{col}.spu"]

    def possible(s: Sums):
        return s[f"{col}.cor"] + s[f"{col}.inc"] + s[f"{col}.par"] + s[f"{col}.mis"]

    def precision(s: Sums):
        return ratio(hits(s), actual(s))

    def recall(s: Sums):
        return ratio(hits(s), possible(s))

    def f1(s: Sums):
        return f_score(precision(s), recall(s))

    return {f"{prefix}.precision": precision, f"{prefix}.recall": recall, f"{prefix}.f1": f1}


def _support(prefix: str) -> Metric:
    return lambda s: s[f"{prefix}.tp"] + s[f"{prefix}.fn"]


class EventsTask(Task):
    name = "events"
    item_kinds = ("trigger", "sentence")

    def columns(self, settings: tuple[str, ...]) -> list[str]:
        cols = [f"sent.{t}.{c}" for t in EVENT_TYPES for c in ("tp", "fp", "fn")]
        cols += [f"trig.{s}.{t}.{c}" for s in SCHEMES for t in (ALL, *EVENT_TYPES)
                 for c in SHORT]
        return cols + ["sentences"]

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        pred = on_gold_sentences(preds[E2E], gold)
        out = DocScore()
        out.add("sentences", len(gold.sentences))
        self._sentences(gold, pred, out)
        self._triggers(gold, pred, out)
        return out

    def _sentences(self, gold: Document, pred: Document, out: DocScore) -> None:
        g_types, p_types = records.sentence_event_types(gold), records.sentence_event_types(pred)
        g_trig, p_trig = trigger_ents(gold), trigger_ents(pred)
        for i, (g, p) in enumerate(zip(g_types, p_types, strict=True)):
            for t, outcome in [(t, "tp") for t in g & p] + [(t, "fp") for t in p - g] + [
                    (t, "fn") for t in g - p]:
                out.add(f"sent.{t}.{outcome}")
                if outcome == "tp":
                    continue
                s, e = gold.sentences[i]
                marks = [(x.start, x.end, "gold") for x in g_trig
                         if x.label == t and s <= x.start < e]
                marks += [(x.start, x.end, "pred") for x in p_trig
                          if x.label == t and s <= x.start < e]
                out.items.append(make_item(gold, "sentence", f"sent:{i}:{t}", outcome, t,
                                           marks or [(s, s, "gold")]))

    def _triggers(self, gold: Document, pred: Document, out: DocScore) -> None:
        trues, guesses = trigger_ents(gold), trigger_ents(pred)
        for scheme in SCHEMES:
            res = match_scheme(trues, guesses, scheme)
            for name, n in zip(SHORT, res.counts(), strict=True):
                out.add(f"trig.{scheme}.{ALL}.{name}", n)
            for t in {e.label for e in trues} | {e.label for e in guesses}:
                sub = match_scheme([e for e in trues if e.label == t],
                                   [e for e in guesses if e.label == t], scheme)
                for name, n in zip(SHORT, sub.counts(), strict=True):
                    out.add(f"trig.{scheme}.{t}.{name}", n)
            if scheme == "strict":
                self._trigger_items(gold, trues, guesses, res, out)
            if scheme == "exact":  # boundary-aligned pairs: which type became which
                out.confusion.update((trues[g].label, guesses[p].label) for p, g, _ in res.pairs)
                out.confusion.update((trues[g].label, NONE) for g in res.missed_idx)
                out.confusion.update((NONE, guesses[p].label) for p in res.spurious_idx)

    @staticmethod
    def _trigger_items(gold: Document, trues, guesses, res, out: DocScore) -> None:
        def item(ent: Ent, outcome: str, marks, note: str = "") -> None:
            key = f"trig:{ent.start}-{ent.end}:{ent.label}"
            out.items.append(make_item(gold, "trigger", key, outcome, ent.label, marks, note))

        for p, g, outcome in res.pairs:
            if outcome == "incorrect":
                t, q = trues[g], guesses[p]
                marks = [(t.start, t.end, "gold"), (q.start, q.end, "pred")]
                item(t, "fn", marks, f"predicted {q.label} {gold.text[q.start:q.end]!r}")
                item(q, "fp", marks, f"gold {t.label} {gold.text[t.start:t.end]!r}")
        for g in res.missed_idx:
            item(trues[g], "fn", [(trues[g].start, trues[g].end, "gold")])
        for p in res.spurious_idx:
            item(guesses[p], "fp", [(guesses[p].start, guesses[p].end, "pred")])

    # -- metrics -----------------------------------------------------------------------

    def context(self, totals: dict[str, float], settings: tuple[str, ...]) -> dict[str, Any]:
        gold_types = [t for t in EVENT_TYPES
                      if totals[f"sent.{t}.tp"] + totals[f"sent.{t}.fn"] > 0]
        seen = [t for t in EVENT_TYPES
                if any(totals[f"sent.{t}.{c}"] for c in ("tp", "fp", "fn"))
                or any(totals[f"trig.strict.{t}.{c}"] for c in SHORT)]
        return {"settings": list(settings), "labels": gold_types, "shown": seen}

    def metrics(self, ctx: dict[str, Any]) -> dict[str, Metric]:
        out: dict[str, Metric] = {}
        per_type = {t: prf_metrics(f"sentence.{t}", f"sent.{t}.tp", f"sent.{t}.fp",
                                   f"sent.{t}.fn") for t in EVENT_TYPES}

        def micro_total(kind: str):
            return lambda s: sum(s[f"sent.{t}.{kind}"] for t in EVENT_TYPES)

        tp, fp, fn = micro_total("tp"), micro_total("fp"), micro_total("fn")
        out["sentence.micro.precision"] = lambda s: ratio(tp(s), tp(s) + fp(s))
        out["sentence.micro.recall"] = lambda s: ratio(tp(s), tp(s) + fn(s))
        out["sentence.micro.f1"] = lambda s: f_score(out["sentence.micro.precision"](s),
                                                     out["sentence.micro.recall"](s))
        for m in ("precision", "recall", "f1"):
            out[f"sentence.macro.{m}"] = present_mean(
                [(per_type[t][f"sentence.{t}.{m}"], _support(f"sent.{t}")) for t in ctx["labels"]])
        for t in ctx["shown"]:
            out.update(per_type[t])
        for scheme in SCHEMES:
            weighted = scheme in ("partial", "ent_type")
            out.update(scheme_metrics(f"trigger.{scheme}", f"trig.{scheme}.{ALL}", weighted))
            for t in ctx["shown"]:
                out.update(scheme_metrics(f"trigger.{scheme}.{t}", f"trig.{scheme}.{t}",
                                          weighted))
        return out

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        return ["sentence.micro.f1", "sentence.macro.f1"] + [
            f"trigger.{s}.f1" for s in SCHEMES]

    def groups(self, ctx: dict[str, Any]) -> list[LabelGroup]:
        return [
            LabelGroup("Sentence-level F1 per event type",
                       tuple((t, f"sentence.{t}.f1") for t in ctx["shown"])),
            LabelGroup("Trigger F1 per event type (strict)",
                       tuple((t, f"trigger.strict.{t}.f1") for t in ctx["shown"])),
        ]

    def support(self, totals: dict[str, float], ctx: dict[str, Any]) -> dict[str, int]:
        out = {"sentence.micro": int(sum(totals[f"sent.{t}.tp"] + totals[f"sent.{t}.fn"]
                                         for t in EVENT_TYPES)),
               "sentences": int(totals["sentences"])}
        for t in ctx["shown"]:
            out[f"sentence.{t}"] = int(totals[f"sent.{t}.tp"] + totals[f"sent.{t}.fn"])
            out[f"trigger.strict.{t}"] = int(sum(totals[f"trig.strict.{t}.{c}"]
                                                 for c in ("cor", "inc", "par", "mis")))
        out["trigger"] = int(sum(totals[f"trig.strict.{ALL}.{c}"]
                                 for c in ("cor", "inc", "par", "mis")))
        return out


def confusion_labels(confusion: Counter) -> list[str]:
    seen = {g for g, _ in confusion} | {p for _, p in confusion}
    return [t for t in EVENT_TYPES if t in seen] + ([NONE] if NONE in seen else [])
