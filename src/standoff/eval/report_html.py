"""report.html: one self-contained page (inline CSS and PNG data URIs, no network)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from standoff.eval import plots
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

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:1180px;color:#212529;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid
#dee2e6;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #dee2e6;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f1f3f5}td.num{text-align:right;
font-variant-numeric:tabular-nums}
code,.key{font:12px ui-monospace,Menlo,Consolas,monospace;color:#868e96}
.facts td:first-child{color:#495057;font-weight:600}
.warn{background:#fff3bf;border:1px solid #fab005;padding:6px 10px;margin:6px 0}
mark.gold{background:#b2f2bb}mark.pred{background:#ffc9c9}
mark.gold.pred{background:linear-gradient(#b2f2bb 50%,#ffc9c9 50%)}
.fn{color:#2b8a3e;font-weight:600}.fp{color:#c92a2a;font-weight:600}
img{max-width:100%}.grid{display:flex;flex-wrap:wrap;gap:16px}.cell{flex:1 1 520px}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
.big{font-size:20px;font-weight:700}
"""


def esc(text: object) -> str:
    return html.escape(str(text))


def html_table(header: Sequence[str] | None, rows: Sequence[Sequence[str]], cls: str = "",
               numeric: Sequence[int] = (), raw: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header or ())
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            attr = ' class="num"' if i in numeric else ""
            cells.append(f"<td{attr}>{cell if i in raw else esc(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{cls}">{thead}<tbody>'
            + "".join(body) + "</tbody></table>")


def marked(item: Item) -> str:
    def wrap(piece: str, roles: set[str]) -> str:
        return f'<mark class="{" ".join(sorted(roles))}">{esc(piece)}</mark>'

    return highlight(item, wrap, esc)


def page(heading: str, body: Sequence[str]) -> str:
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(heading)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def _headline(summary: dict[str, Any]) -> list[str]:
    rows = [[esc(r[0]), f'<span class="big">{r[1]}</span>', esc(r[2]), esc(r[3]),
             f'<span class="key">{esc(r[4])}</span>'] for r in headline_rows(summary)]
    return ["<h2>Headline</h2>",
            html_table(["metric", "value", "95% CI", "support", "key"], rows, numeric=(1, 3),
                       raw=(0, 1, 2, 3, 4))]


def _bars(summary: dict[str, Any]) -> list[str]:
    out = []
    for group in summary.get("groups", []):
        rows = group_rows(summary, group)
        if not rows:
            continue
        metrics = [summary["metrics"][r[4]] for r in rows]
        uri = plots.bars_with_intervals(group["title"], [r[0] for r in rows],
                                        [m["value"] for m in metrics], [m["low"] for m in metrics],
                                        [m["high"] for m in metrics])
        out += ['<div class="cell">', f'<img alt="{esc(group["title"])}" src="{uri}">',
                "<details><summary>table</summary>",
                html_table(["label", "value", "95% CI", "support", "key"], rows,
                           numeric=(1, 3)), "</details></div>"]
    if not out:
        return []
    return ["<h2>Per label, with 95% intervals</h2>", '<div class="grid">', *out, "</div>"]


def _pictures(summary: dict[str, Any]) -> list[str]:
    out = []
    if summary.get("confusion"):
        c = summary["confusion"]
        uri = plots.confusion_matrix(c["labels"], c["matrix"])
        out += ["<h2>Confusion of event types</h2>",
                "<p>Triggers aligned by the exact-boundary scheme; — is no trigger.</p>",
                f'<img alt="confusion matrix" src="{uri}">']
    net = summary.get("network")
    if net and (net.get("gold") or net.get("predicted")):
        uri = plots.blame_network(net.get("gold", []), net.get("predicted", []))
        out += ["<h2>Who blames whom</h2>",
                "<p>Accusation records, end to end; edge width grows with their number.</p>",
                f'<img alt="blame network" src="{uri}">']
    return out


def _errors(items: Sequence[Item], max_errors: int) -> list[str]:
    out = ["<h2>Errors</h2>", '<p><mark class="gold">gold</mark> spans and '
           '<mark class="pred">predicted</mark> spans in their sentence.</p>']
    groups = errors_by_kind(items, max_errors)
    if not groups:
        out.append("<p>No errors.</p>")
    for kind, count, shown in groups:
        more = f", first {len(shown)} shown" if count > len(shown) else ""
        rows = [[f'<span class="{i.outcome}">{OUTCOME_NAMES[i.outcome]}</span>', esc(i.doc),
                 esc(i.label), marked(i), esc(i.note)] for i in shown]
        out += [f"<details{' open' if kind == groups[0][0] else ''}><summary>"
                f"{esc(KIND_NAMES.get(kind, kind))}: {count} error(s){more}</summary>",
                html_table(["", "document", "label", "sentence", "note"], rows,
                           raw=(0, 1, 2, 3, 4)), "</details>"]
    return out


def render_html(summary: dict[str, Any], items: Sequence[Item], max_errors: int = 100) -> str:
    heading = f"Evaluation: {title(summary)}"
    body = [f"<h1>{esc(heading)}</h1>", html_table(None, facts(summary), cls="facts")]
    body += [f'<div class="warn">warning: {esc(w)}</div>' for w in summary.get("warnings", [])]
    body += _headline(summary) + _bars(summary) + _pictures(summary) + _errors(items, max_errors)
    body += ["<h2>All metrics</h2>", "<details><summary>every figure with its interval"
             "</summary>", html_table(["key", "value", "95% CI"], all_rows(summary),
                                      numeric=(1,)), "</details>"]
    return page(heading, body)
