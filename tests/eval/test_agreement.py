"""The harness's figures equal nervaluate's and scikit-learn's on the same data."""

from __future__ import annotations

import numpy as np
import pytest
from nervaluate import Evaluator
from sklearn.metrics import classification_report

from standoff.core.records import sentence_event_types
from standoff.core.schema import EVENT_TYPES
from standoff.eval.base import E2E
from standoff.eval.events import EventsTask, trigger_ents
from standoff.eval.runner import score_documents, summarize
from standoff.eval.synthetic import perturb

SCHEMES = ("strict", "exact", "partial", "ent_type")


def _score(gold_docs, preds):
    scored = score_documents(EventsTask(), gold_docs, {E2E: {p.id: p for p in preds}},
                             progress=False)
    return summarize(scored, resamples=0)["metrics"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trigger_figures_equal_nervaluate(gold_docs, seed: int) -> None:
    preds = [perturb(d, seed=seed, drop=0.2, shift=0.25, relabel=0.2, spurious=0.2)
             for d in gold_docs]
    ours = _score(gold_docs, preds)

    def spans(doc):  # the very spans we score, with nervaluate's inclusive ends
        return [{"label": e.label, "start": e.start, "end": e.end - 1}
                for e in trigger_ents(doc)]

    theirs = Evaluator([spans(d) for d in gold_docs], [spans(p) for p in preds],
                       tags=list(EVENT_TYPES), loader="dict").evaluate()
    checked = 0
    for scheme in SCHEMES:
        r = theirs["overall"][scheme]
        for metric in ("precision", "recall", "f1"):
            assert ours[f"trigger.{scheme}.{metric}"]["value"] == pytest.approx(
                getattr(r, metric), abs=1e-12)
        for label, per_scheme in theirs["entities"].items():
            r = per_scheme[scheme]
            for metric in ("precision", "recall", "f1"):
                assert ours[f"trigger.{scheme}.{label}.{metric}"]["value"] == pytest.approx(
                    getattr(r, metric), abs=1e-12), (scheme, label, metric)
                checked += 1
    assert checked > 50  # many types were really compared, not an empty loop


def _indicators(docs, preds):
    y_true, y_pred = [], []
    for gold, pred in zip(docs, preds, strict=True):
        pred = pred.model_copy(update={"sentences": gold.sentences})
        for g, p in zip(sentence_event_types(gold), sentence_event_types(pred), strict=True):
            y_true.append([t in g for t in EVENT_TYPES])
            y_pred.append([t in p for t in EVENT_TYPES])
    return np.array(y_true, dtype=int), np.array(y_pred, dtype=int)


@pytest.mark.parametrize("seed", [0, 3])
def test_sentence_figures_equal_sklearn_classification_report(gold_docs, seed: int) -> None:
    preds = [perturb(d, seed=seed, drop=0.25, relabel=0.25, spurious=0.2) for d in gold_docs]
    ours = _score(gold_docs, preds)
    y_true, y_pred = _indicators(gold_docs, preds)
    report = classification_report(y_true, y_pred, target_names=list(EVENT_TYPES),
                                   output_dict=True, zero_division=0)
    for metric, short in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
        assert ours[f"sentence.micro.{metric}"]["value"] == pytest.approx(
            report["micro avg"][short], abs=1e-12)
        for t in EVENT_TYPES:
            if f"sentence.{t}.{metric}" in ours:
                assert ours[f"sentence.{t}.{metric}"]["value"] == pytest.approx(
                    report[t][short], abs=1e-12)
    # macro: averaged over the event types the gold holds
    present = [i for i, t in enumerate(EVENT_TYPES) if y_true[:, i].any()]
    macro = classification_report(y_true, y_pred, labels=present, output_dict=True,
                                   zero_division=0)["macro avg"]
    for metric, short in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
        assert ours[f"sentence.macro.{metric}"]["value"] == pytest.approx(macro[short],
                                                                          abs=1e-12)
    assert 0 < ours["sentence.micro.f1"]["value"] < 1  # the perturbation really did something
