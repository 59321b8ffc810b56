"""Fixtures for the foundation tests: a throwaway copy of the project's data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED_ID = "000_f9c8955652b849b6"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root holding the seed, its gold file, the schema and the actor registry."""
    root = tmp_path / "proj"
    (root / "seeds").mkdir(parents=True)
    (root / "annotation" / "gold").mkdir(parents=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(REPO / "seeds" / f"{SEED_ID}{suffix}", root / "seeds")
    shutil.copy(REPO / "annotation" / "gold" / f"{SEED_ID}.yaml", root / "annotation" / "gold")
    shutil.copy(REPO / "annotation" / "schema.yaml", root / "annotation")
    shutil.copy(REPO / "annotation" / "actors.yaml", root / "annotation")
    if (REPO / "annotation" / "actors.d").is_dir():
        shutil.copytree(REPO / "annotation" / "actors.d", root / "annotation" / "actors.d")
    monkeypatch.setenv("STANDOFF_ROOT", str(root))
    return root


@pytest.fixture
def cli():
    from standoff.cli.main import app

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke
