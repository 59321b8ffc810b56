"""The seed store: one `<id>.txt` per article and its metadata in `<id>.yaml`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standoff.core.errors import StandoffError
from standoff.core.yamlio import load_yaml, read_text

DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
META_KEYS = {"id", "title", "outlet", "date", "url", "provenance", "events", "voice", "dyad",
             "split", "language", "license", "notes"}
PROVENANCES = {"seed", "authored", "imported"}


@dataclass
class SeedArticle:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def read_seed(txt: Path) -> SeedArticle:
    doc_id = txt.stem
    if not DOC_ID.match(doc_id):
        raise StandoffError("document id (file name) must be letters, digits, '_', '.', '-'",
                            file=str(txt))
    text = read_text(txt)
    if not text.strip():
        raise StandoffError("empty text", file=str(txt), record=doc_id,
                            hint="remove the file or write the article")
    meta_path = txt.with_suffix(".yaml")
    meta: dict[str, Any] = {}
    if meta_path.exists():
        meta = load_yaml(meta_path) or {}
        if not isinstance(meta, dict):
            raise StandoffError("metadata must be a mapping", file=str(meta_path))
        unknown = set(meta) - META_KEYS
        if unknown:
            raise StandoffError(f"unknown metadata key(s) {sorted(unknown)}", file=str(meta_path),
                                hint=f"allowed: {', '.join(sorted(META_KEYS))}")
        if meta.get("id", doc_id) != doc_id:
            raise StandoffError(f"id {meta['id']!r} differs from the file name {doc_id!r}",
                                file=str(meta_path), field="id")
        if meta.get("provenance", "seed") not in PROVENANCES:
            raise StandoffError(f"provenance must be one of {sorted(PROVENANCES)}",
                                file=str(meta_path), field="provenance")
        if meta.get("split") not in (None, "train", "dev", "test"):
            raise StandoffError("split must be train, dev or test", file=str(meta_path),
                                field="split")
        meta = {k: (str(v) if k == "date" else v) for k, v in meta.items() if k != "id"}
    return SeedArticle(id=doc_id, text=text, meta=meta, path=txt)


def iter_seeds(folder: Path) -> Iterator[SeedArticle]:
    if not Path(folder).is_dir():
        raise StandoffError("seed folder not found", file=str(folder))
    for txt in sorted(Path(folder).glob("*.txt")):
        yield read_seed(txt)
