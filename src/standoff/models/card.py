"""The model card (README.md in each model directory), generated from the manifest."""

from __future__ import annotations

from typing import Any

import yaml

TASK_PURPOSE = {
    "events": "finds PLOVER event triggers (16 types) with their status, and the source and "
              "target actors where the family links them",
    "actors": "finds actor mentions and normalizes them to codes of the actor registry; "
              "unknown parties get a `NEW-...` candidate code listed in the document metadata",
    "blame": "finds blame cues (accuse/deny) and links each to its blamer, blamed actor and, "
             "where named, the event it is about",
    "stance": "finds stance cues (support/oppose/neutral) and links each to its holder and "
              "what it is toward (an actor or an event)",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "n/a" if value is None else str(value)


def render_card(m: dict[str, Any]) -> str:
    metrics = {k: v for k, v in (m.get("dev_metrics") or {}).items() if k != "headline"}
    headline = (m.get("dev_metrics") or {}).get("headline")
    lines = [
        f"# {m['task']}/{m['version']} ({m['family']} family)", "",
        f"This model {TASK_PURPOSE.get(m['task'], m['task'])}.", "",
        "## Use", "",
        "```bash",
        f"standoff predict {m['task']}/{m['version']} dev --out predictions.jsonl",
        "```", "",
        "```python",
        "from standoff.models.api import load_model",
        f"model = load_model(\"{m['task']}/{m['version']}\")",
        "for doc in model.predict(docs):  # standoff.core.model.Document objects",
        "    ...",
        "```", "",
        "## Training data", "",
        f"- corpus content hash: `{m['corpus_hash']}`",
        f"- schema version: {m['schema_version']}",
        f"- train documents: {m.get('train_documents', 'n/a')} "
        f"(fraction {m.get('fraction', 1.0)}), dev documents: {m.get('dev_documents', 'n/a')}",
        f"- seed: {m['seed']}; trained {m['created']} in {m['training_seconds']:.1f} s",
        f"- code revision: `{m.get('git_revision') or 'unknown'}`", "",
        "## Dev metrics", "",
        f"Headline: **{headline}** = {_fmt(metrics.get(headline))}", "",
        "| metric | value |", "|---|---|",
    ]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in metrics.items()]
    lines += ["", "## Labels", "", ", ".join(f"`{label}`" for label in m["labels"]), "",
              "## Configuration", "", "```yaml",
              yaml.safe_dump(m["config"], sort_keys=False).rstrip(), "```", "",
              "## Libraries", ""]
    lines += [f"- {name} {version}" for name, version in m["libraries"].items()]
    lines += ["", "## Limitations", "",
              "- Trained on a small hand-annotated corpus of conflict and diplomacy news; "
              "expect lower scores on other domains and on text unlike the training articles.",
              "- Relations are predicted within a sentence "
              f"(window {m['config'].get('decode', {}).get('window', 0)}).",
              "- Predictions are suggestions for annotators and analysts, not facts.", "",
              "## Safety", "",
              "scikit-learn parts are stored with skops and loaded only if every type in the "
              "file is on standoff's allow-list; spaCy parts use spaCy's own `to_disk` format. "
              "Every file's sha256 is in `manifest.json` and is checked on load.", ""]
    return "\n".join(lines)
