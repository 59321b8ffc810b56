"""Declarative family configs (configs/<family>.yaml) with files and dotted overrides.

    standoff train events --model spacy --set training.max_epochs=5 --set decode.threshold=0.4

An override must name a key the family's config already has, so a typo fails loudly
instead of being silently ignored.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from standoff.core.errors import StandoffError
from standoff.core.yamlio import load_yaml

CONFIG_DIR = Path(__file__).with_name("configs")


def load_default_config(family: str) -> dict[str, Any]:
    path = CONFIG_DIR / f"{family}.yaml"
    if not path.exists():
        return {}
    return load_yaml(path) or {}


def merge(base: dict[str, Any], extra: dict[str, Any], where: str = "") -> dict[str, Any]:
    """`extra` over `base`, recursively; unknown keys are errors."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        dotted = f"{where}{key}"
        if key not in out:
            raise StandoffError(f"unknown config key {dotted!r}",
                                hint=f"known keys here: {', '.join(out) or 'none'}")
        if isinstance(out[key], dict) and isinstance(value, dict) and out[key]:
            out[key] = merge(out[key], value, f"{dotted}.")
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_override(text: str) -> tuple[list[str], Any]:
    """'training.max_epochs=5' -> (['training', 'max_epochs'], 5); values are YAML."""
    if "=" not in text:
        raise StandoffError(f"override {text!r} must look like key.sub=value")
    key, raw = text.split("=", 1)
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as err:
        raise StandoffError(f"override {text!r}: the value is not valid YAML") from err
    path = [p for p in key.strip().split(".") if p]
    if not path:
        raise StandoffError(f"override {text!r} names no key")
    return path, value


def nest(path: list[str], value: Any) -> dict[str, Any]:
    out: Any = value
    for key in reversed(path):
        out = {key: out}
    return out


def resolve_config(defaults: dict[str, Any], config: dict[str, Any] | Path | None = None,
                   overrides: list[str] | dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then a config file or dict, then dotted overrides."""
    result = copy.deepcopy(defaults)
    if isinstance(config, (str, Path)):
        loaded = load_yaml(Path(config))
        if not isinstance(loaded, dict):
            raise StandoffError("a config file must be a YAML mapping", file=str(config))
        try:
            result = merge(result, loaded)
        except StandoffError as err:
            raise StandoffError(err.message, file=str(config), hint=err.hint) from err
    elif config:
        result = merge(result, config)
    items = overrides.items() if isinstance(overrides, dict) else (
        parse_override(o) for o in overrides or [])
    for key, value in items:
        path = key.split(".") if isinstance(key, str) else key
        result = merge(result, nest(path, value))
    return result
