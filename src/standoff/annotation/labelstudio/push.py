"""`standoff annotate push`: documents -> Label Studio tasks, idempotently.

A task is keyed by the document id and a hash of its text. Pushing again creates no
duplicate tasks and never touches annotations made in Label Studio; a document whose text
changed since it was pushed is reported and left alone. Gold annotations can be pushed as
annotations (for review) and a model's output as predictions (pre-annotations) tagged
with its model version and, for active learning, a document-level confidence score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from standoff.annotation.labelstudio.client import LabelStudioClient, text_hash
from standoff.annotation.labelstudio.config import TEXT_FIELD, generate_config
from standoff.annotation.labelstudio.convert import annotation_to_results
from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError, ValidationErrors
from standoff.core.model import AnnotationSet, Document
from standoff.core.schema import Schema

BATCH = 50
UNCERTAINTY = "Uncertainty sampling"
ORDERS = ("uncertainty",)


@dataclass
class PushReport:
    project: str
    project_id: int = 0
    created_project: bool = False
    config_updated: bool = False
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    annotations_added: int = 0
    annotations_kept: list[str] = field(default_factory=list)
    predictions_added: int = 0
    predictions_updated: int = 0
    predictions_unchanged: int = 0
    model_version: str | None = None
    order: str | None = None


def confidence(ann: AnnotationSet) -> float:
    """How sure the model is about a document: its least confident decision (1.0 if none).

    Label Studio's uncertainty sampling serves the lowest score first, so the documents
    with the shakiest decision are annotated first.
    """
    scores = [s.score for s in ann.spans if s.score is not None]
    scores += [r.score for r in ann.relations if r.score is not None]
    return round(min(scores), 6) if scores else 1.0


def task_data(doc: Document) -> dict[str, Any]:
    data: dict[str, Any] = {TEXT_FIELD: doc.text, "doc_id": doc.id,
                            "text_hash": text_hash(doc.text)}
    for key in ("title", "outlet", "date"):
        if doc.meta.get(key) is not None:
            data[key] = str(doc.meta[key])
    if doc.split:
        data["split"] = doc.split
    return data


def check_inputs(docs: list[Document], predictions: dict[str, AnnotationSet] | None,
                 pred_texts: dict[str, str], schema: Schema, actors: ActorRegistry | None,
                 gold: bool) -> None:
    """Everything pushed must validate: a server never checks results against the config."""
    errors: list[StandoffError] = []
    for doc in docs:
        if gold:
            errors += schema.validate_document(doc, actors, "gold")
        if predictions and doc.id in predictions:
            if pred_texts.get(doc.id, doc.text) != doc.text:
                errors.append(StandoffError("the prediction's text differs from the document's",
                                            file="predictions", record=doc.id,
                                            hint="predict again on the current corpus"))
                continue
            pred = doc.model_copy(update={"annotation": predictions[doc.id]})
            # Models may propose new actor codes (NEW-...): those are not checked here.
            errors += schema.validate_document(pred, None, "predictions")
    if errors:
        raise ValidationErrors(errors)


class _Pusher:
    def __init__(self, client: LabelStudioClient, schema: Schema, report: PushReport,
                 gold: bool, predictions: dict[str, AnnotationSet] | None,
                 model_version: str | None) -> None:
        self.client, self.schema, self.report = client, schema, report
        self.gold, self.predictions, self.model_version = gold, predictions or {}, model_version
        self.me = client.whoami()

    def prediction(self, doc: Document) -> dict[str, Any] | None:
        pred = self.predictions.get(doc.id)
        if pred is None:
            return None
        return {"result": annotation_to_results(pred, doc.text, self.schema),
                "model_version": self.model_version, "score": confidence(pred)}

    def new_task(self, doc: Document) -> dict[str, Any]:
        task: dict[str, Any] = {"data": task_data(doc)}
        if self.gold:
            task["annotations"] = [{"result": annotation_to_results(doc.annotation, doc.text,
                                                                    self.schema),
                                    "ground_truth": True}]
        pred = self.prediction(doc)
        if pred:
            task["predictions"] = [pred]
        return task

    def update_task(self, doc: Document, task: Any) -> None:
        if self.gold:
            mine = [a for a in task.annotations or [] if _completed_by(a) == self.me]
            if mine:
                self.report.annotations_kept.append(doc.id)
            else:
                self.client.create_annotation(task.id, annotation_to_results(
                    doc.annotation, doc.text, self.schema))
                self.report.annotations_added += 1
        pred = self.prediction(doc)
        if pred is None:
            return
        same = [p for p in task.predictions or []
                if _field(p, "model_version") == self.model_version]
        if not same:
            self.client.create_prediction(task.id, pred["result"], pred["model_version"],
                                          pred["score"])
            self.report.predictions_added += 1
        elif _field(same[0], "result") != pred["result"] or \
                _field(same[0], "score") != pred["score"]:
            self.client.update_prediction(int(_field(same[0], "id")), pred["result"],
                                          pred["model_version"], pred["score"])
            self.report.predictions_updated += 1
        else:
            self.report.predictions_unchanged += 1


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _completed_by(annotation: Any) -> int | None:
    who = _field(annotation, "completed_by")
    if isinstance(who, dict):
        who = who.get("id")
    return int(who) if who is not None else None


def ensure_project(client: LabelStudioClient, title: str, schema: Schema,
                   report: PushReport) -> Any:
    """The project, created or updated so that it uses the generated config."""
    config = generate_config(schema)
    project = client.find_project(title)
    if project is None:
        project = client.create_project(title, config)
        report.created_project = True
    elif (project.label_config or "").strip() != config.strip():
        project = client.update_project(project.id, label_config=config)
        report.config_updated = True
    report.project_id = int(project.id)
    return project


def _model_version(predictions: dict[str, AnnotationSet] | None, model_version: str | None,
                   order: str | None) -> str | None:
    """The model version the predictions are tagged with; checks the push options."""
    if order is not None and order not in ORDERS:
        raise StandoffError(f"unknown order {order!r}", field="order",
                            hint=f"use one of {', '.join(ORDERS)}")
    if order and not predictions:
        raise StandoffError("--order uncertainty needs --predictions",
                            hint="the order comes from the model's scores")
    if not predictions or model_version:
        return model_version
    versions = {p.model_version for p in predictions.values()} - {None}
    if len(versions) != 1:
        raise StandoffError(f"predictions carry {len(versions)} model versions",
                            hint="pass --predictions for one model version at a time")
    return versions.pop()


def _tasks_by_document(client: LabelStudioClient, project_id: int) -> dict[str, Any]:
    """Tasks made by standoff push, by document id (tasks made by hand have none)."""
    return {str(task.data["doc_id"]): task for task in client.tasks(project_id)
            if (task.data or {}).get("doc_id")}


def push(client: LabelStudioClient, title: str, docs: Iterable[Document], schema: Schema,
         actors: ActorRegistry | None = None, *, gold: bool = False,
         predictions: dict[str, AnnotationSet] | None = None,
         prediction_texts: dict[str, str] | None = None, model_version: str | None = None,
         order: str | None = None,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Create or update project `title` with one task per document."""
    docs = list(docs)
    model_version = _model_version(predictions, model_version, order)
    check_inputs(docs, predictions, prediction_texts or {}, schema, actors, gold)
    report = PushReport(project=title, model_version=model_version, order=order)
    ensure_project(client, title, schema, report)
    pusher = _Pusher(client, schema, report, gold, predictions, model_version)
    existing = _tasks_by_document(client, report.project_id)
    fresh = [doc for doc in docs if doc.id not in existing]
    for done, doc in enumerate([d for d in docs if d.id in existing], start=1):
        task = existing[doc.id]
        if task.data.get("text_hash") != text_hash(doc.text):
            report.text_changed.append(doc.id)  # reported, never silently replaced
        else:
            pusher.update_task(doc, task)
            report.existing.append(doc.id)
        if progress:
            progress(done, len(docs))
    for i in range(0, len(fresh), BATCH):
        batch = fresh[i:i + BATCH]
        client.import_tasks(report.project_id, [pusher.new_task(d) for d in batch])
        report.created += [d.id for d in batch]
        report.annotations_added += len(batch) if gold else 0
        report.predictions_added += sum(1 for d in batch if d.id in pusher.predictions)
        if progress:
            progress(len(docs) - len(fresh) + i + len(batch), len(docs))
    if predictions:
        settings: dict[str, Any] = {"model_version": model_version,
                                    "show_collab_predictions": True}
        if order == "uncertainty":
            settings["sampling"] = UNCERTAINTY
        client.update_project(report.project_id, **settings)
    return report
