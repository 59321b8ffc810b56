"""The public API of the models stage: `train_model` and `load_model`.

    from standoff.models.api import load_model, train_model
    path = train_model("events", "sklearn", Path("corpus"), Path("models"))
    model = load_model("events/sklearn-1")
    for doc in model.predict(docs):
        ...
"""

from __future__ import annotations

import hashlib
import json
import platform
import random
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from standoff.core.errors import StandoffError
from standoff.core.io import atomic_dir, write_text_atomic
from standoff.core.model import Document
from standoff.core.paths import ProjectPaths
from standoff.core.records import input_view
from standoff.core.schema import Schema
from standoff.models.card import render_card
from standoff.models.config import resolve_config
from standoff.models.data import TrainingData, load_training_data
from standoff.models.metrics import task_metrics
from standoff.models.registry import Predictor, get_family
from standoff.models.store import (
    CARD,
    MANIFEST,
    check_name,
    file_hashes,
    next_version,
    read_manifest,
    resolve_ref,
    set_alias,
    task_dir,
    verify_files,
    version_names,
)
from standoff.models.tasks import TaskSpec, task_spec

LIBRARIES = ("standoff", "spacy", "thinc", "scikit-learn", "skops", "numpy", "pydantic")


@dataclass
class LoadedModel:
    task: str
    family: str
    version: str
    manifest: dict[str, Any]
    path: Path
    spec: TaskSpec
    predictor: Predictor

    @property
    def ref(self) -> str:
        return f"{self.task}/{self.version}"

    def predict(self, docs: Iterable[Document], batch_size: int = 64,
                gold_mentions: bool = False) -> Iterator[Document]:
        """One output document per input, lazily, `batch_size` documents at a time."""
        if batch_size < 1:
            raise StandoffError("batch_size must be at least 1")
        set_batch_size = getattr(self.predictor, "set_batch_size", None)
        if set_batch_size is not None:
            set_batch_size(batch_size)  # also the spaCy family's nlp.pipe batch
        for batch in batched(docs, batch_size):
            yield from self.predictor.predict_batch(list(batch), gold_mentions, self.ref)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """itertools.batched, which Python 3.11 lacks."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def load_model(ref: str, models_dir: Path | None = None) -> LoadedModel:
    """Load `TASK/VERSION` or `TASK/ALIAS`, checking manifest, checksums and schema version."""
    models_dir = Path(models_dir) if models_dir else ProjectPaths.default().models
    task, version, path = resolve_ref(ref, models_dir)
    manifest = read_manifest(path)
    current = _current_schema_version(models_dir)
    if current is not None and manifest["schema_version"] != current:
        raise StandoffError(
            f"model was trained on schema version {manifest['schema_version']}, the project "
            f"schema is version {current}", file=str(path),
            hint=f"retrain it: standoff train {task} --model {manifest['family']}")
    verify_files(path, manifest)
    family = get_family(manifest["family"])
    spec = task_spec(task, Schema.load(path / "schema.yaml"))
    predictor = family.load(spec, path, manifest["config"])
    return LoadedModel(task, manifest["family"], version, manifest, path, spec, predictor)


def _current_schema_version(models_dir: Path) -> int | None:
    for candidate in (models_dir.parent / "annotation" / "schema.yaml",
                      ProjectPaths.default().schema):
        if candidate.is_file():
            return Schema.load(candidate).version
    return None


def train_model(task: str, family: str, corpus_dir: Path, models_dir: Path,
                version: str | None = None, config: dict | Path | None = None,
                overrides: list[str] | dict[str, Any] | None = None, seed: int = 0,
                fraction: float = 1.0, reuse: bool = False) -> Path:
    """Train on the corpus's train split, select on dev, write `models/TASK/VERSION/`.

    With `reuse=True` and no `version`, an existing version trained by the same code on
    the same data with the same config and seed is returned instead of training again
    (training is deterministic, so it would be the same model).
    """
    fam = get_family(family)
    if task not in fam.tasks:
        raise StandoffError(f"family {family!r} does not support task {task!r}",
                            hint=f"it supports {', '.join(fam.tasks)}")
    cfg = resolve_config(fam.default_config(), config, overrides)
    data = load_training_data(task, Path(corpus_dir), fraction, seed)
    models_dir = Path(models_dir)
    identity = {"family": family, "corpus_hash": data.corpus_hash, "config": cfg, "seed": seed,
                "fraction": fraction, "schema_version": data.schema.version,
                "code_fingerprint": code_fingerprint()}
    if reuse and version is None:
        same = find_identical(models_dir, task, identity)
        if same is not None:
            return same
    version = check_name(version or next_version(models_dir, task, family), "version")
    target = task_dir(models_dir, task) / version
    if target.exists():
        raise StandoffError(f"model version {task}/{version} already exists", file=str(target),
                            hint="pick another --version or delete the directory")
    random.seed(seed)
    np.random.seed(seed)
    started = time.perf_counter()
    predictor, selection = fam.train(data.task, data, cfg, seed)
    seconds = time.perf_counter() - started
    dev_metrics = dev_evaluation(data, predictor, f"{task}/{version}")
    manifest = {
        "task": task, "family": family, "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_hash": data.corpus_hash, "corpus_path": str(data.corpus_path),
        "schema_version": data.schema.version, "config": cfg, "seed": seed,
        "fraction": fraction, "labels": data.task.all_labels(), "dev_metrics": dev_metrics,
        "code_fingerprint": identity["code_fingerprint"],
        "selection": selection, "train_documents": len(data.train),
        "dev_documents": len(data.dev), "git_revision": git_revision(),
        "libraries": library_versions(), "training_seconds": round(seconds, 2),
    }
    with atomic_dir(target) as tmp:
        predictor.save(tmp)
        shutil.copyfile(Path(corpus_dir) / "schema.yaml", tmp / "schema.yaml")
        manifest["files"] = file_hashes(tmp)
        write_text_atomic(tmp / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
        write_text_atomic(tmp / CARD, render_card(manifest))
    set_alias(models_dir, task, version, family)  # `<task>/<family>`: the latest of a family
    return target


def find_identical(models_dir: Path, task: str, identity: dict[str, Any]) -> Path | None:
    for name in reversed(version_names(models_dir, task)):
        path = task_dir(models_dir, task) / name
        try:
            manifest = read_manifest(path)
        except StandoffError:
            continue
        if all(manifest.get(k) == v for k, v in identity.items()):
            return path
    return None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of the code that shapes a model (models and core packages)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for folder in (root / "models", root / "core"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".yaml", ".cfg") and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def dev_evaluation(data: TrainingData, predictor: Predictor, ref: str) -> dict[str, Any]:
    task = data.task
    if not data.dev:
        return {"headline": task.headline, task.headline: None,
                "note": "no dev documents: nothing to measure"}
    plain = predictor.predict_batch([input_view(d) for d in data.dev], False, ref)
    gold_mode = None
    if task.relations:
        given = frozenset(task.given_layers)
        gold_mode = predictor.predict_batch([input_view(d, given) for d in data.dev], True, ref)
    return task_metrics(task, data.dev, plain, gold_mode)


def git_revision() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=here,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{rev}+dirty" if dirty else rev


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
