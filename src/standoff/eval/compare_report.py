"""The comparison pages: A_vs_B.html (with a difference plot) and A_vs_B.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from standoff.eval import plots
from standoff.eval.base import Item
from standoff.eval.report_html import esc, html_table, page
from standoff.eval.report_html import marked as html_marked
from standoff.eval.report_md import marked as md_marked
from standoff.eval.report_md import table as md_table
from standoff.eval.tables import KIND_NAMES, OUTCOME_NAMES, pretty

if TYPE_CHECKING:
    from standoff.eval.bootstrap import PairedResult
    from standoff.eval.compare import Comparison

TEST_NAMES = {"bootstrap": "paired bootstrap (Berg-Kirkpatrick et al. 2012)",
              "randomization": "approximate randomization"}


def verdict(r: PairedResult, alpha: float) -> str:
    if not r.significant(alpha):
        return "no significant difference"
    return "B better" if r.delta > 0 else "B worse"


def _row(key: str, r: PairedResult, alpha: float) -> list[str]:
    return [pretty(key), f"{r.a:.3f}", f"{r.b:.3f}", f"{r.delta:+.3f}",
            f"[{r.low:+.3f}, {r.high:+.3f}]", f"{r.p_value:.4f}", str(r.documents),
            verdict(r, alpha), key]


HEADER = ["metric", "A", "B", "Δ (B − A)", "95% CI of Δ", "p", "documents", "verdict", "key"]


def _label_rows(comp: Comparison, alpha: float) -> list[tuple[str, list[list[str]], list]]:
    """(group title, table rows, paired results) for each per-label group."""
    out = []
    for group in comp.groups:
        bars = [(label, key) for label, key in group.bars if key in comp.results]
        if bars:
            out.append((group.title,
                        [[label, *_row(key, comp.results[key], alpha)[1:]] for label, key in bars],
                        [comp.results[key] for _, key in bars]))
    return out


def _intro(comp: Comparison, alpha: float) -> list[tuple[str, str]]:
    return [("A (baseline)", f"{comp.a.label}  ({comp.a.path})"),
            ("B", f"{comp.b.label}  ({comp.b.path})"),
            ("gold", f"{comp.a.summary['data']['source']}, {len(comp.a.documents)} documents"),
            ("test", f"{TEST_NAMES[comp.method]}, two-sided, α = {alpha}"),
            ("changes", f"{len(comp.fixed)} error(s) fixed by B, {len(comp.broken)} new in B")]


def _item_cells(item: Item, marked) -> list[str]:
    return [OUTCOME_NAMES[item.outcome], item.doc, item.label, marked(item), item.note]


def _delta_plot(title: str, labels: list[str], results: list[PairedResult]) -> str:
    uri = plots.bars_with_intervals(title, labels, [r.delta for r in results],
                                    [r.low for r in results], [r.high for r in results],
                                    xlabel="Δ", signed=True)
    return f'<img alt="{esc(title)}" src="{uri}">'


def render_compare_md(comp: Comparison, alpha: float = 0.05, max_items: int = 100) -> str:
    parts = [f"# {comp.a.label} vs {comp.b.label}", "", md_table(["", ""], _intro(comp, alpha)),
             ""]
    parts += [f"> **warning:** {w}" for w in comp.warnings]
    parts += ["## Headline metrics", "", md_table(HEADER, [
        _row(k, comp.results[k], alpha) for k in comp.headline if k in comp.results]), ""]
    for title, rows, _ in _label_rows(comp, alpha):
        parts += [f"## {title}", "", md_table(["label", *HEADER[1:]], rows), ""]
    for name, items, what in (("Fixed by B", comp.fixed, "A got wrong, B gets right"),
                              ("Broken by B", comp.broken, "A got right, B gets wrong")):
        parts += [f"## {name}: {len(items)} ({what})", ""]
        if items:
            parts += [md_table(["A's error" if name.startswith("Fixed") else "B's error",
                                "document", "label", "sentence", "note"],
                               [[f"{KIND_NAMES.get(i.kind, i.kind)}: "
                                 f"{OUTCOME_NAMES[i.outcome]}", *_item_cells(i, md_marked)[1:]]
                                for i in items[:max_items]]), ""]
    return "\n".join(parts)


def render_compare_html(comp: Comparison, alpha: float = 0.05, max_items: int = 100) -> str:
    heading = f"{comp.a.label} vs {comp.b.label}"
    body = [f"<h1>{esc(heading)}</h1>", html_table(None, _intro(comp, alpha), cls="facts")]
    body += [f'<div class="warn">warning: {esc(w)}</div>' for w in comp.warnings]
    keys = [k for k in comp.headline if k in comp.results]
    body += ["<h2>Headline metrics</h2>",
             html_table(HEADER, [_row(k, comp.results[k], alpha) for k in keys],
                        numeric=(1, 2, 3, 5, 6))]
    if keys:
        body.append(_delta_plot("Difference B − A with its 95% interval",
                                [pretty(k) for k in keys], [comp.results[k] for k in keys]))
    for title, rows, results in _label_rows(comp, alpha):
        body += [f"<h2>{esc(title)}</h2>",
                 _delta_plot(f"{title}: Δ (B − A)", [r[0] for r in rows], results),
                 "<details><summary>table</summary>",
                 html_table(["label", *HEADER[1:]], rows, numeric=(1, 2, 3, 5, 6)), "</details>"]
    for name, items in (("Fixed by B (A's errors that B avoids)", comp.fixed),
                        ("Broken by B (B's errors that A avoided)", comp.broken)):
        rows = [[esc(f"{KIND_NAMES.get(i.kind, i.kind)}: {OUTCOME_NAMES[i.outcome]}"),
                 *[esc(c) for c in _item_cells(i, html_marked)[1:3]], html_marked(i),
                 esc(i.note)] for i in items[:max_items]]
        more = f", first {len(rows)} shown" if len(items) > len(rows) else ""
        body += [f"<h2>{esc(name)}: {len(items)}{more}</h2>",
                 html_table(["error", "document", "label", "sentence", "note"], rows,
                            raw=(0, 1, 2, 3, 4)) if rows else "<p>none</p>"]
    return page(heading, body)
