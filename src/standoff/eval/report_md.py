"""report.md: the report's tables for git diffs and terminals (no pictures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from standoff.eval.base import Item
from standoff.eval.tables import (
    KIND_NAMES,
    OUTCOME_NAMES,
    all_rows,
    errors_by_kind,
    facts,
    group_rows,
    headline_rows,
    highlight,
    title,
)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def marked(item: Item) -> str:
    """Gold pieces in [[...]], predicted ones in {{...}}."""
    def wrap(piece: str, roles: set[str]) -> str:
        if "gold" in roles and "pred" in roles:
            return f"[[{{{{{piece}}}}}]]"
        return f"[[{piece}]]" if "gold" in roles else f"{{{{{piece}}}}}"

    return highlight(item, wrap, lambda piece: piece)


def render_markdown(summary: dict[str, Any], items: Sequence[Item], max_errors: int = 100) -> str:
    parts = [f"# Evaluation: {title(summary)}", "", table(["", ""], facts(summary)), ""]
    parts += [f"> **warning:** {w}" for w in summary.get("warnings", [])]
    parts += ["## Headline", "", table(["metric", "value", "95% CI", "support", "key"],
                                       headline_rows(summary)), ""]
    for group in summary.get("groups", []):
        rows = group_rows(summary, group)
        if rows:
            parts += [f"## {group['title']}", "",
                      table(["label", "value", "95% CI", "support", "key"], rows), ""]
    if summary.get("confusion"):
        labels, matrix = summary["confusion"]["labels"], summary["confusion"]["matrix"]
        parts += ["## Confusion of event types (gold rows, predicted columns)", "",
                  table(["gold \\ predicted", *labels],
                        [[g, *[str(n) if n else "" for n in row]]
                         for g, row in zip(labels, matrix, strict=True)]), ""]
    if summary.get("network"):
        parts += ["## Who blames whom (accusations)", "", _network(summary["network"]), ""]
    parts += ["## Errors", "", "Gold spans in `[[...]]`, predicted spans in `{{...}}`.", ""]
    for kind, count, shown in errors_by_kind(items, max_errors):
        parts += [f"### {KIND_NAMES.get(kind, kind)}: {count} error(s)"
                  + (f", first {len(shown)} shown" if count > len(shown) else ""), ""]
        parts.append(table(["", "document", "label", "sentence", "note"], [
            [OUTCOME_NAMES[i.outcome], i.doc, i.label, marked(i), i.note] for i in shown]))
        parts.append("")
    parts += ["## All metrics", "", table(["key", "value", "95% CI"], all_rows(summary)), ""]
    return "\n".join(parts)


def _network(network: dict[str, list]) -> str:
    edges: dict[tuple[str, str], list[int]] = {}
    for col, side in enumerate(("gold", "predicted")):
        for a, b, n in network.get(side, []):
            edges.setdefault((str(a), str(b)), [0, 0])[col] = int(n)
    rows = [[a, b, str(g), str(p)] for (a, b), (g, p) in
            sorted(edges.items(), key=lambda e: (-e[1][0], -e[1][1], e[0]))]
    return table(["blamer", "blamed", "gold", "predicted"], rows)
