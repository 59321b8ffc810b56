"""The registry of model families: `@register_family("name")` plugs a family in.

A family trains a predictor for a task and loads it back from a model directory.
Third-party packages can register families through the `standoff.families` entry point
group (the entry point's module registers on import).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from standoff.core.errors import StandoffError
from standoff.core.model import Document
from standoff.models.config import load_default_config
from standoff.models.tasks import TASK_NAMES, TaskSpec

FAMILIES: dict[str, type[Family]] = {}
F = TypeVar("F", bound="type[Family]")


class Predictor(Protocol):
    def predict_batch(self, docs: list[Document], gold_mentions: bool,
                      model_version: str) -> list[Document]: ...

    def save(self, path: Path) -> None: ...


class Family(ABC):
    """A way of building models; one instance serves every task it supports."""

    name: ClassVar[str] = ""
    tasks: ClassVar[tuple[str, ...]] = TASK_NAMES

    def default_config(self) -> dict[str, Any]:
        return load_default_config(self.name)

    @abstractmethod
    def train(self, task: TaskSpec, data: Any, config: dict[str, Any],
              seed: int) -> tuple[Predictor, dict[str, Any]]:
        """Train on data.train, select on data.dev; return the predictor and what was chosen."""

    @abstractmethod
    def load(self, task: TaskSpec, path: Path, config: dict[str, Any]) -> Predictor:
        """Load a predictor saved by `Predictor.save(path)`."""


def register_family(name: str) -> Callable[[F], F]:
    def wrap(cls: F) -> F:
        cls.name = name
        FAMILIES[name] = cls
        return cls
    return wrap


def _load_plugins() -> None:
    import standoff.models.families  # noqa: F401  (registers the built-in families)

    for entry in metadata.entry_points(group="standoff.families"):
        entry.load()


def get_family(name: str) -> Family:
    _load_plugins()
    if name not in FAMILIES:
        raise StandoffError(f"unknown model family {name!r}",
                            hint=f"use one of {', '.join(family_names())}")
    return FAMILIES[name]()


def family_names() -> list[str]:
    _load_plugins()
    return list(FAMILIES)


DEFAULT_FAMILIES = ("rules", "sklearn", "spacy")
