"""Deterministic, hash-based document splits: adding documents never moves old ones."""

from __future__ import annotations

import hashlib

SPLIT_BOUNDS = (("train", 0.70), ("dev", 0.85), ("test", 1.0))


def assign_split(doc_id: str, override: str | None = None) -> str:
    """train/dev/test from sha256(doc id); a metadata `split:` pins a document explicitly."""
    if override:
        return override
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64
    for name, bound in SPLIT_BOUNDS:
        if point < bound:
            return name
    return "test"
