"""Report content shared by the HTML and Markdown renderers: rows, names, highlights."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from standoff.eval.base import SETTING_NAMES, Item

WORDS = {"e2e": "end to end", "gold_actors": "gold actors", "f1": "F1", "f_avg": "F_avg",
         "ent_type": "type", "micro": "micro", "macro": "macro", "precision": "P",
         "recall": "R", "hit_rate": "hit rate", "exact_match": "exact match"}
OUTCOME_NAMES = {"fp": "false positive", "fn": "false negative"}
KIND_NAMES = {"trigger": "Event triggers (strict)", "sentence": "Sentence event types",
              "actor": "Actor mentions (span and code)", "blame": "Blame records (end to end)",
              "blame@gold_actors": "Blame records (given gold actors)",
              "stance": "Stance records (end to end)",
              "stance@gold_actors": "Stance records (given gold actors)",
              "plover": "PLOVER event types"}


def pretty(metric: str) -> str:
    """'e2e.strict.micro.f1' -> 'end to end · strict · micro · F1'."""
    return " · ".join(WORDS.get(p, p) for p in metric.split("."))


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def interval(m: dict[str, float]) -> str:
    return f"[{m['low']:.3f}, {m['high']:.3f}]"


def title(summary: dict[str, Any]) -> str:
    what = summary["model"]["ref"] if summary.get("model") else (
        f"{summary['task']}/{summary['name']}")
    return f"{what} on {summary['data']['name']}"


def facts(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The header of a report: what was scored against what, and how."""
    model = summary.get("model") or {}
    boot = summary["bootstrap"]
    rows = [("task", summary["task"] + (" (PLOVER benchmark)" if summary["scorer"] == "plover"
                                         else "")),
            ("version", summary["name"])]
    if model:
        rows += [("family", str(model.get("family"))),
                 ("trained on corpus", str(model.get("corpus_hash") or "?")[:12])]
    else:
        rows += [("predictions", "; ".join(f"{k}: {v}" for k, v in
                                           (summary.get("predictions") or {}).items()))]
    rows += [("gold", f"{summary['data']['source']} ({summary['data']['documents']} documents, "
                      f"hash {summary['data']['gold_hash'][:12]})"),
             ("settings", ", ".join(SETTING_NAMES.get(s, s) for s in summary["settings"])),
             ("intervals", f"{int(boot['confidence'] * 100)}% percentile bootstrap over "
                           f"{boot['unit']}s, {boot['resamples']} resamples, seed {boot['seed']}"),
             ("created", summary.get("created", ""))]
    return rows


def support_for(summary: dict[str, Any], metric: str) -> str:
    support = summary.get("support", {})
    parts = metric.split(".")
    for cut in range(len(parts), 0, -1):
        key = ".".join(parts[:cut])
        if key in support:
            return str(support[key])
    return ""


def headline_rows(summary: dict[str, Any]) -> list[list[str]]:
    rows = []
    for key in summary["headline"]:
        m = summary["metrics"].get(key)
        if m:
            rows.append([pretty(key), fmt(m["value"]), interval(m), support_for(summary, key),
                         key])
    return rows


def group_rows(summary: dict[str, Any], group: dict[str, Any]) -> list[list[str]]:
    rows = []
    for label, key in group["bars"]:
        m = summary["metrics"].get(key)
        if m:
            rows.append([label, fmt(m["value"]), interval(m), support_for(summary, key), key])
    return rows


def all_rows(summary: dict[str, Any]) -> list[list[str]]:
    return [[key, fmt(m["value"]), interval(m)] for key, m in sorted(summary["metrics"].items())]


def errors_by_kind(items: Iterable[Item], limit: int) -> list[tuple[str, int, list[Item]]]:
    """(kind, how many errors, the first `limit` of them), false negatives first.

    `items` may be a sample that knows the full counts (`error_counts`, by kind), as a
    streamed evaluation keeps only the first errors of each kind."""
    counts = getattr(items, "error_counts", None)
    grouped: dict[str, list[Item]] = {}
    for item in items:
        if item.outcome in ("fp", "fn"):
            grouped.setdefault(item.kind, []).append(item)
    out = []
    for kind in sorted(grouped, key=lambda k: list(KIND_NAMES).index(k) if k in KIND_NAMES
                       else 99):
        found = sorted(grouped[kind], key=lambda i: (i.outcome != "fn", i.doc, i.offset))
        out.append((kind, counts[kind] if counts else len(found), found[:limit]))
    return out


def highlight(item: Item, wrap: Callable[[str, set[str]], str],
              plain: Callable[[str], str]) -> str:
    """The item's text cut at every mark boundary; marked pieces go through `wrap`."""
    text, base = item.text, item.offset
    cuts = {0, len(text)}
    for s, e, _ in item.marks:
        cuts.update({max(0, min(len(text), s - base)), max(0, min(len(text), e - base))})
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        roles = {r for s, e, r in item.marks if s - base <= a and b <= e - base}
        piece = text[a:b]
        out.append(wrap(piece, roles) if roles else plain(piece))
    return "".join(out)
