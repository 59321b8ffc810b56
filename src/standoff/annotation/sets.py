"""Folders of per-annotator gold files, and comparing annotation sets by content.

`annotation/gold/` and `annotation/annotators/<name>/` hold one gold-format YAML file per
document. Two sets have the same content when they have the same spans (label, offsets,
attributes) and the same relations between such spans, whatever their ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from standoff.annotation.goldfile import load_gold_file
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.model import AnnotationSet, Span

SpanKey = tuple[str, int, int, tuple[tuple[str, str], ...]]
RelationKey = tuple[str, SpanKey, SpanKey]


def span_key(span: Span) -> SpanKey:
    attrs = tuple(sorted((k, str(v)) for k, v in span.attrs.items() if v is not None))
    return (span.label, span.start, span.end, attrs)


def relation_keys(ann: AnnotationSet) -> list[RelationKey]:
    spans = ann.span_by_id()
    return [(r.label, span_key(spans[r.head]), span_key(spans[r.tail]))
            for r in ann.relations if r.head in spans and r.tail in spans]


def content(ann: AnnotationSet) -> tuple[Counter, Counter]:
    return Counter(span_key(s) for s in ann.spans), Counter(relation_keys(ann))


def same_content(a: AnnotationSet, b: AnnotationSet) -> bool:
    return content(a) == content(b)


def describe_change(old: AnnotationSet, new: AnnotationSet) -> str:
    """'+2 -1 spans, +0 -3 relations' between two sets."""
    (os_, or_), (ns, nr) = content(old), content(new)
    return (f"+{sum((ns - os_).values())} -{sum((os_ - ns).values())} spans, "
            f"+{sum((nr - or_).values())} -{sum((or_ - nr).values())} relations")


def load_folder(folder: Path, texts: dict[str, str],
                only: Iterable[str] | None = None) -> dict[str, AnnotationSet]:
    """doc id -> AnnotationSet for every `<doc id>.yaml` in a folder; all errors at once."""
    folder = Path(folder)
    if not folder.is_dir():
        raise StandoffError("annotation folder not found", file=str(folder),
                            hint="pass annotation/gold or annotation/annotators/<name>")
    wanted = set(only) if only is not None else None
    sets: dict[str, AnnotationSet] = {}
    errors: list[StandoffError] = []
    for path in sorted(folder.glob("*.yaml")):
        doc_id = path.stem
        if wanted is not None and doc_id not in wanted:
            continue
        if doc_id not in texts:
            errors.append(StandoffError("no text for this document", file=str(path),
                                        record=doc_id, hint=f"add seeds/{doc_id}.txt"))
            continue
        try:
            sets[doc_id] = load_gold_file(path, texts[doc_id], doc_id)
        except StandoffError as err:
            errors.append(err)
    if errors:
        raise ValidationErrors(errors)
    return sets


def source_name(folder: Path) -> str:
    """The annotator name of a folder: its own name (`gold` for annotation/gold)."""
    return Path(folder).resolve().name

