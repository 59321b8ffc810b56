"""`standoff corpus stats`: counts per layer, as a table or JSON with a fixed set of keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from standoff.core.model import Document
from standoff.core.schema import EVENT_TYPES


def corpus_stats(docs: Iterable[Document]) -> dict[str, Any]:
    """Exactly the keys documented in the README; every event type present, even at 0."""
    events: Counter[str] = Counter({t: 0 for t in EVENT_TYPES})
    blame: Counter[str] = Counter({"accuse": 0, "deny": 0})
    stance: Counter[str] = Counter({"support": 0, "oppose": 0, "neutral": 0})
    splits: Counter[str] = Counter({"train": 0, "dev": 0, "test": 0})
    n_docs = n_sents = n_tokens = n_actors = 0
    for doc in docs:
        n_docs += 1
        n_sents += len(doc.sentences)
        n_tokens += doc.tokens or 0
        if doc.split:
            splits[doc.split] += 1
        for span in doc.annotation.spans:
            if span.label == "ACTOR":
                n_actors += 1
            elif span.label == "EVENT":
                events[span.attrs.get("type")] += 1
            elif span.label == "BLAME":
                blame[span.attrs.get("act")] += 1
            elif span.label == "STANCE":
                stance[span.attrs.get("polarity")] += 1
    return {
        "documents": n_docs,
        "sentences": n_sents,
        "tokens": n_tokens,
        "actors": n_actors,
        "events": {t: events[t] for t in EVENT_TYPES},
        "blame": {k: blame[k] for k in ("accuse", "deny")},
        "stance": {k: stance[k] for k in ("support", "oppose", "neutral")},
        "splits": {k: splits[k] for k in ("train", "dev", "test")},
    }


def events_by_split(docs: Iterable[Document]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {"train": Counter(), "dev": Counter(), "test": Counter()}
    for doc in docs:
        for span in doc.annotation.spans:
            if span.label == "EVENT" and doc.split:
                out[doc.split][span.attrs["type"]] += 1
    return out
