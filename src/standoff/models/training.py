"""Training several models in one go, and learning curves over fractions of the train split."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standoff.core.errors import StandoffError
from standoff.core.io import atomic_path, write_text_atomic
from standoff.models.api import train_model
from standoff.models.registry import DEFAULT_FAMILIES, family_names
from standoff.models.store import MANIFEST, version_names
from standoff.models.tasks import TASK_NAMES

CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)


@dataclass
class TrainResult:
    task: str
    family: str
    version: str
    path: Path
    headline: str | None
    value: float | None
    seconds: float
    reused: bool = False


def expand(names: str, universe: tuple[str, ...] | list[str], what: str,
           every: tuple[str, ...] | None = None) -> list[str]:
    """'all' -> every name (or `every`); 'a,b' -> [a, b]; unknown names are errors."""
    if names == "all":
        return list(every or universe)
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in universe]
    if unknown or not chosen:
        raise StandoffError(f"unknown {what} {', '.join(unknown) or names!r}",
                            hint=f"use all or one of {', '.join(universe)}")
    return chosen


def result_of(path: Path, seconds: float | None = None) -> TrainResult:
    m = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    metrics = m["dev_metrics"]
    headline = metrics.get("headline")
    return TrainResult(m["task"], m["family"], m["version"], path, headline,
                       metrics.get(headline), seconds or m["training_seconds"])


def train_many(tasks: str, families: str, corpus_dir: Path, models_dir: Path,
               version: str | None = None, config: Path | None = None,
               overrides: list[str] | None = None, seed: int = 0, fraction: float = 1.0,
               on_done: Callable[[TrainResult], None] | None = None,
               reuse: bool = True, jobs: int = 1) -> list[TrainResult]:
    """Train every task x family; an identical existing model is reused unless `reuse` is
    False (same code, data, config and seed would give the same model). With `jobs` > 1,
    models train in that many processes (longest first); results keep the input order."""
    task_list = expand(tasks, TASK_NAMES, "task")
    family_list = expand(families, family_names(), "family", DEFAULT_FAMILIES)
    if version and len(family_list) > 1:
        raise StandoffError("--version names one model; with several families leave it out",
                            hint="versions default to <family>-<n>")
    work = [(t, f) for t in task_list for f in family_list]
    args = (corpus_dir, models_dir, version, config, overrides, seed, fraction, reuse)
    if jobs <= 1 or len(work) == 1:
        results = []
        for task, family in work:
            results.append(_train_one(task, family, *args))
            if on_done:
                on_done(results[-1])
        return results
    slow_first = sorted(work, key=lambda tf: FAMILY_COST.get(tf[1], 1), reverse=True)
    done: dict[tuple[str, str], TrainResult] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_train_one, t, f, *args): (t, f) for t, f in slow_first}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            if on_done:
                on_done(done[futures[future]])
    return [done[tf] for tf in work]


FAMILY_COST = {"spacy": 3, "sklearn": 2, "rules": 1}  # scheduling order for parallel runs


def _train_one(task: str, family: str, corpus_dir: Path, models_dir: Path,
               version: str | None, config: Path | None, overrides: list[str] | None,
               seed: int, fraction: float, reuse: bool) -> TrainResult:
    before = set(version_names(models_dir, task))
    path = train_model(task, family, corpus_dir, models_dir, version, config, overrides, seed,
                       fraction, reuse=reuse)
    result = result_of(path)
    result.reused = path.name in before
    return result


def train_curve(task: str, family: str, corpus_dir: Path,
                fractions: tuple[float, ...] = CURVE_FRACTIONS, seed: int = 0,
                config: Path | None = None, overrides: list[str] | None = None,
                on_done: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Train on growing, nested samples of the train split; the models are thrown away."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="standoff-curve-") as tmp:
        for fraction in fractions:
            path = train_model(task, family, corpus_dir, Path(tmp), f"curve-{fraction:g}",
                               config, overrides, seed, fraction)
            m = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            headline = m["dev_metrics"].get("headline")
            rows.append({"fraction": fraction, "train_documents": m["train_documents"],
                         "metric": headline, "value": m["dev_metrics"].get(headline),
                         "seconds": m["training_seconds"]})
            if on_done:
                on_done(rows[-1])
    return rows


def save_curve(rows: list[dict[str, Any]], out: Path, title: str) -> Path:
    """A PNG plot of the curve, and the numbers beside it as JSON."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=120)
    xs = [r["train_documents"] for r in rows]
    ys = [r["value"] if r["value"] is not None else float("nan") for r in rows]
    ax.plot(xs, ys, marker="o")
    for r, x, y in zip(rows, xs, ys, strict=True):
        ax.annotate(f"{r['fraction']:.0%}", (x, y), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    ax.set_xlabel("training documents")
    ax.set_ylabel(f"dev {rows[0]['metric'] if rows else 'metric'}")
    ax.set_ylim(0, 1.05)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = Path(out)
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    write_text_atomic(out.with_suffix(".json"), json.dumps(rows, indent=2) + "\n")
    return out

