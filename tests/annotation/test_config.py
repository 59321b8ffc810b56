"""The generated labeling config: committed, up to date, and able to hold the whole schema."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from standoff.annotation.labelstudio.config import attribute_controls, generate_config
from standoff.core.schema import Schema

from .conftest import REPO, invoke

COMMITTED = REPO / "annotation" / "labelstudio" / "config.xml"


def schema() -> Schema:
    return Schema.load(REPO / "annotation" / "schema.yaml")


def test_committed_config_is_up_to_date() -> None:
    assert COMMITTED.exists(), "run `standoff annotate config` and commit the file"
    assert COMMITTED.read_text(encoding="utf-8") == generate_config(schema()), \
        "annotation/labelstudio/config.xml is out of date: run `standoff annotate config`"


def test_config_holds_every_label_attribute_and_relation() -> None:
    s = schema()
    root = ET.fromstring(generate_config(s))
    labels = [e.get("value") for e in root.iter("Label")]
    assert labels == list(s.span_labels)
    assert [e.get("value") for e in root.iter("Relation")] == list(s.relation_labels)
    controls = {e.get("name"): e for e in root.iter() if e.get("perRegion") == "true"}
    assert set(controls) == set(attribute_controls(s))
    assert {c.attribute for c in attribute_controls(s).values()} >= {
        "code", "type", "mode", "status", "casualties", "act", "polarity"}
    types = [c.get("value") for c in controls["event_type"].iter("Choice")]
    assert types == list(s.event_types)
    modes = {c.get("value") for c in controls["event_mode"].iter("Choice")}
    every_mode = {m for values in s.span_labels["EVENT"].attributes["mode"].values_by.values()
                  for m in values}
    assert modes == every_mode
    assert controls["actor_code"].tag == "TextArea"
    assert controls["event_casualties"].tag == "TextArea"


def test_config_check_fails_when_stale(tmp_path: Path, runner) -> None:
    root = tmp_path / "proj"
    (root / "annotation" / "labelstudio").mkdir(parents=True)
    shutil.copy(REPO / "annotation" / "schema.yaml", root / "annotation" / "schema.yaml")
    stale = root / "annotation" / "labelstudio" / "config.xml"
    stale.write_text("<View/>\n", encoding="utf-8")
    env = {"STANDOFF_ROOT": str(root)}
    result = invoke(runner, env, "config", "--check")
    assert result.exit_code == 1 and "out of date" in result.output
    assert invoke(runner, env, "config").exit_code == 0
    assert stale.read_text(encoding="utf-8") == generate_config(schema())
    assert invoke(runner, env, "config", "--check").exit_code == 0
