"""Actors: mention spans (exact and overlapping) and their normalization to codes."""

from __future__ import annotations

from typing import Any

from standoff.core import records
from standoff.core.model import Document
from standoff.eval.base import E2E, DocScore, LabelGroup, SentenceIndex, Task, make_item
from standoff.eval.counts import Metric, Sums, accuracy_metric, f_score, ratio
from standoff.eval.matching import Mention, match_mentions


def mentions(doc: Document) -> list[Mention]:
    found = [Mention(m.start, m.end, m.code) for m in records.actor_mentions(doc)]
    return sorted(found, key=lambda m: (m.start, m.end, m.code or ""))


def _prf(prefix: str, tp: str) -> dict[str, Metric]:
    def precision(s: Sums):
        return ratio(s[tp], s["pred"])

    def recall(s: Sums):
        return ratio(s[tp], s["gold"])

    def f1(s: Sums):
        return f_score(precision(s), recall(s))

    return {f"{prefix}.precision": precision, f"{prefix}.recall": recall, f"{prefix}.f1": f1}


class ActorsTask(Task):
    name = "actors"
    item_kinds = ("actor",)

    def columns(self, settings: tuple[str, ...]) -> list[str]:
        return ["gold", "pred", "exact", "overlap", "code_exact", "code_overlap"]

    def score(self, gold: Document, preds: dict[str, Document]) -> DocScore:
        g, p = mentions(gold), mentions(preds[E2E])
        match = match_mentions(g, p)
        out = DocScore()
        out.add("gold", len(g))
        out.add("pred", len(p))
        out.add("exact", len(match.exact))
        out.add("overlap", len(match.exact) + len(match.overlap))
        right = [(pi, gi) for pi, gi in match.exact if p[pi].code == g[gi].code]
        out.add("code_exact", len(right))
        out.add("code_overlap", len(right) + sum(p[pi].code == g[gi].code
                                                 for pi, gi in match.overlap))
        self._items(gold, g, p, match, out)
        return out

    @staticmethod
    def _items(doc: Document, g: list[Mention], p: list[Mention], match, out: DocScore) -> None:
        """Errors of the linked view: a mention counts when its span and code are right."""
        right = [(pi, gi) for pi, gi in match.exact if p[pi].code == g[gi].code]
        right_pred, right_gold = {a for a, _ in right}, {b for _, b in right}
        near = {pi: gi for pi, gi in match.exact + match.overlap}
        near_gold = {gi: pi for pi, gi in near.items()}
        sents = SentenceIndex(doc)  # one per document, not one per item

        def key(m: Mention) -> str:
            return f"actor:{m.start}-{m.end}:{m.code}"

        for gi, m in enumerate(g):
            if gi in right_gold:
                continue
            marks = [(m.start, m.end, "gold")]
            note = ""
            if gi in near_gold:
                q = p[near_gold[gi]]
                marks.append((q.start, q.end, "pred"))
                note = f"predicted {doc.text[q.start:q.end]!r} as {q.code}"
            out.items.append(make_item(doc, "actor", key(m), "fn", m.code or "?", marks, note,
                                       sentences=sents))
        for pi, m in enumerate(p):
            if pi in right_pred:
                continue
            marks = [(m.start, m.end, "pred")]
            note = ""
            if pi in near:
                t = g[near[pi]]
                marks.append((t.start, t.end, "gold"))
                note = f"gold {doc.text[t.start:t.end]!r} is {t.code}"
            out.items.append(make_item(doc, "actor", key(m), "fp", m.code or "?", marks, note,
                                       sentences=sents))

    def metrics(self, ctx: dict[str, Any]) -> dict[str, Metric]:
        out = {**_prf("exact", "exact"), **_prf("overlap", "overlap"),
               **_prf("linked", "code_exact")}
        out["normalization.accuracy"] = accuracy_metric("code_exact", "exact")
        out["normalization.accuracy_overlap"] = accuracy_metric("code_overlap", "overlap")
        return out

    def headline(self, ctx: dict[str, Any]) -> list[str]:
        return ["exact.f1", "overlap.f1", "normalization.accuracy", "linked.f1"]

    def groups(self, ctx: dict[str, Any]) -> list[LabelGroup]:
        return [LabelGroup("Mention spans and codes", tuple(
            (f"{v} {m}", f"{v}.{m}") for v in ("exact", "overlap", "linked")
            for m in ("precision", "recall", "f1")) + (
            ("normalization", "normalization.accuracy"),))]

    def support(self, totals: dict[str, float], ctx: dict[str, Any]) -> dict[str, int]:
        return {"gold": int(totals["gold"]), "predicted": int(totals["pred"]),
                "normalization.accuracy": int(totals["exact"])}
