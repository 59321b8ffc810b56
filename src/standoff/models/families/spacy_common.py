"""Shared helpers of the spaCy family: training overrides and safe pipeline loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from standoff.core.errors import StandoffError
from standoff.models.families.spacy_speed import speed_up
from standoff.models.text import Mention


def training_overrides(config: dict, seed: int) -> dict[str, Any]:
    t = config.get("training", {})
    return {"system.seed": seed, "training.max_epochs": int(t.get("max_epochs", 10)),
            "training.patience": int(t.get("patience", 300)),
            "training.dropout": float(t.get("dropout", 0.1)),
            "training.eval_frequency": int(t.get("eval_frequency", 50))}


def load_pipeline(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise StandoffError("spaCy pipeline is missing", file=str(path), hint="retrain the model")
    try:
        nlp = spacy.load(path)
    except Exception as err:  # spaCy raises many kinds on damaged directories
        raise StandoffError(f"cannot load the spaCy pipeline: {err}", file=str(path),
                            hint="the directory is damaged; retrain the model") from err
    speed_up(nlp)
    return nlp


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Within a layer, keep the best-scoring of overlapping spans."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.score or 0), m.start, m.end, m.label)):
        if not any(k.layer == m.layer and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.layer))
