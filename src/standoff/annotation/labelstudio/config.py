"""The Label Studio labeling config, generated from annotation/schema.yaml.

Encoding (the contract between `convert.py` and the labeling interface):
- one `Labels` control named `label` over the `Text` named `text`; a region carries
  exactly one span label (ACTOR, EVENT, BLAME, STANCE);
- every span attribute is a per-region control named `<label>_<attribute>` (lower case):
  `Choices` for choice attributes, `TextArea` for actor codes and casualty figures,
  shown only while a region of that label is selected;
- every relation label is a `Relation` value; a Label Studio relation is binary and
  directed (head -> tail) and may carry several labels (an event's `source` and `target`
  can be the same actor).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from standoff.core.io import write_text_atomic
from standoff.core.schema import AttributeSpec, Schema

LABEL_CONTROL = "label"
TEXT_NAME = "text"
TEXT_FIELD = "text"  # task.data key holding the document text
COLORS = {"ACTOR": "#4e79a7", "EVENT": "#e15759", "BLAME": "#f28e2b", "STANCE": "#59a14f"}
HOTKEYS = {"ACTOR": "a", "EVENT": "e", "BLAME": "b", "STANCE": "s"}
PLACEHOLDERS = {
    "actor_code": "actor code, e.g. PAK-GOV (annotation/actors.yaml)",
    "casualties": "58 killed by AFG-TAL; 23 killed by PAK-GOV",
}
LAYOUT = "display: flex; align-items: flex-start; gap: 1em"
PANEL = "flex: 1; position: sticky; top: 0; min-width: 18em"
HELP = ("Select a label, then the text. Select a region to set its attributes. "
        "Relations: select the head region (EVENT, BLAME or STANCE), press the relation "
        "button, click the tail region, then pick the relation's label(s).")


@dataclass(frozen=True)
class Control:
    """A per-region control that holds one span attribute."""

    name: str
    label: str
    attribute: str
    kind: str  # "choices" | "textarea"


def control_name(label: str, attribute: str) -> str:
    return f"{label.lower()}_{attribute}"


def attribute_controls(schema: Schema) -> dict[str, Control]:
    """Control name -> Control, for every attribute of every span label."""
    out = {}
    for label, spec in schema.span_labels.items():
        for attr in spec.attributes.values():
            kind = "choices" if attr.kind == "choice" else "textarea"
            name = control_name(label, attr.name)
            out[name] = Control(name=name, label=label, attribute=attr.name, kind=kind)
    return out


def choice_values(attr: AttributeSpec) -> list[str]:
    """All values a choice attribute can take (the union over `values_by` if it depends)."""
    values = list(attr.values)
    for allowed in attr.values_by.values():
        values += [v for v in allowed if v not in values]
    return values


def _choice_hint(attr: AttributeSpec, value: str) -> str:
    if not attr.values_by:
        return ""
    owners = [key for key, allowed in attr.values_by.items() if value in allowed]
    return f"allowed with {attr.depends_on} " + ", ".join(owners)


def _attribute_element(parent: ET.Element, label: str, attr: AttributeSpec) -> None:
    name = control_name(label, attr.name)
    need = "required" if attr.required else "optional"
    title = f"{attr.name} ({need})"
    if attr.default:
        title += f"; empty means {attr.default}"
    ET.SubElement(parent, "Header", value=title, size="6")
    if attr.kind == "choice":
        choices = ET.SubElement(parent, "Choices", name=name, toName=TEXT_NAME,
                                perRegion="true", choice="single", showInline="true")
        if attr.description:
            choices.set("hint", attr.description)
        for value in choice_values(attr):
            choice = ET.SubElement(choices, "Choice", value=value)
            hint = _choice_hint(attr, value)
            if hint:
                choice.set("hint", hint)
        return
    placeholder = PLACEHOLDERS.get(attr.kind, attr.description[:80])
    ET.SubElement(parent, "TextArea", name=name, toName=TEXT_NAME, perRegion="true",
                  maxSubmissions="1", editable="true", rows="1", placeholder=placeholder)


def generate_config(schema: Schema) -> str:
    """The labeling config XML for a schema (deterministic: same schema, same text)."""
    root = ET.Element("View")
    ET.SubElement(root, "Header", value=f"standoff schema v{schema.version}: {HELP}", size="6")
    # Text on the left, the selected region's attributes beside it (sticky), so a long
    # article needs no scrolling to reach them.
    columns = ET.SubElement(root, "View", style=LAYOUT)
    left = ET.SubElement(columns, "View", style="flex: 3; min-width: 0")
    labels = ET.SubElement(left, "Labels", name=LABEL_CONTROL, toName=TEXT_NAME,
                           showInline="true")
    for name, spec in schema.span_labels.items():
        label = ET.SubElement(labels, "Label", value=name,
                              background=COLORS.get(name, "#999999"))
        if name in HOTKEYS:
            label.set("hotkey", HOTKEYS[name])
        if spec.description:
            label.set("hint", spec.description)
    ET.SubElement(left, "Text", name=TEXT_NAME, value=f"${TEXT_FIELD}")
    right = ET.SubElement(columns, "View", style=PANEL)
    for name, spec in schema.span_labels.items():
        if not spec.attributes:
            continue
        view = ET.SubElement(right, "View", visibleWhen="region-selected",
                             whenTagName=LABEL_CONTROL, whenLabelValue=name)
        ET.SubElement(view, "Header", value=f"{name} attributes")
        for attr in spec.attributes.values():
            _attribute_element(view, name, attr)
    relations = ET.SubElement(root, "Relations")
    for name in schema.relation_labels:
        ET.SubElement(relations, "Relation", value=name)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"


def write_config(schema: Schema, path: Path) -> bool:
    """Write the config; True when the file changed."""
    text = generate_config(schema)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True
