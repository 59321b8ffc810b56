"""`standoff eval compare A B [C ...]`: versions side by side, with paired significance tests.

Comparisons read report folders back (metrics.json, counts.npz, items.jsonl), so no
model runs again; the versions must have been scored on the same gold (same documents,
same annotations: checked by the gold hash). A is the baseline; every other version is
compared with it, document by document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from standoff.core.actors import ActorRegistry
from standoff.core.errors import StandoffError
from standoff.core.io import write_text_atomic
from standoff.core.paths import ProjectPaths
from standoff.core.schema import EVENT_TYPES
from standoff.eval.base import Item, LabelGroup, Task
from standoff.eval.bootstrap import PairedResult, paired_test
from standoff.eval.plover import PloverTask
from standoff.eval.runner import TASKS

MIN_DOCUMENTS = 30  # below this, say that a paired test can tell little apart


@dataclass
class Report:
    path: Path
    summary: dict[str, Any]
    columns: list[str]
    documents: list[str]
    matrix: np.ndarray
    items: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        s = self.summary
        data = "" if s["data"]["name"] == "test" else f"@{s['data']['name']}"
        return f"{s['task']}/{s['name']}{data}"


def load_report(path: Path) -> Report:
    path = Path(path)
    if not (path / "metrics.json").is_file():
        raise StandoffError("no evaluation report here", file=str(path),
                            hint="run `standoff eval run TASK/VERSION` first")
    summary = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    if not str(summary.get("format", "")).startswith("standoff-eval/"):
        raise StandoffError("metrics.json is not a standoff evaluation", file=str(path))
    try:
        with np.load(path / "counts.npz", allow_pickle=False) as data:  # never unpickle
            columns, documents = data["columns"].tolist(), data["documents"].tolist()
            matrix = data["matrix"]
    except (OSError, KeyError, ValueError) as err:
        raise StandoffError(f"counts.npz is missing or unreadable: {err}", file=str(path),
                            hint="evaluate this version again") from err
    items = []
    items_path = path / "items.jsonl"
    if items_path.is_file():
        with items_path.open(encoding="utf-8") as handle:
            items = [Item.from_json(json.loads(line)) for line in handle if line.strip()]
    return Report(path, summary, columns, documents, matrix, items)


def resolve_report(ref: str, paths: ProjectPaths, data: str = "test") -> Path:
    """A report folder, or TASK/VERSION (the report of that version on `data`)."""
    as_path = Path(ref)
    if (as_path / "metrics.json").is_file():
        return as_path
    task, _, name = ref.partition("/")
    if not name:
        raise StandoffError(f"{ref!r} is neither a report folder nor TASK/VERSION")
    folder = name if data == "test" or "@" in name else f"{name}@{data}"
    return paths.reports / task / folder


def scorer_named(name: str) -> Task:
    if name == "plover":
        return PloverTask(ActorRegistry({}))
    return TASKS[name]()


def _aligned(a: Report, b: Report) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Both count matrices over the same columns and in A's document order."""
    if a.summary["scorer"] != b.summary["scorer"]:
        raise StandoffError(f"{a.label} and {b.label} are different tasks", file=str(b.path))
    if a.summary["data"]["gold_hash"] != b.summary["data"]["gold_hash"]:
        raise StandoffError(f"{a.label} and {b.label} were scored on different gold data",
                            file=str(b.path), hint="evaluate both on the same --data")
    columns = list(dict.fromkeys(a.columns + b.columns))
    index = {c: i for i, c in enumerate(columns)}
    order = {d: i for i, d in enumerate(b.documents)}

    def widen(r: Report, rows: list[int]) -> np.ndarray:
        out = np.zeros((len(rows), len(columns)), dtype=np.int64)
        out[:, [index[c] for c in r.columns]] = r.matrix[rows]
        return out

    return (widen(a, list(range(len(a.documents)))),
            widen(b, [order[d] for d in a.documents]), index)


def _context(a: Report, b: Report) -> dict[str, Any]:
    ctx = dict(a.summary["context"])
    ctx["settings"] = [s for s in a.summary["settings"] if s in b.summary["settings"]]
    if "shown" in ctx:
        merged = set(ctx["shown"]) | set(b.summary["context"].get("shown", []))
        ctx["shown"] = [t for t in EVENT_TYPES if t in merged]
    return ctx


def _key(item: Item) -> tuple[str, str, str, str]:
    return item.kind, item.doc, item.key, item.outcome


