"""The numpy span selection of the span categorizer keeps exactly spaCy's spans and scores.

A real spancat, initialized (random weights: scores spread around 0.5, so many candidates
pass the threshold and many do not) over real corpus sentences.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from standoff.core.io import read_documents
from standoff.models.families.spacy_speed import speed_up_spancat

REPO = Path(__file__).resolve().parents[2]


def spans_of(doc) -> tuple[str | None, list[tuple[int, int, str, float]]]:
    group = doc.spans["sc"]
    scores = group.attrs.get("scores")
    dtype = None if scores is None else str(scores.dtype)
    return dtype, [(s.start, s.end, s.label_, float(x))
                   for s, x in zip(group, [] if scores is None else scores, strict=True)]


@pytest.mark.parametrize("threshold", [0.5, 0.0, 1.01])
def test_same_spans_and_scores_as_spacy(threshold: float) -> None:
    docs = list(read_documents(REPO / "corpus" / "documents.jsonl"))[:3]
    texts = [d.text[s:e] for d in docs for s, e in d.sentences] + [""]
    nlp = spacy.blank("en")
    spancat = nlp.add_pipe("spancat", config={"threshold": threshold,
                                             "suggester": {"@misc": "spacy.ngram_suggester.v1",
                                                           "sizes": [1, 2, 3]}})
    for label in ("ACTOR", "EVENT:ASSAULT", "BLAME:accuse"):
        spancat.add_label(label)
    nlp.initialize(lambda: [Example(nlp.make_doc(t), nlp.make_doc(t)) for t in texts[:5]])
    expected = [spans_of(d) for d in nlp.pipe(texts)]
    assert speed_up_spancat(nlp)
    got = [spans_of(d) for d in nlp.pipe(texts)]
    assert got == expected
    kept = sum(len(spans) for _, spans in expected)
    assert (kept > 0) == (threshold <= 0.5)
