"""Speed-ups of a loaded or trained spaCy pipeline that leave its results unchanged.

- the entity ruler matches by a first-word index (`spacy_ruler`);
- the span categorizer keeps its spans with one numpy `nonzero` over the score matrix
  instead of a Python loop over every candidate and label (same spans, same order, same
  scores; only for the multi-label case without `max_positive`, the family's setting).

Both replace a method on the component instance, so the saved pipeline is untouched.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.pipeline.spancat import SpanCategorizer
from spacy.tokens import Doc, Span, SpanGroup

from standoff.models.families.spacy_ruler import speed_up_ruler


def _fast_span_group(spancat: SpanCategorizer):
    def make_span_group(doc: Doc, indices, scores) -> SpanGroup:
        spans = SpanGroup(doc, name=spancat.key)
        if scores.size == 0:
            return spans
        scores = spancat.model.ops.to_numpy(scores)
        indices = spancat.model.ops.to_numpy(indices)
        rows, cols = numpy.nonzero(scores >= spancat.cfg["threshold"])  # row-major order
        if spancat._negative_label_i is not None:
            rows, cols = (a[cols != spancat._negative_label_i] for a in (rows, cols))
        labels = spancat.labels
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            spans.append(Span(doc, int(indices[i, 0]), int(indices[i, 1]), label=labels[j]))
        spans.attrs["scores"] = numpy.array(list(scores[rows, cols]))
        return spans

    return make_span_group


def speed_up_spancat(nlp: Language) -> bool:
    """Give each multi-label span categorizer the numpy span selection."""
    done = False
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, SpanCategorizer) and pipe.cfg.get("max_positive") is None:
            pipe._make_span_group_multilabel = _fast_span_group(pipe)  # type: ignore
            done = True
    return done


def speed_up(nlp: Language) -> Language:
    """All the result-preserving speed-ups this module knows, applied in place."""
    speed_up_ruler(nlp)
    speed_up_spancat(nlp)
    return nlp