@dataclass
class Comparison:
    a: Report
    b: Report
    method: str
    headline: list[str]
    groups: list[LabelGroup]
    results: dict[str, PairedResult]
    fixed: list[Item]
    broken: list[Item]
    warnings: list[str]

    @property
    def name(self) -> str:
        def safe(label: str) -> str:
            return re.sub(r"[^A-Za-z0-9@._-]+", "-", label)

        return f"{safe(self.a.label)}_vs_{safe(self.b.label)}"

    def to_json(self, alpha: float) -> dict[str, Any]:
        return {"a": self.a.label, "b": self.b.label, "method": self.method,
                "documents": len(self.a.documents), "alpha": alpha, "headline": self.headline,
                "warnings": self.warnings, "fixed": len(self.fixed), "broken": len(self.broken),
                "metrics": {k: {**vars(r), "significant": r.significant(alpha)}
                            for k, r in self.results.items()}}


def compare_pair(a: Report, b: Report, method: str = "bootstrap", resamples: int = 1000,
                 seed: int = 0, tolerances: dict[str, float] | None = None) -> Comparison:
    ma, mb, index = _aligned(a, b)
    scorer = scorer_named(a.summary["scorer"])
    ctx = _context(a, b)
    metrics = scorer.metrics(ctx)
    unknown = [k for k in (tolerances or {}) if k not in metrics]
    if unknown:
        raise StandoffError(f"unknown metric {unknown[0]!r} for {a.summary['task']}",
                            field="--fail-if-worse",
                            hint=f"e.g. {', '.join(scorer.headline(ctx)[:3])}")
    results = paired_test(ma, mb, index, metrics, resamples, seed, method, tolerances=tolerances)
    errs_a, errs_b = {_key(i): i for i in a.items}, {_key(i): i for i in b.items}
    fixed = [i for k, i in errs_a.items() if k not in errs_b]
    broken = [i for k, i in errs_b.items() if k not in errs_a]
    warnings = []
    n = len(a.documents)
    if n < MIN_DOCUMENTS:
        widths = sorted((r.high - r.low) / 2 for k, r in results.items()
                        if k in scorer.headline(ctx))
        typical = widths[len(widths) // 2] if widths else 0.0
        warnings.append(f"only {n} documents: too few to tell most differences apart "
                        f"(headline differences below about ±{typical:.2f} are within noise)")
    return Comparison(a, b, method, scorer.headline(ctx), scorer.groups(ctx), results, fixed,
                      broken, warnings)


def parse_gate(spec: str) -> tuple[str, float]:
    """'METRIC[:TOLERANCE]' -> (metric, tolerance)."""
    metric, _, tol = spec.partition(":")
    try:
        return metric, float(tol) if tol else 0.0
    except ValueError as err:
        raise StandoffError(f"tolerance {tol!r} is not a number", field="--fail-if-worse",
                            hint="write METRIC:0.01") from err


def compare_versions(refs: list[str], paths: ProjectPaths, *, data: str = "test",
                     method: str = "bootstrap", resamples: int = 1000, seed: int = 0,
                     alpha: float = 0.05, gate: str | None = None, out: Path | None = None,
                     max_items: int = 100) -> tuple[list[Comparison], list[str]]:
    """Compare every version with the first; write the pages; (comparisons, gate failures)."""
    from standoff.eval.compare_report import render_compare_html, render_compare_md

    if len(refs) < 2:
        raise StandoffError("compare needs at least two versions", hint="A B [C ...]")
    reports = [load_report(resolve_report(r, paths, data)) for r in refs]
    metric, tol = parse_gate(gate) if gate else (None, 0.0)
    if metric == "headline":
        metric = reports[0].summary["headline"][0]
    out = out or paths.reports / "compare"
    comparisons, failures = [], []
    for b in reports[1:]:
        comp = compare_pair(reports[0], b, method, resamples, seed,
                            {metric: tol} if metric else None)
        comparisons.append(comp)
        write_text_atomic(out / f"{comp.name}.html", render_compare_html(comp, alpha, max_items))
        write_text_atomic(out / f"{comp.name}.md", render_compare_md(comp, alpha, max_items))
        write_text_atomic(out / f"{comp.name}.json",
                          json.dumps(comp.to_json(alpha), indent=2, ensure_ascii=False))
        if metric and comp.results[metric].worse(alpha):
            r = comp.results[metric]
            failures.append(f"{comp.b.label} is significantly worse than {comp.a.label} on "
                            f"{metric}: {r.b:.3f} vs {r.a:.3f} (Δ {r.delta:+.3f}, tolerance "
                            f"{tol}, p={r.p_worse:.4f}, {r.documents} documents)")
    return comparisons, failures
