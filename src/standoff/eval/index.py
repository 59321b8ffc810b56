"""The report index (eval/reports/index.html and index.md) and "compare the two best"."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standoff.core.io import write_text_atomic
from standoff.core.paths import ProjectPaths
from standoff.eval.report_html import esc, html_table, page
from standoff.eval.report_md import table as md_table
from standoff.eval.tables import pretty

TASK_ORDER = ("events", "actors", "blame", "stance")


@dataclass
class Entry:
    path: Path  # the report folder
    summary: dict[str, Any]

    @property
    def family(self) -> str:
        return str((self.summary.get("model") or {}).get("family") or "predictions")

    @property
    def headline_value(self) -> float:
        key = self.summary["headline"][0]
        return float(self.summary["metrics"][key]["value"])


def find_reports(reports: Path) -> list[Entry]:
    """Every report folder under eval/reports/TASK/NAME, in task order then by name."""
    out = []
    for metrics in sorted(reports.glob("*/*/metrics.json")):
        if metrics.parent.parent.name == "compare" or metrics.parent.name.startswith("."):
            continue
        try:
            summary = json.loads(metrics.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # a half-written or foreign file is not a report; skip it
        if str(summary.get("format", "")).startswith("standoff-eval/"):
            out.append(Entry(metrics.parent, summary))

    def order(e: Entry):
        task = e.summary["task"]
        return (TASK_ORDER.index(task) if task in TASK_ORDER else 9, e.summary["scorer"],
                e.summary["data"]["name"], e.summary["name"])

    return sorted(out, key=order)


def _groups(entries: list[Entry]) -> dict[tuple[str, str, str], list[Entry]]:
    groups: dict[tuple[str, str, str], list[Entry]] = {}
    for e in entries:
        s = e.summary
        groups.setdefault((s["task"], s["scorer"], s["data"]["name"]), []).append(e)
    return groups


def _cell(e: Entry, key: str) -> str:
    m = e.summary["metrics"].get(key)
    return "–" if m is None else f"{m['value']:.3f} [{m['low']:.2f}, {m['high']:.2f}]"


def _title(task: str, scorer: str, data: str) -> str:
    if scorer == "plover":
        return f"{task}: PLOVER external benchmark ({data})"
    return f"{task} on {data}"


def write_index(paths: ProjectPaths) -> Path:
    """eval/reports/index.html (and index.md): every task and version, headline figures."""
    root = paths.reports
    entries = find_reports(root)
    comparisons = sorted(root.glob("compare/*.html")) if (root / "compare").is_dir() else []
    html_body = ["<h1>Evaluation reports</h1>",
                 f"<p>{len(entries)} report(s). Figures are value [95% bootstrap interval]; "
                 "each version links to its full report.</p>"]
    md = ["# Evaluation reports", ""]
    for (task, scorer, data), group in _groups(entries).items():
        keys = group[0].summary["headline"]
        header = ["version", "family", "documents", *[pretty(k) for k in keys]]
        rows_html, rows_md = [], []
        for e in group:
            link = os.path.relpath(e.path / "report.html", root)
            cells = [e.family, str(e.summary["data"]["documents"]), *[_cell(e, k) for k in keys]]
            rows_html.append([f'<a href="{esc(link)}">{esc(e.summary["name"])}</a>',
                              *[esc(c) for c in cells]])
            rows_md.append([f"[{e.summary['name']}]({link})", *cells])
        title = _title(task, scorer, data)
        html_body += [f"<h2>{esc(title)}</h2>", html_table(header, rows_html, raw=(0,))]
        md += [f"## {title}", "", md_table(header, rows_md), ""]
    if comparisons:
        links = [os.path.relpath(c, root) for c in comparisons]
        html_body += ["<h2>Comparisons</h2>", "<ul>" + "".join(
            f'<li><a href="{esc(x)}">{esc(Path(x).stem)}</a></li>' for x in links) + "</ul>"]
        md += ["## Comparisons", ""] + [f"- [{Path(x).stem}]({x})" for x in links] + [""]
    if not entries:
        html_body.append("<p>No reports yet: run <code>standoff eval run</code>.</p>")
    write_text_atomic(root / "index.md", "\n".join(md))
    write_text_atomic(root / "index.html", page("Evaluation reports", html_body))
    return root / "index.html"


def best_two_per_task(paths: ProjectPaths, data: str = "test") -> dict[str, tuple[Entry, Entry]]:
    """Per task, the best version of the two best model families (by the first headline
    metric on `data`): (runner-up, best), so a comparison reads as "what the best adds"."""
    out = {}
    for (task, scorer, name), group in _groups(find_reports(paths.reports)).items():
        if name != data or scorer == "plover":
            continue
        best: dict[str, Entry] = {}
        for e in group:
            if e.summary.get("model") and (e.family not in best
                                           or e.headline_value > best[e.family].headline_value):
                best[e.family] = e
        ranked = sorted(best.values(), key=lambda e: e.headline_value, reverse=True)
        if len(ranked) >= 2:
            out[task] = (ranked[1], ranked[0])
    return out
