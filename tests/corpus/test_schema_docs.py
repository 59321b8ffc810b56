"""The guidelines' label list and the splits stay in step with the schema."""

from __future__ import annotations

import re

from standoff.core.schema import Schema
from standoff.corpus.splits import assign_split
from tests.corpus.conftest import REPO


def expected_label_list(schema: Schema) -> str:
    event = schema.span_labels["EVENT"].attributes
    return "\n".join([
        f"- Span labels: {', '.join(schema.span_labels)}",
        *(f"- {name} attributes: {', '.join(spec.attributes)}"
          for name, spec in schema.span_labels.items() if name in ("ACTOR", "EVENT")),
        f"- EVENT types: {', '.join(event['type'].values)}",
        f"- EVENT statuses: {', '.join(event['status'].values)}",
        "- BLAME attributes: act "
        f"({', '.join(schema.span_labels['BLAME'].attributes['act'].values)})",
        "- STANCE attributes: polarity "
        f"({', '.join(schema.span_labels['STANCE'].attributes['polarity'].values)})",
        f"- Relations: {', '.join(schema.relation_labels)}",
    ])


def test_guidelines_label_list_matches_schema() -> None:
    schema = Schema.load(REPO / "annotation" / "schema.yaml")
    text = (REPO / "annotation" / "guidelines.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- schema-labels:start -->\n(.*?)\n<!-- schema-labels:end -->", text,
                      re.S)
    assert block, "guidelines.md lost its schema-labels block"
    assert block.group(1) == expected_label_list(schema)
    for event_type in schema.event_types:
        assert f"| {event_type} |" in text, f"guidelines have no table row for {event_type}"


def test_splits_are_deterministic_stable_and_roughly_70_15_15() -> None:
    ids = [f"doc-{i}" for i in range(3000)]
    splits = [assign_split(i) for i in ids]
    assert splits == [assign_split(i) for i in ids]
    share = {s: splits.count(s) / len(ids) for s in ("train", "dev", "test")}
    assert abs(share["train"] - 0.70) < 0.03 and abs(share["test"] - 0.15) < 0.03
    assert assign_split("doc-1", "test") == "test"
