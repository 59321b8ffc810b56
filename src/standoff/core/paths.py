"""Where a project's data lives. Every command takes a project root (default: the cwd)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @classmethod
    def default(cls) -> ProjectPaths:
        return cls(Path(os.environ.get("STANDOFF_ROOT", ".")).resolve())

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def annotation(self) -> Path:
        return self.root / "annotation"

    @property
    def schema(self) -> Path:
        return self.annotation / "schema.yaml"

    @property
    def actors(self) -> Path:
        return self.annotation / "actors.yaml"

    @property
    def gold(self) -> Path:
        return self.annotation / "gold"

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def reports(self) -> Path:
        return self.root / "eval" / "reports"
