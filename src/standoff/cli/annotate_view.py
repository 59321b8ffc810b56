"""How the `standoff annotate` commands report: rich tables and short summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from standoff.annotation.adjudicate import Adjudication
from standoff.annotation.labelstudio.pull import PullReport
from standoff.annotation.labelstudio.push import PushReport
from standoff.cli.common import console


def _listing(ids: list[str], limit: int = 8) -> str:
    more = f" ... (+{len(ids) - limit})" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def render_push(r: PushReport) -> None:
    state = "created" if r.created_project else ("config updated" if r.config_updated
                                                  else "config unchanged")
    console.print(f"project {r.project!r} (id {r.project_id}, {state})")
    console.print(f"tasks: {len(r.created)} created, {len(r.existing)} already there")
    if r.annotations_added or r.annotations_kept:
        console.print(f"gold annotations: {r.annotations_added} added, "
                      f"{len(r.annotations_kept)} kept (already annotated by you)")
    if r.model_version:
        console.print(f"predictions {r.model_version}: {r.predictions_added} added, "
                      f"{r.predictions_updated} updated, {r.predictions_unchanged} unchanged"
                      + (f"; order: {r.order}" if r.order else ""))
    if r.text_changed:
        console.print(f"[yellow]text changed since the last push, left as it is:[/] "
                      f"{_listing(r.text_changed)}")


def render_pull(r: PullReport) -> None:
    console.print(f"project {r.project!r}: {r.annotations} annotation(s) pulled, "
                  f"{len(r.written)} file(s) written, {r.unchanged} unchanged")
    if r.written:
        console.print(f"written: {_listing(r.written)}")
    if r.differs_from_gold:
        console.print(f"[yellow]differ from gold (kept side by side; adjudicate):[/] "
                      f"{_listing(r.differs_from_gold)}")
    if r.same_as_gold:
        console.print(f"same as gold: {len(r.same_as_gold)}")
    if r.no_gold:
        console.print(f"no gold yet: {_listing(r.no_gold)}")
    if r.text_changed:
        console.print(f"[yellow]seed text changed since the push:[/] {_listing(r.text_changed)}")
    if r.superseded:
        console.print(f"older duplicate annotations ignored: {_listing(r.superseded)}")


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def render_agreement(result: dict[str, Any]) -> None:
    console.print(f"annotators: {', '.join(result['annotators'])}; "
                  f"documents compared: {result['documents']}")
    for name, docs in result["left_out"].items():
        console.print(f"[yellow]only in {name}, left out:[/] {_listing(docs)}")
    et = result["event_types"]
    console.print(f"event types per sentence: Krippendorff's alpha {_fmt(et['alpha'])} "
                  f"({et['sentences']} sentences x 16 types)")
    spans = Table("spans", "exact F1", "overlap F1", "A", "B", title="span agreement")
    for group, row in result["spans"].items():
        spans.add_row(group, _fmt(row["exact"]), _fmt(row["overlap"]), str(row["a"]),
                      str(row["b"]))
    console.print(spans)
    rels = Table("relations", "edge F1", "A", "B", "codes F1", title="relation agreement")
    for name, row in result["relations"].items():
        rels.add_row(name, _fmt(row["f1"]), str(row["a"]), str(row["b"]),
                     _fmt(row.get("codes", {}).get("f1")))
    console.print(rels)
    attrs = Table("attribute", "agreement", "kappa", "n", title="attributes (exact spans)")
    for name, row in result["attributes"].items():
        attrs.add_row(name, _fmt(row["agreement"]), _fmt(row["kappa"]), str(row["n"]))
    console.print(attrs)


def render_adjudication(result: Adjudication, written: list[tuple[str, str]], out: Path,
                        as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({
            "documents": len(result.documents), "agreed_items": result.agreed_items,
            "conflicts": [c.as_dict() for c in result.conflicts],
            "dropped_relations": result.orphans,
            "written": [{"document": d, "status": s} for d, s in written], "out": str(out),
        }, indent=2))
        return
    console.print(f"{len(result.documents)} document(s), {result.agreed_items} agreed item(s), "
                  f"{len(result.conflicts)} conflict(s), {len(result.undecided)} undecided")
    if result.conflicts:
        table = Table("id", "document", "item", "has it", "decision", title="conflicts")
        for c in result.conflicts:
            table.add_row(c.id, c.doc_id, c.item, ", ".join(c.holders),
                          f"{c.decision} ({c.by})" if c.decision else "[red]undecided[/]")
        console.print(table)
    for orphan in result.orphans:
        console.print(f"[yellow]relation dropped with its span:[/] {orphan}")
    for doc_id, status in written:
        if status != "unchanged":
            console.print(f"{out / (doc_id + '.yaml')}: {status}")
    if written:
        unchanged = sum(1 for _, s in written if s == "unchanged")
        console.print(f"{len(written) - unchanged} file(s) written to {out}, "
                      f"{unchanged} unchanged")
