"""Family configs: defaults, config files and dotted overrides, with loud typos."""

from __future__ import annotations

from pathlib import Path

import pytest

from standoff.core.errors import StandoffError
from standoff.models.config import parse_override, resolve_config
from standoff.models.registry import family_names, get_family


def test_every_family_has_a_declarative_config() -> None:
    assert {"rules", "sklearn", "spacy"} <= set(family_names())
    for name in ("rules", "sklearn", "spacy"):
        cfg = get_family(name).default_config()
        assert "decode" in cfg and "normalizer" in cfg


def test_overrides_are_typed_and_nested() -> None:
    assert parse_override("training.max_epochs=5") == (["training", "max_epochs"], 5)
    assert parse_override("tagger.C=[0.5, 2]") == (["tagger", "C"], [0.5, 2])
    cfg = resolve_config(get_family("spacy").default_config(),
                         overrides=["training.max_epochs=5", "decode.threshold=0.3"])
    assert cfg["training"]["max_epochs"] == 5 and cfg["decode"]["threshold"] == 0.3
    assert cfg["training"]["dropout"] == 0.1  # untouched keys keep their defaults


def test_unknown_keys_fail_loudly(tmp_path: Path) -> None:
    defaults = get_family("sklearn").default_config()
    with pytest.raises(StandoffError, match="unknown config key 'tagger.CC'"):
        resolve_config(defaults, overrides=["tagger.CC=1"])
    with pytest.raises(StandoffError, match="key.sub=value"):
        resolve_config(defaults, overrides=["tagger.C"])
    cfg_file = tmp_path / "my.yaml"
    cfg_file.write_text("tagger:\n  C: [2.0]\nbogus: 1\n", encoding="utf-8")
    with pytest.raises(StandoffError) as err:
        resolve_config(defaults, cfg_file)
    assert "my.yaml" in str(err.value) and "bogus" in str(err.value)
    cfg_file.write_text("tagger:\n  C: [2.0]\n", encoding="utf-8")
    assert resolve_config(defaults, cfg_file)["tagger"]["C"] == [2.0]


def test_unknown_family_names_the_known_ones() -> None:
    with pytest.raises(StandoffError, match="rules, sklearn, spacy"):
        get_family("bert")
