"""Model directories on disk: `models/<task>/<version>/` with a manifest, and aliases.

A manifest lists the sha256 of every file it shipped with, so a damaged or half-copied
model directory is caught on load instead of predicting garbage.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from standoff.core.errors import StandoffError
from standoff.core.io import sha256_file, write_text_atomic
from standoff.models.tasks import TASK_NAMES

MANIFEST = "manifest.json"
CARD = "README.md"
ALIASES = "aliases.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
REQUIRED_KEYS = ("task", "family", "version", "created", "corpus_hash", "schema_version",
                 "config", "seed", "labels", "dev_metrics", "git_revision", "libraries",
                 "training_seconds", "files")


def check_name(name: str, what: str) -> str:
    if not NAME.match(name or ""):
        raise StandoffError(f"invalid {what} name {name!r}",
                            hint="use letters, digits, '_', '.', '-' (starting with a letter "
                                 "or digit)")
    return name


def task_dir(models_dir: Path, task: str) -> Path:
    return Path(models_dir) / task


def version_names(models_dir: Path, task: str) -> list[str]:
    folder = task_dir(models_dir, task)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).exists())


def next_version(models_dir: Path, task: str, family: str) -> str:
    """`<family>-<n>` with n one more than the highest used so far."""
    used = [int(m.group(1)) for v in version_names(models_dir, task)
            if (m := re.fullmatch(re.escape(family) + r"-(\d+)", v))]
    return f"{family}-{max(used, default=0) + 1}"


def read_aliases(models_dir: Path, task: str) -> dict[str, str]:
    path = task_dir(models_dir, task) / ALIASES
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise StandoffError(f"malformed JSON: {err.msg}", file=str(path),
                            hint="fix or delete the file") from err
    if not isinstance(data, dict):
        raise StandoffError("aliases must be a JSON object {alias: version}", file=str(path))
    return data


def set_alias(models_dir: Path, task: str, version: str, alias: str) -> None:
    check_name(alias, "alias")
    if version not in version_names(models_dir, task):
        raise StandoffError(f"no model version {task}/{version}",
                            hint="see `standoff models list`")
    if alias in version_names(models_dir, task):
        raise StandoffError(f"{alias!r} is already a version name of {task}",
                            hint="pick an alias that is not a version name")
    aliases = read_aliases(models_dir, task) | {alias: version}
    write_text_atomic(task_dir(models_dir, task) / ALIASES,
                      json.dumps(dict(sorted(aliases.items())), indent=2) + "\n")


def split_ref(ref: str) -> tuple[str, str]:
    task, sep, name = ref.partition("/")
    if not sep or not task or not name:
        raise StandoffError(f"model reference {ref!r} must be TASK/VERSION or TASK/ALIAS",
                            hint="for example events/sklearn-1 or events/champion")
    if task not in TASK_NAMES:
        raise StandoffError(f"unknown task {task!r} in {ref!r}",
                            hint=f"use one of {', '.join(TASK_NAMES)}")
    return task, name


def resolve_ref(ref: str, models_dir: Path) -> tuple[str, str, Path]:
    """(task, version, directory) of a `TASK/VERSION` or `TASK/ALIAS` reference."""
    task, name = split_ref(ref)
    folder = task_dir(models_dir, task)
    if (folder / name).is_dir():
        return task, name, folder / name
    aliases = read_aliases(models_dir, task)
    if name in aliases:
        return task, aliases[name], folder / aliases[name]
    known = version_names(models_dir, task) + sorted(aliases)
    raise StandoffError(f"no model {ref!r}", file=str(folder),
                        hint=f"known: {', '.join(known)}" if known else
                        f"train one with `standoff train {task} --model rules`")


def sha256(path: Path) -> str:
    return sha256_file(path)


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (MANIFEST, CARD)}


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise StandoffError("model directory not found", file=str(folder))
    if not path.exists():
        raise StandoffError("model directory has no manifest.json", file=str(folder),
                            hint="it is incomplete or not a model; retrain it")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise StandoffError(f"manifest is not valid JSON: {err}", file=str(path),
                            hint="the model directory is damaged; retrain it") from err
    missing = [k for k in REQUIRED_KEYS if not isinstance(manifest, dict) or k not in manifest]
    if missing:
        raise StandoffError(f"manifest lacks {', '.join(missing)}", file=str(path),
                            hint="the model directory is damaged; retrain it")
    return manifest


def verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    for rel, digest in manifest["files"].items():
        path = folder / rel
        if not path.is_file():
            raise StandoffError("model file is missing", file=str(path),
                                hint="the model directory is incomplete; retrain it")
        if sha256(path) != digest:
            raise StandoffError("model file does not match its manifest checksum",
                                file=str(path), hint="the file was damaged or edited; retrain")


def list_models(models_dir: Path, task: str | None = None) -> list[dict[str, Any]]:
    """One row per version: task, version, family, created, corpus hash, headline, aliases."""
    rows = []
    for name in [task] if task else TASK_NAMES:
        aliases = read_aliases(models_dir, name)
        for version in version_names(models_dir, name):
            folder = task_dir(models_dir, name) / version
            try:
                m = read_manifest(folder)
            except StandoffError as err:
                rows.append({"task": name, "version": version, "error": str(err)})
                continue
            metrics = m.get("dev_metrics") or {}
            headline = metrics.get("headline")
            rows.append({"task": name, "version": version, "family": m["family"],
                         "created": m["created"], "corpus_hash": m["corpus_hash"],
                         "headline": headline, "value": metrics.get(headline),
                         "aliases": sorted(a for a, v in aliases.items() if v == version)})
    return rows
