"""`standoff annotate pull`: Label Studio annotations -> per-annotator gold-format files.

Every annotation is converted, checked (labels, offsets, relations, schema, actor codes)
and only then written, as `annotation/annotators/<annotator>/<doc id>.yaml`. Nothing is
written when anything fails. Gold (`annotation/gold`) is never written here: documents
whose annotation differs from gold are reported and wait for `standoff annotate
adjudicate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from standoff.annotation.goldfile import canonical, dump_gold, load_gold_file, parse_gold
from standoff.annotation.labelstudio.client import LabelStudioClient
from standoff.annotation.labelstudio.config import TEXT_FIELD
from standoff.annotation.labelstudio.convert import results_to_annotation
from standoff.annotation.sets import same_content
from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.io import write_text_atomic
from standoff.core.model import AnnotationSet, Document
from standoff.core.schema import Schema


@dataclass
class Pulled:
    """One annotator's annotation of one document, as pulled."""

    doc_id: str
    annotator: str
    text: str
    annotation: AnnotationSet
    task_id: int
    annotation_id: int


@dataclass
class PullReport:
    project: str
    annotations: int = 0
    written: list[str] = field(default_factory=list)  # "annotator/doc" paths, new or changed
    unchanged: int = 0
    differs_from_gold: list[str] = field(default_factory=list)
    same_as_gold: list[str] = field(default_factory=list)
    no_gold: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)  # older duplicates by one annotator
    cancelled: int = 0


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def fetch(client: LabelStudioClient, title: str, schema: Schema,
          actors: ActorRegistry | None, report: PullReport | None = None) -> list[Pulled]:
    """Every submitted annotation of a project, converted and validated (all errors at once)."""
    project = client.get_project(title)
    names = client.users()
    pulled: dict[tuple[str, str], tuple[str, Pulled]] = {}
    errors: list[StandoffError] = []
    for task in client.tasks(int(project.id)):
        data = task.data or {}
        doc_id, text = data.get("doc_id"), data.get(TEXT_FIELD)
        if not doc_id or not isinstance(text, str):
            continue  # a task not made by standoff push: nothing to map it to
        for ann in task.annotations or []:
            if _get(ann, "was_cancelled"):
                if report:
                    report.cancelled += 1
                continue
            who = _get(ann, "completed_by")
            who = who.get("id") if isinstance(who, dict) else who
            name = names.get(int(who), f"user-{who}") if who is not None else "unknown"
            where = (f"{client.conn.url} project {title!r} task {task.id} "
                     f"annotation {_get(ann, 'id')} ({name})")
            result, problems = results_to_annotation(
                _get(ann, "result") or [], text, schema, where, str(doc_id), annotator=name)
            doc = Document(id=str(doc_id), text=text, annotation=result)
            problems += [] if problems else schema.validate_document(doc, actors, where)
            errors += problems
            item = Pulled(str(doc_id), name, text, result, int(task.id), int(_get(ann, "id")))
            stamp = str(_get(ann, "updated_at") or "")
            key = (name, str(doc_id))
            if key in pulled and report:
                report.superseded.append(f"{name}/{doc_id}")
            if key not in pulled or stamp >= pulled[key][0]:
                pulled[key] = (stamp, item)
    if errors:
        raise ValidationErrors(errors)
    out = [item for _, item in pulled.values()]
    if report:
        report.annotations = len(out)
    return out


def render(item: Pulled) -> str:
    """The gold-format YAML of a pulled set, verified to read back to the same set."""
    text = dump_gold(item.annotation, item.text, item.doc_id)
    back = parse_gold(yaml.safe_load(text), item.text, f"{item.annotator}/{item.doc_id}",
                      item.doc_id)
    if canonical(back) != canonical(item.annotation):
        raise StandoffError("the gold-format file would not read back identically",
                            record=f"{item.annotator}/{item.doc_id}",
                            hint="report this as a bug, with the Label Studio task")
    return text


def pull(client: LabelStudioClient, title: str, schema: Schema, actors: ActorRegistry | None,
         out_dir: Path, gold_dir: Path, texts: dict[str, str] | None = None) -> PullReport:
    """Write every annotator's sets under out_dir/<annotator>/; compare them with gold."""
    if Path(out_dir).resolve() == Path(gold_dir).resolve():
        raise StandoffError("pull never writes gold", file=str(out_dir),
                            hint="pull to annotation/annotators, then `standoff annotate "
                                 "adjudicate ... --out annotation/gold`")
    report = PullReport(project=title)
    items = fetch(client, title, schema, actors, report)
    rendered = [(item, render(item)) for item in items]  # every file checked before any write
    for item, text in rendered:
        _compare_with_gold(item, gold_dir, texts, report)
        target = Path(out_dir) / item.annotator / f"{item.doc_id}.yaml"
        if target.exists() and target.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            continue
        write_text_atomic(target, text)
        report.written.append(f"{item.annotator}/{item.doc_id}")
    return report


def _compare_with_gold(item: Pulled, gold_dir: Path, texts: dict[str, str] | None,
                       report: PullReport) -> None:
    label = f"{item.annotator}/{item.doc_id}"
    if texts is not None and item.doc_id in texts and texts[item.doc_id] != item.text:
        report.text_changed.append(label)
    gold_file = Path(gold_dir) / f"{item.doc_id}.yaml"
    if not gold_file.exists():
        report.no_gold.append(label)
        return
    try:
        gold = load_gold_file(gold_file, item.text, item.doc_id)
    except StandoffError:
        report.differs_from_gold.append(label)  # gold no longer fits the annotated text
        return
    (report.same_as_gold if same_content(gold, item.annotation)
     else report.differs_from_gold).append(label)
