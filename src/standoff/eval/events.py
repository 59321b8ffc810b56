"""Events: sentence-level multi-label types, and trigger spans under the SemEval schemes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from standoff.core.model import Document
from standoff.core.schema import EVENT_TYPES
from standoff.eval.base import E2E, DocScore, LabelGroup, SentenceIndex, Task, make_item
from standoff.eval.counts import Metric, Sums, f_score, present_mean, prf_metrics, ratio
from standoff.eval.matching import SCHEMES, Ent, match_schemes, sort_ents

SHORT = ("cor", "inc", "par", "mis", "spu")
ALL = "ALL"
NONE = "—"  # the empty row/column of the confusion matrix
# trigger count columns per (scheme, type), built once: scoring fills them for every document
COLUMNS = {(s, t): tuple(f"trig.{s}.{t}.{c}" for c in SHORT)
           for s in SCHEMES for t in (ALL, *EVENT_TYPES)}


def trigger_ents(doc: Document) -> list[Ent]:
    # what records.triggers gives (an EVENT's label is its type), without the Mention
    # objects in between: this runs twice for every document scored
    return sort_ents([Ent(s.start, s.end, s.attrs.get("type", "EVENT"))
                      for s in doc.annotation.spans if s.label == "EVENT"])


def _add_counts(out: DocScore, names: tuple[str, ...], values: tuple[int, ...]) -> None:
    """DocScore.add for a row of counts at once (hundreds per document)."""
    counts = out.counts
    for name, n in zip(names, values, strict=True):
        if n:
            counts[name] = counts.get(name, 0) + n


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
        cols += [name for names in COLUMNS.values() for name in names]
        return cols + ["sentences"]

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        sents = SentenceIndex(gold)  # predictions are read on the gold's sentences
        trues, guesses = trigger_ents(gold), trigger_ents(preds[E2E])
        out = DocScore()
        out.add("sentences", len(gold.sentences))
        self._sentences(gold, sents, trues, guesses, out)
        self._triggers(gold, sents, trues, guesses, out)
        return out

    @staticmethod
    def _by_sentence(ents: list[Ent], sents: SentenceIndex) -> dict[int, dict[str, list[Ent]]]:
        """sentence -> type -> triggers starting in it (as records.sentence_event_types)."""
        out: dict[int, dict[str, list[Ent]]] = {}
        for e in ents:
            i = sents.index(e.start)
            if i is not None:
                out.setdefault(i, {}).setdefault(e.label, []).append(e)
        return out

    def _sentences(self, gold: Document, sents: SentenceIndex, trues: list[Ent],
                   guesses: list[Ent], out: DocScore) -> None:
        g_sent, p_sent = self._by_sentence(trues, sents), self._by_sentence(guesses, sents)
        for i in sorted(g_sent.keys() | p_sent.keys()):
            g, p = g_sent.get(i, {}), p_sent.get(i, {})
            for t in g.keys() | p.keys():
                outcome = "tp" if t in g and t in p else "fn" if t in g else "fp"
                out.add(f"sent.{t}.{outcome}")
                if outcome == "tp":
                    continue
                marks = [(x.start, x.end, "gold") for x in g.get(t, [])]
                marks += [(x.start, x.end, "pred") for x in p.get(t, [])]
                out.items.append(make_item(gold, "sentence", f"sent:{i}:{t}", outcome, t,
                                           marks, sentences=sents))

    def _triggers(self, gold: Document, sents: SentenceIndex, trues: list[Ent],
                  guesses: list[Ent], out: DocScore) -> None:
        overall = match_schemes(trues, guesses)
        for scheme, res in overall.items():
            _add_counts(out, COLUMNS[scheme, ALL], res.counts())
        g_type: dict[str, list[Ent]] = {}
        p_type: dict[str, list[Ent]] = {}
        for e in trues:
            g_type.setdefault(e.label, []).append(e)
        for e in guesses:
            p_type.setdefault(e.label, []).append(e)
        for t in g_type.keys() | p_type.keys():
            per = match_schemes(g_type.get(t, []), p_type.get(t, []), single_label=True)
            for scheme, res in per.items():
                _add_counts(out, COLUMNS[scheme, t], res.counts())
        self._trigger_items(gold, sents, trues, guesses, overall["strict"], out)
        exact = overall["exact"]  # boundary-aligned pairs: which type became which
        out.confusion.update((trues[g].label, guesses[p].label) for p, g, _ in exact.pairs)
        out.confusion.update((trues[g].label, NONE) for g in exact.missed_idx)
        out.confusion.update((NONE, guesses[p].label) for p in exact.spurious_idx)

    @staticmethod
    def _trigger_items(gold: Document, sents: SentenceIndex, trues, guesses, res,
                       out: DocScore) -> None:
        def item(ent: Ent, outcome: str, marks, note: str = "") -> None:
            key = f"trig:{ent.start}-{ent.end}:{ent.label}"
            out.items.append(make_item(gold, "trigger", key, outcome, ent.label, marks, note,
                                       sentences=sents))

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
            gold_triggers = int(sum(totals[f"trig.strict.{t}.{c}"]
                                    for c in ("cor", "inc", "par", "mis")))
            out.update({f"trigger.{s}.{t}": gold_triggers for s in SCHEMES})
        out["trigger"] = int(sum(totals[f"trig.strict.{ALL}.{c}"]
                                 for c in ("cor", "inc", "par", "mis")))
        return out


def confusion_labels(confusion: Counter) -> list[str]:
    seen = {g for g, _ in confusion} | {p for _, p in confusion}
    return [t for t in EVENT_TYPES if t in seen] + ([NONE] if NONE in seen else [])
